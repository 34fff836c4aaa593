"""The graphs of the research-field layers: one multi-relational Pajek network a year.

A layer's graph (`bibnet.taxonomy`: a field or a domain) is built from its own counts tables
with the same selection as all-science (``countries``, ``graphs.min_works``,
``graphs.min_edge``), so a country or pair below a threshold in a layer is left out of that
layer only. Its exports are all-science's (`bibnet.graphs.files.write_year_exports` of the
layer's tables) and name their layer.

The multi-relational network of a year (``{year}.layers.net``) holds every layer as one
relation of Pajek's multiple relations, numbered in the configured order (1 is all-science),
each a ``*edges :k "name"`` section carrying the configured export weight. Its vertices are
every country of any layer's graph, sorted by code; a country absent from a layer's graph has no
edge in that relation. Pajek opens it as one network of several relations; the project's own
reader gives each relation's matrix (`bibnet.pajek.read_relations`).

Examples
--------
>>> import pandas as pd
>>> from bibnet.graphs import build_year_graph
>>> counts = pd.DataFrame({"year": 2005, "country_a": ["GB", "GB"], "country_b": ["KR", "US"],
...                        "works": [5, 30]})
>>> totals = pd.DataFrame({"year": 2005, "country": ["GB", "KR", "US"], "intl_works": [50, 9, 70]})
>>> everything = build_year_graph(counts, totals)
>>> counts.attrs["bibnet.layer"] = "Engineering"
>>> engineering = build_year_graph(counts[counts.country_b == "KR"], totals[totals.country < "US"])
>>> codes, relations = layer_relations([everything, engineering], "count")
>>> codes, [name for name, _ in relations], relations[1][1].tolist()
(('GB', 'KR', 'US'), ['all', 'Engineering'], [[0.0, 5.0, 0.0], [5.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bibnet.graphs.build import YearGraph
from bibnet.graphs.export import _selection_text
from bibnet.graphs.files import checked_graph
from bibnet.graphs.normalise import NORMALISATIONS
from bibnet.logs import job_entry
from bibnet.outputs import made_from
from bibnet.pajek import write_relations

log = logging.getLogger(__name__)


def layer_relations(graphs: Sequence[YearGraph], export_weight: str
                    ) -> tuple[tuple[str, ...], list[tuple[str, np.ndarray]]]:
    """Every country of the graphs (sorted) and each graph's export weights over them, named by
    its layer."""
    years = {graph.year for graph in graphs}
    if len(years) != 1:
        raise ValueError(f"the layers of one network are of one year, not {sorted(years)}")
    names = [graph.layer for graph in graphs]
    if len(set(names)) != len(names):
        raise ValueError(f"each layer is one relation; these repeat: {names}")
    codes = tuple(sorted({code for graph in graphs for code in graph.codes}))
    index = {code: i for i, code in enumerate(codes)}
    relations = []
    for graph in graphs:
        position = np.array([index[code] for code in graph.codes], dtype=np.int64)
        matrix = np.zeros((len(codes), len(codes)))
        matrix[np.ix_(position, position)] = NORMALISATIONS[export_weight](graph.counts)
        relations.append((graph.layer, matrix))
    return codes, relations


@job_entry(quiet=True)
def write_multilayer_pajek(counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
                           out_path: str | Path, *, countries: str | Sequence[str],
                           graphs: Mapping) -> Path:
    """The year's multi-relational Pajek network, one relation per layer in the order of the
    tables given (all-science first); its comments name the weight, the counting scheme and
    each relation's layer and selection (``countries`` and ``graphs`` as
    `bibnet.graphs.files.write_year_exports`). The layers' tables must have been made from one
    configuration (`bibnet.outputs.made_from`)."""
    settings = {"countries": countries, "graphs": graphs}
    checked = [checked_graph(counts, totals, countries, graphs, settings)
               for counts, totals in zip(counts_paths, totals_paths, strict=True)]
    made_from({}, {f"the layer {graph.layer}": made for graph, made in checked})
    layer_graphs = [graph for graph, _ in checked]
    export_weight = graphs["export_weight"]
    codes, relations = layer_relations(layer_graphs, export_weight)
    first = layer_graphs[0]
    comments = (f"bibnet multi-relational country collaboration network {first.year}: one "
                "relation per research-field layer", f"edge weight: {export_weight}",
                f"counting: {first.counting}",
                *(f"relation {number}: {graph.layer}; {_selection_text(graph)}"
                  for number, graph in enumerate(layer_graphs, start=1)))
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    write_relations(out_path, list(codes), relations, comments)
    log.info("%d: %d layers over %d countries", first.year, len(layer_graphs), len(codes))
    return Path(out_path)
