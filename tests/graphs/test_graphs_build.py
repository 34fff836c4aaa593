"""The canonical YearGraph: selection, its report, and the networkx / igraph conversions."""

import numpy as np
import pandas as pd
import pytest

from bibnet.graphs import build_year_graph
from graph_examples import CODES, PAIRS, counts_frame, four_country_graph, totals_frame


def test_codes_sorted_matrix_symmetric_zero_diagonal():
    graph = four_country_graph()
    assert graph.codes == CODES
    assert graph.counts.dtype == np.float64
    np.testing.assert_array_equal(graph.counts, graph.counts.T)
    assert (np.diag(graph.counts) == 0).all()
    index = {code: i for i, code in enumerate(CODES)}
    for a, b, works in PAIRS:
        assert graph.counts[index[a], index[b]] == works
    assert graph.strengths.tolist() == [6, 5, 4, 1]
    assert graph.intl_works.tolist() == [5, 4, 3, 1]


def test_names_and_continents_follow_codes():
    graph = four_country_graph()
    assert graph.names == ("Germany", "United Kingdom", "Namibia", "United States")
    assert graph.continents == ("Europe", "Europe", "Africa", "North America")


def test_parquet_string_dtypes_are_accepted():
    counts = counts_frame().astype({"country_a": "string", "country_b": "string"})
    totals = totals_frame().astype({"country": "string"})
    graph = build_year_graph(counts, totals)
    assert graph.codes == CODES and all(type(code) is str for code in graph.codes)


def test_country_list_drops_other_countries_and_their_pairs():
    graph = four_country_graph(countries=["DE", "GB", "NA"])
    assert graph.codes == ("DE", "GB", "NA")
    assert graph.selection.dropped_countries == ("US",)
    assert graph.selection.dropped_pairs == (("NA", "US"),)
    assert graph.selection.countries == ("DE", "GB", "NA")


def test_min_works_drops_countries_then_min_edge_drops_pairs_keeping_isolates():
    graph = four_country_graph(min_works=3, min_edge=2)
    assert graph.codes == ("DE", "GB", "NA")  # US has 1 international work
    assert graph.selection.dropped_countries == ("US",)
    assert graph.selection.dropped_pairs == (("GB", "NA"), ("NA", "US"))
    assert graph.strengths.tolist() == [6, 4, 2]
    assert (graph.selection.min_works, graph.selection.min_edge) == (3, 2)


def test_min_edge_below_one_keeps_fractional_pairs_and_zero_keeps_every_pair():
    fractional = [("DE", "GB", 2.5), ("DE", "NA", 0.5), ("GB", "NA", 0.25), ("NA", "US", 1.0)]
    graph = build_year_graph(counts_frame(fractional), totals_frame(), min_edge=0.5)
    assert graph.selection.dropped_pairs == (("GB", "NA"),)
    every = build_year_graph(counts_frame(fractional), totals_frame(), min_edge=0)
    assert every.selection.dropped_pairs == () and every.strengths.sum() == 2 * 4.25


def test_country_without_pairs_is_an_isolate():
    totals = dict(zip(CODES, [5, 4, 3, 1])) | {"KR": 2}
    graph = build_year_graph(counts_frame(), totals_frame(totals))
    assert "KR" in graph.codes and graph.strengths[graph.codes.index("KR")] == 0


def test_more_than_one_year_is_refused():
    counts = pd.concat([counts_frame(year=2005), counts_frame(year=2006)])
    with pytest.raises(ValueError, match="one year"):
        build_year_graph(counts, totals_frame())


def test_pair_of_a_country_without_total_is_refused():
    with pytest.raises(ValueError, match="without a total: US"):
        build_year_graph(counts_frame(), totals_frame({"DE": 5, "GB": 4, "NA": 3}))


@pytest.mark.parametrize("pairs", [PAIRS + [("DE", "GB", 1)], PAIRS + [("US", "DE", 1)],
                                   PAIRS + [("DE", "DE", 1)]])
def test_repeated_or_unordered_pairs_are_refused(pairs):
    with pytest.raises(ValueError, match="unique with country_a < country_b"):
        build_year_graph(counts_frame(pairs), totals_frame())


def test_year_without_pairs_gives_an_empty_matrix():
    graph = build_year_graph(counts_frame(pairs=[]), totals_frame())
    assert graph.counts.shape == (4, 4) and not graph.counts.any()


def test_to_networkx_carries_codes_attributes_and_both_weights():
    graph = four_country_graph()
    weights = graph.counts / 10
    nx_graph = graph.to_networkx(weights)
    assert list(nx_graph.nodes) == list(CODES)
    assert nx_graph.nodes["NA"] == {"code": "NA", "name": "Namibia", "continent": "Africa",
                                    "intl_works": 3, "strength": 4}
    assert nx_graph.edges["DE", "GB"] == {"works": 4, "weight": 0.4}
    assert nx_graph.number_of_edges() == len(PAIRS)
    assert nx_graph.graph["year"] == 2005


def test_to_igraph_matches_to_networkx():
    graph = four_country_graph()
    ig_graph = graph.to_igraph()
    assert ig_graph.vs["name"] == list(CODES)
    assert ig_graph.vs["label"][2] == "Namibia"
    edges = {(ig_graph.vs[e.source]["name"], ig_graph.vs[e.target]["name"]): (e["works"], e["weight"])
             for e in ig_graph.es}
    assert edges == {(a, b): (w, float(w)) for a, b, w in PAIRS}
    assert ig_graph.strength(weights="works") == graph.strengths.tolist()


def test_arrays_are_read_only():
    graph = four_country_graph()
    with pytest.raises(ValueError, match="read-only"):
        graph.counts[0, 1] = 99
    with pytest.raises(ValueError, match="read-only"):
        graph.intl_works[0] = 99
