"""One year's fetch: its plan, its rows in every stratum of the counting scheme, its manifest."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from pathlib import Path

from bibnet.counting import Counting
from bibnet.fetch.cache import write_manifest
from bibnet.fetch.errors import BudgetExhaustedError
from bibnet.fetch.plan import Budget, FetchPlan, YearPlan, plan_year, read_budget
from bibnet.fetch.rows import country_list, fetch_rows, manifest_path, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.logs import job_entry
from bibnet.outputs import RAW

logger = logging.getLogger(__name__)


@job_entry
def fetch_year(year: int, countries: list[str] | str, raw_dir: Path, settings: FetchSettings,
               progress: bool = True, counting: Counting = Counting()) -> Path:
    """Fetch every row of a year, then write the year's manifest.

    Parameters
    ----------
    year : int
        Publication year.
    countries : list of str or "all"
        Row countries; ``"all"`` takes every country OpenAlex lists for the year.
    raw_dir : Path
        Root of the raw cache.
    settings : FetchSettings
        Concurrency, retries, timeouts and extra filters.
    progress : bool
        Show a progress bar on stderr.
    counting : Counting
        The counting scheme, which decides the strata each row is fetched in.

    Returns
    -------
    Path
        `manifest_path`: ``year``, ``countries`` (sorted codes whose rows are present),
        ``counting`` (`Counting.record`), ``strata`` (for each: ``filter``, ``lo``, ``hi`` and
        ``rows``, code -> file path relative to the year's folder) and ``query_filters``. It is
        written last and only when every file is complete.

    Raises
    ------
    MissingKeyError, KeyRejectedError, BudgetExhaustedError, TransientGiveUp, FetchError
        As `fetch_rows`; the manifest is then not written.
    """
    raw_dir = Path(raw_dir)
    if countries == "all":
        codes = country_list(year, raw_dir, settings)
    elif isinstance(countries, str):
        raise ValueError(f'countries must be "all" or a list of codes, not {countries!r}')
    else:
        codes = sorted(set(countries))
    _state_plan(plan_year(year, codes, raw_dir, settings, counting), counting)
    try:
        report = fetch_rows([(year, code) for code in codes], raw_dir, settings, progress,
                            counting.strata)
    except BudgetExhaustedError as error:
        left = plan_year(year, codes, raw_dir, settings, counting)
        raise BudgetExhaustedError(error.rows_done, error.rows_left, error.reset_at,
                                   f" in year {year}", calls_left=left.calls) from None
    logger.info("year %d, %s counting: %s", year, counting.scheme, report.summary())
    folder = raw_dir / str(year)
    manifest = {
        "year": year,
        "countries": codes,
        "counting": counting.record(),
        "strata": [{"filter": stratum.filter, "lo": stratum.lo, "hi": stratum.hi,
                    "rows": {code: row_path(raw_dir, year, code, stratum).relative_to(folder)
                             .as_posix() for code in codes}} for stratum in counting.strata],
        "query_filters": {"publication_year": year, **dict(settings.filters)},
    }
    return write_manifest(manifest_path(raw_dir, year, counting), manifest)


def _state_plan(year: YearPlan, counting: Counting) -> None:
    """Say, before the year's first row call, what the year needs and what the key has left."""
    if not year.calls:
        return
    budget = read_budget()
    plan = FetchPlan(counting, [year], budget)
    text = (f"year {year.year}: {year.queries - year.cached} of {year.queries} queries to fetch, "
            f"{plan.calls} calls (${plan.cost_usd():.4f}); ")
    if isinstance(budget, Budget):
        text += f"budget left ${budget.remaining_usd:.4f} ({budget.remaining_calls} calls)"
        if plan.stop():
            text += (f": the budget runs out within this year; it resets "
                     f"{budget.reset_text()}")
    else:
        text += f"budget {budget}"
    logger.info("%s", text)
    print(text, file=sys.stderr, flush=True)


@job_entry
def fetch_configured_year(year: int, *, countries: list[str] | str, counting: str,
                          openalex: Mapping, transport: Mapping | None = None,
                          raw_dir: Path = Path(RAW)) -> Path:
    """:func:`fetch_year` of one year as the configuration asks (its ``countries``, counting
    scheme's tag and ``openalex`` filters), talking to OpenAlex as ``transport`` says (the
    other ``openalex`` keys, `bibnet.slices.transport`): the workflow's fetch rule."""
    settings = FetchSettings.from_config({**(transport or {}), **openalex})
    return fetch_year(year, countries, Path(raw_dir), settings,
                      counting=Counting.from_tag(counting))
