r"""Centres and their spheres: does each of the largest systems hold partners of its own?

Wagner & Leydesdorff (2005) describe several centres "that collaborate among and compete with
one another for partners from smaller national systems". :class:`Spheres` puts that in terms
the counts can answer beyond size (``docs/method.md`` states every rule with its references).

Centres
    The ``n_centres`` countries of largest strength (works with all partners): a statement of
    size, the top class of collaboration volume, named so. The study reports how the answer
    moves with ``n_centres`` from 3 to 8 (:func:`bibnet.hypotheses.study`).

Preferences
    For each non-centre country ``i`` with at least ``min_links`` pair-links to the centres,
    its table row :math:`N_{ic}` (works with each centre ``c``) against independence,
    :math:`X_{ic} = N_{i\cdot} N_{\cdot c} / N_{\cdot\cdot}` (the country spreading its centre
    ties as the pooled periphery does): the preference
    :math:`\ell_{ic} = \log\frac{N_{ic} + 1/2}{X_{ic} + 1/2}`, beyond the country's size and
    beyond each centre's overall pull. Its *sphere* is the centre it prefers most,
    :math:`S_c = \{i : \arg\max_{c'} \ell_{ic'} = c\}`.

Weighted affinities
    Every group's affinity below is the inverse-variance weighted mean of its pairs'
    affinities, :math:`\bar a = \sum w_{ij} a_{ij}/\sum w_{ij}` with
    :math:`w_{ij} = E_{ij}^2/V(E_{ij})` (:class:`bibnet.hypotheses.noise.PairNoise`: the variance
    function of the gravity residuals among the non-centres): unbiased like a ratio of sums,
    but not carried by the few largest, noisiest pairs.

Two tests per country, on disjoint pairs
    * **magnitude**: :math:`\max_c \ell_{ic}` against its null distribution over ``replicates``
      tables of no preference (each cell drawn around :math:`X_{ic}` with the pair noise of its
      size), the maximum taken in each null table as in the observed one: the choice of the
      preferred centre is in the null;
    * **peers**: the country's weighted affinity with the other countries of its sphere,
      against the same with the other countries' sphere labels permuted (sizes kept). The
      labels come from the centre pairs and the affinity from the pairs among non-centres, so
      without spheres the two are independent and the permutation null holds whatever the
      pairs' noise.

    The two p-values combine by Fisher's method (independent under the null: disjoint pairs)
    and a country is a *member* of its sphere where the combined p-value passes the
    Benjamini–Hochberg rule at false discovery rate ``fdr`` over all tested countries
    (Benjamini & Hochberg 1995); others belong to no sphere. On the real networks the
    magnitude alone decides almost nobody (a country's preference among five centres is about
    as large as the noise of one pair), and the peers carry the evidence: spheres are groups.

Each centre's sphere, read without choosing its members
    A sphere chosen by its members' preference looks tied to its centre on noise alone, so the
    tests of a centre's sphere either use every country, none chosen, weighing each by evidence
    from pairs the test does not read, or make the same choice in their null:

    * *own sphere* (``p_sphere``): the heterogeneity of the centre's column,
      :math:`Q_c = \sum_i (\ell_{ic} - \bar\ell_c)^2/v_{ic}` (``v`` each preference's noise
      variance over the null tables), against the same in the null tables: some countries
      prefer the centre and others do not, beyond noise. The test assumes, as a variance
      function does, that a pair's noise follows its mean: on planted worlds whose centres'
      pairs carried the noise of pairs half their size it rejected in most centres of a world
      without spheres. Studentising each column by the table's own spread would absorb that,
      but with skewed pair noise the bulk of the null tables' departures is narrower than the
      observed table's, and the level went (a quarter of the centres of worlds of size alone
      below 0.05);
    * each side of the hub ratio weighs the countries into the sphere by evidence from pairs
      it does not read (cross-fitting: a weight chosen on the pairs it then averages would carry
      their noise into the average):

      - *within* :math:`a(S,S)`, the sphere's weighted affinity among its own pairs, weighs
        pairs by :math:`s_{ic}s_{jc}w_{ij}` with the *preference weight*
        :math:`s_{ic} = \max(\hat\ell_{ic} - \bar\ell_c, 0)`, from empirical-Bayes posterior
        means :math:`\hat\ell` (:func:`shrink`), which come from the centre pairs alone;
        *coherence* (``p_coherence``): ``within`` against these weights permuted over the
        countries;
      - *tie* :math:`a(c,S)`, the sphere's weighted affinity with its centre, weighs the pairs
        :math:`(i, c)` by :math:`t_{ic}w_{ic}` with the *leave-centre-out weight*
        :math:`t_{ic} = \max(\bar d_c - d_{ic}, 0)`,
        :math:`d_{ic} = \log(\bar a_{i,C\setminus c}/\bar a_{i,P})`: how little the country is
        tied to the other centres, against its tie to the non-centres (both weighted
        affinities; the country's size cancels in the ratio), which never reads the pair
        :math:`(i, c)`. Where each country leans to one centre, leaning to ``c`` is leaning
        away from the others, so :math:`t` and :math:`s` pick the same countries; where
        countries differ mostly in how much they tie to any centre, as on the real networks,
        :math:`t` reads that orientation instead (``docs/method.md`` section 9). (Shrinking
        the tie's own preferences instead took too much off it: the null tables count the
        regional structure of the non-centre pairs as pair noise, and on 56 planted worlds of
        every kind the hub ratio's intervals held the planted value in 57 % of the spheres.)

    * *hub ratio* :math:`h_c = a(c,S)/a(S,S)` with a 95 % BCa interval from resampling the
      countries (:mod:`bibnet.hypotheses.intervals`);
    * *hub ratio beyond selection* (``hub_beyond_selection``, ``p_hub``): the same ratio with
      both sides weighed by the preference weights, :math:`h^s_c`, whose tie reads the very
      pairs that chose the members, against the same ratio in each of the null tables of the
      magnitude test with the weights from that table's own preferences, so that the choice
      of the members is in the null (the non-centre pairs, which the choice does not read,
      stay as observed). Preferences are read within each country's row, so the ratio does
      not read how much a country ties to the centres at all, as the cross-fitted tie does.
      ``p_hub`` is the upper tail among the null tables that found a sphere (where the
      estimated spread of the true preferences is 0 every weight is 0 and there is no
      ratio); ``hub_beyond_selection`` is :math:`h^s_c` over its median in them (1: as much
      as choosing members on noise gives).

    The sphere is ``hub`` where it exists (``p_sphere`` below ``alpha / n_centres``) and is
    tied to its centre more than among itself: the interval of :math:`h_c` above 1 with the
    ratio beyond selection above 1 (the two readings agree), or ``p_hub`` below
    ``alpha / n_centres``. The cross-fitted tie weighs a country by how little it ties to the
    other centres, which is also where it lies: in a smooth geography without centres the
    countries far from the other centres are the centre's neighbours, and any point's
    neighbours are nearer it than to one another, so the cross-fitted ratio reads a
    neighbourhood as a hub (on that interval alone 21 spheres of 885 calibration worlds read
    ``hub``, none around a planted hub), while the ratio beyond selection, whose null chooses
    the members the same way, put every one of them below 1 (0.76-0.98). The sphere is
    ``community`` where its coherence is beyond chance at that level and the interval lies
    below 1, ``none`` where neither test passes, and ``undetermined`` otherwise. The table
    also gives the plain ratios of sums over the countries that prefer the centre most
    (``tie_sums``, ``within_sums``: descriptive, inflated by that choice).

The whole centre
    :math:`a(C,P)`: all non-centres' affinity with the centres as one, a ratio of sums against
    the strength-preserving gravity null (:attr:`Network.expected
    <bibnet.hypotheses.network.Network.expected>`), with its BCa interval over the
    non-centres and its p-value against ``replicates`` draws of the centre pairs around that
    null with the pair noise (``p_value``). With that null
    :math:`\sum_s \kappa_s a_{rs} = 2W` for the two-way split, so :math:`a(C,P) > 1` is the
    statement that the centres are tied among themselves, and the periphery among itself, less
    than size predicts: the centre as a hub.

    Each centre's own :math:`a(c,P)` (``periphery``, with ``periphery_low``,
    ``periphery_high`` and ``p_periphery`` from the same resamples and null draws) says which
    of them that is: a single hub tied to every country alike holds no sphere of its own (every
    country prefers it, so no column is heterogeneous), but its own tie stands out
    (1.19-1.24 on planted one-hub worlds at every volume). These two are read against the
    strength-preserving null, not the quasi-likelihood one the other tests use: that null
    does not keep a country's strength, and a centre's many small periphery pairs outweigh its
    few large ones in its estimating equation, so its degree parameter absorbs the tie tested
    here, the more so the larger the volume (the same worlds' a(c,P) as a weighted affinity
    against it, on four of those worlds: 1.06-1.07, 1.04-1.08 and 1.03-1.04 at 0.1x, 1x and
    10x).

Global tests
    Whether the periphery differentiates among the centres at all: the sum of the columns'
    heterogeneity against the null tables (``p_magnitude``) and the pooled
    within-sphere affinity of the preferred-centre spheres against permuted labels
    (``p_coherence``), combined by Fisher's method (``p_spheres``).

Examples
--------
>>> import numpy as np
>>> from bibnet.hypotheses.network import Network

Five centres, two of them hubs each tied at three times what size predicts to its own half of
the other countries:

>>> rng = np.random.default_rng(3)
>>> n = 150; size = rng.lognormal(0, 1, n); size[:5] = [40, 36, 32, 30, 28]
>>> rate = np.ones((n, n)); hub = np.arange(n) % 2
>>> rate[0, 5:][hub[5:] == 0] = rate[1, 5:][hub[5:] == 1] = 3.0
>>> rate = np.triu(rate, 1); rate = rate + rate.T
>>> mean = np.triu(np.outer(size, size) * rate * rng.lognormal(-0.08, 0.4, (n, n)) * 3, 1)
>>> A = rng.poisson(mean); A = A + A.T
>>> fit = Spheres(min_links=30, replicates=300, bootstrap=300,
...               random_state=0).fit(Network.from_counts(A, [f"C{i:03d}" for i in range(n)]))
>>> sorted(fit.table_.index[fit.table_["kind"] == "hub"])
['C000', 'C001']
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from bibnet.graphs.gravity import block_affinity
from bibnet.hypotheses.intervals import country_interval
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.noise import fit_noise
from bibnet.hypotheses.pairs import onehot, own_sums, quadratic_sums
from bibnet.hypotheses.preferences import (benjamini_hochberg, fisher_combined, heterogeneity,
                                           independence, leave_centre_out, preference_of,
                                           preference_weights, sphere_statistics, upper_tail,
                                           upper_tail_where_defined)



def hub_like(hub_low, beyond_selection, p_hub, level):
    """Whether a sphere is tied to its centre more than among itself at ``level`` (module
    docstring): the cross-fitted interval above 1 with the ratio beyond selection above 1, or
    ``p_hub`` below ``level``. Elementwise on arrays or columns; a missing ratio (NaN) counts
    as not above 1.

    >>> hub_like(np.array([1.1, 1.1, 0.9]), np.array([1.2, 0.9, 0.9]),
    ...          np.array([0.5, 0.5, 0.001]), 0.01).tolist()
    [True, False, True]
    """
    return ((hub_low > 1) & (beyond_selection > 1)) | (p_hub < level)


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
    random_state : int, optional
        Seeds every draw, permutation and resample.
    also_centres : sequence of str, default ()
        Countries read as centres besides the strongest (e.g. a focal country, to find who
        prefers it beyond size); absent codes are ignored.
    noise : (numpy.ndarray, PairNoise), optional
        The gravity null and pair noise to read against (:func:`bibnet.hypotheses.noise.fit_noise`,
        fitted on pairs no centre is in); fitted on the pairs among the non-centres where not
        given.

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
        One row per centre: ``size`` (countries preferring it most), ``members`` (of those,
        the ones passing the membership test), ``tie``, ``within``, ``hub_ratio`` with
        ``hub_low`` and ``hub_high``, ``p_sphere``, ``p_coherence``, ``kind``, ``tie_sums``,
        ``within_sums``, and the centre's tie with all non-centres, ``periphery``
        (:math:`a(c,P)`) with ``periphery_low``, ``periphery_high`` and ``p_periphery``.
    noise_ : PairNoise
        The pair noise the tests and weights rest on.
    expected_ : numpy.ndarray
        The gravity null fitted with that noise (:func:`bibnet.hypotheses.noise.fit_noise`),
        which every affinity of the tests is read against.
    whole_ : dict
        ``a`` (the centres' affinity with all non-centres), ``low``, ``high``, ``p_value``.
    global_ : dict
        ``p_magnitude``, ``p_coherence``, ``p_spheres``.
    eligible_ : numpy.ndarray of int
        The rows of the countries tested for a sphere (enough links with the centres).
    soft_ : numpy.ndarray, shape (len(eligible_), n_centres)
        Each eligible country's preference weight in each sphere, which the spheres'
        ``within`` weighs the countries by (:func:`sphere_statistics`).
    tie_soft_ : numpy.ndarray, shape (len(eligible_), n_centres)
        Each eligible country's leave-centre-out weight in each sphere, which the spheres'
        ``tie`` weighs the countries by (:func:`leave_centre_out`).
    """

    def __init__(self, n_centres: int = 5, min_links: float = 50, replicates: int = 1000,
                 bootstrap: int = 999, alpha: float = 0.05, fdr: float = 0.05,
                 random_state: int | None = None,
                 also_centres: Sequence[str] = (), noise=None):
        self.n_centres = n_centres
        self.min_links = min_links
        self.replicates = replicates
        self.bootstrap = bootstrap
        self.alpha = alpha
        self.fdr = fdr
        self.random_state = random_state
        self.also_centres = also_centres
        self.noise = noise

    def fit(self, network: Network) -> "Spheres":
        """Read the spheres of ``network`` (:class:`bibnet.hypotheses.network.Network`)."""
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
                "centres; lower hypotheses.min_links or widen the selection")
        self.centres_ = tuple(network.codes[c] for c in centres)
        table = A[np.ix_(eligible, centres)]
        independent = independence(table)
        preference = preference_of(table, independent)
        labels = preference.argmax(axis=1)

        if self.noise is None:
            noise_pairs = np.zeros(A.shape, dtype=bool)
            noise_pairs[np.ix_(others, others)] = True
            E, noise = fit_noise(A, noise_pairs, start=E)
        else:
            E, noise = self.noise
        self.expected_ = E
        weights = noise.weights(E)
        weighted = weights * np.divide(A, E, out=np.zeros_like(A), where=E > 0)
        self.noise_ = noise

        magnitude = self._magnitude(table, independent, preference, noise, rng)
        soft = preference_weights(preference, magnitude["variance"])
        among = np.ix_(eligible, eligible)
        peers = self._peers(weighted[among], weights[among], labels, soft, rng)
        p_member = fisher_combined(magnitude["p_country"], peers["p_country"])
        member = benjamini_hochberg(p_member, self.fdr)

        block = np.ix_(eligible, centres)
        tie_soft = leave_centre_out(weighted[block], weights[block],
                                    weighted[np.ix_(eligible, others)],
                                    weights[np.ix_(eligible, others)])
        self.eligible_, self.soft_, self.tie_soft_ = eligible, soft, tie_soft
        self.countries_ = self._countries(network, others, links, eligible, labels, member,
                                          magnitude, peers, p_member, preference)
        self.table_ = self._spheres(A, E, weighted[among], weights[among], weighted[block],
                                    weights[block], soft, tie_soft, centres, eligible, labels,
                                    member, magnitude, peers, rng)
        self.whole_, by_centre = self._whole(A, network.expected, noise, centres, others, rng)
        self.table_ = self.table_.join(by_centre)
        self.global_ = {"p_magnitude": magnitude["p_global"],
                        "p_coherence": peers["p_global"],
                        "p_spheres": float(fisher_combined(np.array(magnitude["p_global"]),
                                                           np.array(peers["p_global"])))}
        return self

    def _magnitude(self, table, independent, preference, noise, rng) -> dict:
        R = self.replicates
        null_table = noise.draw(np.broadcast_to(independent, (R, *independent.shape)), rng)
        null_preference = preference_of(null_table, independence(null_table))
        # Each preference's noise variance, as the null tables show it (log scale: the pair
        # effects' heavy right tail would dominate a variance of ratios).
        variance = np.maximum(null_preference.var(axis=0), 1e-6)
        spread = heterogeneity(preference, 1 / variance)
        null_spread = heterogeneity(null_preference, 1 / variance)
        return {
            "p_country": upper_tail(null_preference.max(axis=-1), preference.max(axis=1)),
            "p_sphere": upper_tail(null_spread, spread),
            "p_global": float(upper_tail(null_spread.sum(axis=-1), spread.sum())),
            "variance": variance,
            "null_table": null_table,
            "null_preference": null_preference,
        }

    def _peers(self, weighted, weights, labels, soft, rng) -> dict:
        K = len(self.centres_)
        orders = np.stack([rng.permutation(len(labels)) for _ in range(self.replicates)])
        observed, permuted = onehot(labels[None], K), onehot(labels[orders], K)

        def mean(function, memberships, *args):
            with np.errstate(divide="ignore", invalid="ignore"):
                return function(weighted, memberships, *args) / function(weights, memberships,
                                                                         *args)

        def pooled(memberships):
            return (quadratic_sums(weighted, memberships).sum(axis=-1)
                    / quadratic_sums(weights, memberships).sum(axis=-1))

        return {"p_country": upper_tail(mean(own_sums, permuted, labels),
                                         mean(own_sums, observed, labels)[0]),
                "p_coherence": upper_tail(mean(quadratic_sums, soft[orders]),
                                           mean(quadratic_sums, soft[None])[0]),
                "p_global": float(upper_tail(pooled(permuted), pooled(observed)[0]))}

    def _countries(self, network, others, links, eligible, labels, member, magnitude, peers,
                   p_member, preference) -> pd.DataFrame:
        # column by column from arrays: assigning the eligible rows cell block by cell block
        # through .loc was a tenth of a year's study
        is_eligible = np.isin(others, eligible)  # eligible keeps the order of others

        def spread(values, empty=np.nan, dtype=float):
            column = np.full(len(others), empty, dtype=dtype)
            column[is_eligible] = values
            return column

        columns = {"links": links, "eligible": is_eligible,
                   "sphere": spread([self.centres_[label] for label in labels], dtype=object),
                   "member": spread(member, False, bool),
                   "p_magnitude": spread(magnitude["p_country"]),
                   "p_peers": spread(peers["p_country"]),
                   "p_member": spread(p_member)}
        for column, centre in enumerate(self.centres_):
            columns[f"pref_{centre}"] = spread(preference[:, column])
        return pd.DataFrame(columns, index=pd.Index([network.codes[i] for i in others],
                                                    name="country"))

    def _spheres(self, A, E, weighted, weights, tie_weighted, tie_weights, soft, tie_soft,
                 centres, eligible, labels, member, magnitude, peers, rng) -> pd.DataFrame:
        K = len(centres)

        def statistics(multiplicity):
            return sphere_statistics(soft, tie_soft, tie_weighted, tie_weights, weighted,
                                     weights, multiplicity)

        observed = statistics(np.ones(len(eligible))).reshape(3, K)
        low, high = country_interval(statistics, len(eligible), self.bootstrap, rng)
        low, high = np.reshape(low, (3, K))[2], np.reshape(high, (3, K))[2]
        selected = self._selected(E[np.ix_(eligible, centres)], weighted, weights,
                                  tie_weighted, tie_weights, soft, magnitude)
        level = self.alpha / K
        rows = []
        for c in range(K):
            sphere = eligible[labels == c]
            has_sphere = magnitude["p_sphere"][c] < level
            coherent = peers["p_coherence"][c] < level
            if not (has_sphere or coherent):
                kind = "none"
            elif has_sphere and hub_like(low[c], selected["ratio"][c], selected["p_hub"][c],
                                         level):
                kind = "hub"
            elif coherent and high[c] < 1:
                kind = "community"
            else:
                kind = "undetermined"
            rows.append({"centre": self.centres_[c], "size": len(sphere),
                         "members": int((member & (labels == c)).sum()),
                         "tie": observed[0, c], "within": observed[1, c],
                         "hub_ratio": observed[2, c],
                         "hub_low": float(low[c]), "hub_high": float(high[c]),
                         "hub_beyond_selection": float(selected["ratio"][c]),
                         "p_hub": float(selected["p_hub"][c]),
                         "p_sphere": float(magnitude["p_sphere"][c]),
                         "p_coherence": float(peers["p_coherence"][c]), "kind": kind,
                         "tie_sums": block_affinity(A, E, [centres[c]], sphere),
                         "within_sums": block_affinity(A, E, sphere, sphere)})
        return pd.DataFrame(rows).set_index("centre")

    def _selected(self, expected, weighted, weights, tie_weighted, tie_weights, soft,
                  magnitude) -> dict:
        """The hub ratio with the selection in its null (module docstring): read on the
        preference weights on both sides, in the data and in each null table of no
        preference, whose weights come from its own preferences as the data's do."""
        def ratio(tie_soft, tie_affinities):
            return sphere_statistics(tie_soft, tie_soft, tie_affinities, tie_weights, weighted,
                                     weights, np.ones(len(soft)))[..., 2 * soft.shape[1]:]

        observed = ratio(soft, tie_weighted)
        null_soft = preference_weights(magnitude["null_preference"], magnitude["variance"])
        null_affinities = np.divide(magnitude["null_table"], expected,
                                    out=np.zeros_like(magnitude["null_table"]),
                                    where=expected > 0)
        null = ratio(null_soft, tie_weights * null_affinities)
        typical = np.array([np.median(column[np.isfinite(column)])
                            if np.isfinite(column).any() else np.nan for column in null.T])
        return {"ratio": observed / typical, "p_hub": upper_tail_where_defined(null, observed)}

    def _whole(self, A, expected, noise, centres, others, rng) -> tuple[dict, pd.DataFrame]:
        """a(C,P) and each centre's a(c,P) against the strength-preserving gravity null, as
        ratios of sums (module docstring, "The whole centre": why not the quasi-likelihood
        null): the first column of every array below is the centres as one, the others each
        centre."""
        block = np.ix_(others, centres)
        works = np.column_stack([A[block].sum(axis=1), A[block]])
        cells = expected[block]
        total = np.column_stack([cells.sum(axis=1), cells])

        def affinities(multiplicity):
            return (multiplicity @ works) / (multiplicity @ total)

        observed = affinities(np.ones(len(others)))
        # The same affinities in tables of no tie beyond size: the centre pairs drawn around
        # the gravity null with the pair noise (conservative: the null was fitted to these
        # pairs).
        null = noise.draw(np.broadcast_to(cells, (self.replicates, *cells.shape)), rng)
        null_by_centre = null.sum(axis=1)
        null_affinities = (np.column_stack([null_by_centre.sum(axis=1), null_by_centre])
                           / total.sum(axis=0))
        low, high = country_interval(affinities, len(others), self.bootstrap, rng)
        p_values = upper_tail(null_affinities, observed)
        by_centre = pd.DataFrame({"periphery": observed[1:], "periphery_low": low[1:],
                                  "periphery_high": high[1:], "p_periphery": p_values[1:]},
                                 index=pd.Index(self.centres_, name="centre"))
        return ({"a": float(observed[0]), "low": float(low[0]), "high": float(high[0]),
                 "p_value": float(p_values[0])}, by_centre)
