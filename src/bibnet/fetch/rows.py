"""The country x country rows of a year: one cached group_by query per row, then a manifest."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping, Sequence

from pyalex import Works

from bibnet.fetch.cache import CacheJob, check_code, read_cached, write_manifest
from bibnet.fetch.client import run_jobs
from bibnet.fetch.errors import BudgetExhaustedError
from bibnet.fetch.settings import FetchReport, FetchSettings
from bibnet.logs import job_entry

logger = logging.getLogger(__name__)

GROUP_BY = "authorships.countries"
COUNTRY_LIST = "_countries"
MANIFEST = "manifest.json"


def row_query(year: int, country: str | None, filters: Mapping[str, str | int]) -> Works:
    """The pyalex query of one row, or of the year's country list when ``country`` is None.

    Parameters
    ----------
    year : int
        Publication year.
    country : str or None
        ISO 3166-1 alpha-2 code of the row's country.
    filters : Mapping
        Extra work filters, ANDed.
    """
    query = Works()
    if country is not None:
        query = query.filter(authorships={"countries": country})
    query = query.filter(publication_year=year, countries_distinct_count=">1")
    if filters:
        query = query.filter(**dict(filters))
    return query.group_by(GROUP_BY)

def row_path(raw_dir: Path, year: int, country: str | None) -> Path:
    """Where a row (or, for ``country=None``, the year's country list) is cached."""
    return Path(raw_dir) / str(year) / f"{country or COUNTRY_LIST}.json"


def row_job(raw_dir: Path, year: int, country: str | None,
            filters: Mapping[str, str | int]) -> CacheJob:
    """The cache job of one row, or of the year's country list when ``country`` is None."""
    return CacheJob.of("row", f"{year}/{country or 'country list'}",
                       row_path(raw_dir, year, country), {"year": year, "country": country},
                       row_query(year, country, filters))

def read_row(path: Path) -> dict:
    """A cached row; ValueError if it does not parse or is not complete."""
    return read_cached(path, "groups")


def fetch_rows(tasks: Sequence[tuple[int, str]], raw_dir: Path, settings: FetchSettings,
               progress: bool = True) -> FetchReport:
    """Fetch (or take from the cache) many rows with a bounded pool of workers.

    Parameters
    ----------
    tasks : sequence of (int, str)
        ``(year, country code)`` pairs; repeats are fetched once.
    raw_dir : Path
        Root of the raw cache; row files go to ``raw_dir/{year}/{CC}.json``.
    settings : FetchSettings
        Concurrency, retries, timeouts and extra filters.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    FetchReport
        Rows fetched and cached, calls, retries by cause, wall time.

    Raises
    ------
    MissingKeyError
        If a row needs fetching and ``OPENALEX_API_KEY`` is unset (before any call or write).
    KeyRejectedError, BudgetExhaustedError, TransientGiveUp, FetchError
        After the rows in flight have finished; every finished row is kept.
    """
    for _, country in tasks:
        check_code(country)
    jobs = [row_job(raw_dir, int(year), country, settings.filters) for year, country in tasks]
    return run_jobs(jobs, settings, progress)


def country_list(year: int, raw_dir: Path, settings: FetchSettings) -> list[str]:
    """The codes of every country with internationally co-authored works in ``year``.

    Fetched with one paged group_by call (or read from ``raw_dir/{year}/_countries.json``).
    Group keys that are not two-letter codes are logged and left out.
    """
    try:
        run_jobs([row_job(raw_dir, year, None, settings.filters)], settings, progress=False)
    except BudgetExhaustedError as error:
        raise BudgetExhaustedError(0, 1, error.reset_at,
                                   f" before the country list of {year} was read") from None
    codes = []
    for group in read_row(row_path(raw_dir, year, None))["groups"]:
        code = group["code"]
        if len(code) == 2 and code.isalpha():
            codes.append(code)
        else:
            logger.warning("year %d: group %r is not a country; left out", year, group["key"])
    return sorted(codes)


@job_entry
def fetch_year(year: int, countries: list[str] | str, raw_dir: Path, settings: FetchSettings,
               progress: bool = True) -> Path:
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

    Returns
    -------
    Path
        ``raw_dir/{year}/manifest.json``: ``year``, ``countries`` (sorted codes whose rows are
        present), ``rows`` (code -> file name) and ``query_filters``. It is written last and
        only when every row is complete.

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
    report = fetch_rows([(year, code) for code in codes], raw_dir, settings, progress)
    logger.info("year %d: %s", year, report.summary())
    manifest = {
        "year": year,
        "countries": codes,
        "rows": {code: row_path(raw_dir, year, code).name for code in codes},
        "query_filters": {"publication_year": year, "countries_distinct_count": ">1",
                          **dict(settings.filters)},
    }
    return write_manifest(raw_dir / str(year) / MANIFEST, manifest)
