"""The run's pages, tables and exports, and those an earlier run left that this one did not make.

After the years or the source change, the pages, tables, figures and graph exports an earlier
run made for years this run does not cover stay where they were (``reports/years/2019.html``,
``reports/tables/spheres_2019.csv``, ``data/processed/graphs/2019.gexf``), and whoever opens or
passes on the ``reports/`` folder would take them for this run's. The report step moves every
such file into ``stale_outputs/`` under the same relative path (nothing is deleted: an analyst
may still want them), writes what it moved to its record and log, and the index page says so.

Only the files of `bibnet.outputs.OWNED` are looked at: the names this workflow writes, never a
file a user put elsewhere. The per-year intermediate tables of ``data/processed/`` stay: they are
the workflow's cache (a year added back is not recomputed from scratch), not a result anyone
opens. `run_outputs` names the files of those patterns that a run makes.

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> for name in ("reports/years/2019.html", "reports/years/2020.html", "reports/notes.txt"):
...     (root / name).parent.mkdir(parents=True, exist_ok=True)
...     _ = (root / name).write_text("page")
>>> set_aside(["reports/years/2020.html"], root / "set_aside.json", root=root)["moved"]
['reports/years/2019.html']
>>> for path in sorted(p.relative_to(root).as_posix() for p in root.rglob("*.*")):
...     print(path)
reports/notes.txt
reports/years/2020.html
set_aside.json
stale_outputs/reports/years/2019.html
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path

from bibnet import outputs as out
from bibnet.logs import job_entry

log = logging.getLogger(__name__)


def run_outputs(years: Sequence[int], graph_formats: Sequence[str], layers: bool = False
                ) -> list[str]:
    """The pages, tables, figures and graph exports (with ``layers``, the multi-relational
    networks and the layers page too) a run of ``years`` makes, of the patterns
    `bibnet.outputs.OWNED`: what `set_aside` keeps.

    >>> for path in run_outputs([2001], ["gexf"], layers=True):
    ...     print(path)
    data/processed/graphs/2001.gexf
    data/processed/graphs/2001.layers.net
    reports/layers.html
    reports/networks/2001.gexf
    reports/networks/2001.graphml
    reports/tables/classes_2001.csv
    reports/tables/spheres_2001.csv
    reports/tables/statistics_2001.csv
    reports/years/2001.html
    """
    per_year = [out.REPORT_YEAR, out.REPORT_SPHERES_TABLE, out.REPORT_CLASSES_TABLE,
                out.REPORT_STATISTICS_TABLE,
                *(out.REPORT_NETWORK.replace("{suffix}", suffix) for suffix in out.NETWORK_FORMATS),
                *(out.GRAPH_EXPORT.replace("{suffix}", suffix) for suffix in graph_formats)]
    if layers:
        per_year.append(out.MULTILAYER_PAJEK)
    once = [out.REPORT_LAYERS] if layers else []
    return sorted([*once, *(pattern.format(year=year) for pattern in per_year
                            for year in years)])


@job_entry(quiet=True)
def set_aside(made: Sequence[str], record_path: str | Path, root: str | Path = ".") -> dict:
    """Move every file of `bibnet.outputs.OWNED` under ``root`` that is not in ``made`` (paths
    relative to ``root``) into ``root/stale_outputs/`` (`bibnet.outputs.STALE_OUTPUTS`), and
    write the record of what moved.

    Parameters
    ----------
    made : sequence of str
        Every page, table, figure and export this run makes.
    record_path : path
        Where the record goes (JSON): ``folder`` (``stale_outputs``), ``moved`` (the files'
        paths before, sorted) and ``years`` (the years named in them).
    root : path
        The workflow's working directory.

    Returns
    -------
    dict
        The record.
    """
    root, made = Path(root), set(made)
    moved = sorted(path.relative_to(root).as_posix() for pattern in out.OWNED
                   for path in root.glob(pattern)
                   if path.is_file() and path.relative_to(root).as_posix() not in made)
    for name in moved:
        target = root / out.STALE_OUTPUTS / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (root / name).replace(target)
        log.info("moved %s to %s", name, target.relative_to(root).as_posix())
    record = {"folder": out.STALE_OUTPUTS, "moved": moved,
              "years": sorted({int(year) for name in moved
                               for year in re.findall(r"(?<!\d)(\d{4})(?!\d)", name)})}
    Path(record_path).parent.mkdir(parents=True, exist_ok=True)
    Path(record_path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    if moved:
        log.warning("%d pages, tables or exports of an earlier run (years %s) do not belong to "
                    "this one: moved to %s/", len(moved),
                    ", ".join(map(str, record["years"])) or "none", out.STALE_OUTPUTS)
    return record
