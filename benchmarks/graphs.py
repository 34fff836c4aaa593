"""Benchmark of the graphs stage on the real OpenAlex networks, 1990-2023.

For every year: the counts tables are made from the Pajek file first (the counts stage, not
timed), then the graph is built, its statistics computed (with the configured number of
rich-club randomisations, 100 by default) and all four exports written to a scratch folder.
Years run in a pool of ``--jobs`` processes (2 by default, as ``snakemake --cores 2`` would run
them). It prints the wall time of the whole stage (target: under 60 s on 2 cores) and the share
of the workers' time spent in each step, the rich-club randomisations shown apart from the other
statistics.

Run from the repository root::

    python benchmarks/graphs.py [--jobs 2] [--randomisations 100] [--first 1990] [--last 2023]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bibnet.counts import pair_tables, rows_from_pajek
from bibnet.graphs import build_year_graph, graph_statistics, write_exports
from bibnet.graphs.export import WRITERS
from bibnet.graphs import stats
from bibnet.graphs.stats import rich_club_table

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "openalex-country-coauthorship-2024"
SEED = 20080101


def _timed(function, seconds: Counter, step: str):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[step] += time.perf_counter() - start
    return timed


def one_year(year: int, randomisations: int, out_dir: str) -> Counter:
    """Time each step of one year; return seconds by step."""
    tables = pair_tables(year, rows_from_pajek(REAL_DATA / f"WrldCo{year}.net"), "all")
    seconds = Counter()
    # The rich club is timed inside graph_statistics, so its share is shown without running twice.
    stats.rich_club_table = _timed(rich_club_table, seconds, "  of which rich club")
    start = time.perf_counter()
    graph = build_year_graph(tables.counts, tables.totals)
    seconds["build graph"] += time.perf_counter() - start
    start = time.perf_counter()
    graph_statistics(graph, randomisations=randomisations, seed=SEED)
    seconds["statistics"] += time.perf_counter() - start
    for suffix in WRITERS:
        start = time.perf_counter()
        write_exports(graph, {suffix: Path(out_dir) / f"{year}.{suffix}"}, "association_strength")
        seconds[f"export {suffix}"] += time.perf_counter() - start
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--randomisations", type=int, default=100)
    parser.add_argument("--first", type=int, default=1990)
    parser.add_argument("--last", type=int, default=2023)
    args = parser.parse_args()
    if not REAL_DATA.is_dir():
        print(f"real data not found at {REAL_DATA}; nothing to benchmark", file=sys.stderr)
        return 1
    years = range(args.first, args.last + 1)
    with tempfile.TemporaryDirectory() as out_dir, ProcessPoolExecutor(args.jobs) as pool:
        pool.submit(int, 0).result()  # start the workers before the clock
        start = time.perf_counter()
        results = list(pool.map(one_year, years, [args.randomisations] * len(years),
                                [out_dir] * len(years)))
        wall = time.perf_counter() - start
    total = sum(results, Counter())
    rich_club = total.pop("  of which rich club")
    worker_time = sum(total.values())
    print(f"graphs stage, {years.start}-{years.stop - 1}, {args.randomisations} rich-club "
          f"randomisations, {args.jobs} processes")
    print(f"wall time: {wall:.1f} s (target < 60 s on 2 cores); worker time {worker_time:.1f} s "
          "(counts tables from Pajek not included)")
    for step, seconds in total.items():
        print(f"  {step:<24} {seconds:7.1f} s  {seconds / worker_time:6.1%}")
        if step == "statistics":
            print(f"    {'of which rich club':<22} {rich_club:7.1f} s  "
                  f"{rich_club / worker_time:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
