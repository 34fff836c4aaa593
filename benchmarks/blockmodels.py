"""Benchmark: one year's readings and their replicates on the real 2015 network, and cpnet's
KM_config next to bibnet's several-centres model on planted worlds.

Prints, on the machine it runs on (the target is 2 cores):

1. the one-off cost of loading the compiled kernels (numba's cache; compiling on a first run);
2. wall time, on ``WrldCo2015.net``, of the reference scan (SBM with K up to 40), of every
   reading with 2 to 6 blocks (:class:`~bibnet.blockmodels.StructureBeyondSize`, the shipped
   starts), and of their replicates (:func:`~bibnet.blockmodels.resample`: ``--replicates``
   bootstrap and null refits, ``--jackknife`` leave-one-out refits): one year's blockmodel
   job of the default study, which must stay under 600 s / 34 years / 2 jobs in parallel;
3. on planted two-centre worlds (SYNTHETIC, ``simulate.multi_core`` re-planted at the 2015
   strengths of ``tests/blockmodels/test_blockmodels_planted.py``), the time per fit and the adjusted Rand
   index of cpnet's ``KM_config`` and of ``MultiCorePairs(k=2)`` with its default settings,
   climbing its starts on one thread and on two (``n_jobs``; the fit is the same), against
   the target of >= 10 times faster with an ARI at least as high.

Run from the repository root (cpnet is the optional extra ``pip install -e '.[cpnet]'``)::

    python benchmarks/blockmodels.py [--pajek PATH] [--worlds 5] [--replicates 10] [--jackknife 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse

from bibnet import simulate
from bibnet.blockmodels import MultiCorePairs, StructureBeyondSize, reference_scan, resample
from bibnet.blockmodels.compare import adjusted_rand_index
from bibnet.pajek import read_network

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from planted_worlds import replant  # noqa: E402

REAL_2015 = (Path(__file__).resolve().parents[2] / "shared" / "data"
             / "openalex-country-coauthorship-2024" / "WrldCo2015.net")
#: Two centres with their peripheries at the 2015 strengths (c-c, c-p, p-p, background).
PAIRS_2015 = (7.0, 2.0, 1.5, 1.0)


def timed(fit):
    start = time.perf_counter()
    result = fit()
    return result, time.perf_counter() - start


def real_counts(path: Path) -> tuple[np.ndarray, list[str]]:
    network = read_network(path)
    A = network.matrix.copy()
    np.fill_diagonal(A, 0.0)  # the loops hold each country's total, not pairs
    linked = A.sum(axis=1) > 0
    return A[np.ix_(linked, linked)], [c for c, keep in zip(network.codes, linked) if keep]


def bench_real(path: Path, replicates: int, jackknife: int, seed: int) -> None:
    A, codes = real_counts(path)
    _, warm = timed(lambda: StructureBeyondSize(blocks=(2, 3), n_starts=1, random_state=seed)
                    .fit(A[:20, :20] + 1 - np.eye(20)))
    print(f"real 2015: {len(codes)} countries; kernels loaded in {warm:.2f} s")
    reference, t_reference = timed(lambda: reference_scan(A, seed=seed))
    fitted, t_fit = timed(lambda: StructureBeyondSize(n_starts=5, random_state=seed).fit(A))
    _, t_resample = timed(lambda: resample(A, fitted, replicates, jackknife, seed=seed))
    total = t_reference + t_fit + t_resample
    print(f"  reference scan (K = 1..40):           {t_reference:6.2f} s; levels off at "
          f"K = {reference.levels_off}")
    print(f"  every reading, B = 2..6:              {t_fit:6.2f} s; retention "
          f"{ {r: round(v, 3) for r, v in fitted.summary_.items()} }")
    print(f"  {replicates} bootstrap + {replicates} null + {jackknife} jackknife refits: "
          f"{t_resample:6.2f} s")
    print(f"  one year: {total:6.2f} s; 34 years on 2 cores at this rate: "
          f"{34 * total / 2 / 60:.1f} min (study target <= 10 min, benchmarks/study.py)")


def km_config(A: np.ndarray):
    """cpnet's KM_config labels as 2 * pair + (0 core, 1 periphery), and the seconds taken."""
    import cpnet

    def fit():
        km = cpnet.KM_config()
        km.detect(sparse.csr_matrix(A))
        return 2 * np.asarray(km.c_) + (1 - np.asarray(km.x_))

    return timed(fit)


def bench_planted(worlds: int) -> None:
    omega = np.full((4, 4), PAIRS_2015[3])
    cc, cp, pp, _ = PAIRS_2015
    omega[:2, :2] = omega[2:, 2:] = [[cc, cp], [cp, pp]]
    rows = []
    for seed in range(worlds):
        A, truth = replant(simulate.multi_core(200, 2, seed=seed, core_size=16), omega, seed)
        fits = [timed(lambda: MultiCorePairs(k=2, random_state=seed, n_jobs=jobs).fit(A))
                for jobs in (1, 2)]
        ours = fits[0][0].labels_  # the same fit on either number of threads
        try:
            theirs, t_theirs = km_config(A)
        except ImportError:
            theirs, t_theirs = None, np.nan
        rows.append((fits[0][1], fits[1][1], adjusted_rand_index(ours, truth), t_theirs,
                     np.nan if theirs is None else adjusted_rand_index(theirs, truth)))
        print(f"  world {seed}: bibnet {rows[-1][0]:6.3f} s (1 thread), {rows[-1][1]:6.3f} s "
              f"(2 threads), ARI {rows[-1][2]:.3f} | cpnet KM_config {rows[-1][3]:6.3f} s "
              f"ARI {rows[-1][4]:.3f}")
    if not rows:
        return
    t_one, t_two, ari_ours, t_theirs, ari_theirs = np.nanmean(np.array(rows), axis=0)
    print(f"  mean: bibnet {t_one:.3f} s on 1 thread, {t_two:.3f} s on 2, ARI {ari_ours:.3f}; "
          f"cpnet {t_theirs:.3f} s ARI {ari_theirs:.3f}")
    print(f"  speed-up per fit on 2 cores {t_theirs / t_two:.1f}x, on 1 thread "
          f"{t_theirs / t_one:.1f}x (target >= 10x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pajek", type=Path, default=REAL_2015)
    parser.add_argument("--worlds", type=int, default=5)
    parser.add_argument("--replicates", type=int, default=10)
    parser.add_argument("--jackknife", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20080101)
    args = parser.parse_args()
    if args.pajek.is_file():
        bench_real(args.pajek, args.replicates, args.jackknife, args.seed)
    else:
        print(f"real network not found at {args.pajek}; skipping the real-data part")
    if args.worlds:
        print("planted two-centre worlds (SYNTHETIC), 200 countries:")
        bench_planted(args.worlds)


if __name__ == "__main__":
    main()
