"""Reading the processed outputs a report is made from (never the raw data, never a refit).

Each reader takes one file of ``data/processed/`` and returns plain tables or records; the page
sections (:mod:`bibnet.report.sections`) are functions of what these return. A year's page reads
only that year's files; the index reads the combined tables and ``provenance.json``.

The blockmodel record of a year (``data/processed/blockmodels/{year}.json``, written by the
blockmodel stage) is read by :func:`read_year_fit` into a :class:`YearFit`, the one place that
knows its layout.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet import countries
from bibnet.counts import SOURCE_KEY

#: Tier numbers (as in ``bibnet.blockmodels.structures``) and their names.
TIER_NAMES = ("core", "semi-periphery", "periphery")
PROBABILITY_COLUMNS = ("p_core", "p_semi", "p_periphery")


def read_provenance(path: str | Path) -> dict:
    """``provenance.json`` as written by :func:`bibnet.counts.write_provenance`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def table_source(frame: pd.DataFrame) -> str:
    """The source a processed table was made from (``attrs["bibnet.source"]``), or ``""``."""
    return str(frame.attrs.get(SOURCE_KEY, ""))


def country_name(code: str) -> str:
    """Display name of a country code (:func:`bibnet.countries.name`); text, to be escaped."""
    return countries.name(code)


def count_matrix(counts: pd.DataFrame, codes: Sequence[str]) -> np.ndarray:
    """The symmetric works matrix of one year's counts table, rows in the order of ``codes``.

    Pairs naming a country outside ``codes`` are left out.
    """
    index = {code: i for i, code in enumerate(codes)}
    keep = counts["country_a"].isin(index) & counts["country_b"].isin(index)
    rows = counts.loc[keep, "country_a"].map(index).to_numpy(dtype=np.int64)
    cols = counts.loc[keep, "country_b"].map(index).to_numpy(dtype=np.int64)
    matrix = np.zeros((len(codes), len(codes)))
    matrix[rows, cols] = counts.loc[keep, "works"].to_numpy(dtype=np.float64)
    matrix[cols, rows] = matrix[rows, cols]
    return matrix


@dataclass(frozen=True)
class Fit:
    """One fitted candidate of a year: a family with its settings."""

    model: str
    family: str
    k: int
    degree_corrected: bool
    log_likelihood: float
    n_parameters: int
    criterion: float
    selected: bool
    labels: tuple[int, ...] = ()
    block_tiers: tuple[int, ...] = ()
    block_rates: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class YearFit:
    """The blockmodel record of one year.

    Attributes
    ----------
    year : int
    codes : tuple of str
        Countries in the order of every fit's ``labels``.
    fits : tuple of Fit
        Every candidate, in the record's order.
    selected : str
        The selected model's name.
    tiers : pandas.DataFrame
        ``country, model, tier, p_core, p_semi, p_periphery`` (the selected model's tiers and
        the bootstrap tier probabilities).
    test : dict
        The one- against several-centres test as recorded (may be empty).
    extra : dict
        Every other top-level entry of the record, shown as recorded.
    """

    year: int
    codes: tuple[str, ...]
    fits: tuple[Fit, ...]
    selected: str
    tiers: pd.DataFrame
    test: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    @property
    def selected_fit(self) -> Fit:
        return next(fit for fit in self.fits if fit.model == self.selected)

    def criteria(self) -> pd.DataFrame:
        """``model, family, k, degree_corrected, log_likelihood, n_parameters, criterion,
        selected``, best criterion first."""
        frame = pd.DataFrame([{key: getattr(fit, key) for key in (
            "model", "family", "k", "degree_corrected", "log_likelihood", "n_parameters",
            "criterion", "selected")} for fit in self.fits])
        return frame.sort_values(["criterion", "model"], kind="stable", ignore_index=True)


def _fit(record: Mapping) -> Fit:
    return Fit(model=str(record["model"]), family=str(record["family"]),
               k=int(record.get("k", 1)), degree_corrected=bool(record["degree_corrected"]),
               log_likelihood=float(record["log_likelihood"]),
               n_parameters=int(record["n_parameters"]), criterion=float(record["criterion"]),
               selected=bool(record.get("selected", False)),
               labels=tuple(int(x) for x in record.get("labels", ())),
               block_tiers=tuple(int(x) for x in record.get("block_tiers", ())),
               block_rates=tuple(tuple(float(x) for x in row)
                                 for row in record.get("block_rates", ())))


def read_year_fit(path: str | Path) -> YearFit:
    """Read ``blockmodels/{year}.json``.

    The record holds ``year``, ``countries`` (codes in fit order), ``fits`` (one record per
    candidate: ``model, family, k, degree_corrected, log_likelihood, n_parameters, criterion,
    selected, labels, block_tiers, block_rates``), ``selected`` (a model name), ``tiers``
    (per country, in ``countries`` order: ``tier, p_core, p_semi, p_periphery``) and ``test``.
    """
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    codes = tuple(str(code) for code in record["countries"])
    fits = tuple(_fit(fit) for fit in record["fits"])
    selected = record.get("selected")
    if isinstance(selected, Mapping):
        selected = selected.get("model")
    if selected is None:
        selected = next(fit.model for fit in fits if fit.selected)
    tiers = pd.DataFrame(record["tiers"])
    if "country" not in tiers:
        tiers.insert(0, "country", codes)
    if "model" not in tiers:
        tiers.insert(1, "model", selected)
    known = {"year", "countries", "fits", "selected", "tiers", "test"}
    return YearFit(year=int(record["year"]), codes=codes, fits=fits, selected=str(selected),
                   tiers=tiers, test=dict(record.get("test") or {}),
                   extra={key: value for key, value in record.items() if key not in known})


def whole_graph_statistics(stats: pd.DataFrame) -> pd.DataFrame:
    """The whole-graph rows of a year's ``graph_stats`` table: ``statistic, value``."""
    rows = stats[stats["country"] == ""]
    return rows[["statistic", "value"]].reset_index(drop=True)


def country_statistics(stats: pd.DataFrame) -> pd.DataFrame:
    """Per-country statistics of a year's ``graph_stats`` table, one column each, by code."""
    rows = stats[(stats["country"] != "") & ~stats["statistic"].str.startswith("rich_club_")]
    wide = rows.pivot(index="country", columns="statistic", values="value")
    wide.index = wide.index.astype(str)
    return wide


def rich_club(stats: pd.DataFrame) -> pd.DataFrame:
    """Rich-club rows of a year's ``graph_stats``: ``country`` (the club's weakest member),
    ``phi, phi_null, rho``, in club size order."""
    rows = stats[stats["statistic"].str.startswith("rich_club_")]
    wide = rows.pivot(index="country", columns="statistic", values="value")
    wide.columns = [c.removeprefix("rich_club_") for c in wide.columns]
    ranks = stats[stats["statistic"] == "strength_rank"].set_index("country")["value"]
    wide["club_size"] = ranks.reindex(wide.index).to_numpy()
    return wide.sort_values("club_size").reset_index()
