r"""Centres and their spheres: does each of the largest systems hold partners of its own?

Wagner & Leydesdorff (2005) describe several centres "that collaborate among and compete with
one another for partners from smaller national systems". :class:`Spheres` puts that in terms
the counts can answer beyond size (``docs/method.md`` states every rule with its references).

Centres
    The ``n_centres`` countries of largest strength (works with all partners): a statement of
    size, the top class of collaboration volume, named so. The study reports how the answer
    moves with ``n_centres`` from 3 to 8 (:func:`bibnet.spheres.study`).

Preferences
    For each non-centre country ``i`` with at least ``min_links`` pair-links to the centres,
    its table row :math:`N_{ic}` (works with each centre ``c``) against independence,
    :math:`X_{ic} = N_{i\cdot} N_{\cdot c} / N_{\cdot\cdot}` (the country spreading its centre
    ties as the pooled periphery does): the preference
    :math:`\ell_{ic} = \log\frac{N_{ic} + 1/2}{X_{ic} + 1/2}`, beyond the country's size and
    beyond each centre's overall pull. Its *sphere* is the centre it prefers most,
    :math:`S_c = \{i : \arg\max_{c'} \ell_{ic'} = c\}`.

Two tests per country, on disjoint pairs
    * **magnitude**: :math:`\max_c \ell_{ic}` against its null distribution over ``replicates``
      tables of no preference (each cell :math:`X_{ic}` times pair noise,
      :class:`bibnet.spheres.noise.PairNoise` fitted on the pairs among non-centres, which no
      preference touches), the maximum taken in each null table as in the observed one: the
      selection of the preferred centre is in the null;
    * **peers**: the country's affinity with the other members of its sphere,
      :math:`b_i = \sum_{j \in S_c \setminus i} A_{ij} / \sum_{j \in S_c\setminus i} E_{ij}`,
      against the same statistic with the other countries' sphere labels permuted (sizes kept).
      The labels come from the centre pairs and ``b_i`` from the pairs among non-centres, so
      without spheres the two are independent and the permutation null holds whatever the
      pairs' noise (it is exchangeable over partners).

    The two p-values combine by Fisher's method (independent under the null: disjoint pairs)
    and a country is a *member* of its sphere where the combined p-value passes the
    Benjamini–Hochberg rule at false discovery rate ``fdr`` over all tested countries
    (Benjamini & Hochberg 1995); others belong to no sphere. On the real networks the
    magnitude alone decides almost nobody (a country's preference among five centres is about
    as large as the noise of one pair), and the peers carry the evidence: spheres are groups.

Each sphere: hub or community (Schott 1993's horizontal regions against a centre's partners)
    With ``S`` the countries preferring ``c`` (all, tested or not: the sets whose nulls are
    known), :math:`a(c,S)` the sphere's affinity with its centre and :math:`a(S,S)` within
    itself (:func:`bibnet.graphs.gravity.block_affinity`). :math:`a(S,S)` is measured on pairs
    the selection did not read; :math:`a(c,S)` on the very pairs that chose ``S``, so it is
    inflated by the choice: the *inflation* :math:`f_c` is the median, over the null tables, of
    the tie of the null sphere of ``c`` to ``c`` (:math:`\sum_{S^*} N^*_{ic}/\sum_{S^*}
    X^*_{ic}`), and :math:`a^*(c,S) = a(c,S)/f_c`. The sphere's

    * *tie* is beyond selection where its own :math:`\sum_S N_{ic}/\sum_S X_{ic}` exceeds the
      null spheres' in all but ``alpha / n_centres`` of the null tables (p_tie);
    * *coherence* is beyond chance where :math:`a(S,S)` exceeds that of permuted spheres of its
      size in all but ``alpha / n_centres`` of the permutations (p_coherence);
    * *hub ratio* is :math:`h_c = a^*(c,S)/a(S,S)`, with a 95 % BCa interval from resampling the
      sphere's countries (:mod:`bibnet.spheres.intervals`; :math:`f_c` held fixed).

    The sphere is ``hub`` where its tie is beyond selection and the interval of :math:`h_c`
    lies above 1 (tied to its centre more than among itself), ``community`` where its coherence
    is beyond chance and the interval lies below 1, ``none`` where neither its tie nor its
    coherence is beyond noise, and ``undetermined`` otherwise (the interval holds 1).

The whole centre
    :math:`a(C,P)`: all non-centres' affinity with the centres as one, with its BCa interval
    over the non-centres. With a gravity null :math:`\sum_s \kappa_s a_{rs} = 2W` for the
    two-way split, so :math:`a(C,P) > 1` is the same statement as the centres being tied among
    themselves, and the periphery among itself, less than size predicts: the centre as a hub.

Global tests
    Whether the periphery differentiates among the centres at all: the table's deviance from
    independence, :math:`G^2 = 2\sum N \log(N/X)`, against the null tables (p_magnitude), and
    the within-sphere affinity of all spheres pooled against permuted labels (p_coherence);
    combined by Fisher's method (p_spheres).

Examples
--------
>>> import numpy as np
>>> from bibnet.spheres.network import Network
>>> rng = np.random.default_rng(3)
>>> n = 80; size = rng.lognormal(0, 1.2, n); size[:3] = [60, 50, 40]
>>> hub = np.where(np.arange(n) % 2 == 0, 0, 1); hub[:3] = -1
>>> rate = np.ones((n, n))
>>> for i in range(3, n):
...     rate[i, hub[i]] = rate[hub[i], i] = 3.0
>>> mean = np.outer(size, size) * rate * 3; np.fill_diagonal(mean, 0)
>>> A = np.triu(rng.poisson(mean), 1); A = A + A.T
>>> codes = [f"C{i:02d}" for i in range(n)]
>>> fit = Spheres(n_centres=3, min_links=30, replicates=200, noise_blocks=4,
...               random_state=0).fit(Network.from_counts(A, codes))
>>> fit.centres_
('C00', 'C01', 'C02')
>>> fit.table_.loc[["C00", "C01"], "kind"].tolist()
['hub', 'hub']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from bibnet.spheres.intervals import country_interval
from bibnet.spheres.network import Network
from bibnet.spheres.noise import PairNoise
from bibnet.spheres.pairs import bloc_sums, own_bloc_sums

#: The words a sphere is read with.
SPHERE_KINDS = ("hub", "community", "undetermined", "none")


def fisher_combined(*p_values: np.ndarray) -> np.ndarray:
    """Fisher's combination of independent p-values (elementwise).

    >>> round(float(fisher_combined(np.array(0.05), np.array(0.05))), 4)
    0.0175
    """
    statistic = -2 * sum(np.log(p) for p in p_values)
    return stats.chi2.sf(statistic, 2 * len(p_values))


def benjamini_hochberg(p_values: np.ndarray, rate: float) -> np.ndarray:
    """Which hypotheses the Benjamini–Hochberg rule rejects at false discovery rate ``rate``.

    >>> benjamini_hochberg(np.array([0.001, 0.02, 0.04, 0.5]), 0.05).tolist()
    [True, True, False, False]
    """
    p_values = np.asarray(p_values, dtype=float)
    if not len(p_values):
        return np.zeros(0, dtype=bool)
    order = np.argsort(p_values, kind="stable")
    passing = p_values[order] <= rate * np.arange(1, len(p_values) + 1) / len(p_values)
    rejected = np.zeros(len(p_values), dtype=bool)
    if passing.any():
        rejected[order[: np.flatnonzero(passing).max() + 1]] = True
    return rejected


def _upper_tail(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Monte Carlo p-values :math:`(1 + \\#\\{null \\ge obs\\})/(R + 1)` along axis 0 (NaN
    null values never count as exceeding)."""
    exceed = np.nan_to_num(null, nan=-np.inf) >= observed
    return (1 + exceed.sum(axis=0)) / (len(null) + 1)


def _independence(table: np.ndarray) -> np.ndarray:
    """Expected cells of a table (last two axes) whose rows and columns are independent."""
    rows, columns = table.sum(axis=-1), table.sum(axis=-2)
    return rows[..., :, None] * columns[..., None, :] / table.sum(axis=(-2, -1))[..., None, None]


def _preference(table: np.ndarray, independent: np.ndarray) -> np.ndarray:
    return np.log(table + 0.5) - np.log(independent + 0.5)


def _sphere_tie(table: np.ndarray, independent: np.ndarray, labels: np.ndarray,
                n_centres: int) -> np.ndarray:
    """Each sphere's tie to its centre within the table, :math:`\\sum_S N_{ic}/\\sum_S X_{ic}`
    (last axis: the centres; NaN for an empty sphere); leading axes are replicates."""
    chosen = labels[..., None] == np.arange(n_centres)
    observed = (table * chosen).sum(axis=-2)
    expected = (independent * chosen).sum(axis=-2)
    return np.divide(observed, expected, out=np.full(observed.shape, np.nan),
                     where=expected > 0)


def _nanmedian(values: np.ndarray) -> np.ndarray:
    """Median along axis 0, NaN (without a warning) where a column is all NaN."""
    present = ~np.isnan(values)
    return np.array([np.median(column[keep]) if keep.any() else np.nan
                     for column, keep in zip(values.T, present.T)])


def _deviance(table: np.ndarray, independent: np.ndarray) -> np.ndarray:
    terms = np.where(table > 0, table * np.log(np.maximum(table, 1e-300) / independent), 0.0)
    return 2 * terms.sum(axis=(-2, -1))


class Spheres:
    """The centres' spheres of one year's network, with the tests of the module docstring.

    Parameters
    ----------
    n_centres : int, default 5
        How many of the strongest countries are the centres.
    min_links : float, default 50
        Pair-links with the centres a country needs for its preference to be read.
    replicates : int, default 1000
        Null tables and label permutations of every test.
    bootstrap : int, default 999
        Country resamples of every interval.
    alpha : float, default 0.05
        Level of the spheres' tests (divided by ``n_centres``: one test per centre).
    fdr : float, default 0.05
        False discovery rate of the countries' membership.
    noise_blocks : int, default 10
        Blocks of the structure model whose residuals are the pair noise.
    random_state : int, optional
        Seeds every draw, permutation and resample.
    also_centres : sequence of str, default ()
        Countries read as centres besides the strongest (e.g. a focal country, to find who
        prefers it beyond size); absent codes are ignored.

    Attributes
    ----------
    centres_ : tuple of str
        The centres, strongest first.
    countries_ : pandas.DataFrame
        One row per non-centre country: ``links`` (with the centres), ``eligible``,
        ``sphere`` (the preferred centre, eligible countries only), ``member`` (passes the
        membership test), ``p_magnitude``, ``p_peers``, ``p_member``, and the preference
        ``pref_CC`` with each centre.
    table_ : pandas.DataFrame
        One row per centre: ``size`` (countries preferring it), ``members``, ``a_centre``,
        ``inflation``, ``a_centre_corrected``, ``a_within``, ``hub_ratio`` with ``hub_low``
        and ``hub_high``, ``p_tie``, ``p_coherence``, ``kind``.
    whole_ : dict
        ``a`` (the centres' affinity with all non-centres), ``low``, ``high``.
    global_ : dict
        ``p_magnitude``, ``p_coherence``, ``p_spheres``.
    """

    def __init__(self, n_centres: int = 5, min_links: float = 50, replicates: int = 1000,
                 bootstrap: int = 999, alpha: float = 0.05, fdr: float = 0.05,
                 noise_blocks: int = 10, random_state: int | None = None,
                 also_centres: Sequence[str] = ()):
        self.n_centres = n_centres
        self.min_links = min_links
        self.replicates = replicates
        self.bootstrap = bootstrap
        self.alpha = alpha
        self.fdr = fdr
        self.noise_blocks = noise_blocks
        self.random_state = random_state
        self.also_centres = also_centres

    def fit(self, network: Network) -> "Spheres":
        """Read the spheres of ``network`` (:class:`bibnet.spheres.network.Network`)."""
        A, E = network.counts, network.expected
        centres = network.largest(self.n_centres)
        extra = [network.index(code) for code in self.also_centres]
        centres = np.concatenate([centres, [i for i in extra
                                            if i is not None and i not in centres]]).astype(int)
        K = len(centres)
        if len(network.codes) < K + 3:
            raise ValueError(f"{len(network.codes)} linked countries are too few for "
                             f"{K} centres and a periphery; lower n_centres or select more "
                             "countries")
        rng = np.random.default_rng(self.random_state)
        others = np.setdiff1d(np.arange(len(A)), centres)
        links = A[np.ix_(others, centres)].sum(axis=1)
        eligible = others[links >= self.min_links]
        if len(eligible) < 3:
            raise ValueError(
                f"only {len(eligible)} countries have {self.min_links} pair-links with the "
                "centres; lower spheres.min_links or widen the selection")
        table = A[np.ix_(eligible, centres)]
        independent = _independence(table)
        preference = _preference(table, independent)
        labels = preference.argmax(axis=1)

        noise_pairs = np.zeros(A.shape, dtype=bool)
        noise_pairs[np.ix_(others, others)] = True
        noise = PairNoise(n_blocks=self.noise_blocks,
                          random_state=int(rng.integers(2**31))).fit(A, noise_pairs)

        self.centres_ = tuple(network.codes[c] for c in centres)
        magnitude = self._magnitude(table, independent, preference, labels, noise, rng)
        peers = self._peers(A[np.ix_(eligible, eligible)], E[np.ix_(eligible, eligible)],
                            labels, rng)
        p_member = fisher_combined(magnitude["p_country"], peers["p_country"])
        member = benjamini_hochberg(p_member, self.fdr)
        self.countries_ = self._countries(network, others, links, eligible, labels, member,
                                          magnitude, peers, p_member, preference)
        self.table_ = self._spheres(A, E, centres, eligible, labels, member, magnitude, peers,
                                    rng)
        self.whole_ = self._whole(A, E, centres, others, rng)
        self.global_ = {"p_magnitude": magnitude["p_global"],
                        "p_coherence": peers["p_global"],
                        "p_spheres": float(fisher_combined(np.array(magnitude["p_global"]),
                                                           np.array(peers["p_global"])))}
        return self

    def _magnitude(self, table, independent, preference, labels, noise, rng) -> dict:
        K, R = table.shape[1], self.replicates
        null_table = noise.draw(np.broadcast_to(independent, (R, *independent.shape)), rng)
        null_independent = _independence(null_table)
        null_preference = _preference(null_table, null_independent)
        null_labels = null_preference.argmax(axis=-1)
        tie = _sphere_tie(table, independent, labels, K)
        null_tie = _sphere_tie(null_table, null_independent, null_labels, K)
        return {
            "p_country": _upper_tail(null_preference.max(axis=-1), preference.max(axis=1)),
            "tie": tie,
            "p_tie": _upper_tail(null_tie, tie),
            # A centre no null table's country prefers has no inflation to remove.
            "inflation": np.nan_to_num(_nanmedian(null_tie), nan=1.0),
            "p_global": float(_upper_tail(_deviance(null_table, null_independent),
                                          _deviance(table, independent))),
        }

    def _peers(self, A, E, labels, rng) -> dict:
        spheres = np.arange(len(self.centres_))
        observed = labels[None]
        permuted = np.stack([rng.permutation(labels) for _ in range(self.replicates)])

        def ratio(function, label_sets, *args):
            with np.errstate(divide="ignore", invalid="ignore"):
                return (function(A, label_sets, *args, spheres)
                        / function(E, label_sets, *args, spheres))

        def pooled(label_sets):
            return (bloc_sums(A, label_sets, spheres).sum(axis=-1)
                    / bloc_sums(E, label_sets, spheres).sum(axis=-1))

        return {"p_country": _upper_tail(ratio(own_bloc_sums, permuted, labels),
                                         ratio(own_bloc_sums, observed, labels)[0]),
                "p_coherence": _upper_tail(ratio(bloc_sums, permuted),
                                           ratio(bloc_sums, observed)[0]),
                "p_global": float(_upper_tail(pooled(permuted), pooled(observed)[0]))}

    def _countries(self, network, others, links, eligible, labels, member, magnitude, peers,
                   p_member, preference) -> pd.DataFrame:
        frame = pd.DataFrame({"country": [network.codes[i] for i in others],
                              "links": links}).set_index("country")
        rows = [network.codes[i] for i in eligible]
        frame["eligible"] = frame.index.isin(rows)
        frame.loc[rows, "sphere"] = [self.centres_[label] for label in labels]
        frame.loc[rows, "member"] = member
        frame.loc[rows, "p_magnitude"] = magnitude["p_country"]
        frame.loc[rows, "p_peers"] = peers["p_country"]
        frame.loc[rows, "p_member"] = p_member
        for column, centre in enumerate(self.centres_):
            frame.loc[rows, f"pref_{centre}"] = preference[:, column]
        frame["member"] = frame["member"].fillna(False).astype(bool)
        return frame

    def _spheres(self, A, E, centres, eligible, labels, member, magnitude, peers,
                 rng) -> pd.DataFrame:
        K = len(centres)
        inflation = magnitude["inflation"]

        onehot = (labels[:, None] == np.arange(K)).astype(float)
        to_centre = A[np.ix_(eligible, centres)], E[np.ix_(eligible, centres)]
        among = A[np.ix_(eligible, eligible)], E[np.ix_(eligible, eligible)]

        def statistics(weights):
            spread = weights[:, None] * onehot
            with np.errstate(divide="ignore", invalid="ignore"):
                tie = (spread * to_centre[0]).sum(axis=0) / (spread * to_centre[1]).sum(axis=0)
                within = ((spread * (among[0] @ spread)).sum(axis=0)
                          / (spread * (among[1] @ spread)).sum(axis=0))
            return np.concatenate([tie, within, tie / inflation / within])

        observed = statistics(np.ones(len(eligible))).reshape(3, K).T
        low, high = country_interval(statistics, len(eligible), self.bootstrap, rng)
        low, high = np.reshape(low, (3, K))[2], np.reshape(high, (3, K))[2]
        level = self.alpha / K
        rows = []
        for c in range(K):
            tie_beyond = magnitude["p_tie"][c] < level
            coherent = peers["p_coherence"][c] < level
            if not (tie_beyond or coherent):
                kind = "none"
            elif tie_beyond and low[c] > 1:
                kind = "hub"
            elif coherent and high[c] < 1:
                kind = "community"
            else:
                kind = "undetermined"
            rows.append({"centre": self.centres_[c], "size": int((labels == c).sum()),
                         "members": int((member & (labels == c)).sum()),
                         "a_centre": observed[c, 0], "inflation": float(inflation[c]),
                         "a_centre_corrected": observed[c, 0] / inflation[c],
                         "a_within": observed[c, 1], "hub_ratio": observed[c, 2],
                         "hub_low": float(low[c]), "hub_high": float(high[c]),
                         "p_tie": float(magnitude["p_tie"][c]),
                         "p_coherence": float(peers["p_coherence"][c]), "kind": kind})
        return pd.DataFrame(rows).set_index("centre")

    def _whole(self, A, E, centres, others, rng) -> dict:
        works = A[np.ix_(others, centres)].sum(axis=1)
        exposure = E[np.ix_(others, centres)].sum(axis=1)

        def whole(weights):
            return (weights @ works) / (weights @ exposure)

        low, high = country_interval(whole, len(others), self.bootstrap, rng)
        return {"a": float(whole(np.ones(len(others)))), "low": float(low),
                "high": float(high)}
