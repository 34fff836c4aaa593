"""The fetch plan against the scripted fake of the API: calls from the cache (a range, and the
likely figure), the budget from ``GET /rate-limit``, where the run stops, what stops it before
its first call; no call is made to work it out. The emulator's calls fall within the range."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
import requests
import responses

from bibnet.counting import Counting
from bibnet.fetch import (BudgetExhaustedError, FetchSettings, KeyRejectedError,
                          MissingKeyError, NetworkError, fetch_configured_year, fetch_records,
                          fetch_rows, fetch_year, plan_fetch)
from bibnet.fetch.cache import CacheJob
from bibnet.fetch.client import run_jobs
from bibnet.fetch.focal import records_query
from bibnet.fetch.plan import (MAX_PAIR_WORKS, RATE_LIMIT_URL, Budget, pair_works_most,
                               plan_records_year)
from records_examples import FakeRecordsAPI
from test_fetch import FAST, api, code, key, real_failure  # noqa: F401 (fixtures)
from test_records_fetch import baselines, pair_works

PARTNERS = [code(i) for i in range(250)]
PAIR = ["KR", "GB"]


def world(*years):
    """AA has 250 partners (two pages), BB and CC one page, in every year."""
    rows = {"AA": {p: 1 for p in PARTNERS}, "BB": {"BB": 3, "AA": 1, "CC": 2},
            "CC": {"CC": 2, "AA": 1, "BB": 2}}
    return {year: rows for year in years}


def ends(plan):
    return plan.fewest, plan.calls, plan.most


def test_the_plan_takes_pages_from_a_cached_year_and_equals_the_calls(key, api, tmp_path):
    fake = api(world(2010, 2011))
    fetch_rows([(2010, c) for c in ("AA", "BB", "CC")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 4
    plan = plan_fetch([2010, 2011], ["AA", "BB", "CC"], tmp_path, FAST, Counting(),
                      budget="not read")
    assert [(y.queries, y.cached, y.calls, y.unhinted) for y in plan.years] == \
        [(3, 3, 0, 0), (3, 0, 4, 0)]
    # AA may drop below 200 partners (one page); BB and CC, 3 partners in 2010, cannot pass 200
    assert ends(plan) == (3, 4, 4)
    assert len(fake.calls) == 4  # working out the plan made no call
    fetch_rows([(2011, c) for c in ("AA", "BB", "CC")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 4 + plan.calls


def test_with_nothing_cached_every_row_may_take_two_pages(key, api, tmp_path):
    fake = api(world(2010))
    plan = plan_fetch([2010], ["AA", "BB", "CC"], tmp_path, FAST, Counting(), budget="not read")
    assert ends(plan) == (3, 3, 6) and plan.years[0].unhinted == 3
    fetch_rows([(2010, c) for c in ("AA", "BB", "CC")], tmp_path, FAST, progress=False)
    assert plan.fewest < len(fake.calls) == 4 <= plan.most


def test_a_cached_country_list_bounds_the_rows_of_its_year(key, api, tmp_path):
    api({2010: {"BB": {"BB": 3, "CC": 2}, "CC": {"CC": 2, "BB": 2}}})
    fetch_year(2010, "all", tmp_path, FAST, progress=False)
    (tmp_path / "2010" / "BB.json").unlink()
    # the year's list has 2 groups, so no row of 2010 has more: BB's row is one page
    assert ends(plan_fetch([2010], "all", tmp_path, FAST, Counting(), budget="not read")) == \
        (1, 1, 1)
    assert ends(plan_fetch([2010], ["BB", "CC"], tmp_path, FAST, Counting(),
                           budget="not read")) == (1, 1, 1)  # a list of countries too
    (tmp_path / "2010" / "_countries.json").unlink()
    assert ends(plan_fetch([2010], ["BB", "CC"], tmp_path, FAST, Counting(),
                           budget="not read")) == (1, 1, 2)


def test_strata_take_their_pages_from_the_whole_row(key, api, tmp_path):
    api(world(2010))
    fetch_rows([(2010, c) for c in ("AA", "BB")], tmp_path, FAST, progress=False)
    plan = plan_fetch([2010], ["AA", "BB"], tmp_path, FAST, Counting("fractional"),
                      budget="not read")
    strata = len(Counting("fractional").strata)
    assert plan.years[0].calls == 2 * strata + strata  # AA's strata counted at two pages
    # a stratum has at most the whole row's partners: BB's strata one page each
    assert plan.years[0].most == 2 * strata + strata


def test_the_budget_from_rate_limit_says_where_the_run_stops(key, tmp_path):
    with responses.RequestsMock() as mock:
        mock.get(RATE_LIMIT_URL, json={
            "limit_usd": 1.0, "remaining_usd": 0.0005, "cost_per_list_call_usd": 0.0001,
            "resets_in_seconds": 7200, "limit_calls": 10000, "remaining_calls": 5})
        plan = plan_fetch([2010, 2011], ["AA", "BB", "CC"], tmp_path, FetchSettings(),
                          Counting())
        assert mock.calls[0].request.headers["Authorization"] == f"Bearer {key}"
    assert isinstance(plan.budget, Budget) and plan.budget.remaining_calls == 5
    assert ends(plan) == (6, 6, 12)
    assert plan.stop("fewest") == (2011, 2) and plan.stop("most") == (2010, 5)
    text = plan.describe()
    assert "the fetch needs 6 to 12 calls, likely 6 ($0.0006 to $0.0012)" in text
    assert "budget left: $0.0005 of $1.0000 (5 calls)" in text
    assert "(in 1 h 59 min)" in text or "(in 2 h 0 min)" in text
    assert ("the run will STOP in year 2011 at the latest (in year 2010, after 5 of that "
            "year's calls, at its most): 1 to 7 calls ($0.0001 to $0.0007) will be left") in text
    assert key not in text


@pytest.mark.parametrize("remaining, verdict", [
    (0.0012, "the run fits in today's budget even at its most calls"),
    (0.0008, "the run may STOP: at its most calls in year 2011, after 2 of that year's calls"),
])
def test_fits_today_is_decided_on_the_most_calls(key, tmp_path, remaining, verdict):
    budget = Budget(remaining, 1.0, 0.0001, None)
    plan = plan_fetch([2010, 2011], ["AA", "BB", "CC"], tmp_path, FetchSettings(), Counting(),
                      budget=budget)
    assert verdict in plan.describe()


def test_without_a_key_the_plan_says_so_makes_no_call_and_blocks_the_run(tmp_path,
                                                                          monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    with responses.RequestsMock() as mock:
        plan = plan_fetch([2010], ["AA", "BB", "CC"], tmp_path, FetchSettings(), Counting())
        assert len(mock.calls) == 0
    assert "budget left: unknown: OPENALEX_API_KEY is not set" in plan.describe()
    assert isinstance(plan.blocker, MissingKeyError)
    assert "source: pajek" in str(plan.blocker)


def test_no_network_at_the_budget_reading_blocks_the_run(key, tmp_path):
    failure = real_failure("https://api.openalex.invalid/rate-limit")
    with responses.RequestsMock() as mock:
        mock.get(RATE_LIMIT_URL, body=failure)
        plan = plan_fetch([2010], ["AA"], tmp_path, FetchSettings(), Counting())
    assert isinstance(plan.blocker, NetworkError)
    message = str(plan.blocker)
    assert "OpenAlex cannot be reached: the name api.openalex.org does not resolve" in message
    assert "source=synthetic" in message and "source: pajek" in message


def test_a_rejected_key_at_the_budget_reading_blocks_the_run(key, tmp_path):
    with responses.RequestsMock() as mock:
        mock.get(RATE_LIMIT_URL, status=401, json={"error": "Invalid API key"})
        plan = plan_fetch([2010], ["AA"], tmp_path, FetchSettings(), Counting())
    assert isinstance(plan.blocker, KeyRejectedError)
    assert "HTTP 401: Invalid API key" in str(plan.blocker) and key not in str(plan.blocker)


def test_a_budget_stop_counts_every_year_still_to_fetch(key, api, tmp_path):
    fake = api(world(2010, 2011, 2012))
    fake.fail("BB", (429, {"X-RateLimit-Remaining": "0", "Retry-After": "600"}, "{}"))
    fetch = {"countries": ["AA", "BB", "CC"], "counting": "whole", "openalex": {"filters": {}}}
    transport = {"concurrency": 1, "retries": 0}
    run = {**fetch, "years": [2010, 2011, 2012], "layers": "none", "pair": []}
    with pytest.raises(BudgetExhaustedError) as stopped:
        fetch_configured_year(2010, **fetch, transport=transport, run=run, raw_dir=tmp_path)
    message = str(stopped.value)
    # AA of 2010 was fetched (2 pages); BB and CC of 2010 and all of 2011 and 2012 are left
    assert "spent in year 2010: 1 rows are done and kept, 2 are left" in message
    assert "the run still needs 8 to 16 calls, likely 10" in message
    assert "for years 2010-2012: the rows of 3 years" in message


# -- the focal pair's records ------------------------------------------------------------------

def records_api(works_by_year):
    """The records fake on api.openalex.org; it ends a listing on its last full page."""
    fake = FakeRecordsAPI(works_by_year, {k: v for year in works_by_year
                                          for k, v in baselines(year).items()})
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add_callback(responses.GET, "https://api.openalex.org/works", callback=fake)
    return fake, mock


def write_row(raw, year, country, counts):
    """A cached whole row of ``country`` with ``counts`` by partner."""
    from bibnet.fetch import row_job, write_json_atomic

    job = row_job(raw, year, country, {})
    write_json_atomic(job.path, {
        **job.identity, "query": {**job.record, "url": "cached"}, "meta": {}, "pages": 1,
        "groups": [{"code": c, "key": c, "name": c, "count": n} for c, n in counts.items()],
        "complete": True})


def listing(works: int) -> int:
    """Pages of a listing as the service pages it: 200 works a page, then an empty page."""
    return -(-works // 200) + 1 if works else 1


def test_a_cached_row_of_the_year_gives_the_records_pages_exactly(key, tmp_path):
    write_row(tmp_path, 2010, "GB", {"GB": 900, "KR": 450, "US": 300})
    plan = plan_records_year(2010, PAIR, tmp_path, FAST)
    # 450 works: 3 pages, and the empty page the service ends on; 6 baselines of one page
    assert (plan.queries, plan.cached, plan.fewest, plan.calls, plan.most) == (7, 0, 9, 10, 10)
    fake, mock = records_api({2010: pair_works(450)})
    with mock:  # the fake ends on the last full page, as the range allows
        fetch_records(2010, PAIR, tmp_path, FAST, progress=False)
    assert plan.fewest == len(fake.calls) <= plan.most
    assert plan_records_year(2010, PAIR, tmp_path, FAST).calls == 0


def test_another_years_count_bounds_the_records_by_the_pairs_growth(key, tmp_path):
    write_row(tmp_path, 2009, "KR", {"KR": 500, "GB": 300})
    plan = plan_records_year(2010, PAIR, tmp_path, FAST, years=[2009, 2010])
    assert (plan.fewest, plan.calls, plan.most) == (
        7, 6 + listing(300), 6 + listing(pair_works_most(300, 1)))
    unknown = plan_records_year(2010, PAIR, tmp_path / "empty", FAST)
    assert (unknown.fewest, unknown.calls, unknown.unhinted) == (7, 7, 1)
    assert unknown.most == 6 + listing(MAX_PAIR_WORKS)


def test_the_plan_counts_the_records_with_the_rows(key, tmp_path):
    plan = plan_fetch([2010], ["KR", "GB"], tmp_path, FAST, Counting(), budget="not read",
                      records_years=[2010, 2011], pair=PAIR)
    assert [step.year for step in plan.steps()] == [2010, 2010, 2011]
    assert plan.fewest == 2 + 2 * 7
    assert "focal records KR-GB, 2 years: 14 queries" in plan.describe()


# -- the emulator ------------------------------------------------------------------------------

@pytest.fixture
def serve(emulator, tmp_path, monkeypatch, key):
    """Start the emulator (with the given options) as the HTTPS proxy of this process; yields a
    function that starts it and returns a function giving the list calls served so far."""
    processes = []

    def start(*options):
        state = tmp_path / f"emulator-{len(processes)}"
        state.mkdir()
        process = subprocess.Popen([sys.executable, str(emulator), *options,
                                    "--state-dir", str(state)], stdout=subprocess.DEVNULL)
        processes.append(process)
        deadline = time.monotonic() + 60
        while not (state / "ready.json").exists():
            assert process.poll() is None and time.monotonic() < deadline, "no emulator"
            time.sleep(0.1)
        ready = json.loads((state / "ready.json").read_text())
        monkeypatch.setenv("HTTPS_PROXY", ready["https_proxy"])
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", ready["ca_bundle"])
        return lambda: requests.get(ready["url"] + "/__stats", timeout=10).json()["list_calls"]

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=30)


# the 25 countries of tests/workflow/test_e2e_openalex.py: 27 of their rows of 2014-2016 have more
# than 200 partners
COUNTRIES = ["AT", "AU", "BE", "BR", "CA", "CH", "CN", "DE", "DK", "ES", "FR", "GB", "IN", "IT",
             "JP", "KE", "KR", "NA", "NL", "PL", "RU", "SE", "US", "XK", "ZA"]
SETTINGS = FetchSettings(concurrency=4, retries=2, timeout_s=10, backoff_s=0.05)


def test_the_range_holds_the_calls_made_on_the_real_rows(serve, tmp_path):
    calls = serve()
    raw = tmp_path / "raw"
    for years, countries in (([2014, 2015, 2016], COUNTRIES), ([2017, 2018], "all")):
        plan = plan_fetch(years, countries, raw, SETTINGS, Counting())
        assert plan.blocker is None and plan.stop("most") is None
        before = calls()
        for year in years:
            fetch_year(year, countries, raw, SETTINGS, progress=False)
        made = calls() - before  # the emulator's count: retries would be in it too
        assert plan.fewest <= made <= plan.most
    # measured (fewest, likely, most, made): 25 countries, 2014-2016: 75, 75, 150, 102; all
    # countries, 2017-2018: 478, 478, 1,008, 499


def test_the_records_pages_planned_from_the_cached_rows_are_the_pages_served(
        serve, emulator, tmp_path):
    """The emulator's works mode lists works as the service does (ending on an empty page) but
    serves neither the records' selected fields nor the top-10% baseline, so the listing is
    fetched here with the fields it serves: its pages are what the plan counts for the records
    once the year's rows are cached."""
    corpus = tmp_path / "works.jsonl.gz"
    subprocess.run([sys.executable, str(emulator), "make-works", str(corpus), "--years",
                    "2014-2016", "--countries", "40", "--works-per-year", "20000", "--seed", "3"],
                   check=True, capture_output=True)
    calls = serve("--works", str(corpus))
    raw, years, countries = tmp_path / "raw", [2014, 2015, 2016], ["GB", "KR", "US"]
    rows = plan_fetch(years, countries, raw, SETTINGS, Counting())
    for year in years:
        fetch_year(year, countries, raw, SETTINGS, progress=False)
    rows_made = calls()
    assert rows.fewest <= rows_made <= rows.most
    pair = ["US", "GB"]  # two of the largest countries: several pages of works a year
    records = plan_fetch([], [], raw, SETTINGS, Counting(), records_years=years, pair=pair)
    listings = [CacheJob.of("records", f"{year}", tmp_path / "listing" / f"{year}.json",
                            {"year": year}, records_query(year, pair, {}).select(["id"]))
                for year in years]
    run_jobs(listings, SETTINGS, progress=False)
    made = calls() - rows_made
    baselines = 6 * len(years)
    assert (records.fewest - baselines <= made == records.calls - baselines
            <= records.most - baselines)
    assert made > 2 * len(years)  # more than 200 works a year
