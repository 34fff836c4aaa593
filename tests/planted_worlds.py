"""Planted worlds and the measures of them that tests (and benchmarks) share, SYNTHETIC: test
support, kept out of the stages.

``WORLDS``
    Per family, a world of ``N`` countries from ``bibnet.simulate``, the rates planted on it in
    the estimators' normalisation (`replant`) and the model that should recover it, at the
    signal strengths measured on the real 2015 network
    (``tests/blockmodels/test_blockmodels_planted.py`` gives the table).
`replant`, `draw_overdispersed`
    Counts with planted rates, and counts with a known variance function.
`calibrate`, `layered_rate_ratios`
    How the figures the planted worlds copy (``bibnet.simulate.REAL_2015``) are measured, on a
    real network or a world.

``benchmarks/`` imports this module too (with ``tests/`` on its path).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bibnet import simulate
from bibnet.blockmodels import (CorePeriphery, Layered, MultiCorePairs, MultiCoreShared,
                                Regional)
from bibnet.blockmodels.dispersion import VarianceFunction, draw_counts
from bibnet.pajek import read_network
from bibnet.simulate import CALIBRATION_TIERS, Calibration, strengths

N = 100


def _pairs(cc, cp, pp, bg):
    omega = np.full((4, 4), float(bg))
    omega[:2, :2] = omega[2:, 2:] = [[cc, cp], [cp, pp]]
    return omega


WORLDS = {
    "core_periphery": (
        lambda seed: simulate.multi_core(N, 1, seed=seed, core_size=int(0.30 * N)),
        np.array([[3.17, 1.15], [1.15, 1.0]]),
        lambda: CorePeriphery()),
    "layered": (
        lambda seed: simulate.layered(N, seed=seed, tier_sizes=(31, 28)),
        np.array([2.125, 1.51, 1.0])[np.minimum.outer(np.arange(3), np.arange(3))],
        lambda: Layered()),
    "multi_core_pairs": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=8),
        _pairs(7, 2, 1.5, 1),
        lambda: MultiCorePairs(k=2)),
    "multi_core_shared": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=30, shared_periphery=True),
        np.array([[6.0, 3.35, 1.1], [3.35, 6.0, 1.1], [1.1, 1.1, 1.0]]),
        lambda: MultiCoreShared(k=2)),
    "regional": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=20),
        np.where(np.eye(4, dtype=bool), np.diag([3.0, 2.0, 2.5, 1.8]), 1.0),
        lambda: Regional(n_blocks=4)),
}


def replant(world: simulate.World, omega: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """SYNTHETIC counts with a simulated world's degree shapes and blocks, and rates ``omega``.

    ``bibnet.simulate`` solves its degree parameters to hit target strengths, without a block
    normalisation, so its planted rates are not those the estimators fit (degree parameters
    averaging 1 in each block, rates per pair): with its default rates c-p = sqrt(c-c * p-p)
    a core and its periphery are, once degrees are corrected, one block. Here the world's
    degree parameters are rescaled to average 1 in each block, ``omega`` is planted on them,
    the means are scaled to the world's total and the counts redrawn. Countries drawn without
    links are dropped (nothing can place them).

    Returns
    -------
    counts : numpy.ndarray
    labels : numpy.ndarray
        Planted block of each remaining country.

    Examples
    --------
    >>> world = simulate.null(30, seed=1)
    >>> counts, labels = replant(world, np.ones((1, 1)), seed=2)
    >>> counts.shape == (labels.size, labels.size), bool((counts == counts.T).all())
    (True, True)
    """
    labels = world.labels
    theta = world.theta.astype(float).copy()
    for block in np.unique(labels):
        theta[labels == block] /= theta[labels == block].mean()
    means = np.outer(theta, theta) * np.asarray(omega)[np.ix_(labels, labels)]
    np.fill_diagonal(means, 0.0)
    means *= world.counts.sum() / means.sum()
    A = draw_counts(means, np.random.default_rng([seed, 99]))
    linked = A.sum(axis=1) > 0
    return A[np.ix_(linked, linked)], labels[linked]


def draw_overdispersed(means: np.ndarray, variance: VarianceFunction,
                       rng: np.random.Generator) -> np.ndarray:
    """A symmetric gamma-Poisson draw with zero diagonal: mean ``means``, variance
    ``max(V(mean), mean)``, one draw per pair ``i < j``.

    Examples
    --------
    >>> A = draw_overdispersed(np.full((3, 3), 5.0), VarianceFunction(1.0, 1.0),
    ...                        np.random.default_rng(1))
    >>> A.tolist()   # V(mu) = mu: plain Poisson
    [[0.0, 7.0, 3.0], [7.0, 0.0, 4.0], [3.0, 4.0, 0.0]]
    """
    n = means.shape[0]
    upper = np.triu_indices(n, 1)
    mu = np.asarray(means, dtype=float)[upper]
    extra = np.maximum(variance(mu) - mu, 0.0)
    rate = mu.copy()
    mixed = (extra > 0) & (mu > 0)
    shape = mu[mixed] ** 2 / extra[mixed]
    rate[mixed] = rng.gamma(shape, mu[mixed] / shape)
    A = np.zeros((n, n))
    A[upper] = rng.poisson(rate)
    return A + A.T


def layered_rate_ratios(counts: np.ndarray, tiers: np.ndarray) -> np.ndarray:
    """Degree-corrected layered rates ``lambda_t / lambda_last``, strengths as degree parameters.

    ``lambda_t`` is the works of the pairs whose better (lower) tier is ``t`` over the sum of
    ``s_i s_j`` across those pairs.

    Examples
    --------
    >>> A = np.array([[0, 4, 2], [4, 0, 1], [2, 1, 0]])
    >>> layered_rate_ratios(A, np.array([0, 1, 1])).round(3).tolist()
    [1.875, 1.0]
    """
    counts = np.asarray(counts, dtype=float)
    s = strengths(counts)
    tiers = np.asarray(tiers)
    better = np.minimum.outer(tiers, tiers)
    off = ~np.eye(len(tiers), dtype=bool)
    rates = np.array([counts[off & (better == t)].sum() / np.outer(s, s)[off & (better == t)].sum()
                      for t in np.unique(tiers)])
    return rates / rates[-1]


def calibrate(path: str | Path, tier_sizes: tuple[int, int] = CALIBRATION_TIERS) -> Calibration:
    """Measure the figures the planted worlds copy, on one real Pajek country network.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``WrldCoYYYY.net`` file.
    tier_sizes : (int, int)
        Core and semi-periphery sizes of the strength-ranked 3-tier cut.
    """
    network = read_network(path)
    s = strengths(network.matrix)
    order = np.argsort(-s, kind="stable")
    tiers = np.full(len(s), 2)
    tiers[order[:tier_sizes[0]]] = 0
    tiers[order[tier_sizes[0]:sum(tier_sizes)]] = 1
    ratios = layered_rate_ratios(network.matrix, tiers)
    return Calibration(n_active=int((s > 0).sum()), total_works=int(round(s.sum() / 2)),
                       log_strength_sd=float(np.log(s[s > 0]).std()),
                       top_code=network.codes[order[0]], top_share=float(s[order[0]] / s.sum()),
                       top_ratio=float(s[order[0]] / s[order[1]]),
                       layered_ratios=(float(ratios[0]), float(ratios[1])))
