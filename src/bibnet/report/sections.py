"""Page sections: each a small function of one processed input, returning a :class:`Section`.

A section renders its own template (``templates/sections/{name}.html``, autoescaped), so data
text is escaped by jinja2 and figure data travels as JSON in a ``<script type=
"application/json">`` element with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., which no
browser reads as markup. A section whose input does not exist is not built: pages list only
what their inputs support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bibnet import countries
from bibnet.outputs import ASSESSED_KEY, CONFIG_KEY, QUALITY_RULE_KEY, nested
from bibnet.report import charts, figures, formats, maps
from bibnet.report.inputs import (
    CENTRE_READINGS,
    PROBABILITY_COLUMNS,
    READINGS,
    ROLE_SHORT,
    ROLE_TITLES,
    TIER_LABELS,
    TIER_NAMES,
    YearFit,
    core_members,
    count_matrix,
    country_name,
    country_statistics,
    dispersion_series,
    hwang_series,
    rich_club,
    roles,
    structure_series,
    variants_of,
    whole_graph_statistics,
)

ENV = Environment(loader=PackageLoader("bibnet.report", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True)


ENV.filters["number"] = formats.number
ENV.filters["percent"] = formats.percent
ENV.filters["fixed"] = formats.fixed
ENV.filters["interval"] = formats.interval
ENV.filters["p_value"] = formats.p_value
#: A number as a table cell's sort key (empty where missing: sorts last).
ENV.filters["sortkey"] = lambda value: "" if formats.missing(value) else f"{value:.6g}"


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
    """The figure's JSON (data, layout and plotly's config, :func:`charts.plot_config`), safe
    inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    spec = plotly.io.to_json(figure, validate=False, pretty=False, engine="json")
    config = json.dumps(charts.plot_config(figure), sort_keys=True, separators=(",", ":"))
    data = spec[:-1] + ',"config":' + config + "}"
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        data = data.replace(char, escape)
    return Figure(figure_id, Markup(data))


def section(name: str, title: str, **context) -> Section:
    body = ENV.get_template(f"sections/{name}.html").render(**context)
    return Section(name.replace("_", "-"), title, Markup(body))


# --- index ---------------------------------------------------------------------------------

def provenance_section(provenance: Mapping, made_from: Mapping) -> Section:
    """Where the counts came from: source, years, countries and the source's own record
    (Pajek files, OpenAlex calls and fetch times, or the planted world's spec), with the focal
    countries and the seed of what the page shows (``made_from``)."""
    return section("provenance", "Source and provenance", p=provenance,
                   focal=made_from.get("focal"), seed=made_from.get("seed"),
                   world=yaml.safe_dump(provenance.get("synthetic_world") or {},
                                        sort_keys=True, default_flow_style=False))


def config_section(made_from: Mapping) -> Section:
    """The configuration the page's results were made from (a flat record of
    `bibnet.outputs`), as the configuration file writes it, in YAML."""
    return section("config", "Configuration", text=yaml.safe_dump(
        nested(made_from), sort_keys=True, default_flow_style=False, allow_unicode=True))


#: What each variant of a year's graph is (``bibnet.blockmodels.files``).
VARIANT_TITLES = {"all": "the year's graph", "window": "years summed over a window"}


def _variants(verdicts: Mapping) -> list[tuple[str, str]]:
    return [(v, VARIANT_TITLES.get(v, v)) for v in variants_of(verdicts)]


def _triple(row) -> dict:
    """``{value, low, high, jackknife}`` of a row of :func:`structure_series`."""
    jackknife = (None if pd.isna(row["jackknife_low"])
                 else (row["jackknife_low"], row["jackknife_high"]))
    return {"value": row["value"], "low": row["low"], "high": row["high"],
            "jackknife": jackknife}


def structure_section(verdicts: Mapping) -> Section:
    """The lead: per year and variant, how much structure beyond size there is (S, the share of
    the degree-only null's deviance explained) and how much of it each reading keeps (R̄), with
    bootstrap intervals and jackknife ranges, the leader and its lead, and the verdict."""
    series = structure_series(verdicts)
    variants = _variants(verdicts)
    measures = ["S", "S0", *READINGS]
    tables = []
    for variant, title in variants:
        rows = []
        for year, part in series[series["variant"] == variant].groupby("year", sort=True):
            by_measure = {row["measure"]: _triple(row) for _, row in part.iterrows()}
            first = part.iloc[0]
            rows.append({"year": int(year), "cells": [by_measure.get(m) for m in measures],
                         "verdict": first["verdict"], "leader": first["leader"],
                         "lead": {"value": first["lead"], "low": first["lead_low"],
                                  "high": first["lead_high"], "jackknife": None},
                         "support": first["support"]})
        tables.append({"variant": variant, "title": title, "rows": rows})
    return section("structure", "Structure beyond size: how much each reading explains",
                   tables=tables, measures=measures,
                   max_blocks=verdicts.get(CONFIG_KEY, {}).get("blockmodels.max_blocks"),
                   figure=embed("fig-structure", figures.structure_series(series, variants)))


def verdicts_section(verdicts: Mapping, focal: Sequence[str]) -> Section:
    """The verdicts per year as ``verdicts.json`` states them, in its vocabulary: what the
    structure beyond size is (per variant) and Hwang's claim for the focal pair; a strip of
    every verdict, counts per verdict, the rules with their thresholds."""
    years = [int(y) for y in sorted(verdicts.get("years", {}), key=int)]
    per_year = [verdicts["years"][str(y)] for y in years]
    strip_rows, strip = [], []
    for variant, title in _variants(verdicts):
        strip_rows.append(f"structure: {title}")
        strip.append([r["centres"].get(variant, {}).get("verdict") for r in per_year])
    if len(focal) == 2 and any("hwang" in r for r in per_year):
        strip_rows.append(f"Hwang: {focal[0]} middle, {focal[1]} centre")
        strip.append([r.get("hwang", {}).get("verdict") for r in per_year])
    tally = [(name, {v: row.count(v) for v in dict.fromkeys(x for x in row if x)})
             for name, row in zip(strip_rows, strip)]
    settings = verdicts.get(CONFIG_KEY, {})
    thresholds = {"centre check": settings.get("blockmodels.centre_check", {}),
                  "structure": settings.get("hypotheses.centres", {}),
                  "Hwang": settings.get("hypotheses.hwang", {})}
    return section("verdicts", "Verdicts", tally=tally, rules=verdicts.get("rules", {}),
                   vocabulary=verdicts.get("verdict_vocabulary", []),
                   thresholds=[(name, values) for name, values in thresholds.items() if values],
                   figure=embed("fig-verdicts", figures.verdict_strip(strip_rows, years, strip)))


def cores_section(verdicts: Mapping) -> Section:
    """The cores of each year's best one-centre and best several-centres fit (variant ``all``)
    on the world map and in a table: their members, and whether they pass the centre check
    (and why not)."""
    members = core_members(verdicts)
    names = {code: country_name(code) for code in members["country"].unique()}
    drawn, undrawn, rows = [], set(), []
    for reading in CENTRE_READINGS:
        part = members[members["reading"] == reading]
        if not len(part):
            continue
        fits = part.drop_duplicates("year").set_index("year")
        titles = {int(year): f"{reading}, {year}: {fit['model']}, "
                  + ("cores pass the centre check" if fit["centres"] else
                     "cores fail the centre check (not centres)")
                  for year, fit in fits.iterrows()}
        notes = part["centres"].map({True: "passes the centre check",
                                     False: "fails the centre check"})
        figure, missing = maps.cores_map(part.assign(note=part["model"] + ": " + notes),
                                            titles, names)
        undrawn |= set(missing)
        drawn.append({"reading": reading, "figure": embed(
            f"fig-cores-{reading.replace(' ', '-')}", figure)})
        for year, fit in fits.iterrows():
            cores = [[(code, names[code]) for code in group["country"]]
                     for _, group in part[part["year"] == year].groupby("core", sort=True)]
            rows.append({"year": int(year), "reading": reading, "model": fit["model"],
                         "retention": fit["retention"], "centres": bool(fit["centres"]),
                         "failures": fit["failures"], "cores": cores})
    rows.sort(key=lambda r: (r["year"], CENTRE_READINGS.index(r["reading"])))
    return section("cores", "The cores and their members", maps=drawn, rows=rows,
                   undrawn=[(code, names[code]) for code in sorted(undrawn)],
                   check=verdicts.get(CONFIG_KEY, {}).get("blockmodels.centre_check"))


def dispersion_section(verdicts: Mapping) -> Section:
    """The measured overdispersion per year and variant: X²/df of the degree-only null and of
    the richest fit, the variance function, and where more blocks stop paying."""
    table = dispersion_series(verdicts)
    variants = _variants(verdicts)
    titles = dict(variants)
    rows = [{**row, "title": titles[row["variant"]]} for row in table.to_dict("records")]
    return section("dispersion", "Overdispersion of the counts, year by year", rows=rows,
                   figure=embed("fig-dispersion", figures.dispersion_series(table, variants)))


def hwang_section(verdicts: Mapping, focal: Sequence[str]) -> Section:
    """Hwang's claim as measures: the first focal country's dependence on the centre beyond
    size against its size peers, with the peers' own spread; the second's probability of the high-volume
    class; how well size alone reproduces the classes (null ARI); and the verdict."""
    first, second = focal
    series = hwang_series(verdicts, focal)
    names = {code: country_name(code) for code in
             {first, second, *(c for peers in series["peers"] for c in peers),
              *(c for centre in series["centre"] for c in centre)}}
    rows = [{**row, "peers": [(c, names[c]) for c in row["peers"]],
             "centre": [(c, names[c]) for c in row["centre"]]}
            for row in series.to_dict("records")]
    model = next((r["hwang"].get("model") for r in verdicts.get("years", {}).values()
                  if r.get("hwang")), None)
    entered = [{"role": ROLE_TITLES[role], "labels": TIER_LABELS[role], "code": code,
                "semi": years.get("semi_periphery"), "core": years.get("core")}
               for role, by_country in sorted(verdicts.get("focal_first_years", {}).items())
               if role in ROLE_TITLES for code, years in sorted(by_country.items())]
    entry = verdicts.get(CONFIG_KEY, {}).get("hypotheses.entry_probability")
    return section("hwang", f"Hwang's claim: {first} in the middle, {second} a centre",
                   first=first, second=second, names=names, rows=rows, entered=entered,
                   entry=entry,
                   model=ROLE_TITLES.get(model, model), rule=verdicts.get("rules", {}).get("hwang"),
                   figure=embed("fig-hwang", figures.hwang_series(series, first, second, names)))


def years_section(years: Sequence[int], verdicts: Mapping | None) -> Section:
    """Links to every year's page, with the year's countries, share beyond size and verdict
    (variant ``all``) where the study gives them."""
    rows = []
    for year in years:
        evidence = ((verdicts or {}).get("years", {}).get(str(year), {})
                    .get("centres", {}).get("all", {}))
        rows.append({"year": year, "countries": evidence.get("countries"),
                     "share": (evidence.get("share") or {}).get("value"),
                     "verdict": evidence.get("verdict")})
    return section("years", "Years", rows=rows, has_verdicts=verdicts is not None)


def core_size_section(tiers: pd.DataFrame, role: str) -> Section:
    return section("core_size", "Tier sizes over time", role=ROLE_TITLES[role],
                   labels=TIER_LABELS[role],
                   figure=embed("fig-core-size", figures.core_size(tiers, role)))


def focal_section(tiers: Mapping[str, pd.DataFrame], focal: Sequence[str]) -> Section:
    """Bootstrap tier probabilities of the focal countries by year, under each tier model the
    tier table holds (where the study's ``focal.parquet`` is not made)."""
    names = {code: country_name(code) for code in focal}
    present = [code for code in focal
               if any(code in set(table["country"]) for table in tiers.values())]
    return section("focal", "Focal countries: classes of volume and tiers by year",
                   focal=present, names=names, roles=[ROLE_TITLES[r] for r in tiers],
                   intervals=False,
                   figure=embed("fig-focal", figures.focal(tiers, present, names)))


def transitions_section(tiers: pd.DataFrame, role: str) -> Section:
    return section("transitions", "Tier transitions between consecutive years",
                   role=ROLE_TITLES[role], labels=TIER_LABELS[role],
                   figure=embed("fig-transitions", figures.transitions(tiers, role)))


def focal_intervals_section(focal_table: pd.DataFrame, focal: Sequence[str]) -> Section:
    """The focal countries' tier probabilities by year with their 95% intervals
    (``focal.parquet``), under each tier model: classes of volume, tiers beyond size."""
    present = [c for c in focal if c in set(focal_table["country"].astype(str))]
    names = {code: country_name(code) for code in focal}
    shown = roles(focal_table)
    return section("focal", "Focal countries: classes of volume and tiers by year",
                   focal=present, names=names, roles=[ROLE_TITLES[r] for r in shown],
                   intervals=True, figure=embed("fig-focal", figures.focal_intervals(
                       focal_table, present, names, shown)))


def pair_rows(table: pd.DataFrame, pair: Sequence[str]) -> pd.DataFrame:
    """The rows of a table of pairs (``country_a < country_b``) that are the pair ``pair``."""
    a, b = sorted(pair)
    return table[(table["country_a"].astype(str) == a) & (table["country_b"].astype(str) == b)]


def affinity_section(focal_table: pd.DataFrame, verdicts: Mapping | None,
                     focal: Sequence[str], quality: pd.DataFrame | None = None) -> Section:
    """The focal pair's affinity by year (``focal.parquet``), its trend test as
    ``verdicts.json`` states it, and the pair's years flagged by the data-quality rule
    (``data_quality.parquet``, where given)."""
    pairs = (focal_table.drop_duplicates("year").sort_values("year")
             [["year", "works", "expected", "affinity"]])
    label = "–".join(focal)
    trend = (verdicts or {}).get("affinity_trend", {})
    flagged = pair_rows(quality, focal) if quality is not None and len(focal) == 2 else None
    return section("affinity", f"The {label} pair: affinity over time", trend=trend,
                   label=label, flagged=None if flagged is None else flagged["year"].tolist(),
                   figure=embed("fig-affinity", figures.affinity_trend(pairs, label, flagged)))


def data_quality_section(quality: pd.DataFrame) -> Section:
    """The pair-years whose count is out of line with the pair's neighbouring years
    (:mod:`bibnet.quality`), with the rule's thresholds as the table records them."""
    rows = [{**row, "names": (country_name(row["country_a"]), country_name(row["country_b"]))}
            for row in quality.astype({"country_a": str, "country_b": str}).to_dict("records")]
    thresholds = quality.attrs.get(QUALITY_RULE_KEY, {})
    return section("data_quality", "Data quality: pair-years out of line with their neighbours",
                   rows=rows, assessed=quality.attrs.get(ASSESSED_KEY),
                   max_z=thresholds.get("max_z"), min_ratio=thresholds.get("min_ratio"))


def moves_section(dynamics: pd.DataFrame, role: str) -> Section:
    """Every country's move between tiers of the study's tier model ``role`` from one year to
    the next, and the transitions between the first and last year (``dynamics.parquet``)."""
    labels = dict(zip(TIER_NAMES, TIER_LABELS[role]))
    moves = dynamics[dynamics["kind"] == "move"].sort_values(
        ["year_from", "country"], kind="stable")
    rows = [{"year_from": int(r.year_from), "year_to": int(r.year_to), "code": str(r.country),
             "name": country_name(str(r.country)), "tier_from": labels[str(r.tier_from)],
             "tier_to": labels[str(r.tier_to)], "direction": str(r.direction)}
            for r in moves.itertuples()]
    period = dynamics[dynamics["kind"] == "period_transition"]
    period_rows = [{"year_from": int(r.year_from), "year_to": int(r.year_to),
                    "tier_from": labels[str(r.tier_from)], "tier_to": labels[str(r.tier_to)],
                    "countries": int(r.countries)} for r in period.itertuples()]
    return section("moves", "Countries moving between tiers", rows=rows,
                   period=period_rows, role=ROLE_TITLES[role])


# --- year page -----------------------------------------------------------------------------

def display_order(fit: YearFit, matrix: np.ndarray) -> np.ndarray:
    """Countries by block of the best fit, then strength (strongest first), then code."""
    strength = matrix.sum(axis=1)
    return np.lexsort((np.array(fit.codes), -strength, np.array(fit.best_fit.labels)))


def block_image_section(fit: YearFit, counts: pd.DataFrame) -> Section:
    """The counts matrix ordered by the blocks of the fit behind the highest retention, log
    colour scale, block boundaries."""
    matrix = count_matrix(counts, fit.codes)
    order = display_order(fit, matrix)
    best = fit.best_fit
    blocks = np.asarray(best.labels)[order]
    figure = figures.block_image(matrix[np.ix_(order, order)], [fit.codes[i] for i in order],
                                 blocks)
    sizes = np.bincount(blocks, minlength=best.blocks).tolist()
    return section("block_image", "Block image of the best fit",
                   figure=embed("fig-block-image", figure), fit=best, sizes=sizes)


def _rates_table(fit) -> dict:
    K = len(fit.block_rates)
    sizes = np.bincount(np.array(fit.labels, dtype=np.int64), minlength=K).tolist()
    return {"model": fit.model, "heads": [str(r) for r in range(K)], "sizes": sizes,
            "rates": fit.block_rates}


def block_rates_section(fit: YearFit) -> Section:
    """Fitted block rates of the best fit, and of every other fit on demand."""
    best = fit.best_fit
    others = [_rates_table(f) for f in fit.fits if f is not best]
    return section("block_rates", "Fitted block rates", best=_rates_table(best), others=others)


def effects_section(fit: YearFit) -> Section:
    """Every fit's effect sizes (share of the null's deviance, retention at its number of
    blocks), its cores' members and whether they pass the centre check, and why not."""
    names = {code: country_name(code) for code in fit.codes}
    rows = [{"fit": f, "best": f is fit.best_fit,
             "cores": [[(code, names[code]) for code in core] for core in f.cores]}
            for f in sorted(fit.fits, key=lambda f: f.blocks)]
    return section("effects", "Effect sizes of every fit", rows=rows, share=fit.share,
                   settings=fit.settings)


def retention_section(fit: YearFit) -> Section:
    """Each reading's retention by number of blocks, its R̄ and the replicates' ranges."""
    replicates = fit.replicates
    ranges = {}
    for kind in ("bootstrap", "jackknife"):
        rows = replicates[replicates["kind"] == kind]
        ranges[kind] = {m: ((rows[m].min(), rows[m].max()) if rows[m].notna().any() else None)
                        for m in ("share", *READINGS)}
    left_out = [str(c) for c in replicates.loc[replicates["kind"] == "jackknife", "left_out"]]
    return section("retention", "Retention by number of blocks", fit=fit, readings=READINGS,
                   ranges=ranges, left_out=[(c, country_name(c)) for c in left_out],
                   counts={kind: int((replicates["kind"] == kind).sum())
                           for kind in ("bootstrap", "jackknife")},
                   figure=embed("fig-retention", figures.retention_by_blocks(fit.retention)))


def reference_section(fit: YearFit) -> Section:
    """The unconstrained reference scan: quasi-ICL by K, where it levels off, and the
    dispersion the richest fit measures."""
    reference = fit.reference
    table = pd.DataFrame(reference["table"])
    return section("reference", "Reference scan and dispersion", reference=reference,
                   rows=table.to_dict("records"),
                   figure=embed("fig-reference", figures.reference_scan(
                       table, reference["levels_off"])))


def variants_section(fit: YearFit) -> Section:
    """The year's variants as the blockmodel stage measured them: the year's graph and the
    counts of a window of years summed; each with its share and retentions."""
    return section("variants", "Variants", rows=fit.variants, readings=READINGS,
                   titles=VARIANT_TITLES)


def tier_labels(tiers: pd.DataFrame, role: str) -> list[formats.Label]:
    """Each row's class under the tier model ``role`` as its bootstrap probabilities support
    it (:func:`formats.label_with_uncertainty`): the most probable class, or uncertain."""
    return [formats.label_with_uncertainty(p, TIER_LABELS[role])
            for p in tiers[list(PROBABILITY_COLUMNS)].to_numpy(dtype=float)]


def tier_table_section(fit: YearFit, stats: pd.DataFrame | None) -> Section:
    """Every country's class of collaboration volume and tier beyond size as their bootstrap
    probabilities support them (each probability and the best fit's own class on demand), its
    block in the best fit and its dependence on the centre (sortable, searchable)."""
    per_country = country_statistics(stats) if stats is not None else None
    shown = [role for role in ("size_classes", "tiers_beyond_size") if role in fit.tiers]
    labels = fit.best_fit.labels
    centre = set(fit.dependence["centre"])
    supported = {role: tier_labels(fit.tiers[role], role) for role in shown}
    rows = []
    for i, code in enumerate(fit.codes):
        dependence = fit.dependence["countries"].get(code, {})
        row = {"code": code, "name": country_name(code), "continent": countries.continent(code),
               "block": labels[i], "centre": code in centre,
               "dependence": dependence.get("value"),
               "tiers": []}
        for role in shown:
            record = fit.tiers[role].iloc[i]
            fitted = int(record["tier"])
            row["tiers"].append({"label": supported[role][i],
                                 "fitted": TIER_LABELS[role][fitted],
                                 "p": [float(record[c]) for c in PROBABILITY_COLUMNS]})
        for column in ("intl_works", "strength", "strength_rank", "s_core"):
            row[column] = (float(per_country.at[code, column]) if per_country is not None
                           and code in per_country.index and column in per_country else None)
        rows.append(row)
    rows.sort(key=lambda r: (-(r["strength"] or 0), r["code"]))
    return section("tier_table", "Countries: classes of volume, tiers beyond size, dependence",
                   rows=rows, roles=[{"title": ROLE_TITLES[r], "short": ROLE_SHORT[r],
                                      "labels": TIER_LABELS[r],
                                      "model": fit.tiers[r]["model"].iloc[0]} for r in shown],
                   best=fit.best_fit.model, has_stats=per_country is not None,
                   threshold=formats.LABEL_THRESHOLD)


def countries_section(stats: pd.DataFrame) -> Section:
    """Every country's descriptive statistics (sortable, searchable); the year page shows it
    where no tier table exists, which carries the same columns."""
    per_country = country_statistics(stats)
    rows = [{"code": code, "name": country_name(code), "continent": countries.continent(code),
             **{column: float(per_country.at[code, column]) if column in per_country else None
                for column in ("intl_works", "strength", "strength_share", "strength_rank",
                               "k_core", "s_core")}}
            for code in per_country.index]
    rows.sort(key=lambda r: (r["strength_rank"] or 0, r["code"]))
    return section("countries", "Countries", rows=rows)


def network_section(fit: YearFit, counts: pd.DataFrame) -> Section:
    """The network on rings by tier beyond size (the degree-corrected three-tier fit): each
    country on the ring of its most probable tier, hollow where that tier is uncertain."""
    matrix = count_matrix(counts, fit.codes)
    role = "tiers_beyond_size"
    tiers = fit.tiers[role]
    labels = tier_labels(tiers, role)
    notes = [f" (P = {label.probability:.2f})" if label.certain else
             f" or {label.runner_up}, uncertain (P = {label.probability:.2f})"
             for label in labels]
    figure = figures.network(matrix, fit.codes, [country_name(c) for c in fit.codes],
                             [label.index for label in labels],
                             [countries.continent(c) for c in fit.codes], TIER_LABELS[role],
                             certain=[label.certain for label in labels], notes=notes)
    return section("network", "Network, on rings by tier beyond size",
                   figure=embed("fig-network", figure), model=tiers["model"].iloc[0],
                   threshold=formats.LABEL_THRESHOLD)


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
