r"""Classic core/periphery baselines: Borgatti & Everett (1999), as UCINET computes them.

Retired from the study (its readings are degree-corrected block models read beyond size); kept
for the cross-check with cpnet (``cpnet_crosscheck.py``) and tested in
``tests/benchmarks/test_baselines.py``.

Continuous model (UCINET *Network > Core/Periphery > Continuous*)
    Coreness ``c`` minimising :math:`\sum_{i \ne j} (A_{ij} - c_i c_j)^2`: the one-factor MINRES
    fit, diagonal left out. Solved by iterated principal axes: put :math:`c_i^2` on the
    diagonal, take the leading eigenpair ``(mu, v)``, set :math:`c = \sqrt{\mu}\, v`, repeat.
    Each step lowers the off-diagonal residual (it alternates two exact minimisations), and the
    Perron vector of a non-negative matrix keeps ``c`` non-negative. ``coreness_`` is reported
    at unit length; ``coreness_correlation_`` is the Pearson correlation of the off-diagonal
    ``A_ij`` with :math:`c_i c_j`, the fit measure of the paper.

Discrete model (UCINET *Network > Core/Periphery > Categorical*, algorithm CORR)
    The core maximising the Pearson correlation, over the pairs ``i < j``, between ``A_ij`` and
    the ideal pattern: 1 for core-core pairs, 0 for periphery-periphery pairs, and for
    core-periphery pairs UCINET's "density of core-to-periphery ties": left blank (its default)
    these pairs are *ignored*; a number ``d`` puts ``d`` in them. ``cp_density=None`` is the
    UCINET default; ``cp_density=1.0`` is the "either end in the core" pattern that cpnet's
    ``BE`` scores (on binary data). Weighted data enter as they are, as in UCINET.

    UCINET searches with a genetic algorithm; here the search is deterministic: every core made
    of the top ``m`` countries by continuous coreness is scored, and the best (the largest on
    ties: with core-periphery pairs ignored, a core country tied only within the core scores the
    same moved to the periphery) seeds a Kernighan-Lin search (passes of single moves, each pass
    moving every country once, best first, and keeping the best prefix), stopped when a pass
    improves nothing. Each move is scored in O(1) from block sums kept up to date, so a pass
    costs O(n^2).

References
----------
S. P. Borgatti and M. G. Everett, "Models of core/periphery structures", Social Networks 21
(1999) 375-395. UCINET 6 help pages for CORE/PERIPHERY > CONTINUOUS and > CATEGORICAL.

Examples
--------
A perfect pattern for ``cp_density=1``: a clique of three, each also tied to the three others.
(Ignoring core-periphery pairs, UCINET's default, would also score 1 with any of the others
added to the core: that pattern cannot tell a periphery tied to the whole core from a core.)

>>> A = np.zeros((6, 6)); A[:3, :] = A[:, :3] = 1; np.fill_diagonal(A, 0)
>>> be = BorgattiEverett(cp_density=1.0).fit(A)
>>> be.labels_.tolist(), round(be.correlation_, 6)
([0, 0, 0, 1, 1, 1], 1.0)
>>> bool(be.coreness_[:3].min() > be.coreness_[3:].max())
True
>>> round(float(be.coreness_ @ be.coreness_), 6)
1.0
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import eigh

CORE, PERIPHERY = 0, 1


def _check(A) -> np.ndarray:
    """A square, symmetric, finite, non-negative matrix as float, its diagonal set to zero."""
    A = np.array(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 4:
        raise ValueError(f"need a square matrix of at least 4 nodes, got shape {A.shape}")
    if not np.isfinite(A).all() or (A < 0).any():
        raise ValueError("the matrix must be finite and non-negative")
    if not np.allclose(A, A.T):
        raise ValueError("the matrix must be symmetric (undirected ties)")
    np.fill_diagonal(A, 0)
    return A


def minres_coreness(A: np.ndarray, max_iter: int = 10_000, tol: float = 1e-10) -> np.ndarray:
    """Continuous coreness ``c`` minimising ``sum_{i != j} (A_ij - c_i c_j)^2`` (unscaled).

    Parameters
    ----------
    A : numpy.ndarray
        Symmetric non-negative weights; the diagonal is ignored.
    max_iter : int
    tol : float
        Relative change of ``c`` at which the iteration stops.

    Examples
    --------
    A rank-one pattern off the diagonal is recovered exactly:

    >>> c = np.array([3.0, 2.0, 1.0, 1.0])
    >>> minres_coreness(np.outer(c, c)).round(6).tolist()
    [3.0, 2.0, 1.0, 1.0]
    """
    A = _check(A)
    n = len(A)
    c = np.zeros(n)
    for _ in range(max_iter):
        np.fill_diagonal(A, c ** 2)
        mu, v = eigh(A, subset_by_index=[n - 1, n - 1])  # the leading pair only
        new = np.sqrt(max(mu[0], 0.0)) * np.abs(v[:, 0])
        if np.linalg.norm(new - c) <= tol * np.linalg.norm(new):
            return new
        c = new
    raise RuntimeError(f"MINRES coreness did not converge in {max_iter} iterations")


def _pearson(n, sx, sxx, sy, syy, sxy):
    """Pearson correlation from sums (arrays broadcast); NaN where a side has no variance."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return (n * sxy - sx * sy) / np.sqrt((n * sxx - sx ** 2) * (n * syy - sy ** 2))


class _CoreScore:
    """Correlations of a core/periphery split and of all its one-move neighbours, from block
    sums over pairs ``i < j`` kept up to date as countries move."""

    def __init__(self, A: np.ndarray, cp_density: float | None):
        self.A, self.A2 = A, A ** 2
        self.r, self.r2 = A.sum(1), self.A2.sum(1)
        n = len(A)
        self.pairs, self.total, self.total2 = n * (n - 1) / 2, self.r.sum() / 2, self.r2.sum() / 2
        self.d = cp_density
        self.core = np.zeros(n, dtype=bool)
        self.u, self.u2 = np.zeros(n), np.zeros(n)  # weight (squared) to the current core

    def _score(self, k, s_cc, q_cc, zr, zr2):
        n_cc, n_cp = k * (k - 1) / 2, k * (len(self.A) - k)
        s_cp, q_cp = zr - 2 * s_cc, zr2 - 2 * q_cc
        if self.d is None:  # core-periphery pairs ignored
            n_pp = self.pairs - n_cc - n_cp
            s_pp, q_pp = self.total - s_cc - s_cp, self.total2 - q_cc - q_cp
            return _pearson(n_cc + n_pp, s_cc + s_pp, q_cc + q_pp, n_cc, n_cc, s_cc)
        d = self.d
        return _pearson(self.pairs, self.total, self.total2, n_cc + d * n_cp,
                        n_cc + d * d * n_cp, s_cc + d * s_cp)

    def current(self) -> float:
        z = self.core
        return float(self._score(z.sum(), z @ self.u / 2, z @ self.u2 / 2, z @ self.r,
                                 z @ self.r2))

    def moves(self) -> np.ndarray:
        """Correlation after moving each country to the other side (NaN: undefined)."""
        z = self.core
        sign = np.where(z, -1.0, 1.0)
        return self._score(z.sum() + sign, (z @ self.u + 2 * sign * self.u) / 2,
                           (z @ self.u2 + 2 * sign * self.u2) / 2,
                           z @ self.r + sign * self.r, z @ self.r2 + sign * self.r2)

    def move(self, v: int) -> None:
        sign = -1.0 if self.core[v] else 1.0
        self.core[v] = not self.core[v]
        self.u += sign * self.A[:, v]
        self.u2 += sign * self.A2[:, v]


class BorgattiEverett:
    """Borgatti-Everett continuous coreness and discrete core, UCINET's definitions.

    Parameters
    ----------
    cp_density : float or None
        Ideal value of core-periphery pairs in the discrete fit; None ignores them (UCINET's
        default), 1.0 gives the pattern "1 if either end is in the core".
    max_iter, tol
        Of the MINRES iteration (:func:`minres_coreness`).

    Attributes
    ----------
    coreness_ : numpy.ndarray
        Continuous coreness, unit length.
    coreness_correlation_ : float
        Correlation of the off-diagonal ``A_ij`` with ``coreness_i * coreness_j``.
    labels_ : numpy.ndarray
        0 = core, 1 = periphery, from the discrete fit.
    correlation_ : float
        Correlation of ``A`` with the ideal pattern of ``labels_`` (the discrete fit).

    Examples
    --------
    A clique with no ties outside, and one weak periphery tie. Ignoring core-periphery pairs
    (UCINET) finds the clique; expecting ties there (``cp_density=1``) the pattern fits badly
    and a smaller core does best.

    >>> A = np.zeros((6, 6)); A[:3, :3] = 5; A[4, 5] = A[5, 4] = 1; np.fill_diagonal(A, 0)
    >>> ucinet, either_end = BorgattiEverett().fit(A), BorgattiEverett(1.0).fit(A)
    >>> ucinet.labels_.tolist(), round(ucinet.correlation_, 3)
    ([0, 0, 0, 1, 1, 1], 0.99)
    >>> either_end.labels_.tolist(), round(either_end.correlation_, 3)
    ([0, 1, 0, 1, 1, 1], 0.371)
    """

    def __init__(self, cp_density: float | None = None, max_iter: int = 10_000,
                 tol: float = 1e-10):
        self.cp_density = cp_density
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, A) -> BorgattiEverett:
        """Fit both models to a symmetric weighted matrix (diagonal ignored)."""
        A = _check(A)
        c = minres_coreness(A, self.max_iter, self.tol)
        upper = np.triu_indices(len(A), 1)
        self.coreness_ = c / np.linalg.norm(c)
        self.coreness_correlation_ = float(np.corrcoef(A[upper], np.outer(c, c)[upper])[0, 1])
        score = _CoreScore(A, self.cp_density)
        self._best_prefix(score, np.argsort(-c, kind="stable"))
        self.correlation_ = self._kernighan_lin(score)
        self.labels_ = np.where(score.core, CORE, PERIPHERY)
        return self

    @staticmethod
    def _best_prefix(score: _CoreScore, order: np.ndarray) -> None:
        """Set ``score`` to the best core among the top m of ``order``, m = 1 .. n-1."""
        fits = []
        for v in order[:-1]:
            fits.append(score.moves()[v])
            score.move(v)
        if np.isnan(fits).all():
            raise ValueError("no core/periphery split has a defined correlation (constant ties?)")
        fits = np.nan_to_num(fits, nan=-np.inf)
        best = int(np.flatnonzero(fits >= fits.max() - 1e-12)[-1]) + 1  # largest best core
        for v in order[best:]:  # back to the best prefix
            score.move(v)

    @staticmethod
    def _kernighan_lin(score: _CoreScore) -> float:
        """Kernighan-Lin passes from the split in ``score``; returns the final fit."""
        best = score.current()
        n = len(score.core)
        while True:
            locked = np.zeros(n, dtype=bool)
            trail, fits = [], []
            for _ in range(n):
                gains = np.where(locked, np.nan, score.moves())
                if np.isnan(gains).all():
                    break
                v = int(np.nanargmax(gains))
                trail.append(v)
                fits.append(gains[v])
                locked[v] = True
                score.move(v)
            keep = int(np.nanargmax(fits)) + 1 if fits and np.nanmax(fits) > best + 1e-12 else 0
            for v in reversed(trail[keep:]):
                score.move(v)
            if not keep:
                return best
            best = float(fits[keep - 1])
