"""Files of one year's graph for the tools analysts already use.

=========================  ==========================  =======================================
file                       opens in                    written by
=========================  ==========================  =======================================
``{year}.graphml``         Gephi, Cytoscape, igraph    networkx ``write_graphml``
``{year}.gexf``            Gephi                       networkx's GEXF writer, without its
                                                       date stamp (same inputs, same bytes)
``{year}.net``             Pajek, VOSviewer            :func:`bibnet.pajek.write_network`
``{year}.vosviewer.json``  VOSviewer Online            here (networkx has no VOSviewer writer)
=========================  ==========================  =======================================

Nodes are identified by their ISO code, kept as text (Namibia stays ``"NA"``); names are written
in UTF-8 as given. Each edge's ``weight`` is the configured normalisation
(``graphs.export_weight``, see :mod:`bibnet.graphs.normalise`) and ``works`` the raw count; the
Pajek format has one weight per line, so the ``.net`` file carries the configured weight and
says which in its comments. Graph-level attributes record the year, the weight, the counting
scheme and the selection (GEXF, which networkx writes without them, in its description), and a
research-field layer's graph its layer (``bibnet.graphs.layers``).

Examples
--------
>>> import pandas as pd
>>> from bibnet.graphs import build_year_graph
>>> graph = build_year_graph(
...     pd.DataFrame({"year": 2005, "country_a": ["NA"], "country_b": ["ZA"], "works": [6]}),
...     pd.DataFrame({"year": 2005, "country": ["NA", "ZA"], "intl_works": [9, 40]}))
>>> network = vosviewer_map(graph, export_weight="cosine")["network"]
>>> network["items"][0]["id"], network["items"][0]["label"], network["links"]
('NA', 'Namibia', [{'source_id': 'NA', 'target_id': 'ZA', 'strength': 1}])
>>> export_graph(graph, "cosine").edges["NA", "ZA"]
{'works': 6, 'weight': 1.0}
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from bibnet.graphs.build import YearGraph
from bibnet.graphs.normalise import NORMALISATIONS
from bibnet.pajek import write_network
from bibnet.taxonomy import ALL

#: VOSviewer cluster number of each continent, so colours mean the same in every year.
CONTINENT_CLUSTERS = {"Africa": 1, "Antarctica": 2, "Asia": 3, "Europe": 4, "North America": 5,
                      "Oceania": 6, "South America": 7}


def _selection_text(graph: YearGraph) -> str:
    selection = graph.selection
    countries = selection.countries if selection.countries == "all" else ",".join(selection.countries)
    return (f"countries={countries}; min_works={selection.min_works}; "
            f"min_edge={selection.min_edge}; dropped {len(selection.dropped_countries)} "
            f"countries and {len(selection.dropped_pairs)} pairs")


def export_graph(graph: YearGraph, export_weight: str) -> nx.Graph:
    """The networkx graph every export writes: node ``label`` is the country's name, edge
    ``weight`` the ``export_weight`` normalisation and ``works`` the count."""
    exported = graph.to_networkx(NORMALISATIONS[export_weight](graph.counts))
    for code, name in zip(graph.codes, graph.names):
        exported.nodes[code]["label"] = name
    exported.graph.update(edge_weight=export_weight, selection=_selection_text(graph),
                          counting=graph.counting)
    if graph.layer != ALL:
        exported.graph["layer"] = graph.layer
    return exported


def write_graphml(graph: YearGraph, path: str | Path, export_weight: str = "count") -> None:
    """GraphML with typed node, edge and graph attributes."""
    nx.write_graphml(export_graph(graph, export_weight), path, encoding="utf-8")


def _about(graph: YearGraph, export_weight: str) -> tuple[str, ...]:
    """What a file without typed graph attributes says of its graph, line by line."""
    layer = "" if graph.layer == ALL else f", layer {graph.layer}"
    return (f"bibnet country collaboration graph {graph.year}{layer}",
            f"edge weight: {export_weight}", f"counting: {graph.counting}",
            _selection_text(graph))


def write_gexf(graph: YearGraph, path: str | Path, export_weight: str = "count") -> None:
    """GEXF 1.2. networkx writes no graph attributes into GEXF, so the year, weight, counting
    scheme and selection go into ``<meta><description>`` (Gephi shows it); networkx also stamps
    the day of writing into ``<meta>``, which is dropped, so the same graph always gives the
    same bytes."""
    write_gexf_graph(export_graph(graph, export_weight), graph, export_weight, path)


def write_gexf_graph(exported: nx.Graph, graph: YearGraph, export_weight: str,
                     path: str | Path) -> None:
    """Write ``exported`` (`export_graph` of ``graph``, perhaps with more node attributes) as
    :func:`write_gexf` does."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(exported)
    meta = writer.xml.find("meta")
    meta.attrib.pop("lastmodifieddate")
    description = meta.makeelement("description", {})
    description.text = "; ".join(_about(graph, export_weight))
    meta.append(description)
    writer.write(path)


def write_pajek(graph: YearGraph, path: str | Path, export_weight: str = "count") -> None:
    """Pajek ``.net``: vertices labelled with codes, ``*edges`` with the export weight."""
    weights = NORMALISATIONS[export_weight](graph.counts)
    write_network(path, graph.codes, weights, comments=_about(graph, export_weight))


def vosviewer_map(graph: YearGraph, export_weight: str = "count") -> dict:
    """A VOSviewer JSON map: items (id = code, label = name, cluster = continent, weights),
    links with the export weight as strength, and the continents as labelled clusters.

    Item weights are counts whatever the export weight: ``Links`` (partners),
    ``Collaboration works`` (strength: the sum of the works of its pairs) and
    ``International works``. A country of unknown continent has no cluster.
    """
    weights = NORMALISATIONS[export_weight](graph.counts)
    links = (graph.counts > 0).sum(axis=1)
    items = [{"id": attrs["code"], "label": attrs["name"],
              "description": f"{attrs['code']}, {attrs['continent'] or 'continent unknown'}",
              **({"cluster": CONTINENT_CLUSTERS[attrs["continent"]]}
                 if attrs["continent"] in CONTINENT_CLUSTERS else {}),
              "weights": {"Links": int(n_links), "Collaboration works": attrs["strength"],
                          "International works": attrs["intl_works"]}}
             for attrs, n_links in zip(graph.node_attributes(), links)]
    rows, cols = graph.pairs()
    return {"network": {
        "items": items,
        "links": [{"source_id": graph.codes[i], "target_id": graph.codes[j],
                   "strength": _json_number(weights[i, j])}
                  for i, j in zip(rows.tolist(), cols.tolist())],
        "clusters": [{"cluster": number, "label": continent}
                     for continent, number in CONTINENT_CLUSTERS.items()
                     if continent in graph.continents]}}


def _json_number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def write_vosviewer_json(graph: YearGraph, path: str | Path, export_weight: str = "count") -> None:
    """The :func:`vosviewer_map` as UTF-8 JSON (names unescaped)."""
    Path(path).write_text(json.dumps(vosviewer_map(graph, export_weight), ensure_ascii=False,
                                     indent=1) + "\n", encoding="utf-8")


#: Writer of each export, by file suffix.
WRITERS = {"graphml": write_graphml, "gexf": write_gexf, "net": write_pajek,
           "vosviewer.json": write_vosviewer_json}


def write_exports(graph: YearGraph, paths: dict[str, str | Path], export_weight: str) -> None:
    """Write every export of ``paths`` (suffix -> path, suffixes from :data:`WRITERS`)."""
    if export_weight not in NORMALISATIONS:
        raise ValueError(f"unknown export weight {export_weight!r}; "
                         f"choose one of {', '.join(NORMALISATIONS)}")
    for suffix, path in paths.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        WRITERS[suffix](graph, path, export_weight)
