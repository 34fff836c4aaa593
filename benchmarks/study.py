"""Benchmark of the whole study: the real networks to verdicts, and the offline demo to its report.

1. The default study on the real OpenAlex networks in ``../shared`` (``source: pajek``, the
   shipped configuration otherwise: every year 1990-2023, every configured variant): snakemake
   from counts to ``verdicts.json`` in a scratch copy of the workflow, with the default profile
   (2 cores). Target: at most 10 minutes.
2. The README's offline demo, ``snakemake --config source=synthetic``, from nothing to its HTML
   report in another scratch copy. Target: at most 3 minutes.
3. The demo with the four domains as layers, ``--config source=synthetic layers=domains``, to
   its report with the layers page. Target: at most 3 minutes too.

With the default profile the jobs run as threads of one Snakemake process; ``--spawned`` runs
them as processes (Snakemake's own default) for the baseline: the ratio of the two is what
threading buys.

It prints each wall time and its ratio to the target. Run from the repository root::

    python benchmarks/study.py [--only study|demo|demo_layers] [--keep DIR] [--repeat N]

``--keep DIR`` runs in DIR (which must not exist) and leaves the outputs there: the study's
``data/processed/verdicts.json`` and the demo's ``reports/``. ``--repeat N`` runs each target N
times (in ``run1``, ``run2``, ... of the scratch folder) and prints their median too: the
speed of a shared host varies from run to run (a fixed pure-Python loop took 3.4-5.1 s within
one hour here, and the layers demo 145-205 s), so one run says little near a target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "data" / "openalex-country-coauthorship-2024"
PARTS = ("Snakefile", "workflow", "config", "profiles")
TARGETS = {"study": 600.0, "demo": 180.0, "demo_layers": 180.0}


SPAWNED = False


def _copy(root: Path) -> Path:
    root.mkdir(parents=True)
    for part in PARTS:
        source = REPO / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / part)
    if SPAWNED:
        profile = root / "profiles" / "default" / "config.yaml"
        profile.write_text("".join(line for line in profile.read_text().splitlines(True)
                                   if not line.startswith("force-use-threads")))
    return root


def _run(root: Path, *args: str) -> float:
    """Wall seconds of ``snakemake args`` in ``root``; its console is kept in
    ``root/console.log`` (each job's "done in" line: where the time went)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "snakemake", *args], cwd=root,
                          capture_output=True, text=True, env=os.environ.copy())
    seconds = time.perf_counter() - start
    (root / "console.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode != 0:
        sys.exit(f"snakemake failed in {root}:\n{done.stderr[-4000:]}")
    return seconds


def study(scratch: Path) -> float:
    if not REAL_DATA.is_dir():
        sys.exit(f"the real networks are not at {REAL_DATA}: the study benchmark needs them")
    root = _copy(scratch / "study")
    path = root / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config.update(source="pajek", pajek_dir=str(REAL_DATA))
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return _run(root, "data/processed/verdicts.json")


def demo(scratch: Path) -> float:
    root = _copy(scratch / "demo")
    seconds = _run(root, "--config", "source=synthetic")
    if not (root / "reports" / "index.html").is_file():
        sys.exit("the demo ran but wrote no reports/index.html")
    return seconds


def demo_layers(scratch: Path) -> float:
    root = _copy(scratch / "demo_layers")
    seconds = _run(root, "--config", "source=synthetic", "layers=domains")
    if not (root / "reports" / "layers.html").is_file():
        sys.exit("the demo with layers ran but wrote no reports/layers.html")
    return seconds


def main() -> None:
    global SPAWNED
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(TARGETS))
    parser.add_argument("--keep", type=Path, help="run here and keep the outputs")
    parser.add_argument("--spawned", action="store_true",
                        help="jobs as processes, not threads (the baseline)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each target; their median is printed too")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat takes a number of runs, at least 1; got {args.repeat}")
    SPAWNED = args.spawned
    label = " (spawned)" if SPAWNED else ""
    with tempfile.TemporaryDirectory(prefix="bibnet-study-") as folder:
        scratch = args.keep or Path(folder)
        for name, run in (("study", study), ("demo", demo), ("demo_layers", demo_layers)):
            if args.only not in (None, name):
                continue
            runs = []
            for number in range(1, args.repeat + 1):
                runs.append(run(scratch / f"run{number}" if args.repeat > 1 else scratch))
                print(f"{name}{label}: {runs[-1]:.0f} s wall on {os.cpu_count()} cores, "
                      f"{runs[-1] / TARGETS[name]:.2f} of the {TARGETS[name]:.0f} s target",
                      flush=True)
            if args.repeat > 1:
                middle = statistics.median(runs)
                print(f"{name}{label}: median of {args.repeat} runs {middle:.0f} s, "
                      f"{middle / TARGETS[name]:.2f} of the target", flush=True)


if __name__ == "__main__":
    main()
