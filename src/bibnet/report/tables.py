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
from bibnet.report.inputs import (
    TIER_LABELS,
    country_name,
    read_json,
    read_year_fit,
    roles,
    structure_series,
    tier_table,
    whole_graph_statistics,
)
from bibnet.report.sections import STATISTIC_LABELS


def _write(frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
    return frame


@job_entry(quiet=True)
def tier_csv(tiers_path: str | Path, out_path: str | Path, *,
             made_from: Mapping) -> pd.DataFrame:
    """``country, name, role, model, tier, tier_name, p_core, p_semi, p_periphery`` of one
    year's tier models (classes of volume, tiers beyond size; variant ``all``), by role, tier
    then code (``blockmodels/{year}.tiers.parquet``); ``tier_name`` names a class of volume as
    one."""
    check_made_from(made_from, [tiers_path])
    raw = pd.read_parquet(tiers_path)
    frames = []
    for role in roles(raw):
        frame = tier_table(raw, role)
        frames.append(frame.assign(
            role=role, name=[country_name(code) for code in frame["country"]],
            tier_name=[TIER_LABELS[role][int(t)] for t in frame["tier"]]))
    frame = pd.concat(frames, ignore_index=True).sort_values(
        ["role", "tier", "country"], kind="stable")
    return _write(frame[["country", "name", "role", "model", "tier", "tier_name", "p_core",
                         "p_semi", "p_periphery"]], out_path)


@job_entry(quiet=True)
def effects_csv(fit_path: str | Path, out_path: str | Path, *,
                made_from: Mapping) -> pd.DataFrame:
    """Every fit's effect sizes of one year, its centre check and cores, by blocks
    (``blockmodels/{year}.json``, variant ``all``)."""
    check_made_from(made_from, [fit_path])
    return _write(read_year_fit(fit_path).effects(), out_path)


@job_entry(quiet=True)
def statistics_csv(stats_path: str | Path, out_path: str | Path, *,
                   made_from: Mapping) -> pd.DataFrame:
    """Whole-graph descriptive statistics of one year (``graph_stats/{year}.parquet``)."""
    check_made_from(made_from, [stats_path])
    frame = whole_graph_statistics(pd.read_parquet(stats_path))
    frame.insert(1, "meaning", [STATISTIC_LABELS.get(s, s) for s in frame["statistic"]])
    return _write(frame, out_path)


@job_entry(quiet=True)
def structure_csv(verdicts_path: str | Path, out_path: str | Path, *,
                  made_from: Mapping) -> pd.DataFrame:
    """The structure beyond size of every year and variant with intervals, and the verdict
    (``verdicts.json``): one row a measure (S or a reading's R̄)."""
    check_made_from(made_from, [verdicts_path])
    return _write(structure_series(read_json(verdicts_path)), out_path)
