"""Fetching the focal pair's work records and baselines against a scripted fake (no network):
the exact queries, paging, faults, budget stop, resume and cache, on works in OpenAlex's shape.
"""

from __future__ import annotations

import json

import pytest
import requests
import responses

from bibnet import fetch
from bibnet.fetch import (
    BudgetExhaustedError,
    FetchError,
    FetchSettings,
    MissingKeyError,
    TransientGiveUp,
    fetch_records,
)
from records_examples import KAIST, OXFORD, FakeRecordsAPI, domain_groups, field_groups, work

KEY = "sk-test-records-0a1b2c-SECRET"
WORKS = "https://api.openalex.org/works"
FAST = FetchSettings(concurrency=1, retries=2, timeout_s=2.0, backoff_s=0.0, max_backoff_s=0.0)
PAIR = ["KR", "GB"]
SELECT = ("id,publication_year,type,authorships,primary_topic,cited_by_count,fwci,"
          "citation_normalized_percentile,corresponding_author_ids")


def pair_works(n: int, year: int = 2010) -> list[dict]:
    return [work(i, [("first", ["KR"], [KAIST]), ("last", ["GB"], [OXFORD])], year=year)
            for i in range(n)]


def baselines(year: int = 2010) -> dict:
    return {(cc, year, what): groups for cc in PAIR for what, groups in (
        ("fields", field_groups({22: 500, 31: 300, 0: 20})),
        ("domains", domain_groups({3: 800})),
        ("fields_top10", field_groups({22: 40, 31: 35})))}


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", KEY)


@pytest.fixture
def api():
    def mount(works=None, base=None):
        fake = FakeRecordsAPI(works if works is not None else {2010: pair_works(3)},
                              base if base is not None else baselines())
        mock.add_callback(responses.GET, WORKS, callback=fake)
        return fake

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mount


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


EXPECTED_FILES = ["records/KR-GB/2010.json", "records/KR-GB/2010.manifest.json",
                  *[f"records/baselines/{cc}/2010.{what}.json" for cc in PAIR
                    for what in ("domains", "fields", "fields_top10")]]


def test_the_queries_are_the_and_filter_with_select_and_the_three_baselines(key, api, tmp_path):
    fake = api()
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    listing = [c for c in fake.calls if "group-by" not in c]
    assert listing == [{"filter": "authorships.countries:KR+GB,publication_year:2010,"
                                  "countries_distinct_count:>1",
                        "select": SELECT, "cursor": "*", "per-page": "200"}]
    grouped = sorted((c["filter"], c["group-by"]) for c in fake.calls if "group-by" in c)
    base = "authorships.countries:{},publication_year:2010,countries_distinct_count:>1"
    top10 = ",citation_normalized_percentile.is_in_top_10_percent:true"
    assert grouped == sorted(
        (base.format(cc) + extra, f"primary_topic.{level}.id:include_unknown")
        for cc in PAIR for extra, level in (("", "field"), ("", "domain"), (top10, "field")))
    assert all(c["per-page"] == "200" and c["cursor"] == "*" for c in fake.calls)
    assert files(tmp_path) == sorted(EXPECTED_FILES)


@pytest.mark.parametrize("meta_count", ["works", "groups"])
def test_the_baselines_count_the_works_without_a_field_whatever_meta_count_means(
        key, api, tmp_path, meta_count):
    from bibnet.records import RecordSettings, read_year, year_tables

    fake = api()
    fake.meta_count = meta_count
    manifest = fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    fields = json.loads((tmp_path / "records/baselines/KR/2010.fields.json").read_text())
    assert {g["code"]: g["count"] for g in fields["groups"]} == {"22": 500, "31": 300,
                                                                 "UNKNOWN": 20}
    year, pair, works, base = read_year(manifest)
    measures = year_tables(year, works, base, pair, RecordSettings()).measures
    got = {r["measure"]: r["value"] for r in measures if r["country"] == "KR"}
    assert (got["intl_works"], got["intl_field_known"], got["intl_top10"]) == (820, 800, 75)


def test_a_year_of_450_works_is_read_over_three_pages_and_kept_whole(key, api, tmp_path):
    fake = api({2010: pair_works(450)})
    manifest_path = fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    cursors = [c["cursor"] for c in fake.calls if "group-by" not in c]
    assert cursors == ["*", "200", "400"]
    records = json.loads((tmp_path / "records/KR-GB/2010.json").read_text())
    assert (records["year"], records["pair"], records["pages"], records["complete"]) == (
        2010, PAIR, 3, True)
    assert [w["id"] for w in records["works"]] == sorted(w["id"] for w in pair_works(450))
    assert records["works"][0] == pair_works(450)[0]
    assert records["query"]["filter"] == ("authorships.countries:KR+GB,publication_year:2010,"
                                          "countries_distinct_count:>1")
    assert records["query"]["select"] == SELECT and records["meta"]["count"] == 450
    fields = json.loads((tmp_path / "records/baselines/KR/2010.fields.json").read_text())
    assert {g["code"]: g["count"] for g in fields["groups"]} == {"22": 500, "31": 300,
                                                                 "UNKNOWN": 20}
    assert (fields["country"], fields["what"]) == ("KR", "fields")
    assert json.loads(manifest_path.read_text()) == {
        "year": 2010, "pair": PAIR, "records": "records/KR-GB/2010.json",
        "baselines": {cc: {what: f"records/baselines/{cc}/2010.{what}.json"
                           for what in ("fields", "domains", "fields_top10")} for cc in PAIR},
        "query_filters": {}}


def test_the_configured_order_names_the_folder(key, api, tmp_path):
    fake = api()
    fetch_records(2010, ["GB", "KR"], tmp_path, FAST, progress=False)
    assert (tmp_path / "records/GB-KR/2010.json").exists()
    assert fake.calls[0]["filter"].startswith("authorships.countries:GB+KR,")


def test_extra_filters_reach_every_query_and_the_manifest(key, api, tmp_path):
    fake = api()
    articles = FetchSettings(concurrency=1, backoff_s=0.0, filters={"type": "article"})
    path = fetch_records(2010, PAIR, tmp_path, articles, progress=False)
    assert all(c["filter"].endswith(",type:article") for c in fake.calls)
    assert json.loads(path.read_text())["query_filters"] == {"type": "article"}


def test_a_work_repeated_across_pages_keeps_no_records_file(key, api, tmp_path):
    fake = api({2010: pair_works(250)})
    fake.repeat_on = "200"
    with pytest.raises(FetchError, match="work .*W000000.* came twice"):
        fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert "records/KR-GB/2010.json" not in files(tmp_path)
    assert "records/KR-GB/2010.manifest.json" not in files(tmp_path)


@pytest.mark.parametrize("fault", [(503, {}, "{}"), requests.exceptions.ReadTimeout("slow"),
                                   (200, {}, '{"meta": {"count": 1}, "results": [{"x": 1}]}')],
                         ids=["503", "timeout", "work without id"])
def test_a_transient_fault_on_a_later_page_is_retried(key, api, tmp_path, fault):
    fake = api({2010: pair_works(250)})
    fake.fail("records", fault, cursor="200")
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    records = json.loads((tmp_path / "records/KR-GB/2010.json").read_text())
    assert len(records["works"]) == 250
    assert [c["cursor"] for c in fake.calls if "group-by" not in c] == ["*", "200", "200"]


def test_a_give_up_keeps_the_baselines_and_a_rerun_fetches_only_the_records(key, api, tmp_path):
    fake = api({2010: pair_works(250)})
    fake.fail("records", *[(503, {}, "{}")] * 3, cursor="200")
    pool = FetchSettings(concurrency=8, retries=2, backoff_s=0.0, max_backoff_s=0.0)
    with pytest.raises(TransientGiveUp, match="records KR-GB/2010"):
        fetch_records(2010, PAIR, tmp_path, pool, progress=False)
    assert files(tmp_path) == sorted(f for f in EXPECTED_FILES if "KR-GB" not in f)
    calls = len(fake.calls)
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert [c["cursor"] for c in fake.calls[calls:]] == ["*", "200"]
    assert files(tmp_path) == sorted(EXPECTED_FILES)


def test_a_refused_query_stops_without_retry(key, api, tmp_path):
    fake = api()
    fake.fail("KR/fields_top10", (400, {}, '{"error": "Invalid query", "message": "bad filter"}'))
    with pytest.raises(FetchError,
                       match="baseline KR/2010/fields_top10 with HTTP 400: bad filter"):
        fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert sum(fake.kind(c) == "KR/fields_top10" for c in fake.calls) == 1


def test_a_refused_baseline_says_the_server_refused_its_group_by(key, api, tmp_path):
    fake = api()
    fake.fail("GB/domains", (400, {}, '{"error": "Unsupported by emulator", "message": '
                                      '"group-by primary_topic.domain.id: no fields here"}'))
    with pytest.raises(FetchError) as refused:
        fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    message = str(refused.value)
    assert message.startswith("OpenAlex refused the group-by primary_topic.domain.id"
                              ":include_unknown of baseline GB/2010/domains with HTTP 400")
    assert "this server does not serve it as asked" in message
    assert "set focal_records: false" in message and "check them" not in message


def test_a_spent_budget_keeps_finished_files_and_a_rerun_resumes(key, api, tmp_path):
    fake = api({2010: pair_works(250)})
    fake.fail("records", (429, {"X-RateLimit-Remaining": "0", "Retry-After": "600"}, "{}"),
              cursor="200")
    with pytest.raises(BudgetExhaustedError, match="0 files are done and kept, 7 are left"):
        fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert len(fake.calls) == 2 and files(tmp_path) == []
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert files(tmp_path) == sorted(EXPECTED_FILES)


def test_a_second_run_makes_no_call_needs_no_key_and_keeps_the_manifest(key, api, tmp_path,
                                                                        monkeypatch):
    fake = api()
    path = fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    stamp, calls = path.stat().st_mtime_ns, len(fake.calls)
    monkeypatch.delenv("OPENALEX_API_KEY")
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert len(fake.calls) == calls and path.stat().st_mtime_ns == stamp


def test_records_fetched_with_other_fields_are_fetched_again(key, api, tmp_path, caplog):
    fake = api()
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    records = tmp_path / "records/KR-GB/2010.json"
    document = json.loads(records.read_text())
    document["query"]["select"] = "id,publication_year"
    records.write_text(json.dumps(document))
    calls = len(fake.calls)
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert [fake.kind(c) for c in fake.calls[calls:]] == ["records"]
    assert any("refetching records KR-GB/2010: it was fetched with other filters or fields"
               in r.getMessage() for r in caplog.records)


def test_no_key_stops_before_any_call_or_write(api, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    fake = api()
    with pytest.raises(MissingKeyError):
        fetch_records(2010, PAIR, tmp_path / "raw", FAST, progress=False)
    assert fake.calls == [] and not (tmp_path / "raw").exists()


def test_the_key_is_in_no_file(key, api, tmp_path):
    api()
    fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert all(KEY not in (tmp_path / f).read_text() for f in files(tmp_path))


@pytest.mark.parametrize("pair", [["KR"], ["KR", "KR"], ["KR", "gb"], ["KR", "GB", "US"]])
def test_a_bad_pair_is_refused_before_any_call(key, api, tmp_path, pair):
    fake = api()
    with pytest.raises(ValueError):
        fetch_records(2010, pair, tmp_path, FAST, progress=False)
    assert fake.calls == []


def test_the_job_list_is_the_records_then_each_countrys_baselines(tmp_path):
    jobs = fetch.records_jobs(2010, PAIR, tmp_path, {})
    assert [(j.noun, j.label, j.items) for j in jobs] == [
        ("records", "KR-GB/2010", "works"),
        *[("baseline", f"{cc}/2010/{what}", "groups") for cc in PAIR
          for what in ("fields", "domains", "fields_top10")]]
