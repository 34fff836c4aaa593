"""The study runs unchanged on any counting scheme: `snakemake` end to end on a small planted
world under fractional counting, every output naming its scheme."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import yaml

from test_report_workflow import SMALL


def test_the_whole_study_runs_on_fractional_counts(workflow):
    path = workflow.configure(**SMALL, counting="fractional")
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["graphs"]["rich_club_randomisations"] = 3
    config["blockmodels"].update(n_starts=2, max_blocks=4, replicates=3, jackknife=2,
                                 replicate_starts=1, window_years=1)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = workflow.snakemake("--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
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
