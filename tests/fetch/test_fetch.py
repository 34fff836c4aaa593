"""The OpenAlex fetch stage against a scripted fake of the API (``responses``, no network).

The fake answers the row queries as OpenAlex does (group_by pages of at most 200 groups, cursor
paging) and can be told to fail a given call in a given way, so each fault class is tested on its
own: what is retried, what stops, what is written and what is not.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from bibnet import fetch
from bibnet.counting import Counting
from bibnet.fetch import client
from records_examples import next_fault
from bibnet.fetch import (
    BudgetExhaustedError,
    FetchError,
    FetchSettings,
    KeyRejectedError,
    MissingKeyError,
    TransientGiveUp,
    fetch_rows,
    fetch_year,
)

KEY = "sk-test-9f8e7d6c5b4a-SECRET"
WORKS = "https://api.openalex.org/works"
PREFIX = "https://openalex.org/countries/"
FAST = FetchSettings(concurrency=1, retries=3, timeout_s=2.0, backoff_s=0.0, max_backoff_s=0.0)


def code(i: int) -> str:
    """The i-th of 676 two-letter codes AA, AB, ..."""
    return chr(65 + i // 26) + chr(65 + i % 26)


class FakeOpenAlex:
    """A scripted stand-in for ``/works?...&group-by=authorships.countries``.

    ``rows[year][CC]`` maps partner codes to counts (``CC`` itself included); the country-list
    query (no country filter) answers every row's own count. ``faults[(CC, cursor)]`` is a queue
    of faults served, one per call, before the true answer: an exception to raise, or a
    ``(status, headers, body)`` tuple, where a body of None stands for the true answer.
    """

    def __init__(self, rows: dict[int, dict[str, dict[str, int]]]):
        self.rows = rows
        self.faults: dict[tuple[str | None, str], list] = {}
        self.calls: list[dict[str, str]] = []
        self.timeouts: list = []
        self.headers: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.active = 0
        self.most_active = 0
        self.delay_s = 0.0

    def fail(self, country: str | None, *faults, cursor: str = "*") -> None:
        self.faults.setdefault((country, cursor), []).extend(faults)

    def __call__(self, request):
        params = {k: v[-1] for k, v in parse_qs(urlsplit(request.url).query).items()}
        with self.lock:
            self.calls.append(params)
            self.headers.append(dict(request.headers))
            self.timeouts.append(request.req_kwargs.get("timeout"))
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            filters = dict(part.split(":", 1) for part in params["filter"].split(","))
            country = filters.get("authorships.countries")
            year = int(filters["publication_year"])
            cursor = params.get("cursor")
            status, headers = 200, {"X-RateLimit-Remaining": "1000", "X-RateLimit-Reset": "3600"}
            fault = next_fault(self.faults, (country, cursor))
            if fault is not None:
                if fault[2] is not None:
                    return fault
                status, headers = fault[0], {**headers, **fault[1]}
            if country is None:
                counts = {cc: row[cc] for cc, row in self.rows[year].items()}
                total = None
            else:
                counts = self.rows[year].get(country, {})
                total = counts.get(country, 0)
            keys = sorted(counts)
            start = 0 if cursor == "*" else int(cursor)
            size = int(params.get("per-page", 200))
            page = keys[start:start + size]
            more = start + size < len(keys)
            body = {"meta": {"count": total, "per_page": size, "groups_count": len(page),
                             "next_cursor": str(start + size) if more else None},
                    "results": [],
                    "group_by": [{"key": PREFIX + k, "key_display_name": f"Land {k}",
                                  "count": counts[k]} for k in page]}
            return status, headers, json.dumps(body)
        finally:
            with self.lock:
                self.active -= 1


def small_world(year: int = 2010) -> dict[int, dict[str, dict[str, int]]]:
    return {year: {"DE": {"DE": 50, "FR": 20, "US": 30},
                   "FR": {"FR": 40, "DE": 20, "US": 10},
                   "US": {"US": 90, "DE": 30, "FR": 10}}}


@pytest.fixture
def key(monkeypatch):
    monkeypatch.setenv("OPENALEX_API_KEY", KEY)
    return KEY


@pytest.fixture
def api():
    """The fake, mounted on api.openalex.org for the test."""

    def mount(rows=None):
        fake = FakeOpenAlex(rows or small_world())
        mock.add_callback(responses.GET, WORKS, callback=fake)
        return fake

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mount


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# -- the query -------------------------------------------------------------------------------

def test_row_query_has_the_exact_parameters_and_sends_the_key_as_bearer(key, api, tmp_path):
    fake = api()
    fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert fake.calls == [{
        "filter": "authorships.countries:DE,publication_year:2010,countries_distinct_count:>1",
        "group-by": "authorships.countries", "cursor": "*", "per-page": "200"}]
    assert fake.headers[0]["Authorization"] == f"Bearer {KEY}"


def test_connections_are_kept_alive_in_one_session_per_worker(key, api, tmp_path, monkeypatch):
    fake = api()
    sessions = []
    original = client.Fetcher.session

    def recording(self):
        session = original(self)
        sessions.append(session)
        return session

    monkeypatch.setattr(client.Fetcher, "session", recording)
    fetch_rows([(2010, code) for code in ("DE", "FR", "US")], tmp_path, FAST, progress=False)
    assert all(h.get("Connection", "keep-alive").lower() != "close" for h in fake.headers)
    assert len(sessions) == 3 and len(set(map(id, sessions))) == 1  # one worker, one session


def test_fractional_strata_are_one_query_each_in_their_own_folders(key, api, tmp_path):
    fake = api()
    strata = Counting("fractional").strata
    fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False, strata=strata)
    assert [call["filter"].split(",")[-1] for call in fake.calls] == \
        [f"countries_distinct_count:{s.filter}" for s in strata]
    assert (tmp_path / "2010" / "n2" / "DE.json").exists()
    assert (tmp_path / "2010" / "n41+" / "DE.json").exists()
    assert not (tmp_path / "2010" / "DE.json").exists()  # the whole row is not among them


def test_every_call_has_the_configured_timeout(key, api, tmp_path):
    fake = api()
    settings = FetchSettings(concurrency=1, timeout_s=7.5, backoff_s=0.0)
    fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, settings, progress=False)
    assert fake.timeouts == [7.5, 7.5]


def test_extra_filters_are_anded_into_the_filter(key, api, tmp_path):
    fake = api()
    settings = FetchSettings(concurrency=1, backoff_s=0.0, filters={"type": "article"})
    fetch_rows([(2010, "DE")], tmp_path, settings, progress=False)
    assert fake.calls[0]["filter"] == ("authorships.countries:DE,publication_year:2010,"
                                       "countries_distinct_count:>1,type:article")
    row = json.loads((tmp_path / "2010" / "DE.json").read_text())
    assert row["query"]["filter"].endswith(",type:article")


def test_extra_filters_may_not_override_the_row_query():
    with pytest.raises(ValueError, match="publication_year"):
        FetchSettings(filters={"publication_year": 2001})


def test_settings_from_config_section_fill_defaults_and_reject_unknown_keys():
    settings = FetchSettings.from_config({"concurrency": 2, "timeout_s": 5, "filters": {}})
    assert (settings.concurrency, settings.retries, settings.timeout_s) == (2, 8, 5.0)
    assert FetchSettings.from_config(None) == FetchSettings()
    with pytest.raises(ValueError, match="unknown openalex settings: colour"):
        FetchSettings.from_config({"colour": "red"})


# -- paging ----------------------------------------------------------------------------------

def test_a_row_with_251_partners_is_read_over_two_pages_and_kept_whole(key, api, tmp_path):
    partners = {code(i): i + 1 for i in range(251)}
    fake = api({2010: {"AA": partners}})
    report = fetch_rows([(2010, "AA")], tmp_path, FAST, progress=False)
    assert [c["cursor"] for c in fake.calls] == ["*", "200"]
    assert all(c["per-page"] == "200" for c in fake.calls)
    row = json.loads((tmp_path / "2010" / "AA.json").read_text())
    codes = [g["code"] for g in row["groups"]]
    assert codes == sorted(partners) and len(set(codes)) == 251
    assert {g["code"]: g["count"] for g in row["groups"]} == partners
    assert row["groups"][0] == {"code": "AA", "key": PREFIX + "AA", "name": "Land AA", "count": 1}
    assert (row["pages"], row["complete"], row["meta"]["count"]) == (2, True, 1)
    assert (row["year"], row["country"]) == (2010, "AA")
    assert row["fetched_at"].endswith("Z")
    assert (report.calls, report.pages, report.rows_fetched) == (2, 2, 1)


def test_a_group_repeated_across_pages_is_an_error_and_nothing_is_written(key, api, tmp_path):
    fake = api({2010: {"AA": {code(i): 1 for i in range(250)}}})
    repeat = {"meta": {"count": 1, "next_cursor": None}, "results": [],
              "group_by": [{"key": PREFIX + "AA", "key_display_name": "x", "count": 1}]}
    fake.fail("AA", (200, {}, json.dumps(repeat)), cursor="200")
    with pytest.raises(FetchError, match="came twice"):
        fetch_rows([(2010, "AA")], tmp_path, FAST, progress=False)
    assert files_under(tmp_path) == []


# -- transient faults ------------------------------------------------------------------------

TRANSIENT = {
    "503": ((503, {}, '{"error": "Service Unavailable"}'), "server_error"),
    "500 html": ((500, {}, "<html>oops</html>"), "server_error"),
    "read timeout": (requests.exceptions.ReadTimeout("read timed out"), "timeout"),
    "connect timeout": (requests.exceptions.ConnectTimeout("connect timed out"), "timeout"),
    "connection reset": (requests.exceptions.ConnectionError("connection reset"), "connection"),
    "truncated body": ((200, {}, '{"meta": {"count": 50, "next_cur'), "broken_body"),
    "invalid body": ((200, {}, "<html>proxy error</html>"), "broken_body"),
    "no groups": ((200, {}, '{"meta": {"count": 1}}'), "broken_body"),
    "bad count": ((200, {}, '{"meta": {}, "group_by": [{"key": "DE", "count": "x"}]}'),
                  "broken_body"),
    "burst 429": ((429, {"X-RateLimit-Remaining": "500", "Retry-After": "0"}, "{}"),
                  "rate_limited"),
}


@pytest.mark.parametrize("fault, cause", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_a_transient_fault_is_retried_and_the_row_is_complete(key, api, tmp_path, fault, cause):
    fake = api()
    fake.fail("DE", fault)
    report = fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert (report.calls, dict(report.retries)) == (2, {cause: 1})
    row = json.loads((tmp_path / "2010" / "DE.json").read_text())
    assert {g["code"]: g["count"] for g in row["groups"]} == {"DE": 50, "FR": 20, "US": 30}


def test_retry_after_is_honoured(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (429, {"X-RateLimit-Remaining": "500", "Retry-After": "1"}, "{}"))
    started = time.monotonic()
    report = fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert time.monotonic() - started >= 1.0
    assert report.waited_s == pytest.approx(1.0)


def test_backoff_doubles_up_to_the_cap(key, api, tmp_path, monkeypatch):
    fake = api()
    fake.fail("DE", *[(503, {}, "{}")] * 4)
    waits = []
    monkeypatch.setattr(client._Limits, "wait", lambda self, seconds: waits.append(seconds))
    settings = FetchSettings(concurrency=1, retries=4, backoff_s=1.0, max_backoff_s=3.0)
    fetch_rows([(2010, "DE")], tmp_path, settings, progress=False)
    bounds = [(0.5, 1.0), (1.0, 2.0), (1.5, 3.0), (1.5, 3.0)]
    assert len(waits) == 4
    assert all(low <= wait <= high for wait, (low, high) in zip(waits, bounds))


def test_retries_used_up_give_up_on_the_row_and_write_nothing_for_it(key, api, tmp_path):
    fake = api()
    fake.fail("FR", *[(503, {}, "{}")] * 10)
    settings = FetchSettings(concurrency=1, retries=2, backoff_s=0.0)
    with pytest.raises(TransientGiveUp) as info:
        fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, settings, progress=False)
    assert info.value.row == "2010/FR"
    assert "HTTP 503" in info.value.last_error
    assert "2010/FR" in str(info.value) and "snakemake" in str(info.value)
    assert len([c for c in fake.calls if "FR" in c["filter"]]) == 3
    assert files_under(tmp_path) == [tmp_path / "2010" / "DE.json"]


def test_a_failure_while_paging_leaves_no_row_and_no_temporary_file(key, api, tmp_path):
    fake = api({2010: {"AA": {code(i): 1 for i in range(250)}}})
    fake.fail("AA", *[requests.exceptions.ConnectionError("reset")] * 10, cursor="200")
    with pytest.raises(TransientGiveUp):
        fetch_rows([(2010, "AA")], tmp_path, FAST, progress=False)
    assert files_under(tmp_path) == []


# -- no network ------------------------------------------------------------------------------

def real_failure(url: str) -> requests.ConnectionError:
    """The exception requests raises for ``url``, on a real socket (no network needed)."""
    try:
        requests.get(url, timeout=10)
    except requests.ConnectionError as error:
        return error
    raise AssertionError(f"{url} answered")


def closed_port() -> int:
    import socket

    with socket.socket() as probe:  # a port nothing listens on once the probe is closed
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def unreachable():
    """Real failures, made before any fake intercepts requests: a name that never resolves
    (``.invalid``), a port nothing listens on."""
    return {"name does not resolve": (real_failure("https://api.openalex.invalid/works"),
                                      "the name api.openalex.invalid does not resolve"),
            "connection refused": (real_failure(f"http://127.0.0.1:{closed_port()}/works"),
                                   "the connection was refused")}


@pytest.mark.parametrize("kind", ["name does not resolve", "connection refused"])
def test_no_network_on_the_first_calls_stops_at_once_naming_it(unreachable, key, api, tmp_path,
                                                                 kind):
    error, problem = unreachable[kind]
    fake = api()
    fake.fail("DE", error)
    settings = FetchSettings(concurrency=1, retries=8, backoff_s=60.0)  # would wait minutes
    started = time.monotonic()
    with pytest.raises(fetch.NetworkError) as stopped:
        fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, settings, progress=False)
    assert time.monotonic() - started < 5
    assert len(fake.calls) == 1 and files_under(tmp_path) == []
    message = str(stopped.value)
    assert f"OpenAlex cannot be reached: {problem}" in message
    assert "source=synthetic" in message and "source: pajek" in message


def test_no_network_after_the_server_has_answered_is_retried(unreachable, key, api, tmp_path):
    fake = api()
    fake.fail("FR", unreachable["name does not resolve"][0])
    report = fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=False)
    assert (report.rows_fetched, dict(report.retries)) == (2, {"connection": 1})


# -- final faults ----------------------------------------------------------------------------

@pytest.mark.parametrize("status", [401, 403])
def test_a_rejected_key_stops_without_retry(key, api, tmp_path, status):
    fake = api()
    fake.fail("DE", (status, {}, '{"error": "API key required", "message": "Add a key."}'))
    with pytest.raises(KeyRejectedError, match="OPENALEX_API_KEY") as info:
        fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert KEY not in str(info.value)
    assert len(fake.calls) == 1
    assert files_under(tmp_path) == []


def test_a_refused_query_stops_without_retry(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (400, {}, '{"error": "Invalid query", "message": "no such filter"}'))
    with pytest.raises(FetchError, match="HTTP 400: no such filter") as refused:
        fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 1
    message = str(refused.value)
    assert "refused the group-by authorships.countries of row 2010/DE" in message
    assert "No openalex.filters are set" in message and "check them" not in message


def test_a_refused_query_with_extra_filters_points_at_them(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (400, {}, '{"error": "Invalid query", "message": "no such filter"}'))
    settings = FetchSettings(concurrency=1, retries=0, filters={"type": "articel"})
    with pytest.raises(FetchError) as refused:
        fetch_rows([(2010, "DE")], tmp_path, settings, progress=False)
    assert "openalex.filters of config/config.yaml ({'type': 'articel'}): check them" in str(
        refused.value)


def test_a_spent_budget_stops_cleanly_keeping_finished_rows(key, api, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="bibnet.fetch")
    fake = api()
    fake.fail("FR", (429, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "7200",
                           "Retry-After": "7200"}, '{"error": "Rate limit exceeded"}'))
    tasks = [(2010, "DE"), (2010, "FR"), (2010, "US")]
    with pytest.raises(BudgetExhaustedError) as info:
        fetch_rows(tasks, tmp_path, FAST, progress=False)
    error = info.value
    assert (error.rows_done, error.rows_left) == (1, 2)
    assert len(fake.calls) == 2  # DE, then FR once: no retry, and US never started
    assert not any("retry" in r.getMessage() for r in caplog.records)
    assert files_under(tmp_path) == [tmp_path / "2010" / "DE.json"]
    expected = client.utc_now() + dt.timedelta(seconds=7200)
    assert abs((error.reset_at - expected).total_seconds()) < 60
    message = str(error)
    assert "1 rows are done" in message and "2 are left" in message
    assert f"{error.reset_at:%H:%M} UTC" in message and "snakemake" in message


def test_no_call_starts_once_remaining_is_zero(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (200, {"X-RateLimit-Remaining": "0"}, None))
    with pytest.raises(BudgetExhaustedError) as info:
        fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=False)
    assert (info.value.rows_done, info.value.rows_left) == (1, 1)
    assert len(fake.calls) == 1
    assert files_under(tmp_path) == [tmp_path / "2010" / "DE.json"]


def test_remaining_zero_in_the_middle_of_a_row_keeps_no_part_of_it(key, api, tmp_path):
    fake = api({2010: {"AA": {code(i): 1 for i in range(250)}}})
    fake.fail("AA", (200, {"X-RateLimit-Remaining": "0"}, None))
    with pytest.raises(BudgetExhaustedError):
        fetch_rows([(2010, "AA")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 1 and files_under(tmp_path) == []


def test_the_last_call_of_the_budget_finishing_the_work_is_not_an_error(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (200, {"X-RateLimit-Remaining": "0"}, None))
    report = fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    assert report.rows_fetched == 1


def test_a_spent_budget_wakes_workers_waiting_to_retry(key, api, tmp_path):
    fake = api()
    fake.fail("DE", (503, {}, "{}"))
    fake.fail("FR", (429, {"X-RateLimit-Remaining": "0"}, "{}"))
    fake.delay_s = 0.2
    settings = FetchSettings(concurrency=2, retries=3, backoff_s=30.0, max_backoff_s=30.0)
    started = time.monotonic()
    with pytest.raises(BudgetExhaustedError) as info:
        fetch_rows([(2010, "DE"), (2010, "FR"), (2010, "US")], tmp_path, settings,
                   progress=False)
    assert time.monotonic() - started < 10
    assert (info.value.rows_done, info.value.rows_left) == (0, 3)
    assert "at a time OpenAlex did not give" in str(info.value)


# -- the key ---------------------------------------------------------------------------------

def test_a_budget_spent_on_the_country_list_says_so(key, api, tmp_path):
    fake = api()
    fake.fail(None, (429, {"X-RateLimit-Remaining": "0", "Retry-After": "60"}, "{}"))
    with pytest.raises(BudgetExhaustedError, match="before the country list of 2010 was read"):
        fetch_year(2010, "all", tmp_path, FAST, progress=False)
    assert files_under(tmp_path) == []


def test_no_key_stops_before_any_call_or_write(api, tmp_path, monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    fake = api()
    raw = tmp_path / "raw"
    with pytest.raises(MissingKeyError) as info:
        fetch_year(2010, "all", raw, FAST, progress=False)
    message = str(info.value)
    assert "create a free account at openalex.org and copy your API key" in message
    assert "source: pajek" in message and "pajek_dir" in message
    assert "`snakemake --config source=synthetic` runs the offline demo" in message
    assert fake.calls == [] and not raw.exists()


def test_a_finished_cache_needs_no_key(key, api, tmp_path, monkeypatch):
    fake = api()
    fetch_year(2010, ["DE", "FR", "US"], tmp_path, FAST, progress=False)
    monkeypatch.delenv("OPENALEX_API_KEY")
    calls = len(fake.calls)
    fetch_year(2010, ["DE", "FR", "US"], tmp_path, FAST, progress=False)
    assert len(fake.calls) == calls


def test_the_key_is_in_no_file_log_or_message(key, api, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    fake = api()
    fake.fail("DE", (503, {}, "{}"), requests.exceptions.ReadTimeout("slow"),
              (200, {}, "{broken"))
    fake.fail("FR", (401, {}, json.dumps({"error": "API key required",
                                          "message": f"key {KEY} is not valid"})))
    with pytest.raises(KeyRejectedError) as info:
        fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=False)
    assert KEY not in str(info.value)
    assert (tmp_path / "2010" / "DE.json").exists()
    for path in files_under(tmp_path):
        assert KEY not in path.read_text()
    assert caplog.records
    for record in caplog.records:
        assert KEY not in record.getMessage()


# -- the cache -------------------------------------------------------------------------------

def test_a_second_run_makes_zero_calls(key, api, tmp_path):
    fake = api()
    tasks = [(2010, "DE"), (2010, "FR"), (2010, "US")]
    first = fetch_rows(tasks, tmp_path, FAST, progress=False)
    before = {p: p.read_bytes() for p in files_under(tmp_path)}
    second = fetch_rows(tasks, tmp_path, FAST, progress=False)
    assert (first.rows_fetched, first.calls) == (3, 3)
    assert (second.rows_cached, second.rows_fetched, second.calls) == (3, 0, 0)
    assert len(fake.calls) == 3
    assert {p: p.read_bytes() for p in files_under(tmp_path)} == before


@pytest.mark.parametrize("damage", ['{"year": 2010, "coun', '{"year": 2010, "complete": false}',
                                    "[]"], ids=["truncated", "incomplete", "not a row"])
def test_a_damaged_cache_file_is_refetched_and_logged(key, api, tmp_path, caplog, damage):
    fake = api()
    fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=False)
    (tmp_path / "2010" / "FR.json").write_text(damage)
    report = fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=False)
    assert (report.rows_cached, report.rows_fetched, report.calls) == (1, 1, 1)
    assert "FR" in fake.calls[-1]["filter"]
    assert fetch.read_row(tmp_path / "2010" / "FR.json")["complete"] is True
    assert any("refetching row 2010/FR" in r.getMessage() for r in caplog.records)


def test_rows_fetched_with_other_filters_are_refetched(key, api, tmp_path):
    fake = api()
    fetch_rows([(2010, "DE")], tmp_path, FAST, progress=False)
    articles = FetchSettings(concurrency=1, backoff_s=0.0, filters={"type": "article"})
    report = fetch_rows([(2010, "DE")], tmp_path, articles, progress=False)
    assert report.rows_fetched == 1 and fake.calls[-1]["filter"].endswith("type:article")


def test_successful_writes_leave_no_temporary_files(key, api, tmp_path):
    api()
    fetch_year(2010, "all", tmp_path, FAST, progress=False)
    names = sorted(p.name for p in files_under(tmp_path))
    assert names == ["DE.json", "FR.json", "US.json", "_countries.json", "manifest.json"]


# -- concurrency -----------------------------------------------------------------------------

def test_the_pool_is_bounded_and_gives_the_same_rows_as_one_worker(key, api, tmp_path):
    world = {2010: {code(i): {code(j): i + j + 1 for j in range(0, 40, i % 5 + 1)} | {code(i): 99}
                    for i in range(40)}}
    fake = api(world)
    fake.delay_s = 0.02
    tasks = [(2010, code(i)) for i in range(40)]
    for i in range(0, 40, 7):
        fake.fail(code(i), (503, {}, "{}"))
    report = fetch_rows(tasks, tmp_path / "pool", FetchSettings(concurrency=4, backoff_s=0.0),
                        progress=False)
    assert 1 < fake.most_active <= 4
    assert report.rows_fetched == 40 and report.retries["server_error"] == 6
    fetch_rows(tasks, tmp_path / "one", FAST, progress=False)

    def groups(folder):
        return {p.name: json.loads(p.read_text())["groups"] for p in files_under(folder)}

    assert groups(tmp_path / "pool") == groups(tmp_path / "one")


def test_the_progress_bar_counts_rows_on_stderr(key, api, tmp_path, capsys):
    api()
    fetch_rows([(2010, "DE"), (2010, "FR")], tmp_path, FAST, progress=True)
    captured = capsys.readouterr()
    assert "2/2" in captured.err and captured.out == ""


# -- a year ----------------------------------------------------------------------------------

def test_fetch_year_all_lists_countries_then_fetches_rows_then_writes_the_manifest(key, api,
                                                                                 tmp_path):
    fake = api()
    path = fetch_year(2010, "all", tmp_path, FAST, progress=False)
    assert fake.calls[0]["filter"] == "publication_year:2010,countries_distinct_count:>1"
    assert path == tmp_path / "2010" / "manifest.json"
    assert json.loads(path.read_text()) == {
        "year": 2010, "countries": ["DE", "FR", "US"],
        "counting": {"scheme": "whole",
                     "label": "whole (each co-authored work counts 1 for every pair)"},
        "strata": [{"filter": ">1", "lo": 2, "hi": None,
                    "rows": {"DE": "DE.json", "FR": "FR.json", "US": "US.json"}}],
        "query_filters": {"publication_year": 2010}}
    listing = json.loads((tmp_path / "2010" / "_countries.json").read_text())
    assert listing["country"] is None and listing["meta"]["count"] is None
    assert len(fake.calls) == 4
    stamp = path.stat().st_mtime_ns
    fetch_year(2010, "all", tmp_path, FAST, progress=False)
    assert len(fake.calls) == 4 and path.stat().st_mtime_ns == stamp


def test_fetch_year_writes_no_manifest_while_a_row_is_missing(key, api, tmp_path):
    fake = api()
    fake.fail("US", *[(503, {}, "{}")] * 4)
    with pytest.raises(TransientGiveUp):
        fetch_year(2010, ["DE", "FR", "US"], tmp_path, FAST, progress=False)
    assert not (tmp_path / "2010" / "manifest.json").exists()
    fetch_year(2010, ["DE", "FR", "US"], tmp_path, FAST, progress=False)
    assert sum("US" in c["filter"] for c in fake.calls) == 5
    assert sum("DE" in c["filter"] for c in fake.calls) == 1
    assert json.loads((tmp_path / "2010" / "manifest.json").read_text())["countries"] == [
        "DE", "FR", "US"]


def test_the_rules_fetch_fetches_only_the_rows_a_new_selection_adds(key, api, tmp_path):
    """What the fetch rule does after an edit of ``countries`` (its params): the rows already
    cached make no call, whatever the transport settings (not params) say."""
    fake = api()
    transport = {"concurrency": 1, "retries": 3, "timeout_s": 2.0, "backoff_s": 0.0}
    settings = {"counting": "whole", "openalex": {"filters": {}}, "raw_dir": tmp_path}
    fetch.fetch_configured_year(2010, countries=["DE", "FR"], transport=transport, **settings)
    assert len(fake.calls) == 2
    fetch.fetch_configured_year(2010, countries=["DE", "FR", "US"],
                                transport={**transport, "concurrency": 4}, **settings)
    assert [call["filter"].split(",")[0] for call in fake.calls[2:]] == [
        "authorships.countries:US"]
    manifest = json.loads((tmp_path / "2010" / "manifest.json").read_text())
    assert manifest["countries"] == ["DE", "FR", "US"]
