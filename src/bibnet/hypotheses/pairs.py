"""Sums of pair values over groups of countries, for many memberships at once.

The permutation tests relabel the countries hundreds of times; each membership's sums over
pairs are one column block of a single matrix product (a loop of small products is ten times
slower on the real networks). A membership gives each country a weight in each group: 0 or 1
for labels (:func:`onehot`), or a soft weight.

Examples
--------
>>> import numpy as np
>>> M = np.array([[0, 1, 2], [1, 0, 3], [2, 3, 0]], float)
>>> quadratic_sums(M, onehot(np.array([[0, 0, 1], [0, 1, 1]]), 2)).tolist()
[[2.0, 0.0], [0.0, 6.0]]
>>> own_sums(M, onehot(np.array([[0, 0, 1]]), 2), np.array([0, 0, 1])).tolist()
[[1.0, 1.0, 0.0]]
"""

from __future__ import annotations

import numpy as np


def onehot(label_sets: np.ndarray, n_groups: int) -> np.ndarray:
    """Memberships of labellings (leading axes) as 0/1 weights: shape (..., countries,
    groups)."""
    return (label_sets[..., None] == np.arange(n_groups)).astype(float)


def _stacked(memberships: np.ndarray) -> np.ndarray:
    """Every membership side by side: countries x (memberships * groups)."""
    n_sets, n, n_groups = memberships.shape
    return memberships.transpose(1, 0, 2).reshape(n, n_sets * n_groups)


def quadratic_sums(matrix: np.ndarray, memberships: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{ij} M_{ij} u_{ig} u_{jg}` for every membership ``u`` (shape (sets,
    countries, groups)) and group ``g``: shape (sets, groups). In single precision, which
    halves the time of the permutation tests and moves their statistics by about 1e-6."""
    n_sets, n, n_groups = memberships.shape
    stacked = _stacked(memberships).astype(np.float32)
    product = matrix.astype(np.float32) @ stacked
    return (product * stacked).reshape(n, n_sets, n_groups).sum(axis=0, dtype=np.float64)


def own_sums(matrix: np.ndarray, memberships: np.ndarray, own: np.ndarray) -> np.ndarray:
    """:math:`\\sum_j M_{ij} u_{j o_i}` for each country ``i`` and membership ``u``, with
    ``o_i`` the country's own group (``own``): shape (sets, countries)."""
    n_sets, n, n_groups = memberships.shape
    sums = (matrix @ _stacked(memberships)).reshape(n, n_sets, n_groups)
    return sums[np.arange(n), :, own].T
