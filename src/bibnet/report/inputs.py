"""Reading the processed outputs a report is made from (never the raw data, never a refit).

Each reader takes one file of ``data/processed/`` and returns plain tables or records; the page
sections (:mod:`bibnet.report.sections`) are functions of what these return. A year's page reads
only that year's files; the index reads the combined tables and ``provenance.json``.

The blockmodel stage's record of a year (``blockmodels/{year}.json`` and
``blockmodels/{year}.tiers.parquet``, ``bibnet.blockmodels.files``) is read by
:func:`read_year_fit` into a :class:`YearFit`, tier tables by :func:`tier_table`, and the
study's verdicts (``verdicts.json``, ``bibnet.hypotheses``) by :func:`structure_series`,
:func:`dispersion_series`, :func:`core_members` and :func:`hwang_series`: the one place that
knows their layout. Here too is the report's vocabulary of tier models: a class of
collaboration volume is named as one, never as a centre.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet import countries
from bibnet.counting import Counting
from bibnet.outputs import (CENTRE_READINGS, COUNTING_KEY, PROBABILITY_COLUMNS, READINGS,
                            SIZE_CLASSES, SOURCE_KEY, TIER_NAMES, TIER_ROLES, TIERS_BEYOND_SIZE,
                            UNKNOWN_FIELD)


def read_json(path: str | Path) -> dict:
    """A stage's JSON output: ``provenance.json`` (``bibnet.counts.write_provenance``),
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
#: What each tier model (`bibnet.outputs.TIER_ROLES`, classes of volume first) is, as the
#: pages name it.
ROLE_TITLES = {
    SIZE_CLASSES: "classes of collaboration volume (three-tier layered, no degree correction)",
    TIERS_BEYOND_SIZE: "tiers beyond size (three-tier layered, degree-corrected)"}
#: Each tier model's name in a table's column head.
ROLE_SHORT = {SIZE_CLASSES: "volume class", TIERS_BEYOND_SIZE: "tier beyond size"}
#: The names of each tier model's three tiers: classes of volume are not centres.
TIER_LABELS = {SIZE_CLASSES: ("high volume", "middle volume", "low volume"),
               TIERS_BEYOND_SIZE: TIER_NAMES}


def tier_numbers(values) -> np.ndarray:
    """Tiers as numbers 0 (core), 1 (semi-periphery), 2 (periphery), from names or numbers."""
    return np.array([TIER_INDEX[v] if isinstance(v, str) else int(v) for v in values],
                    dtype=np.int64)


def tier_table(tiers: pd.DataFrame, role: str, variant: str = "all") -> pd.DataFrame:
    """One tier model (``role``: one of :data:`TIER_ROLES`) of one variant from a tiers table
    (``tiers.parquet`` or a year's ``blockmodels/{year}.tiers.parquet``): ``year, country,
    model, tier, p_core, p_semi, p_periphery`` with ``model`` the model's name and ``tier`` a
    number, by year and country."""
    rows = tiers[(tiers["variant"] == variant) & (tiers["model"] == role)]
    rows = rows.drop(columns="model").rename(columns={"model_name": "model"})
    rows = rows.assign(tier=tier_numbers(rows["tier"]), country=rows["country"].astype(str),
                       model=rows["model"].astype(str))
    return rows.sort_values(["year", "country"], kind="stable",
                            ignore_index=True)[TIER_TABLE_COLUMNS]


def roles(tiers: pd.DataFrame) -> list[str]:
    """The tier models a tiers table holds, in the stage's order."""
    present = set(tiers["model"].astype(str))
    return [role for role in TIER_ROLES if role in present]


@dataclass(frozen=True)
class Fit:
    """One fit of a year's readings (``bibnet.blockmodels.readings``): its effect sizes, the
    centre check of its cores and its blocks."""

    model: str
    family: str
    reading: str | None
    blocks: int
    log_likelihood: float
    share: float | None
    retention: float | None
    centres: bool | None
    cores: tuple[tuple[str, ...], ...] = ()
    failures: tuple[str, ...] = ()
    labels: tuple[int, ...] = ()
    block_rates: tuple[tuple[float, ...], ...] = ()

    @property
    def counts(self) -> bool:
        """Whether the fit counts for its reading: a reading's fit, and for the centre
        readings one whose cores pass the centre check."""
        return self.reading is not None and self.centres is not False


@dataclass(frozen=True)
class YearFit:
    """One variant of a year's blockmodel record (``bibnet.blockmodels.files``).

    Attributes
    ----------
    year : int
    variant : str
        ``all`` (the year's graph) or ``window`` (years summed).
    codes : tuple of str
        Countries in the order of every fit's ``labels``.
    fits : tuple of Fit
        Every fit, in the record's order.
    share : float
        Share of the degree-only null's deviance the richest reading explains.
    summary : dict
        Each reading's retention R̄ (what the verdict compares).
    retention : dict
        ``{blocks: {reading: retention or None}}``, blocks in order.
    reference : dict
        The unconstrained reference scan: ``levels_off, phi, variance_function,
        null_dispersion, table``.
    replicates : pandas.DataFrame
        ``kind, left_out, share`` and each reading's R̄ per bootstrap and jackknife refit.
    dependence : dict
        ``{"centre": [codes], "countries": {code: {value, low, high}}}``: each country's
        dependence on the centre (the high-volume class) beyond size.
    size_classes_null_ari : float or None
    settings : dict
        The blocks and the centre check's thresholds.
    tiers : dict of str to pandas.DataFrame
        Per tier model (:data:`TIER_ROLES`) its tiers and bootstrap probabilities, rows in
        ``codes`` order (:data:`TIER_TABLE_COLUMNS`); empty where no tier table was read.
    variants : list of dict
        Every variant of the year (this one included): ``variant, countries, share, summary,
        years`` (the years summed, for ``window``).
    """

    year: int
    variant: str
    codes: tuple[str, ...]
    fits: tuple[Fit, ...]
    share: float
    summary: dict
    retention: dict
    reference: dict
    replicates: pd.DataFrame
    dependence: dict
    size_classes_null_ari: float | None
    settings: dict
    tiers: dict = field(default_factory=dict)
    variants: list = field(default_factory=list)

    @property
    def best_fit(self) -> Fit:
        """The fit behind the highest retention R̄: of the fits that count for their reading,
        the one of highest log-likelihood (R̄ is its gain over the null against a fixed
        denominator); the first such in the record's order."""
        counted = [fit for fit in self.fits if fit.counts]
        return max(counted, key=lambda fit: fit.log_likelihood)

    def effects(self) -> pd.DataFrame:
        """``model, family, reading, blocks, log_likelihood, share, retention, centres,
        failures, cores``, one row a fit, by blocks then record order (failures and cores
        joined as text)."""
        frame = pd.DataFrame([{
            "model": fit.model, "family": fit.family, "reading": fit.reading,
            "blocks": fit.blocks, "log_likelihood": fit.log_likelihood, "share": fit.share,
            "retention": fit.retention, "centres": fit.centres,
            "failures": "; ".join(fit.failures),
            "cores": " | ".join(" ".join(core) for core in fit.cores)} for fit in self.fits])
        return frame.sort_values("blocks", kind="stable", ignore_index=True)


def _fit(record: Mapping) -> Fit:
    def number(value):
        return None if value is None else float(value)

    return Fit(model=str(record["model"]), family=str(record["family"]),
               reading=record["reading"], blocks=int(record["blocks"]),
               log_likelihood=float(record["log_likelihood"]), share=number(record["share"]),
               retention=number(record["retention"]), centres=record["centres"],
               cores=tuple(tuple(str(c) for c in core) for core in record["cores"]),
               failures=tuple(str(f) for f in record["failures"]),
               labels=tuple(int(x) for x in record["labels"]),
               block_rates=tuple(tuple(float(x) for x in row) for row in record["block_rates"]))


def _variant_summary(name: str, variant: Mapping) -> dict:
    return {"variant": name, "countries": len(variant["codes"]), "share": variant["share"],
            "summary": dict(variant["summary"]), "years": variant.get("years", [])}


def read_year_fit(path: str | Path, tiers_path: str | Path | None = None,
                  variant: str = "all") -> YearFit:
    """Read one variant of ``blockmodels/{year}.json`` and, where given, the year's tier table
    ``blockmodels/{year}.tiers.parquet`` (both written by ``bibnet.blockmodels.files``)."""
    record = read_json(path)
    year = int(record["year"])
    chosen = record["variants"][variant]
    codes = tuple(str(code) for code in chosen["codes"])
    tiers = {}
    if tiers_path is not None:
        table = pd.read_parquet(tiers_path)
        table = table[table["year"] == year]
        for role in roles(table):
            rows = tier_table(table, role, variant).set_index("country")
            missing = set(codes) - set(rows.index)
            if missing:
                raise ValueError(f"{tiers_path} has no {role} tier for {sorted(missing)[:5]}")
            tiers[role] = rows.loc[list(codes)].reset_index()[TIER_TABLE_COLUMNS]
    return YearFit(
        year=year, variant=variant, codes=codes,
        fits=tuple(_fit(fit) for fit in chosen["fits"]), share=float(chosen["share"]),
        summary=dict(chosen["summary"]),
        retention=dict(sorted(chosen["retention"].items(), key=lambda item: int(item[0]))),
        reference=dict(chosen["reference"]),
        replicates=pd.DataFrame(chosen["replicates"],
                                columns=["kind", "left_out", "share", *READINGS]),
        dependence=dict(chosen["centre_dependence"]),
        size_classes_null_ari=chosen["size_classes_null_ari"],
        settings=dict(chosen["settings"]), tiers=tiers,
        variants=[_variant_summary(name, v) for name, v in record["variants"].items()])


# --- the study's verdicts (bibnet.hypotheses) ------------------------------------------------

def _years(verdicts: Mapping) -> list[tuple[int, Mapping]]:
    return sorted(((int(year), record) for year, record in verdicts.get("years", {}).items()),
                  key=lambda item: item[0])


def variants_of(verdicts: Mapping) -> list[str]:
    """The variants the verdicts hold, ``all`` first, in the order the years give them."""
    found = dict.fromkeys(v for _, record in _years(verdicts) for v in record["centres"])
    return sorted(found, key=lambda v: v != "all")


def _interval(entry: Mapping | None) -> dict:
    entry = entry or {}
    return {key: entry.get(key) for key in ("value", "low", "high")}


def structure_series(verdicts: Mapping) -> pd.DataFrame:
    """The structure beyond size per year and variant: ``year, variant, measure, value, low,
    high, jackknife_low, jackknife_high``, with ``measure`` the share ``S``, the share ``S0``
    that size plus noise reach (the null replicates' 97.5th percentile; value only) or a
    reading's retention R̄; and beside them ``verdict, leader, lead, lead_low, lead_high,
    support`` (the same on every row of a year and variant)."""
    rows = []
    for year, record in _years(verdicts):
        for variant, evidence in record["centres"].items():
            lead = _interval(evidence.get("lead"))
            common = {"year": year, "variant": variant, "verdict": evidence["verdict"],
                      "leader": evidence.get("leader"), "lead": lead["value"],
                      "lead_low": lead["low"], "lead_high": lead["high"],
                      "support": evidence.get("support")}
            measures = [("S", evidence["share"]), ("S0", {"value": evidence.get("noise_share")})] + [
                (reading, evidence["readings"].get(reading)) for reading in READINGS]
            for measure, entry in measures:
                jackknife = (entry or {}).get("jackknife") or [None, None]
                rows.append({**common, "measure": measure, **_interval(entry),
                             "jackknife_low": jackknife[0], "jackknife_high": jackknife[1]})
    columns = ["year", "variant", "measure", "value", "low", "high", "jackknife_low",
               "jackknife_high", "verdict", "leader", "lead", "lead_low", "lead_high",
               "support"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: "float64" for c in ("value", "low", "high", "jackknife_low", "jackknife_high",
                                "lead", "lead_low", "lead_high", "support")})


def dispersion_series(verdicts: Mapping) -> pd.DataFrame:
    """The measured overdispersion per year and variant: ``year, variant, phi`` (Pearson
    X²/df of the richest reference fit), ``null_dispersion`` (X²/df of the degree-only null),
    ``variance_phi, variance_power`` (V(μ) = φ_V μ^p) and ``levels_off`` (the K of least
    quasi-ICL)."""
    rows = []
    for year, record in _years(verdicts):
        for variant, evidence in record["centres"].items():
            found = evidence["dispersion"]
            rows.append({"year": year, "variant": variant, "phi": found["phi"],
                         "null_dispersion": found["null_dispersion"],
                         "variance_phi": found["variance_function"]["phi"],
                         "variance_power": found["variance_function"]["power"],
                         "levels_off": found["levels_off"]})
    return pd.DataFrame(rows, columns=["year", "variant", "phi", "null_dispersion",
                                       "variance_phi", "variance_power", "levels_off"])


def core_members(verdicts: Mapping, variant: str = "all") -> pd.DataFrame:
    """The cores of each year's best fit of each centre reading (by retention, as the study
    picks them): ``year, reading, model, retention, centres, failures, core, country``, one
    row a member (``core`` counts from 1), ``failures`` the check's reasons joined."""
    rows = []
    for year, record in _years(verdicts):
        best = record["centres"].get(variant, {}).get("cores", {})
        for reading in CENTRE_READINGS:
            if reading not in best:
                continue
            fit = best[reading]
            common = {"year": year, "reading": reading, "model": fit["model"],
                      "retention": fit["retention"], "centres": fit["centres"],
                      "failures": "; ".join(fit["failures"])}
            rows += [{**common, "core": number, "country": str(code)}
                     for number, core in enumerate(fit["cores"], start=1) for code in core]
    return pd.DataFrame(rows, columns=["year", "reading", "model", "retention", "centres",
                                       "failures", "core", "country"])


def hwang_series(verdicts: Mapping, focal: Sequence[str]) -> pd.DataFrame:
    """Hwang's evidence per year (``verdicts.json``'s ``hwang``), for the focal pair
    ``(first, second)``: ``year, verdict, position, relative, relative_low, relative_high``
    (ρ: the first country's log dependence on the centre over its size peers' median, and the
    peers' own 10th and 90th percentiles of the same difference), ``dependence`` (its own d),
    ``p_core`` (the second's probability of the high-volume class), ``size_class`` (the first's
    class), ``null_ari``, ``peers``, ``centre``."""
    first, second = focal
    rows = []
    for year, record in _years(verdicts):
        hwang = record.get("hwang")
        if not hwang:
            continue
        relative = hwang.get("relative_dependence") or {}
        rows.append({"year": year, "verdict": hwang["verdict"],
                     "position": hwang.get(f"position_{first}"),
                     "relative": relative.get("value"), "relative_low": relative.get("peers_low"),
                     "relative_high": relative.get("peers_high"),
                     "dependence": hwang.get(f"dependence_{first}"),
                     "p_core": hwang.get(f"p_core_{second}"),
                     "size_class": hwang.get(f"size_class_{first}"),
                     "null_ari": hwang.get("size_classes_null_ari"),
                     "peers": list(hwang.get("peers", [])),
                     "centre": list(hwang.get("centre", []))})
    columns = ["year", "verdict", "position", "relative", "relative_low", "relative_high",
               "dependence", "p_core", "size_class", "null_ari", "peers", "centre"]
    numbers = [c for c in columns if c not in ("year", "verdict", "position", "size_class",
                                              "peers", "centre")]
    return pd.DataFrame(rows, columns=columns).astype({c: "float64" for c in numbers})


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
    rows = fields[fields["level"] == level]
    names = rows.drop_duplicates("id", keep="last").set_index("id")["name"]
    sums = rows.groupby(["country", "id"], sort=False)[["pair_works", "intl_works"]].sum()
    sums = sums.reset_index()
    known = sums[sums["id"] != UNKNOWN_FIELD]
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
