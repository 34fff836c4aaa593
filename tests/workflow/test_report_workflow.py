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


def run_small_study(workflow, **overrides):
    """`snakemake` to the reports on the SMALL world with few starts, blocks and replicates."""
    import yaml

    path = workflow.configure(**SMALL, **overrides)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["graphs"]["rich_club_randomisations"] = 3
    config["blockmodels"].update(n_starts=2, max_blocks=4, replicates=3, jackknife=2,
                                 replicate_starts=1, window_years=1)
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = workflow.snakemake("--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    return workflow


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from conftest import Workflow

    return run_small_study(Workflow(tmp_path_factory.mktemp("report-workflow") / "copy"))


def sections(path) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', path.read_text(encoding="utf-8"))


def test_snakemake_makes_every_page_with_its_sections(run):
    reports = run.root / "reports"
    index = reports / "index.html"
    assert "synthetic-banner" in index.read_text(encoding="utf-8")
    # the structure beyond size leads; the work records exist only in OpenAlex
    assert sections(index) == ["structure", "verdicts", "cores", "dispersion", "hwang", "focal",
                               "affinity", "core-size", "transitions", "moves", "provenance",
                               "years", "config"]
    for year in (2001, 2002):
        page = reports / "years" / f"{year}.html"
        assert "synthetic-banner" in page.read_text(encoding="utf-8")
        assert sections(page) == ["effects", "retention", "reference", "tier-table",
                                  "block-image", "block-rates", "network", "statistics"]
    for name in ("plotly.min.js", "world_50m.js", "bibnet.js", "bibnet.css"):
        assert (reports / "assets" / name).is_file()


def test_snakemakes_own_report_and_lint(run):
    result = run.snakemake("--report", "report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    text = (run.root / "report.html").read_text(encoding="utf-8")
    for name in ("statistics_2001.csv", "block_image_2001.png", "tiers_2001.csv",
                 "effects_2001.csv", "structure.csv"):
        assert name in text, name
    lint = run.snakemake("--lint")
    assert "report.smk" not in lint.stdout + lint.stderr, lint.stdout + lint.stderr


@pytest.mark.parametrize("overrides, records", [
    ({"source": "openalex"}, True),
    ({"source": "openalex", "focal_records": False}, False),
    ({"source": "synthetic"}, False),
], ids=["openalex", "records switched off", "synthetic"])
def test_the_index_reads_the_work_records_only_where_they_are_on(workflow, overrides, records):
    from bibnet import outputs

    workflow.configure(years={"first": 2010, "last": 2011}, **overrides)
    plan = workflow.snakemake("-n", "--cores", "1", "reports/index.html")
    assert plan.returncode == 0, plan.stderr[-3000:]
    text = plan.stdout + plan.stderr
    job = text[text.index("rule report_index:"):]
    (inputs,) = re.findall(r"^\s+input: (.*)$", job, flags=re.MULTILINE)[:1]
    wanted = {outputs.FOCAL_RECORDS, outputs.FOCAL_FIELDS, outputs.FOCAL_INSTITUTIONS,
              outputs.FOCAL_VERDICTS}
    assert (wanted & set(inputs.split(", "))) == (wanted if records else set())
