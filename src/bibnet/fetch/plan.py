"""The fetch's plan: the calls still needed, what they cost, the key's budget, and where the run
stops if the budget runs out. Worked out before the first call, from the cache alone.

OpenAlex meters a key in US dollars (2026): a free key has $1.00 a day, a list or group_by call
costs $0.0001, the budget resets at midnight UTC. ``GET /rate-limit`` (free) tells what is left.

The calls still needed are one per page of every query not yet cached: each row (a country and
a year) in each stratum of the counting scheme (`bibnet.counting`), plus the year's country list
where ``countries: all`` and it is not cached. Pages per query are read from the cache where it
can tell: the same query in the nearest cached year, else the same country's ``whole`` row (its
partners bound any stratum's); otherwise one page (200 partners). Without a cached country list
a year is assumed to have as many row countries as the nearest cached year, else
`ASSUMED_COUNTRIES`. Retries after faults are extra calls the plan cannot know.

How close it comes: on the SYNTHETIC corpora of ``benchmarks/counting.py`` and
``tests/workflow/test_e2e_counting.py`` every query fits one page and the plan is exact (1,440 of 1,440
calls under ``fractional``). On the real networks of 1990-2023 (what the emulator serves), the
default study's 7,976 row and list calls are planned as 8,126 on an empty cache (+1.9 %). It is
worst for a selection of large countries on an empty cache: the 25 countries of
``tests/workflow/test_e2e_openalex.py`` over 2014-2016 take 102 calls, planned as 75 (-26 %), because 27
of their rows have more than 200 partners; once one year is cached, the others take its pages.

``snakemake fetch_plan`` prints the plan and fetches nothing; ``snakemake`` prints it before the
first fetch job, and each year's fetch states its own share before its first call.

Examples
--------
>>> budget = Budget(remaining_usd=0.05, limit_usd=1.0, price_usd=0.0001, resets_at=None)
>>> plan = FetchPlan(Counting("whole"), [YearPlan(2010, 300, 0, 300), YearPlan(2011, 300, 0, 310)],
...                  budget)
>>> plan.calls, plan.budget.remaining_calls, plan.stop()
(610, 500, (2011, 200))
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import requests

from bibnet.counting import WHOLE_STRATUM, Counting, Stratum
from bibnet.fetch.cache import is_cached, read_cached
from bibnet.fetch.client import PER_PAGE, utc_now
from bibnet.fetch.errors import API_KEY_ENV, CALL_PRICE_USD as PRICE_USD
from bibnet.fetch.rows import row_job, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.logs import job_entry
from bibnet.outputs import RAW

logger = logging.getLogger(__name__)

RATE_LIMIT_URL = "https://api.openalex.org/rate-limit"
#: Row countries of a year whose country list is not cached and no other year's is: the
#: countries with international works in the real 2015 network (bibnet.simulate.REAL_2015).
ASSUMED_COUNTRIES = 238


@dataclass(frozen=True)
class Budget:
    """What the key has left today, as ``GET /rate-limit`` says."""

    remaining_usd: float
    limit_usd: float
    price_usd: float
    resets_at: dt.datetime | None

    @property
    def remaining_calls(self) -> int:
        return int(math.floor(self.remaining_usd / self.price_usd + 1e-6))

    @property
    def limit_calls(self) -> int:
        return int(math.floor(self.limit_usd / self.price_usd + 1e-6))

    def reset_text(self) -> str:
        if self.resets_at is None:
            return "at a time OpenAlex did not give (usually midnight UTC)"
        left = max(self.resets_at - utc_now(), dt.timedelta(0))
        hours, minutes = divmod(int(left.total_seconds()) // 60, 60)
        return f"at {self.resets_at:%Y-%m-%d %H:%M} UTC (in {hours} h {minutes} min)"


def read_budget(timeout_s: float = 30.0) -> Budget | str:
    """The key's budget from ``GET /rate-limit`` (free), or why it could not be read."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        return f"unknown: {API_KEY_ENV} is not set"
    try:
        response = requests.get(RATE_LIMIT_URL, headers={"Authorization": f"Bearer {key}"},
                                timeout=timeout_s)
        response.raise_for_status()
        body = response.json()
        resets = body.get("resets_in_seconds")
        return Budget(float(body["remaining_usd"]), float(body["limit_usd"]),
                      float(body.get("cost_per_list_call_usd") or PRICE_USD),
                      utc_now() + dt.timedelta(seconds=float(resets)) if resets is not None
                      else None)
    except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
        text = str(exc).replace(key, "***")
        return f"unknown: GET /rate-limit failed ({type(exc).__name__}: {text[:200]})"


@dataclass(frozen=True)
class YearPlan:
    """One year: queries (rows x strata, and the country list), how many are cached, and the
    calls the others are expected to take."""

    year: int
    queries: int
    cached: int
    calls: int
    assumed_countries: bool = False
    unhinted: int = 0  # queries to fetch with no cached answer to take their pages from


@dataclass(frozen=True)
class FetchPlan:
    """The plan of a run; `describe` is what is printed."""

    counting: Counting
    years: Sequence[YearPlan]
    budget: Budget | str

    @property
    def calls(self) -> int:
        return sum(year.calls for year in self.years)

    def cost_usd(self, calls: int | None = None) -> float:
        price = self.budget.price_usd if isinstance(self.budget, Budget) else PRICE_USD
        return (self.calls if calls is None else calls) * price

    def stop(self) -> tuple[int, int] | None:
        """``(year, calls made in it)`` where the budget runs out, or None if the run fits."""
        if not isinstance(self.budget, Budget):
            return None
        left = self.budget.remaining_calls
        for year in self.years:
            if year.calls > left:
                return year.year, left
            left -= year.calls
        return None

    def describe(self) -> str:
        strata = self.counting.strata
        lines = [f"OpenAlex fetch plan, {self.counting.label}: {len(strata)} "
                 f"quer{'y' if len(strata) == 1 else 'ies'} per row (countries_distinct_count "
                 f"{', '.join(s.filter for s in strata)})"]
        queries = sum(y.queries for y in self.years)
        cached = sum(y.cached for y in self.years)
        first, last = self.years[0].year, self.years[-1].year
        lines.append(f"  years {first}-{last}: {queries} queries, {cached} cached, "
                     f"{queries - cached} to fetch")
        assumed = [y.year for y in self.years if y.assumed_countries]
        if assumed:
            lines.append(f"  ({len(assumed)} years without a cached country list are assumed "
                         "to have as many countries as the nearest cached year, or "
                         f"{ASSUMED_COUNTRIES})")
        lines.append(f"  calls needed: {self.calls}, cost ${self.cost_usd():.4f} at "
                     f"${PRICE_USD:.4f} a call (retries after faults come on top)")
        unhinted = sum(y.unhinted for y in self.years)
        if unhinted:
            lines.append(f"  ({unhinted} queries have no cached answer of the same country to "
                         "take their pages from and count as one page; a row of more than 200 "
                         "partners takes two)")
        if not isinstance(self.budget, Budget):
            lines.append(f"  budget left: {self.budget}")
            return "\n".join(lines)
        budget = self.budget
        lines.append(f"  budget left: ${budget.remaining_usd:.4f} of ${budget.limit_usd:.4f} "
                     f"({budget.remaining_calls} calls); it resets {budget.reset_text()}")
        stop = self.stop()
        if stop is None:
            lines.append(f"  the run fits in today's budget: "
                         f"${budget.remaining_usd - self.cost_usd():.4f} will be left")
        else:
            year, made = stop
            short = self.calls - budget.remaining_calls
            days = math.ceil(short / budget.limit_calls) if budget.limit_calls else 0
            lines.append(
                f"  the run will STOP in year {year}, after {made} of that year's calls: "
                f"{short} calls (${self.cost_usd(short):.4f}) will be left; every finished row "
                f"is kept, and re-running `snakemake` after the reset resumes ({days} more "
                f"day{'s' if days != 1 else ''} of a ${budget.limit_usd:.2f} budget)")
        return "\n".join(lines)


def _row_pages(raw_dir: Path, year: int, country: str | None, stratum: Stratum,
               years: Sequence[int]) -> int | None:
    """Pages a query is expected to take, from the cache (see the module docstring); None
    where the cache cannot tell."""
    nearest = sorted(years, key=lambda other: (abs(other - year), other))
    candidates = [row_path(raw_dir, other, country, stratum) for other in nearest]
    candidates += [row_path(raw_dir, other, country, WHOLE_STRATUM) for other in nearest]
    for path in candidates:
        if path.exists():
            try:
                groups = len(read_cached(path)["groups"])
            except ValueError:
                continue
            return max(1, math.ceil(groups / PER_PAGE))
    return None


def _countries(raw_dir: Path, year: int, years: Sequence[int]) -> tuple[list[str] | None, int]:
    """A year's listed countries if its list is cached, else how many to assume."""
    for other in sorted(years, key=lambda other: (abs(other - year), other)):
        path = row_path(raw_dir, other, None)
        if path.exists():
            try:
                codes = [g["code"] for g in read_cached(path)["groups"]
                         if len(g["code"]) == 2 and g["code"].isalpha()]
            except ValueError:
                continue
            if other == year:
                return sorted(codes), len(codes)
            return None, len(codes)
    return None, ASSUMED_COUNTRIES


def plan_year(year: int, countries: Sequence[str] | str, raw_dir: Path, settings: FetchSettings,
              counting: Counting, years: Sequence[int] = ()) -> YearPlan:
    """The queries of one year, how many are cached, and the calls the rest should take."""
    raw_dir = Path(raw_dir)
    years = sorted(set(years) | {year})
    queries = cached = calls = unhinted = 0
    assumed = False
    jobs = []
    if countries == "all":
        jobs.append((None, WHOLE_STRATUM))
        codes, n_codes = _countries(raw_dir, year, years)
        if codes is None:  # the rows of countries not known yet: one page each
            assumed = True
            queries = calls = unhinted = n_codes * len(counting.strata)
            codes = []
    else:
        codes = sorted(set(countries))
    jobs += [(code, stratum) for code in codes for stratum in counting.strata]
    for code, stratum in jobs:
        queries += 1
        if is_cached(row_job(raw_dir, year, code, settings.filters, stratum)):
            cached += 1
            continue
        pages = _row_pages(raw_dir, year, code, stratum, years)
        calls += pages or 1
        unhinted += pages is None
    return YearPlan(year, queries, cached, calls, assumed, unhinted)


def plan_fetch(years: Sequence[int], countries: Sequence[str] | str, raw_dir: Path,
               settings: FetchSettings, counting: Counting,
               budget: Budget | str | None = None) -> FetchPlan:
    """The plan of fetching ``years`` (in order); reads the budget unless it is given."""
    years = sorted(years)
    plans = [plan_year(year, countries, raw_dir, settings, counting, years) for year in years]
    return FetchPlan(counting, plans, read_budget(settings.timeout_s) if budget is None
                     else budget)


@job_entry
def print_plan(years: Sequence[int], *, countries: Sequence[str] | str, counting: str,
               openalex: Mapping, transport: Mapping | None = None,
               raw_dir: Path = Path(RAW)) -> FetchPlan:
    """Work out the plan of the configured fetch of ``years`` (settings as
    `bibnet.fetch.fetch_configured_year`) and print it (no fetch); with ``log=``, the job's log
    keeps it too."""
    plan = plan_fetch(years, countries, Path(raw_dir),
                      FetchSettings.from_config({**(transport or {}), **openalex}),
                      Counting.from_tag(counting))
    print(plan.describe(), flush=True)
    logger.info("%s", plan.describe())
    return plan
