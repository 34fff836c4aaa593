"""The Snakemake workflow catalog's conventions: rules formatted by snakefmt, `snakemake --lint`
clean, and the small test run in `.test/` (offline, SYNTHETIC) running to its reports."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from conftest import REPO

SNAKEFMT = [sys.executable, "-m", "snakefmt"]


def test_rules_are_formatted_by_snakefmt():
    check = subprocess.run([*SNAKEFMT, "--check", "Snakefile", "workflow"], cwd=REPO,
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, (
        f"{check.stderr[-3000:]}\nformat them with: snakefmt Snakefile workflow")


def test_lint_finds_nothing(workflow):
    lint = workflow.snakemake("--lint")
    assert lint.returncode == 0, lint.stdout[-3000:] + lint.stderr[-3000:]
    assert "Lints for" not in lint.stdout + lint.stderr


def test_the_catalog_file_states_the_usage():
    settings = yaml.safe_load((REPO / ".snakemake-workflow-catalog.yml").read_text())
    usage = settings["usage"]
    assert "OPENALEX_API_KEY" in usage["mandatory-flags"]["desc"]
    assert usage["report"] is True
    assert set(usage["software-stack-deployment"]) == {"conda", "apptainer", "apptainer+conda"}


def test_the_test_config_runs_offline_to_the_reports(workflow):
    shutil.copytree(REPO / ".test" / "config", workflow.root / ".test" / "config")
    config = yaml.safe_load((workflow.root / ".test/config/config.yaml").read_text())
    assert config["source"] == "synthetic"
    run = workflow.snakemake("--directory", ".test", "--cores", "2")
    assert run.returncode == 0, run.stderr[-3000:]
    out = workflow.root / ".test"
    verdicts = json.loads((out / "data/processed/verdicts.json").read_text())
    assert verdicts["synthetic"] is True
    years = range(config["years"]["first"], config["years"]["last"] + 1)
    for year in years:
        assert "SYNTHETIC" in (out / f"reports/years/{year}.html").read_text()
    assert "SYNTHETIC" in (out / "reports/index.html").read_text()
