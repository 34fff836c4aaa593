"""Statistics on small graphs whose answers are known by hand, and the strength-preserving
randomisation behind the rich-club coefficient."""

import numpy as np
import pytest

from bibnet.graphs import graph_statistics, randomise_keeping_strengths
from bibnet.graphs.stats import _rewire_loops, gini, rich_club_coefficients, s_core_numbers
from graph_examples import four_country_graph


@pytest.fixture(scope="module")
def table():
    stats = graph_statistics(four_country_graph(), randomisations=5, seed=3)
    return {(row.statistic, row.country): row.value for row in stats.itertuples()}


def test_whole_graph_statistics(table):
    # DE-GB 4, DE-NA 2, GB-NA 1, NA-US 1; strengths DE 6, GB 5, NA 4, US 1.
    expected = {"countries": 4, "linked_pairs": 4, "density": 4 / 6, "pair_works_total": 8,
                "strength_gini": 0.25,  # sum |s_i - s_j| = 32 over 2 n^2 mean = 128
                "top1_pair_works_share": 6 / 8, "top5_pair_works_share": 1,
                "top10_pair_works_share": 1, "top1_linked_pairs_share": 2 / 4,
                "top5_linked_pairs_share": 1, "top10_linked_pairs_share": 1,
                "selection_min_works": 1,
                "selection_min_edge": 1, "selection_dropped_countries": 0,
                "selection_dropped_pairs": 0, "rich_club_randomisations": 5}
    assert {k: table[k, ""] for k in expected} == pytest.approx(expected)


def test_per_country_statistics(table):
    def per_country(name):
        return [table[name, code] for code in ("DE", "GB", "NA", "US")]
    assert per_country("strength") == [6, 5, 4, 1]
    assert per_country("strength_share") == pytest.approx([6 / 16, 5 / 16, 4 / 16, 1 / 16])
    assert per_country("strength_rank") == [1, 2, 3, 4]
    assert per_country("intl_works") == [5, 4, 3, 1]
    assert per_country("k_core") == [2, 2, 2, 1]  # triangle DE-GB-NA, US hangs on NA
    # peel US at 1; NA is left with 3; then DE and GB with 4 each.
    assert per_country("s_core") == [4, 4, 3, 1]


def test_rich_club_rows_name_the_weakest_member(table):
    # Clubs {DE, GB}, {DE, GB, NA}, all: each holds the heaviest links, so phi = 1.
    assert [table["rich_club_phi", c] for c in ("GB", "NA", "US")] == [1, 1, 1]
    assert ("rich_club_phi", "DE") not in table


def test_table_schema_and_selection_report():
    stats = graph_statistics(four_country_graph(min_edge=2), randomisations=0)
    assert list(stats.columns) == ["year", "statistic", "country", "value"]
    assert stats.dtypes.astype(str).tolist() == ["int64", "string", "string", "float64"]
    assert (stats["year"] == 2005).all()
    dropped = stats.set_index(["statistic", "country"]).loc[("selection_dropped_pairs", ""), "value"]
    assert dropped == 2


def test_gini_known_values():
    assert gini(np.ones(5)) == 0
    assert gini(np.array([0, 0, 0, 1.0])) == pytest.approx(0.75)
    assert gini(np.array([1, 3.0])) == pytest.approx(0.25)
    assert np.isnan(gini(np.zeros(3)))


def test_s_core_of_unweighted_graph_is_k_core():
    # A triangle with a pendant: k-cores 2, 2, 2, 1.
    counts = np.zeros((4, 4))
    for i, j in [(0, 1), (0, 2), (1, 2), (2, 3)]:
        counts[i, j] = counts[j, i] = 1
    assert s_core_numbers(counts).tolist() == [2, 2, 2, 1]


def test_rich_club_where_the_club_misses_the_heaviest_link():
    # Order A, B, C, D with A-B 1, C-D 5: the club {A, B} holds 1 of the top link's 5.
    counts = np.zeros((4, 4))
    for i, j, w in [(0, 1, 1), (2, 3, 5), (0, 2, 1)]:
        counts[i, j] = counts[j, i] = w
    phi = rich_club_coefficients(counts, np.arange(4))
    assert np.isnan(phi[0])
    assert phi[1:].tolist() == pytest.approx([1 / 5, 2 / 6, 7 / 7])


def random_graph_counts(seed, n=40):
    rng = np.random.default_rng(seed)
    s = rng.pareto(1.2, n) * 20 + 1
    upper = np.triu(rng.poisson(np.outer(s, s) / s.sum()), k=1)
    return upper + upper.T


@pytest.mark.parametrize("seed", range(5))
def test_randomisation_keeps_every_strength_exactly(seed):
    counts = random_graph_counts(seed)
    random = randomise_keeping_strengths(counts, np.random.default_rng(seed))
    tolerance = 0  # whole works are moved, so strengths are kept exactly
    assert np.abs(random.sum(axis=1) - counts.sum(axis=1)).max() <= tolerance
    np.testing.assert_array_equal(random, random.T)
    assert (np.diag(random) == 0).all() and (random >= 0).all()
    assert not np.array_equal(random, counts)


def test_randomisation_is_reproducible_from_the_seed():
    counts = random_graph_counts(7)
    first = randomise_keeping_strengths(counts, np.random.default_rng(11))
    again = randomise_keeping_strengths(counts, np.random.default_rng(11))
    other = randomise_keeping_strengths(counts, np.random.default_rng(12))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_randomisation_mean_follows_the_configuration_model():
    # A star can only be itself; a dense graph's mean approaches s_i s_j / 2W in ranking.
    star = np.zeros((5, 5), dtype=np.int64)
    star[0, 1:] = star[1:, 0] = [3, 2, 2, 1]
    np.testing.assert_array_equal(randomise_keeping_strengths(star, np.random.default_rng(0)), star)
    counts = random_graph_counts(3, n=30) * 20
    rng = np.random.default_rng(0)
    mean = np.mean([randomise_keeping_strengths(counts, rng) for _ in range(50)], axis=0)
    s = counts.sum(axis=1)
    linked = np.triu(np.outer(s, s), k=1) > 0
    expected = np.outer(s, s)[linked]
    assert np.corrcoef(mean[linked], expected)[0, 1] > 0.95


def test_statistics_are_reproducible_from_the_seed():
    graph = four_country_graph()
    first = graph_statistics(graph, randomisations=3, seed=5)
    assert first.equals(graph_statistics(graph, randomisations=3, seed=5))


def test_randomisation_refuses_fractional_counts():
    with pytest.raises(ValueError, match="whole numbers"):
        randomise_keeping_strengths(np.array([[0, 0.5], [0.5, 0]]), np.random.default_rng(0))


def test_loop_rewiring_stops_where_no_pair_can_take_a_loop():
    matrix = np.array([[0, 1], [1, 0]])
    with pytest.raises(ValueError, match=r"loops of nodes \[0\]"):
        _rewire_loops(matrix, np.array([1, 0]), np.random.default_rng(0))


def test_loop_rewiring_gives_each_loop_two_links_and_keeps_strengths():
    matrix = np.zeros((4, 4), dtype=np.int64)
    for i, j, w in [(1, 2, 3), (0, 1, 1), (2, 3, 2)]:
        matrix[i, j] = matrix[j, i] = w
    loops = np.array([2, 0, 0, 0])
    target = matrix.sum(axis=1) + 2 * loops
    _rewire_loops(matrix, loops, np.random.default_rng(4))
    np.testing.assert_array_equal(matrix.sum(axis=1), target)
    np.testing.assert_array_equal(matrix, matrix.T)
    assert (np.diag(matrix) == 0).all() and (matrix >= 0).all()
