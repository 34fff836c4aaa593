"""Plotly figures of the reports, each a pure function of processed tables.

Every figure goes through the chart conventions of :mod:`bibnet.report.charts` (toolbar,
margins, axes, legends, labels) and writes numbers by :mod:`bibnet.report.formats`. Text that
comes from the data (country names) goes into figures HTML-escaped: plotly renders entities
such as ``&lt;`` as the character and never turns text into markup. Figures carry no random or
time-dependent part, so the same tables give the same figure JSON.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from bibnet.report import charts
from bibnet.report.charts import NARROWEST, finish, wrap, year_axis
from bibnet.report.formats import interval
from bibnet.report.inputs import (
    PROBABILITY_COLUMNS,
    READINGS,
    ROLE_SHORT,
    TIER_LABELS,
    TIER_NAMES,
)

#: Tier colours (core, semi-periphery, periphery): ordinal red to blue, legible for the
#: common colour-vision deficiencies.
TIER_COLOURS = ("#b2182b", "#f4a261", "#4393c3")
#: A reference line (1: as chance or Poisson predicts).
REFERENCE_LINE = {"dash": "dot", "color": "#666"}


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


def _rgba(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def block_image(matrix: np.ndarray, codes: Sequence[str], blocks: Sequence[int]) -> go.Figure:
    """Counts between countries ordered by block then strength, on a log colour scale, with the
    block boundaries drawn (red); ``codes`` and ``blocks`` already in display order."""
    n = len(codes)
    with np.errstate(divide="ignore"):
        z = np.where(matrix > 0, np.log10(np.where(matrix > 0, matrix, 1)), np.nan)
    top = max(int(np.ceil(np.nanmax(z))) if np.isfinite(z).any() else 1, 1)
    labels = [text(code) for code in codes]
    figure = go.Figure(go.Heatmap(
        z=np.round(z, 4), x=labels, y=labels, customdata=matrix.astype(np.int64),
        colorscale="Viridis", zmin=0, zmax=top, hoverongaps=False,
        hovertemplate="%{y} – %{x}: %{customdata} works<extra></extra>",
        colorbar={"title": {"text": "works", "side": "right"},
                  "tickvals": list(range(top + 1)),
                  "ticktext": [f"{10 ** t:,}" for t in range(top + 1)]}))
    blocks = np.asarray(blocks)
    shapes = []
    for cut in (i for i in range(1, n) if blocks[i] != blocks[i - 1]):
        style = {"color": "#d62728", "width": 1.5}
        shapes += [{"type": "line", "line": style, "xref": "x", "yref": "y", "x0": cut - 0.5,
                    "x1": cut - 0.5, "y0": -0.5, "y1": n - 0.5},
                   {"type": "line", "line": style, "xref": "x", "yref": "y", "y0": cut - 0.5,
                    "y1": cut - 0.5, "x0": -0.5, "x1": n - 0.5}]
    # Country codes as tick labels, thinned by plotly where rows are narrower than the text;
    # the labels of the top axis (turned) stand off the corner the two axes share.
    ticks = {"tickfont": {"size": 9}, "type": "category", "showgrid": False,
             "constrain": "domain"}
    figure.update_layout(
        shapes=shapes,
        xaxis={**ticks, "side": "top", "tickangle": -90, "ticklabelstandoff": 4},
        yaxis={**ticks, "autorange": "reversed", "scaleanchor": "x", "ticklabelstandoff": 4})
    # the top axis's turned labels (two letters) sit in the top margin, under the toolbar band
    return finish(figure, min(860, 220 + 6 * n), legend=False, margin={"t": 28})


def _ring_positions(order: Sequence[int], radius: float, offset: float) -> dict[int, tuple]:
    count = max(len(order), 1)
    angles = offset + 2 * np.pi * np.arange(len(order)) / count
    return {node: (radius * np.cos(a), radius * np.sin(a)) for node, a in zip(order, angles)}


#: Height (px) of the ring plot's plot area and the half-width of its square data range: the
#: outer ring (radius 3) with room for its largest markers.
RING_HEIGHT = 640
RING_RANGE = 3.4


def network(matrix: np.ndarray, codes: Sequence[str], names: Sequence[str],
            tiers: Sequence[int], continents: Sequence[str],
            tier_labels: Sequence[str] = TIER_NAMES, links_per_country: int = 2,
            certain: Sequence[bool] | None = None, notes: Sequence[str] | None = None
            ) -> go.Figure:
    """Countries on concentric rings by tier (core inside), coloured by tier (named by
    ``tier_labels``) and sized by strength; within a ring ordered by continent then strength.
    Edges: each country's ``links_per_country`` strongest links (the backbone), drawn thicker
    for more works.

    ``certain`` (default: all) marks countries whose tier is uncertain (drawn hollow);
    ``notes`` adds a line to each country's hover text. Codes are written on the markers of
    the strongest countries where they overlap no stronger country's code; every country's
    name shows on hover."""
    n = len(codes)
    strength = matrix.sum(axis=1)
    tiers = np.asarray(tiers)
    certain = np.ones(n, dtype=bool) if certain is None else np.asarray(certain, dtype=bool)
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
    scale = RING_HEIGHT / (2 * RING_RANGE)  # px per data unit (the plot is square)
    xy = np.array([positions[i] for i in range(n)]) if n else np.zeros((0, 2))
    written = charts.spread_labels(xy[:, 0] * scale, xy[:, 1] * scale,
                                   [text(c) if size[i] > 12 else "" for i, c in enumerate(codes)],
                                   strength, size=9)
    notes = list(notes) if notes is not None else [""] * n
    hollow = "hollow: tier uncertain"
    for tier in range(3):
        colour = TIER_COLOURS[tier]
        named = False  # the tier's legend entry: its certain members, else its uncertain ones
        for sure in (True, False):
            members = [i for i in range(n) if tiers[i] == tier and certain[i] == sure]
            if not members:
                continue
            figure.add_trace(go.Scatter(
                x=[round(positions[i][0], 5) for i in members],
                y=[round(positions[i][1], 5) for i in members],
                mode="markers+text", name=tier_labels[tier], legendgroup=tier_labels[tier],
                showlegend=not named,
                text=[text(codes[i]) if written[i] else "" for i in members],
                textposition="middle center", textfont={"size": 9, "color": "#111"},
                marker={"size": np.round(size[members], 2), "color": colour if sure else "#fff",
                        "line": {"width": 0.5, "color": "#333"} if sure
                        else {"width": 2, "color": colour}},
                customdata=[[text(names[i]), int(strength[i]), text(notes[i])] for i in members],
                hovertemplate="%{customdata[0]}<br>" + tier_labels[tier]
                              + "%{customdata[2]}<br>strength %{customdata[1]:,}"
                                "<extra></extra>"))
            named = True
    if not certain.all():
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=hollow,
                                    legendrank=1001, marker={"size": 10, "color": "#fff",
                                                             "line": {"width": 2, "color": "#666"}}))
    axis = {"visible": False, "range": [-RING_RANGE, RING_RANGE]}
    figure.update_layout(xaxis=axis, yaxis={**axis, "scaleanchor": "x"})
    return finish(figure, RING_HEIGHT)


def rich_club(table: pd.DataFrame) -> go.Figure:
    """Weighted rich-club ratio rho of the clubs of the k strongest countries."""
    figure = go.Figure(go.Scatter(
        x=table["club_size"], y=table["rho"].round(5), mode="lines+markers",
        customdata=[text(c) for c in table["country"]], marker={"size": 4},
        showlegend=False,
        hovertemplate="club of the %{x} strongest (down to %{customdata}): "
                      "ρ = %{y:.3f}<extra></extra>"))
    figure.add_hline(y=1, line=REFERENCE_LINE)
    sizes = table["club_size"]
    figure.update_layout(
        xaxis={"title": {"text": "club size k (strongest countries; log scale)"},
               **charts.log_axis(max(sizes.min(), 1), max(sizes.max(), 2))},
        yaxis={"title": {"text": "ρ = φ / φ null"}})
    return finish(figure, 330)


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
    figure.update_layout(xaxis={"title": {"text": "year"}, **year_axis(years)},
                         yaxis={"title": {"text": "countries"}, "rangemode": "tozero"})
    return finish(figure, 330)


def _probability_grid(roles: Sequence[str], codes: Sequence[str], names: Mapping[str, str]):
    """Panels of tier probabilities: one column per focal country (titled by it), one row per
    tier model (its name on the probability axis)."""
    from plotly.subplots import make_subplots

    columns = max(len(codes), 1)
    titles = charts.subplot_titles([text(f"{names[c]} ({c})") for c in codes], columns)
    figure = make_subplots(rows=len(roles), cols=columns, shared_yaxes=True,
                           shared_xaxes=True, subplot_titles=titles, vertical_spacing=0.08,
                           horizontal_spacing=0.08)
    for row, role in enumerate(roles, start=1):
        figure.update_yaxes(range=[-0.02, 1.02], row=row, col=1, title_text=wrap(
            f"{ROLE_SHORT[role]}: probability", 230))
    return figure


def _finish_grid(figure: go.Figure, years: Sequence[int], rows: int, columns: int) -> go.Figure:
    figure.update_xaxes(**year_axis(years, width=NARROWEST / max(columns, 1) - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 260 * rows)


def focal(tiers: Mapping[str, pd.DataFrame], codes: Sequence[str],
          names: Mapping[str, str]) -> go.Figure:
    """The probability of each tier by year of each focal country (columns), stacked, under
    each tier model given (rows: classes of volume, tiers beyond size)."""
    roles = list(tiers)
    figure = _probability_grid(roles, codes, names)
    years = sorted(tiers[roles[0]]["year"].unique().tolist())
    for row, role in enumerate(roles, start=1):
        labels = TIER_LABELS[role]
        for col, code in enumerate(codes, start=1):
            part = tiers[role]
            rows = part[part["country"] == code].set_index("year").reindex(years)
            for tier, column in enumerate(PROBABILITY_COLUMNS):
                figure.add_trace(go.Scatter(
                    x=years, y=rows[column].round(4).tolist(), stackgroup=f"s{row}{col}",
                    name=f"P({labels[tier]})", legendgroup=labels[tier], showlegend=col == 1,
                    line={"color": TIER_COLOURS[tier], "width": 0.5},
                    fillcolor=_rgba(TIER_COLOURS[tier], 0.75),
                    customdata=rows["model"].fillna("").map(text).tolist(),
                    hovertemplate=text(code) + " %{x}: P(" + labels[tier]
                                  + ") = %{y:.2f} under %{customdata}<extra></extra>"),
                    row=row, col=col)
    return _finish_grid(figure, years, len(roles), len(codes))


def transitions(tiers: pd.DataFrame, role: str) -> go.Figure:
    """Sankey of the tiers of the tier model ``role`` across consecutive years: how many
    countries moved between tiers (coloured by tier, unlabelled). Nothing to zoom: no
    toolbar."""
    tier_labels = TIER_LABELS[role]
    years = sorted(tiers["year"].unique().tolist())
    node_index, colours, xs, ys, custom = {}, [], [], [], []
    span = max(len(years) - 1, 1)
    for y_index, year in enumerate(years):
        present = tiers[tiers["year"] == year].groupby("tier").size()
        for tier in range(3):
            if tier not in present.index:
                continue
            node_index[year, tier] = len(colours)
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
        # tiers are named in the section's colour key: a label beside a node crosses the
        # next year's nodes where years are many
        node={"label": [""] * len(colours), "color": colours, "x": xs, "y": ys, "pad": 8, "thickness": 12,
              "customdata": custom, "hovertemplate": "%{customdata}<extra></extra>"},
        link={"source": sources, "target": targets, "value": values, "color": link_colours,
              "hovertemplate": "%{value} countries<extra></extra>"}))
    labelled = set(year_axis(years)["tickvals"])
    shown = [i for i, year in enumerate(years) if year in labelled]
    figure.update_layout(annotations=[
        {"x": round(i / span, 5), "y": 1, "xref": "paper", "yref": "paper",
         "yanchor": "bottom", "xanchor": {0: "left", span: "right"}.get(i, "center"),
         "yshift": 10, "text": str(years[i]), "showarrow": False, "font": {"size": 11}}
        for i in shown])
    # the year labels stand 10 px above the plot, clear of the top nodes' labels
    return finish(figure, 420, zoom=False, legend=False, margin={"l": 20, "r": 20, "t": 20})


#: Colours of the readings of structure beyond size, and of the share S they are read from.
READING_COLOURS = {"S": "#333333", "S0": "#999999", "one centre": "#b2182b",
                   "several centres": "#2166ac", "regional communities": "#1b9e77"}
MEASURE_NAMES = {"S": "S: share beyond size", "S0": "S₀: size plus noise"}


def _band(x: Sequence, low: Sequence, high: Sequence, colour: str, group: str) -> go.Scatter:
    """An interval as a filled band (no hover, no legend of its own)."""
    x = list(x)
    return go.Scatter(x=x + x[::-1], y=_rounded(high) + _rounded(low)[::-1], fill="toself",
                      mode="lines", fillcolor=_rgba(colour, 0.15), line={"width": 0},
                      hoverinfo="skip", showlegend=False, legendgroup=group)


def _rounded(values) -> list:
    """Numbers rounded to 4 digits for the figure JSON, missing ones as None (a gap)."""
    return [None if pd.isna(v) else round(float(v), 4) for v in values]


def _intervals(values, lows, highs) -> list[str]:
    """Each value with its interval as hover text, rounded to what the interval supports."""
    return [text(interval({"value": None if pd.isna(v) else float(v),
                           "low": None if pd.isna(lo) else float(lo),
                           "high": None if pd.isna(hi) else float(hi)}))
            for v, lo, hi in zip(values, lows, highs)]


def _panels(titles: Sequence[str], rows: int = 1, cols: int = 1, **options) -> go.Figure:
    """A grid of panels with titles wrapped to their width at the narrowest page."""
    from plotly.subplots import make_subplots

    spacing = options.pop("horizontal_spacing", 0.08)
    return make_subplots(rows=rows, cols=cols, horizontal_spacing=spacing,
                         subplot_titles=charts.subplot_titles([text(t) for t in titles], cols,
                                                              spacing=spacing), **options)


def structure_series(series: pd.DataFrame, variants: Sequence[tuple[str, str]]) -> go.Figure:
    """Per year, the share S of the degree-only null's deviance explained and each reading's
    retention R̄, each with its bootstrap interval as a band: one panel per variant
    (``variants``: ``(name, title)``), from :func:`bibnet.report.inputs.structure_series`."""
    figure = _panels([title for _, title in variants], rows=len(variants), shared_xaxes=True,
                     vertical_spacing=0.1)
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
                customdata=_intervals(part["value"], part["low"], part["high"]),
                hovertemplate=f"{name}, %{{x}}: %{{customdata}}<extra></extra>"),
                row=row, col=1)
        figure.update_yaxes(title_text="share / retention", rangemode="tozero", row=row, col=1)
    figure.update_xaxes(**year_axis(years))
    figure.update_annotations(font_size=12)
    return finish(figure, 290 * len(variants))


def dispersion_series(table: pd.DataFrame, variants: Sequence[tuple[str, str]]) -> go.Figure:
    """Per year: Pearson X²/df of the degree-only null and of the richest reference fit (log
    scale), the power p of the variance function V(μ) = φ_V μ^p (1: Poisson, 2: constant-shape
    negative binomial), and the K at which the quasi-ICL levels off; one line style per
    variant."""
    figure = _panels(["Pearson X²/df (1: Poisson; log scale)",
                      "variance power p in V(μ) = φ μ^p", "K where the quasi-ICL levels off"],
                     cols=3)
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
                marker={"size": 5}, hovertemplate=text(label) + ", %{x}: %{y:.3g}<extra></extra>"),
                row=1, col=col)
    figure.add_hline(y=1, line=REFERENCE_LINE, row=1, col=1)
    for power in (1, 2):
        figure.add_hline(y=power, line=REFERENCE_LINE, row=1, col=2)
    ratios = table[["null_dispersion", "phi"]].to_numpy(dtype=float)
    ratios = ratios[np.isfinite(ratios) & (ratios > 0)]
    low, high = (ratios.min(), ratios.max()) if ratios.size else (1.0, 10.0)
    # the axis holds 1 (Poisson), the reference line
    figure.update_yaxes(**charts.log_axis(min(low, 1.0), max(high, 2.0), width=250),
                        row=1, col=1)
    figure.update_yaxes(rangemode="tozero", row=1, col=3)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / 3 - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 320)


def hwang_series(series: pd.DataFrame, first: str, second: str,
                 names: Mapping[str, str]) -> go.Figure:
    """Hwang's evidence as measures by year: the first focal country's dependence on the
    centre beyond size relative to its size peers (ρ, 0: as its peers, with the band of its
    peers' own 10th to 90th percentiles) and its own dependence (d, 1: as size predicts); the
    second's probability of the high-volume class and how well the degree-only null
    reproduces the classes (ARI)."""
    figure = _panels([f"{names[first]} ({first}): ρ, against its size peers",
                      f"{names[first]} ({first}): dependence d on the centre",
                      "classes of collaboration volume"], cols=3)
    years = series["year"].tolist()
    figure.add_trace(_band(years, series["relative_low"], series["relative_high"], "#999999",
                           "peers"), row=1, col=1)
    for col, column, name, colour in ((1, "relative", "ρ (log ratio to peers)", "#2166ac"),
                                      (2, "dependence", "d (observed/expected)", "#1b9e77")):
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(series[column]), mode="lines+markers", name=text(name),
            legendgroup=column, line={"color": colour, "width": 2}, marker={"size": 5},
            hovertemplate=text(name) + ", %{x}: %{y:.3f}<extra></extra>"), row=1, col=col)
    for column, name, colour in (
            ("p_core", f"P({second} in the high-volume class)", "#b2182b"),
            ("null_ari", "ARI of the classes with those of size alone", "#7f7f7f")):
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(series[column]), mode="lines+markers", name=text(name),
            line={"color": colour, "width": 2}, marker={"size": 5},
            hovertemplate=text(name) + ", %{x}: %{y:.2f}<extra></extra>"), row=1, col=3)
    figure.add_hline(y=0, line=REFERENCE_LINE, row=1, col=1)
    figure.add_hline(y=1, line=REFERENCE_LINE, row=1, col=2)
    figure.update_yaxes(range=[-0.02, 1.02], row=1, col=3)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / 3 - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 320)


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
            hovertemplate=f"{reading}, B = %{{x}}: R = %{{y:.3f}}<extra></extra>"))
    figure.update_layout(
        xaxis={"title": {"text": "blocks B"}, "tickmode": "linear", "dtick": 1},
        yaxis={"title": {"text": "retention R(B)"}, "range": [-0.02, 1.05]})
    return finish(figure, 300)


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
    height = 300
    figure.update_layout(
        xaxis={"title": {"text": "blocks K (log scale)"},
               **charts.log_axis(max(table["blocks"].min(), 1), max(table["blocks"].max(), 2))},
        yaxis={"title": charts.axis_title(
            "quasi-ICL (deviance / φ + penalties; lower is better)", height - 60)})
    return finish(figure, height)


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
    ``colours`` gives each verdict's colour and the legend. Nothing to zoom: no toolbar."""
    names = list(colours)
    index = {name: i for i, name in enumerate(names)}
    z = [[index.get(v) if v is not None else None for v in row] for row in verdicts]
    n = len(names)
    scale = []
    for i, name in enumerate(names):
        scale += [[i / n, colours[name]], [(i + 1) / n, colours[name]]]
    labels = [text(r) for r in rows]
    figure = go.Figure(go.Heatmap(
        z=z, x=[int(y) for y in years], y=labels, zmin=-0.5, zmax=n - 0.5,
        colorscale=scale, showscale=False, xgap=2, ygap=2,
        customdata=[[text(v or "–") for v in row] for row in verdicts],
        hovertemplate="%{y}, %{x}: %{customdata}<extra></extra>"))
    for name in names:
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                    marker={"size": 10, "symbol": "square",
                                            "color": colours[name]}))
    label_width = max([charts.text_width(label) for label in labels] + [0]) + 20
    figure.update_layout(
        xaxis={"showgrid": False, "zeroline": False,
               **year_axis(years, width=NARROWEST - label_width)},
        yaxis={"autorange": "reversed", "showgrid": False, "type": "category"})
    return finish(figure, 40 + 34 * len(rows), zoom=False)


def focal_intervals(focal: pd.DataFrame, codes: Sequence[str], names: Mapping[str, str],
                    roles: Sequence[str]) -> go.Figure:
    """Tier probabilities with their 95% intervals by year: one column per focal country, one
    row per tier model (``roles``); each tier a line with its interval as a band."""
    figure = _probability_grid(roles, codes, names)
    years = sorted(focal["year"].unique().tolist())
    for row, role in enumerate(roles, start=1):
        labels = TIER_LABELS[role]
        for col, code in enumerate(codes, start=1):
            part = focal[(focal["model"] == role) & (focal["country"] == code)]
            part = part.set_index("year").reindex(years)
            for tier, column in enumerate(PROBABILITY_COLUMNS):
                colour = TIER_COLOURS[tier]
                low, high = part[f"{column}_low"], part[f"{column}_high"]
                figure.add_trace(_band(years, low, high, colour, labels[tier]), row=row,
                                 col=col)
                figure.add_trace(go.Scatter(
                    x=years, y=part[column].round(4).tolist(), mode="lines+markers",
                    name=f"P({labels[tier]})", legendgroup=labels[tier],
                    showlegend=col == 1, line={"color": colour, "width": 2},
                    marker={"size": 4, "color": colour},
                    customdata=_intervals(part[column], low, high),
                    hovertemplate=text(code) + " %{x}: P(" + labels[tier]
                                  + ") = %{customdata}<extra></extra>"), row=row, col=col)
    return _finish_grid(figure, years, len(roles), len(codes))


def affinity_trend(pairs: pd.DataFrame, label: str,
                   flagged: pd.DataFrame | None = None) -> go.Figure:
    """The focal pair's affinity (observed over expected works) by year, 1 = as chance
    predicts; works on the second axis, with the years whose count is out of line with its
    neighbouring years marked (``flagged``: the pair's rows of ``data_quality.parquet``)."""
    figure = go.Figure()
    figure.add_trace(go.Bar(x=pairs["year"], y=pairs["works"], name="works co-authored",
                            marker_color="rgba(120,120,120,0.35)", yaxis="y2",
                            hovertemplate="%{x}: %{y:,} works<extra></extra>"))
    figure.add_trace(go.Scatter(x=pairs["year"], y=pairs["affinity"].round(4),
                                mode="lines+markers", name=text(f"{label} affinity"),
                                line={"color": "#2166ac", "width": 2},
                                hovertemplate="%{x}: affinity %{y:.3f}<extra></extra>"))
    if flagged is not None and len(flagged):
        figure.add_trace(go.Scatter(
            x=flagged["year"].tolist(), y=flagged["works"].tolist(), yaxis="y2", mode="markers",
            name="works out of line with the neighbouring years (data-quality flag)",
            marker={"symbol": "x", "size": 12, "color": "#d62728",
                    "line": {"width": 1, "color": "#7f0000"}},
            customdata=flagged[["expected", "z"]].round({"expected": 0, "z": 1}).values.tolist(),
            hovertemplate="%{x}: %{y:,} works, %{customdata[0]:,} expected from the "
                          "neighbouring years (z = %{customdata[1]})<extra></extra>"))
    figure.add_hline(y=1, line=REFERENCE_LINE)
    height = 320
    figure.update_layout(
        xaxis={"title": {"text": "year"}, **year_axis(pairs["year"])},
        yaxis={"title": charts.axis_title("affinity (observed / expected works)", height - 60),
               "rangemode": "tozero"},
        yaxis2=charts.second_axis("works", height - 60))
    return finish(figure, height)
