"""The graphs on the real OpenAlex networks in ../shared (skipped where absent)."""

import numpy as np
import pytest

from bibnet.counts import pair_tables, rows_from_pajek
from bibnet.graphs import build_year_graph, graph_statistics
from bibnet.pajek import read_network


def year_graph(folder, year):
    tables = pair_tables(year, rows_from_pajek(folder / f"WrldCo{year}.net"), countries="all")
    return build_year_graph(tables.counts, tables.totals)


def test_2005_has_the_linked_pairs_of_the_pajek_file(real_data):
    matrix = read_network(real_data / "WrldCo2005.net").matrix
    symmetric = np.maximum(matrix, matrix.T)
    np.fill_diagonal(symmetric, 0)
    in_file = int(np.count_nonzero(np.triu(symmetric)))
    graph = year_graph(real_data, 2005)
    assert len(graph.pairs()[0]) == in_file
    assert in_file > 5000


@pytest.mark.parametrize("year", range(1995, 2016))
def test_us_gb_de_are_the_three_largest_strengths(real_data, year):
    graph = year_graph(real_data, year)
    top3 = {graph.codes[i] for i in np.argsort(-graph.strengths)[:3]}
    assert top3 == {"US", "GB", "DE"}


def test_namibia_is_a_node_with_its_code(real_data):
    graph = year_graph(real_data, 2005)
    assert graph.names[graph.codes.index("NA")] == "Namibia"
    assert graph.continents[graph.codes.index("NA")] == "Africa"


def test_real_year_statistics_are_consistent(real_data):
    graph = year_graph(real_data, 2005)
    stats = graph_statistics(graph, randomisations=5, seed=1).set_index(["statistic", "country"])
    value = stats["value"]
    assert value["strength_rank", "US"] == 1
    assert value["top1_pair_works_share", ""] < value["top5_pair_works_share", ""] < 1
    assert 0 < value["strength_gini", ""] < 1
    assert value["k_core", "US"] == value.xs("k_core", level="statistic").max()
