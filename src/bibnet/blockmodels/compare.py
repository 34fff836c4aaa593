"""Agreement between labelings, and planted worlds in the estimators' normalisation.

Examples
--------
>>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
1.0
>>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 6)
-0.5
"""

from __future__ import annotations

import numpy as np
from scipy.special import comb

from bibnet import simulate
from bibnet.blockmodels.dispersion import draw_counts


def adjusted_rand_index(a, b) -> float:
    """Hubert & Arabie's (1985) adjusted Rand index, from the contingency table.

    1 for the same partition up to renaming, about 0 for unrelated ones. A labeling with a
    single block on both sides (no pairs to disagree on) counts as 1.
    """
    _, a = np.unique(np.asarray(a), return_inverse=True)
    _, b = np.unique(np.asarray(b), return_inverse=True)
    if a.size != b.size:
        raise ValueError(f"labelings differ in length: {a.size} and {b.size}")
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs = comb(table, 2).sum()
    rows, cols = comb(table.sum(axis=1), 2).sum(), comb(table.sum(axis=0), 2).sum()
    expected = rows * cols / comb(a.size, 2)
    denominator = (rows + cols) / 2 - expected
    return 1.0 if denominator == 0 else float((pairs - expected) / denominator)


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
