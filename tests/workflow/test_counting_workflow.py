"""The study runs unchanged on any counting scheme: `snakemake` end to end on a small planted
world under fractional counting, every output naming its scheme."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd

from test_report_workflow import run_small_study


def test_the_whole_study_runs_on_fractional_counts(workflow):
    run_small_study(workflow, counting="fractional")
    processed = workflow.root / "data" / "processed"
    counts = pd.read_parquet(processed / "counts.parquet")
    assert counts["works"].dtype == "float64" and counts.attrs["bibnet.counting"] == "fractional"
    assert not counts["works"].apply(float.is_integer).all()
    provenance = json.loads((processed / "provenance.json").read_text())
    assert provenance["counting"]["scheme"] == "fractional"
    assert nx.read_graphml(processed / "graphs" / "2001.graphml").graph["counting"] == "fractional"
    stats = pd.read_parquet(processed / "graph_stats.parquet")
    assert stats.attrs["bibnet.counting"] == "fractional"
    verdicts = json.loads((processed / "verdicts.json").read_text())
    assert verdicts["counting"]["scheme"] == "fractional"
    record = json.loads((processed / "blockmodels" / "2001.json").read_text())
    assert record["counting"]["scheme"] == "fractional"
    pages = [workflow.root / "reports" / "index.html",
             *sorted((workflow.root / "reports" / "years").glob("*.html"))]
    assert len(pages) == 3
    for page in pages:
        assert '<strong id="counting">fractional' in page.read_text(encoding="utf-8"), page
