"""Reading the processed outputs a report is made from (never the raw data, never a refit).

Each reader takes one file of ``data/processed/`` and returns plain tables or records; the page
sections (:mod:`bibnet.report.sections`) are functions of what these return. A year's page reads
only that year's files; the index reads the combined tables and ``provenance.json``.

The blockmodel stage's record of a year (``blockmodels/{year}.json`` and
``blockmodels/{year}.tiers.parquet``, ``bibnet.blockmodels.files``) is read by
:func:`read_year_fit` into a :class:`YearFit`, and tier tables by :func:`tier_table`: the one
place that knows their layout.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet import countries
from bibnet.counting import COUNTING_KEY, Counting
from bibnet.counts import SOURCE_KEY

#: Tier numbers (as in ``bibnet.blockmodels.structures``) and their names.
TIER_NAMES = ("core", "semi-periphery", "periphery")
PROBABILITY_COLUMNS = ("p_core", "p_semi", "p_periphery")


def read_json(path: str | Path) -> dict:
    """A stage's JSON output: ``provenance.json`` (:func:`bibnet.counts.write_provenance`),
    ``verdicts.json`` (:mod:`bibnet.hypotheses`) or ``focal_verdicts.json`` (:mod:`bibnet.records`)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def table_source(frame: pd.DataFrame) -> str:
    """The source a processed table was made from (``attrs["bibnet.source"]``), or ``""``."""
    return str(frame.attrs.get(SOURCE_KEY, ""))


def table_counting(frame: pd.DataFrame) -> str:
    """The counting scheme of a processed table (``attrs["bibnet.counting"]``) as a page states
    it; a table of before the schemes is whole counting."""
    return Counting.from_tag(str(frame.attrs.get(COUNTING_KEY, "whole"))).label


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


TIER_INDEX = {name: number for number, name in enumerate(TIER_NAMES)}
#: Columns of a tier table as the report uses it (one model role and variant).
TIER_TABLE_COLUMNS = ["year", "country", "model", "tier", *PROBABILITY_COLUMNS]


def tier_numbers(values) -> np.ndarray:
    """Tiers as numbers 0 (core), 1 (semi-periphery), 2 (periphery), from names or numbers."""
    return np.array([TIER_INDEX[v] if isinstance(v, str) else int(v) for v in values],
                    dtype=np.int64)


def tier_table(tiers: pd.DataFrame, role: str = "selected", variant: str = "all") -> pd.DataFrame:
    """One model role of one variant from a tiers table (``tiers.parquet`` or a year's
    ``blockmodels/{year}.tiers.parquet``): ``year, country, model, tier, p_core, p_semi,
    p_periphery`` with ``model`` the model's name and ``tier`` a number, by year and country.

    Roles (the blockmodel stage's ``model`` column): ``selected`` (lowest criterion),
    ``one_centre`` (best core/periphery or layered fit) and ``layered`` (best three-tier fit).
    """
    rows = tiers
    if "variant" in rows:
        rows = rows[rows["variant"] == variant]
    if "model_name" in rows:
        rows = rows[rows["model"] == role].drop(columns="model").rename(
            columns={"model_name": "model"})
    rows = rows.assign(tier=tier_numbers(rows["tier"]), country=rows["country"].astype(str),
                       model=rows["model"].astype(str))
    return rows.sort_values(["year", "country"], kind="stable",
                            ignore_index=True)[TIER_TABLE_COLUMNS]


def roles(tiers: pd.DataFrame) -> list[str]:
    """The model roles a tiers table holds, in the stage's order."""
    if "model_name" not in tiers:
        return ["selected"]
    present = list(dict.fromkeys(tiers["model"].astype(str)))
    order = ["selected", "one_centre", "layered", "layered_plain"]
    return [r for r in order if r in present] + [r for r in present if r not in order]


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
    tiers: tuple[int, ...] = ()
    block_rates: tuple[tuple[float, ...], ...] = ()

    @property
    def block_tiers(self) -> tuple[int | None, ...]:
        """The tier of each block (that of its countries), None for an empty block."""
        tiers: list[int | None] = [None] * len(self.block_rates)
        for label, tier in zip(self.labels, self.tiers):
            tiers[label] = tier
        return tuple(tiers)


@dataclass(frozen=True)
class YearFit:
    """One variant of a year's blockmodel record.

    Attributes
    ----------
    year : int
    variant : str
        ``all`` (the year's graph), ``without_largest`` or ``window`` (see
        ``bibnet.blockmodels.files``).
    codes : tuple of str
        Countries in the order of every fit's ``labels``.
    fits : tuple of Fit
        Every candidate, in the record's order.
    selected, best_one_centre, best_several_centres : str
        Model names.
    test : dict
        The one- against several-centres test as recorded.
    tiers : pandas.DataFrame
        The selected model's tiers and bootstrap probabilities, rows in ``codes`` order
        (:data:`TIER_TABLE_COLUMNS`; probabilities NaN where no tier table was read).
    role_tiers : dict of str to pandas.DataFrame
        The same for every model role of the tier table (``selected``, ``one_centre``,
        ``layered``).
    variants : list of dict
        A summary of every variant of the year (this one included): countries, the selected
        and best one- and several-centres models, the test, and what the variant changes.
    """

    year: int
    variant: str
    codes: tuple[str, ...]
    fits: tuple[Fit, ...]
    selected: str
    best_one_centre: str
    best_several_centres: str
    test: dict
    tiers: pd.DataFrame
    role_tiers: dict = field(default_factory=dict)
    variants: list = field(default_factory=list)

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
               tiers=tuple(tier_numbers(record.get("tiers", ())).tolist()),
               block_rates=tuple(tuple(float(x) for x in row)
                                 for row in record.get("block_rates", ())))


def _variant_summary(name: str, variant: Mapping) -> dict:
    test = variant.get("test") or {}
    return {"variant": name, "countries": len(variant["codes"]), "selected": variant["selected"],
            "best_one_centre": variant.get("best_one_centre", ""),
            "best_several_centres": variant.get("best_several_centres", ""),
            "statistic": test.get("statistic"), "p_value": test.get("p_value"),
            "replicates": test.get("replicates"), "left_out": variant.get("left_out", ""),
            "years": variant.get("years", [])}


def read_year_fit(path: str | Path, tiers_path: str | Path | None = None,
                  variant: str = "all") -> YearFit:
    """Read one variant of ``blockmodels/{year}.json`` and, where given, the year's tier table
    ``blockmodels/{year}.tiers.parquet`` (both written by ``bibnet.blockmodels.files``)."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    year = int(record["year"])
    chosen = record["variants"][variant]
    codes = tuple(str(code) for code in chosen["codes"])
    fits = tuple(_fit(fit) for fit in chosen["fits"])
    selected = str(chosen["selected"])
    if tiers_path is not None:
        table = pd.read_parquet(tiers_path)
        table = table[table["year"] == year] if "year" in table else table
        role_tiers = {}
        for role in roles(table):
            rows = tier_table(table, role, variant).set_index("country")
            missing = set(codes) - set(rows.index)
            if missing:
                raise ValueError(f"{tiers_path} has no {role} tier for {sorted(missing)[:5]}")
            role_tiers[role] = rows.loc[list(codes)].reset_index()[TIER_TABLE_COLUMNS]
        tiers = role_tiers["selected"]
    else:
        fit = next(f for f in fits if f.model == selected)
        tiers = pd.DataFrame({"year": year, "country": codes, "model": selected,
                              "tier": fit.tiers, **{c: np.nan for c in PROBABILITY_COLUMNS}})
        role_tiers = {"selected": tiers}
    return YearFit(year=year, variant=variant, codes=codes, fits=fits, selected=selected,
                   best_one_centre=str(chosen.get("best_one_centre", "")),
                   best_several_centres=str(chosen.get("best_several_centres", "")),
                   test=dict(chosen.get("test") or {}), tiers=tiers, role_tiers=role_tiers,
                   variants=[_variant_summary(name, v) for name, v in record["variants"].items()])


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


# --- the focal pair's work records (bibnet.records) ----------------------------------------

def records_by_year(records: pd.DataFrame) -> pd.DataFrame:
    """``focal_records.parquet`` (``year, country, measure, value``) as one row per year and
    one column per ``(measure, country)``, years in order; a measure not given is NaN."""
    wide = records.pivot_table(index="year", columns=["measure", "country"], values="value",
                               aggfunc="sum", dropna=False)
    wide.index = wide.index.astype(int)
    return wide.sort_index()


def pooled_activity(fields: pd.DataFrame, level: str = "field") -> pd.DataFrame:
    """The activity index of ``focal_fields.parquet`` over all its years, one row per field (or
    domain) and focal country: works summed over the years, shares over the works whose field
    is known, as `bibnet.records` defines them per year. Columns ``id, name, country,
    pair_works, pair_share, intl_works, intl_share, activity_index``, by id."""
    from bibnet.records import UNKNOWN

    rows = fields[fields["level"] == level]
    names = rows.drop_duplicates("id", keep="last").set_index("id")["name"]
    sums = rows.groupby(["country", "id"], sort=False)[["pair_works", "intl_works"]].sum()
    sums = sums.reset_index()
    known = sums[sums["id"] != UNKNOWN]
    totals = known.groupby("country")[["pair_works", "intl_works"]].sum()
    pair_known = known["country"].map(totals["pair_works"]).astype(float)
    intl_known = known["country"].map(totals["intl_works"]).astype(float)
    out = known.assign(name=known["id"].map(names).astype(str),
                       pair_share=known["pair_works"] / pair_known.where(pair_known > 0),
                       intl_share=known["intl_works"] / intl_known.where(intl_known > 0))
    out["activity_index"] = out["pair_share"] / out["intl_share"].where(out["intl_share"] > 0)
    order = out["id"].str.zfill(12)  # numeric ids in number order
    return (out.assign(_order=order).sort_values(["_order", "country"], ignore_index=True)
            [["id", "name", "country", "pair_works", "pair_share", "intl_works", "intl_share",
              "activity_index"]])


def pooled_institutions(institutions: pd.DataFrame, top: int) -> pd.DataFrame:
    """The institutions of ``focal_institutions.parquet`` over all its years, per country: the
    works summed over the years in which each was among the year's top (a lower bound of its
    pair works), the number of those years; the ``top`` first per country by works, then id.
    Columns ``country, rank, institution_id, institution, works, years``."""
    latest = institutions.sort_values("year").drop_duplicates("institution_id", keep="last")
    names = latest.set_index("institution_id")["institution"]
    sums = (institutions.groupby(["country", "institution_id"])
            .agg(works=("works", "sum"), years=("year", "nunique")).reset_index())
    sums = sums.sort_values(["country", "works", "institution_id"],
                            ascending=[True, False, True], kind="stable")
    sums = sums.groupby("country", sort=False).head(top)
    sums["rank"] = sums.groupby("country").cumcount() + 1
    sums["institution"] = sums["institution_id"].map(names).astype(str)
    return sums[["country", "rank", "institution_id", "institution", "works", "years"]
                ].reset_index(drop=True)
