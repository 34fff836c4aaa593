"""The focal-pair record measures on a small hand-computed year, the verdict rules, and the stage
from cached files to tables (works in OpenAlex's documented Work shape, tests/records_examples.py).

The hand-computed year is `records_examples.year_works`.
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import responses
import yaml

from bibnet.config import check_config
from bibnet.fetch import FetchSettings, fetch_records
from bibnet.outputs import CONFIG_KEY
from bibnet.records import (
    MEASURES,
    RecordSettings,
    build_focal_records,
    division_of_labour_verdicts,
    fractional,
    leadership,
    year_tables,
)
from records_examples import (
    KAIST,
    OA,
    OXFORD,
    FakeRecordsAPI,
    domain_groups,
    field_groups,
    work,
    year_works,
)

PAIR = ["KR", "GB"]


def year_baselines(year: int = 2010) -> dict:
    """Documents as the fetch caches them (groups with code, name, count; meta.count)."""
    def doc(groups, count=None):
        return {"meta": {"count": count if count is not None else sum(g["count"] for g in groups)},
                "groups": [{"code": g["key"].rsplit("/", 1)[-1].upper(), "key": g["key"],
                            "name": g["key_display_name"], "count": g["count"]} for g in groups]}

    return {("GB", "fields"): doc(field_groups({22: 100, 31: 300, 17: 50, 27: 530, 0: 20})),
            ("GB", "domains"): doc(domain_groups({3: 450, 4: 530}), 1000),
            ("GB", "fields_top10"): doc(field_groups({22: 10, 31: 40, 27: 50})),
            ("KR", "fields"): doc(field_groups({22: 400, 31: 100, 17: 200, 27: 290, 0: 10})),
            ("KR", "domains"): doc(domain_groups({3: 700, 4: 290}), 1000),
            ("KR", "fields_top10"): doc(field_groups({22: 30, 17: 20}))}


@pytest.fixture(scope="module")
def tables():
    return year_tables(2010, year_works(), year_baselines(), PAIR,
                       RecordSettings(top_institutions=1))


def measure(tables, name: str, country: str) -> float:
    (value,) = [r["value"] for r in tables.measures
                if r["measure"] == name and r["country"] == country]
    return value


# -- leadership ------------------------------------------------------------------------------

def test_leadership_counts_each_role_by_the_stated_rule(tables):
    expected = {  # KR, GB, both, other, unknown
        "first_author": (3, 3, 2, 0, 1),   # W3 and W5 dual, W4 has no countries
        "last_author": (1, 2, 0, 1, 1),    # W3 last is US, W5 has no last author
        "corresponding_author": (2, 1, 0, 0, 2),  # W2 by corresponding_author_ids
    }
    for role, counts in expected.items():
        got = tuple(measure(tables, role, c) for c in ["KR", "GB", "both", "other", "unknown"])
        assert got == counts, role
    assert measure(tables, "first_author_share", "KR") == pytest.approx(3 / 5)
    assert measure(tables, "last_author_share", "unknown") == pytest.approx(1 / 5)


def test_corresponding_ids_are_used_only_where_no_authorship_is_flagged():
    flagged = work(9, [("first", ["KR"], [KAIST]), ("last", ["GB"], [OXFORD])],
                   corresponding=[1], corresponding_ids=[f"{OA}A90"])
    assert leadership(flagged, PAIR)["corresponding_author"] == ("GB",)


def test_a_work_without_authorships_is_unknown_everywhere_and_weighs_one():
    empty = {"id": "W0", "authorships": []}
    assert set(leadership(empty, PAIR).values()) == {("unknown",)}
    assert fractional(empty, PAIR) == {"KR": 0.0, "GB": 0.0, "other": 0.0, "unknown": 1.0}


# -- fractional and whole counts -------------------------------------------------------------

def test_fractional_counts_split_each_work_over_authors_then_their_countries(tables):
    # W1 KR 1/3 GB 2/3; W2 1/2 each; W3 KR 1/6, GB 1/6 + 1/3, US 1/3; W4 unknown 1/2, GB 1/2;
    # W5 (countries from its institutions) 1/2 each
    assert measure(tables, "fractional", "KR") == pytest.approx(1 / 3 + 1 / 2 + 1 / 6 + 1 / 2)
    assert measure(tables, "fractional", "GB") == pytest.approx(2 / 3 + 1 / 2 + 1 / 2 + 1 / 2
                                                                + 1 / 2)
    assert measure(tables, "fractional", "other") == pytest.approx(1 / 3)
    assert measure(tables, "fractional", "unknown") == pytest.approx(1 / 2)
    total = sum(measure(tables, "fractional", c) for c in ["KR", "GB", "other", "unknown"])
    assert total == pytest.approx(measure(tables, "works", "pair")) == pytest.approx(5)
    assert measure(tables, "fractional_share", "GB") == pytest.approx(8 / 3 / 5)


def test_every_measure_is_described_and_every_description_is_measured(tables):
    assert {r["measure"] for r in tables.measures} == set(MEASURES)


def test_whole_counts_give_a_country_each_work_with_an_author_from_it(tables):
    assert (measure(tables, "whole", "KR"), measure(tables, "whole", "GB")) == (4, 5)


# -- fields ----------------------------------------------------------------------------------

def test_field_counts_applied_shares_and_the_other_works_of_each_country(tables):
    assert (measure(tables, "field_known", "pair"), measure(tables, "field_unknown", "pair"),
            measure(tables, "applied", "pair")) == (4, 1, 3)
    assert measure(tables, "applied_share", "pair") == pytest.approx(3 / 4)
    assert (measure(tables, "intl_works", "GB"), measure(tables, "intl_field_known", "GB"),
            measure(tables, "intl_applied", "GB")) == (1000, 980, 150)
    assert measure(tables, "other_applied_share", "GB") == pytest.approx(147 / 976)
    assert measure(tables, "other_applied_share", "KR") == pytest.approx(597 / 986)


def test_activity_index_is_the_pairs_field_share_over_the_countrys(tables):
    fields = pd.DataFrame(tables.fields).set_index(["level", "id", "country"])
    assert fields.loc[("field", "22", "GB"), "activity_index"] == pytest.approx(
        (2 / 4) / (100 / 980))
    assert fields.loc[("field", "31", "GB"), "activity_index"] == pytest.approx(
        (1 / 4) / (300 / 980))
    assert fields.loc[("field", "22", "KR"), "activity_index"] == pytest.approx(
        (2 / 4) / (400 / 990))
    assert fields.loc[("field", "27", "GB"), "activity_index"] == 0
    unknown = fields.loc[("field", "UNKNOWN", "GB")]
    assert (unknown["pair_works"], unknown["intl_works"]) == (1, 20)
    assert math.isnan(unknown["activity_index"])
    assert fields.loc[("field", "22", "GB"), "name"] == "Engineering"
    assert fields.loc[("domain", "3", "GB"), "activity_index"] == pytest.approx(1 / (450 / 980))


# -- impact ----------------------------------------------------------------------------------

def test_impact_uses_fwci_and_top10_and_counts_what_is_missing(tables):
    assert measure(tables, "fwci_mean", "pair") == pytest.approx((2.0 + 0.5 + 1.0 + 3.0) / 4)
    assert measure(tables, "fwci_median", "pair") == pytest.approx(1.5)
    assert (measure(tables, "fwci_works", "pair"), measure(tables, "fwci_missing", "pair")) == (
        4, 1)
    assert (measure(tables, "top10", "pair"), measure(tables, "percentile_missing", "pair")) == (
        2, 1)
    assert measure(tables, "top10_share", "pair") == pytest.approx(2 / 5)
    assert measure(tables, "other_top10_share", "GB") == pytest.approx(98 / 995)
    assert measure(tables, "other_top10_share", "KR") == pytest.approx(48 / 995)


def test_a_baseline_smaller_than_the_pair_is_set_to_zero_and_logged(caplog):
    small = year_baselines()
    small["GB", "fields"] = {"meta": {"count": 2}, "groups": [
        {"code": "22", "key": f"{OA}fields/22", "name": "Engineering", "count": 2}]}
    out = year_tables(2010, year_works(), small, PAIR, RecordSettings())
    other = {r["measure"]: r["value"] for r in out.measures if r["country"] == "GB"}
    assert other["other_field_known"] == 0 and math.isnan(other["other_applied_share"])
    assert any("below zero" in r.getMessage() for r in caplog.records)


# -- institutions ----------------------------------------------------------------------------

def test_institutions_are_ranked_per_country_by_the_pair_works_they_carry():
    out = year_tables(2010, year_works(), year_baselines(), PAIR, RecordSettings())
    got = [(r["country"], r["rank"], r["institution"], r["works"]) for r in out.institutions]
    assert got == [("KR", 1, "KAIST", 3), ("KR", 2, "Seoul National University", 1),
                   ("GB", 1, "University of Oxford", 4), ("GB", 2, "University College London", 3)]


def test_top_institutions_keeps_that_many(tables):
    assert [(r["country"], r["institution"]) for r in tables.institutions] == [
        ("KR", "KAIST"), ("GB", "University of Oxford")]


# -- verdicts --------------------------------------------------------------------------------

def verdict_table(tables) -> pd.DataFrame:
    return pd.DataFrame(tables.measures)


def test_the_rules_on_the_hand_computed_year(tables):
    out = division_of_labour_verdicts(verdict_table(tables), PAIR, RecordSettings(min_works=1))
    by_name = {rule["name"]: rule["years"]["2010"] for rule in out["rules"]}
    assert by_name["first_author_lead"] == {"works": 5, "value": 0.0, "verdict": "not supported"}
    assert by_name["last_author_lead"] == {"works": 5, "value": 0.2, "verdict": "supported"}
    assert by_name["corresponding_author_lead"]["value"] == pytest.approx(-0.2)
    applied = by_name["applied_over_represented"]
    assert applied["works"] == 4  # works with a known field
    assert applied["value"] == pytest.approx((3 / 4) / (147 / 976), abs=1e-6)
    assert applied["verdict"] == "supported"
    assert all(rule["comparison"] == ">" for rule in out["rules"])
    json.dumps(out)


def test_too_few_works_give_insufficient_data(tables):
    out = division_of_labour_verdicts(verdict_table(tables), PAIR, RecordSettings(min_works=6))
    assert {rule["overall"]["verdict"] for rule in out["rules"]} == {"insufficient data"}


def test_thresholds_decide(tables):
    strict = RecordSettings(min_works=1, lead_margin=0.25, applied_ratio=5.0)
    out = division_of_labour_verdicts(verdict_table(tables), PAIR, strict)
    assert {rule["name"]: rule["overall"]["verdict"] for rule in out["rules"]} == {
        "first_author_lead": "not supported", "last_author_lead": "not supported",
        "corresponding_author_lead": "not supported",
        "applied_over_represented": "not supported"}


def test_periods_pool_the_counts_of_their_years():
    rows = []
    for year, (works, gb, kr) in {2001: (10, 8, 2), 2002: (30, 10, 20), 2003: (20, 15, 5),
                                  2004: (40, 20, 20), 2005: (10, 5, 5), 2006: (25, 20, 5),
                                  2007: (5, 1, 4)}.items():
        rows += [(year, "pair", "works", works), (year, "GB", "first_author", gb),
                 (year, "KR", "first_author", kr)]
    table = pd.DataFrame(rows, columns=["year", "country", "measure", "value"])
    out = division_of_labour_verdicts(table, PAIR, RecordSettings(min_works=20, period_years=5))
    rule = out["rules"][0]
    assert list(rule["periods"]) == ["2001-2005", "2006-2007"]
    # 2001-2005: GB 58, KR 52 of 110 works; pooled, not the mean of yearly values
    assert rule["periods"]["2001-2005"] == {"works": 110, "value": round(6 / 110, 6),
                                            "verdict": "supported"}
    assert rule["periods"]["2006-2007"] == {"works": 30, "value": 0.4, "verdict": "supported"}
    assert rule["years"]["2001"]["verdict"] == "insufficient data"  # 10 works < 20
    assert rule["years"]["2002"] == {"works": 30, "value": round(-10 / 30, 6),
                                     "verdict": "not supported"}
    assert rule["overall"]["works"] == 140


def test_settings_defaults_match_the_configuration_defaults():
    config = check_config(yaml.safe_load(open("config/config.yaml", encoding="utf-8")))
    assert RecordSettings.from_config(config["records"]) == RecordSettings()
    with pytest.raises(ValueError, match="unknown records settings: colour"):
        RecordSettings.from_config({"colour": 1})


# -- the stage, from cached files ------------------------------------------------------------

def test_the_stage_reads_the_fetched_files_and_writes_tables_and_verdicts(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "sk-test")
    raw = tmp_path / "raw"
    baselines = {}
    for year in (2010, 2011):
        baselines |= {(cc, year, what): groups for cc, counts in
                      (("GB", {22: 100, 31: 300, 17: 50, 27: 530, 0: 20}),
                       ("KR", {22: 400, 31: 100, 17: 200, 27: 290, 0: 10}))
                      for what, groups in (("fields", field_groups(counts)),
                                           ("domains", domain_groups({3: 500})),
                                           ("fields_top10", field_groups({22: 10})))}
    fake = FakeRecordsAPI({year: year_works(year) for year in (2010, 2011)}, baselines)
    settings = FetchSettings(concurrency=2, backoff_s=0.0)
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, "https://api.openalex.org/works", callback=fake)
        manifests = [fetch_records(year, PAIR, raw, settings, progress=False)
                     for year in (2010, 2011)]
    out = {name: tmp_path / "processed" / name for name in (
        "focal_records.parquet", "focal_fields.parquet", "focal_institutions.parquet",
        "focal_verdicts.json")}
    verdicts = build_focal_records(manifests, *out.values(), focal=PAIR,
                                   records={"min_works": 8}, log=tmp_path / "job.log")
    records = pd.read_parquet(out["focal_records.parquet"])
    assert list(records.columns) == ["year", "country", "measure", "value"]
    assert sorted(records["year"].unique()) == [2010, 2011]
    assert records.query("measure == 'works'")["value"].tolist() == [5.0, 5.0]
    fields = pd.read_parquet(out["focal_fields.parquet"])
    assert set(fields["level"]) == {"field", "domain"}
    institutions = pd.read_parquet(out["focal_institutions.parquet"])
    assert len(institutions) == 2 * 4
    written = json.loads(out["focal_verdicts.json"].read_text())
    assert written == json.loads(json.dumps(verdicts))
    assert written["counting"] == {"works": 10, "first_author_unknown": 2,
                                   "last_author_unknown": 2, "corresponding_author_unknown": 4,
                                   "fractional_unknown": 1.0, "field_unknown": 2,
                                   "fwci_missing": 2, "percentile_missing": 2}
    lead = written["rules"][1]
    assert lead["name"] == "last_author_lead"
    assert lead["years"]["2010"]["verdict"] == "insufficient data"  # 5 works < 8
    assert lead["overall"] == {"works": 10, "value": 0.2, "verdict": "supported"}
    assert "counted as unknown or missing" in (tmp_path / "job.log").read_text()
    # every output records the settings it was made from
    assert written[CONFIG_KEY] == {"focal": PAIR, "records.min_works": 8}
    assert records.attrs[CONFIG_KEY] == fields.attrs[CONFIG_KEY] == written[CONFIG_KEY]


def test_the_stage_refuses_records_of_another_pair(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", "sk-test")
    fake = FakeRecordsAPI({2010: year_works()}, {})
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, "https://api.openalex.org/works", callback=fake)
        manifest = fetch_records(2010, ["GB", "KR"], tmp_path, FetchSettings(backoff_s=0.0),
                                 progress=False)
    with pytest.raises(ValueError, match="not of the configured focal pair"):
        build_focal_records([manifest], *(tmp_path / n for n in "abcd"), focal=PAIR, records={})
