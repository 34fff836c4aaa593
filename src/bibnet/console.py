"""What a run prints on the terminal: a line per job of a stage and year, progress bars for the
long fits, the run's warnings gathered at the end, and of Snakemake's own lines the few a user
needs. Everything a job does in detail stays in its log file under ``logs/``.

Snakemake (9.27, as installed) prints a banner of 6 to 10 lines for every job (rule,
files, reason, resources), "N of M steps done" after it, "Select jobs to execute..." and
"Execute N jobs..." at every scheduling round, the job counts and a host header: 1,208 lines
for the offline demo (39 now, and 14 for the ``.test`` study, which printed 461). Its
``--quiet`` option cannot be the remedy here: ``rules``/``progress`` leave the round lines in,
``all`` hides errors too, every value also empties Snakemake's own log file
(``.snakemake/log/``) of the same lines, and set in the workflow profile
(``profiles/default``), which Snakemake reads after any ``--profile`` and lets win, it would
silence the Slurm profile's runs too, where Snakemake's lines are the only progress on the login
node. Its ``--logger`` plugins (Snakemake 9 only) each need a package of their own. So
`tidy_snakemake` adds a filter to Snakemake's terminal handler alone: the banners, step counts,
round lines, job counts and host header are left out of the terminal, warnings, errors and the
failed job's "Error in rule" block stay, and Snakemake's log file keeps everything. The banners
come back with ``snakemake --verbose`` (with Snakemake's debugging lines), with ``-p``
(``--printshellcmds``), or with ``printshellcmds: true`` in a profile (the Slurm profile sets
it); a dry run (``-n``) always lists its jobs.

Each job of the workflow prints one line when it ends (`bibnet.logs.job_entry`): what it was,
how long it took, and how many warnings its log holds; a job that fails says so with its error.
The small jobs of a stage (tables, combined years, assets) say nothing unless they warn or fail.
Progress bars (`progress_bar`, tqdm) show only on a terminal, never in a log file, and vanish
when done.

Examples
--------
>>> import tempfile, time
>>> logs = Path(tempfile.mkdtemp())
>>> started = time.time() - 1
>>> _ = (logs / "graphs").mkdir()
>>> _ = (logs / "graphs" / "2016.log").write_text(
...     "2026-12-02 10:00:00,000 | INFO | bibnet.graphs | 120 countries\\n"
...     "2026-12-02 10:00:00,001 | WARNING | bibnet.graphs | 3 countries have no pair\\n")
>>> print(warnings_summary(logs, started))
1 warning in this run's logs:
  graphs/2016.log: 3 countries have no pair
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from tqdm import tqdm

#: Snakemake's events left out of the terminal (`LogEvent` names of
#: ``snakemake_interface_logger_plugins.common``): job banners and their commands, step counts,
#: round lines, job counts, resources and the host header.
BANNERS = frozenset({"JOB_INFO", "GROUP_INFO", "SHELLCMD", "JOB_STARTED", "JOB_FINISHED",
                     "PROGRESS", "RESOURCES_INFO", "RUN_INFO", "WORKFLOW_STARTED"})
#: Snakemake's lines of a scheduling round and of its start that carry no event.
SCHEDULING = re.compile(r"^(Select jobs to execute\.\.\.|Building DAG of jobs\.\.\.|"
                        r"Using shell: .*)$")
#: The most warnings the summary lists one by one.
LISTED = 20
WARNING = " | WARNING | "


def tidy_snakemake(workflow) -> None:
    """Leave Snakemake's job banners and round lines out of the terminal (see the module
    docstring), unless the run is a dry run or asks for them (``--verbose``,
    ``--printshellcmds``).

    ``workflow`` is the Snakefile's ``workflow``; its ``output_settings`` are Snakemake's own
    (`snakemake.settings.types.OutputSettings`). Where they or the terminal handler are not there
    (another version, a job's own process), nothing changes.
    """
    settings = getattr(workflow, "output_settings", None)
    if settings is None or settings.dryrun or settings.verbose or settings.printshellcmds:
        return
    for handler in logging.getLogger("snakemake.logging").handlers:
        if handler.name == "DefaultStreamHandler":
            handler.addFilter(_on_terminal)


def _on_terminal(record: logging.LogRecord) -> bool:
    """Whether Snakemake's ``record`` goes to the terminal."""
    if record.levelno >= logging.WARNING:
        return True
    event = getattr(getattr(record, "event", None), "name", None)
    return event not in BANNERS and not SCHEDULING.match(record.getMessage())


def progress_bar(description: str, unit: str) -> tqdm:
    """A bar on the terminal (stderr) that vanishes when closed; none where stderr is not a
    terminal (a log file, a captured run), so logs never hold one. Work adds to its total."""
    return tqdm(total=0, desc=description, unit=unit, leave=False, disable=None,
                file=sys.stderr, dynamic_ncols=True)


def job_line(what: str, seconds: float, warnings: int, log: Path,
             error: BaseException | None = None) -> str:
    """The line a job prints when it ends.

    >>> job_line("blockmodels 2016", 95.2, 2, Path("logs/blockmodels/2016.log"))
    'blockmodels 2016: done in 95 s; 2 warnings in logs/blockmodels/2016.log'
    >>> job_line("counts 2016", 1.24, 0, Path("logs/counts/2016.log"), ValueError("no rows"))
    'counts 2016: FAILED after 1.2 s (ValueError: no rows); see logs/counts/2016.log'
    """
    took = f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
    if error is not None:
        return f"{what}: FAILED after {took} ({type(error).__name__}: {error}); see {log}"
    line = f"{what}: done in {took}"
    if warnings:
        line += f"; {warnings} warning{'s' if warnings != 1 else ''} in {log}"
    return line


def job_name(log: Path) -> str:
    """What a job was, from its log file ``logs/{stage}/{name}.log``.

    >>> job_name(Path("logs/report/year_2016.log")), job_name(Path("logs/counts/2016.log"))
    ('report year 2016', 'counts 2016')
    """
    return f"{log.parent.name} {log.stem.replace('_', ' ')}".strip()


def warnings_summary(logs: Path, since: float) -> str | None:
    """The warnings of the job logs under ``logs`` written since ``since`` (a time stamp: the
    run's start), one line each up to `LISTED`; None where there are none."""
    found = []
    for path in sorted(Path(logs).rglob("*.log")):
        if path.stat().st_mtime < since:
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if WARNING in line:
                found.append(f"  {path.relative_to(logs).as_posix()}: "
                             f"{line.split(' | ', 3)[-1]}")
    if not found:
        return None
    lines = [f"{len(found)} warning{'s' if len(found) != 1 else ''} in this run's logs:",
             *found[:LISTED]]
    if len(found) > LISTED:
        lines.append(f"  ... and {len(found) - LISTED} more: grep -r WARNING {logs}/")
    return "\n".join(lines)


def print_warnings(logs: Path, since: float) -> None:
    """Print `warnings_summary` on the terminal, if there are any: the workflow's ``onsuccess``
    and ``onerror``."""
    summary = warnings_summary(logs, since)
    if summary:
        print(summary, file=sys.stderr, flush=True)
