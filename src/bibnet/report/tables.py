"""Key tables of the results as CSV, for Snakemake's own report (``snakemake --report``).

Each function reads one processed output, made from the configuration ``made_from`` (checked as
the pages check theirs, `bibnet.outputs.check_made_from`), and writes one table; the rules mark
them with ``report()`` and a caption from ``workflow/report/``. Floats are written with fixed
digits, so the same outputs give the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bibnet.logs import job_entry
from bibnet.outputs import check_made_from
from bibnet.report.inputs import country_name, country_spheres, whole_graph_statistics, year_study
from bibnet.report.sections import STATISTIC_LABELS


def _write(frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
    return frame


@job_entry(quiet=True)
def spheres_csv(study_path: str | Path, out_path: str | Path, *,
                made_from: Mapping) -> pd.DataFrame:
    """``country, name, links, eligible, sphere, member, p_member, preference`` of one year's
    study (``hypotheses/{year}.json``, variant ``all``): every non-centre country's preferred
    centre and whether it is in that centre's sphere, by code; the centres as rows of their
    own (``sphere`` themselves, ``member`` empty)."""
    check_made_from(made_from, [study_path])
    record = year_study(study_path)
    frame = pd.concat([pd.DataFrame({"country": record["centres"]["centres"],
                                     "sphere": record["centres"]["centres"]}),
                       country_spheres(record)], ignore_index=True)
    frame.insert(1, "name", [country_name(code) for code in frame["country"]])
    return _write(frame[["country", "name", "links", "eligible", "sphere", "member",
                         "p_member", "preference"]], out_path)


@job_entry(quiet=True)
def classes_csv(classes_path: str | Path, out_path: str | Path, *,
                made_from: Mapping) -> pd.DataFrame:
    """``country, name, strength, size_class, bloc`` of one year's descriptive block models
    (``blockmodels/{year}.classes.parquet``), by strength (largest first) then code."""
    check_made_from(made_from, [classes_path])
    frame = pd.read_parquet(classes_path).astype({"country": str})
    frame = frame.assign(name=[country_name(code) for code in frame["country"]])
    frame = frame.sort_values(["strength", "country"], ascending=[False, True], kind="stable")
    return _write(frame[["country", "name", "strength", "size_class", "bloc"]], out_path)


@job_entry(quiet=True)
def statistics_csv(stats_path: str | Path, out_path: str | Path, *,
                   made_from: Mapping) -> pd.DataFrame:
    """Whole-graph descriptive statistics of one year (``graph_stats/{year}.parquet``)."""
    check_made_from(made_from, [stats_path])
    frame = whole_graph_statistics(pd.read_parquet(stats_path))
    frame.insert(1, "meaning", [STATISTIC_LABELS.get(s, s) for s in frame["statistic"]])
    return _write(frame, out_path)
