"""The report's conventions as its pages carry them (``bibnet.report.charts`` and
``bibnet.report.formats``): every figure's toolbar, margins and axes; p-values; class labels that
agree with their probabilities; and the data-quality flags on the index and on the focal pair's
chart. Measured on the report of a small planted world; the drawn layout is measured in the
browser tests (``test_layout_browser.py``)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from bibnet.outputs import ASSESSED_KEY, QUALITY_COLUMNS, QUALITY_RULE_KEY
from bibnet.report import build_index
from bibnet.report.charts import MAX_TICKS, TOOLBAR_BAND
from bibnet.report.formats import LABEL_THRESHOLD
from report_examples import build_reports, make_processed


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("conventions")
    made = make_processed(root)
    return {**made, "pages": build_reports(made["processed"], root / "reports", made["made_from"])}


def embedded_figures(path: Path) -> dict[str, dict]:
    text = path.read_text(encoding="utf-8")
    return {name: json.loads(data) for name, data in re.findall(
        r'<script type="application/json" id="([^"]+)-data">(.*?)</script>', text, flags=re.S)}


def axes(layout: dict) -> dict[str, dict]:
    return {key: value for key, value in layout.items() if re.fullmatch(r"[xy]axis\d*", key)}


def test_every_figure_goes_through_the_conventions(report):
    seen = 0
    for page, path in report["pages"].items():
        for name, spec in embedded_figures(path).items():
            seen += 1
            where = f"{page}: {name}"
            config, layout = spec["config"], spec["layout"]
            assert config["displaylogo"] is False, where
            assert config["displayModeBar"] in ("hover", False), where
            if config["displayModeBar"] == "hover":
                assert layout["margin"]["t"] >= TOOLBAR_BAND, where  # a band for the toolbar
            else:
                assert all(axis.get("fixedrange") for axis in axes(layout).values()), where
            for key, axis in axes(layout).items():
                assert axis.get("automargin") is True, (where, key)
                if axis.get("type") == "log":
                    # labelled at 1-2-5 steps or decades, each label once
                    assert axis["tickmode"] == "array", (where, key)
                    assert len(set(axis["ticktext"])) == len(axis["ticktext"]), (where, key)
                ticks = axis.get("tickvals") or []
                if ticks and all(isinstance(t, int) and 1900 < t < 2100 for t in ticks):
                    # a year axis: whole years, each at most once, at most MAX_TICKS
                    assert len(ticks) <= MAX_TICKS and len(set(ticks)) == len(ticks), where
    assert seen >= 20


def test_figures_without_anything_to_zoom_have_no_toolbar(report):
    figures = embedded_figures(report["pages"]["index"])
    assert figures["fig-verdicts"]["config"]["displayModeBar"] is False
    assert figures["fig-transitions"]["config"]["displayModeBar"] is False
    assert figures["fig-structure"]["config"]["displayModeBar"] == "hover"
    assert figures["fig-cores-one-centre"]["config"]["displayModeBar"] == "hover"  # a map


def test_a_right_axis_has_ticks_of_its_own(report):
    layout = embedded_figures(report["pages"]["index"])["fig-affinity"]["layout"]
    assert layout["yaxis2"]["tickmode"] == "auto" and layout["yaxis2"]["showgrid"] is False


def test_no_p_value_is_printed_as_zero(report):
    for page, path in report["pages"].items():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bp = 0\.0+(?!\d*[1-9])", text), page
    affinity = report["pages"]["index"].read_text(encoding="utf-8")
    assert re.search(r"Kendall's τ = -?\d\.\d\d, p (&lt;|=) [01]\.\d+;", affinity)


def tier_cells(path: Path) -> list[tuple[str, dict[str, float]]]:
    """Each class cell of the tier table: its label and the probabilities in its title."""
    text = path.read_text(encoding="utf-8")
    cells = re.findall(r'<td class="tier[^"]*" data-sort="[^"]*" title="([^"]*)">'
                       r'<span class="swatch t\d"></span>([^<]*) <small>', text)
    assert cells
    return [(html.unescape(label).strip(),
             {name: float(p) for name, p in re.findall(r"P\(([^)]+)\) = ([\d.]+)",
                                                      html.unescape(title))})
            for title, label in cells]


def test_class_labels_agree_with_their_probabilities(report):
    for year in report["years"]:
        for label, probabilities in tier_cells(report["pages"][str(year)]):
            best = max(probabilities.values())
            if label.startswith("uncertain: "):
                first = label.removeprefix("uncertain: ").split(" or ")[0]
                assert probabilities[first] == best
                assert best < LABEL_THRESHOLD or sorted(probabilities.values())[-2] == best
            else:
                assert probabilities[label] == best >= LABEL_THRESHOLD, (label, probabilities)


def quality_table(rows: list[dict], assessed: int, like: Path) -> pd.DataFrame:
    """A data-quality table of ``rows``, with the metadata of the table at ``like`` (the
    configuration it was made from, the rule's thresholds) but ``assessed``."""
    table = pd.DataFrame(rows, columns=list(QUALITY_COLUMNS)).astype(QUALITY_COLUMNS)
    table.attrs = {**pd.read_parquet(like).attrs, ASSESSED_KEY: assessed}
    return table


def test_flagged_pair_years_show_on_the_index_and_the_focal_pairs_chart(report, tmp_path):
    processed = report["processed"]
    flags = quality_table([
        {"year": 2002, "country_a": "GB", "country_b": "KR", "works": 900, "works_before": 400,
         "works_after": 420, "expected": 410.0, "ratio": 2.19, "z": 8.2, "spread": 0.05,
         "direction": "spike"},
        {"year": 2002, "country_a": "FR", "country_b": "US", "works": 50, "works_before": 400,
         "works_after": 380, "expected": 390.0, "ratio": 0.13, "z": -9.1, "spread": 0.05,
         "direction": "dip"}], assessed=1234, like=processed / "data_quality.parquet")
    assert flags.attrs[QUALITY_RULE_KEY] == {"max_z": 6.0, "min_ratio": 1.25}
    flags.to_parquet(tmp_path / "data_quality.parquet", index=False)
    text = build_index(report["years"], processed / "provenance.json", tmp_path / "index.html",
                       made_from=report["made_from"]["report_index"],
                       verdicts_path=processed / "verdicts.json",
                       focal_path=processed / "focal.parquet",
                       data_quality_path=tmp_path / "data_quality.parquet")
    section = text[text.index('<section id="data-quality">'):]
    section = section[:section.index("</section>")]
    assert "2 of 1,234 pair-years assessed are flagged" in section
    assert "more than 6 spreads away, at least 1.25 times above or below" in section
    assert section.count("<tr><td data-sort=") == 2
    assert '<span title="United Kingdom">GB</span>–<span title="Korea, Republic of">KR</span>' \
        in section
    assert "spike" in section and "dip" in section and "2.19" in section
    assert "a red cross marks a year whose count is out of line" in text
    assert "neighbouring years (see <a href=\"#data-quality\">data quality</a>): 2002." in text
    affinity = embedded_figures(tmp_path / "index.html")["fig-affinity"]
    marks = [trace for trace in affinity["data"] if "data-quality flag" in trace.get("name", "")]
    assert len(marks) == 1 and marks[0]["x"] == [2002] and marks[0]["yaxis"] == "y2"


def test_the_index_says_when_nothing_is_flagged(report):
    text = report["pages"]["index"].read_text(encoding="utf-8")
    flags = pd.read_parquet(report["processed"] / "data_quality.parquet")
    section = text[text.index('<section id="data-quality">'):]
    section = section[:section.index("</section>")]
    assert f"{len(flags):,} of " in section
    assert "for this pair" in text or "marks a year" in text
