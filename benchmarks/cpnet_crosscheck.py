"""Cross-check: cpnet's Kojaku-Masuda ``KM_config`` next to bibnet's estimators.

On planted two-centre worlds (``bibnet.simulate.multi_core``, SYNTHETIC, at the realistic
signal strength documented there) it prints the time per fit and the adjusted Rand index
(ARI) of the labels found against the planted ones, three ways: the four blocks
(core/periphery of each centre), the centres alone, and core versus periphery. Next to it:
bibnet's ``MultiCorePairs(k=2)`` and the Borgatti-Everett discrete core (core versus
periphery only). On the real 2015 network it prints
the time, the cores each method finds and the ARI between them.

Needs the optional extra: ``pip install -e '.[cpnet]'``. Run from the repository root::

    python benchmarks/cpnet_crosscheck.py [--worlds 5] [--runs 10] [--pajek PATH]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from bibnet import simulate
from bibnet.blockmodels import MultiCorePairs
from bibnet.blockmodels.compare import adjusted_rand_index
from bibnet.pajek import read_network

from baselines import BorgattiEverett  # benchmarks/baselines.py, beside this script

REAL_2015 = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "openalex-country-coauthorship-2024" / "WrldCo2015.net"


def timed(fit):
    start = time.perf_counter()
    result = fit()
    return result, time.perf_counter() - start


def km_config(A: np.ndarray, runs: int):
    """cpnet's KM_config: labels 2 * pair + (0 core, 1 periphery), and the seconds taken."""
    import cpnet

    def fit():
        km = cpnet.KM_config(num_runs=runs)
        km.detect(sparse.csr_matrix(A))
        return 2 * km.c_ + (1 - km.x_)

    return timed(fit)


def bibnet_multi_core(A: np.ndarray, seed: int):
    """bibnet's MultiCorePairs(k=2) labels and the seconds taken."""
    return timed(lambda: MultiCorePairs(k=2, random_state=seed).fit(A).labels_)


def borgatti_everett(A: np.ndarray):
    """Borgatti-Everett discrete core as labels 0 (core) / 1 (periphery), and seconds."""
    return timed(lambda: BorgattiEverett().fit(A).labels_)


def scores(found: np.ndarray, planted: np.ndarray) -> str:
    """ARI on the blocks, on the centres and on core versus periphery (block parity)."""
    return (f"blocks {adjusted_rand_index(found, planted):5.2f}  "
            f"centres {adjusted_rand_index(found // 2, planted // 2):5.2f}  "
            f"core/periphery {adjusted_rand_index(found % 2, planted % 2):5.2f}")


def planted_worlds(n_worlds: int, runs: int) -> None:
    print(f"SYNTHETIC planted two-centre worlds (multi_core_pairs, 200 countries, "
          f"rates {np.round(simulate.MULTI_CORE_RATES, 2).tolist()}):")
    for seed in range(n_worlds):
        world = simulate.multi_core(200, 2, seed=seed)
        A = world.counts.astype(float)
        keep = A.sum(1) > 0  # countries without works carry no information
        A, planted = A[np.ix_(keep, keep)], world.labels[keep]
        found, seconds = km_config(A, runs)
        print(f"  world {seed}: cpnet KM_config   {seconds:6.2f} s  {scores(found, planted)}  "
              f"({len(np.unique(found // 2))} pairs found)")
        found, seconds = bibnet_multi_core(A, seed)
        print(f"           bibnet MultiCorePairs {seconds:6.2f} s  {scores(found, planted)}")
        found, seconds = borgatti_everett(A)
        print(f"           Borgatti-Everett   {seconds:6.2f} s  core/periphery "
              f"{adjusted_rand_index(found, planted % 2):5.2f}")


def cores(codes, labels) -> str:
    return "; ".join(f"{' '.join(codes[i] for i in np.flatnonzero(labels == block))}"
                     for block in np.unique(labels) if block % 2 == 0)


def real_network(path: Path, runs: int) -> None:
    network = read_network(path)
    A = network.matrix.copy()
    np.fill_diagonal(A, 0)  # Pajek loops hold totals, not pairs
    keep = A.sum(1) > 0
    A, codes = A[np.ix_(keep, keep)], [c for c, k in zip(network.codes, keep) if k]
    print(f"\nReal network {path.name} ({len(codes)} countries with international works):")
    km, seconds = km_config(A, runs)
    print(f"  cpnet KM_config   {seconds:6.2f} s  {len(np.unique(km // 2))} pairs; "
          f"cores: {cores(codes, km)}")
    mc, seconds = bibnet_multi_core(A, 0)
    print(f"  bibnet MultiCorePairs {seconds:6.2f} s  cores: {cores(codes, mc)}")
    print(f"  ARI between them: {scores(km, mc)}")
    be, seconds = borgatti_everett(A)
    print(f"  Borgatti-Everett  {seconds:6.2f} s  core: {cores(codes, be)}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=5, help="planted worlds (seeds 0..)")
    parser.add_argument("--runs", type=int, default=10, help="KM_config runs per fit")
    parser.add_argument("--pajek", type=Path, default=REAL_2015, help="a real WrldCoYYYY.net")
    args = parser.parse_args(argv)
    try:
        import cpnet  # noqa: F401
    except ImportError:
        print("cpnet is not installed; this cross-check needs the optional extra: "
              "pip install -e '.[cpnet]'", file=sys.stderr)
        return 2
    planted_worlds(args.worlds, args.runs)
    if args.pajek.is_file():
        real_network(args.pajek, args.runs)
    else:
        print(f"\n{args.pajek} not found: real-data cross-check skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
