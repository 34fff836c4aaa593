"""The fetch plan against the scripted fake of the API: calls from the cache, the budget from
``GET /rate-limit``, where the run stops; no call is made to work it out."""

from __future__ import annotations

import responses

from bibnet.counting import Counting
from bibnet.fetch import FetchSettings, fetch_rows, plan_fetch
from bibnet.fetch.plan import RATE_LIMIT_URL, Budget
from test_fetch import FAST, api, code, key  # noqa: F401 (fixtures)

PARTNERS = [code(i) for i in range(250)]


def world(*years):
    """AA has 250 partners (two pages), BB and CC one page, in every year."""
    rows = {"AA": {p: 1 for p in PARTNERS}, "BB": {"BB": 3, "AA": 1, "CC": 2},
            "CC": {"CC": 2, "AA": 1, "BB": 2}}
    return {year: rows for year in years}


def test_the_plan_takes_pages_from_a_cached_year_and_equals_the_calls(key, api, tmp_path):
    fake = api(world(2010, 2011))
    fetch_rows([(2010, c) for c in ("AA", "BB", "CC")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 4
    plan = plan_fetch([2010, 2011], ["AA", "BB", "CC"], tmp_path, FAST, Counting(),
                      budget="not read")
    assert [(y.queries, y.cached, y.calls, y.unhinted) for y in plan.years] == \
        [(3, 3, 0, 0), (3, 0, 4, 0)]
    assert len(fake.calls) == 4  # working out the plan made no call
    fetch_rows([(2011, c) for c in ("AA", "BB", "CC")], tmp_path, FAST, progress=False)
    assert len(fake.calls) == 4 + plan.calls


def test_strata_take_their_pages_from_the_whole_row(key, api, tmp_path):
    api(world(2010))
    fetch_rows([(2010, c) for c in ("AA", "BB")], tmp_path, FAST, progress=False)
    plan = plan_fetch([2010], ["AA", "BB"], tmp_path, FAST, Counting("fractional"),
                      budget="not read")
    strata = len(Counting("fractional").strata)
    assert plan.years[0].calls == 2 * strata + strata  # AA's strata counted at two pages


def test_the_budget_from_rate_limit_says_where_the_run_stops(key, tmp_path):
    with responses.RequestsMock() as mock:
        mock.get(RATE_LIMIT_URL, json={
            "limit_usd": 1.0, "remaining_usd": 0.0005, "cost_per_list_call_usd": 0.0001,
            "resets_in_seconds": 7200, "limit_calls": 10000, "remaining_calls": 5})
        plan = plan_fetch([2010, 2011], ["AA", "BB", "CC"], tmp_path, FetchSettings(),
                          Counting())
        assert mock.calls[0].request.headers["Authorization"] == f"Bearer {key}"
    assert isinstance(plan.budget, Budget) and plan.budget.remaining_calls == 5
    assert plan.calls == 6 and plan.stop() == (2011, 2)
    text = plan.describe()
    assert "calls needed: 6, cost $0.0006" in text
    assert "budget left: $0.0005 of $1.0000 (5 calls)" in text
    assert "(in 1 h 59 min)" in text or "(in 2 h 0 min)" in text
    assert "the run will STOP in year 2011, after 2 of that year's calls: 1 calls" in text
    assert key not in text


def test_without_a_key_the_plan_says_so_and_makes_no_call(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    with responses.RequestsMock() as mock:
        plan = plan_fetch([2010], ["AA", "BB", "CC"], tmp_path, FetchSettings(), Counting())
        assert len(mock.calls) == 0
    assert "budget left: unknown: OPENALEX_API_KEY is not set" in plan.describe()
