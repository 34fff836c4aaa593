"""Page sections: each a small function of one processed input, returning a :class:`Section`.

A section renders its own template (``templates/sections/{name}.html``, autoescaped), so data
text is escaped by jinja2 and figure data travels as JSON in a ``<script type=
"application/json">`` element with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., which no
browser reads as markup. A section whose input does not exist is not built: pages list only
what their inputs support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bibnet import countries
from bibnet.report import figures
from bibnet.report.inputs import (
    PROBABILITY_COLUMNS,
    TIER_NAMES,
    YearFit,
    count_matrix,
    country_name,
    country_statistics,
    pooled_activity,
    pooled_institutions,
    records_by_year,
    rich_club,
    whole_graph_statistics,
)

ENV = Environment(loader=PackageLoader("bibnet.report", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True)


def _number(value, digits: int = 3) -> str:
    """A number as shown in tables: integers with thousands separators, others rounded."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if float(value) == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def _percent(value) -> str:
    """A share as a percentage with one decimal."""
    return "–" if value is None or not np.isfinite(value) else f"{value:.1%}"


ENV.filters["number"] = _number
ENV.filters["percent"] = _percent
ENV.filters["fixed"] = lambda value, digits=3: ("–" if value is None or not np.isfinite(value)
                                               else f"{value:.{digits}f}")


@dataclass(frozen=True)
class Figure:
    """A plotly figure ready to embed: element id and escaped JSON of data and layout."""

    id: str
    json: Markup


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: Markup


def embed(figure_id: str, figure: go.Figure) -> Figure:
    """The figure's JSON, safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    data = plotly.io.to_json(figure, validate=False, pretty=False, engine="json")
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        data = data.replace(char, escape)
    return Figure(figure_id, Markup(data))


def section(name: str, title: str, **context) -> Section:
    body = ENV.get_template(f"sections/{name}.html").render(**context)
    return Section(name.replace("_", "-"), title, Markup(body))


# --- index ---------------------------------------------------------------------------------

def provenance_section(provenance: Mapping) -> Section:
    """Where the counts came from: source, years, countries, focal, seed and the source's own
    record (Pajek files, OpenAlex calls and fetch times, or the planted world's spec)."""
    return section("provenance", "Source and provenance", p=provenance,
                   world=yaml.safe_dump(provenance.get("synthetic_world") or {},
                                        sort_keys=True, default_flow_style=False))


def config_section(config: Mapping) -> Section:
    """The configuration that produced the run, as YAML."""
    return section("config", "Configuration", text=yaml.safe_dump(
        dict(config), sort_keys=True, default_flow_style=False, allow_unicode=True))


def years_section(years: Sequence[int], tiers: pd.DataFrame | None) -> Section:
    """Links to every year's page, with the selected model and tier sizes where known."""
    rows = []
    for year in years:
        row = {"year": year, "countries": None, "model": "", "core": None, "semi": None}
        if tiers is not None:
            part = tiers[tiers["year"] == year]
            if len(part):
                row.update(countries=len(part), model=str(part["model"].iloc[0]),
                           core=int((part["tier"] == 0).sum()),
                           semi=int((part["tier"] == 1).sum()))
        rows.append(row)
    return section("years", "Years", rows=rows, has_tiers=tiers is not None)


def core_size_section(tiers: pd.DataFrame) -> Section:
    return section("core_size", "Core size over time",
                   figure=embed("fig-core-size", figures.core_size(tiers)))


def focal_section(tiers: Mapping[str, pd.DataFrame], focal: Sequence[str]) -> Section:
    """Bootstrap tier probabilities of the focal countries by year, under the selected model
    and, where the tier table holds them, the layered (three-tier) models."""
    names = {code: country_name(code) for code in focal}
    present = [code for code in focal if code in set(tiers["selected"]["country"])]
    shown = {role: tiers[role] for role in FOCAL_ROLES if role in tiers}
    return section("focal", "Focal countries: tier probabilities by year", focal=present,
                   names=names, roles=list(shown),
                   figure=embed("fig-focal", figures.focal(shown, present, names)))


def transitions_section(tiers: pd.DataFrame) -> Section:
    return section("transitions", "Tier transitions between consecutive years",
                   figure=embed("fig-transitions", figures.transitions(tiers)))


def map_section(tiers: pd.DataFrame) -> Section:
    names = {code: country_name(code) for code in tiers["country"].unique()}
    figure, undrawn = figures.world_map(tiers, names)
    return section("map", "World map by tier", figure=embed("fig-map", figure),
                   undrawn=[(code, names[code]) for code in undrawn])


#: Tier models whose focal-country probabilities the index shows, where the tiers hold them.
FOCAL_ROLES = ("selected", "layered", "layered_plain")
VARIANT_TITLES = {"all": "the year's graph", "without_largest": "without the strongest country",
                  "window": "years summed over a window"}


def verdicts_section(verdicts: Mapping, focal: Sequence[str]) -> Section:
    """The study's answers per year as ``verdicts.json`` states them: one centre or several
    (per variant, with the criterion difference and the test), and Hwang's claim for the focal
    pair (with the probabilities it rests on); a strip of every verdict, counts per verdict,
    the rules, and the first years the focal countries reached the semi-periphery or core."""
    years = sorted(verdicts.get("years", {}), key=int)
    per_year = [verdicts["years"][y] for y in years]
    variants = list(dict.fromkeys(v for record in per_year for v in record.get("centres", {})))
    strip_rows, strip = [], []
    for variant in variants:
        strip_rows.append(f"centres: {VARIANT_TITLES.get(variant, variant)}")
        strip.append([r.get("centres", {}).get(variant, {}).get("verdict") for r in per_year])
    if focal and any("hwang" in r for r in per_year):
        claim = f"Hwang: {focal[0]} semi-periphery, {focal[-1]} core"
        hwang = [r.get("hwang", {}) for r in per_year]
        model = next((h["model"] for h in hwang if "model" in h), None)
        strip_rows.append(f"{claim} ({figures.ROLE_TITLES.get(model, model)})" if model else claim)
        strip.append([h.get("verdict") for h in hwang])
        # the same rule in the other tier models, side by side
        for view in dict.fromkeys(v for h in hwang for v in h.get("views", {})):
            strip_rows.append(f"{claim} ({figures.ROLE_TITLES.get(view, view)})")
            strip.append([h.get("views", {}).get(view, {}).get("verdict") for h in hwang])
    tally = [(name, {v: row.count(v) for v in dict.fromkeys(x for x in row if x)})
             for name, row in zip(strip_rows, strip)]
    rows = []
    for year, record in zip(years, per_year):
        centres = record.get("centres", {})
        hwang = record.get("hwang", {})
        rows.append({"year": int(year), "centres": [(v, centres.get(v, {})) for v in variants],
                     "hwang": hwang,
                     "p_semi": hwang.get(f"p_semi_{focal[0]}") if focal else None,
                     "p_core": hwang.get(f"p_core_{focal[-1]}") if focal else None})
    figure = figures.verdict_strip(strip_rows, [int(y) for y in years], strip)
    first = verdicts.get("focal_first_years", {})
    return section("verdicts", "One centre or several? Where are Korea and the UK?",
                   rows=rows, variants=[(v, VARIANT_TITLES.get(v, v)) for v in variants],
                   tally=tally, rules=verdicts.get("rules", {}), focal=list(focal),
                   names={c: country_name(c) for c in focal},
                   first_years=sorted(first.items()), figure=embed("fig-verdicts", figure))


def focal_intervals_section(focal_table: pd.DataFrame, focal: Sequence[str]) -> Section:
    """The focal countries' tier probabilities by year with their 95% intervals
    (``focal.parquet``), for the selected and the layered models."""
    present = [c for c in focal if c in set(focal_table["country"].astype(str))]
    names = {code: country_name(code) for code in focal}
    in_table = list(dict.fromkeys(focal_table["model"].astype(str)))
    shown = [r for r in FOCAL_ROLES if r in in_table] or in_table[:1]
    return section("focal", "Focal countries: tier probabilities by year", focal=present,
                   names=names, roles=shown, intervals=True,
                   figure=embed("fig-focal", figures.focal_intervals(
                       focal_table, present, names, shown)))


def affinity_section(focal_table: pd.DataFrame, verdicts: Mapping | None,
                     focal: Sequence[str]) -> Section:
    """The focal pair's affinity by year (``focal.parquet``) and its trend test as
    ``verdicts.json`` states it."""
    pairs = (focal_table.drop_duplicates("year").sort_values("year")
             [["year", "works", "expected", "affinity"]])
    label = "–".join(focal)
    trend = (verdicts or {}).get("affinity_trend", {})
    return section("affinity", f"The {label} pair: affinity over time", trend=trend,
                   label=label, figure=embed("fig-affinity", figures.affinity_trend(pairs, label)))


def moves_section(dynamics: pd.DataFrame) -> Section:
    """Every country's move between tiers from one year to the next, and the transitions
    between the first and last year (``dynamics.parquet``)."""
    moves = dynamics[dynamics["kind"] == "move"].sort_values(
        ["year_from", "country"], kind="stable")
    rows = [{"year_from": int(r.year_from), "year_to": int(r.year_to), "code": str(r.country),
             "name": country_name(str(r.country)), "tier_from": str(r.tier_from),
             "tier_to": str(r.tier_to), "direction": str(r.direction)}
            for r in moves.itertuples()]
    period = dynamics[dynamics["kind"] == "period_transition"]
    period_rows = [{"year_from": int(r.year_from), "year_to": int(r.year_to),
                    "tier_from": str(r.tier_from), "tier_to": str(r.tier_to),
                    "countries": int(r.countries)} for r in period.itertuples()]
    return section("moves", "Countries moving between tiers", rows=rows,
                   period=period_rows)


# --- the focal pair's work records (bibnet.records) ---------------------------------------

RECORD_ROLES = tuple(figures.ROLE_NAMES)


def _cell(value, kind: str = "number") -> tuple[str, str]:
    """A table cell ``(shown, sort key)``: a count, a share (as a percentage) or a ratio."""
    if value is None or not np.isfinite(float(value)):
        return "–", ""
    shown = {"share": _percent, "ratio": lambda v: f"{v:.2f}"}.get(kind, _number)(float(value))
    return shown, f"{float(value):.6g}"


def _get(wide: pd.DataFrame, year, measure: str, country: str) -> float:
    if (measure, country) not in wide:
        return float("nan")
    return float(wide.at[year, (measure, country)])


def _total(wide: pd.DataFrame, measure: str, country: str) -> float:
    return float(wide[(measure, country)].sum()) if (measure, country) in wide else float("nan")


def _pair_names(focal: Sequence[str]) -> tuple[dict[str, str], str]:
    """The focal countries' display names (text, escaped by the templates) and the pair's
    label as the affinity section writes it (``KR–GB``)."""
    return {code: country_name(code) for code in focal}, "–".join(focal)


def _year_rows(wide: pd.DataFrame, columns: Sequence[tuple[str, str, str]]) -> list[dict]:
    """One table row per year: ``columns`` lists ``(measure, country, kind)``."""
    return [{"year": int(year), "cells": [_cell(_get(wide, year, m, c), kind)
                                          for m, c, kind in columns]}
            for year in wide.index]


def records_leadership_section(records: pd.DataFrame, focal: Sequence[str]) -> Section:
    """Who leads the pair's works: by year, the share whose first, last and corresponding
    author is from each focal country (``focal_records.parquet``), and over all years."""
    names, label = _pair_names(focal)
    wide = records_by_year(records)
    shown = [*focal, "unknown"]
    columns = [(f"{role}_share", code, "share") for role in RECORD_ROLES for code in shown]
    works = _total(wide, "works", "pair")
    pooled = [_cell(_total(wide, role, code) / works if works else float("nan"), "share")
              for role in RECORD_ROLES for code in shown]
    heads = ["works", *(f"{figures.ROLE_NAMES[role]}: {code}" for role in RECORD_ROLES
                        for code in shown)]
    return section("records_leadership", f"{label} work records: who leads", label=label,
                   focal=list(focal), names=names, heads=heads,
                   rows=_year_rows(wide, [("works", "pair", "number"), *columns]),
                   pooled=[_cell(works), *pooled],
                   figure=embed("fig-records-leadership",
                                figures.records_leadership(wide, focal, names)))


def records_counts_section(records: pd.DataFrame, focal: Sequence[str]) -> Section:
    """Whole and author-level fractional counts of the pair's works, by year."""
    names, label = _pair_names(focal)
    wide = records_by_year(records)
    columns = [("works", "pair", "number"), *(("whole", code, "number") for code in focal),
               *(("fractional", key, "ratio") for key in [*focal, "other", "unknown"])]
    heads = ["works", *(f"{m}: {c}" for m, c, _ in columns[1:])]
    return section("records_counts", f"{label} work records: whole and fractional counts",
                   label=label, focal=list(focal), names=names, heads=heads,
                   rows=_year_rows(wide, columns),
                   pooled=[_cell(_total(wide, m, c), kind) for m, c, kind in columns],
                   figure=embed("fig-records-counts",
                                figures.records_counts(wide, focal, names)))


def records_fields_section(fields: pd.DataFrame, focal: Sequence[str],
                           applied: Sequence[str] = ()) -> Section:
    """The pair's activity index per field and domain against each focal country's
    international works, over all years (``focal_fields.parquet``)."""
    names, label = _pair_names(focal)
    tables, figure = [], None
    for level in ("field", "domain"):
        pooled = pooled_activity(fields, level)
        rows = []
        for _, part in pooled.groupby("id", sort=False):
            by_country = part.set_index("country").reindex(list(focal))
            first = part.iloc[0]
            rows.append({"name": str(first["name"]), "applied": str(first["name"]) in applied,
                         "cells": [_cell(first["pair_works"]), _cell(first["pair_share"], "share"),
                                   *(cell for code in focal for cell in (
                                       _cell(by_country.at[code, "intl_share"], "share"),
                                       _cell(by_country.at[code, "activity_index"], "ratio")))]})
        if rows:
            tables.append({"level": level, "rows": rows})
        if level == "field":
            figure = embed("fig-records-fields",
                           figures.records_activity(pooled, focal, names, applied))
    years = sorted(int(y) for y in fields["year"].unique())
    return section("records_fields", f"{label} work records: fields (activity index)",
                   label=label, focal=list(focal), names=names, tables=tables,
                   applied=list(applied), figure=figure,
                   span=(years[0], years[-1]) if years else None)


def records_impact_section(records: pd.DataFrame, focal: Sequence[str]) -> Section:
    """Citation impact of the pair's works against each focal country's other international
    works, by year: OpenAlex's top-10% indicator and FWCI (``focal_records.parquet``)."""
    names, label = _pair_names(focal)
    wide = records_by_year(records)
    columns = [("works", "pair", "number"), ("top10_share", "pair", "share"),
               *(("other_top10_share", code, "share") for code in focal),
               ("fwci_mean", "pair", "ratio"), ("fwci_median", "pair", "ratio"),
               ("fwci_works", "pair", "number")]
    works, top10 = _total(wide, "works", "pair"), _total(wide, "top10", "pair")
    others = []
    for code in focal:
        if ("intl_top10", code) in wide and ("intl_works", code) in wide:
            other_top = (wide[("intl_top10", code)] - wide[("top10", "pair")]).clip(lower=0)
            other_works = (wide[("intl_works", code)] - wide[("works", "pair")]).clip(lower=0)
            others.append(float(other_top.sum()) / float(other_works.sum())
                          if other_works.sum() else float("nan"))
        else:
            others.append(float("nan"))
    fwci_works = _total(wide, "fwci_works", "pair")
    fwci_mean = (float((wide[("fwci_mean", "pair")].fillna(0)
                        * wide[("fwci_works", "pair")]).sum()) / fwci_works
                 if fwci_works and ("fwci_mean", "pair") in wide else float("nan"))
    pooled = [_cell(works), _cell(top10 / works if works else float("nan"), "share"),
              *(_cell(v, "share") for v in others), _cell(fwci_mean, "ratio"), ("–", ""),
              _cell(fwci_works)]
    heads = ["works", "top 10%: the pair", *(f"top 10%: {code}'s other works" for code in focal),
             "FWCI mean", "FWCI median", "works with a FWCI"]
    return section("records_impact", f"{label} work records: citation impact", label=label,
                   focal=list(focal), names=names, heads=heads, rows=_year_rows(wide, columns),
                   pooled=pooled, missing=_total(wide, "fwci_missing", "pair"),
                   figure=embed("fig-records-impact",
                                figures.records_impact(wide, focal, names)))


def records_institutions_section(institutions: pd.DataFrame, focal: Sequence[str],
                                 top: int = 15) -> Section:
    """The institutions that carry the pair's works, per focal country, over all years and by
    year (``focal_institutions.parquet``)."""
    names, label = _pair_names(focal)
    pooled = pooled_institutions(institutions, top)
    per_country = [(code, pooled[pooled["country"] == code].to_dict("records")) for code in focal]
    by_year = institutions.sort_values(["year", "country", "rank"], kind="stable")
    return section("records_institutions", f"{label} work records: institutions",
                   label=label, names=names, per_country=per_country, top=top,
                   by_year=by_year.to_dict("records"))


def records_verdicts_section(verdicts: Mapping, focal: Sequence[str]) -> Section:
    """Hwang's division of labour as ``focal_verdicts.json`` states its rules: each rule's
    statement and value, its verdict per year (a strip), per period and over all years."""
    names, label = _pair_names(focal)
    rules = list(verdicts.get("rules", []))
    years = sorted({int(y) for rule in rules for y in rule.get("years", {})})
    strip = [[rule.get("years", {}).get(str(y), {}).get("verdict") for y in years]
             for rule in rules]
    periods = list(dict.fromkeys(p for rule in rules for p in rule.get("periods", {})))

    def spans(kind: str, keys: Sequence) -> list[dict]:
        rows = []
        for key in keys:
            entries = [rule.get(kind, {}).get(str(key), {}) for rule in rules]
            rows.append({"span": key, "entries": entries,
                         "works": entries[0].get("works") if entries else None})
        return rows

    figure = figures.verdict_strip([rule["name"] for rule in rules], years, strip,
                                   figures.RULE_COLOURS)
    return section("records_verdicts", f"{label} work records: a division of labour?",
                   label=label, names=names, claim=verdicts.get("claim", ""), rules=rules,
                   settings=verdicts.get("settings", {}), periods=spans("periods", periods),
                   years=spans("years", years), figure=embed("fig-records-verdicts", figure))


#: The counts of ``focal_verdicts.json``'s ``counting``, in the order the note states them.
COUNTING_ITEMS = (
    ("first_author_unknown", "works whose first author has no known country (or no author "
                             "is marked first)"),
    ("last_author_unknown", "works whose last author has no known country, or that have no "
                            "last author (a single author is first, not last)"),
    ("corresponding_author_unknown", "works with no corresponding author known to OpenAlex, "
                                     "or none with a known country"),
    ("fractional_unknown", "works' weight, in the fractional counts, of authorships with no "
                           "known country"),
    ("field_unknown", "works without a field (no primary topic)"),
    ("fwci_missing", "works without a FWCI"),
    ("percentile_missing", "works without a citation percentile (counted as not in the top "
                           "10%)"),
)


def records_counting_section(verdicts: Mapping, records: pd.DataFrame | None,
                             focal: Sequence[str]) -> Section:
    """How the works were counted, and how many had missing countries, unknown author
    positions, no field or no citation measure (``focal_verdicts.json``'s ``counting``)."""
    names, label = _pair_names(focal)
    counting = dict(verdicts.get("counting", {}))
    works = counting.get("works", 0)
    items = [(key, what, counting[key], counting[key] / works if works else None)
             for key, what in COUNTING_ITEMS if key in counting]
    years = (sorted(int(y) for y in records["year"].unique())
             if records is not None and len(records) else [])
    return section("records_counting", f"{label} work records: how they were counted",
                   label=label, focal=list(focal), names=names, works=works, items=items,
                   span=(years[0], years[-1]) if years else None)


# --- year page -----------------------------------------------------------------------------

def display_order(fit: YearFit, matrix: np.ndarray) -> np.ndarray:
    """Countries by tier (core first), then block, then strength (strongest first), then code."""
    tiers = fit.tiers["tier"].to_numpy(dtype=np.int64)
    labels = np.array(fit.selected_fit.labels or [0] * len(fit.codes))
    strength = matrix.sum(axis=1)
    return np.lexsort((np.array(fit.codes), -strength, labels, tiers))


def block_image_section(fit: YearFit, counts: pd.DataFrame) -> Section:
    """The counts matrix ordered by tier and strength, log colour scale, tier boundaries."""
    matrix = count_matrix(counts, fit.codes)
    order = display_order(fit, matrix)
    tiers = fit.tiers["tier"].to_numpy(dtype=np.int64)[order]
    labels = fit.selected_fit.labels
    figure = figures.block_image(matrix[np.ix_(order, order)], [fit.codes[i] for i in order],
                                 tiers, np.asarray(labels)[order] if labels else None)
    sizes = [(TIER_NAMES[t], int((tiers == t).sum())) for t in range(3) if (tiers == t).any()]
    return section("block_image", "Block image", figure=embed("fig-block-image", figure),
                   model=fit.selected, sizes=sizes)


def _rates_table(fit) -> dict:
    K = len(fit.block_rates)
    sizes = np.bincount(np.array(fit.labels, dtype=np.int64), minlength=K) if fit.labels else [None] * K
    tiers = fit.block_tiers or (None,) * K
    heads = [f"{r}: {TIER_NAMES[t]}" if t is not None else str(r) for r, t in zip(range(K), tiers)]
    return {"model": fit.model, "heads": heads, "sizes": [int(s) if s is not None else None
                                                         for s in sizes],
            "rates": fit.block_rates, "degree_corrected": fit.degree_corrected}


def block_rates_section(fit: YearFit) -> Section:
    """Fitted block rates of the selected model, and of every other candidate on demand."""
    others = [_rates_table(f) for f in fit.fits if f.model != fit.selected and f.block_rates]
    return section("block_rates", "Fitted block rates", selected=_rates_table(fit.selected_fit),
                   others=others)


def criteria_section(fit: YearFit) -> Section:
    """Every family's criterion, with the selected model and the centres test as recorded."""
    table = fit.criteria()
    return section("criteria", "Model selection: every family's criterion",
                   rows=table.to_dict("records"), selected=fit.selected, test=fit.test,
                   best_one_centre=fit.best_one_centre,
                   best_several_centres=fit.best_several_centres,
                   figure=embed("fig-criteria", figures.criteria(table)))


def variants_section(fit: YearFit) -> Section:
    """The year's sensitivity variants as the blockmodel stage fitted them: without the
    strongest country, on a window of years; each with its selection and centres test."""
    return section("variants", "Sensitivity variants", rows=fit.variants)


def tier_table_section(fit: YearFit, stats: pd.DataFrame | None) -> Section:
    """Every country's tier and bootstrap tier probabilities (sortable, searchable)."""
    per_country = country_statistics(stats) if stats is not None else None
    labels = fit.selected_fit.labels
    layered = fit.role_tiers.get("layered")
    if layered is not None and layered["model"].iloc[0] == fit.selected:
        layered = None  # the selected model is the layered one: its columns say it all
    rows = []
    for i, record in enumerate(fit.tiers.to_dict("records")):
        code = str(record["country"])
        row = {"code": code, "name": country_name(code), "continent": countries.continent(code),
               "tier": int(record["tier"]), "tier_name": TIER_NAMES[int(record["tier"])],
               "block": labels[i] if labels else None,
               **{col: float(record[col]) for col in PROBABILITY_COLUMNS}}
        if layered is not None:
            row["layered_tier"] = int(layered["tier"].iloc[i])
            row["layered_tier_name"] = TIER_NAMES[row["layered_tier"]]
            row["layered_p_semi"] = float(layered["p_semi"].iloc[i])
        for column in ("intl_works", "strength", "strength_rank", "s_core"):
            row[column] = (float(per_country.at[code, column]) if per_country is not None
                           and code in per_country.index and column in per_country else None)
        rows.append(row)
    rows.sort(key=lambda r: (r["tier"], -(r["strength"] or 0), r["code"]))
    return section("tier_table", "Tiers and their probabilities", rows=rows,
                   model=fit.selected, has_stats=per_country is not None,
                   layered_model=None if layered is None else layered["model"].iloc[0])


def countries_section(stats: pd.DataFrame) -> Section:
    """Every country's descriptive statistics (sortable, searchable); the year page shows it
    where no blockmodel fit exists, whose tier table carries the same columns."""
    per_country = country_statistics(stats)
    rows = [{"code": code, "name": country_name(code), "continent": countries.continent(code),
             **{column: float(per_country.at[code, column]) if column in per_country else None
                for column in ("intl_works", "strength", "strength_share", "strength_rank",
                               "k_core", "s_core")}}
            for code in per_country.index]
    rows.sort(key=lambda r: (r["strength_rank"] or 0, r["code"]))
    return section("countries", "Countries", rows=rows)


def network_section(fit: YearFit, counts: pd.DataFrame) -> Section:
    matrix = count_matrix(counts, fit.codes)
    figure = figures.network(matrix, fit.codes, [country_name(c) for c in fit.codes],
                             fit.tiers["tier"].to_numpy(dtype=np.int64),
                             [countries.continent(c) for c in fit.codes])
    return section("network", "Network, coloured by tier", figure=embed("fig-network", figure),
                   model=fit.selected)


STATISTIC_LABELS = {
    "countries": "countries", "linked_pairs": "linked pairs", "density": "density",
    "pair_works_total": "works summed over pairs", "strength_gini": "Gini of strengths",
    "top1_pair_works_share": "share of pair works involving the strongest country",
    "top5_pair_works_share": "share of pair works involving the 5 strongest",
    "top10_pair_works_share": "share of pair works involving the 10 strongest",
    "top1_linked_pairs_share": "share of linked pairs involving the strongest country",
    "top5_linked_pairs_share": "share of linked pairs involving the 5 strongest",
    "top10_linked_pairs_share": "share of linked pairs involving the 10 strongest",
    "selection_min_works": "selection: min. international works",
    "selection_min_edge": "selection: min. works per pair",
    "selection_dropped_countries": "selection: countries dropped",
    "selection_dropped_pairs": "selection: pairs dropped",
    "rich_club_randomisations": "rich club: strength-preserving randomisations",
}


def statistics_section(stats: pd.DataFrame) -> Section:
    """Whole-graph descriptive statistics and the weighted rich-club ratio."""
    whole = whole_graph_statistics(stats)
    rows = [(STATISTIC_LABELS.get(s, s), v) for s, v in zip(whole["statistic"], whole["value"])]
    club = rich_club(stats)
    figure = embed("fig-rich-club", figures.rich_club(club)) if len(club) else None
    return section("statistics", "Descriptive statistics", rows=rows, figure=figure)
