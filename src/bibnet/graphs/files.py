"""The graph stage's file interface: one year's counts tables in, its statistics or its exports
out.

The Snakemake rules call :func:`write_statistics` and :func:`write_year_exports` (two rules, so
that an edit of the exported weight re-runs the exports only, and one of the rich-club
randomisations the statistics only); other stages (the study) get the same graph, with the same
selection, from :func:`read_year_graph`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from bibnet.graphs.build import YearGraph, build_year_graph
from bibnet.graphs.export import write_exports
from bibnet.graphs.stats import graph_statistics
from bibnet.logs import job_entry
from bibnet.outputs import CONFIG_KEY, COUNTING_KEY, config_slice, made_from
from bibnet.taxonomy import ALL

log = logging.getLogger(__name__)


def read_year_graph(counts_path: str | Path, totals_path: str | Path,
                    countries: str | Sequence[str], graphs: Mapping) -> YearGraph:
    """One year's :class:`YearGraph` from its counts and totals Parquet files, selected by
    ``countries`` and ``graphs`` (its ``min_works`` and ``min_edge``)."""
    return build_year_graph(pd.read_parquet(counts_path), pd.read_parquet(totals_path),
                            countries=countries, min_works=graphs["min_works"],
                            min_edge=graphs["min_edge"])


def checked_graph(counts_path: str | Path, totals_path: str | Path,
                  countries: str | Sequence[str], graphs: Mapping, settings: Mapping
                  ) -> tuple[YearGraph, dict]:
    """The year's graph (`read_year_graph`) and what it was made from: ``settings`` (the
    stage's slice) joined with its tables' records (`bibnet.outputs.made_from`, which refuses
    tables made from another configuration)."""
    graph = read_year_graph(counts_path, totals_path, countries, graphs)
    log.info("%d%s: %d countries, %d linked pairs; left out %d countries and %d pairs",
             graph.year, "" if graph.layer == ALL else f" [{graph.layer}]", len(graph.codes),
             len(graph.pairs()[0]), len(graph.selection.dropped_countries),
             len(graph.selection.dropped_pairs))
    inputs = {str(path): pd.read_parquet(path).attrs.get(CONFIG_KEY)
              for path in (counts_path, totals_path)}
    return graph, made_from(config_slice(**settings), inputs)


@job_entry
def write_statistics(counts_path: str | Path, totals_path: str | Path, stats_path: str | Path,
                     *, countries: str | Sequence[str], graphs: Mapping, seed: int) -> YearGraph:
    """Build one year's graph and write its statistics (Parquet, `graph_statistics`).

    Parameters
    ----------
    counts_path, totals_path : path
        The year's ``counts`` and ``country_totals`` tables.
    stats_path : path
        Where the year's long statistics table goes.
    countries, graphs, seed
        The configuration's ``countries``, ``graphs`` (``min_works``, ``min_edge``,
        ``rich_club_randomisations``) and ``seed``.
    """
    graph, settings = checked_graph(counts_path, totals_path, countries, graphs,
                                    {"countries": countries, "graphs": graphs, "seed": seed})
    stats = graph_statistics(graph, graphs["rich_club_randomisations"], seed)
    stats.attrs.update({COUNTING_KEY: graph.counting, CONFIG_KEY: settings})
    Path(stats_path).parent.mkdir(parents=True, exist_ok=True)
    stats.to_parquet(stats_path, index=False)
    return graph


@job_entry(quiet=True)
def write_year_exports(counts_path: str | Path, totals_path: str | Path,
                       export_paths: Mapping[str, str | Path], *,
                       countries: str | Sequence[str], graphs: Mapping) -> YearGraph:
    """Build one year's graph and write its exports (`bibnet.graphs.export`), which record the
    selection, the counting scheme and the weight.

    Parameters
    ----------
    counts_path, totals_path : path
        The year's ``counts`` and ``country_totals`` tables.
    export_paths : mapping of str to path
        Export file by suffix (``graphml``, ``gexf``, ``net``, ``vosviewer.json``).
    countries, graphs
        The configuration's ``countries`` and ``graphs`` (``min_works``, ``min_edge``,
        ``export_weight``).
    """
    graph, _ = checked_graph(counts_path, totals_path, countries, graphs,
                             {"countries": countries, "graphs": graphs})
    write_exports(graph, export_paths, graphs["export_weight"])
    return graph
