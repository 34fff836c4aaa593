"""Job log files when jobs run at once, as threads of one process (the default profile)."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from bibnet.logs import in_job, job_entry

log = logging.getLogger("bibnet.test")


@job_entry(quiet=True)
def _job(name: str, started: threading.Barrier, pooled: bool) -> None:
    started.wait()  # both jobs are inside their log block before either logs
    for line in range(20):
        log.info("%s line %d", name, line)
    if pooled:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(in_job(lambda n: log.warning("%s worker %d", name, n)), range(3)))
    started.wait()  # neither leaves its block before the other has logged all


def test_jobs_at_once_each_write_only_their_own_records(tmp_path):
    started = threading.Barrier(2, timeout=30)
    paths = {name: tmp_path / f"{name}.log" for name in ("first", "second")}
    threads = [threading.Thread(target=_job, args=(name, started, name == "first"),
                                kwargs={"log": path})
               for name, path in paths.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    first = paths["first"].read_text().splitlines()
    second = paths["second"].read_text().splitlines()
    assert len(first) == 23 and all("first" in line for line in first)
    assert sum("worker" in line for line in first) == 3
    assert len(second) == 20 and all("second" in line for line in second)


def test_the_logger_level_returns_when_the_last_job_ends(tmp_path):
    logger = logging.getLogger("bibnet")
    before = logger.level
    started = threading.Barrier(2, timeout=30)
    threads = [threading.Thread(target=_job, args=(name, started, False),
                                kwargs={"log": tmp_path / f"{name}.log"})
               for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert logger.level == before


def test_records_outside_any_job_reach_no_job_file(tmp_path):
    ready, done = threading.Event(), threading.Event()

    @job_entry(quiet=True)
    def waiting() -> None:
        ready.set()
        done.wait(30)

    runner = threading.Thread(target=waiting, kwargs={"log": tmp_path / "job.log"})
    runner.start()
    ready.wait(30)
    log.warning("the runner's own warning")
    done.set()
    runner.join()
    assert (tmp_path / "job.log").read_text() == ""
