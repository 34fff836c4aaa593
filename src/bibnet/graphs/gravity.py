r"""What size alone predicts: the gravity (degree-only) null without self-pairs, and affinity.

A pair's works are mostly the product of the two countries' sizes. The null that keeps every
country's strength :math:`\kappa_i = \sum_j A_{ij}` and nothing else is the Poisson model
:math:`E[A_{ij}] = \theta_i \theta_j` for :math:`i \ne j`, fitted by maximum likelihood:

.. math::

    \sum_{j \ne i} \theta_i \theta_j = \kappa_i
    \quad\Longleftrightarrow\quad
    \theta_i = \frac{\kappa_i}{\Theta - \theta_i},\qquad \Theta = \sum_j \theta_j,

solved by the fixed point above (the configuration model without self-loops; Chung & Lu 2002
for the form, Squartini & Garlaschelli 2011 for the maximum-likelihood view). The plain
:math:`\kappa_i \kappa_j / 2W` spends :math:`\kappa_i^2/2W` of each country's strength on a
pair with itself that cannot exist, so it under-predicts the largest countries' ties to others:
on a world of size alone it lifts their observed / expected ratios by several per cent, enough to
look like a hub (:func:`gravity_expected` doctest below). Affinity, observed over expected, is the
structure beyond size: :math:`a_{ij} = A_{ij}/E_{ij}`, and for groups of countries
:math:`a_{RS} = \sum_{i \in R, j \in S, i \ne j} A_{ij} / \sum E_{ij}` (:func:`block_affinity`).

Examples
--------
A world of size alone, where the plain formula shows the largest country tied to the others
beyond size and the fit without self-pairs does not:

>>> import numpy as np
>>> theta = np.array([12.0, 3, 2, 2, 1, 1, 1])
>>> A = np.outer(theta, theta); np.fill_diagonal(A, 0)
>>> E = gravity_expected(A)
>>> bool(np.allclose(E, A))
True
>>> s = A.sum(axis=1); plain = np.outer(s, s) / s.sum()
>>> round(float(block_affinity(A, plain, [0], [1, 2, 3, 4, 5, 6])), 2)
1.6
>>> round(float(block_affinity(A, E, [0], [1, 2, 3, 4, 5, 6])), 2)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Relative change of every degree parameter at which the fixed point stops.
TOLERANCE = 1e-12
MAX_ITERATIONS = 100_000


def gravity_theta(strength: np.ndarray) -> np.ndarray:
    """Degree parameters :math:`\\theta` of the gravity null without self-pairs.

    Parameters
    ----------
    strength : numpy.ndarray
        Each country's strength (sum of its pair counts); zeros stay zero.

    Raises
    ------
    ValueError
        Where no such parameters exist: one country holds half of all pair-links or more (it
        would have to be tied to itself), or fewer than two countries have links.

    Examples
    --------
    >>> theta = gravity_theta(np.array([3.0, 2.0, 2.0, 1.0]))
    >>> [round(float(t * (theta.sum() - t)), 6) for t in theta]
    [3.0, 2.0, 2.0, 1.0]
    """
    strength = np.asarray(strength, dtype=float)
    linked = strength > 0
    total = strength.sum()
    if linked.sum() < 2:
        raise ValueError("the gravity null needs at least two countries with links")
    if strength.max() >= total / 2:
        raise ValueError(
            "one country holds half of all pair-links or more, so no gravity null without "
            "self-pairs fits; check the counts (a country paired with itself?)")
    theta = strength / np.sqrt(total)
    for _ in range(MAX_ITERATIONS):
        # Damped (geometric mean with the last step): the plain map oscillates when one
        # country holds a large share.
        updated = np.sqrt(theta * np.where(linked, strength / (theta.sum() - theta), 0.0))
        if np.all(np.abs(updated - theta) <= TOLERANCE * np.maximum(theta, 1e-300)):
            return updated
        theta = updated
    raise RuntimeError("the gravity null's fixed point did not converge")


def gravity_expected(counts: np.ndarray) -> np.ndarray:
    """Expected counts :math:`E_{ij} = \\theta_i\\theta_j` (``i != j``, zero diagonal) under the
    gravity null without self-pairs; every row sums to the country's strength."""
    counts = np.asarray(counts, dtype=float)
    theta = gravity_theta(counts.sum(axis=1))
    expected = np.outer(theta, theta)
    np.fill_diagonal(expected, 0.0)
    return expected


def quasi_gravity_expected(counts: np.ndarray, variance, start: np.ndarray | None = None
                           ) -> np.ndarray:
    """Expected counts :math:`\\theta_i\\theta_j` of the gravity null fitted by
    quasi-likelihood with the variance function ``variance`` (a callable of the mean):
    :math:`\\sum_{j \\ne i} (A_{ij} - \\mu_{ij})\\,\\mu_{ij}/V(\\mu_{ij}) = 0` for every
    country (Wedderburn 1974; McCullagh & Nelder 1989, ch. 9), solved by reweighted fixed
    point from ``start`` (the Poisson fit by default). With :math:`V(\\mu) = \\mu` it is
    :func:`gravity_expected`; with overdispersed counts each country's affinities, weighted by
    their inverse variance :math:`\\mu^2/V(\\mu)`, average 1, as they do in sums under the
    Poisson fit.

    >>> A = np.array([[0, 4, 1, 1], [4, 0, 1, 1], [1, 1, 0, 2], [1, 1, 2, 0]])
    >>> bool(np.allclose(quasi_gravity_expected(A, lambda mu: mu), gravity_expected(A)))
    True
    """
    counts = np.asarray(counts, dtype=float)
    expected = gravity_expected(counts) if start is None else start
    theta = np.sqrt(np.maximum(expected.sum(axis=1), 0) ** 2 / max(expected.sum(), 1e-300))
    theta = gravity_theta(expected.sum(axis=1)) if start is None else theta
    for _ in range(MAX_ITERATIONS):
        mean = np.outer(theta, theta)
        np.fill_diagonal(mean, 0.0)
        safe = np.where(mean > 0, mean, 1.0)
        weight = np.where(mean > 0, safe / variance(safe), 0.0)
        denominator = weight @ theta
        updated = np.sqrt(theta * np.divide((counts * weight).sum(axis=1), denominator,
                                            out=np.zeros_like(theta), where=denominator > 0))
        if np.all(np.abs(updated - theta) <= 1e-10 * np.maximum(theta, 1e-300)):
            theta = updated
            break
        theta = updated
    else:
        raise RuntimeError("the quasi-likelihood gravity null did not converge")
    expected = np.outer(theta, theta)
    np.fill_diagonal(expected, 0.0)
    return expected


def affinity(counts: np.ndarray, expected: np.ndarray | None = None) -> np.ndarray:
    """Observed over gravity-expected works, pair by pair (0 where nothing is expected).

    >>> A = np.array([[0, 4, 1, 1], [4, 0, 1, 1], [1, 1, 0, 2], [1, 1, 2, 0]])
    >>> affinity(A).round(2).tolist()[0]
    [0.0, 1.4, 0.64, 0.64]
    """
    counts = np.asarray(counts, dtype=float)
    expected = gravity_expected(counts) if expected is None else expected
    return np.divide(counts, expected, out=np.zeros_like(counts), where=expected > 0)


def block_affinity(counts: np.ndarray, expected: np.ndarray, rows: Sequence[int],
                   columns: Sequence[int]) -> float:
    """Affinity of two groups of countries: their works over what size predicts, self-pairs
    excluded (the diagonals of ``counts`` and ``expected`` are zero); NaN where nothing is
    expected.

    >>> A = np.array([[0, 4, 1, 1], [4, 0, 1, 1], [1, 1, 0, 2], [1, 1, 2, 0]])
    >>> E = gravity_expected(A)
    >>> round(block_affinity(A, E, [0, 1], [0, 1]), 2), round(block_affinity(A, E, [0, 1], [2, 3]), 2)
    (1.4, 0.64)
    """
    rows, columns = np.asarray(rows, dtype=int), np.asarray(columns, dtype=int)
    if not len(rows) or not len(columns):
        return float("nan")
    expected_sum = float(expected[np.ix_(rows, columns)].sum())
    if expected_sum <= 0:
        return float("nan")
    return float(counts[np.ix_(rows, columns)].sum()) / expected_sum
