"""The report rules in the workflow: `snakemake` on a small planted world makes every page with
the sections its stages support, Snakemake's own report, and a clean lint."""

from __future__ import annotations

import re

import pytest

SMALL = {
    "source": "synthetic",
    "years": {"first": 2001, "last": 2002},
    "synthetic": {"family": "layered", "n_countries": 50, "k": 2, "shared_periphery": False,
                  "hub": False, "place": {"KR": 1}},
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from conftest import Workflow

    workflow = Workflow(tmp_path_factory.mktemp("report-workflow") / "copy")
    path = workflow.configure(**SMALL)
    import yaml

    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "graphs" in config:
        config["graphs"]["rich_club_randomisations"] = 3
    if "blockmodels" in config:
        # without_largest off: leaving the US out can isolate a country of so small a world.
        config["blockmodels"].update(n_starts=2, test_replicates=3, tier_replicates=5,
                                     without_largest=False, window_years=1)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = workflow.snakemake("--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workflow


def sections(path) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', path.read_text(encoding="utf-8"))


def test_snakemake_makes_every_page_with_its_sections(run):
    reports = run.root / "reports"
    index = reports / "index.html"
    assert "synthetic-banner" in index.read_text(encoding="utf-8")
    rules = (run.root / "workflow" / "rules")
    expected_year = ["statistics"]
    if (rules / "blockmodels.smk").exists():
        expected_year = ["block-image", "tier-table", "criteria", "block-rates", "network",
                         "statistics"]
        assert {"core-size", "map", "transitions"} <= set(sections(index))
    if (rules / "hypotheses.smk").exists():
        assert {"verdicts", "focal", "affinity", "moves"} <= set(sections(index))
    for year in (2001, 2002):
        page = reports / "years" / f"{year}.html"
        assert "synthetic-banner" in page.read_text(encoding="utf-8")
        found = sections(page)
        assert [s for s in expected_year if s in found] == expected_year, found
    for name in ("plotly.min.js", "world_50m.js", "bibnet.js", "bibnet.css"):
        assert (reports / "assets" / name).is_file()


def test_snakemakes_own_report_and_lint(run):
    result = run.snakemake("--report", "report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    text = (run.root / "report.html").read_text(encoding="utf-8")
    assert "statistics_2001.csv" in text
    if (run.root / "workflow" / "rules" / "blockmodels.smk").exists():
        assert "block_image_2001.png" in text and "tiers_2001.csv" in text
    lint = run.snakemake("--lint")
    assert "report.smk" not in lint.stdout + lint.stderr, lint.stdout + lint.stderr
