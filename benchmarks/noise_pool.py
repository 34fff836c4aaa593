"""How much of the pair noise the tests draw for the centre pairs is the pool's continental
structure: the noise fitted against the gravity null (the study's) and against the gravity null
with a factor per pair of continents, both on the pairs among the non-centres.

The study reads the noise off the residuals of the non-centre pairs around the gravity null
(``bibnet.hypotheses.noise``), so the pool's regional structure counts as noise and the tests
are conservative (``docs/method.md`` section 9: on the real networks ``p_sphere`` is 1.0 for
most centres). A continent-blocked gravity null, :math:`E_{ij} = \\theta_i \\theta_j
\\omega_{g_i g_j}` (fixed continents, :func:`bibnet.countries.continents`: no search, so no
noise is fitted as structure), takes the continental part out. For the real networks of
1995, 2005, 2015 and 2023 and for planted worlds (whose structure has nothing to do with
continents: a check that the blocks alone narrow nothing) it prints the fitted variance
functions, the relative variance :math:`V(\\mu)/\\mu^2` they give a centre pair of median and
90th-percentile size, and, for the real years, each centre's ``p_sphere``, ``p_hub`` and hub
ratio beyond selection read with either noise. It measures; the study keeps the gravity noise.

Usage: ``python benchmarks/noise_pool.py [--years 1995 2005 2015 2023] [--worlds 2]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from bibnet.countries import continents
from bibnet.hypotheses.centres import Spheres
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.noise import PairNoise
from bibnet.hypotheses.study import SETTINGS, year_noise
from bibnet.simulate.dispersion import RESIDUAL_LEVEL
from bibnet.simulate.spheres import sphere_world

sys.path.insert(0, str(Path(__file__).resolve().parent))
from real_stability import REAL_DATA, real_network  # noqa: E402

#: Rounds of iterative proportional fitting of the continent-blocked null.
ROUNDS = 200


def continent_blocked(counts: np.ndarray, pairs: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Poisson fit of :math:`\\theta_i\\theta_j\\omega_{g_i g_j}` to ``counts`` on ``pairs``
    (iterative proportional fitting of the countries' strengths and the blocks' totals)."""
    groups = np.unique(labels, return_inverse=True)[1]
    onehot = np.eye(groups.max() + 1)[groups].T
    mask = pairs.astype(float)
    np.fill_diagonal(mask, 0.0)
    observed = counts * mask
    theta = observed.sum(axis=1) / np.sqrt(observed.sum()) + 1e-12
    omega = np.ones((len(onehot), len(onehot)))
    for _ in range(ROUNDS):
        mean = np.outer(theta, theta) * omega[np.ix_(groups, groups)] * mask
        theta *= np.where(mean.sum(axis=1) > 0,
                          observed.sum(axis=1) / np.maximum(mean.sum(axis=1), 1e-300), 1.0)
        mean = np.outer(theta, theta) * omega[np.ix_(groups, groups)] * mask
        expected_blocks = onehot @ mean @ onehot.T
        omega *= np.where(expected_blocks > 0, (onehot @ observed @ onehot.T)
                          / np.maximum(expected_blocks, 1e-300), 1.0)
    return np.outer(theta, theta) * omega[np.ix_(groups, groups)]


def noises(network: Network):
    """The study's gravity null and noise, and the noise around the continent-blocked null on
    the same pool (the pairs among the countries outside the eight largest)."""
    expected, gravity = year_noise(network, SETTINGS)
    pool = np.ones(network.counts.shape, dtype=bool)
    largest = network.largest(max(SETTINGS["n_centres"], SETTINGS["robustness"][1]))
    pool[largest, :] = pool[:, largest] = False
    names = continents()
    labels = np.array([names.get(code, "none") for code in network.codes])
    blocked = continent_blocked(network.counts, pool, labels)
    return expected, gravity, PairNoise().fit(network.counts, np.where(pool, blocked, expected),
                                              pool)


def relative_variance(noise: PairNoise, size: float) -> float:
    return float(noise.variance(size) / size ** 2)


def describe(name: str, network: Network, spheres: bool) -> None:
    expected, gravity, blocked = noises(network)
    centres = network.largest(SETTINGS["n_centres"])
    others = np.setdiff1d(np.arange(len(network.codes)), centres)
    sizes = expected[np.ix_(centres, others)]
    sizes = sizes[sizes > 1]
    median, top = np.median(sizes), np.quantile(sizes, 0.9)
    print(f"{name}: gravity phi {gravity.phi_:.3g} power {gravity.power_:.2f}; continents phi "
          f"{blocked.phi_:.3g} power {blocked.power_:.2f}; relative variance of a centre pair "
          f"of median size {median:.0f}: {relative_variance(gravity, median):.3f} vs "
          f"{relative_variance(blocked, median):.3f}; of 90th-percentile size {top:.0f}: "
          f"{relative_variance(gravity, top):.3f} vs {relative_variance(blocked, top):.3f}",
          flush=True)
    if not spheres:
        return
    for label, noise in (("gravity", gravity), ("continents", blocked)):
        table = Spheres(random_state=1, noise=(expected, noise)).fit(network).table_
        print(f"  {label:<10} " + "; ".join(
            f"{centre} p_sphere {row.p_sphere:.3f} p_hub {row.p_hub:.3f} beyond selection "
            f"{row.hub_beyond_selection:.2f} ({row.kind})" for centre, row in table.iterrows()),
            flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", nargs="*", type=int, default=[1995, 2005, 2015, 2023])
    parser.add_argument("--worlds", type=int, default=2)
    args = parser.parse_args()
    if args.years and not REAL_DATA.is_dir():
        raise SystemExit(f"the real networks are not at {REAL_DATA}: pass --years with no "
                         "year to measure the planted worlds alone")
    for year in args.years:
        describe(f"real {year}", real_network(year), spheres=True)
    for kind in ("null", "regional", "geography", "hubs"):
        for seed in range(args.worlds):
            world = sphere_world(kind, seed=1000 + seed, sigma=RESIDUAL_LEVEL)
            describe(f"planted {kind} {seed}", Network.from_counts(world.counts,
                                                                   list(world.codes)),
                     spheres=False)


if __name__ == "__main__":
    main()
