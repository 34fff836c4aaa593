"""The graph stage's file interface: one year's counts tables in, its exports and statistics out.

The Snakemake rules call :func:`write_year`; other stages (the blockmodels) get the same graph,
with the same selection, from :func:`read_year_graph`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bibnet.counting import COUNTING_KEY
from bibnet.graphs.build import YearGraph, build_year_graph
from bibnet.graphs.export import write_exports
from bibnet.graphs.stats import graph_statistics
from bibnet.logs import job_entry

log = logging.getLogger(__name__)


def read_year_graph(config: Mapping, counts_path: str | Path, totals_path: str | Path,
                    ) -> YearGraph:
    """One year's :class:`YearGraph` from its counts and totals Parquet files, selected as the
    checked ``config`` says (``countries``, ``graphs.min_works``, ``graphs.min_edge``)."""
    return build_year_graph(pd.read_parquet(counts_path), pd.read_parquet(totals_path),
                            countries=config["countries"],
                            min_works=config["graphs"]["min_works"],
                            min_edge=config["graphs"]["min_edge"])


@job_entry
def write_year(config: Mapping, counts_path: str | Path, totals_path: str | Path,
               stats_path: str | Path, export_paths: Mapping[str, str | Path]) -> YearGraph:
    """Build one year's graph and write its statistics (Parquet) and exports.

    Parameters
    ----------
    config : mapping
        The checked workflow configuration (``countries``, ``seed``, ``graphs``).
    counts_path, totals_path : path
        The year's ``counts`` and ``country_totals`` tables.
    stats_path : path
        Where the year's long statistics table goes.
    export_paths : mapping of str to path
        Export file by suffix (``graphml``, ``gexf``, ``net``, ``vosviewer.json``).
    """
    graph = read_year_graph(config, counts_path, totals_path)
    log.info("%d: %d countries, %d linked pairs; left out %d countries and %d pairs",
             graph.year, len(graph.codes), len(graph.pairs()[0]),
             len(graph.selection.dropped_countries), len(graph.selection.dropped_pairs))
    stats = graph_statistics(graph, config["graphs"]["rich_club_randomisations"], config["seed"])
    stats.attrs[COUNTING_KEY] = graph.counting
    Path(stats_path).parent.mkdir(parents=True, exist_ok=True)
    stats.to_parquet(stats_path, index=False)
    write_exports(graph, export_paths, config["graphs"]["export_weight"])
    return graph
