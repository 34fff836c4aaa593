"""The layers page, ``reports/layers.html``: the research-field layers side by side.

Made from ``layer_places.parquet`` and ``layer_verdicts.json`` (`bibnet.hypotheses.layers`):
the focal country's position in each layer over time, its reading in applied against basic
fields, each layer's answers beside all-science's, and a country × layer grid of places. Every
table and figure names its layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from bibnet.hypotheses.layers import LAYER_READINGS
from bibnet.logs import job_entry
from bibnet.outputs import check_made_from
from bibnet.report import figures
from bibnet.report.charts import finish, year_axis
from bibnet.report.inputs import country_name, read_json
from bibnet.report.pages import Page, render, selection_note
from bibnet.report.sections import (BRACKETS, Section, plain_records, embed, section)
from bibnet.counting import Counting


def _layer_names(verdicts: Mapping) -> list[str]:
    return [entry["layer"] for entry in verdicts["layers"]]


def _kinds(verdicts: Mapping) -> dict[str, str]:
    return {entry["layer"]: entry["kind"] for entry in verdicts["layers"]}


def position_figure(verdicts: Mapping, country: str) -> go.Figure:
    """The focal country's position z per layer (one line each) over the years; the dashed
    line at 0 is the smallest centre."""
    years = sorted(int(year) for year in verdicts["years"])
    figure = go.Figure()
    for layer in _layer_names(verdicts):
        z = [verdicts["years"][str(year)]["applied_against_basic"]["position"].get(layer)
             for year in years]
        figure.add_trace(go.Scatter(
            x=years, y=[None if v is None else round(v, 3) for v in z], mode="lines+markers",
            name=f"{layer} ({_kinds(verdicts)[layer]})", marker={"size": 5},
            hovertemplate=f"{country} in {layer}, %{{x}}: z %{{y}}<extra></extra>"))
    figure.add_hline(y=0, line_dash="dash", line_color="#888")
    figure.update_layout(xaxis=year_axis(years),
                         yaxis={"title": {"text": f"{country}'s z (0: the smallest centre)"}})
    return finish(figure, 320)


def focal_section(verdicts: Mapping, places: pd.DataFrame, focal: Sequence[str],
                  n_centres: int) -> Section:
    """The focal pair in every layer each year, and the first one's position over time."""
    kinds = _kinds(verdicts)
    rows = places[places["country"].isin(focal)].copy()
    rows["kind"] = rows["layer"].map(kinds)
    rows["z"] = [verdicts["years"][str(year)]["applied_against_basic"]["position"].get(layer)
                 if country == focal[0] else None
                 for year, layer, country in zip(rows["year"], rows["layer"], rows["country"])]
    order = {layer: i for i, layer in enumerate(_layer_names(verdicts))}
    rows = rows.assign(at=rows["layer"].map(order)).sort_values(
        ["year", "country", "at"], key=lambda column: column.map(
            {code: i for i, code in enumerate(focal)}) if column.name == "country" else column)
    return section("layers_focal", f"{focal[0]} layer by layer", focal=list(focal),
                   n_centres=n_centres, rows=plain_records(rows.drop(columns="at")),
                   figure=embed("fig-layers-position", position_figure(verdicts, focal[0])))


def reading_section(verdicts: Mapping) -> Section:
    """The applied-against-basic reading, year by year, with its tally."""
    rows = [{"year": int(year), **{key: found["applied_against_basic"].get(key)
                                   for key in ("statistic", "low", "high", "reading", "why")}}
            for year, found in sorted(verdicts["years"].items())]
    summary = [(reading, n) for reading in LAYER_READINGS
               if (n := verdicts["summary"]["readings"][reading])]
    kinds = _kinds(verdicts)
    return section("layers_reading", "Applied against basic fields",
                   focal=verdicts["focal"][0], brackets=BRACKETS, rows=rows, summary=summary,
                   applied=[layer for layer, kind in kinds.items() if kind == "applied"],
                   basic=[layer for layer, kind in kinds.items() if kind == "basic"])


def verdicts_section(verdicts: Mapping) -> Section:
    """Each layer's two answers over the years, all-science first."""
    years = sorted(int(year) for year in verdicts["years"])
    names = _layer_names(verdicts)
    rows, strip = [], []
    for layer in names:
        label = "all-science" if layer == "all" else layer
        for question in ("centres", "regions"):
            rows.append(f"{label}: {question}")
            strip.append([verdicts["years"][str(year)]["verdicts"][layer][question]
                          for year in years])
    differs = [(layer, n) for layer, n in verdicts["summary"]["differs"].items()
               if n["centres"] or n["regions"]]
    return section("layers_verdicts", "Each layer's answers", differs=differs,
                   figure=embed("fig-layers-verdicts", figures.verdict_strip(
                       rows, years, strip, figures.VERDICT_COLOURS)))


def grid_section(places: pd.DataFrame, verdicts: Mapping, focal: Sequence[str]) -> Section:
    """Every country's place in every layer in the last year."""
    year = int(places["year"].max())
    names = _layer_names(verdicts)
    last = places[places["year"] == year].set_index(["country", "layer"])
    everyone = last.xs("all", level="layer") if "all" in names else last
    order = [code for code in focal if code in everyone.index] + [
        code for code in everyone.sort_values("rank").index if code not in focal]
    rows = []
    for code in order:
        cells = []
        for layer in names:
            found = last.loc[(code, layer)] if (code, layer) in last.index else None
            cells.append({"rank": None if found is None else int(found["rank"]),
                          "size_class": None if found is None else found["size_class"],
                          "centre": False if found is None else bool(found["centre"]),
                          "sphere": "" if found is None else found["sphere"]})
        rows.append({"country": code, "name": country_name(code), "cells": cells})
    return section("layers_grid", f"Every country's place in each layer, {year}", year=year,
                   focal=list(focal), rows=rows,
                   layers=["all-science" if layer == "all" else layer for layer in names])


@job_entry
def build_layers_page(years: Sequence[int], places_path: str | Path,
                      verdicts_path: str | Path, provenance_path: str | Path,
                      out_path: str | Path, *, made_from: Mapping) -> str:
    """Write ``reports/layers.html`` from the layers' outputs.

    Parameters
    ----------
    years : sequence of int
    places_path, verdicts_path : path
        ``layer_places.parquet`` and ``layer_verdicts.json``.
    provenance_path : path
        ``provenance.json`` (source, counting, synthetic).
    out_path : path
    made_from : mapping
        The configuration the inputs must record (`bibnet.slices.lineage` of the page).
    """
    settings = check_made_from(made_from, [places_path, verdicts_path, provenance_path])
    verdicts = read_json(verdicts_path)
    provenance = read_json(provenance_path)
    places = pd.read_parquet(places_path)
    focal = list(verdicts["focal"])
    parts = [focal_section(verdicts, places, focal, int(settings["hypotheses.n_centres"])),
             reading_section(verdicts), verdicts_section(verdicts),
             grid_section(places, verdicts, focal)]
    page = Page(title="Layers by research field: the multilayered centre–periphery",
                kind="layers", source=str(provenance.get("source", "")),
                synthetic=bool(provenance.get("synthetic")), root="", assets="assets/",
                years=list(years), year_href="years/",
                counting=provenance.get("counting", {}).get("label", Counting().label),
                selection=selection_note(settings.get("countries")), layers_href="layers.html")
    return render(page, parts, out_path)
