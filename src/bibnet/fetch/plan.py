"""The fetch's plan: the calls still needed, what they cost, the key's budget, and where the run
stops if the budget runs out. Worked out before the first call, from the cache alone.

OpenAlex meters a key in US dollars (2026): a free key has $1.00 a day, a list or group_by call
costs $0.0001, the budget resets at midnight UTC. ``GET /rate-limit`` (free) tells what is left.

The calls still needed are one per page of every query not yet cached: each row (a country and
a year) in each stratum of the counting scheme (`bibnet.counting`), the year's country list where
``countries: all`` and it is not cached, and with the focal pair's work records on, each year's
listing of the pair's works and its six baselines (`bibnet.fetch.focal`). How many pages a query
takes is known only once it is answered, so the plan counts three figures for each:

fewest
    One page (none takes fewer); for the pair's works, where their number is known, the pages
    they fill.
likely
    The pages the same query took in the nearest cached year, else the same country's ``whole``
    row (its partners bound any stratum's), else one page; for the pair's works, their number in
    the nearest year a cached row or records file tells. This is what the plan expects.
most
    What the query can take. A group_by page holds 200 groups (`PER_PAGE`). A row's groups are at
    most every code OpenAlex gives countries (`UNIVERSE`, 251: two pages); at most the groups of
    the year's country list where it is cached (every partner of a row is in it); of a stratum,
    at most those of the same country's ``whole`` row of the year; where only another year of
    the country's row is cached, its groups plus `PARTNER_GROWTH` a year between them. A
    baseline has at most 27 groups (26 fields or 4 domains, and the unknown): one page. The
    pair's N works are listed 200 a page, and the service ends on an empty page (``next_cursor``
    is null only there): ceil(N / 200) + 1 pages, N read from the pair's group in either focal
    country's cached ``whole`` row of the year (then exact); from another year's count M at
    most `pair_works_most` (M doubled plus 3,100 a year); with none cached, `MAX_PAIR_WORKS`.

Without a cached country list a year is assumed to have as many row countries as the nearest
cached year, else `ASSUMED_COUNTRIES` (fewest and likely), and at most `UNIVERSE` (most).
Whether the run fits in today's budget is decided on the most. The growth bounds are the largest
seen in the real networks of 1990-2023: no row gained more than 98 partners in a year (Timor-Leste
2013, 10 to 108), no pair more than 2 x its count plus 3,052 works (Pakistan-US 2006, 245 to
2,116; CN-US 2020 reached 84,025, the largest pair). Retries after faults are extra calls the
plan cannot know.

How close the likely figure comes: on the SYNTHETIC corpora of ``benchmarks/counting.py`` and
``tests/workflow/test_e2e_counting.py`` every query fits one page and the plan is exact (1,440
of 1,440 calls under ``fractional``). On the real networks of 1990-2023 (what the emulator
serves), the default study's 7,976 row and list calls are planned as 8,126 on an empty cache
(+1.9 %). It is worst for a selection of large countries on an empty cache: the 25 countries of
``tests/workflow/test_e2e_openalex.py`` over 2014-2016 take 102 calls, planned as 75 (-26 %)
within 75-150, because 27 of their rows have more than 200 partners; once one year is cached,
the others take its pages.

``snakemake fetch_plan`` prints the plan and fetches nothing; ``snakemake`` prints it before the
first fetch job, and each year's fetch states its own share before its first call. With
``layers`` configured, the plan of the research-field layers follows
(`bibnet.fetch.layer_plan`).

Examples
--------
>>> budget = Budget(remaining_usd=0.05, limit_usd=1.0, price_usd=0.0001, resets_at=None)
>>> plan = FetchPlan(Counting("whole"), [YearPlan(2010, 300, 0, 300, fewest=200, most=400),
...                                      YearPlan(2011, 300, 0, 310)], budget)
>>> (plan.fewest, plan.calls, plan.most), plan.budget.remaining_calls
((510, 610, 710), 500)
>>> plan.stop("fewest"), plan.stop("calls"), plan.stop("most")
((2011, 300), (2011, 200), (2011, 100))
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Mapping, Sequence

import requests

from bibnet import countries as country_codes
from bibnet.counting import WHOLE_STRATUM, Counting, Stratum
from bibnet.fetch.cache import CacheJob, cached_document, is_cached, read_cached
from bibnet.fetch.client import PER_PAGE, refusal_text, unreachable, utc_now
from bibnet.fetch.errors import API_KEY_ENV, CALL_PRICE_USD as PRICE_USD
from bibnet.fetch.errors import FetchError, KeyRejectedError, MissingKeyError, NetworkError
from bibnet.fetch.focal import records_jobs
from bibnet.fetch.rows import row_job, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.logs import job_entry
from bibnet.outputs import RAW

logger = logging.getLogger(__name__)

RATE_LIMIT_URL = "https://api.openalex.org/rate-limit"
#: Row countries of a year whose country list is not cached and no other year's is: the
#: countries with international works in the real 2015 network (bibnet.simulate.REAL_2015).
ASSUMED_COUNTRIES = 238
#: The most groups a row can have: every code OpenAlex gives a country (ISO 3166-1, XK, AN).
UNIVERSE = len(country_codes.names())
#: Partners a row may gain in a year (the real networks' largest gain, 1990-2023, was 98).
PARTNER_GROWTH = 100
#: The most works a pair can have in a year, where no cached file tells (above the real
#: networks' largest pair, CN-US 2020: 84,025 works).
MAX_PAIR_WORKS = 100_000

End = Literal["fewest", "calls", "most"]

if TYPE_CHECKING:
    from bibnet.fetch.layer_plan import LayerPlan


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


@dataclass(frozen=True)
class Unknown:
    """A budget that could not be read: why, and what stops every call if that is the reason
    (no key, a rejected key, no network)."""

    reason: str
    blocker: FetchError | None = None

    def __str__(self) -> str:
        return f"unknown: {self.reason}"


def read_budget(timeout_s: float = 30.0) -> Budget | Unknown:
    """The key's budget from ``GET /rate-limit`` (free), or why it could not be read."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        return Unknown(f"{API_KEY_ENV} is not set", MissingKeyError())
    try:
        response = requests.get(RATE_LIMIT_URL, headers={"Authorization": f"Bearer {key}"},
                                timeout=timeout_s)
        if response.status_code in (401, 403):
            return Unknown(f"OpenAlex rejected the key (HTTP {response.status_code})",
                           KeyRejectedError(response.status_code, refusal_text(response),
                                            "the fetch plan read the budget"))
        response.raise_for_status()
        body = response.json()
        resets = body.get("resets_in_seconds")
        return Budget(float(body["remaining_usd"]), float(body["limit_usd"]),
                      float(body.get("cost_per_list_call_usd") or PRICE_USD),
                      utc_now() + dt.timedelta(seconds=float(resets)) if resets is not None
                      else None)
    except requests.RequestException as exc:
        problem = unreachable(exc)
        if problem:
            return Unknown(f"OpenAlex cannot be reached: {problem}", NetworkError(problem))
        text = str(exc).replace(key, "***")
        return Unknown(f"GET /rate-limit failed ({type(exc).__name__}: {text[:200]})")
    except (ValueError, KeyError, TypeError) as exc:
        text = str(exc).replace(key, "***")
        return Unknown(f"GET /rate-limit failed ({type(exc).__name__}: {text[:200]})")


@dataclass(frozen=True)
class YearPlan:
    """One year's queries (rows x strata and the country list, or the focal pair's records and
    baselines), how many are cached, and the calls the others take: ``calls`` likely, between
    ``fewest`` and ``most`` (both ``calls`` where not given)."""

    year: int
    queries: int
    cached: int
    calls: int
    assumed_countries: bool = False
    unhinted: int = 0  # queries to fetch with no cached answer to take their pages from
    fewest: int | None = None
    most: int | None = None

    def __post_init__(self):
        for end in ("fewest", "most"):
            if getattr(self, end) is None:
                object.__setattr__(self, end, self.calls)


@dataclass(frozen=True)
class FetchPlan:
    """The plan of a run: the rows' years, and the focal pair's records' years where they are
    fetched too; `describe` is what is printed."""

    counting: Counting
    years: Sequence[YearPlan]
    budget: Budget | Unknown | str
    records: Sequence[YearPlan] = ()
    pair: Sequence[str] = ()

    def steps(self) -> list[YearPlan]:
        """Every year's plans in the order the run is counted in: by year, rows first."""
        return sorted([*self.years, *self.records], key=lambda step: step.year)

    @property
    def calls(self) -> int:
        return sum(step.calls for step in self.steps())

    @property
    def fewest(self) -> int:
        return sum(step.fewest for step in self.steps())

    @property
    def most(self) -> int:
        return sum(step.most for step in self.steps())

    @property
    def blocker(self) -> FetchError | None:
        """What stops every call of the run before it starts (no key, a rejected key, no
        network), where the budget's reading found it."""
        return self.budget.blocker if isinstance(self.budget, Unknown) else None

    def cost_usd(self, calls: int | None = None) -> float:
        price = self.budget.price_usd if isinstance(self.budget, Budget) else PRICE_USD
        return (self.calls if calls is None else calls) * price

    def stop(self, end: End = "most") -> tuple[int, int] | None:
        """``(year, calls made in it)`` where the budget runs out if every query takes its
        ``end`` of pages (``fewest``, ``calls``: likely, ``most``), or None if the run fits."""
        if not isinstance(self.budget, Budget):
            return None
        left, made = self.budget.remaining_calls, {}
        for step in self.steps():
            calls = getattr(step, end)
            if calls > left:
                return step.year, made.get(step.year, 0) + left
            left -= calls
            made[step.year] = made.get(step.year, 0) + calls
        return None

    def calls_text(self) -> str:
        """The calls still needed, as a range with the likely figure, and their cost."""
        if self.fewest == self.most:
            return f"{self.calls:,} calls (${self.cost_usd():.4f})"
        return (f"{self.fewest:,} to {self.most:,} calls, likely {self.calls:,} "
                f"(${self.cost_usd(self.fewest):.4f} to ${self.cost_usd(self.most):.4f})")

    def describe(self) -> str:
        strata = self.counting.strata
        lines = [f"OpenAlex fetch plan, {self.counting.label}: {len(strata)} "
                 f"quer{'y' if len(strata) == 1 else 'ies'} per row (countries_distinct_count "
                 f"{', '.join(s.filter for s in strata)})"]
        if self.years:
            queries = sum(y.queries for y in self.years)
            cached = sum(y.cached for y in self.years)
            first, last = self.years[0].year, self.years[-1].year
            lines.append(f"  years {first}-{last}: {queries} queries, {cached} cached, "
                         f"{queries - cached} to fetch")
        assumed = [y.year for y in self.years if y.assumed_countries]
        if assumed:
            lines.append(f"  ({len(assumed)} years without a cached country list are assumed "
                         "to have as many countries as the nearest cached year, or "
                         f"{ASSUMED_COUNTRIES}; at the most {UNIVERSE})")
        if self.records:
            queries = sum(y.queries for y in self.records)
            cached = sum(y.cached for y in self.records)
            lines.append(f"  focal records {'-'.join(self.pair)}, {len(self.records)} years: "
                         f"{queries} queries (the pair's works and 6 baselines a year), "
                         f"{cached} cached, {queries - cached} to fetch")
        lines.append(f"  the fetch needs {self.calls_text()} at ${PRICE_USD:.4f} a call "
                     "(retries after faults come on top)")
        unhinted = sum(y.unhinted for y in self.steps())
        if unhinted:
            lines.append(f"  ({unhinted} queries have no cached answer to take their pages from: "
                         "likely one page each; a row of more than 200 partners takes two, and "
                         "the pair's works one page per 200 and an empty last one)")
        if not isinstance(self.budget, Budget):
            lines.append(f"  budget left: {self.budget}")
            return "\n".join(lines)
        budget = self.budget
        lines.append(f"  budget left: ${budget.remaining_usd:.4f} of ${budget.limit_usd:.4f} "
                     f"({budget.remaining_calls} calls); it resets {budget.reset_text()}")
        lines.append(f"  {self._verdict(budget)}")
        return "\n".join(lines)

    def _verdict(self, budget: Budget) -> str:
        """Whether the run fits in today's budget, decided on its most calls."""
        most, fewest = self.stop("most"), self.stop("fewest")
        if most is None:
            return (f"the run fits in today's budget even at its most calls: at least "
                    f"${budget.remaining_usd - self.cost_usd(self.most):.4f} will be left")
        year, made = most
        short = self.most - budget.remaining_calls
        days = math.ceil(short / budget.limit_calls) if budget.limit_calls else 0
        resume = (f"every finished row is kept, and re-running `snakemake` after the reset "
                  f"resumes (up to {days} more day{'s' if days != 1 else ''} of a "
                  f"${budget.limit_usd:.2f} budget)")
        if fewest is None:
            likely = self.stop("calls")
            return (f"the run may STOP: at its most calls in year {year}, after {made} of that "
                    f"year's calls, with up to {short} calls (${self.cost_usd(short):.4f}) "
                    f"left; at its fewest it fits, and as likely "
                    + ("it fits" if likely is None else f"it stops in year {likely[0]}")
                    + f"; {resume}")
        low_short = self.fewest - budget.remaining_calls
        return (f"the run will STOP in year {fewest[0]} at the latest (in year {year}, after "
                f"{made} of that year's calls, at its most): {low_short} to {short} calls "
                f"(${self.cost_usd(low_short):.4f} to ${self.cost_usd(short):.4f}) will be "
                f"left; {resume}")


def _nearest(years: Sequence[int], year: int) -> list[int]:
    return sorted(years, key=lambda other: (abs(other - year), other))


def _groups(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        return len(read_cached(path)["groups"])
    except ValueError:
        return None


def _pages(groups: int) -> int:
    return max(1, math.ceil(groups / PER_PAGE))


def _row_range(raw_dir: Path, year: int, country: str | None, stratum: Stratum,
               years: Sequence[int], listed: int | None) -> tuple[int, int | None, int]:
    """Fewest, likely (None where the cache cannot tell) and most pages of a query not cached
    (see the module docstring): from the same query in the nearest cached year, else the same
    country's whole row; at most the year's listed groups (or `UNIVERSE`)."""
    nearest = _nearest(years, year)
    likely, most = None, UNIVERSE if listed is None else listed
    for kind in (stratum, WHOLE_STRATUM):
        for other in nearest:
            groups = _groups(row_path(raw_dir, other, country, kind))
            if groups is None:
                continue
            likely = _pages(groups) if likely is None else likely
            if country is not None:  # a country list only bounds itself
                most = min(most, groups + abs(other - year) * PARTNER_GROWTH)
            break
    return 1, likely, _pages(most)


def _countries(raw_dir: Path, year: int, years: Sequence[int]
               ) -> tuple[list[str] | None, int, int | None]:
    """A year's listed countries if its list is cached, else how many to assume; and the
    groups of the year's cached list (None where it is not cached)."""
    for other in _nearest(years, year):
        path = row_path(raw_dir, other, None)
        if path.exists():
            try:
                groups = read_cached(path)["groups"]
            except ValueError:
                continue
            codes = [g["code"] for g in groups if len(g["code"]) == 2 and g["code"].isalpha()]
            if other == year:
                return sorted(codes), len(codes), len(groups)
            return None, len(codes), None
    return None, ASSUMED_COUNTRIES, None


def plan_year(year: int, countries: Sequence[str] | str, raw_dir: Path, settings: FetchSettings,
              counting: Counting, years: Sequence[int] = ()) -> YearPlan:
    """The queries of one year, how many are cached, and the calls the rest take."""
    raw_dir = Path(raw_dir)
    years = sorted(set(years) | {year})
    queries = cached = calls = unhinted = fewest = most = 0
    assumed = False
    jobs = []
    listed = None
    if countries == "all":
        jobs.append((None, WHOLE_STRATUM))
        codes, n_codes, listed = _countries(raw_dir, year, years)
        if codes is None:  # the rows of countries not known yet: one page each, at most two
            assumed = True
            queries = calls = unhinted = fewest = n_codes * len(counting.strata)
            most = UNIVERSE * len(counting.strata) * _pages(UNIVERSE)
            codes = []
    else:
        codes = sorted(set(countries))
        listed = _countries(raw_dir, year, [year])[2]  # the year's list, where it is cached
    jobs += [(code, stratum) for code in codes for stratum in counting.strata]
    for code, stratum in jobs:
        queries += 1
        if is_cached(row_job(raw_dir, year, code, settings.filters, stratum)):
            cached += 1
            continue
        low, likely, high = _row_range(raw_dir, year, code, stratum, years, listed)
        calls += likely or low
        unhinted += likely is None
        fewest += low
        most += high
    return YearPlan(year, queries, cached, calls, assumed, unhinted, fewest, most)


def pair_works_most(works: int, years_away: int) -> int:
    """The most works a pair can have ``years_away`` years from a year with ``works``: doubled
    plus 3,100 a year (the real networks' largest gain, 1990-2023, was 2 x 245 + 1,626, PK-US
    2006; against twice the count, 3,052 more), at most `MAX_PAIR_WORKS`.

    >>> pair_works_most(3_916, 0), pair_works_most(3_916, 1), pair_works_most(50_000, 1)
    (3916, 10932, 100000)
    """
    for _ in range(years_away):
        works = min(MAX_PAIR_WORKS, 2 * works + 3_100)
    return works


def _listing_pages(works: int) -> int:
    """Pages of a cursor listing of ``works``: 200 a page, and the empty page the service ends
    on (the only one whose ``next_cursor`` is null).

    >>> _listing_pages(0), _listing_pages(400), _listing_pages(450)
    (1, 3, 4)
    """
    return math.ceil(works / PER_PAGE) + 1 if works else 1


def _pair_works(raw_dir: Path, year: int, pair: Sequence[str],
                filters: Mapping[str, str | int], years: Sequence[int]) -> tuple[int, int] | None:
    """The pair's works and how many years away the nearest cached file that tells was: the
    pair's group in either country's whole row of the same filters, or the pair's records."""
    for other in _nearest(years, year):
        for country, partner in (pair, pair[::-1]):
            row = cached_document(row_job(raw_dir, other, country, filters), warn=False)
            if row is not None:
                counts = {g["code"]: g["count"] for g in row["groups"]}
                return counts.get(partner, 0), abs(other - year)
        records = cached_document(records_jobs(other, pair, raw_dir, filters)[0], warn=False)
        if records is not None:
            return len(records["works"]), abs(other - year)
    return None


def _records_range(job: CacheJob, raw_dir: Path, year: int, pair: Sequence[str],
                   filters: Mapping[str, str | int], years: Sequence[int]
                   ) -> tuple[int, int | None, int]:
    """Fewest, likely (None where no cached file tells) and most pages of a records job."""
    if job.noun == "baseline":  # at most 27 groups: one page
        return 1, 1, 1
    known = _pair_works(raw_dir, year, pair, filters, years)
    if known is None:
        return 1, None, _listing_pages(MAX_PAIR_WORKS)
    works, away = known
    if away == 0:
        return max(1, math.ceil(works / PER_PAGE)), _listing_pages(works), _listing_pages(works)
    return 1, _listing_pages(works), _listing_pages(pair_works_most(works, away))


def plan_records_year(year: int, pair: Sequence[str], raw_dir: Path, settings: FetchSettings,
                      years: Sequence[int] = ()) -> YearPlan:
    """The focal pair's records and baselines of one year: how many are cached, and the calls
    the rest take."""
    raw_dir = Path(raw_dir)
    years = sorted(set(years) | {year})
    jobs = records_jobs(year, pair, raw_dir, settings.filters)
    cached = calls = unhinted = fewest = most = 0
    for job in jobs:
        if is_cached(job):
            cached += 1
            continue
        low, likely, high = _records_range(job, raw_dir, year, pair, settings.filters, years)
        calls += likely or low
        unhinted += likely is None
        fewest += low
        most += high
    return YearPlan(year, len(jobs), cached, calls, False, unhinted, fewest, most)


def plan_fetch(years: Sequence[int], countries: Sequence[str] | str, raw_dir: Path,
               settings: FetchSettings, counting: Counting,
               budget: Budget | Unknown | str | None = None, records_years: Sequence[int] = (),
               pair: Sequence[str] = ()) -> FetchPlan:
    """The plan of fetching the rows of ``years`` and the focal ``pair``'s records of
    ``records_years`` (in year order); reads the budget unless it is given."""
    years = sorted(years)
    every_year = sorted(set(years) | set(records_years))
    plans = [plan_year(year, countries, raw_dir, settings, counting, every_year)
             for year in years]
    records = [plan_records_year(year, pair, raw_dir, settings, every_year)
               for year in sorted(records_years)]
    return FetchPlan(counting, plans, read_budget(settings.timeout_s) if budget is None
                     else budget, records, tuple(pair))


def configured_plan(years: Sequence[int], *, countries: Sequence[str] | str, counting: str,
                    openalex: Mapping, transport: Mapping | None = None,
                    pair: Sequence[str] = (), records_years: Sequence[int] | None = None,
                    raw_dir: Path = Path(RAW), budget: Budget | Unknown | str | None = None
                    ) -> FetchPlan:
    """The plan of the configured fetch: the rows of ``years``, and the focal ``pair``'s records
    of ``records_years`` (by default the same years where a pair is given: the records are on).

    The settings are the fetch's (`bibnet.fetch.fetch_configured_year`: ``countries``, the
    counting scheme's tag, the ``openalex`` filters and the ``transport``) and the pair whose
    records are fetched (empty where they are off; `bibnet.slices.fetch_plan`)."""
    if records_years is None:
        records_years = years if pair else ()
    return plan_fetch(years, countries, Path(raw_dir),
                      FetchSettings.from_config({**(transport or {}), **openalex}),
                      Counting.from_tag(counting), budget, records_years, pair)


def _layer_plan(plan: FetchPlan, layers: str | Sequence[int | str], countries: Sequence[str] | str,
                openalex: Mapping, transport: Mapping | None, raw_dir: Path):
    """`bibnet.fetch.layer_plan.configured_layer_plan` of the configured ``layers`` over the
    all-science ``plan``."""
    from bibnet.fetch.layer_plan import configured_layer_plan  # it builds on this module

    return configured_layer_plan(layers, plan, countries,
                                 FetchSettings.from_config({**(transport or {}), **openalex}),
                                 Path(raw_dir))


def run_left(years: Sequence[int], *, countries: Sequence[str] | str, counting: str,
             openalex: Mapping, transport: Mapping | None = None,
             layers: str | Sequence[int | str] = "none", pair: Sequence[str] = (),
             raw_dir: Path = Path(RAW)) -> str:
    """What the whole configured run of ``years`` still needs, from the cache: for a budget
    stop's message (settings as `print_plan`).

    Examples
    --------
    >>> import tempfile
    >>> print(run_left([2010, 2011], countries=["KR", "GB"], counting="whole", openalex={},
    ...                pair=["KR", "GB"], raw_dir=tempfile.mkdtemp()))
    ... # doctest: +NORMALIZE_WHITESPACE
    the run still needs 18 to 1,022 calls, likely 18 ($0.0018 to $0.1022) for years 2010-2011:
    the rows of 2 years and the focal records of 2 years
    """
    plan = configured_plan(years, countries=countries, counting=counting, openalex=openalex,
                           transport=transport, pair=pair, raw_dir=raw_dir, budget="not read")
    layered = _layer_plan(plan, layers, countries, openalex, transport, raw_dir)
    rows = [y.year for y in plan.years if y.most]
    records = [y.year for y in plan.records if y.most]
    layer_years = sorted({year for year, what, calls in
                          (layered[0].steps("most") if layered else ())
                          if calls and what not in ("all-science", "focal records")})
    if not rows and not records and not layer_years:
        return "the rest of the run is cached"
    left = sorted(set(rows) | set(records) | set(layer_years))
    span = f"{left[0]}-{left[-1]}" if len(left) > 1 else f"{left[0]}"
    parts = [f"{what} of {len(done)} year{'s' if len(done) != 1 else ''}"
             for what, done in (("the rows", rows), ("the focal records", records),
                                ("the layers", layer_years)) if done]
    needs = (layered[0] if layered else plan).calls_text()
    return f"the run still needs {needs} for years {span}: " + " and ".join(parts)


@job_entry
def print_plan(years: Sequence[int], *, countries: Sequence[str] | str, counting: str,
               openalex: Mapping, transport: Mapping | None = None,
               layers: str | Sequence[int | str] = "none", pair: Sequence[str] = (),
               records_years: Sequence[int] | None = None,
               raw_dir: Path = Path(RAW)) -> FetchPlan | LayerPlan:
    """Work out the plan of the configured fetch of ``years`` (and of the focal ``pair``'s
    records of ``records_years``, by default the same years where a pair is given) and print it
    (no fetch); with ``log=``, the job's log keeps it too. The settings are those of
    `configured_plan`; with research-field ``layers`` (the configuration's), the plan of the
    layers follows (`bibnet.fetch.layer_plan`) and is the one returned: its ``blocker``,
    ``fewest``, ``calls`` and ``most`` are the whole run's."""
    plan = configured_plan(years, countries=countries, counting=counting, openalex=openalex,
                           transport=transport, pair=pair, records_years=records_years,
                           raw_dir=raw_dir)
    print(plan.describe(), flush=True)
    logger.info("%s", plan.describe())
    layered = _layer_plan(plan, layers, countries, openalex, transport, raw_dir)
    if layered is None:
        return plan
    text = layered[0].describe(layered[1])
    print(text, flush=True)
    logger.info("%s", text)
    return layered[0]
