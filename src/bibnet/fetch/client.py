"""Talking to OpenAlex: one page per call, with a timeout, retries and the rate-limit state.

The requests go through pyalex, which sends the key from ``OPENALEX_API_KEY`` as an
``Authorization: Bearer`` header. pyalex sets no timeout and retries nothing here, so every call
goes through our own session (a timeout on every request, a hook that reads the rate-limit
headers) and our own retry loop, which tells a spent daily budget, a rejected key and a refused
query (all final) from transient faults (5xx, timeouts, broken connections, truncated or invalid
bodies, burst 429s), which are retried with back-off. A server that cannot be reached at all (its
name does not resolve, the connection is refused) before any call of the fetch was answered is
final too: no network comes back within the retries' minutes, and it fails in milliseconds.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import datetime as dt
import email.utils
import errno
import logging
import os
import random
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Sequence
from urllib.parse import urlsplit

import pyalex
import requests
from pyalex import Works
from tqdm import tqdm

from bibnet.fetch.cache import CacheJob, is_cached, write_json_atomic
from bibnet.fetch.errors import (API_KEY_ENV, BudgetExhaustedError, BudgetSpent,
                                 FetchError, KeyRejectedError,
                                 MissingKeyError, NetworkError, TransientGiveUp)
from bibnet.fetch.settings import FetchReport, FetchSettings
from bibnet.logs import in_job

logger = logging.getLogger(__name__)

PER_PAGE = 200  # the most groups OpenAlex returns per group_by page


def scrub(text: str) -> str:
    """Text with the API key blanked, for anything that reaches a message or a log."""
    key = os.environ.get(API_KEY_ENV, "").strip()
    return text.replace(key, "***") if key else text


def install_key() -> None:
    key = os.environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MissingKeyError()
    pyalex.config.api_key = key


def utc_now() -> dt.datetime:
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
    return max((when - utc_now()).total_seconds(), 0.0)


def _remaining(response: requests.Response) -> int | None:
    try:
        return int(response.headers["X-RateLimit-Remaining"])
    except (KeyError, ValueError):
        return None


def unreachable(error: BaseException) -> str | None:
    """Why no call reaches the server, as a failed connection's chain of causes tells: its name
    does not resolve, the connection is refused, the network is unreachable; None for a fault
    that may pass (a timeout, a reset, a body cut short).

    Examples
    --------
    >>> import requests
    >>> try:
    ...     requests.get("http://api.openalex.invalid/", timeout=5)  # .invalid never resolves
    ... except requests.ConnectionError as error:
    ...     print(unreachable(error))
    the name api.openalex.invalid does not resolve (no network, or no DNS server answers)
    >>> print(unreachable(requests.ConnectionError("Connection reset by peer")))
    None
    """
    pending, seen, problem, proxy = [error], set(), None, False
    while pending:
        cause = pending.pop()
        if not isinstance(cause, BaseException) or id(cause) in seen:
            continue
        seen.add(id(cause))
        proxy = proxy or isinstance(cause, requests.exceptions.ProxyError)
        if isinstance(cause, socket.gaierror):
            request = getattr(error, "request", None)
            host = urlsplit(request.url).hostname if request is not None else "of the server"
            problem = f"the name {host} does not resolve (no network, or no DNS server answers)"
        elif isinstance(cause, ConnectionRefusedError):
            problem = "the connection was refused"
        elif isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            problem = "the network is unreachable"
        pending += [cause.__cause__, cause.__context__, getattr(cause, "reason", None),
                    *cause.args]
    if problem and proxy:
        return f"the proxy in HTTPS_PROXY cannot be reached ({problem})"
    return problem


class _Limits:
    """Rate-limit state shared by the workers of one fetch."""

    def __init__(self):
        self.lock = threading.Lock()
        self.stop = threading.Event()  # set: no new call may start
        self.reset_at: dt.datetime | None = None
        self.pause_until = 0.0  # time.monotonic() before which no call starts (Retry-After)
        self.answered = False  # the server has answered a call: the network works

    def observe(self, response: requests.Response) -> None:
        self.answered = True
        remaining = _remaining(response)
        if remaining != 0:
            return
        reset = response.headers.get("X-RateLimit-Reset")
        seconds = _seconds(reset)
        if seconds is not None and seconds > 10**9:  # an epoch time, not a delay
            reset_at = dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        elif seconds is not None:
            reset_at = utc_now() + dt.timedelta(seconds=seconds)
        else:
            after = _seconds(response.headers.get("Retry-After"))
            reset_at = utc_now() + dt.timedelta(seconds=after) if after is not None else None
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
        """Block until a call may start; raise `BudgetSpent` if none may."""
        while not self.stop.is_set():
            with self.lock:
                delay = self.pause_until - time.monotonic()
            if delay <= 0:
                return
            self.stop.wait(delay)
        raise BudgetSpent()


class _Session(requests.Session):
    """A session that times out every request and shows every response to the limits.

    pyalex calls ``session.get(url, auth=...)`` without a timeout, so a stalled server would
    hold a worker for ever; the timeout is added here, under pyalex, which still sends the key.
    The response hook runs before the body is read, so the status and rate-limit headers are
    known even when the body then turns out truncated.

    Each worker thread has one session, whose pooled connection is kept alive from call to
    call: against the real API a fresh connection would cost a TLS handshake per call. (The
    fetch once closed every connection because the emulator's two sends per answer met delayed
    ACKs on a kept-alive connection, ~40 ms a call; it no longer does.) Measured with
    ``benchmarks/fetch.py`` (200 ms latency, 158 calls, three runs): kept-alive 1.04-1.07 x the
    ideal wall time on one worker and 1.11-1.13 x on eight, against 1.08 x and 1.16 x with a
    fresh connection per call (one run).
    """

    def __init__(self, timeout_s: float, limits: _Limits):
        super().__init__()
        self.timeout_s = timeout_s
        self.limits = limits
        self.last_response: requests.Response | None = None
        self.hooks["response"].append(self._seen)

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


def refusal_text(response: requests.Response) -> str:
    try:
        body = response.json()
        text = body.get("message") or body.get("error") if isinstance(body, dict) else None
    except ValueError:
        text = response.text[:200]
    return scrub(str(text or response.reason or "no message"))


class Fetcher:
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
            raise KeyRejectedError(status, refusal_text(response),
                                   f"fetching {job.noun} {job.label}")
        if status == 429:
            if _remaining(response) == 0:
                raise BudgetSpent()
            return "rate_limited"
        if status >= 500:
            return "server_error"
        if status == 200:
            return "broken_body"
        raise self._refused(response, job)

    def _refused(self, response: requests.Response, job: CacheJob) -> FetchError:
        """A query the server refuses (HTTP 4xx), named as sent, with what can change it."""
        what = (f"the group-by {job.record['group_by']}" if "group_by" in job.record
                else "the query")
        text = (f"OpenAlex refused {what} of {job.noun} {job.label} with HTTP "
                f"{response.status_code}: {refusal_text(response)} (filter "
                f"{job.record.get('filter')}).")
        if self.settings.filters:
            text += (" The filter carries openalex.filters of config/config.yaml "
                     f"({dict(self.settings.filters)}): check them.")
        else:
            text += (" No openalex.filters are set, so the query is the workflow's own: this "
                     "server does not serve it as asked.")
        if job.noun != "row":
            text += (" The focal pair's work records need it: set focal_records: false in "
                     "config/config.yaml to run the study without them.")
        return FetchError(text)

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
                problem = unreachable(exc) if cause == "connection" else None
                if problem and not self.limits.answered:
                    raise NetworkError(problem) from None
            except Exception as exc:
                # pyalex raises HTTPError, QueryError, a JSON ValueError or KeyError depending on
                # status and body, so the status decides, not the exception's type
                response = session.last_response
                if response is None:
                    raise
                cause, error = self._classify(response, job), exc
                if response.status_code != 200:
                    error = f"HTTP {response.status_code}: {refusal_text(response)}"
                retry_after = _seconds(response.headers.get("Retry-After"))
            last_error = scrub(f"{cause}: {error}")
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
            "fetched_at": utc_now().strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        write_json_atomic(job.path, document)
        return job.path


def run_jobs(jobs: Sequence[CacheJob], settings: FetchSettings, progress: bool,
         unit: str = "row") -> FetchReport:
    """Fetch the jobs not yet cached with a bounded pool of workers."""
    started = time.monotonic()
    jobs = list({job.path: job for job in jobs}.values())
    report = FetchReport(rows_total=len(jobs))
    todo = [job for job in jobs if not is_cached(job)]
    report.rows_cached = len(jobs) - len(todo)
    if not todo:
        report.wall_s = time.monotonic() - started
        return report
    install_key()
    fetcher = Fetcher(settings, report)
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
                        running[pool.submit(in_job(fetcher.fetch), job)] = job
                    if not running:
                        break
                    finished, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
                    for future in finished:
                        running.pop(future)
                        try:
                            future.result()
                        except BudgetSpent:
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
