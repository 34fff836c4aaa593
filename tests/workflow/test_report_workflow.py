"""The report rules in the workflow: `snakemake` on a small planted world makes every page with
the sections its stages support, Snakemake's own report, and a clean lint."""

from __future__ import annotations

import re

import pytest

SMALL = {
    "source": "synthetic",
    "years": {"first": 2001, "last": 2002},
    "synthetic": {"kind": "hubs", "n_countries": 50, "sphere_of": {"KR": "US"}},
}


def run_small_study(workflow, **overrides):
    """`snakemake` to the reports on the SMALL world with few starts, blocks and replicates."""
    import yaml

    path = workflow.configure(**{**SMALL, **overrides})
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["graphs"]["rich_club_randomisations"] = 3
    config["blockmodels"].update(n_starts=2, n_blocs=4)
    config["hypotheses"] = {"robustness": {"first": 3, "last": 5}}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    result = workflow.snakemake("--cores", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    workflow.console = result.stdout + result.stderr
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
    # the answers lead; the work records exist only in OpenAlex
    assert sections(index) == ["answers", "spheres-map", "sphere-series", "verdicts", "focal",
                               "robustness", "data-quality", "provenance", "years", "config"]
    for year in (2001, 2002):
        page = reports / "years" / f"{year}.html"
        assert "synthetic-banner" in page.read_text(encoding="utf-8")
        assert sections(page) == ["year-answers", "sphere-table", "country-spheres", "regions",
                                  "blockmodels", "countries", "statistics"]
    for name in ("plotly.min.js", "world_50m.js", "bibnet.js", "bibnet.css"):
        assert (reports / "assets" / name).is_file()


def test_the_console_has_a_line_per_stage_and_year_and_no_job_banners(run):
    lines = run.console.splitlines()
    done = sorted(line.split(":")[0] for line in lines if ": done in " in line)
    assert done == ["blockmodels 2001", "blockmodels 2002", "counts 2001", "counts 2002",
                    "graphs stats 2001", "graphs stats 2002", "hypotheses 2001",
                    "hypotheses 2002", "hypotheses study", "report index", "report year 2001",
                    "report year 2002"]
    # besides: the profile in use, the file system, Snakemake's log and the time it took
    assert len(lines) == len(done) + 4, run.console
    log = next((run.root / ".snakemake" / "log").glob("*.snakemake.log")).read_text()
    assert "rule blockmodels_year:" in log  # Snakemake's own log keeps the banners


def test_snakemakes_own_report_and_lint(run):
    result = run.snakemake("--report", "report.html")
    assert result.returncode == 0, result.stderr[-3000:]
    text = (run.root / "report.html").read_text(encoding="utf-8")
    for name in ("statistics_2001.csv", "spheres_2001.csv", "classes_2001.csv"):
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


def test_outputs_of_an_earlier_run_are_moved_aside_and_the_index_says_so(workflow):
    run_small_study(workflow)
    earlier = ["reports/years/2001.html", "reports/tables/spheres_2001.csv",
               "reports/tables/classes_2001.csv", "reports/tables/statistics_2001.csv",
               "data/processed/graphs/2001.gexf", "data/processed/graphs/2001.graphml",
               "data/processed/graphs/2001.net", "data/processed/graphs/2001.vosviewer.json",
               "reports/networks/2001.graphml", "reports/networks/2001.gexf"]
    assert all((workflow.root / name).is_file() for name in earlier)
    # a table of the retired design, as an older bibnet left it
    retired = workflow.root / "reports" / "tables" / "tiers_2001.csv"
    retired.write_text("country,tier\n", encoding="utf-8")
    earlier.append("reports/tables/tiers_2001.csv")
    index = workflow.root / "reports" / "index.html"
    assert "set-aside-banner" not in index.read_text(encoding="utf-8")

    run_small_study(workflow, years={"first": 2002, "last": 2002})
    for name in earlier:
        assert not (workflow.root / name).exists(), name
        assert (workflow.root / "stale_outputs" / name).is_file(), name
    assert sorted(p.name for p in (workflow.root / "reports").rglob("*2001*")) == []
    assert (workflow.root / "reports" / "years" / "2002.html").is_file()
    assert (workflow.root / "data" / "processed" / "graphs" / "2002.gexf").is_file()
    text = index.read_text(encoding="utf-8")
    assert 'id="set-aside-banner"' in text
    assert ("11 pages, tables or exports of an earlier run (years 2001) do not belong to this "
            "one: they were moved to <code>stale_outputs/</code>") in text
    assert "<code>reports/years/2001.html</code>" in text
    log = (workflow.root / "logs" / "report" / "set_aside.log").read_text(encoding="utf-8")
    assert "moved reports/years/2001.html to stale_outputs/reports/years/2001.html" in log
    # the console says so in the warnings gathered at the end of the run
    assert ("1 warning in this run's logs:\n  report/set_aside.log: 11 pages, tables or exports "
            "of an earlier run (years 2001) do not belong to this one") in workflow.console
