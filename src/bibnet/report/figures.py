"""Plotly figures of the reports, each a pure function of processed tables.

Text that comes from the data (country names) goes into figures HTML-escaped: plotly renders
entities such as ``&lt;`` as the character and never turns text into markup. Figures carry no
random or time-dependent part, so the same tables give the same figure JSON.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pycountry

from bibnet.report.inputs import (
    PROBABILITY_COLUMNS,
    READINGS,
    ROLE_TITLES,
    TIER_LABELS,
    TIER_NAMES,
)

#: Tier colours (core, semi-periphery, periphery): ordinal red to blue, legible for the
#: common colour-vision deficiencies.
TIER_COLOURS = ("#b2182b", "#f4a261", "#4393c3")
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12}
#: Name of the shipped world geometry in plotly's geo asset store (``scope_resolution``).
GEOMETRY = "world_50m"


def _layout(**extra) -> dict:
    return {"template": "plotly_white", "font": FONT, "margin": {"l": 60, "r": 20, "t": 40,
                                                                 "b": 50}, **extra}


def text(value) -> str:
    """Data text as plotly shows it literally (entities, no markup).

    Only ``&``, ``<`` and ``>`` are escaped: they are what plotly's pseudo-HTML is made of,
    and plotly converts back only a few named entities, so an escaped quote would show as
    ``&quot;``.

    Examples
    --------
    >>> print(text('<b>Bosnia "and" Herzegovina</b>'))
    &lt;b&gt;Bosnia "and" Herzegovina&lt;/b&gt;
    """
    return html.escape(str(value), quote=False)


def _year_axis(years: Sequence[int]) -> dict:
    return {"tickformat": "d", "dtick": 1 if len(years) < 12 else 5}


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def block_image(matrix: np.ndarray, codes: Sequence[str], blocks: Sequence[int]) -> go.Figure:
    """Counts between countries ordered by block then strength, on a log colour scale, with the
    block boundaries drawn (red); ``codes`` and ``blocks`` already in display order."""
    n = len(codes)
    with np.errstate(divide="ignore"):
        z = np.where(matrix > 0, np.log10(np.where(matrix > 0, matrix, 1)), np.nan)
    top = int(np.ceil(np.nanmax(z))) if np.isfinite(z).any() else 1
    labels = [text(code) for code in codes]
    figure = go.Figure(go.Heatmap(
        z=np.round(z, 4), x=labels, y=labels, customdata=matrix.astype(np.int64),
        colorscale="Viridis", zmin=0, zmax=max(top, 1), hoverongaps=False,
        hovertemplate="%{y} – %{x}: %{customdata} works<extra></extra>",
        colorbar={"title": {"text": "works"}, "tickvals": list(range(max(top, 1) + 1)),
                  "ticktext": [f"{10 ** t:,}" for t in range(max(top, 1) + 1)]}))
    blocks = np.asarray(blocks)
    shapes = []
    for cut in (i for i in range(1, n) if blocks[i] != blocks[i - 1]):
        style = {"color": "#d62728", "width": 1.5}
        shapes += [{"type": "line", "line": style, "xref": "x", "yref": "y", "x0": cut - 0.5,
                    "x1": cut - 0.5, "y0": -0.5, "y1": n - 0.5},
                   {"type": "line", "line": style, "xref": "x", "yref": "y", "y0": cut - 0.5,
                    "y1": cut - 0.5, "x0": -0.5, "x1": n - 0.5}]
    figure.update_layout(**_layout(
        height=min(900, 260 + 6 * n), shapes=shapes,
        xaxis={"side": "top", "tickangle": -90, "tickfont": {"size": 9}, "type": "category",
               "constrain": "domain", "showgrid": False},
        yaxis={"autorange": "reversed", "tickfont": {"size": 9}, "type": "category",
               "scaleanchor": "x", "constrain": "domain", "showgrid": False},
        margin={"l": 50, "r": 20, "t": 60, "b": 20}))
    return figure


def _ring_positions(order: Sequence[int], radius: float, offset: float) -> dict[int, tuple]:
    count = max(len(order), 1)
    angles = offset + 2 * np.pi * np.arange(len(order)) / count
    return {node: (radius * np.cos(a), radius * np.sin(a)) for node, a in zip(order, angles)}


def network(matrix: np.ndarray, codes: Sequence[str], names: Sequence[str],
            tiers: Sequence[int], continents: Sequence[str],
            tier_labels: Sequence[str] = TIER_NAMES, links_per_country: int = 2) -> go.Figure:
    """Countries on concentric rings by tier (core inside), coloured by tier (named by
    ``tier_labels``) and sized by strength; within a ring ordered by continent then strength.
    Edges: each country's ``links_per_country`` strongest links (the backbone), drawn thicker
    for more works."""
    n = len(codes)
    strength = matrix.sum(axis=1)
    tiers = np.asarray(tiers)
    positions = {}
    for tier in range(3):
        members = [i for i in range(n) if tiers[i] == tier]
        members.sort(key=lambda i: (continents[i], -strength[i], codes[i]))
        positions.update(_ring_positions(members, 1.0 + tier, offset=0.3 * tier))
    edges = set()
    for i in range(n):
        partners = np.argsort(-matrix[i], kind="stable")[:links_per_country]
        edges.update((min(i, j), max(i, j)) for j in partners if matrix[i, j] > 0)
    edges = sorted(edges, key=lambda e: (-matrix[e], e))
    figure = go.Figure()
    if edges:
        works = np.array([matrix[e] for e in edges])
        widths = np.quantile(works, [0.5, 0.9])
        for width, low, high in ((0.5, 0, widths[0]), (1.2, widths[0], widths[1]),
                                 (2.5, widths[1], np.inf)):
            xs, ys = [], []
            for (i, j), w in zip(edges, works):
                if low <= w < high or (high == np.inf and w >= low):
                    xs += [round(positions[i][0], 5), round(positions[j][0], 5), None]
                    ys += [round(positions[i][1], 5), round(positions[j][1], 5), None]
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                        line={"width": width, "color": "rgba(90,90,90,0.35)"},
                                        showlegend=False))
    size = 6 + 24 * np.sqrt(strength / strength.max()) if strength.max() > 0 else np.full(n, 8)
    for tier in range(3):
        members = [i for i in range(n) if tiers[i] == tier]
        if not members:
            continue
        figure.add_trace(go.Scatter(
            x=[round(positions[i][0], 5) for i in members],
            y=[round(positions[i][1], 5) for i in members],
            mode="markers+text", name=tier_labels[tier],
            text=[text(codes[i]) if size[i] > 12 else "" for i in members],
            textposition="middle center", textfont={"size": 8, "color": "#111"},
            marker={"size": np.round(size[members], 2), "color": TIER_COLOURS[tier],
                    "line": {"width": 0.5, "color": "#333"}},
            customdata=[[text(names[i]), int(strength[i])] for i in members],
            hovertemplate="%{customdata[0]}<br>" + tier_labels[tier]
                          + "<br>strength %{customdata[1]:,}<extra></extra>"))
    figure.update_layout(**_layout(
        height=720, xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
        legend={"orientation": "h", "y": -0.02}, margin={"l": 10, "r": 10, "t": 10, "b": 30}))
    return figure


def rich_club(table: pd.DataFrame) -> go.Figure:
    """Weighted rich-club ratio rho of the clubs of the k strongest countries."""
    figure = go.Figure(go.Scatter(
        x=table["club_size"], y=table["rho"].round(5), mode="lines+markers",
        customdata=[text(c) for c in table["country"]], marker={"size": 4},
        hovertemplate="club of the %{x} strongest (down to %{customdata}): "
                      "ρ = %{y}<extra></extra>"))
    figure.add_hline(y=1, line={"dash": "dot", "color": "#666"})
    figure.update_layout(**_layout(
        height=360, xaxis={"title": {"text": "club size k (strongest countries)"},
                           "type": "log"},
        yaxis={"title": {"text": "ρ = φ / φ null"}}))
    return figure


def core_size(tiers: pd.DataFrame, role: str) -> go.Figure:
    """Countries in the first and second tier of the tier model ``role`` each year, and the
    expected size of the first, the sum of its probabilities."""
    figure = go.Figure()
    labels = TIER_LABELS[role]
    years = sorted(tiers["year"].unique().tolist())
    for tier in (0, 1):
        counts = tiers[tiers["tier"] == tier].groupby("year").size().reindex(years, fill_value=0)
        figure.add_trace(go.Scatter(x=years, y=counts.tolist(), mode="lines+markers",
                                    name=labels[tier], line={"color": TIER_COLOURS[tier]}))
    expected = tiers.groupby("year")["p_core"].sum().reindex(years)
    figure.add_trace(go.Scatter(x=years, y=expected.round(3).tolist(), mode="lines",
                                name=f"expected {labels[0]} size (Σ P({labels[0]}))",
                                line={"color": TIER_COLOURS[0], "dash": "dot"}))
    figure.update_layout(**_layout(
        height=380, xaxis={"title": {"text": "year"}, "dtick": 1 if len(years) < 12 else 5,
                           "tickformat": "d"},
        yaxis={"title": {"text": "countries"}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25}))
    return figure


def focal(tiers: Mapping[str, pd.DataFrame], codes: Sequence[str],
          names: Mapping[str, str]) -> go.Figure:
    """The probability of each tier by year of each focal country (columns), stacked, under
    each tier model given (rows: classes of volume, tiers beyond size)."""
    from plotly.subplots import make_subplots

    roles = list(tiers)
    titles = [text(f"{names[c]} ({c}): {ROLE_TITLES[role]}") for role in roles for c in codes]
    figure = make_subplots(rows=len(roles), cols=max(len(codes), 1), shared_yaxes=True,
                           shared_xaxes=True, subplot_titles=titles, vertical_spacing=0.12)
    years = sorted(tiers[roles[0]]["year"].unique().tolist())
    for row, role in enumerate(roles, start=1):
        labels = TIER_LABELS[role]
        for col, code in enumerate(codes, start=1):
            part = tiers[role]
            rows = part[part["country"] == code].set_index("year").reindex(years)
            for tier, column in enumerate(PROBABILITY_COLUMNS):
                figure.add_trace(go.Scatter(
                    x=years, y=rows[column].round(4).tolist(), stackgroup=f"s{row}{col}",
                    name=labels[tier], legendgroup=labels[tier], showlegend=col == 1,
                    line={"color": TIER_COLOURS[tier], "width": 0.5},
                    fillcolor=_rgba(TIER_COLOURS[tier], 0.75),
                    customdata=rows["model"].fillna("").map(text).tolist(),
                    hovertemplate=text(code) + " %{x}: P(" + labels[tier]
                                  + ") = %{y} under %{customdata}<extra></extra>"),
                    row=row, col=col)
        figure.update_yaxes(range=[0, 1], title_text="probability", row=row, col=1)
    figure.update_xaxes(tickformat="d", dtick=1 if len(years) < 12 else 5)
    figure.update_annotations(font_size=12)
    figure.update_layout(**_layout(height=300 * len(roles) + 80,
                                   legend={"orientation": "h", "y": -0.12}))
    return figure


def transitions(tiers: pd.DataFrame, role: str) -> go.Figure:
    """Sankey of the tiers of the tier model ``role`` across consecutive years: how many
    countries moved between tiers."""
    tier_labels = TIER_LABELS[role]
    years = sorted(tiers["year"].unique().tolist())
    node_index, labels, colours, xs, ys, custom = {}, [], [], [], [], []
    span = max(len(years) - 1, 1)
    for y_index, year in enumerate(years):
        present = tiers[tiers["year"] == year].groupby("tier").size()
        for tier in range(3):
            if tier not in present.index:
                continue
            node_index[year, tier] = len(labels)
            labels.append(tier_labels[tier] if y_index == 0 else "")
            colours.append(TIER_COLOURS[tier])
            xs.append(round(0.001 + 0.998 * y_index / span, 5))
            ys.append(round(0.001 + 0.998 * tier / 2, 5))
            custom.append(f"{year} {tier_labels[tier]}: {int(present[tier])} countries")
    sources, targets, values, link_colours = [], [], [], []
    wide = tiers.pivot_table(index="country", columns="year", values="tier", aggfunc="first")
    for a, b in zip(years, years[1:]):
        moves = wide[[a, b]].dropna().astype(int).value_counts().sort_index()
        for (ta, tb), count in moves.items():
            sources.append(node_index[a, ta])
            targets.append(node_index[b, tb])
            values.append(int(count))
            link_colours.append(_rgba(TIER_COLOURS[ta], 0.35))
    figure = go.Figure(go.Sankey(
        arrangement="fixed",
        node={"label": labels, "color": colours, "x": xs, "y": ys, "pad": 8, "thickness": 12,
              "customdata": custom, "hovertemplate": "%{customdata}<extra></extra>"},
        link={"source": sources, "target": targets, "value": values, "color": link_colours,
              "hovertemplate": "%{value} countries<extra></extra>"}))
    annotations = [{"x": round(i / span, 5), "y": 1.06, "xref": "paper", "yref": "paper",
                    "text": str(year), "showarrow": False, "font": {"size": 10}}
                   for i, year in enumerate(years) if i % max(1, len(years) // 12) == 0
                   or i == len(years) - 1]
    figure.update_layout(**_layout(height=460, annotations=annotations,
                                   margin={"l": 20, "r": 20, "t": 50, "b": 20}))
    return figure


@cache
def geometry_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes that the shipped world geometry draws."""
    import json

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
    steps = [{"label": str(year), "method": "update",
              "args": [{"visible": [i == j for j in range(len(years))]},
                       {"title.text": text(titles[year])}]} for i, year in enumerate(years)]
    figure.update_layout(**_layout(
        height=520, title={"text": text(titles[years[-1]]) if years else "",
                           "font": {"size": 13}},
        geo={"projection": {"type": "natural earth", "rotation": {"lon": 0}},
             "center": {"lon": 0, "lat": 10}, "lonaxis": {"range": [-180, 180]},
             "lataxis": {"range": [-60, 85]}, "resolution": 50, "showframe": False,
             "showcountries": True, "countrycolor": "#999", "showland": True,
             "landcolor": "#eeeeee", "showcoastlines": False},
        sliders=[{"active": len(years) - 1, "steps": steps, "currentvalue": {"prefix": "year "},
                  "pad": {"t": 10}, "x": 0.03, "len": 0.94}] if len(years) > 1 else [],
        margin={"l": 0, "r": 0, "t": 40, "b": 10}))
    return figure, undrawn


#: Colours of the readings of structure beyond size, and of the share S they are read from.
READING_COLOURS = {"S": "#333333", "S0": "#999999", "one centre": "#b2182b",
                   "several centres": "#2166ac", "regional communities": "#1b9e77"}
MEASURE_NAMES = {"S": "S: share beyond size", "S0": "S₀: size plus noise"}


def _band(x: Sequence, low: Sequence, high: Sequence, colour: str, group: str) -> go.Scatter:
    """An interval as a filled band (no hover, no legend of its own)."""
    x = list(x)
    return go.Scatter(x=x + x[::-1], y=_rounded(high) + _rounded(low)[::-1], fill="toself", mode="lines",
                      fillcolor=_rgba(colour, 0.15), line={"width": 0}, hoverinfo="skip",
                      showlegend=False, legendgroup=group)


def _rounded(values) -> list:
    """Numbers rounded to 4 digits for the figure JSON, missing ones as None (a gap)."""
    return [None if pd.isna(v) else round(float(v), 4) for v in values]


def structure_series(series: pd.DataFrame, variants: Sequence[tuple[str, str]]) -> go.Figure:
    """Per year, the share S of the degree-only null's deviance explained and each reading's
    retention R̄, each with its bootstrap interval as a band: one panel per variant
    (``variants``: ``(name, title)``), from :func:`bibnet.report.inputs.structure_series`."""
    from plotly.subplots import make_subplots

    figure = make_subplots(rows=len(variants), cols=1, shared_xaxes=True,
                           subplot_titles=[text(title) for _, title in variants],
                           vertical_spacing=0.14)
    years = sorted(series["year"].unique().tolist())
    for row, (variant, _) in enumerate(variants, start=1):
        for measure, colour in READING_COLOURS.items():
            part = series[(series["variant"] == variant) & (series["measure"] == measure)]
            part = part.set_index("year").reindex(years)
            name = MEASURE_NAMES.get(measure, f"R̄: {measure}")
            figure.add_trace(_band(years, part["low"], part["high"], colour, measure),
                             row=row, col=1)
            figure.add_trace(go.Scatter(
                x=years, y=_rounded(part["value"]), mode="lines+markers", name=name,
                legendgroup=measure, showlegend=row == 1,
                line={"color": colour, "width": 2.5 if measure in MEASURE_NAMES else 2,
                      "dash": {"S": "dash", "S0": "dot"}.get(measure, "solid")},
                marker={"size": 5, "color": colour},
                customdata=np.stack([_rounded(part["low"]), _rounded(part["high"])], axis=-1),
                hovertemplate=f"{name}, %{{x}}: %{{y}} [%{{customdata[0]}}, "
                              "%{customdata[1]}]<extra></extra>"), row=row, col=1)
        figure.update_yaxes(title_text="share / retention", rangemode="tozero", row=row, col=1)
    figure.update_xaxes(**_year_axis(years))
    figure.update_annotations(font_size=12)
    figure.update_layout(**_layout(height=330 * len(variants) + 90,
                                   legend={"orientation": "h", "y": -0.08 if len(variants) > 1
                                           else -0.2}))
    return figure


def dispersion_series(table: pd.DataFrame, variants: Sequence[tuple[str, str]]) -> go.Figure:
    """Per year: Pearson X²/df of the degree-only null and of the richest reference fit (log
    scale), the power p of the variance function V(μ) = φ_V μ^p (1: Poisson, 2: constant-shape
    negative binomial), and the K at which the quasi-ICL levels off; one line style per
    variant."""
    from plotly.subplots import make_subplots

    figure = make_subplots(rows=1, cols=3, subplot_titles=[
        "Pearson X²/df (1: Poisson)", "variance power p in V(μ) = φ μ^p",
        "K where the quasi-ICL levels off"], horizontal_spacing=0.08)
    years = sorted(table["year"].unique().tolist())
    panels = ((1, "null_dispersion", "X²/df of the degree-only null", "#762a83"),
              (1, "phi", "φ: X²/df of the richest fit", "#e08214"),
              (2, "variance_power", "variance power p", "#1b7837"),
              (3, "levels_off", "K of least quasi-ICL", "#2166ac"))
    for index, (variant, title) in enumerate(variants):
        part = table[table["variant"] == variant].set_index("year").reindex(years)
        for col, column, name, colour in panels:
            label = name if len(variants) == 1 else f"{name} ({title})"
            figure.add_trace(go.Scatter(
                x=years, y=_rounded(part[column]), mode="lines+markers", name=text(label),
                line={"color": colour, "dash": ("solid", "dot")[index % 2]},
                marker={"size": 5}, hovertemplate=text(label) + ", %{x}: %{y}<extra></extra>"),
                row=1, col=col)
    figure.add_hline(y=1, line={"dash": "dot", "color": "#666"}, row=1, col=1)
    for power in (1, 2):
        figure.add_hline(y=power, line={"dash": "dot", "color": "#666"}, row=1, col=2)
    figure.update_yaxes(type="log", row=1, col=1)
    figure.update_yaxes(rangemode="tozero", row=1, col=3)
    figure.update_xaxes(**_year_axis(years))
    figure.update_annotations(font_size=12)
    figure.update_layout(**_layout(height=380, legend={"orientation": "h", "y": -0.25}))
    return figure


def hwang_series(series: pd.DataFrame, first: str, second: str,
                 names: Mapping[str, str]) -> go.Figure:
    """Hwang's evidence as measures by year: the first focal country's dependence on the
    centre beyond size relative to its size peers (ρ, 0: as its peers, with the band of its
    peers' own 10th to 90th percentiles) and its own dependence (d, 1: as size predicts); the
    second's probability of the high-volume class and how well the degree-only null
    reproduces the classes (ARI)."""
    from plotly.subplots import make_subplots

    figure = make_subplots(rows=1, cols=3, horizontal_spacing=0.08, subplot_titles=[
        text(f"{names[first]} ({first}): ρ, against its size peers"),
        text(f"{names[first]} ({first}): dependence d on the centre"),
        "classes of collaboration volume"])
    years = series["year"].tolist()
    figure.add_trace(_band(years, series["relative_low"], series["relative_high"], "#999999",
                           "peers"), row=1, col=1)
    for col, column, name, colour in ((1, "relative", "ρ (log ratio to peers)", "#2166ac"),
                                      (2, "dependence", "d (observed/expected)", "#1b9e77")):
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(series[column]), mode="lines+markers", name=text(name),
            legendgroup=column, line={"color": colour, "width": 2}, marker={"size": 5},
            hovertemplate=text(name) + ", %{x}: %{y}<extra></extra>"), row=1, col=col)
    for column, name, colour in (
            ("p_core", f"P({second} in the high-volume class)", "#b2182b"),
            ("null_ari", "ARI of the classes with those of size alone", "#7f7f7f")):
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(series[column]), mode="lines+markers", name=text(name),
            line={"color": colour, "width": 2}, marker={"size": 5},
            hovertemplate=text(name) + ", %{x}: %{y}<extra></extra>"), row=1, col=3)
    figure.add_hline(y=0, line={"dash": "dot", "color": "#666"}, row=1, col=1)
    figure.add_hline(y=1, line={"dash": "dot", "color": "#666"}, row=1, col=2)
    figure.update_yaxes(range=[-0.02, 1.02], row=1, col=3)
    figure.update_xaxes(**_year_axis(years))
    figure.update_annotations(font_size=11)
    figure.update_layout(**_layout(height=380, legend={"orientation": "h", "y": -0.25}))
    return figure


def retention_by_blocks(retention: Mapping[str, Mapping[str, float | None]]) -> go.Figure:
    """Each reading's retention R(B) against the number of blocks B (1: keeps all that an
    unconstrained SBM with B blocks holds beyond size; 0 for a centre reading whose fits
    all fail the centre check)."""
    blocks = [int(b) for b in retention]
    figure = go.Figure()
    for reading in READINGS:
        values = [retention[str(b)].get(reading) for b in blocks]
        figure.add_trace(go.Scatter(
            x=blocks, y=_rounded([np.nan if v is None else v for v in values]),
            mode="lines+markers", name=reading, line={"color": READING_COLOURS[reading]},
            hovertemplate=f"{reading}, B = %{{x}}: R = %{{y}}<extra></extra>"))
    figure.update_layout(**_layout(
        height=340, xaxis={"title": {"text": "blocks B"}, "dtick": 1},
        yaxis={"title": {"text": "retention R(B)"}, "range": [-0.02, 1.05]},
        legend={"orientation": "h", "y": -0.25}))
    return figure


def reference_scan(table: pd.DataFrame, levels_off: int) -> go.Figure:
    """The unconstrained degree-corrected SBM's quasi-ICL against its number of blocks K
    (lower is better), the K where it levels off marked."""
    figure = go.Figure(go.Scatter(
        x=table["blocks"], y=table["quasi_icl"].round(2), mode="lines+markers",
        name="quasi-ICL", line={"color": "#2166ac"},
        hovertemplate="K = %{x}: quasi-ICL %{y:,.1f}<extra></extra>"))
    best = table[table["blocks"] == levels_off]
    figure.add_trace(go.Scatter(
        x=best["blocks"], y=best["quasi_icl"].round(2), mode="markers",
        name=f"levels off at K = {levels_off}",
        marker={"size": 13, "color": "rgba(0,0,0,0)", "line": {"width": 2, "color": "#d62728"}},
        hovertemplate="levels off: K = %{x}<extra></extra>"))
    figure.update_layout(**_layout(
        height=340, xaxis={"title": {"text": "blocks K (log scale)"}, "type": "log"},
        yaxis={"title": {"text": "quasi-ICL (deviance / φ + penalties; lower is better)"}},
        legend={"orientation": "h", "y": -0.3}))
    return figure


#: Verdict colours: the readings as in :data:`READING_COLOURS`, no structure beyond size
#: (sand), undecided (grey), and Hwang's claim supported (green) or not (purple).
VERDICT_COLOURS = {"one centre": "#b2182b", "several centres": "#2166ac",
                   "regional communities": "#1b9e77", "no structure beyond size": "#c9a66b",
                   "undecided": "#bdbdbd", "supported": "#1b7837", "not supported": "#762a83"}
#: The division-of-labour rules' verdicts (bibnet.records).
RULE_COLOURS = {"supported": "#1b7837", "not supported": "#762a83",
                "insufficient data": "#bdbdbd"}


def verdict_strip(rows: Sequence[str], years: Sequence[int],
                  verdicts: Sequence[Sequence[str | None]],
                  colours: Mapping[str, str] = VERDICT_COLOURS) -> go.Figure:
    """Verdicts as coloured cells: one row per claim (or variant), one column per year;
    ``colours`` gives each verdict's colour and the legend."""
    names = list(colours)
    index = {name: i for i, name in enumerate(names)}
    z = [[index.get(v) if v is not None else None for v in row] for row in verdicts]
    n = len(names)
    scale = []
    for i, name in enumerate(names):
        scale += [[i / n, colours[name]], [(i + 1) / n, colours[name]]]
    figure = go.Figure(go.Heatmap(
        z=z, x=[str(y) for y in years], y=[text(r) for r in rows], zmin=-0.5, zmax=n - 0.5,
        colorscale=scale, showscale=False, xgap=2, ygap=2,
        customdata=[[text(v or "–") for v in row] for row in verdicts],
        hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>"))
    for name in names:
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                    marker={"size": 10, "symbol": "square",
                                            "color": colours[name]}))
    figure.update_layout(**_layout(
        height=90 + 34 * len(rows), xaxis={"type": "category", "showgrid": False},
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category"},
        legend={"orientation": "h", "y": -0.35 if len(rows) < 4 else -0.2},
        margin={"l": 230, "r": 20, "t": 10, "b": 40}))
    return figure


def focal_intervals(focal: pd.DataFrame, codes: Sequence[str], names: Mapping[str, str],
                    roles: Sequence[str]) -> go.Figure:
    """Tier probabilities with their 95% intervals by year: one column per focal country, one
    row per tier model (``roles``); each tier a line with its interval as a band."""
    from plotly.subplots import make_subplots

    titles = [text(f"{names[c]} ({c}): {ROLE_TITLES[role]}") for role in roles for c in codes]
    figure = make_subplots(rows=len(roles), cols=max(len(codes), 1), shared_yaxes=True,
                           shared_xaxes=True, subplot_titles=titles, vertical_spacing=0.12)
    years = sorted(focal["year"].unique().tolist())
    for row, role in enumerate(roles, start=1):
        labels = TIER_LABELS[role]
        for col, code in enumerate(codes, start=1):
            part = focal[(focal["model"] == role) & (focal["country"] == code)]
            part = part.set_index("year").reindex(years)
            for tier, column in enumerate(PROBABILITY_COLUMNS):
                colour = TIER_COLOURS[tier]
                low, high = part[f"{column}_low"].round(4), part[f"{column}_high"].round(4)
                figure.add_trace(go.Scatter(
                    x=years + years[::-1], y=high.tolist() + low.tolist()[::-1], fill="toself",
                    mode="lines",
                    fillcolor=_rgba(colour, 0.18), line={"width": 0}, hoverinfo="skip",
                    showlegend=False, legendgroup=labels[tier]), row=row, col=col)
                figure.add_trace(go.Scatter(
                    x=years, y=part[column].round(4).tolist(), mode="lines+markers",
                    name=f"P({labels[tier]})", legendgroup=labels[tier],
                    showlegend=col == 1, line={"color": colour, "width": 2},
                    marker={"size": 4, "color": colour},
                    customdata=np.stack([low, high], axis=-1),
                    hovertemplate=text(code) + " %{x}: P(" + labels[tier]
                                  + ") = %{y} [%{customdata[0]}, %{customdata[1]}]"
                                  "<extra></extra>"), row=row, col=col)
        figure.update_yaxes(range=[-0.02, 1.02], title_text="probability", row=row, col=1)
    figure.update_xaxes(tickformat="d", dtick=1 if len(years) < 12 else 5)
    figure.update_annotations(font_size=12)
    figure.update_layout(**_layout(height=300 * len(roles) + 80,
                                   legend={"orientation": "h", "y": -0.12}))
    return figure


def affinity_trend(pairs: pd.DataFrame, label: str) -> go.Figure:
    """The focal pair's affinity (observed over expected works) by year, 1 = as chance
    predicts; works on the second axis."""
    figure = go.Figure()
    figure.add_trace(go.Bar(x=pairs["year"], y=pairs["works"], name="works co-authored",
                            marker_color="rgba(120,120,120,0.35)", yaxis="y2",
                            hovertemplate="%{x}: %{y:,} works<extra></extra>"))
    figure.add_trace(go.Scatter(x=pairs["year"], y=pairs["affinity"].round(4),
                                mode="lines+markers", name=text(f"{label} affinity"),
                                line={"color": "#2166ac", "width": 2},
                                hovertemplate="%{x}: affinity %{y}<extra></extra>"))
    figure.add_hline(y=1, line={"dash": "dot", "color": "#666"})
    figure.update_layout(**_layout(
        height=380, xaxis={"title": {"text": "year"}, "tickformat": "d"},
        yaxis={"title": {"text": "affinity (observed / expected works)"}, "rangemode": "tozero"},
        yaxis2={"title": {"text": "works"}, "overlaying": "y", "side": "right",
                "showgrid": False, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.25}, margin={"l": 60, "r": 60, "t": 20, "b": 50}))
    return figure
