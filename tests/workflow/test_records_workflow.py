"""The records rules in a scratch copy of the workflow: when they are default targets, and the
measures job run by Snakemake on a cache fetched from the scripted fake (no network, no key)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
import responses

from bibnet.fetch import FetchSettings, fetch_records
from records_examples import FakeRecordsAPI, domain_groups, field_groups, year_works

YEARS = {"first": 2010, "last": 2011}


def planned(workflow) -> dict[str, str]:
    plan = workflow.snakemake("-n", "--cores", "1")
    assert plan.returncode == 0, plan.stderr[-3000:]
    return dict(re.findall(r"^(\w+)\s+(\d+)$", plan.stdout + plan.stderr, flags=re.MULTILINE))


@pytest.mark.parametrize("overrides, expected", [
    ({"source": "openalex"}, {"fetch_focal_records": "2", "focal_records": "1"}),
    ({"source": "openalex", "focal_records": False}, {}),
    ({"source": "synthetic"}, {}),
], ids=["openalex", "switched off", "synthetic"])
def test_records_are_default_targets_only_with_openalex_and_the_switch_on(workflow, overrides,
                                                                        expected):
    workflow.configure(years=YEARS, **overrides)
    jobs = planned(workflow)
    assert {rule: jobs[rule] for rule in ("fetch_focal_records", "focal_records")
            if rule in jobs} == expected


def test_the_measures_rule_runs_on_a_finished_cache_without_a_key(workflow, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "sk-test")
    raw = workflow.root / "data" / "raw" / "openalex"
    counts = {22: 100, 31: 300, 17: 50, 27: 530, 0: 20}
    baselines = {(cc, year, what): groups for year in (2010, 2011) for cc in ("KR", "GB")
                 for what, groups in (("fields", field_groups(counts)),
                                      ("domains", domain_groups({3: 500})),
                                      ("fields_top10", field_groups({22: 10})))}
    fake = FakeRecordsAPI({year: year_works(year) for year in (2010, 2011)}, baselines)
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, "https://api.openalex.org/works", callback=fake)
        for year in (2010, 2011):
            fetch_records(year, ["KR", "GB"], raw, FetchSettings(backoff_s=0.0), progress=False)
    workflow.configure(years=YEARS, records={"min_works": 1})
    run = workflow.snakemake("--cores", "1", "data/processed/focal_verdicts.json",
                             env={"OPENALEX_API_KEY": ""})
    assert run.returncode == 0, run.stderr[-3000:]
    assert "fetch_focal_records" not in run.stderr
    records = pd.read_parquet(workflow.root / "data/processed/focal_records.parquet")
    assert sorted(records["year"].unique()) == [2010, 2011]
    verdicts = json.loads((workflow.root / "data/processed/focal_verdicts.json").read_text())
    assert [rule["name"] for rule in verdicts["rules"]] == [
        "first_author_lead", "last_author_lead", "corresponding_author_lead",
        "applied_over_represented"]
    assert verdicts["settings"]["min_works"] == 1
    assert "counted as unknown" in (workflow.root / "logs/records/measures.log").read_text()
