"""Sending the package's log records to a Snakemake job's log file.

A Snakemake rule calls one function of a stage; that function is decorated with
:func:`job_entry`, so the rule passes its ``log`` file as a keyword and stays one call long.
The job then prints one line on the terminal when it ends (`bibnet.console.job_line`); the
small jobs of a stage (``job_entry(quiet=True)``) only where they warn or fail.

The default profile runs the jobs as threads of the one Snakemake process (``force-use-threads``:
a spawned job re-reads the workflow, 4-8 s against its 0.1-0.7 s of work). So a job's log file
takes only the records logged in the job's own context (:data:`JOB`): those of another job
running at the same time go to that job's file. A job that hands work to a thread pool submits
it with :func:`in_job` so that the workers' records reach its file too.

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
import contextvars
import functools
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from bibnet.console import job_line, job_name

FORMAT = "%(asctime)s | %(levelname)s | %(name)s | %(message)s"

# The log file of the job running in this context (None outside a job); a thread does not
# inherit it, so the threads of another job, or the runner's, never write to this job's file.
JOB: contextvars.ContextVar[Path | None] = contextvars.ContextVar("bibnet_job", default=None)


class _Level:
    """The ``bibnet`` logger at INFO while any job runs, and back to its own level after the
    last (jobs running at once share the logger, so the first to end may not restore it)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.running = 0
        self.previous = logging.NOTSET

    def __enter__(self):
        with self.lock:
            logger = logging.getLogger("bibnet")
            if self.running == 0:
                self.previous = logger.level
            self.running += 1
            logger.setLevel(logging.INFO)

    def __exit__(self, *exc):
        with self.lock:
            self.running -= 1
            if self.running == 0:
                logging.getLogger("bibnet").setLevel(self.previous)


_LEVEL = _Level()


class _InJob(logging.Filter):
    """Passes the records logged in the context of the job writing ``path``."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path

    def filter(self, record: logging.LogRecord) -> bool:
        return JOB.get() is self.path


def in_job(function: Callable) -> Callable:
    """``function`` to run in a worker thread within the calling job's context, so that what it
    logs goes to the job's file: ``pool.submit(in_job(task), item)``."""
    context = contextvars.copy_context()

    @functools.wraps(function)
    def in_context(*args, **kwargs):
        # a copy per call: one context cannot be entered by two workers at once
        return context.copy().run(function, *args, **kwargs)

    return in_context


class _Counter(logging.Handler):
    """Counts the warnings (and worse) a job logs."""

    def __init__(self, path: Path):
        super().__init__(logging.WARNING)
        self.addFilter(_InJob(path))
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def logged(path: str | Path) -> Iterator[_Counter]:
    """Write the ``bibnet`` log records of level INFO and above that the block logs (in its
    context, :data:`JOB`) to ``path`` while the block runs; yields the count of its warnings.

    An exception leaving the block is logged too, so the log file says why a job failed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("bibnet")
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_InJob(path))
    counter = _Counter(path)
    logger.addHandler(handler)
    logger.addHandler(counter)
    with _LEVEL:
        token = JOB.set(path)
        try:
            yield counter
        except Exception as error:
            logger.error("%s: %s", type(error).__name__, error)
            raise
        finally:
            JOB.reset(token)
            logger.removeHandler(handler)
            logger.removeHandler(counter)
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
