r"""The pair-level noise of the counts: its variance function, weights and null draws.

The counts are heavily overdispersed: against the gravity null Pearson :math:`X^2/\mathrm{df}`
runs from 15 (1995) to 134 (2023). Most of that is structure (regions, spheres, language),
which the tests must not count as noise, or no structure could ever be found; the rest is each
pair's own effect (a bilateral programme, a consortium), which the tests must count as noise,
or every pair effect would look like structure. :class:`PairNoise` reads the noise off the
residuals, against the gravity null, of the pairs a test does not read (the pairs among
non-centres when the centres' ties are tested). Where those pairs hold structure of their own
(regions), it counts as noise: the tests are then conservative, never the reverse.

Variance function
    :math:`V(\mu) = \mu + \phi\,\mu^p`: Poisson plus a pair effect whose variance grows like
    :math:`\mu^p` (:math:`p = 2` for a multiplicative effect of fixed spread; 1.3-2 on the real
    years and the planted worlds). :math:`\phi` and :math:`p` come from a weighted regression of
    the log of the excess squared residual, :math:`(A - \hat\mu)^2 - \hat\mu` averaged in
    ``bins`` groups of pairs of similar fitted mean, on the log fitted mean (the binned method
    of Davidian & Carroll 1987). The fitted form extrapolates to pairs larger than any in the
    pool, as the centres' pairs are.
Weights
    A pair's affinity :math:`a_{ij} = A_{ij}/E_{ij}` has variance :math:`V(E_{ij})/E_{ij}^2`
    under this noise, so a group of pairs' affinity is read as the inverse-variance weighted
    mean, :math:`\bar a = \sum w_{ij} a_{ij} / \sum w_{ij}` with
    :math:`w_{ij} = E_{ij}^2/V(E_{ij})` (:meth:`PairNoise.weights`). Unlike the ratio of sums
    (weights :math:`E_{ij}`) it is not carried by the few largest pairs, whose noise grows
    faster than their size; unlike a mean of log affinities it has no bias that differs between
    small and large pairs.
Null draws
    A null count of expected size :math:`x` within the pool's range is :math:`x\,r/\bar r`,
    with :math:`r = A/\hat\mu` the ratio of a pair drawn from the ``window`` pool pairs of
    nearest fitted size (their spread, shape, discreteness and skew as they are) and
    :math:`\bar r` the window's mean ratio; beyond the pool's largest pair it is
    :math:`\max(0, x + (z - \bar z)\sqrt{V(x)})` with :math:`z` a standardised residual
    :math:`(A - \hat\mu)/\sqrt{V(\hat\mu)}` of the largest pairs and :math:`\bar z` their
    mean: the variance function carries the spread to sizes no pool pair has (a fixed ratio
    would keep the larger spread of smaller pairs). Centred on its window, a draw has mean
    :math:`x`: a misfit of the null at some size is not noise.

Why not the residuals of a richer model: a block model's search fits noise as well as
structure, most of all in the largest pairs. On planted worlds of size alone (lognormal pair
effects, ``sigma`` 0.8) the residual log-sd of pairs of expected size above 1000 is 0.21 around
a 10-block degree-corrected SBM against 0.25-0.26 around the gravity null and around the true
means; tests with the block model's noise found spheres in such worlds far more often than
their level.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> theta = rng.lognormal(2, 1, 80)
>>> mean = np.outer(theta, theta) * rng.gamma(4, 1 / 4, (80, 80)); np.fill_diagonal(mean, 0)
>>> A = np.triu(rng.poisson(np.triu(mean, 1)), 1); A = A + A.T
>>> from bibnet.graphs.gravity import gravity_expected
>>> noise = PairNoise().fit(A, gravity_expected(A), np.ones(A.shape, bool))
>>> bool(1.8 < noise.power_ < 2.2), bool(0.1 < noise.phi_ < 0.5)
(True, True)
>>> draws = noise.draw(np.full(20000, 400.0), np.random.default_rng(1))
>>> bool(380 < draws.mean() < 420), bool(150 < draws.std() < 260)
(True, True)
"""

from __future__ import annotations

import numpy as np

from bibnet.graphs.gravity import quasi_gravity_expected

#: Pairs with a fitted mean below this carry no usable residual (their counts are mostly 0).
MIN_FITTED = 1.0
#: Groups of pairs of similar fitted mean the variance function is fitted on.
BINS = 20
#: Rounds of fitting the variance function and refitting the gravity null with it.
ROUNDS = 3


def fit_noise(counts: np.ndarray, pairs: np.ndarray, start: np.ndarray
              ) -> tuple[np.ndarray, "PairNoise"]:
    """The gravity null fitted by quasi-likelihood with the counts' own variance function, and
    that noise (fitted on ``pairs``): from the Poisson fit ``start``, ``ROUNDS`` times the
    variance function is fitted to the residuals and the null refitted with it
    (:func:`bibnet.graphs.gravity.quasi_gravity_expected`). Every weighted affinity the tests
    read is then 1 on average for each country under the null, as a ratio of sums is under
    the Poisson fit; read against the Poisson fit instead, the weighted affinities of worlds
    of size alone with pair effects of variance power 2 showed regions in most of them.

    Returns the expected counts and the noise around them.
    """
    expected = start
    for _ in range(ROUNDS):
        noise = PairNoise().fit(counts, expected, pairs)
        expected = quasi_gravity_expected(counts, noise.variance, start=expected)
    return expected, PairNoise().fit(counts, expected, pairs)


class PairNoise:
    """Empirical noise of pair counts around their expected counts.

    Parameters
    ----------
    window : int, default 200
        Pairs of nearest fitted size a null draw takes its standardised residual from.

    Attributes
    ----------
    phi_, power_ : float
        The variance function :math:`V(\\mu) = \\mu + \\phi \\mu^p`.
    log_fitted_ : numpy.ndarray
        Log fitted means of the pool's pairs, sorted.
    residuals_ : numpy.ndarray
        Their standardised residuals, in the same order.
    ratios_ : numpy.ndarray
        Their ratios of observed to fitted counts, in the same order.
    ratio_means_, residual_means_ : numpy.ndarray
        The mean ratio and mean standardised residual of each window of ``window`` pairs, by
        its first pair: the centres of the draws.
    """

    def __init__(self, window: int = 200):
        self.window = window

    def fit(self, counts: np.ndarray, fitted: np.ndarray, pairs: np.ndarray) -> "PairNoise":
        """Fit the noise to the residuals of ``counts`` around ``fitted`` (the gravity null's
        expected counts) among ``pairs`` (a boolean matrix; only its upper triangle is read).

        Raises
        ------
        ValueError
            Where fewer than ``window`` of those pairs have a fitted mean of at least 1.
        """
        counts = np.asarray(counts, dtype=float)
        upper = np.triu(np.asarray(pairs, dtype=bool), 1) & (fitted >= MIN_FITTED)
        if upper.sum() < self.window:
            raise ValueError(
                f"only {int(upper.sum())} pairs have a fitted mean of at least {MIN_FITTED}, "
                f"fewer than the {self.window} the noise model needs (the pairs of the countries "
                "outside the centres): the network is too small or too sparse for the tests. "
                "Fix: select more countries (countries: all, or a list of at least about 30), "
                "or lower graphs.min_works / graphs.min_edge")
        mu, y = fitted[upper], counts[upper]
        order = np.argsort(mu, kind="stable")
        mu, y = mu[order], y[order]
        self.phi_, self.power_ = _variance_function(y, mu)
        self.log_fitted_ = np.log(mu)
        self.residuals_ = (y - mu) / np.sqrt(self.variance(mu))
        self.ratios_ = y / mu
        # Each window's mean ratio and mean residual, by the window's first pair: a draw is
        # centred on its window's mean so that it has the expected count as its mean. Where
        # the null misfits pairs of some size (on the real networks the largest non-centre
        # pairs lie above the quasi-likelihood null: their mean ratio 1.3-1.5, mean residual
        # 0.33-0.38), that misfit is not noise, and uncentred it lifted every draw of a
        # large pair by as much.
        self.ratio_means_ = _window_means(self.ratios_, self.window)
        self.residual_means_ = _window_means(self.residuals_, self.window)
        return self

    def variance(self, mu: np.ndarray) -> np.ndarray:
        """:math:`V(\\mu) = \\mu + \\phi\\mu^p`."""
        mu = np.asarray(mu, dtype=float)
        return mu + self.phi_ * np.power(mu, self.power_)

    def weights(self, expected: np.ndarray) -> np.ndarray:
        """Inverse variance of each pair's affinity, :math:`E^2/V(E)` (0 where nothing is
        expected)."""
        expected = np.asarray(expected, dtype=float)
        positive = expected > 0
        safe = np.where(positive, expected, 1.0)
        return np.where(positive, safe ** 2 / self.variance(safe), 0.0)

    def draw(self, expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Null counts around ``expected`` (any shape), as in the module docstring."""
        expected = np.asarray(expected, dtype=float)
        position = np.searchsorted(self.log_fitted_, np.log(np.maximum(expected, 1e-300)))
        start = np.clip(position - self.window // 2, 0, len(self.residuals_) - self.window)
        picks = start + rng.integers(0, self.window, size=expected.shape)
        within = expected * self.ratios_[picks] / self.ratio_means_[start]
        beyond = np.maximum(expected + (self.residuals_[picks] - self.residual_means_[start])
                            * np.sqrt(self.variance(expected)), 0.0)
        return np.where(position < len(self.ratios_), within, beyond)


def _window_means(values: np.ndarray, window: int) -> np.ndarray:
    """The mean of ``values[s:s + window]`` for every start ``s``."""
    sums = np.concatenate([[0.0], np.cumsum(values)])
    return (sums[window:] - sums[:-window]) / window


def _variance_function(y: np.ndarray, mu: np.ndarray) -> tuple[float, float]:
    """:math:`\\phi, p` of :math:`V = \\mu + \\phi\\mu^p` from counts ``y`` around means ``mu``
    sorted by ``mu`` (module docstring); Poisson (:math:`\\phi = 0`) where no group of pairs
    varies more than Poisson."""
    groups = np.array_split(np.arange(len(mu)), min(BINS, len(mu) // 2))
    centre = np.array([mu[g].mean() for g in groups])
    excess = np.array([((y[g] - mu[g]) ** 2).mean() - mu[g].mean() for g in groups])
    sizes = np.array([len(g) for g in groups], dtype=float)
    usable = excess > 0
    if usable.sum() < 2:
        return 0.0, 2.0
    slope, intercept = np.polyfit(np.log(centre[usable]), np.log(excess[usable]), 1,
                                  w=np.sqrt(sizes[usable]))
    return float(np.exp(intercept)), float(slope)
