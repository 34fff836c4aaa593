"""Calibration of the study's verdicts on planted sphere worlds: how often each is right.

Prints, for each world kind, noise shape, X^2/df level and volume, the share of worlds whose
centres and regions verdicts are the planted truth, and the share of wrong calls that matter
(``several centres`` where fewer than two hubs are planted, ``regional communities`` where no
regions are). Worlds come from :func:`bibnet.simulate.spheres.sphere_world`, verdicts from
:func:`bibnet.hypotheses.study.read_answers` at the shipped settings.

Usage: ``python benchmarks/calibrate.py [--seeds N] [--first-seed K] [--kinds KIND ...]
[--grid nulls|kinds|orientation|volumes|all] [--out FILE.jsonl]``. ``--first-seed`` and
``--kinds`` draw more worlds of the cells one wants measured more closely (the seeds ``K`` to
``K + N - 1``, the kinds named). Each world's verdicts are appended to ``--out`` as they come,
so a long run can be read while it goes. A row also keeps the evidence the centres rule reads
(the centres' tie as one and each centre's, the global tests of spheres).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter

from bibnet.hypotheses.network import Network
from bibnet.hypotheses.study import SETTINGS, read_answers
from bibnet.simulate.dispersion import RESIDUAL_LEVEL
from bibnet.simulate.spheres import KINDS, sphere_world

#: The planted kinds, with the three-hub variant of ``hubs`` (issue 18: two and three hubs).
PLANTED = [(kind, {}) for kind in KINDS] + [("hubs", {"n_centres": 3})]
#: Two hubs whose periphery countries differ in how much they tie to the centres at all (log-sd
#: of each country's pull; the real networks' row means of the centre ties spread about 0.6).
ORIENTED = [("hubs", {"orientation": 0.6})]

NOISES = (("lognormal", 1.3), ("lognormal", 2.0), ("gamma", 2.0))
DISPERSIONS = (15, 71.6, 134)


def grid(name: str, seeds: range, level: float | None):
    if name in ("nulls", "all"):
        for noise, power in NOISES:
            for dispersion in DISPERSIONS:
                for seed in seeds:
                    yield dict(kind="null", effects={}, noise=noise, power=power, dispersion=dispersion,
                               sigma=None, volume=1.0, seed=seed)
    if name in ("kinds", "all"):
        for kind, effects in PLANTED:
            for seed in seeds:
                yield dict(kind=kind, effects=effects, noise="lognormal", power=1.3,
                           dispersion=None, sigma=level, volume=1.0, seed=seed)
    if name in ("orientation", "all"):
        for kind, effects in ORIENTED:
            for volume in (0.1, 1.0, 10.0):
                for seed in seeds:
                    yield dict(kind=kind, effects=effects, noise="lognormal", power=1.3,
                               dispersion=None, sigma=level, volume=volume, seed=seed)
    if name in ("volumes", "all"):
        for kind, effects in PLANTED:
            for volume in (0.1, 10.0):
                for seed in seeds:
                    yield dict(kind=kind, effects=effects, noise="lognormal", power=1.3,
                               dispersion=None, sigma=level, volume=volume, seed=seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--kinds", nargs="*", default=None,
                        help="only these world kinds (null, hubs, geography, ...)")
    parser.add_argument("--grid", default="all")
    parser.add_argument("--out", default=None)
    parser.add_argument("--level", choices=("residual", "real-x2"), default="residual")
    args = parser.parse_args()
    tally = {}
    level = RESIDUAL_LEVEL if args.level == "residual" else None
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    for cell in grid(args.grid, seeds, level):
        if args.kinds and cell["kind"] not in args.kinds:
            continue
        started = time.perf_counter()
        world = sphere_world(cell["kind"], seed=1000 + cell["seed"], volume=cell["volume"],
                             noise=cell["noise"], power=cell["power"],
                             dispersion=cell["dispersion"], sigma=cell["sigma"],
                             **cell["effects"])
        record, _ = read_answers(Network.from_counts(world.counts, list(world.codes)),
                                 SETTINGS, seed=cell["seed"], year=2000)
        row = {**cell, "x2_per_df": world.x2_per_df, "truth": world.truth,
               "centres": record["centres"]["verdict"], "regions": record["regions"]["verdict"],
               "hubs": record["centres"]["hubs"], "planted_centres": list(world.centres),
               # the evidence the centres rule reads, so that another rule can be scored on
               # the same worlds without drawing them again
               "evidence": {key: record["centres"][key] for key in ("whole", "global",
                                                                     "tied_centres",
                                                                     "spheres")},
               "seconds": round(time.perf_counter() - started, 1)}
        if args.out:
            with open(args.out, "a", encoding="utf-8") as out:
                out.write(json.dumps(row) + "\n")
        key = (cell["kind"] + "".join(f" {k}={v}" for k, v in cell["effects"].items()),
               cell["noise"], cell["power"], cell["dispersion"] or cell["sigma"],
               cell["volume"])
        counts = tally.setdefault(key, Counter())
        counts["n"] += 1
        counts["centres right"] += row["centres"] == world.truth["centres"]
        counts["regions right"] += row["regions"] == world.truth["regions"]
        counts["false several"] += (row["centres"] == "several centres"
                                    and world.truth["centres"] != "several centres")
        counts["false regional"] += (row["regions"] == "regional communities"
                                     and world.truth["regions"] != "regional communities")
        print(json.dumps(row), flush=True)
    print("\nkind, noise, power, X2/df target, volume: n, centres right, regions right, "
          "false several centres, false regional communities")
    for key, counts in tally.items():
        print(", ".join(map(str, key)), ":", counts["n"], counts["centres right"],
              counts["regions right"], counts["false several"], counts["false regional"])


if __name__ == "__main__":
    main()
