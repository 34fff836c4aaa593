"""Key tables of the results as CSV, for Snakemake's own report (``snakemake --report``).

Each function reads one processed output and writes one table; the rules mark them with
``report()`` and a caption from ``workflow/report/``. Floats are written with fixed digits, so
the same outputs give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bibnet.logs import job_entry
from bibnet.report.inputs import (
    TIER_NAMES,
    country_name,
    read_year_fit,
    tier_table,
    whole_graph_statistics,
)
from bibnet.report.sections import STATISTIC_LABELS


def _write(frame: pd.DataFrame, path: str | Path) -> pd.DataFrame:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, float_format="%.6g", lineterminator="\n")
    return frame


@job_entry
def tier_csv(tiers_path: str | Path, out_path: str | Path) -> pd.DataFrame:
    """``country, name, tier, tier_name, p_core, p_semi, p_periphery, model`` of one year's
    selected model, by tier then code (``blockmodels/{year}.tiers.parquet``)."""
    frame = tier_table(pd.read_parquet(tiers_path))
    frame = frame[["country", "tier", "p_core", "p_semi", "p_periphery", "model"]].copy()
    frame.insert(1, "name", [country_name(code) for code in frame["country"]])
    frame.insert(3, "tier_name", [TIER_NAMES[int(t)] for t in frame["tier"]])
    frame = frame.sort_values(["tier", "country"], kind="stable")
    return _write(frame, out_path)


@job_entry
def criteria_csv(fit_path: str | Path, out_path: str | Path) -> pd.DataFrame:
    """Every candidate's criterion of one year, best first (``blockmodels/{year}.json``)."""
    return _write(read_year_fit(fit_path).criteria(), out_path)


@job_entry
def statistics_csv(stats_path: str | Path, out_path: str | Path) -> pd.DataFrame:
    """Whole-graph descriptive statistics of one year (``graph_stats/{year}.parquet``)."""
    frame = whole_graph_statistics(pd.read_parquet(stats_path))
    frame.insert(1, "meaning", [STATISTIC_LABELS.get(s, s) for s in frame["statistic"]])
    return _write(frame, out_path)


@job_entry
def core_size_csv(tiers_path: str | Path, out_path: str | Path) -> pd.DataFrame:
    """Per year: the selected model, countries per tier and the expected core size (the sum of
    P(core)) (``tiers.parquet``, variant ``all``)."""
    tiers = tier_table(pd.read_parquet(tiers_path))
    sizes = tiers.pivot_table(index="year", columns="tier", values="country", aggfunc="count",
                              fill_value=0).reindex(columns=[0, 1, 2], fill_value=0)
    sizes.columns = ["core", "semi_periphery", "periphery"]
    sizes["expected_core"] = tiers.groupby("year")["p_core"].sum()
    sizes.insert(0, "model", tiers.groupby("year")["model"].first())
    return _write(sizes.reset_index(), out_path)
