"""Calibration table of the planted worlds (``bibnet.simulate.planted``) against the real data.

Prints, for the real networks of the chosen years and for planted worlds of each kind at 0.1x,
1x and 10x volume (several seeds, mean and range), the figures the module docstring of
``bibnet.simulate.worlds`` quotes: countries, pair-links, top share, Pearson X^2/df of the
degree-only null, the variance power, and the share of the null's deviance a degree-corrected
SBM with K = 4 and K = 8 explains. Real years are skipped where the shared data are absent.

Run from the repository root::

    python benchmarks/worlds.py [--seeds 3] [--years 1995 2008 2015 2023] [--sigma 0.8]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from bibnet import simulate
from bibnet.pajek import read_network

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from planted_worlds import degree_only_dispersion, structure_share  # noqa: E402

REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / \
    "openalex-country-coauthorship-2024"
FIGURES = ("countries", "links", "top share", "X2/df", "power", "share K=4", "share K=8")


def real_counts(year: int) -> np.ndarray:
    """The real network of ``year``: diagonal zeroed, countries without links dropped."""
    A = np.asarray(read_network(REAL_DATA / f"WrldCo{year}.net").matrix, dtype=np.int64).copy()
    np.fill_diagonal(A, 0)
    linked = A.sum(axis=1) > 0
    return A[np.ix_(linked, linked)]


def figures(counts: np.ndarray) -> list[float]:
    """The row of the table for one network."""
    s = simulate.strengths(counts)
    x2, power = degree_only_dispersion(counts)
    return [int((s > 0).sum()), s.sum() / 2, s.max() / s.sum(), x2, power,
            structure_share(counts, 4), structure_share(counts, 8)]


def show(name: str, rows: list[list[float]]) -> None:
    rows = np.array(rows, dtype=float)
    cells = []
    for column, fmt in zip(rows.T, ("{:.0f}", "{:,.0f}", "{:.3f}", "{:.1f}", "{:.2f}", "{:.2f}",
                                    "{:.2f}")):
        cell = fmt.format(column.mean())
        if len(column) > 1 and fmt not in ("{:.0f}",):
            cell += " (" + fmt.format(column.min()) + "-" + fmt.format(column.max()) + ")"
        cells.append(cell)
    print(f"{name:<22}" + "  ".join(f"{c:>22}" for c in cells), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--years", type=int, nargs="*", default=[1995, 2008, 2015, 2023])
    parser.add_argument("--sigma", type=float, default=simulate.SIGMA)
    parser.add_argument("--kinds", nargs="*", default=list(simulate.KINDS))
    parser.add_argument("--volumes", type=float, nargs="*", default=[0.1, 1.0, 10.0])
    args = parser.parse_args()
    print(f"{'network':<22}" + "  ".join(f"{f:>22}" for f in FIGURES))
    for year in args.years:
        if (REAL_DATA / f"WrldCo{year}.net").exists():
            show(f"real {year}", [figures(real_counts(year))])
        else:
            print(f"real {year}: skipped, {REAL_DATA} absent")
    for kind in args.kinds:
        for volume in args.volumes:
            show(f"{kind} x{volume:g}",
                 [figures(simulate.planted(kind, seed=seed, volume=volume, sigma=args.sigma,
                                           k=3 if kind == "centres" and seed % 2 else 2).counts)
                  for seed in range(args.seeds)])


if __name__ == "__main__":
    main()
