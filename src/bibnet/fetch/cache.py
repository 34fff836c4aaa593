"""The raw cache: one JSON file per cursor-paged query, written atomically when complete, and
the bounded pool of workers that fills it.

A cached file that does not parse, is not complete, holds another job's identity or was fetched
with other filters is fetched again, with a warning.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

from pyalex import Works


logger = logging.getLogger(__name__)


def query_record(query: Works) -> dict[str, str]:
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
        return cls(noun, label, Path(path), dict(identity), query, items, query_record(query))

    @property
    def key(self) -> str:
        """The field that names one item; an item seen twice makes the answer inconsistent."""
        return "code" if self.items == "groups" else "id"

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


def cached_document(job: CacheJob, warn: bool = True) -> dict | None:
    """The job's cached file if it is complete and was fetched as the job asks, else None
    (with a warning that it will be fetched again, unless ``warn`` is false)."""
    if not job.path.exists():
        return None
    what = f"{job.noun} {job.label}"
    say = logger.warning if warn else logger.debug
    try:
        document = read_cached(job.path, job.items)
    except ValueError as exc:
        say("refetching %s: %s", what, exc)
        return None
    if any(document.get(name) != value for name, value in job.identity.items()):
        say("refetching %s: %s holds another %s", what, job.path, job.noun)
        return None
    query = {k: v for k, v in (document.get("query") or {}).items() if k != "url"}
    if query != job.record:
        say("refetching %s: it was fetched with other filters or fields", what)
        return None
    return document


def is_cached(job: CacheJob) -> bool:
    return cached_document(job) is not None


def check_code(country: Any) -> None:
    if not (isinstance(country, str) and len(country) == 2 and country.isalpha()
            and country.isupper()):
        raise ValueError(f"{country!r} is not an upper-case two-letter country code")


def write_manifest(path: Path, manifest: dict) -> Path:
    """Write a manifest, unless the same one is there: its time stamp then stays, so nothing
    downstream re-runs."""
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")) == manifest:
            return path
    write_json_atomic(path, manifest)
    return path
