"""Sending the package's log records to a Snakemake job's log file.

Examples
--------
>>> import logging, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "job.log"
>>> with logged(path):
...     logging.getLogger("bibnet.demo").info("rows: %d", 3)
>>> path.read_text().split(" | ")[-1]
'rows: 3\\n'
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
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
