r"""The pair-level noise of the counts: what a null draw of a table of pair counts varies by.

The counts are heavily overdispersed: against the gravity null Pearson :math:`X^2/\mathrm{df}`
runs from 15 (1995) to 134 (2023). Most of that is structure (regions, spheres, language),
which the tests must not count as noise, or no structure could ever be found; the rest is each
pair's own effect (a bilateral programme, a consortium), which the tests must count as noise,
or every pair effect would look like structure. :class:`PairNoise` separates the two the usual
way: it fits a rich structure model, the degree-corrected stochastic block model with
``n_blocks`` blocks (Karrer & Newman 2011; :class:`bibnet.blockmodels.SBM`), and keeps the
ratios of observed to fitted counts, :math:`r_{ij} = (A_{ij} + 1/2)/(\hat\mu_{ij} + 1/2)`, of the
pairs a test does not read (e.g. the pairs among non-centres when the centres' ties are
tested). A null count of expected size :math:`x` is :math:`x\,r` with :math:`r` drawn from the
``window`` pairs whose fitted means are nearest to :math:`x` on the log scale: the residuals'
spread falls with the pair's size (a variance function :math:`V(\mu) \propto \mu^p` with
:math:`p` 1.5-2.1 on the real years), and the draw keeps that without assuming its form,
Poisson noise included. Where ``x`` lies beyond the largest fitted mean, the largest pairs'
ratios are used: their spread is the smallest there is, so a test there errs toward finding
noise where there is structure only if the spread rises again with size, which it does not.

A block model with more blocks takes more structure out of the residuals and some noise with
it (its search fits the noise it can): on the real 2015 network the residual log-sd of the
pairs between non-centres with fitted mean above 20 is 0.84 against the gravity null, 0.73,
0.66 and 0.60 with 5, 10 and 20 blocks; on a planted world of size alone with the same pairs
it stays at 1.21-1.22 for every number of blocks. ``n_blocks = 10`` is the default: a test
calibrated on worlds of size alone keeps its level (``tests/spheres``), and the real years'
residual spread has mostly levelled off by then.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> theta = rng.lognormal(2, 1, 60)
>>> mean = np.outer(theta, theta); np.fill_diagonal(mean, 0)
>>> A = rng.poisson(np.triu(mean, 1)); A = A + A.T
>>> noise = PairNoise(n_blocks=2, random_state=0).fit(A, np.ones(A.shape, bool))
>>> draws = noise.draw(np.full(5000, 40.0), np.random.default_rng(1))
>>> bool(35 < draws.mean() < 45), bool(4 < draws.std() < 9)
(True, True)
"""

from __future__ import annotations

import numpy as np

from bibnet.blockmodels.estimators import SBM

#: Pairs with a fitted mean below this carry no usable ratio (their counts are mostly 0 or 1).
MIN_FITTED = 1.0


class PairNoise:
    """Empirical noise of pair counts around a degree-corrected block model, by pair size.

    Parameters
    ----------
    n_blocks : int, default 10
        Blocks of the structure model whose residuals are the noise.
    window : int, default 200
        Pairs of nearest fitted size a draw is taken from.
    n_starts : int, default 3
        Starts of the block model's search.
    random_state : int or numpy.random.Generator, optional
        Seeds the block model's search.

    Attributes
    ----------
    log_fitted_ : numpy.ndarray
        Log fitted means of the kept pairs, sorted.
    ratios_ : numpy.ndarray
        Their ratios of observed to fitted counts, in the same order.
    """

    def __init__(self, n_blocks: int = 10, window: int = 200, n_starts: int = 3,
                 random_state=None):
        self.n_blocks = n_blocks
        self.window = window
        self.n_starts = n_starts
        self.random_state = random_state

    def fit(self, counts: np.ndarray, pairs: np.ndarray) -> "PairNoise":
        """Fit the block model to ``counts`` and keep the residual ratios of ``pairs`` (a
        boolean matrix; only its upper triangle is read).

        Raises
        ------
        ValueError
            Where fewer than ``window`` of those pairs have a fitted mean of at least 1.
        """
        counts = np.asarray(counts, dtype=float)
        n_blocks = min(self.n_blocks, len(counts) - 1)
        fitted = SBM(n_blocks=n_blocks, n_starts=self.n_starts,
                     random_state=self.random_state).fit(counts).expected_counts()
        upper = np.triu(np.asarray(pairs, dtype=bool), 1) & (fitted >= MIN_FITTED)
        if upper.sum() < self.window:
            raise ValueError(
                f"only {int(upper.sum())} pairs have a fitted mean of at least {MIN_FITTED}, "
                f"fewer than the {self.window} a noise draw needs: the network is too small "
                "or too sparse for the tests (fewer countries, years or a coarser selection?)")
        log_fitted = np.log(fitted[upper])
        order = np.argsort(log_fitted, kind="stable")
        self.log_fitted_ = log_fitted[order]
        self.ratios_ = ((counts[upper] + 0.5) / (fitted[upper] + 0.5))[order]
        return self

    def draw(self, expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Null counts around ``expected`` (any shape): each value times a residual ratio drawn
        from the ``window`` pairs of nearest fitted size."""
        expected = np.asarray(expected, dtype=float)
        position = np.searchsorted(self.log_fitted_, np.log(np.maximum(expected, 1e-300)))
        start = np.clip(position - self.window // 2, 0, len(self.ratios_) - self.window)
        picks = start + rng.integers(0, self.window, size=expected.shape)
        return expected * self.ratios_[picks]
