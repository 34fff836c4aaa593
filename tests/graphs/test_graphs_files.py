"""The graph stage's file interface: Parquet tables in, statistics and exports out."""

import pandas as pd

from bibnet.graphs.export import WRITERS
from bibnet.graphs.files import read_year_graph, write_year
from graph_examples import counts_frame, totals_frame

CONFIG = {"countries": "all", "seed": 1,
          "graphs": {"min_works": 1, "min_edge": 2, "export_weight": "cosine",
                     "rich_club_randomisations": 3}}


def parquet_tables(tmp_path):
    counts, totals = tmp_path / "counts.parquet", tmp_path / "totals.parquet"
    counts_frame().to_parquet(counts, index=False)
    totals_frame().to_parquet(totals, index=False)
    return counts, totals


def test_read_year_graph_applies_the_configured_selection(tmp_path):
    graph = read_year_graph(CONFIG, *parquet_tables(tmp_path))
    assert graph.codes == ("DE", "GB", "NA", "US")  # Namibia's code survives Parquet
    assert graph.selection.dropped_pairs == (("GB", "NA"), ("NA", "US"))


def test_write_year_writes_stats_exports_and_log(tmp_path):
    exports = {suffix: tmp_path / "graphs" / f"2005.{suffix}" for suffix in WRITERS}
    stats_path = tmp_path / "stats" / "2005.parquet"
    write_year(CONFIG, *parquet_tables(tmp_path), stats_path, exports, log=tmp_path / "x.log")
    stats = pd.read_parquet(stats_path)
    assert set(stats["year"]) == {2005}
    assert stats.query("statistic == 'rich_club_randomisations'")["value"].item() == 3
    assert all(path.stat().st_size > 0 for path in exports.values())
    assert "% edge weight: cosine" in exports["net"].read_text(encoding="utf-8-sig")
    assert "2005: 4 countries, 2 linked pairs; left out 0 countries and 2 pairs" in (
        tmp_path / "x.log").read_text()
