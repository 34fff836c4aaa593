"""The graph stage's file interface: Parquet tables in, statistics and exports out."""

import pandas as pd
import pytest

from bibnet.graphs.export import WRITERS
from bibnet.graphs.files import read_year_graph, write_statistics, write_year_exports
from bibnet.outputs import CONFIG_KEY, MadeFromMismatch
from bibnet.slices import stage_slices
from graph_examples import counts_frame, totals_frame

CONFIG = {"source": "pajek", "countries": "all", "seed": 1, "focal": ["KR", "GB"],
          "years": {"first": 2005, "last": 2005}, "pajek_dir": "unused",
          "graphs": {"min_works": 1, "min_edge": 2, "export_weight": "cosine",
                     "rich_club_randomisations": 3}}
SLICES = stage_slices(CONFIG)


def parquet_tables(tmp_path, made_from=None):
    """The example tables as the counts stage writes them, recording ``made_from`` (by default
    the counts' slice of CONFIG)."""
    counts, totals = tmp_path / "counts.parquet", tmp_path / "totals.parquet"
    for frame, path in ((counts_frame(), counts), (totals_frame(), totals)):
        frame.attrs[CONFIG_KEY] = made_from or {"source": "pajek", "countries": "all",
                                                "counting": "whole"}
        frame.to_parquet(path, index=False)
    return counts, totals


def test_read_year_graph_applies_the_configured_selection(tmp_path):
    graph = read_year_graph(*parquet_tables(tmp_path), CONFIG["countries"], CONFIG["graphs"])
    assert graph.codes == ("DE", "GB", "NA", "US")  # Namibia's code survives Parquet
    assert graph.selection.dropped_pairs == (("GB", "NA"), ("NA", "US"))


def test_the_rules_write_stats_exports_and_logs(tmp_path):
    exports = {suffix: tmp_path / "graphs" / f"2005.{suffix}" for suffix in WRITERS}
    stats_path = tmp_path / "stats" / "2005.parquet"
    tables = parquet_tables(tmp_path)
    write_statistics(*tables, stats_path, **SLICES["graph_stats"], log=tmp_path / "s.log")
    write_year_exports(*tables, exports, **SLICES["graph_exports"], log=tmp_path / "x.log")
    stats = pd.read_parquet(stats_path)
    assert set(stats["year"]) == {2005}
    assert stats.query("statistic == 'rich_club_randomisations'")["value"].item() == 3
    # the statistics record what they were made from: their own settings and the counts'
    assert stats.attrs[CONFIG_KEY] == {
        "counting": "whole", "countries": "all", "graphs.min_edge": 2, "graphs.min_works": 1,
        "graphs.rich_club_randomisations": 3, "seed": 1, "source": "pajek"}
    assert all(path.stat().st_size > 0 for path in exports.values())
    assert "% edge weight: cosine" in exports["net"].read_text(encoding="utf-8-sig")
    for log in ("s.log", "x.log"):
        assert "2005: 4 countries, 2 linked pairs; left out 0 countries and 2 pairs" in (
            tmp_path / log).read_text()


def test_counts_of_another_selection_are_refused(tmp_path):
    tables = parquet_tables(tmp_path, {"source": "pajek", "countries": ["DE", "GB", "US"],
                                       "counting": "whole"})
    with pytest.raises(MadeFromMismatch, match="countries is .*counts.parquet"):
        write_statistics(*tables, tmp_path / "s.parquet", **SLICES["graph_stats"])
