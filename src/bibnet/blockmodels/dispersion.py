r"""Overdispersion of the pair counts: measured, and used to resample them.

Country pairs' counts vary far more than Poisson around any block model's means: language,
history and consortia give each pair an effect of its own. The Poisson fits stay estimators of
the mean structure (the Poisson pseudo-likelihood is consistent for the mean whatever the
variance; Gourieroux, Monfort & Trognon 1984, Santos Silva & Tenreyro 2006); what needs the
dispersion is every statement of uncertainty and every comparison of fits.

Over the pairs ``i < j`` with fitted mean :math:`\mu_{ij} > 0`, of ``N`` pairs and ``P`` fitted
parameters:

* Poisson deviance :math:`D = 2 \sum (y \log(y/\mu) - (y - \mu))`;
* Pearson dispersion :math:`\hat\phi = X^2 / (N - P)`, :math:`X^2 = \sum (y - \mu)^2 / \mu`,
  the quasi-Poisson scale (Wedderburn 1974; McCullagh & Nelder 1989, sec. 9.2): a deviance
  difference over :math:`\hat\phi` is the quasi-likelihood ratio;
* the variance function :math:`V(\mu) = \phi_V \mu^p`, fitted to the squared residuals
  (Davidian & Carroll 1987): the pairs are cut into ``bins`` groups of equal size by fitted
  mean, and :math:`\log \overline{(y-\mu)^2}` (the degrees-of-freedom corrected mean squared
  residual of a group) is regressed on :math:`\log \bar\mu` by least squares weighted by the
  groups' sizes. On the real networks the power is about 1.45: neither Poisson (``p = 1``) nor
  a constant-shape negative binomial (``p = 2``).

The tests draw counts with a known variance function (gamma-Poisson, ``tests/planted_worlds.py``)
and find it again.

Examples
--------
>>> rng = np.random.default_rng(0)
>>> size = np.geomspace(1, 30, 120)
>>> means = np.outer(size, size); np.fill_diagonal(means, 0)
>>> A = draw_counts(means, rng)
>>> fitted = variance_function(A, means, n_parameters=0)
>>> round(fitted.power, 1), round(fitted.phi, 1)
(1.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import xlogy

#: Groups of pairs, by fitted mean, for the variance-function regression.
BINS = 20


def _pairs(A: np.ndarray, means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts and means of the pairs ``i < j`` with a positive mean."""
    upper = np.triu_indices(A.shape[0], 1)
    y, mu = np.asarray(A, dtype=float)[upper], np.asarray(means, dtype=float)[upper]
    fitted = mu > 0
    return y[fitted], mu[fitted]


def deviance(A: np.ndarray, means: np.ndarray) -> float:
    """Poisson deviance of the counts against the means, over the pairs ``i < j``.

    Examples
    --------
    >>> A = np.array([[0, 2, 0], [2, 0, 1], [0, 1, 0]], dtype=float)
    >>> deviance(A, A)
    0.0
    """
    y, mu = _pairs(A, means)
    return float(2 * (xlogy(y, y / mu) - (y - mu)).sum())


def pearson_dispersion(A: np.ndarray, means: np.ndarray, n_parameters: int) -> float:
    """Pearson's X^2 over its degrees of freedom, ``N - P`` (the quasi-Poisson scale)."""
    y, mu = _pairs(A, means)
    df = y.size - int(n_parameters)
    if df <= 0:
        raise ValueError(f"{y.size} fitted pairs leave no degrees of freedom for "
                         f"{n_parameters} parameters")
    return float(((y - mu) ** 2 / mu).sum() / df)


@dataclass(frozen=True)
class VarianceFunction:
    """``V(mu) = phi * mu ** power``, the variance of a pair's count with mean ``mu``."""

    phi: float
    power: float

    def __call__(self, mu: np.ndarray) -> np.ndarray:
        return self.phi * np.power(mu, self.power)

    def to_dict(self) -> dict:
        return {"phi": self.phi, "power": self.power}


def variance_function(A: np.ndarray, means: np.ndarray, n_parameters: int,
                      bins: int = BINS) -> VarianceFunction:
    """Fit ``V(mu) = phi mu^p`` to the squared residuals of the counts against the means.

    Parameters
    ----------
    A, means : numpy.ndarray, shape (n, n)
        Counts and a model's fitted means (the richest model's, so that structure left in
        the means is not read as variance).
    n_parameters : int
        The model's parameters: the squared residuals are scaled by ``N / (N - P)``.
    bins : int
        Groups of equal size by fitted mean (the method in the module docstring); fewer where
        there are fewer than two pairs a group.
    """
    y, mu = _pairs(A, means)
    bins = min(bins, y.size // 2)  # at least two pairs a group
    if bins < 2:
        raise ValueError(f"{y.size} fitted pairs are too few to fit a variance function")
    order = np.argsort(mu, kind="stable")
    groups = np.array_split(order, bins)
    scale = y.size / max(y.size - int(n_parameters), 1)
    mean_mu = np.array([mu[g].mean() for g in groups])
    mean_sq = np.array([((y[g] - mu[g]) ** 2).mean() * scale for g in groups])
    sizes = np.array([g.size for g in groups], dtype=float)
    usable = mean_sq > 0
    if usable.sum() < 2:
        return VarianceFunction(phi=1.0, power=1.0)
    slope, intercept = np.polyfit(np.log(mean_mu[usable]), np.log(mean_sq[usable]), 1,
                                  w=np.sqrt(sizes[usable]))
    return VarianceFunction(phi=float(np.exp(intercept)), power=float(slope))


def draw_counts(means: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A symmetric Poisson draw with zero diagonal: one draw per pair ``i < j``.

    Examples
    --------
    >>> draw_counts(np.full((3, 3), 2.0), np.random.default_rng(0)).tolist()
    [[0.0, 2.0, 0.0], [2.0, 0.0, 7.0], [0.0, 7.0, 0.0]]
    """
    n = means.shape[0]
    upper = np.triu_indices(n, 1)
    A = np.zeros((n, n))
    A[upper] = rng.poisson(np.asarray(means, dtype=float)[upper])
    return A + A.T

