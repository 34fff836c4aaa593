"""The study's answers on the real networks 1990-2023 under three seeds and in reverse order.

Issue 18's target: the same verdicts (centres, regions, Hwang) whatever the order of the
countries, and over three seeds in at least 33 of the 34 real years. For every year of the real
OpenAlex networks in ``../shared`` (whole counts, the shipped ``spheres`` settings) it reads the
year with seeds 1, 2 and 3, and again with seed 1 and the countries in reverse order, and prints
each year's verdicts, then the counts of years whose verdicts agree over the seeds and whose whole
record is the same bytes reversed.

Usage: ``python benchmarks/real_stability.py [--years 1990-2023] [--out FILE.jsonl]``; each
year's verdicts are appended to ``--out`` as they come.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bibnet.hypotheses.network import Network
from bibnet.hypotheses.study import SETTINGS, read_year
from bibnet.pajek import read_network

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "openalex-country-coauthorship-2024"
FOCAL = ("KR", "GB")
SEEDS = (1, 2, 3)


def real_network(year: int, reverse: bool = False) -> Network:
    """The year's whole-count network, its countries in file order or reversed."""
    pajek = read_network(REAL_DATA / f"WrldCo{year}.net")
    counts = np.maximum(pajek.matrix, pajek.matrix.T).astype(float)
    np.fill_diagonal(counts, 0)
    order = np.arange(len(pajek.codes))[::-1] if reverse else np.arange(len(pajek.codes))
    return Network.from_counts(counts[np.ix_(order, order)], [pajek.codes[i] for i in order])


def verdicts(record: dict) -> tuple[str, str, str]:
    return (record["centres"]["verdict"], record["regions"]["verdict"],
            record["hwang"]["verdict"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="1990-2023")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    first, last = map(int, args.years.split("-"))
    if not REAL_DATA.is_dir():
        raise SystemExit(f"the real networks are not at {REAL_DATA}: this benchmark needs them")
    stable_seeds = same_reversed = 0
    start = time.perf_counter()
    for year in range(first, last + 1):
        records = [read_year(real_network(year), SETTINGS, FOCAL, seed, year) for seed in SEEDS]
        reversed_record = read_year(real_network(year, reverse=True), SETTINGS, FOCAL, SEEDS[0],
                                    year)
        found = [verdicts(record) for record in records]
        seeds_agree = len(set(found)) == 1
        reversed_same = (json.dumps(records[0], sort_keys=True)
                         == json.dumps(reversed_record, sort_keys=True))
        stable_seeds += seeds_agree
        same_reversed += reversed_same
        row = {"year": year, "verdicts": found, "seeds_agree": seeds_agree,
               "reversed_same_record": reversed_same}
        print(json.dumps(row), flush=True)
        if args.out:
            with open(args.out, "a") as out:
                out.write(json.dumps(row) + "\n")
    years = last - first + 1
    print(f"years whose verdicts agree over seeds {SEEDS}: {stable_seeds} of {years} "
          f"(target: at least {years - 1})")
    print(f"years whose record is the same bytes with the countries reversed: {same_reversed} "
          f"of {years} (target: all)")
    print(f"wall time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
