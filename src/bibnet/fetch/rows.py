"""The country x country rows of a year: cached group_by queries per row, then a manifest.

Under ``whole`` counting a row is one query, its works restricted to ``countries_distinct_count:>1``
(cached as ``raw_dir/{year}/{CC}.json``). Under the other schemes (`bibnet.counting`) a row is
fetched in strata of works by their number of countries, each its own query and cache file,
``raw_dir/{year}/{stratum}/{CC}.json`` (``n2``, ``n3``, ..., ``n11-20``, ``n41+``; ``n2-10`` for
``capped`` at 10): the filter ``countries_distinct_count:2``, ``:11-20``, ``:>40`` or ``:2-10``
replaces ``:>1``. A cached file is reused only by a query with the same filter, so no scheme
reads another's rows, yet a stratum two schemes share is fetched once.

Calls each scheme costs against ``whole``: ``capped`` the same (one query per row),
``fractional`` one per stratum, 12 (9 exact strata, 2..10 countries, and 3 bins). Measured by
``benchmarks/counting.py`` on a SYNTHETIC corpus of 40 countries x 3 years x 20,000 works
(`bibnet.simulate.works`, through the emulator's works mode): ``whole`` 120 calls, ``capped``
120, ``fractional`` 1,440 (12.0 x). A stratum has at most as many partners as the whole row, so
a row of more than 200 partners may take two pages in a few strata, not in all.

A year's manifest (`manifest_path`: ``manifest.json`` for ``whole``, ``manifest.{tag}.json``
otherwise, e.g. ``manifest.fractional.json``) is written last by `bibnet.fetch.year.fetch_year`,
once every file of every stratum is present.

A research-field layer (`bibnet.taxonomy.Layer`: a field or a domain) is fetched as all-science
is, with its filter (``primary_topic.field.id:N`` or ``primary_topic.domain.id:N``) added, into
a folder of its own below the year, named by the layer's tag: its rows in
``raw_dir/{year}/{tag}/[{stratum}/]{CC}.json``, its country list (the countries with
international works in the layer) in ``raw_dir/{year}/{tag}/_countries.json`` and its manifest
beside them. Each of its files also records the layer in its identity, and its filter in its
query, so no layer ever reads another's rows. All-science keeps the paths above.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Mapping, Sequence

from pyalex import Works

from bibnet.counting import WHOLE_STRATUM, Counting, Stratum
from bibnet.fetch.cache import CacheJob, check_code, read_cached
from bibnet.fetch.client import run_jobs
from bibnet.fetch.errors import BudgetExhaustedError
from bibnet.fetch.settings import FetchReport, FetchSettings
from bibnet.taxonomy import ALL_SCIENCE, Layer

logger = logging.getLogger(__name__)

GROUP_BY = "authorships.countries"
COUNTRY_LIST = "_countries"
MANIFEST = "manifest.json"


def row_query(year: int, country: str | None, filters: Mapping[str, str | int],
              stratum: Stratum = WHOLE_STRATUM, layer: Layer = ALL_SCIENCE) -> Works:
    """The pyalex query of one row, or of the year's country list when ``country`` is None.

    Parameters
    ----------
    year : int
        Publication year.
    country : str or None
        ISO 3166-1 alpha-2 code of the row's country.
    filters : Mapping
        Extra work filters, ANDed.
    stratum : Stratum
        The works' number of countries; by default 2 or more.
    layer : Layer
        The works' field or domain; by default all-science (no topic filter).

    Examples
    --------
    >>> print(row_query(2010, "DE", {}, Stratum(11, 20)).url)
    https://api.openalex.org/works?filter=authorships.countries:DE,publication_year:2010,countries_distinct_count:11-20&group-by=authorships.countries
    >>> from bibnet.taxonomy import field_layer
    >>> print(row_query(2010, "DE", {}, layer=field_layer("Engineering")).url)
    https://api.openalex.org/works?filter=authorships.countries:DE,publication_year:2010,countries_distinct_count:%3E1,primary_topic.field.id:22&group-by=authorships.countries
    """
    query = Works()
    if country is not None:
        query = query.filter(authorships={"countries": country})
    query = query.filter(publication_year=year, countries_distinct_count=stratum.filter)
    if filters:
        query = query.filter(**dict(filters))
    if layer.filter:
        query = query.filter(**layer.filter)
    return query.group_by(GROUP_BY)

def row_path(raw_dir: Path, year: int, country: str | None,
             stratum: Stratum = WHOLE_STRATUM, layer: Layer = ALL_SCIENCE) -> Path:
    """Where a row (or, for ``country=None``, the year's country list) is cached."""
    folder = layer_folder(raw_dir, year, layer)
    if stratum != WHOLE_STRATUM:
        folder = folder / stratum.name
    return folder / f"{country or COUNTRY_LIST}.json"


def row_job(raw_dir: Path, year: int, country: str | None,
            filters: Mapping[str, str | int], stratum: Stratum = WHOLE_STRATUM,
            layer: Layer = ALL_SCIENCE) -> CacheJob:
    """The cache job of one row (of one stratum, in one layer), or of the year's country list
    when ``country`` is None."""
    identity = {"year": year, "country": country}
    label = f"{year}/{country or 'country list'}"
    if stratum != WHOLE_STRATUM:
        identity["countries_distinct_count"] = stratum.filter
        label += f" ({stratum.filter} countries)"
    if not layer.is_all:
        identity["layer"] = layer.tag
        label += f" [{layer.name}]"
    return CacheJob.of("row", label, row_path(raw_dir, year, country, stratum, layer), identity,
                       row_query(year, country, filters, stratum, layer))


def layer_folder(raw_dir: Path, year: int, layer: Layer = ALL_SCIENCE) -> Path:
    """The folder of a year's files in a layer: the year's own for all-science."""
    folder = Path(raw_dir) / str(year)
    return folder if layer.is_all else folder / layer.tag


def manifest_path(raw_dir: Path, year: int, counting: Counting = Counting(),
                  layer: Layer = ALL_SCIENCE) -> Path:
    """Where a year's manifest under a counting scheme (in a layer) goes."""
    name = MANIFEST if counting.scheme == "whole" else f"manifest.{counting.tag}.json"
    return layer_folder(raw_dir, year, layer) / name

def read_row(path: Path) -> dict:
    """A cached row; ValueError if it does not parse or is not complete."""
    return read_cached(path, "groups")


def fetch_rows(tasks: Sequence[tuple[int, str]], raw_dir: Path, settings: FetchSettings,
               progress: bool = True, strata: Sequence[Stratum] = (WHOLE_STRATUM,),
               layer: Layer = ALL_SCIENCE) -> FetchReport:
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
    strata : sequence of Stratum
        Each row is fetched once per stratum (default: the one stratum of ``whole``).
    layer : Layer
        The field or domain the rows are of (default: all-science).

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
    jobs = [row_job(raw_dir, int(year), country, settings.filters, stratum, layer)
            for year, country in tasks for stratum in strata]
    return run_jobs(jobs, settings, progress)


def country_list(year: int, raw_dir: Path, settings: FetchSettings,
                 layer: Layer = ALL_SCIENCE) -> list[str]:
    """The codes of every country with internationally co-authored works in ``year`` (in the
    layer).

    Fetched with one paged group_by call (or read from ``raw_dir/{year}/_countries.json``, a
    layer's from its folder). Group keys that are not two-letter codes are logged and left out.
    """
    try:
        run_jobs([row_job(raw_dir, year, None, settings.filters, layer=layer)], settings,
                 progress=False)
    except BudgetExhaustedError as error:
        raise BudgetExhaustedError(0, 1, error.reset_at,
                                   f" before the country list of {year} was read") from None
    codes = []
    for group in read_row(row_path(raw_dir, year, None, layer=layer))["groups"]:
        code = group["code"]
        if len(code) == 2 and code.isalpha():
            codes.append(code)
        else:
            logger.warning("year %d: group %r is not a country; left out", year, group["key"])
    return sorted(codes)
