"""Sending the package's log records to a Snakemake job's log file.

A Snakemake rule calls one function of a stage; that function is decorated with
:func:`job_entry`, so the rule passes its ``log`` file as a keyword and stays one call long.

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
from collections.abc import Callable, Iterator
from pathlib import Path

FORMAT = "%(asctime)s | %(levelname)s | %(name)s | %(message)s"


@contextlib.contextmanager
def logged(path: str | Path) -> Iterator[None]:
    """Write ``bibnet`` log records of level INFO and above to ``path`` while the block runs.

    An exception leaving the block is logged too, so the log file says why a job failed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("bibnet")
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    previous_level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    except Exception as error:
        logger.error("%s: %s", type(error).__name__, error)
        raise
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        handler.close()


def job_entry(function: Callable) -> Callable:
    """Give ``function`` a ``log=`` keyword: the job's log file, written while it runs."""

    @functools.wraps(function)
    def with_log(*args, log: str | Path | None = None, **kwargs):
        if log is None:
            return function(*args, **kwargs)
        with logged(log):
            return function(*args, **kwargs)

    return with_log
