"""The fetch's settings (the ``openalex:`` section of the configuration) and its report."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from typing import Mapping

# Filter keys every row query sets itself; an extra filter on them would change what a row means.
_OWN_FILTERS = frozenset({"authorships", "authorships.countries", "publication_year",
                          "countries_distinct_count"})


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
