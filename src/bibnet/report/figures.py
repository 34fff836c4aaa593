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
from bibnet.report.charts import NARROWEST, finish, year_axis
from bibnet.report.formats import interval
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



#: Colours of the centres' spheres, in the order the centres first appear (largest first):
#: qualitative, legible for the common colour-vision deficiencies (Okabe–Ito, then Tol).
CENTRE_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#882255",
                  "#999933", "#44aa99", "#332288", "#aa4499", "#117733")
#: A country in no sphere.
NO_SPHERE = "#d9d9d9"


def centre_colours(centres: Sequence[str]) -> dict[str, str]:
    """Each centre's colour, by its place in ``centres`` (every centre of every year, in the
    order they first appear), so a centre keeps its colour on every figure of a page.

    >>> centre_colours(["US", "GB"])
    {'US': '#0072b2', 'GB': '#d55e00'}
    """
    return {c: CENTRE_COLOURS[i % len(CENTRE_COLOURS)] for i, c in enumerate(centres)}


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


#: Verdict colours: the centres answer (one centre red, several blue, none sand), the regions
#: answer (communities green, none sand), undecided grey; Hwang's claim supported (green) or
#: not (purple).
VERDICT_COLOURS = {"one centre": "#b2182b", "several centres": "#2166ac",
                   "no centre beyond size": "#c9a66b", "regional communities": "#1b9e77",
                   "no regional structure beyond size": "#e0cf9f", "undecided": "#bdbdbd",
                   "supported": "#1b7837", "not supported": "#762a83"}
#: The division-of-labour rules' verdicts (bibnet.records).
RULE_COLOURS = {"supported": "#1b7837", "not supported": "#762a83",
                "insufficient data": "#bdbdbd"}


def verdict_strip(rows: Sequence[str], years: Sequence[int],
                  verdicts: Sequence[Sequence[str | None]],
                  colours: Mapping[str, str]) -> go.Figure:
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


def sphere_series(tables: pd.DataFrame, colours: Mapping[str, str]) -> go.Figure:
    """Per year and centre (``sphere_tables.parquet`` of one variant): the countries that
    prefer the centre most (solid) and, of those, the members, whose preference passes its test
    (dotted; left), and the sphere's hub ratio, tie to its centre over ties within, with its
    95 % BCa interval as a band (right; above 1: tied to its centre more than within itself,
    a hub where the ratio beyond selection agrees; below: a community). Both counts are
    shown because a country's preference rests on a few pairs: where the pair noise is as large
    as the preferences, the spheres can be plain in the hub ratio while no single country's
    membership passes."""
    figure = _panels(["countries preferring each centre (solid), members (dotted)",
                      "hub ratio a(c,S) / a(S,S) with 95 % BCa interval (log scale)"], cols=2,
                     horizontal_spacing=0.1)
    years = sorted(tables["year"].unique().tolist())
    ratios = []
    for centre, colour in colours.items():
        part = tables[tables["centre"] == centre].set_index("year").reindex(years)
        if part["centre"].isna().all():
            continue
        counts = [[int(n), int(m)] if pd.notna(n) else [None, None]
                  for n, m in zip(part["size"], part["members"])]
        hover = text(centre) + ", %{x}: %{customdata[0]} prefer it most, %{customdata[1]} members"
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(part["size"]), mode="lines+markers", name=text(centre),
            legendgroup=centre, line={"color": colour, "width": 2}, marker={"size": 5},
            customdata=counts, hovertemplate=hover + "<extra></extra>"), row=1, col=1)
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(part["members"]), mode="lines+markers", name=text(centre),
            legendgroup=centre, showlegend=False, marker={"size": 3, "symbol": "circle-open"},
            line={"color": colour, "width": 2, "dash": "dot"},
            customdata=counts, hovertemplate=hover + "<extra></extra>"), row=1, col=1)
        figure.add_trace(_band(years, part["hub_low"], part["hub_high"], colour, centre),
                         row=1, col=2)
        figure.add_trace(go.Scatter(
            x=years, y=_rounded(part["hub_ratio"]), mode="lines+markers", name=text(centre),
            legendgroup=centre, showlegend=False, line={"color": colour, "width": 2},
            marker={"size": 5}, customdata=_intervals(part["hub_ratio"], part["hub_low"],
                                                      part["hub_high"]),
            hovertemplate=text(centre) + ", %{x}: %{customdata}<extra></extra>"), row=1, col=2)
        ratios += [v for v in part[["hub_ratio", "hub_low", "hub_high"]].to_numpy().ravel()
                   if pd.notna(v) and v > 0]
    figure.add_hline(y=1, line=REFERENCE_LINE, row=1, col=2)
    low, high = (min(ratios + [0.5]), max(ratios + [2.0]))
    figure.update_yaxes(title_text="countries", rangemode="tozero", row=1, col=1)
    figure.update_yaxes(**charts.log_axis(low, high, width=250), row=1, col=2)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / 2 - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 320)


#: The peer counts a side of Hwang's ranks (``focal.parquet``'s ``rank_5`` ...).
PEER_COUNTS = (5, 10, 20)


def focal_ranks(focal: pd.DataFrame, country: str, colours: Mapping[str, str]) -> go.Figure:
    """The focal country's rank among its size peers in its affinity with each centre, per
    year (1: tied to that centre beyond size more than every peer), one panel per number of
    peers a side (5, 10, 20); ``focal``: ``focal.parquet`` of one variant."""
    figure = _panels([f"among {p} peers a side" for p in PEER_COUNTS], cols=3)
    years = sorted(focal["year"].unique().tolist())
    most = 1
    for col, peers in enumerate(PEER_COUNTS, start=1):
        for centre, colour in colours.items():
            part = focal[focal["centre"] == centre].set_index("year").reindex(years)
            if part["centre"].isna().all():
                continue
            most = max(most, int(part[f"of_{peers}"].max()))
            figure.add_trace(go.Scatter(
                x=years, y=_rounded(part[f"rank_{peers}"]), mode="lines+markers",
                name=text(centre), legendgroup=centre, showlegend=col == 1,
                line={"color": colour, "width": 2}, marker={"size": 5},
                customdata=[[None if pd.isna(o) else int(o), "–" if pd.isna(lean) else text(lean)]
                            for o, lean in zip(part[f"of_{peers}"], part["leaning"])],
                hovertemplate=text(country) + " to " + text(centre) + ", %{x}: rank %{y} of "
                              "%{customdata[0]} (%{customdata[1]})<extra></extra>"),
                row=1, col=col)
    figure.update_yaxes(autorange=False, range=[most + 0.5, 0.5], tickmode="auto", nticks=6)
    figure.update_yaxes(title_text=f"{text(country)}'s rank (1: most tied)", row=1, col=1)
    figure.update_xaxes(**year_axis(years, width=NARROWEST / 3 - 60))
    figure.update_annotations(font_size=12)
    return finish(figure, 300)


def affinity_matrix(matrix: Sequence[Sequence[float]], labels: Sequence[str]) -> go.Figure:
    """A block model's affinities beyond size (observed over gravity-expected works between
    groups) as a heatmap on a log2 colour scale centred on 1 (red above, blue below), each
    cell's value written in it. Nothing to zoom: no toolbar."""
    values = np.asarray(matrix, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log2(np.where(values > 0, values, np.nan))
    top = max(float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0, 0.5)
    names = [text(label) for label in labels]
    cells = [[f"{v:.2f}" if np.isfinite(v) else "–" for v in row] for row in values]
    figure = go.Figure(go.Heatmap(
        z=np.round(z, 4), x=names, y=names, zmin=-top, zmax=top, colorscale="RdBu_r",
        text=cells, texttemplate="%{text}", hovertemplate="%{y} – %{x}: affinity %{text}"
                                                        "<extra></extra>",
        colorbar={"title": {"text": "affinity", "side": "right"},
                  "tickvals": [-top, 0, top],
                  "ticktext": [f"{2 ** -top:.2g}", "1", f"{2 ** top:.2g}"]}))
    # no title: the section's heading names the matrix, and a title would sit on the top
    # axis's labels
    figure.update_layout(xaxis={"type": "category", "side": "top", "showgrid": False},
                         yaxis={"type": "category", "autorange": "reversed", "showgrid": False})
    return finish(figure, min(520, 140 + 36 * len(labels)), zoom=False, legend=False)


def affinity_trend(years: Sequence[int], affinity: Sequence[float], label: str,
                   flagged: pd.DataFrame | None = None) -> go.Figure:
    """The focal pair's affinity (observed over gravity-expected works) by year, 1 = as size
    predicts; the years whose count the data-quality rule flags out of line with its
    neighbouring years marked (``flagged``: the pair's rows of ``data_quality.parquet``)."""
    years = [int(y) for y in years]
    values = _rounded(affinity)
    figure = go.Figure(go.Scatter(x=years, y=values, mode="lines+markers",
                                  name=text(f"{label} affinity"),
                                  line={"color": "#2166ac", "width": 2},
                                  hovertemplate="%{x}: affinity %{y:.3f}<extra></extra>"))
    if flagged is not None and len(flagged):
        at = dict(zip(years, values))
        marked = flagged[flagged["year"].isin(at)]
        figure.add_trace(go.Scatter(
            x=marked["year"].tolist(), y=[at[int(y)] for y in marked["year"]], mode="markers",
            name="count out of line with the neighbouring years (data-quality flag)",
            marker={"symbol": "x", "size": 12, "color": "#d62728",
                    "line": {"width": 1, "color": "#7f0000"}},
            customdata=marked[["works", "expected", "z"]].round(
                {"works": 0, "expected": 0, "z": 1}).values.tolist(),
            hovertemplate="%{x}: %{customdata[0]:,} works, %{customdata[1]:,} expected from "
                          "the neighbouring years (z = %{customdata[2]})<extra></extra>"))
    figure.add_hline(y=1, line=REFERENCE_LINE)
    height = 300
    figure.update_layout(
        xaxis={"title": {"text": "year"}, **year_axis(years)},
        yaxis={"title": charts.axis_title("affinity (observed / expected works)", height - 60),
               "rangemode": "tozero"})
    return finish(figure, height)
