"""The graph rules in a scratch copy of the workflow, on two real years (skipped without them)."""

import re

import pandas as pd


def test_graph_rules_run_per_year_and_a_new_year_recomputes_only_itself(workflow, real_data):
    workflow.configure(source="pajek", pajek_dir=str(real_data), years={"first": 2004, "last": 2005},
                       graphs={"rich_club_randomisations": 2, "export_weight": "cosine"})
    exports = [f"data/processed/graphs/{year}.{suffix}" for year in (2004, 2005)
               for suffix in ("graphml", "gexf", "net", "vosviewer.json")]
    run = workflow.snakemake("--cores", "2", "data/processed/graph_stats.parquet", *exports)
    assert run.returncode == 0, run.stderr[-3000:]
    stats = pd.read_parquet(workflow.root / "data/processed/graph_stats.parquet")
    assert sorted(set(stats["year"])) == [2004, 2005]
    for year in (2004, 2005):
        for suffix in ("graphml", "gexf", "net", "vosviewer.json"):
            assert (workflow.root / f"data/processed/graphs/{year}.{suffix}").stat().st_size > 0
        assert (workflow.root / f"logs/graphs/stats_{year}.log").is_file()

    workflow.configure(years={"first": 2004, "last": 2006})
    plan = workflow.snakemake("-n", "--cores", "2", "data/processed/graph_stats.parquet")
    assert plan.returncode == 0, plan.stderr[-3000:]
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", plan.stdout + plan.stderr, flags=re.MULTILINE))
    assert jobs["graph_stats_year"] == "1" and jobs["graphs_stats_combine"] == "1"
    assert jobs["counts_year"] == "1"
