"""Sending the package's log records to a Snakemake job's log file.

A Snakemake rule calls one function of a stage; that function is decorated with
:func:`job_entry`, so the rule passes its ``log`` file as a keyword and stays one call long.
The job then prints one line on the terminal when it ends (`bibnet.console.job_line`); the
small jobs of a stage (``job_entry(quiet=True)``) only where they warn or fail.

Examples
--------
>>> import logging, tempfile, pathlib
>>> @job_entry
... def count_rows(n):
...     logging.getLogger("bibnet.demo").info("rows: %d", n)
...     return n
>>> path = pathlib.Path(tempfile.mkdtemp()) / "job.log"
>>> count_rows(3, log=path)
3
>>> path.read_text().split(" | ")[-1]
'rows: 3\\n'
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bibnet.console import job_line, job_name

FORMAT = "%(asctime)s | %(levelname)s | %(name)s | %(message)s"


class _Counter(logging.Handler):
    """Counts the warnings (and worse) a job logs."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def logged(path: str | Path) -> Iterator[_Counter]:
    """Write ``bibnet`` log records of level INFO and above to ``path`` while the block runs;
    yields the count of its warnings.

    An exception leaving the block is logged too, so the log file says why a job failed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("bibnet")
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    counter = _Counter()
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.addHandler(counter)
    try:
        yield counter
    except Exception as error:
        logger.error("%s: %s", type(error).__name__, error)
        raise
    finally:
        logger.removeHandler(handler)
        logger.removeHandler(counter)
        logger.setLevel(previous_level)
        handler.close()


def job_entry(function: Callable | None = None, *, quiet: bool = False) -> Callable:
    """Give ``function`` a ``log=`` keyword: the job's log file, written while it runs; with
    one, the job's line is printed when it ends (with ``quiet``, only if it warns or fails)."""
    if function is None:
        return functools.partial(job_entry, quiet=quiet)

    @functools.wraps(function)
    def with_log(*args, log: str | Path | None = None, **kwargs):
        if log is None:
            return function(*args, **kwargs)
        started = time.monotonic()
        try:
            with logged(log) as warnings:
                result = function(*args, **kwargs)
        except Exception as error:
            print(job_line(job_name(Path(log)), time.monotonic() - started, 0, Path(log),
                           error), file=sys.stderr, flush=True)
            raise
        if warnings.count or not quiet:
            print(job_line(job_name(Path(log)), time.monotonic() - started, warnings.count,
                           Path(log)), file=sys.stderr, flush=True)
        return result

    return with_log
