r"""Descriptive statistics of one year's collaboration graph.

Whole-graph statistics: countries, linked pairs, density, total works over pairs, the Gini
coefficient of strengths, and the shares of all pair works and of all linked pairs that involve
the 1, 5 or 10 strongest countries. Per country: international works, strength, strength share and rank, the k-core
number of the binary graph and the s-core number of the weighted one. Per club of the k
strongest countries: the weighted rich-club coefficient of Opsahl et al. (2008), for the
observed graph and averaged over strength-preserving randomisations, and their ratio.

networkx and igraph give the binary k-core (igraph's ``coreness`` is used); neither has the
s-core, the weighted rich club, a strength-preserving randomisation or a Gini coefficient, so
those are written here.

References
----------
.. [1] Opsahl, T., Colizza, V., Panzarasa, P., & Ramasco, J. J. (2008). Prominence and control:
   the weighted rich-club effect. Physical Review Letters 101, 168702.
.. [2] Eidsaa, M., & Almaas, E. (2013). s-core network decomposition: a generalization of k-core
   analysis to weighted networks. Physical Review E 88, 062819.

Examples
--------
>>> import numpy as np
>>> counts = np.array([[0, 3, 1, 0], [3, 0, 1, 0], [1, 1, 0, 2], [0, 0, 2, 0]], dtype=float)
>>> s_core_numbers(counts).tolist()
[3.0, 3.0, 2.0, 2.0]
>>> gini(np.array([1.0, 1.0, 1.0, 1.0])), gini(np.array([0.0, 0.0, 0.0, 4.0]))
(0.0, 0.75)
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from bibnet.graphs.build import YearGraph
from bibnet.seeds import year_seed

log = logging.getLogger(__name__)

STATS_COLUMNS = {"year": "int64", "statistic": "string", "country": "string", "value": "float64"}
TOP_CLUBS = (1, 5, 10)


def gini(values: np.ndarray) -> float:
    r"""Gini coefficient :math:`\sum_i \sum_j |x_i - x_j| / (2 n^2 \bar x)`; 0 for equal values,
    :math:`1 - 1/n` when one holds everything, NaN for an empty or all-zero input."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return float("nan")
    ranks = np.arange(1, n + 1)
    return float(2 * np.sum(ranks * x) / (n * total) - (n + 1) / n)


def s_core_numbers(counts: np.ndarray) -> np.ndarray:
    """The s-core number of each node (Eidsaa & Almaas 2013): the largest s such that the node
    belongs to the s-core, the largest subgraph whose nodes all have strength >= s in it.

    Peels the node of least remaining strength, as the Batagelj-Zaversnik k-core algorithm does
    for degrees; O(n^2) on the dense matrix, which is small here.
    """
    counts = np.asarray(counts, dtype=np.float64)
    remaining = counts.sum(axis=1)
    alive = np.ones(len(counts), dtype=bool)
    core = np.zeros(len(counts))
    level = 0.0
    for _ in range(len(counts)):
        node = int(np.argmin(np.where(alive, remaining, np.inf)))
        level = max(level, remaining[node])
        core[node] = level
        alive[node] = False
        remaining -= counts[node]
    return core


def strength_order(graph: YearGraph) -> np.ndarray:
    """Node indices by decreasing strength; ties in code order."""
    return np.lexsort((np.arange(len(graph.codes)), -graph.strengths))


def rich_club_coefficients(counts: np.ndarray, order: np.ndarray) -> np.ndarray:
    r"""Weighted rich-club coefficient (Opsahl et al. 2008) of each club of the k first nodes of
    ``order``, for k = 1..n: :math:`\phi^w(k) = W_k / \sum_{l=1}^{E_k} w^{rank}_l`, where
    :math:`W_k` and :math:`E_k` are the total weight and number of links inside the club and
    :math:`w^{rank}` all link weights of the graph in decreasing order. NaN where the club has no
    link. Opsahl et al. define clubs by a strength threshold; the k strongest nodes are the same
    clubs, with ties broken by ``order``.

    >>> counts = np.array([[0, 3, 1, 0], [3, 0, 1, 0], [1, 1, 0, 2], [0, 0, 2, 0]], dtype=float)
    >>> rich_club_coefficients(counts, np.array([2, 0, 1, 3])).round(3).tolist()
    [nan, 0.333, 0.833, 1.0]
    """
    ranked = np.triu(np.asarray(counts, dtype=np.float64)[np.ix_(order, order)], k=1)
    club_weight = ranked.sum(axis=0).cumsum()
    club_links = (ranked > 0).sum(axis=0).cumsum()
    top_weights = np.concatenate(([0.0], np.sort(ranked[ranked > 0])[::-1].cumsum()))
    denominator = top_weights[club_links]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(club_links > 0, club_weight / denominator, np.nan)


def _pair_stubs(strengths: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Pair stubs at random, avoiding loops where possible: each node has ``strengths[i]``
    stubs, split by a multivariate hypergeometric draw into first and second halves; then, from
    the strongest node down, each node's first stubs draw their partners from the second stubs
    left, other than its own. Returns ``table[i, j]``, the pairs of i's first stub and j's
    second; its diagonal holds the few loops that could not be avoided (a node whose first
    stubs outnumber the other nodes' second stubs left)."""
    # Work in order of decreasing strength: the strongest pair first, and each draw, which
    # goes through the nodes in order, meets the large ones first and stops sooner (30% faster).
    order = np.argsort(-strengths, kind="stable")
    first = rng.multivariate_hypergeometric(strengths[order], strengths.sum() // 2)
    second = strengths[order] - first
    by_strength = np.zeros((len(strengths),) * 2, dtype=np.int64)
    for i in range(len(strengths)):
        others = second.copy()
        others[i] = 0
        drawn = min(int(first[i]), int(others.sum()))
        by_strength[i] = rng.multivariate_hypergeometric(others, drawn)
        by_strength[i, i] = first[i] - drawn
        second -= by_strength[i]
    table = np.empty_like(by_strength)
    table[np.ix_(order, order)] = by_strength
    return table


def _rewire_loops(matrix: np.ndarray, loops: np.ndarray, rng: np.random.Generator) -> None:
    """Replace node i's ``loops[i]`` self-pairings, in place: each loop and a pair cd drawn in
    proportion to its count (c, d != i) become the pairs ic and id. Strengths do not change.

    All loops draw their pair at once; a draw that touches its own node, or that would take
    more works from a pair than it has, is drawn again in the next round.
    """
    n = len(matrix)
    owners = np.repeat(np.arange(n), loops)
    while len(owners):
        rows, cols = np.nonzero(np.triu(matrix, k=1))
        weights = matrix[rows, cols]
        stuck = np.unique(owners[matrix[owners].sum(axis=1) == weights.sum()])
        if len(stuck):
            raise ValueError(f"cannot rewire the loops of nodes {stuck.tolist()}: every pair "
                             "left touches them")
        drawn = rng.choice(len(weights), size=len(owners), p=weights / weights.sum())
        by_pair = np.argsort(drawn, kind="stable")
        sorted_pairs = drawn[by_pair]
        rank_in_pair = np.arange(len(drawn)) - np.searchsorted(sorted_pairs, sorted_pairs)
        fits = np.zeros(len(drawn), dtype=bool)
        fits[by_pair] = rank_in_pair < weights[sorted_pairs]
        fits &= (rows[drawn] != owners) & (cols[drawn] != owners)
        c, d, i = rows[drawn[fits]], cols[drawn[fits]], owners[fits]
        cells = np.concatenate([c * n + d, d * n + c, i * n + c, c * n + i, i * n + d, d * n + i])
        change = np.repeat([-1, -1, 1, 1, 1, 1], len(i))
        matrix += np.bincount(cells, weights=change, minlength=n * n).astype(np.int64).reshape(n, n)
        owners = owners[~fits]


def _gibbs_sweeps(matrix: np.ndarray, rng: np.random.Generator, sweeps: int) -> None:
    """Gibbs steps of the loop-free configuration model, in place: for distinct nodes a, b, c,
    d the 2 x 2 table of pairs ab, ad, cb, cd has fixed row and column sums, and its ab count
    is drawn afresh from its hypergeometric law given them. One sweep steps on the disjoint
    quadruples of a random permutation of the linked nodes."""
    linked = np.flatnonzero(matrix.sum(axis=1) > 0)
    n_quads = len(linked) // 4
    for _ in range(sweeps if n_quads else 0):
        a, b, c, d = rng.permutation(linked)[: 4 * n_quads].reshape(n_quads, 4).T
        row_a, row_c = matrix[a, b] + matrix[a, d], matrix[c, b] + matrix[c, d]
        column_b = matrix[a, b] + matrix[c, b]
        ab = rng.hypergeometric(row_a, row_c, column_b)
        for (i, j), value in (((a, b), ab), ((a, d), row_a - ab), ((c, b), column_b - ab),
                              ((c, d), row_c - column_b + ab)):
            matrix[i, j] = value
            matrix[j, i] = value


def randomise_keeping_strengths(counts: np.ndarray, rng: np.random.Generator,
                                sweeps: int = 10) -> np.ndarray:
    r"""A random integer count matrix with exactly the strengths (and zero diagonal) of ``counts``.

    The null model is the configuration model without loops (Newman 2010, ch. 13): each
    country's strength is a number of link ends (stubs), paired at random, so that
    :math:`E[c_{ij}] \approx s_i s_j / 2W`, the expectation behind ``affinity``. A draw pairs the
    stubs while avoiding loops (strongest country first), rewires the few loops left with pairs
    drawn in proportion to their works (the usual loop removal), then runs ``sweeps`` Gibbs
    sweeps of the loop-free model (:math:`P(C) \propto 1 / \prod_{i<j} c_{ij}!` on matrices
    with the observed strengths) to wash out what the sequential pairing biased. On the real
    2023 network the null rich-club coefficients move by less than 0.001 between 0 and 1,000
    sweeps, and the mean of 40 draws is within 0.7% (median over pairs expecting more than 50
    works; US pairs about 1% low) of the model's expectation :math:`x_i x_j`, where
    :math:`s_i = x_i \sum_{j \ne i} x_j`. Strengths are kept exactly; isolates stay isolated.

    >>> counts = np.array([[0, 3, 1, 0], [3, 0, 1, 0], [1, 1, 0, 2], [0, 0, 2, 0]])
    >>> random = randomise_keeping_strengths(counts, np.random.default_rng(1))
    >>> random.sum(axis=1).tolist(), bool((random == random.T).all()), random.trace()
    ([4, 4, 4, 2], True, np.int64(0))
    """
    counts = np.asarray(counts)
    if not np.array_equal(np.round(counts), counts):
        raise ValueError("the randomisation moves whole works: counts must be whole numbers")
    table = _pair_stubs(counts.sum(axis=1).astype(np.int64), rng)
    matrix = table + table.T
    np.fill_diagonal(matrix, 0)
    _rewire_loops(matrix, np.diag(table), rng)
    _gibbs_sweeps(matrix, rng, sweeps)
    return matrix


def rich_club_table(graph: YearGraph, randomisations: int, rng: np.random.Generator,
                    ) -> pd.DataFrame:
    """Observed and null weighted rich-club coefficients of the clubs of the k strongest
    countries, k = 2..(number of linked countries), and their ratio rho (> 1: the strongest
    countries collaborate among themselves more than strengths alone predict).

    Returns a frame ``country, phi, phi_null, rho``: row k is the club whose weakest member is
    ``country`` (the country of strength rank k).
    """
    order = strength_order(graph)
    linked = order[graph.strengths[order] > 0]
    observed = rich_club_coefficients(graph.counts, linked)
    nulls = np.array([rich_club_coefficients(randomise_keeping_strengths(graph.counts, rng),
                                             linked) for _ in range(randomisations)])
    with np.errstate(invalid="ignore", divide="ignore"):
        phi_null = nulls.mean(axis=0) if randomisations else np.full_like(observed, np.nan)
    return pd.DataFrame({"country": [graph.codes[i] for i in linked], "phi": observed,
                         "phi_null": phi_null, "rho": observed / phi_null}).iloc[1:]


def graph_statistics(graph: YearGraph, randomisations: int = 100, seed: int = 0) -> pd.DataFrame:
    """Every statistic of one year, as a long table ``year, statistic, country, value``.

    Whole-graph statistics have ``country == ""``; per-country statistics name the country;
    rich-club rows name the weakest (k-th strongest) member of their club, so the club of size k
    is the countries whose ``strength_rank`` is at most k.

    The randomisations draw from the year's seed (`bibnet.seeds.year_seed`): each year is
    reproducible on its own, whatever other years run. They move whole works, so under fractional counting
    none is drawn (``rich_club_randomisations`` is 0, ``phi_null`` and ``rho`` are NaN).
    """
    if not np.array_equal(np.round(graph.counts), graph.counts):
        log.warning("%d: %s counts are not whole works, so the rich-club null (which moves whole "
                    "works) is not drawn", graph.year, graph.counting)
        randomisations = 0
    strengths = graph.strengths
    total = strengths.sum() / 2
    n = len(graph.codes)
    order = strength_order(graph)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    outside_top = {k: np.ix_(order[k:], order[k:]) for k in TOP_CLUBS}
    linked_pairs = len(graph.pairs()[0])
    whole = {
        "countries": n,
        "linked_pairs": linked_pairs,
        "density": linked_pairs / (n * (n - 1) / 2) if n > 1 else np.nan,
        "pair_works_total": total,
        "strength_gini": gini(strengths),
        **{f"top{k}_pair_works_share": 1 - graph.counts[outside_top[k]].sum() / 2 / total
           if total else np.nan for k in TOP_CLUBS},
        **{f"top{k}_linked_pairs_share":
           1 - np.count_nonzero(graph.counts[outside_top[k]]) / 2 / linked_pairs
           if linked_pairs else np.nan for k in TOP_CLUBS},
        "selection_min_works": graph.selection.min_works,
        "selection_min_edge": graph.selection.min_edge,
        "selection_dropped_countries": len(graph.selection.dropped_countries),
        "selection_dropped_pairs": len(graph.selection.dropped_pairs),
        "rich_club_randomisations": randomisations,
    }
    per_country = {
        "intl_works": graph.intl_works,
        "strength": strengths,
        "strength_share": strengths / strengths.sum() if total else np.full(n, np.nan),
        "strength_rank": rank,
        "k_core": np.array(graph.to_igraph().coreness(), dtype=np.float64),
        "s_core": s_core_numbers(graph.counts),
    }
    rich_club = rich_club_table(graph, randomisations, np.random.default_rng(year_seed(seed, graph.year)))
    frames = [pd.DataFrame({"statistic": list(whole), "country": "", "value": list(whole.values())})]
    frames += [pd.DataFrame({"statistic": name, "country": graph.codes, "value": values})
               for name, values in per_country.items()]
    frames += [rich_club[["country", column]].rename(columns={column: "value"})
               .assign(statistic=f"rich_club_{column}") for column in ("phi", "phi_null", "rho")]
    table = pd.concat(frames, ignore_index=True).assign(year=graph.year)
    return table[list(STATS_COLUMNS)].astype(STATS_COLUMNS)
