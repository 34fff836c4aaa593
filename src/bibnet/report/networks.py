"""Each year's network with what the study found of every country, for Gephi and the like.

The graph stage's exports (``data/processed/graphs/``) carry the counts and the countries'
sizes; these carry, besides, each country's place in the results as node attributes, so that an
analyst can colour a network by them: ``size_class`` (its class of collaboration volume),
``bloc`` (its degree-corrected bloc, ``bibnet.blockmodels``), ``centre`` (whether it is one of
the year's centres), ``sphere`` (the centre it prefers beyond size; empty for a centre or a
country not tested) and ``sphere_member`` (whether that preference passes its tests; a country
outside every sphere has ``sphere_member`` false). They are written to ``reports/networks/``
(`bibnet.outputs.REPORT_NETWORK`), so the folder passed on holds them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx
import pandas as pd

from bibnet.graphs.export import export_graph, write_gexf_graph
from bibnet.graphs.files import read_year_graph
from bibnet.logs import job_entry
from bibnet.outputs import check_made_from
from bibnet.report.inputs import year_study

#: The node attributes the study adds, in the order the files list them.
STUDY_ATTRIBUTES = ("size_class", "bloc", "centre", "sphere", "sphere_member")


def study_attributes(classes: pd.DataFrame, study: Mapping) -> dict[str, dict]:
    """Each country's `STUDY_ATTRIBUTES` from its year's classes table and study record
    (`bibnet.report.inputs.year_study`); countries in neither get none."""
    centres = set(study["centres"]["centres"])
    found: dict[str, dict] = {}
    for row in classes.itertuples(index=False):
        found[str(row.country)] = {"size_class": str(row.size_class), "bloc": int(row.bloc)}
    for code in set(found) | centres | set(study["sphere_of"]):
        row = study["sphere_of"].get(code, {})
        found.setdefault(code, {}).update(
            centre=code in centres, sphere=row.get("sphere") or "",
            sphere_member=bool(row.get("member")))
    return found


def annotated_graph(graph, attributes: Mapping[str, Mapping], export_weight: str) -> nx.Graph:
    """The graph stage's export graph with each country's study attributes on its node."""
    exported = export_graph(graph, export_weight)
    for code, values in attributes.items():
        if code in exported:
            exported.nodes[code].update(values)
    return exported


@job_entry(quiet=True)
def write_networks(counts_path: str | Path, totals_path: str | Path, classes_path: str | Path,
                   study_path: str | Path, out_paths: Sequence[str | Path], *,
                   countries, graphs: Mapping, made_from: Mapping) -> nx.Graph:
    """Write one year's annotated network as GraphML and GEXF (``out_paths``, by suffix).

    Parameters
    ----------
    counts_path, totals_path : path
        The year's counts tables.
    classes_path, study_path : path
        The year's classes table (``blockmodels/{year}.classes.parquet``) and study record
        (``hypotheses/{year}.json``).
    out_paths : sequence of path
        ``.graphml`` and ``.gexf`` files.
    countries, graphs
        The selection the graph is built with and the export weight (``graphs``).
    made_from : mapping
        The configuration the inputs must have been made from.
    """
    check_made_from(made_from, [counts_path, totals_path, classes_path, study_path])
    graph = read_year_graph(counts_path, totals_path, countries, graphs)
    attributes = study_attributes(pd.read_parquet(classes_path), year_study(study_path))
    exported = annotated_graph(graph, attributes, graphs["export_weight"])
    for path in map(Path, out_paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".graphml":
            nx.write_graphml(exported, path, encoding="utf-8")
        elif path.suffix == ".gexf":
            write_gexf_graph(exported, graph, graphs["export_weight"], path)
        else:
            raise ValueError(f"{path}: annotated networks are written as .graphml or .gexf")
    return exported
