"""Fetching the country x country rows of OpenAlex, one cached JSON file per row.

One row of a year's matrix is one ``group_by`` query: the works of year ``Y`` with an author in
country ``CC`` and authors in more than one country, grouped by their authors' countries::

    works?filter=authorships.countries:CC,publication_year:Y,countries_distinct_count:>1
         &group-by=authorships.countries&cursor=*&per-page=200

paged on with ``meta.next_cursor`` until it is null, so a row with more than 200 partners is
complete. Each finished row is written atomically to ``raw_dir/{year}/{CC}.json``; a re-run reads
it back and makes no call for it. With ``countries: all`` the year's country list is one more
such query without the country filter, cached as ``raw_dir/{year}/_countries.json``. A year's
``manifest.json`` is written last, once every row of the year is present.

A row file holds ``year``, ``country`` (None for the country list), ``query`` (``filter`` as
sent, ``group_by`` and the first page's ``url``; never the key), ``meta`` (the first page's,
with ``count``, the works matched), ``pages`` (pages read), ``groups`` (every group of every page,
sorted by ``code``: ``{"code": "DE", "key": "https://openalex.org/countries/DE", "name": ...,
"count": ...}``), ``complete`` (always true: an incomplete row is never written) and
``fetched_at`` (UTC, ISO 8601). A present file that does not parse, is not complete, or was
fetched with other filters is fetched again, with a warning.

The focal pair's work records (`fetch_records`) are cached the same way, one file per query
written when complete: every work of year ``Y`` with authors from both focal countries
(`records_query`, a cursor-paged listing of 200 works a page with only `RECORD_FIELDS`) in
``raw_dir/records/{A}-{B}/{Y}.json``, and each focal country's international output grouped by
field, by domain, and by field among its top-10%-cited works (`baseline_query`) in
``raw_dir/records/baselines/{CC}/{Y}.{what}.json``. Rows, records and baselines are all a
`CacheJob`, fetched by one engine.

The requests go through pyalex, which sends the key from ``OPENALEX_API_KEY`` as an
``Authorization: Bearer`` header. pyalex sets no timeout and retries nothing here, so every call
goes through our own session (a timeout on every request, a hook that reads the rate-limit
headers) and our own retry loop, which tells a spent daily budget, a rejected key and a refused
query (all final) from transient faults (5xx, timeouts, broken connections, truncated or invalid
bodies, burst 429s), which are retried with back-off.

Examples
--------
>>> settings = FetchSettings.from_config({"concurrency": 4, "filters": {"type": "article"}})
>>> settings.concurrency, settings.retries, dict(settings.filters)
(4, 8, {'type': 'article'})
>>> row_query(2010, "DE", settings.filters).url
'https://api.openalex.org/works?filter=authorships.countries:DE,publication_year:2010,countries_distinct_count:%3E1,type:article&group-by=authorships.countries'
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import copy
import datetime as dt
import email.utils
import json
import logging
import os
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Mapping, Sequence
from urllib.parse import parse_qs, urlsplit

import pyalex
import requests
from pyalex import Works
from tqdm import tqdm

from bibnet.logs import job_entry

logger = logging.getLogger(__name__)

API_KEY_ENV = "OPENALEX_API_KEY"
GROUP_BY = "authorships.countries"
PER_PAGE = 200  # the most groups OpenAlex returns per group_by page
COUNTRY_LIST = "_countries"
MANIFEST = "manifest.json"
# Filter keys every row query sets itself; an extra filter on them would change what a row means.
_OWN_FILTERS = frozenset({"authorships", "authorships.countries", "publication_year",
                          "countries_distinct_count"})
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
_RESUME = "Re-running `snakemake` resumes: finished rows are read from the cache with zero calls."


class FetchError(RuntimeError):
    """The fetch cannot go on; the message says why and what to do."""


class MissingKeyError(FetchError):
    """``OPENALEX_API_KEY`` is not set; raised before any call or file write."""

    def __init__(self):
        super().__init__(
            f"{API_KEY_ENV} is not set, and OpenAlex needs an API key. To get one, create a free "
            "account at openalex.org and copy your API key (https://openalex.org/settings/api), "
            f"then `export {API_KEY_ENV}=<your key>` and re-run. To run offline instead, set "
            "`source: pajek` in config/config.yaml and point `pajek_dir` at a folder of "
            "WrldCoYYYY.net networks.")


class KeyRejectedError(FetchError):
    """OpenAlex answered 401 or 403: the key is missing or not valid."""


class BudgetExhaustedError(FetchError):
    """The daily request budget is spent; every finished row is kept.

    Attributes
    ----------
    rows_done, rows_left : int
        Cache files (rows, or work records and their baselines) present (fetched now or cached)
        and still to fetch.
    reset_at : datetime.datetime or None
        When the budget resets (UTC), if OpenAlex said.
    """

    def __init__(self, rows_done: int, rows_left: int, reset_at: dt.datetime | None,
                 stage: str = "", unit: str = "rows"):
        self.rows_done, self.rows_left, self.reset_at = rows_done, rows_left, reset_at
        when = (f"at {reset_at:%Y-%m-%d %H:%M} UTC" if reset_at
                else "at a time OpenAlex did not give (usually midnight UTC)")
        super().__init__(
            f"OpenAlex's daily request budget is spent{stage}: {rows_done} {unit} are done and "
            f"kept, {rows_left} are left. The budget resets {when}. {_RESUME}")


class TransientGiveUp(FetchError):
    """A cache file (row, records, baseline) still failed after every retry of a transient
    fault.

    Attributes
    ----------
    row : str
        The file's label, e.g. ``"2010/DE"`` for a row.
    last_error : str
        The last fault seen.
    """

    def __init__(self, row: str, last_error: str, retries: int, noun: str = "row"):
        self.row, self.last_error = row, last_error
        super().__init__(
            f"{noun} {row}: still failing after {retries} retries; last error: {last_error}. "
            f"Nothing was written for this {noun}. {_RESUME}")


class _BudgetSpent(Exception):
    """Internal: a worker stopped because no new call may start."""


@dataclass(frozen=True)
class FetchSettings:
    """How the fetch talks to OpenAlex; the ``openalex:`` section of the configuration.

    Attributes
    ----------
    concurrency : int
        Rows fetched at once (threads).
    retries : int
        Retries of one call after a transient fault.
    timeout_s : float
        Seconds before a call (connect or read) is given up and retried.
    backoff_s, max_backoff_s : float
        First back-off wait, doubled each retry (with jitter) up to ``max_backoff_s``.
    filters : Mapping[str, str | int]
        Extra OpenAlex work filters ANDed to every query, e.g. ``{"type": "article"}``.
    """

    concurrency: int = 8
    retries: int = 8
    timeout_s: float = 30.0
    backoff_s: float = 1.0
    max_backoff_s: float = 60.0
    filters: Mapping[str, str | int] = field(default_factory=dict)

    def __post_init__(self):
        if self.concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, not {self.concurrency}")
        if self.retries < 0:
            raise ValueError(f"retries must be at least 0, not {self.retries}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, not {self.timeout_s}")
        if self.backoff_s < 0 or self.max_backoff_s < 0:
            raise ValueError("backoff_s and max_backoff_s must not be negative")
        clash = sorted(set(self.filters) & _OWN_FILTERS)
        if clash:
            raise ValueError(f"openalex.filters may not set {', '.join(clash)}: every row query "
                             "sets it itself")

    @classmethod
    def from_config(cls, section: dict | None) -> FetchSettings:
        """Settings from the configuration's ``openalex:`` section (missing keys: defaults).

        Parameters
        ----------
        section : dict or None
            The section as the checked configuration holds it.

        Raises
        ------
        ValueError
            For an unknown key or a value out of range.
        """
        section = dict(section or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ValueError(f"unknown openalex settings: {', '.join(unknown)}")
        if "filters" in section:
            section["filters"] = dict(sorted((section["filters"] or {}).items()))
        for name in ("timeout_s", "backoff_s", "max_backoff_s"):
            if name in section:
                section[name] = float(section[name])
        return cls(**section)


@dataclass
class FetchReport:
    """What one fetch did.

    Attributes
    ----------
    rows_total : int
        Cache files asked for: rows, or work records and baselines.
    rows_fetched, rows_cached : int
        Files fetched now, and files found complete in the cache (no call).
    calls : int
        HTTP calls started, retries included.
    pages : int
        Pages read whole.
    retries : collections.Counter
        Retries by cause: ``server_error``, ``rate_limited``, ``timeout``, ``connection``,
        ``broken_body``.
    waited_s : float
        Seconds spent waiting before retries.
    wall_s : float
        Wall-clock seconds of the whole fetch.
    """

    rows_total: int = 0
    rows_fetched: int = 0
    rows_cached: int = 0
    calls: int = 0
    pages: int = 0
    retries: Counter = field(default_factory=Counter)
    waited_s: float = 0.0
    wall_s: float = 0.0

    def summary(self) -> str:
        """One line for a log."""
        retries = ", ".join(f"{k} {v}" for k, v in sorted(self.retries.items())) or "none"
        return (f"{self.rows_total} rows: {self.rows_fetched} fetched, {self.rows_cached} cached; "
                f"{self.calls} calls, {self.pages} pages; retries: {retries}; "
                f"{self.wall_s:.1f} s")


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


def _query_record(query: Works) -> dict[str, str]:
    """What a cached file must have been fetched with: the filter, and the group-by or select."""
    # a literal "+" is OpenAlex's AND inside one filter, not an encoded space
    text = urlsplit(query.url).query.replace("+", "%2B")
    params = {name: values[0] for name, values in parse_qs(text).items()}
    record = {"filter": params["filter"]}
    if "group-by" in params:
        record["group_by"] = params["group-by"]
    if "select" in params:
        record["select"] = params["select"]
    return record


@dataclass(frozen=True)
class CacheJob:
    """One cache file: a cursor-paged query, fetched whole and written only when complete.

    Country rows, the focal pair's work records and their baselines are all such files, so one
    engine fetches them all: the same retries, budget stop, bounded pool and atomic write.

    Attributes
    ----------
    noun : str
        What the file is, for messages: ``"row"``, ``"records"`` or ``"baseline"``.
    label : str
        Which one, e.g. ``"2010/DE"``.
    path : Path
        Where the file is cached.
    identity : Mapping
        The fields the file starts with; a cached file holding other values is fetched again.
    query : Works
        The pyalex query without cursor and page size (copied before paging).
    items : str
        ``"groups"`` for a group_by query (items keyed by ``code``), ``"works"`` for a listing
        (items keyed by ``id``); the file keeps its items under this name.
    record : Mapping
        ``filter`` and ``group_by`` or ``select`` as sent; a cached file fetched otherwise is
        fetched again.
    """

    noun: str
    label: str
    path: Path
    identity: Mapping[str, Any]
    query: Works = field(compare=False)
    items: str = "groups"
    record: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, noun: str, label: str, path: Path, identity: Mapping[str, Any],
           query: Works) -> CacheJob:
        """A job for ``query``; a query with ``group-by`` gives groups, any other works."""
        items = "groups" if "group-by" in (query.params or {}) else "works"
        return cls(noun, label, Path(path), dict(identity), query, items, _query_record(query))

    @property
    def key(self) -> str:
        """The field that names one item; an item seen twice makes the answer inconsistent."""
        return "code" if self.items == "groups" else "id"


def row_path(raw_dir: Path, year: int, country: str | None) -> Path:
    """Where a row (or, for ``country=None``, the year's country list) is cached."""
    return Path(raw_dir) / str(year) / f"{country or COUNTRY_LIST}.json"


def row_job(raw_dir: Path, year: int, country: str | None,
            filters: Mapping[str, str | int]) -> CacheJob:
    """The cache job of one row, or of the year's country list when ``country`` is None."""
    return CacheJob.of("row", f"{year}/{country or 'country list'}",
                       row_path(raw_dir, year, country), {"year": year, "country": country},
                       row_query(year, country, filters))


def _scrub(text: str) -> str:
    """Text with the API key blanked, for anything that reaches a message or a log."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    return text.replace(key, "***") if key else text


def _install_key() -> None:
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MissingKeyError()
    pyalex.config.api_key = key


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _seconds(value: str | None) -> float | None:
    """Seconds from a ``Retry-After``-style header: a number of seconds or an HTTP date."""
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max((when - _utc_now()).total_seconds(), 0.0)


def _remaining(response: requests.Response) -> int | None:
    try:
        return int(response.headers["X-RateLimit-Remaining"])
    except (KeyError, ValueError):
        return None


class _Limits:
    """Rate-limit state shared by the workers of one fetch."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stop = threading.Event()  # set: no new call may start
        self.reset_at: dt.datetime | None = None
        self.pause_until = 0.0  # time.monotonic() before which no call starts (Retry-After)

    def observe(self, response: requests.Response) -> None:
        remaining = _remaining(response)
        if remaining != 0:
            return
        reset = response.headers.get("X-RateLimit-Reset")
        seconds = _seconds(reset)
        if seconds is not None and seconds > 10**9:  # an epoch time, not a delay
            reset_at = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        elif seconds is not None:
            reset_at = _utc_now() + dt.timedelta(seconds=seconds)
        else:
            after = _seconds(response.headers.get("Retry-After"))
            reset_at = _utc_now() + dt.timedelta(seconds=after) if after is not None else None
        with self.lock:
            self.reset_at = reset_at or self.reset_at
        self.stop.set()

    def pause(self, seconds: float) -> None:
        with self.lock:
            self.pause_until = max(self.pause_until, time.monotonic() + seconds)

    def wait(self, seconds: float) -> None:
        """Sleep, but wake as soon as no new call may start."""
        if seconds > 0:
            self.stop.wait(seconds)

    def hold(self) -> None:
        """Block until a call may start; raise `_BudgetSpent` if none may."""
        while not self.stop.is_set():
            with self.lock:
                delay = self.pause_until - time.monotonic()
            if delay <= 0:
                return
            self.stop.wait(delay)
        raise _BudgetSpent()


class _Session(requests.Session):
    """A session that times out every request and shows every response to the limits.

    pyalex calls ``session.get(url, auth=...)`` without a timeout, so a stalled server would
    hold a worker for ever; the timeout is added here, under pyalex, which still sends the key.
    The response hook runs before the body is read, so the status and rate-limit headers are
    known even when the body then turns out truncated.

    Every call takes a fresh connection (``Connection: close``), as pyalex's own session per
    call does. Measured against the emulator (``benchmarks/fetch.py``, 200 ms latency): a
    kept-alive connection lost ~40 ms per call where the server writes headers and body in
    two sends (Nagle's algorithm waiting on the client's delayed ACK), 1.25-1.34 x the ideal
    wall time; fresh connections gave 1.12-1.17 x.
    """

    def __init__(self, timeout_s: float, limits: _Limits):
        super().__init__()
        self.timeout_s = timeout_s
        self.limits = limits
        self.last_response: requests.Response | None = None
        self.hooks["response"].append(self._seen)
        self.headers["Connection"] = "close"

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout_s)
        self.last_response = None
        return super().request(method, url, *args, **kwargs)

    def _seen(self, response, *args, **kwargs):
        self.last_response = response
        self.limits.observe(response)


def _meta(page) -> dict:
    meta = getattr(page, "meta", None)
    if not isinstance(meta, dict):
        raise ValueError("the answer has no meta")
    return dict(meta)


def _groups(page) -> tuple[list[dict], dict]:
    """The groups and meta of one group_by page, checked; ValueError if malformed."""
    meta = _meta(page)
    groups = []
    for group in page:
        key, count = group.get("key"), group.get("count")
        if not isinstance(key, str) or not key or isinstance(count, bool) \
                or not isinstance(count, int) or count < 0:
            raise ValueError(f"malformed group {dict(group)!r}")
        groups.append({"code": key.rstrip("/").rsplit("/", 1)[-1].upper(), "key": key,
                       "name": group.get("key_display_name"), "count": count})
    return groups, meta


def _works(page) -> tuple[list[dict], dict]:
    """The works and meta of one listing page, checked; ValueError if malformed."""
    meta = _meta(page)
    works = []
    for work in page:
        if not isinstance(work, dict) or not isinstance(work.get("id"), str) or not work["id"]:
            raise ValueError(f"malformed work {work!r:.200}")
        works.append(dict(work))
    return works, meta


_PAGE_READERS = {"groups": _groups, "works": _works}


def _refusal(response: requests.Response) -> str:
    try:
        body = response.json()
        text = body.get("message") or body.get("error") if isinstance(body, dict) else None
    except ValueError:
        text = response.text[:200]
    return _scrub(str(text or response.reason or "no message"))


class _Fetcher:
    """Fetches cache files with retries; shared by the worker threads of one fetch."""

    def __init__(self, settings: FetchSettings, report: FetchReport):
        self.settings = settings
        self.report = report
        self.limits = _Limits()
        self.lock = threading.Lock()
        self.random = random.Random()
        self.local = threading.local()
        self.sessions: list[_Session] = []

    def session(self) -> _Session:
        # one session per thread: requests sessions are not thread-safe
        session = getattr(self.local, "session", None)
        if session is None:
            session = self.local.session = _Session(self.settings.timeout_s, self.limits)
            with self.lock:
                self.sessions.append(session)
        return session

    def close(self) -> None:
        for session in self.sessions:
            session.close()

    def _count(self, **increments) -> None:
        with self.lock:
            for name, value in increments.items():
                setattr(self.report, name, getattr(self.report, name) + value)

    def _classify(self, response: requests.Response, job: CacheJob) -> str:
        """The transient cause of a failed answer, or raise if it is final."""
        status = response.status_code
        if status in (401, 403):
            raise KeyRejectedError(
                f"OpenAlex rejected the API key (HTTP {status}: {_refusal(response)}) while "
                f"fetching {job.noun} {job.label}. Check that {API_KEY_ENV} holds a valid key: "
                "create a free account at openalex.org and copy your API key "
                "(https://openalex.org/settings/api).")
        if status == 429:
            if _remaining(response) == 0:
                raise _BudgetSpent()
            return "rate_limited"
        if status >= 500:
            return "server_error"
        if status == 200:
            return "broken_body"
        raise FetchError(f"OpenAlex refused the query of {job.noun} {job.label} with HTTP "
                         f"{status}: {_refusal(response)}. Check openalex.filters in "
                         "config/config.yaml.")

    def call(self, query: Works, job: CacheJob) -> tuple[list[dict], dict]:
        """One page, retried on transient faults; returns its items and meta."""
        url = query.url
        read = _PAGE_READERS[job.items]
        retries = self.settings.retries
        attempt = 0
        while True:
            self.limits.hold()
            session = self.session()
            self._count(calls=1)
            retry_after = None
            try:
                return read(query._get_from_url(url, session=session))
            except requests.exceptions.Timeout as exc:
                cause, error = "timeout", exc
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                # a body cut short arrives as a broken connection after a 200 status line
                cause = "connection" if session.last_response is None else "broken_body"
                error = exc
            except Exception as exc:
                # pyalex raises HTTPError, QueryError, a JSON ValueError or KeyError depending on
                # status and body, so the status decides, not the exception's type
                response = session.last_response
                if response is None:
                    raise
                cause, error = self._classify(response, job), exc
                if response.status_code != 200:
                    error = f"HTTP {response.status_code}: {_refusal(response)}"
                retry_after = _seconds(response.headers.get("Retry-After"))
            last_error = _scrub(f"{cause}: {error}")
            if attempt == retries:
                raise TransientGiveUp(job.label, last_error, retries, job.noun)
            if retry_after is not None:
                wait = retry_after
                self.limits.pause(wait)
            else:
                wait = min(self.settings.max_backoff_s, self.settings.backoff_s * 2 ** attempt)
                wait *= self.random.uniform(0.5, 1.0)
            with self.lock:
                self.report.retries[cause] += 1
                self.report.waited_s += wait
            logger.info("%s %s: %s; retry %d of %d in %.1f s", job.noun, job.label, last_error,
                        attempt + 1, retries, wait)
            self.limits.wait(wait)
            attempt += 1

    def fetch(self, job: CacheJob) -> Path:
        """Fetch every page of a job, then write its file atomically; nothing on failure."""
        query = copy.deepcopy(job.query)  # paging adds a cursor; the job's query stays clean
        items: dict[str, dict] = {}
        first_meta, first_url, pages, seen = None, None, 0, set()
        cursor = "*"
        while cursor is not None:
            if cursor in seen:
                raise FetchError(f"{job.noun} {job.label}: OpenAlex returned cursor {cursor!r} "
                                 "twice")
            seen.add(cursor)
            query._add_params("cursor", cursor)
            query._add_params("per-page", PER_PAGE)
            first_url = first_url or query.url
            page_items, meta = self.call(query, job)
            pages += 1
            self._count(pages=1)
            if first_meta is None:
                first_meta = meta
            for item in page_items:
                name = item[job.key]
                if name in items:
                    raise FetchError(f"{job.noun} {job.label}: {job.items[:-1]} "
                                     f"{item.get('key', name)!r} came twice while paging; the "
                                     f"answer is inconsistent, so the {job.noun} is not kept")
                items[name] = item
            cursor = meta.get("next_cursor")
        document = {
            **job.identity,
            "query": {**job.record, "url": first_url},
            "meta": first_meta,
            "pages": pages,
            job.items: [items[name] for name in sorted(items)],
            "complete": True,
            "fetched_at": _utc_now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        write_json_atomic(job.path, document)
        return job.path


def write_json_atomic(path: Path, document: Any) -> None:
    """Write JSON through a temporary file in the same folder, so readers never see half a file.

    Parameters
    ----------
    path : Path
        Destination; its folder is created if needed.
    document : Any
        JSON-serialisable content.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def read_cached(path: Path, items: str = "groups") -> dict:
    """A cached file; ValueError if it does not parse, is not complete or lacks its ``items``."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} does not parse: {exc}") from None
    if not isinstance(document, dict) or document.get("complete") is not True \
            or not isinstance(document.get(items), list):
        raise ValueError(f"{path} is not a complete file of {items}")
    return document


def read_row(path: Path) -> dict:
    """A cached row; ValueError if it does not parse or is not complete."""
    return read_cached(path, "groups")


def _cached(job: CacheJob) -> bool:
    if not job.path.exists():
        return False
    what = f"{job.noun} {job.label}"
    try:
        document = read_cached(job.path, job.items)
    except ValueError as exc:
        logger.warning("refetching %s: %s", what, exc)
        return False
    if any(document.get(name) != value for name, value in job.identity.items()):
        logger.warning("refetching %s: %s holds another %s", what, job.path, job.noun)
        return False
    query = {k: v for k, v in (document.get("query") or {}).items() if k != "url"}
    if query != job.record:
        logger.warning("refetching %s: it was fetched with other filters or fields", what)
        return False
    return True


def _run(jobs: Sequence[CacheJob], settings: FetchSettings, progress: bool,
         unit: str = "row") -> FetchReport:
    """Fetch the jobs not yet cached with a bounded pool of workers."""
    started = time.monotonic()
    jobs = list({job.path: job for job in jobs}.values())
    report = FetchReport(rows_total=len(jobs))
    todo = [job for job in jobs if not _cached(job)]
    report.rows_cached = len(jobs) - len(todo)
    if not todo:
        report.wall_s = time.monotonic() - started
        return report
    _install_key()
    fetcher = _Fetcher(settings, report)
    failure: BaseException | None = None
    bar = tqdm(total=len(jobs), initial=report.rows_cached, unit=unit,
               desc=f"OpenAlex {unit}s", file=sys.stderr, disable=not progress)
    waiting = iter(todo)
    running: dict[cf.Future, CacheJob] = {}
    try:
        with cf.ThreadPoolExecutor(settings.concurrency, thread_name_prefix="openalex") as pool:
            try:
                while True:
                    # submit only as workers free up, so a stop leaves nothing queued
                    while (failure is None and not fetcher.limits.stop.is_set()
                           and len(running) < settings.concurrency):
                        job = next(waiting, None)
                        if job is None:
                            break
                        running[pool.submit(fetcher.fetch, job)] = job
                    if not running:
                        break
                    finished, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for future in finished:
                        running.pop(future)
                        try:
                            future.result()
                        except _BudgetSpent:
                            continue
                        except Exception as exc:  # kept to raise once in-flight jobs are done
                            failure = failure or exc
                            continue
                        report.rows_fetched += 1
                        bar.update()
            except BaseException:
                fetcher.limits.stop.set()  # e.g. Ctrl-C: workers start no new call
                raise
    finally:
        fetcher.close()
        bar.close()
        report.wall_s = time.monotonic() - started
    if failure is not None:
        raise failure
    left = report.rows_total - report.rows_cached - report.rows_fetched
    if left:
        raise BudgetExhaustedError(report.rows_total - left, left, fetcher.limits.reset_at,
                                   unit=f"{unit}s")
    return report


def _check_code(country: Any) -> None:
    if not (isinstance(country, str) and len(country) == 2 and country.isalpha()
            and country.isupper()):
        raise ValueError(f"{country!r} is not an upper-case two-letter country code")


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
        _check_code(country)
    jobs = [row_job(raw_dir, int(year), country, settings.filters) for year, country in tasks]
    return _run(jobs, settings, progress)


def country_list(year: int, raw_dir: Path, settings: FetchSettings) -> list[str]:
    """The codes of every country with internationally co-authored works in ``year``.

    Fetched with one paged group_by call (or read from ``raw_dir/{year}/_countries.json``).
    Group keys that are not two-letter codes are logged and left out.
    """
    try:
        _run([row_job(raw_dir, year, None, settings.filters)], settings, progress=False)
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
    return _write_manifest(raw_dir / str(year) / MANIFEST, manifest)


def _write_manifest(path: Path, manifest: dict) -> Path:
    """Write a manifest, unless the same one is there: its time stamp then stays, so nothing
    downstream re-runs."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")) == manifest:
            return path
    write_json_atomic(path, manifest)
    return path


# -- the focal pair's work records -----------------------------------------------------------

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
        _check_code(country)
    if len(pair) != 2 or pair[0] == pair[1]:
        raise ValueError(f"the focal pair must be two different countries, not {pair}")
    raw_dir = Path(raw_dir)
    report = _run(records_jobs(year, pair, raw_dir, settings.filters), settings, progress,
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
    return _write_manifest(records_manifest_path(raw_dir, pair, year), manifest)
