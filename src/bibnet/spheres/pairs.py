"""Sums of pair values by groups of countries, for many labellings at once.

The permutation tests relabel the countries hundreds of times; each labelling's sums over
pairs inside a group are one column block of a single matrix product (a loop of small products
is ten times slower on the real networks).

Examples
--------
>>> import numpy as np
>>> M = np.array([[0, 1, 2], [1, 0, 3], [2, 3, 0]], float)
>>> bloc_sums(M, np.array([[0, 0, 1], [0, 1, 1]]), np.arange(2)).tolist()
[[2.0, 0.0], [0.0, 6.0]]
>>> own_bloc_sums(M, np.array([[0, 0, 1]]), np.array([0, 0, 1]), np.arange(2)).tolist()
[[1.0, 1.0, 0.0]]
"""

from __future__ import annotations

import numpy as np


def _stacked(label_sets: np.ndarray, blocs: np.ndarray) -> np.ndarray:
    """One-hot indicators of every labelling side by side: countries x (sets * blocs)."""
    onehot = (label_sets[..., None] == blocs).astype(float)
    n_sets, n, n_blocs = onehot.shape
    return onehot.transpose(1, 0, 2).reshape(n, n_sets * n_blocs)


def bloc_sums(matrix: np.ndarray, label_sets: np.ndarray, blocs: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{i,j: g_i = g_j = b} M_{ij}` for every labelling (rows of ``label_sets``)
    and bloc ``b`` of ``blocs``: shape (labellings, blocs)."""
    stacked = _stacked(label_sets, blocs)
    n = len(matrix)
    return ((matrix @ stacked) * stacked).reshape(n, len(label_sets), len(blocs)).sum(axis=0)


def own_bloc_sums(matrix: np.ndarray, label_sets: np.ndarray, own: np.ndarray,
                  blocs: np.ndarray) -> np.ndarray:
    """:math:`\\sum_{j: g_j = o_i} M_{ij}` for each country ``i`` and labelling ``g`` (rows of
    ``label_sets``), with ``o_i`` the country's own bloc (``own``, positions in ``blocs``):
    shape (labellings, countries)."""
    n = len(matrix)
    sums = (matrix @ _stacked(label_sets, blocs)).reshape(n, len(label_sets), len(blocs))
    return sums[np.arange(n), :, own].T
