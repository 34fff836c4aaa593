r"""Normalised collaboration weights, each a pure function of the count matrix.

For a symmetric count matrix :math:`C` with zero diagonal, let :math:`s_i = \sum_j c_{ij}` be
country i's strength and :math:`2W = \sum_i s_i` twice the total works over pairs. Every measure
is 0 where :math:`c_{ij} = 0` (so isolates give 0, never NaN), keeps :math:`C`'s symmetry and its
zero diagonal.

======================  ==================================================  ================
measure                 :math:`w_{ij}`                                      range
======================  ==================================================  ================
association strength    :math:`c_{ij} / (s_i s_j)`                          :math:`\ge 0`
cosine                  :math:`c_{ij} / \sqrt{s_i s_j}`                     :math:`[0, 1]`
jaccard                 :math:`c_{ij} / (s_i + s_j - c_{ij})`               :math:`[0, 1]`
inclusion               :math:`c_{ij} / \min(s_i, s_j)`                     :math:`[0, 1]`
affinity                :math:`c_{ij} / (s_i s_j / 2W)`                     :math:`\ge 0`
======================  ==================================================  ================

All but association strength are invariant to scaling :math:`C` by a constant; association
strength scales by its inverse. Association strength and affinity differ only by the constant
:math:`2W`; affinity is the observed / expected ratio of a null model that keeps every strength
(1 means as many works as chance predicts).

The raw counts stay the input of the statistical models; these weights are for views and exports.

References
----------
.. [1] van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of
   some well-known similarity measures. JASIST 60(8), 1635-1651 (association strength, cosine,
   Jaccard, inclusion).
.. [2] Salton, G., & McGill, M. J. (1983). Introduction to Modern Information Retrieval (cosine).
.. [3] Zitt, M., Bassecoulard, E., & Okubo, Y. (2000). Shadows of the past in international
   cooperation: collaboration profiles of the top five producers of science. Scientometrics
   47(3), 627-657 (probabilistic affinity).

Examples
--------
>>> import numpy as np
>>> counts = np.array([[0, 2, 2], [2, 0, 0], [2, 0, 0]], dtype=float)
>>> cosine(counts).round(3).tolist()
[[0.0, 0.707, 0.707], [0.707, 0.0, 0.0], [0.707, 0.0, 0.0]]
>>> affinity(counts)[0, 1]  # 2 works where 4 * 2 / 8 = 1 was expected
np.float64(2.0)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def _ratio(counts: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``counts / denominator`` where counts are non-zero, else 0."""
    counts = np.asarray(counts, dtype=np.float64)
    out = np.zeros_like(counts)
    np.divide(counts, denominator, out=out, where=counts != 0)
    return out


def _strengths(counts: np.ndarray) -> np.ndarray:
    return np.asarray(counts, dtype=np.float64).sum(axis=1)


def association_strength(counts: np.ndarray) -> np.ndarray:
    r"""Association strength :math:`c_{ij} / (s_i s_j)` (van Eck & Waltman 2009).

    Proportional to observed / expected works; VOSviewer maps with it (times :math:`2W`).

    >>> association_strength(np.array([[0, 2, 2], [2, 0, 0], [2, 0, 0]]))[0, 1]
    np.float64(0.25)
    """
    s = _strengths(counts)
    return _ratio(counts, np.outer(s, s))


def cosine(counts: np.ndarray) -> np.ndarray:
    r"""Salton's cosine :math:`c_{ij} / \sqrt{s_i s_j}` (Salton & McGill 1983)."""
    s = _strengths(counts)
    return _ratio(counts, np.sqrt(np.outer(s, s)))


def jaccard(counts: np.ndarray) -> np.ndarray:
    r"""Jaccard index :math:`c_{ij} / (s_i + s_j - c_{ij})`."""
    s = _strengths(counts)
    return _ratio(counts, s[:, None] + s[None, :] - counts)


def inclusion(counts: np.ndarray) -> np.ndarray:
    r"""Inclusion index :math:`c_{ij} / \min(s_i, s_j)`: the share of the smaller country's
    collaboration that goes to the pair."""
    s = _strengths(counts)
    return _ratio(counts, np.minimum(s[:, None], s[None, :]))


def affinity(counts: np.ndarray) -> np.ndarray:
    r"""Observed / expected works :math:`c_{ij} / (s_i s_j / 2W)` under a null model that keeps
    every country's strength; Zitt et al.'s (2000) probabilistic affinity up to a constant."""
    return association_strength(counts) * _strengths(counts).sum()


def count(counts: np.ndarray) -> np.ndarray:
    """The counts themselves, as float64 (the identity "normalisation")."""
    return np.asarray(counts, dtype=np.float64).copy()


#: Every weight an export can carry, by its config name (``graphs.export_weight``).
NORMALISATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "count": count,
    "association_strength": association_strength,
    "cosine": cosine,
    "jaccard": jaccard,
    "inclusion": inclusion,
    "affinity": affinity,
}
