"""The focal pair's work records (``bibnet.records``) on the index: their figures and page
sections, who leads the pair's works, how they count, in which fields, with what impact, through
which institutions, and the division-of-labour verdicts with how the works were counted.

Figures follow :mod:`bibnet.report.figures` (data text escaped by its ``text``), sections
:mod:`bibnet.report.sections` (autoescaped templates ``templates/sections/records_*.html``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bibnet.report import charts
from bibnet.report.charts import NARROWEST, finish, year_axis
from bibnet.report.figures import RULE_COLOURS, text, verdict_strip
from bibnet.report.formats import number, percent
from bibnet.report.inputs import (
    country_name,
    pooled_activity,
    pooled_institutions,
    records_by_year,
)
from bibnet.report.sections import Section, embed, section

# --- figures -------------------------------------------------------------------------------

#: Colours of the focal pair's categories: the first and second focal country, both, other
#: countries, unknown.
PAIR_COLOURS = ("#1b9e77", "#7570b3", "#d95f02", "#a6a6a6", "#444444")
ROLE_NAMES = {"first_author": "first author", "last_author": "last author",
              "corresponding_author": "corresponding author"}


def _column(wide: pd.DataFrame, measure: str, country: str) -> list:
    """One ``(measure, country)`` column of a records-by-year table, rounded; NaN where absent."""
    if (measure, country) not in wide:
        return [None] * len(wide)
    return [None if pd.isna(v) else round(float(v), 5) for v in wide[(measure, country)]]


def _categories(pair: Sequence[str], names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """``(category, label, colour)`` of the pair's categories, labels as plotly shows them."""
    labels = [text(f"{names[c]} ({c})") for c in pair] + ["both", "other countries", "unknown"]
    return list(zip([*pair, "both", "other", "unknown"], labels, PAIR_COLOURS))


def records_leadership(wide: pd.DataFrame, pair: Sequence[str],
                       names: Mapping[str, str]) -> go.Figure:
    """Share of the pair's works whose first, last and corresponding author is from each focal
    country (both, other, unknown), by year: one panel per role."""
    from plotly.subplots import make_subplots

    roles = list(ROLE_NAMES)
    years = wide.index.tolist()
    figure = make_subplots(rows=1, cols=len(roles), shared_yaxes=True,
                           subplot_titles=charts.subplot_titles(
                               [ROLE_NAMES[r] for r in roles], len(roles)))
    for col, role in enumerate(roles, start=1):
        for category, label, colour in _categories(pair, names):
            figure.add_trace(go.Scatter(
                x=years, y=_column(wide, f"{role}_share", category), mode="lines+markers",
                name=label, legendgroup=category, showlegend=col == 1,
                line={"color": colour, "width": 2, "dash": "dot" if category == "unknown"
                      else "solid"}, marker={"size": 4},
                hovertemplate=f"{label}, {ROLE_NAMES[role]} %{{x}}: %{{y:.1%}} of the works"
                              "<extra></extra>"), row=1, col=col)
    figure.update_yaxes(range=[0, 1.02], tickformat=".0%")
    figure.update_yaxes(title_text="share of the pair's works", row=1, col=1)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / len(roles) - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 320)


def records_counts(wide: pd.DataFrame, pair: Sequence[str],
                   names: Mapping[str, str]) -> go.Figure:
    """The pair's works by year (bars), and each focal country's whole count (works with an
    author from it) and author-level fractional count (lines)."""
    years = wide.index.tolist()
    figure = go.Figure(go.Bar(x=years, y=_column(wide, "works", "pair"), name="the pair's works",
                              marker_color="rgba(120,120,120,0.3)",
                              hovertemplate="%{x}: %{y:,} works<extra></extra>"))
    for (code, label, colour) in _categories(pair, names)[:len(pair)]:
        for measure, dash in (("whole", "solid"), ("fractional", "dot")):
            figure.add_trace(go.Scatter(
                x=years, y=_column(wide, measure, code), mode="lines+markers",
                name=f"{label}: {measure}", line={"color": colour, "dash": dash, "width": 2},
                marker={"size": 4},
                hovertemplate=f"{label} %{{x}}: {measure} count %{{y:,.2f}}<extra></extra>"))
    figure.update_layout(xaxis={"title": {"text": "year"}, **year_axis(years)},
                         yaxis={"title": {"text": "works"}, "rangemode": "tozero"})
    return finish(figure, 320)


def records_activity(pooled: pd.DataFrame, pair: Sequence[str], names: Mapping[str, str],
                     applied: Sequence[str] = ()) -> go.Figure:
    """The pair's activity index per field against each focal country's international works
    (1: the country's own profile), on a log scale; applied fields marked with a star."""
    figure = go.Figure()
    labels = {row.id: text(f"{row.name} ★" if row.name in set(applied) else row.name)
              for row in pooled.itertuples()}
    order = list(dict.fromkeys(pooled["id"]))
    for code, label, colour in _categories(pair, names)[:len(pair)]:
        rows = pooled[(pooled["country"] == code) & (pooled["activity_index"] > 0)]
        figure.add_trace(go.Bar(
            x=rows["activity_index"].round(4), y=[labels[i] for i in rows["id"]],
            orientation="h", name=f"against {label}", marker_color=colour,
            customdata=np.stack([rows["pair_works"], rows["pair_share"].round(4),
                                 rows["intl_share"].round(4)], axis=-1) if len(rows) else None,
            hovertemplate="%{y}: activity index %{x} (the pair's share %{customdata[1]:.1%} of "
                          "%{customdata[0]:,} works; " + label
                          + "'s share %{customdata[2]:.1%})<extra></extra>"))
    figure.add_vline(x=1, line={"dash": "dot", "color": "#666"})
    index = pooled["activity_index"][pooled["activity_index"] > 0]
    figure.update_layout(
        barmode="group",
        xaxis={"title": {"text": "activity index (log scale; 1: as the country's international "
                                 "works)"},
               **charts.log_axis(min(index.min(), 0.5) if len(index) else 0.5,
                                 max(index.max(), 2) if len(index) else 2, width=600)},
        yaxis={"type": "category", "categoryorder": "array", "autorange": "reversed",
               "categoryarray": [labels[i] for i in order]})
    return finish(figure, max(260, 26 * len(order) + 80))


def records_impact(wide: pd.DataFrame, pair: Sequence[str],
                   names: Mapping[str, str]) -> go.Figure:
    """Left: the share of the pair's works in OpenAlex's top 10% most cited against that of
    each focal country's other international works; right: the pair's mean and median FWCI."""
    from plotly.subplots import make_subplots

    years = wide.index.tolist()
    figure = make_subplots(rows=1, cols=2, subplot_titles=charts.subplot_titles([
        "share in the top 10% most cited", "field-weighted citation impact (FWCI)"], 2))
    figure.add_trace(go.Scatter(x=years, y=_column(wide, "top10_share", "pair"),
                                mode="lines+markers", name="the pair's works",
                                line={"color": PAIR_COLOURS[2], "width": 2},
                                hovertemplate="the pair %{x}: %{y:.1%}<extra></extra>"),
                     row=1, col=1)
    for code, label, colour in _categories(pair, names)[:len(pair)]:
        figure.add_trace(go.Scatter(
            x=years, y=_column(wide, "other_top10_share", code), mode="lines+markers",
            name=f"{label}: other international works", line={"color": colour, "width": 2},
            hovertemplate=f"{label}, other works %{{x}}: %{{y:.1%}}<extra></extra>"),
            row=1, col=1)
    for measure, dash in (("fwci_mean", "solid"), ("fwci_median", "dot")):
        figure.add_trace(go.Scatter(
            x=years, y=_column(wide, measure, "pair"), mode="lines+markers",
            name=f"the pair's {measure.replace('fwci_', '')} FWCI",
            line={"color": PAIR_COLOURS[2], "dash": dash, "width": 2},
            hovertemplate=f"{measure.replace('_', ' ')} %{{x}}: %{{y:.2f}}<extra></extra>"),
            row=1, col=2)
    figure.add_hline(y=0.1, line={"dash": "dot", "color": "#666"}, row=1, col=1)
    figure.add_hline(y=1, line={"dash": "dot", "color": "#666"}, row=1, col=2)
    figure.update_yaxes(tickformat=".0%", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(rangemode="tozero", row=1, col=2)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / 2 - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 320)


# --- page sections -------------------------------------------------------------------------

RECORD_ROLES = tuple(ROLE_NAMES)


def _cell(value, kind: str = "number") -> tuple[str, str]:
    """A table cell ``(shown, sort key)``: a count, a share (as a percentage) or a ratio."""
    if value is None or not np.isfinite(float(value)):
        return "–", ""
    shown = {"share": percent, "ratio": lambda v: f"{v:.2f}"}.get(kind, number)(float(value))
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
    heads = ["works", *(f"{ROLE_NAMES[role]}: {code}" for role in RECORD_ROLES
                        for code in shown)]
    return section("records_leadership", f"{label} work records: who leads", label=label,
                   focal=list(focal), names=names, heads=heads,
                   rows=_year_rows(wide, [("works", "pair", "number"), *columns]),
                   pooled=[_cell(works), *pooled],
                   figure=embed("fig-records-leadership",
                                records_leadership(wide, focal, names)))


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
                                records_counts(wide, focal, names)))


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
                           records_activity(pooled, focal, names, applied))
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
                                records_impact(wide, focal, names)))


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

    figure = verdict_strip([rule["name"] for rule in rules], years, strip,
                                   RULE_COLOURS)
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
