r"""Regional communities among the non-centres, found on half the pairs and tested on the other.

Schott (1993) saw world science organised beyond centrality in horizontal regions: blocs of
countries tied among themselves more than their sizes predict. A search for such blocs always
finds some, on noise too, so :class:`Regions` never tests a bloc on the pairs that found it
(sample splitting; Cox 1975, and for networks Chen & Lei 2018's network cross-validation):

1. the pairs among the non-centres are split at random into two halves (``n_splits`` times);
2. on the *search* half, blocs are found by maximising the modularity beyond size of the
   search pairs, :math:`Q = \sum_{i<j,\,g_i = g_j} w_{ij}(a_{ij} - 1)` (affinities weighted by
   their inverse noise variance, :class:`bibnet.hypotheses.noise.PairNoise`, so the largest pairs
   do not drown the rest), among the ``search_countries`` strongest non-centres (spectral
   starts refined by node moves, :func:`search_blocs`); each other country then joins the bloc
   it gains most from on the same pairs (its few, noisy pairs would otherwise pull blocs
   apart: on planted regional worlds the blocs' adjusted Rand index with the truth was 0.05-0.14
   searched among all countries, 0.3-0.7 among the 60 strongest);
3. on the *test* half, the blocs' held-out assortativity
   :math:`\rho = \bar a_{\text{within}} / \bar a_{\text{between}}`, each the weighted mean
   affinity :math:`\sum w a / \sum w` of the test pairs inside one bloc, respectively between
   blocs, is
   compared with that of the same blocs with their labels permuted (``replicates`` times): the
   labels came from other pairs, so without regions the test pairs do not know them;
4. the splits' p-values are aggregated as :math:`\min(1, 2\,\mathrm{median}_s\, p_s)`, valid
   whatever their dependence (Meinshausen, Meier & Bühlmann 2009), and :math:`\rho` is the
   median over splits, with a 95 % BCa interval from resampling the non-centres
   (:mod:`bibnet.hypotheses.intervals`; the blocs held fixed).

Beside it, a search-free check: the same :math:`\rho` for fixed continents
(:func:`bibnet.countries.continents`) on all pairs among the non-centres, with its permutation
p-value and interval.

Examples
--------
>>> import numpy as np
>>> from bibnet.hypotheses.network import Network
>>> rng = np.random.default_rng(5)
>>> n = 90; size = rng.lognormal(0, 1, n); bloc = np.arange(n) % 3
>>> rate = np.where(bloc[:, None] == bloc[None, :], 2.0, 1.0)
>>> mean = np.outer(size, size) * rate * 4; np.fill_diagonal(mean, 0)
>>> A = np.triu(rng.poisson(mean), 1); A = A + A.T
>>> net = Network.from_counts(A, [f"C{i:02d}" for i in range(n)])
>>> regions = Regions(replicates=200, bootstrap=200, random_state=0).fit(net, exclude=[])
>>> regions.p_value_ < 0.01, bool(regions.low_ > 1.3)
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numba import njit
from scipy.cluster.vq import kmeans2
from scipy.linalg import eigh

from bibnet.hypotheses.intervals import country_interval
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.noise import PairNoise, fit_noise
from bibnet.hypotheses.pairs import onehot, quadratic_sums

#: Most blocs a search may use.
MAX_BLOCS = 8
#: Most sweeps of node moves in one start (searches on the real networks stop within 15).
MAX_SWEEPS = 100


def held_out_ratio(counts: np.ndarray, expected: np.ndarray, pairs: np.ndarray,
                   labels: np.ndarray) -> float:
    """:math:`\\rho`: affinity of the ``pairs`` (boolean matrix) within blocs over between.

    >>> A = np.array([[0, 4, 1], [4, 0, 1], [1, 1, 0]], float); E = np.full((3, 3), 2.0)
    >>> held_out_ratio(A, E, ~np.eye(3, dtype=bool), np.array([0, 0, 1]))
    4.0
    """
    same = labels[:, None] == labels[None, :]
    within = pairs & same
    between = pairs & ~same
    expected_within, expected_between = expected[within].sum(), expected[between].sum()
    if expected_within <= 0 or expected_between <= 0:
        return float("nan")
    return float((counts[within].sum() / expected_within)
                 / (counts[between].sum() / expected_between))


def _ratio_parts(counts, expected, pairs, labels) -> np.ndarray:
    """Works and exposure of the ``pairs`` within and between blocs, as four matrices whose
    quadratic forms in the countries' multiplicities give a resample's sums."""
    same = labels[:, None] == labels[None, :]
    return np.stack([np.where(pairs & same, counts, 0.0), np.where(pairs & same, expected, 0.0),
                     np.where(pairs & ~same, counts, 0.0),
                     np.where(pairs & ~same, expected, 0.0)])


def _resampled_ratio(parts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """:math:`\\rho` of each split (leading axis of ``parts``) on each resample (rows of
    ``weights``, the countries' multiplicities): shape (splits, resamples)."""
    n = weights.shape[-1]
    # Single precision: the quadratic forms of a thousand resamples are most of the year's
    # time, and their ratios move by about 1e-6.
    stacked = parts.reshape(-1, n, n).astype(np.float32, copy=False)
    half = stacked @ weights.T.astype(np.float32)
    sums = np.einsum("qib,bi->qb", half, weights).reshape(len(parts), 4, len(weights))
    with np.errstate(divide="ignore", invalid="ignore"):
        return (sums[:, 0] / sums[:, 1]) / (sums[:, 2] / sums[:, 3])


def _permutation_p(counts, expected, pairs, labels, replicates, rng) -> tuple[float, float]:
    """Observed ratio and its permutation p-value (labels permuted, bloc sizes kept)."""
    observed = held_out_ratio(counts, expected, pairs, labels)
    blocs = np.unique(labels)
    works, exposure = np.where(pairs, counts, 0.0), np.where(pairs, expected, 0.0)
    total_works, total_exposure = works.sum(), exposure.sum()
    permuted = np.stack([rng.permutation(labels) for _ in range(replicates)])
    memberships = onehot(np.searchsorted(blocs, permuted), len(blocs))
    within_works = quadratic_sums(works, memberships).sum(axis=-1)
    within_exposure = quadratic_sums(exposure, memberships).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        null = ((within_works / within_exposure)
                / ((total_works - within_works) / (total_exposure - within_exposure)))
    exceed = np.nan_to_num(null, nan=-np.inf) >= observed
    return observed, float((1 + exceed.sum()) / (replicates + 1))


@njit(cache=True, nogil=True)
def _node_moves(residuals, labels, orders, n_labels):
    """Move nodes, in each sweep's order, to the bloc they gain most from until none moves."""
    n = residuals.shape[0]
    for sweep in range(orders.shape[0]):
        moved = False
        for step in range(n):
            node = orders[sweep, step]
            gains = np.zeros(n_labels)
            sizes = np.zeros(n_labels, np.int64)
            for other in range(n):
                gains[labels[other]] += residuals[node, other]
                sizes[labels[other]] += 1
            current = labels[node]
            sizes[current] -= 1
            best, best_gain = current, gains[current]
            for bloc in range(n_labels):
                # joining an empty bloc (a bloc of one) gains nothing
                gain = gains[bloc] if sizes[bloc] > 0 else 0.0
                if gain > best_gain + 1e-12:
                    best, best_gain = bloc, gain
            if best != current:
                labels[node] = best
                moved = True
        if not moved:
            break
    return labels


def search_blocs(residuals: np.ndarray, n_starts: int, rng: np.random.Generator) -> np.ndarray:
    """Blocs maximising :math:`Q = \\sum_{i<j, same} r_{ij}`: spectral starts (k-means on the
    leading eigenvectors of ``r``, for 2 to :data:`MAX_BLOCS` blocs, ``n_starts`` seeds each;
    Newman 2006) refined by node moves (a node joins the bloc it gains most from, or a new
    one), the best found kept; labels 0, 1, ... in order of first appearance.

    >>> r = -np.ones((4, 4)); r[0, 1] = r[1, 0] = r[2, 3] = r[3, 2] = 5.0
    >>> search_blocs(r, 3, np.random.default_rng(0)).tolist()
    [0, 0, 1, 1]
    """
    n = len(residuals)
    residuals = np.ascontiguousarray(residuals - np.diag(np.diag(residuals)), dtype=float)
    n_labels = min(MAX_BLOCS, n)
    _, vectors = eigh(residuals, subset_by_index=[n - n_labels, n - 1])
    best, best_score = None, -np.inf
    for n_blocs in range(2, n_labels + 1):
        leading = vectors[:, -n_blocs:]
        for _ in range(n_starts):
            _, labels = kmeans2(leading, n_blocs, minit="++", seed=rng)
            orders = np.argsort(rng.random((MAX_SWEEPS, n)), axis=1)
            labels = _node_moves(residuals, labels.astype(np.int64), orders, n_labels)
            onehot_labels = labels[:, None] == np.arange(n_labels)
            score = float((onehot_labels * (residuals @ onehot_labels)).sum()) / 2
            if score > best_score:
                best, best_score = labels.copy(), score
    _, first, inverse = np.unique(best, return_index=True, return_inverse=True)
    return np.argsort(np.argsort(first))[inverse]


class Regions:
    """Regional communities among the non-centres, as in the module docstring.

    Parameters
    ----------
    n_splits : int, default 5
        Random halvings of the pairs.
    n_starts : int, default 5
        k-means seeds of each search, for every number of blocs.
    search_countries : int, default 80
        The strongest countries the blocs are searched among; each other country then joins
        the bloc it is tied to most on the search pairs (module docstring).
    replicates : int, default 1000
        Label permutations of each test.
    bootstrap : int, default 999
        Country resamples of the intervals.
    random_state : int, optional

    Attributes
    ----------
    countries_ : tuple of str
        The non-centres read.
    blocs_ : list of numpy.ndarray
        Each split's blocs (labels over ``countries_``).
    ratio_, low_, high_ : float
        :math:`\\rho` (median over splits) and its interval.
    p_value_ : float
        The aggregated p-value.
    continents_ : dict
        ``ratio``, ``low``, ``high``, ``p_value`` of the fixed continents.
    """

    def __init__(self, n_splits: int = 5, n_starts: int = 5, search_countries: int = 80,
                 replicates: int = 1000, bootstrap: int = 999,
                 random_state: int | None = None):
        self.n_splits = n_splits
        self.n_starts = n_starts
        self.search_countries = search_countries
        self.replicates = replicates
        self.bootstrap = bootstrap
        self.random_state = random_state

    def fit(self, network: Network, exclude: Sequence[int],
            noise: tuple[np.ndarray, PairNoise] | None = None,
            continents: Mapping[str, str] | None = None) -> "Regions":
        """Find and test regions among the countries of ``network`` not in ``exclude`` (the
        centres' indices). ``noise`` is the gravity null fitted with the pair noise and that
        noise (:func:`bibnet.hypotheses.noise.fit_noise`; fitted here on the pairs among those
        countries where not given); ``continents`` maps codes to continents for the
        search-free check (countries it lacks form a group of their own)."""
        rng = np.random.default_rng(self.random_state)
        keep = np.setdiff1d(np.arange(len(network.codes)), np.asarray(exclude, dtype=int))
        if noise is None:
            pool = np.zeros(network.counts.shape, dtype=bool)
            pool[np.ix_(keep, keep)] = True
            noise = fit_noise(network.counts, pool, start=network.expected)
        expected, pair_noise = noise
        E = expected[np.ix_(keep, keep)]
        # Affinities as inverse-variance weighted means: "works" w*a and "exposure" w, so every
        # ratio of sums below is a weighted mean affinity (bibnet.hypotheses.noise).
        exposure = pair_noise.weights(E)
        A = exposure * np.divide(network.counts[np.ix_(keep, keep)], E,
                                 out=np.zeros_like(E), where=E > 0)
        E = exposure
        n = len(keep)
        residuals = A - E
        upper = np.triu(np.ones((n, n), dtype=bool), 1)
        strong = np.argsort(-network.strength[keep], kind="stable")[:self.search_countries]
        tests, self.blocs_, ratios, p_values = [], [], [], []
        for _ in range(self.n_splits):
            half = np.triu(rng.random((n, n)) < 0.5, 1) & upper
            search = half | half.T
            test = (upper & ~half) | (upper & ~half).T
            labels = self._search(np.where(search, residuals, 0.0), strong, rng)
            ratio, p_value = _permutation_p(A, E, test, labels, self.replicates, rng)
            tests.append(test)
            self.blocs_.append(labels)
            ratios.append(ratio)
            p_values.append(p_value)
        self.countries_ = tuple(network.codes[i] for i in keep)
        self.split_ratios_, self.split_p_values_ = ratios, p_values
        self.ratio_ = float(np.median(ratios))
        self.p_value_ = float(min(1.0, 2 * np.median(p_values)))

        parts = np.stack([_ratio_parts(A, E, test, labels)
                          for test, labels in zip(tests, self.blocs_)]).astype(np.float32)
        self.low_, self.high_ = map(float, country_interval(
            lambda weights: np.median(_resampled_ratio(parts, weights), axis=0), n,
            self.bootstrap, rng))
        self.continents_ = self._continents(A, E, continents or {}, rng)
        return self

    def _search(self, residuals: np.ndarray, strong: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
        """Blocs of the strongest countries by :func:`search_blocs`; every other country joins
        the bloc it gains most from, on the same pairs."""
        labels = np.empty(len(residuals), dtype=np.int64)
        labels[strong] = search_blocs(residuals[np.ix_(strong, strong)], self.n_starts, rng)
        rest = np.setdiff1d(np.arange(len(residuals)), strong)
        gains = residuals[np.ix_(rest, strong)] @ (labels[strong][:, None]
                                                   == np.arange(labels[strong].max() + 1))
        labels[rest] = gains.argmax(axis=1)
        return labels

    def _continents(self, A, E, continents, rng) -> dict:
        names = [continents.get(code, f"none:{code}") for code in self.countries_]
        _, labels = np.unique(names, return_inverse=True)
        pairs = ~np.eye(len(A), dtype=bool)
        ratio, p_value = _permutation_p(A, E, pairs, labels, self.replicates, rng)
        parts = _ratio_parts(A, E, pairs, labels)[None]
        low, high = country_interval(lambda weights: _resampled_ratio(parts, weights)[0],
                                     len(A), self.bootstrap, rng)
        return {"ratio": ratio, "low": float(low), "high": float(high), "p_value": p_value}
