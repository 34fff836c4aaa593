"""The focal pair's work records and each focal country's baselines, cached as the rows are."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping, Sequence

from pyalex import Works

from bibnet.fetch.cache import CacheJob, check_code, write_manifest
from bibnet.fetch.client import run_jobs
from bibnet.fetch.settings import FetchSettings
from bibnet.logs import job_entry

logger = logging.getLogger(__name__)

RECORDS_DIR = "records"
# The fields of a work the record measures read (bibnet.records); the rest is never fetched.
RECORD_FIELDS = ("id", "publication_year", "type", "authorships", "primary_topic",
                 "cited_by_count", "fwci", "citation_normalized_percentile",
                 "corresponding_author_ids")
# Baselines of a focal country's international output: name -> (group-by, extra filter).
# OpenAlex hides the group of works without a value unless the group-by asks for it
# (":include_unknown"); with it, a baseline's groups add up to all the country's works.
BASELINES = {
    "fields": ("primary_topic.field.id:include_unknown", None),
    "domains": ("primary_topic.domain.id:include_unknown", None),
    "fields_top10": ("primary_topic.field.id:include_unknown",
                     {"citation_normalized_percentile": {"is_in_top_10_percent": True}}),
}


def records_query(year: int, pair: Sequence[str], filters: Mapping[str, str | int]) -> Works:
    """The pyalex listing of every work of ``year`` with authors from both countries of ``pair``.

    ``authorships.countries:KR+GB`` is OpenAlex's AND within one attribute (the same as
    repeating the filter); only the fields of `RECORD_FIELDS` are selected.

    Examples
    --------
    >>> print(records_query(2010, ["KR", "GB"], {}).url)
    https://api.openalex.org/works?filter=authorships.countries:KR+GB,publication_year:2010,countries_distinct_count:%3E1&select=id,publication_year,type,authorships,primary_topic,cited_by_count,fwci,citation_normalized_percentile,corresponding_author_ids
    """
    # countries_distinct_count:>1 changes nothing for two countries' works, but keeps them a
    # subset of each country's international works (the baselines) by construction
    query = Works().filter(authorships={"countries": list(pair)}, publication_year=year,
                           countries_distinct_count=">1")
    if filters:
        query = query.filter(**dict(filters))
    return query.select(list(RECORD_FIELDS))


def baseline_query(year: int, country: str, what: str,
                   filters: Mapping[str, str | int]) -> Works:
    """The group_by query of one baseline of ``country``'s international works in ``year``.

    ``what`` is a key of `BASELINES`: ``fields`` and ``domains`` count the works by their primary
    topic's field or domain, ``fields_top10`` counts by field those OpenAlex places in the top
    10% most cited of their subfield and year (``citation_normalized_percentile``). Each asks
    for OpenAlex's ``unknown`` group too (works without a primary topic), so that the groups
    add up to every work the filter matches.

    Examples
    --------
    >>> print(baseline_query(2010, "KR", "fields_top10", {}).url)
    https://api.openalex.org/works?filter=authorships.countries:KR,publication_year:2010,countries_distinct_count:%3E1,citation_normalized_percentile.is_in_top_10_percent:true&group-by=primary_topic.field.id%3Ainclude_unknown
    """
    group_by, extra = BASELINES[what]
    query = Works().filter(authorships={"countries": country}, publication_year=year,
                           countries_distinct_count=">1")
    if extra:
        query = query.filter(**extra)
    if filters:
        query = query.filter(**dict(filters))
    return query.group_by(group_by)


def _pair_name(pair: Sequence[str]) -> str:
    return "-".join(pair)


def records_path(raw_dir: Path, pair: Sequence[str], year: int) -> Path:
    """Where the pair's works of a year are cached: ``records/{A}-{B}/{year}.json``, in the
    pair's configured order."""
    return Path(raw_dir) / RECORDS_DIR / _pair_name(pair) / f"{year}.json"


def baseline_path(raw_dir: Path, country: str, year: int, what: str) -> Path:
    """Where a baseline is cached: ``records/baselines/{CC}/{year}.{what}.json``."""
    return Path(raw_dir) / RECORDS_DIR / "baselines" / country / f"{year}.{what}.json"


def records_manifest_path(raw_dir: Path, pair: Sequence[str], year: int) -> Path:
    """The manifest of a year's records and baselines, written once all of them are."""
    return Path(raw_dir) / RECORDS_DIR / _pair_name(pair) / f"{year}.manifest.json"


def records_jobs(year: int, pair: Sequence[str], raw_dir: Path,
                 filters: Mapping[str, str | int]) -> list[CacheJob]:
    """The cache jobs of one year: the pair's works, then each country's baselines."""
    pair = list(pair)
    jobs = [CacheJob.of("records", f"{_pair_name(pair)}/{year}", records_path(raw_dir, pair, year),
                        {"year": year, "pair": pair}, records_query(year, pair, filters))]
    for country in pair:
        for what in BASELINES:
            jobs.append(CacheJob.of("baseline", f"{country}/{year}/{what}",
                                    baseline_path(raw_dir, country, year, what),
                                    {"year": year, "country": country, "what": what},
                                    baseline_query(year, country, what, filters)))
    return jobs


@job_entry
def fetch_records(year: int, pair: Sequence[str], raw_dir: Path, settings: FetchSettings,
                  progress: bool = True) -> Path:
    """Fetch (or find cached) the focal pair's works of a year and both countries' baselines.

    Parameters
    ----------
    year : int
        Publication year.
    pair : sequence of two str
        The focal countries, e.g. ``["KR", "GB"]``; their order names the folder.
    raw_dir : Path
        Root of the raw cache (the rows' root).
    settings : FetchSettings
        Concurrency, retries, timeouts and extra filters (ANDed to every query here too).
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    Path
        ``raw_dir/records/{A}-{B}/{year}.manifest.json``: ``year``, ``pair``, ``records`` and
        ``baselines`` (``{CC: {what: path}}``), paths relative to ``raw_dir``, and
        ``query_filters``. Written last, only when every file is complete.

        A records file holds ``year``, ``pair``, ``query`` (``filter``, ``select``, first
        page's ``url``), ``meta``, ``pages``, ``works`` (every work as OpenAlex gave its selected
        fields, sorted by ``id``), ``complete`` and ``fetched_at``. A baseline file is a row
        file with ``what`` beside ``year`` and ``country``, its groups keyed by field or domain
        id (``code``, e.g. ``"17"``).

    Raises
    ------
    ValueError
        For a pair that is not two distinct upper-case country codes.
    MissingKeyError, KeyRejectedError, BudgetExhaustedError, TransientGiveUp, FetchError
        As `fetch_rows`; the manifest is then not written, every finished file is kept.
    """
    pair = list(pair)
    for country in pair:
        check_code(country)
    if len(pair) != 2 or pair[0] == pair[1]:
        raise ValueError(f"the focal pair must be two different countries, not {pair}")
    raw_dir = Path(raw_dir)
    report = run_jobs(records_jobs(year, pair, raw_dir, settings.filters), settings, progress,
                  unit="file")
    logger.info("records %s %d: %s", _pair_name(pair), year, report.summary())
    manifest = {
        "year": year,
        "pair": pair,
        "records": records_path(raw_dir, pair, year).relative_to(raw_dir).as_posix(),
        "baselines": {country: {what: baseline_path(raw_dir, country, year, what)
                                .relative_to(raw_dir).as_posix() for what in BASELINES}
                      for country in pair},
        "query_filters": dict(settings.filters),
    }
    return write_manifest(records_manifest_path(raw_dir, pair, year), manifest)
