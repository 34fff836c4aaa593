"""How many of a year's international works have no primary topic, and so no layer.

A work without a primary topic has no field and no domain: it counts in all-science but in no
layer, so the layers of a year add up to less than all-science. How much less is one group-by
call a year, the year's international works grouped by their primary topic's field with
OpenAlex's ``unknown`` group asked for::

    works?filter=publication_year:Y,countries_distinct_count:>1
         &group-by=primary_topic.field.id:include_unknown

(``countries_distinct_count`` as the counting scheme counts: ``2-10`` under ``capped`` at 10,
``>1`` otherwise; ``openalex.filters`` ANDed). Its groups are the works of each of the 26 fields
and of none, so they add up to every international work of the year, a total that does not rest
on ``meta.count``. It is cached as a row is, in ``raw_dir/{year}/_fields.json`` (in the
stratum's folder under ``capped``) and fetched only when layers are configured.

Examples
--------
>>> print(coverage_query(2010, {}, WHOLE_STRATUM).url)
https://api.openalex.org/works?filter=publication_year:2010,countries_distinct_count:%3E1&group-by=primary_topic.field.id%3Ainclude_unknown
>>> groups = [{"code": "17", "count": 30}, {"code": "22", "count": 60}, {"code": "UNKNOWN", "count": 10}]
>>> topic_coverage({"groups": groups})
{'works': 100, 'without_primary_topic': 10, 'share_without': 0.1}
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from pyalex import Works

from bibnet.counting import WHOLE_STRATUM, Counting, Stratum
from bibnet.fetch.cache import CacheJob, read_cached
from bibnet.fetch.client import run_jobs
from bibnet.fetch.errors import BudgetExhaustedError
from bibnet.fetch.settings import FetchSettings
from bibnet.taxonomy import FILTER_KEYS

COVERAGE = "_fields"
#: The group of works without a value, as the fetch names it (OpenAlex's key ``unknown``).
UNKNOWN = "UNKNOWN"


def coverage_stratum(counting: Counting) -> Stratum:
    """The works a scheme counts at all: its one stratum, or every international work."""
    return counting.strata[0] if len(counting.strata) == 1 else WHOLE_STRATUM


def coverage_query(year: int, filters: Mapping[str, str | int], stratum: Stratum) -> Works:
    """The group-by of a year's international works by field, ``unknown`` included."""
    query = Works().filter(publication_year=year, countries_distinct_count=stratum.filter)
    if filters:
        query = query.filter(**dict(filters))
    return query.group_by(f"{FILTER_KEYS['field']}:include_unknown")


def coverage_path(raw_dir: Path, year: int, stratum: Stratum) -> Path:
    """Where a year's works by field are cached."""
    folder = Path(raw_dir) / str(year)
    if stratum != WHOLE_STRATUM:
        folder = folder / stratum.name
    return folder / f"{COVERAGE}.json"


def coverage_job(raw_dir: Path, year: int, filters: Mapping[str, str | int],
                 stratum: Stratum) -> CacheJob:
    """The cache job of a year's works by field."""
    return CacheJob.of("coverage", f"{year}/works by field ({stratum.filter} countries)",
                       coverage_path(raw_dir, year, stratum),
                       {"year": year, "countries_distinct_count": stratum.filter},
                       coverage_query(year, filters, stratum))


def fetch_coverage(year: int, raw_dir: Path, settings: FetchSettings,
                   counting: Counting) -> Path:
    """Fetch (or find cached) a year's international works by field; its cache file."""
    job = coverage_job(raw_dir, year, settings.filters, coverage_stratum(counting))
    try:
        run_jobs([job], settings, progress=False)
    except BudgetExhaustedError as error:
        raise BudgetExhaustedError(0, 1, error.reset_at,
                                   f" before the works by field of {year} were read") from None
    return job.path


def topic_coverage(document: Mapping) -> dict:
    """A year's international works and those of them without a primary topic, from its
    cached works by field."""
    works = sum(int(group["count"]) for group in document["groups"])
    unknown = sum(int(group["count"]) for group in document["groups"] if group["code"] == UNKNOWN)
    return {"works": works, "without_primary_topic": unknown,
            "share_without": round(unknown / works, 6) if works else None}


def read_coverage(path: Path) -> dict:
    """`topic_coverage` of a cached file; ValueError if it is not complete."""
    return topic_coverage(read_cached(path))
