"""Every export read back gives the same nodes, codes (including NA), names and weights."""

import json
from xml.etree import ElementTree

import networkx as nx
import numpy as np
import pytest

from bibnet.graphs import NORMALISATIONS, build_year_graph
from bibnet.graphs.export import CONTINENT_CLUSTERS, WRITERS, write_exports
from bibnet.pajek import read_network
from graph_examples import counts_frame, four_country_graph, totals_frame

GEXF = "http://www.gexf.net/1.2draft"


@pytest.fixture
def graph():
    # Add Åland Islands (AX) for a non-ASCII name.
    pairs = [("DE", "GB", 4), ("DE", "NA", 2), ("GB", "NA", 1), ("NA", "US", 1), ("AX", "DE", 3)]
    totals = {"AX": 3, "DE": 5, "GB": 4, "NA": 3, "US": 1}
    return build_year_graph(counts_frame(pairs), totals_frame(totals))


def exported(graph, tmp_path, weight):
    paths = {suffix: tmp_path / f"{graph.year}.{suffix}" for suffix in WRITERS}
    write_exports(graph, paths, weight)
    return paths


def edge_dict(nx_graph, key):
    return {frozenset((u, v)): data[key] for u, v, data in nx_graph.edges(data=True)}


def expected_edges(graph, matrix):
    rows, cols = graph.pairs()
    return {frozenset((graph.codes[i], graph.codes[j])): matrix[i, j] for i, j in zip(rows, cols)}


@pytest.mark.parametrize("weight", NORMALISATIONS)
@pytest.mark.parametrize("reader", [nx.read_graphml, nx.read_gexf])
def test_graphml_and_gexf_read_back(graph, tmp_path, weight, reader):
    suffix = "graphml" if reader is nx.read_graphml else "gexf"
    back = reader(exported(graph, tmp_path, weight)[suffix])
    assert sorted(back.nodes) == list(graph.codes)
    assert all(type(node) is str for node in back.nodes)
    assert back.nodes["NA"]["code"] == "NA" and back.nodes["NA"]["name"] == "Namibia"
    assert back.nodes["AX"]["label"] == "Åland Islands"
    assert back.nodes["DE"]["intl_works"] == 5 and back.nodes["DE"]["strength"] == 9
    assert edge_dict(back, "works") == expected_edges(graph, graph.counts)
    assert edge_dict(back, "weight") == expected_edges(graph, NORMALISATIONS[weight](graph.counts))


@pytest.mark.parametrize("weight", NORMALISATIONS)
def test_pajek_reads_back_with_the_project_reader(graph, tmp_path, weight):
    network = read_network(exported(graph, tmp_path, weight)["net"])
    assert network.codes == list(graph.codes)
    np.testing.assert_array_equal(network.matrix, NORMALISATIONS[weight](graph.counts))
    assert f"% edge weight: {weight}" in exported(graph, tmp_path, weight)["net"].read_text(
        encoding="utf-8-sig")


@pytest.mark.parametrize("weight", ["count", "association_strength"])
def test_vosviewer_json_reads_back(graph, tmp_path, weight):
    path = exported(graph, tmp_path, weight)["vosviewer.json"]
    text = path.read_text(encoding="utf-8")
    assert "Åland Islands" in text  # UTF-8, not \u escapes
    network = json.loads(text)["network"]
    assert [item["id"] for item in network["items"]] == list(graph.codes)
    na = network["items"][graph.codes.index("NA")]
    assert na["label"] == "Namibia" and na["cluster"] == CONTINENT_CLUSTERS["Africa"]
    assert na["weights"] == {"Links": 3, "Collaboration works": 4, "International works": 3}
    links = {frozenset((link["source_id"], link["target_id"])): link["strength"]
             for link in network["links"]}
    assert links == expected_edges(graph, NORMALISATIONS[weight](graph.counts))
    assert {c["label"] for c in network["clusters"]} == {"Africa", "Europe", "North America"}


def test_graph_attributes_report_weight_and_selection(tmp_path):
    graph = four_country_graph(min_edge=2)
    back = nx.read_graphml(exported(graph, tmp_path, "jaccard")["graphml"])
    assert back.graph["year"] == 2005 and back.graph["edge_weight"] == "jaccard"
    assert back.graph["min_edge"] == 2
    assert "dropped 0 countries and 2 pairs" in back.graph["selection"]


def test_same_graph_same_bytes(graph, tmp_path):
    first = exported(graph, tmp_path / "a", "cosine")
    second = exported(graph, tmp_path / "b", "cosine")
    for suffix in WRITERS:
        assert first[suffix].read_bytes() == second[suffix].read_bytes(), suffix
    assert b"lastmodifieddate" not in first["gexf"].read_bytes()


def test_unknown_export_weight_is_refused(graph, tmp_path):
    with pytest.raises(ValueError, match="unknown export weight 'pmi'"):
        exported(graph, tmp_path, "pmi")


def test_exports_name_the_counting_scheme_and_keep_fractional_works(tmp_path):
    counts = counts_frame([("DE", "GB", 2), ("DE", "US", 1), ("GB", "US", 1)])
    counts["works"] = counts["works"] / 2 + 0.25
    counts.attrs["bibnet.counting"] = "fractional"
    graph = build_year_graph(counts, totals_frame({"DE": 3, "GB": 3, "US": 2}))
    paths = exported(graph, tmp_path, "count")
    assert nx.read_graphml(paths["graphml"]).graph["counting"] == "fractional"
    for reader, suffix in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
        back = reader(paths[suffix])
        assert edge_dict(back, "works")[frozenset(("DE", "GB"))] == pytest.approx(1.25)
    assert "counting: fractional" in paths["net"].read_text(encoding="utf-8")
    meta = ElementTree.parse(paths["gexf"]).getroot().find(f"{{{GEXF}}}meta")
    description = meta.find(f"{{{GEXF}}}description")
    assert "counting: fractional" in description.text and "edge weight: count" in description.text
    whole = build_year_graph(counts_frame([("DE", "GB", 2)]), totals_frame({"DE": 2, "GB": 2}))
    assert nx.read_graphml(exported(whole, tmp_path / "w", "count")["graphml"]).graph[
        "counting"] == "whole"
