"""What stops a fetch: each error's message says why and what to do.

A spent daily budget, a rejected key and a refused query are final; `TransientGiveUp` is a
transient fault that outlived every retry. Every finished cache file is kept in all cases.
"""

from __future__ import annotations

import datetime as dt

API_KEY_ENV = "OPENALEX_API_KEY"
CALL_PRICE_USD = 0.0001  # a list or group_by call (OpenAlex, 2026)
_RESUME = "Re-running `snakemake` resumes: finished rows are read from the cache with zero calls."


class FetchError(RuntimeError):
    """The fetch cannot go on; the message says why and what to do."""


OFFLINE = ("To run offline instead: `snakemake --config source=synthetic` runs the offline demo "
           "on SYNTHETIC planted worlds, or set `source: pajek` in config/config.yaml and point "
           "`pajek_dir` at a folder of WrldCoYYYY.net networks (real counts, whole counting "
           "only).")


class MissingKeyError(FetchError):
    """``OPENALEX_API_KEY`` is not set; raised before any call or file write."""

    def __init__(self):
        super().__init__(
            f"{API_KEY_ENV} is not set, and OpenAlex needs an API key. To get one, create a free "
            "account at openalex.org and copy your API key (https://openalex.org/settings/api), "
            f"then `export {API_KEY_ENV}=<your key>` and re-run. {OFFLINE}")


class NetworkError(FetchError):
    """OpenAlex cannot be reached at all: its name does not resolve, or the connection is
    refused, before any call of the fetch has been answered (retrying would only wait).

    Attributes
    ----------
    problem : str
        What failed, e.g. ``"the name api.openalex.org does not resolve ..."``.
    """

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(
            f"OpenAlex cannot be reached: {problem}. No call went through, so nothing was "
            "fetched or spent. Check the machine's network connection (and the proxy in "
            f"HTTPS_PROXY, if one is set), then re-run `snakemake`. {OFFLINE}")


class KeyRejectedError(FetchError):
    """OpenAlex answered 401 or 403: the key is missing or not valid."""

    def __init__(self, status: int, refusal: str, doing: str):
        super().__init__(
            f"OpenAlex rejected the API key (HTTP {status}: {refusal}) while {doing}. Check that "
            f"{API_KEY_ENV} holds a valid key: create a free account at openalex.org and copy "
            "your API key (https://openalex.org/settings/api).")


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
                 stage: str = "", unit: str = "rows", run_left: str | None = None):
        self.rows_done, self.rows_left, self.reset_at = rows_done, rows_left, reset_at
        self.stage, self.unit, self.run_left = stage, unit, run_left
        when = (f"at {reset_at:%Y-%m-%d %H:%M} UTC" if reset_at
                else "at a time OpenAlex did not give (usually midnight UTC)")
        left = "" if run_left is None else f"; {run_left}"
        super().__init__(
            f"OpenAlex's daily request budget is spent{stage}: {rows_done} {unit} are done and "
            f"kept, {rows_left} are left{left}. The budget resets {when}. {_RESUME}")

    def where(self, stage: str, run_left: str | None = None) -> BudgetExhaustedError:
        """The same stop, said of ``stage`` (e.g. ``" in year 2017"``) and with what the whole
        run still needs (`bibnet.fetch.plan.run_left`)."""
        return BudgetExhaustedError(self.rows_done, self.rows_left, self.reset_at, stage,
                                    self.unit, run_left)


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


class BudgetSpent(Exception):
    """Internal: a worker stopped because no new call may start."""
