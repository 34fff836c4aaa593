"""Chart conventions that every report figure goes through (:mod:`bibnet.report.figures`).

The pages are laid out for windows from 1024 px wide: a figure is then :data:`NARROWEST` px
wide, and at most :data:`WIDEST` (the page's column). Text sizes here are estimates of the
figures' font (:data:`FONT`) made on the generous side, so that what fits by estimate fits on
screen; the browser tests measure the drawn pages (``tests/report``).

- **Toolbar**: plotly's toolbar shows on hover only, in a band kept free at the top of the
  figure; a figure with nothing to zoom (every axis ``fixedrange``, no map) has none
  (:func:`plot_config`, :func:`finish`).
- **Margins** grow to fit tick labels and axis titles (``automargin``); long axis titles and
  subplot titles are wrapped to the space they have at the narrowest width (:func:`wrap`).
- **Axes**: years are whole years, one tick a year on short ranges and at most
  :data:`MAX_TICKS` labels on long ones (:func:`year_axis`); log axes label 1-2-5 steps or
  decades and nothing in between (:func:`log_axis`).
- **Legends** sit below the plot in a band of their own, sized for the narrowest width.
- **Labels** of a heatmap's cells are written in the cells; long year strips and sliders label
  only the years that fit (:func:`slider_labels`).

A new figure sets its traces and axes with these helpers and ends in :func:`finish`; the page
embeds it with its config (:func:`plot_config`, by ``sections.embed``).

Examples
--------
>>> figure = go.Figure(go.Scatter(x=[2019, 2020, 2021], y=[1, 3, 2], name="works"))
>>> figure = finish(figure.update_layout(xaxis=year_axis([2019, 2020, 2021])), 300)
>>> figure.layout.xaxis.tickvals, figure.layout.margin.t >= TOOLBAR_BAND
((2019, 2020, 2021), True)
>>> plot_config(figure)["displayModeBar"]
'hover'
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import plotly.graph_objects as go

FONT_SIZE = 12
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        "size": FONT_SIZE}
#: Width of a figure in the narrowest window laid out for (1024 px less the page's padding
#: and a scroll bar) and in a wide one (the page's column).
NARROWEST = 960
WIDEST = 1160
#: Average width of a character and height of a line of the figures' font, in ems (on the
#: generous side: wider than system-ui's digits and lower-case letters).
CHAR_EM = 0.62
LINE_EM = 1.35
#: Height kept free at the top of a figure for plotly's toolbar (it draws 2 px from the top,
#: its buttons 22 px high with 3 px padding).
TOOLBAR_BAND = 32
#: At most this many labels on a year axis.
MAX_TICKS = 12
#: Space a year label needs on a horizontal axis (four digits and a gap), in ems.
YEAR_LABEL_EM = 4.2
#: Base margins (px) around the plot; automargin grows them to fit ticks and titles.
MARGIN = {"l": 10, "r": 10, "t": 10, "b": 10}
#: Height (px) of the x axis's tick labels and of one line of an axis title below them.
TICKS_HEIGHT = 26
TITLE_LINE = 22


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width in px of one line of ``text`` (markup left out)."""
    plain = re.sub(r"<[^>]+>", "", str(text))
    plain = re.sub(r"&[a-z]+;|&#\d+;", "x", plain)
    return len(plain) * CHAR_EM * size


def line_count(text: str) -> int:
    """Lines of a figure text (plotly breaks lines at ``<br>``)."""
    return str(text).count("<br>") + 1 if text else 0


def wrap(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text`` broken at spaces into lines (``<br>``) no wider than ``width`` px by estimate;
    a word longer than a line stays whole.

    >>> wrap("classes of collaboration volume", 120)
    'classes of<br>collaboration<br>volume'
    >>> wrap("short", 500)
    'short'
    """
    lines: list[str] = []
    for word in str(text).split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def tick_step(span: float, room: int, steps: Sequence[int] = (1, 2, 5, 10, 20, 25, 50, 100)
              ) -> int:
    """The smallest step of ``steps`` that puts at most ``room`` ticks on ``span`` units.

    >>> tick_step(4, 12), tick_step(33, 12), tick_step(33, 5)
    (1, 5, 10)
    """
    return next((s for s in steps if span / s + 1 <= room), steps[-1])


def year_axis(years: Sequence[int], width: float = NARROWEST) -> dict:
    """A year axis: whole years only, a label every year where they fit, else every 2, 5 or
    10 years (at most :data:`MAX_TICKS` labels, fewer where ``width`` px, the axis's length at
    the narrowest width, holds fewer). The range reaches half a year beyond the first and last
    year, or as far as half a label needs, so that no label leaves the axis for its
    neighbour's (the first year's label would cross the y axis's lowest one).

    >>> year_axis([2019, 2020, 2021])["tickvals"]
    [2019, 2020, 2021]
    >>> axis = year_axis(range(1990, 2024), width=300)
    >>> axis["tickvals"], axis["range"]
    ([1990, 2000, 2010, 2020], [1987.1, 2025.9])
    """
    years = [int(y) for y in years] or [0]
    first, last = min(years), max(years)
    label = YEAR_LABEL_EM * FONT_SIZE
    room = min(MAX_TICKS, max(2, int(width // label)))
    step = tick_step(last - first, room)
    pad = max(0.5, round(label / 2 / (width / (last - first + 1)), 1))
    # labels at the round years within the range only (a linear tick mode would label the
    # padding too: "2025" after 2023)
    start = first if step == 1 else first + (-first) % step
    ticks = list(range(start, last + 1, step))
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [str(y) for y in ticks],
            "range": [first - pad, last + pad]}


def slider_labels(years: Sequence[int]) -> list[str]:
    """Labels of a year slider's steps: the years :func:`year_axis` would label, the others
    blank (plotly draws every step's label, overlapping on long ranges).

    >>> slider_labels([2019, 2020, 2021])
    ['2019', '2020', '2021']
    >>> [label for label in slider_labels(range(1990, 2024)) if label]
    ['1990', '1995', '2000', '2005', '2010', '2015', '2020']
    """
    shown = set(year_axis(years)["tickvals"]) if len(years) else set()
    return [str(y) if int(y) in shown else "" for y in years]


def _number_label(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:g}"


def log_axis(low: float, high: float, width: float = NARROWEST) -> dict:
    """A log axis over ``[low, high]`` (both > 0) labelled at steps that read unambiguously:
    1, 2, 5 of each decade where they fit in ``width`` px (the axis's length at the narrowest
    width), else decades only; never the small unlabelled-decade digits plotly prints by
    default (2, 5, 10, 2, 5 ...).

    >>> log_axis(1, 40)["ticktext"]
    ['1', '2', '5', '10', '20']
    >>> log_axis(1, 3000, width=200)["ticktext"]
    ['1', '10', '100', '1,000']
    >>> log_axis(3, 4)["ticktext"]
    ['3', '4']
    """
    if not (low > 0 and high > 0):
        raise ValueError(f"a log axis needs positive bounds, got {low} and {high}")
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    room = max(2, int(width // (5 * FONT_SIZE)))
    values = [m * 10.0 ** e for e in range(first, last + 1) for m in (1, 2, 5)]
    values = [v for v in values if low / 1.0001 <= v <= high * 1.0001]
    if len(values) > room:
        values = [10.0 ** e for e in range(first, last + 1) if low / 1.0001 <= 10.0 ** e
                  <= high * 1.0001]
    if len(values) < 2:
        values = [low, high]
    return {"type": "log", "tickmode": "array", "tickvals": values,
            "ticktext": [_number_label(v) for v in values]}


def axis_title(text: str, length: float) -> dict:
    """An axis title wrapped to the axis's ``length`` px (at the narrowest width)."""
    return {"text": wrap(text, length)}


def legend_height(names: Sequence[str], width: float = NARROWEST) -> float:
    """Height (px) of a horizontal legend of ``names`` packed in rows of ``width`` px."""
    rows, used = 1, 0.0
    for name in names:
        item = 46 + text_width(name)  # symbol, gaps and text
        if used and used + item > width:
            rows, used = rows + 1, 0.0
        used += item
    return rows * 21 + 8


def _axes(layout: go.Layout):
    # A layout iterates over a set of property names, in an order that changes with the
    # process's hash seed; sorted, the axes are set, and written to the page, in one order.
    return [layout[key] for key in sorted(layout) if re.fullmatch(r"[xy]axis\d*", key)]


def zoomable(figure: go.Figure) -> bool:
    """Whether a reader has something to zoom: a map, or a cartesian axis not fixed."""
    layout = figure.layout
    if any(trace.type in ("choropleth", "scattergeo") for trace in figure.data):
        return True
    cartesian = [trace for trace in figure.data if trace.type in ("scatter", "bar", "heatmap")]
    return bool(cartesian) and any(not axis.fixedrange for axis in _axes(layout))


def plot_config(figure: go.Figure) -> dict:
    """plotly's config of a figure: its toolbar on hover only where something can be zoomed,
    none otherwise; no plotly logo; resized with the page."""
    return {"displayModeBar": "hover" if zoomable(figure) else False, "displaylogo": False,
            "responsive": True}


def subplot_titles(titles: Sequence[str], columns: int, width: float = NARROWEST,
                   spacing: float = 0.08) -> list[str]:
    """Subplot titles wrapped to the width of their panel in a grid of ``columns``."""
    panel = (width - 80) * (1 - spacing * (columns - 1)) / columns
    return [wrap(title, panel - 8) for title in titles]


def finish(figure: go.Figure, height: int, *, zoom: bool = True, legend: bool = True,
           margin: dict | None = None) -> go.Figure:
    """Apply the conventions to a built figure and return it.

    Parameters
    ----------
    figure : plotly Figure
        Its axes and annotations set (subplot titles already wrapped, by :func:`subplot_titles`).
    height : int
        Figure height in px, the plot's own; the bands for the toolbar, the titles and the
        legend are added to it.
    zoom : bool
        ``False`` fixes every axis: nothing to zoom, so no toolbar and no band for it.
    legend : bool
        A horizontal legend below the plot, in a band of its own sized for the narrowest width.
    margin : dict, optional
        Base margins to use instead of :data:`MARGIN` (automargin still grows them).
    """
    layout = figure.layout
    margin = {**MARGIN, **(margin or {})}
    for axis in _axes(layout):
        axis.automargin = True
        if not zoom:
            axis.fixedrange = True
    if not zoom:
        layout.dragmode = False
    top = TOOLBAR_BAND if zoom else 0
    # Titles sit above the plot area: the figure's own title, or the top row of subplot titles.
    top_titles = [a for a in layout.annotations if a.yref == "paper" and a.yanchor == "bottom"
                  and a.y is not None and a.y >= 0.99]
    lines = max([line_count(a.text) for a in top_titles] + [line_count(layout.title.text)])
    margin["t"] += top + (lines * LINE_EM * FONT_SIZE + 6 if lines else 0)
    names = [trace.name for trace in figure.data
             if trace.type not in ("heatmap", "choropleth", "sankey")
             and trace.showlegend is not False and trace.name]
    bottom = 0.0
    if legend and names:
        # the legend in a band at the bottom, below the x axis's ticks and title
        bottom = legend_height(names)
        layout.legend.update(orientation="h", yref="container", y=0, yanchor="bottom",
                             x=0, xanchor="left")
        x_axes = [layout[key] for key in layout if re.fullmatch(r"xaxis\d*", key)
                  and layout[key].visible is not False]
        title_lines = max([line_count(axis.title.text) for axis in x_axes] + [0])
        margin["b"] += (TICKS_HEIGHT + title_lines * TITLE_LINE if x_axes else 0) + bottom
    elif not legend:
        layout.showlegend = False
    total = int(height + margin["t"] + bottom)
    if layout.title.text:
        # below the toolbar's band, at the plot's left edge
        layout.title.update(yref="container", y=1 - (top + 4) / total, yanchor="top", x=0,
                            xref="paper", xanchor="left")
    layout.update(template="plotly_white", font=FONT, margin=margin, height=total)
    return figure
