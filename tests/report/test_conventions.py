"""The report's conventions as its pages carry them (``bibnet.report.charts`` and
``bibnet.report.formats``): every figure's toolbar, margins and axes; p-values; one meaning per
bracket; and the data-quality flags on the index and on the focal pair's chart. Measured on
the report of a small planted world; the drawn layout is measured in the browser tests
(``test_layout_browser.py``)."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from bibnet.countries import name as country_name
from bibnet.outputs import ASSESSED_KEY, QUALITY_COLUMNS, QUALITY_RULE_KEY
from bibnet.report import build_index
from bibnet.report.charts import MAX_TICKS, TOOLBAR_BAND
from bibnet.report.maps import alpha3, geometry_codes
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
    assert seen >= 12


def test_figures_without_anything_to_zoom_have_no_toolbar(report):
    figures = embedded_figures(report["pages"]["index"])
    assert figures["fig-verdicts"]["config"]["displayModeBar"] is False
    assert figures["fig-robustness"]["config"]["displayModeBar"] is False
    assert figures["fig-sphere-series"]["config"]["displayModeBar"] == "hover"
    assert figures["fig-spheres-map"]["config"]["displayModeBar"] == "hover"  # a map
    year = embedded_figures(report["pages"]["2002"])
    assert year["fig-bloc-affinity"]["config"]["displayModeBar"] is False


def test_the_map_colours_each_country_by_its_sphere(report):
    processed = report["processed"]
    spheres = pd.read_parquet(processed / "spheres.parquet")
    verdicts = json.loads((processed / "verdicts.json").read_text(encoding="utf-8"))
    world = embedded_figures(report["pages"]["index"])["fig-spheres-map"]
    years = report["years"]
    assert [step["label"] for step in world["layout"]["sliders"][0]["steps"]] == \
        [str(y) for y in years]
    last = world["data"][2 * (len(years) - 1)]  # the last year's countries, shown first
    assert last["visible"] is True
    notes = {html.unescape(row[0]): row[1] for row in last["customdata"]}
    rows = spheres[(spheres["year"] == years[-1]) & spheres["member"]]
    assert len(rows) > 0
    drawn = {code for code in spheres["country"] if alpha3(code) in geometry_codes()}
    for country, sphere in zip(rows["country"], rows["sphere"]):
        if country in drawn:
            assert notes[country_name(country)] == f"member of the sphere of {sphere}", country
    for centre in verdicts["years"][str(years[-1])]["centres"]["all"]["centres"]:
        assert notes[country_name(centre)] == "centre"


def test_the_sphere_series_counts_who_prefers_each_centre_and_who_passes(report):
    """Left panel: per centre, the countries preferring it most (solid) and the members
    (dotted), both as the sphere tables give them."""
    tables = pd.read_parquet(report["processed"] / "sphere_tables.parquet")
    tables = tables[tables["variant"] == "all"]
    series = embedded_figures(report["pages"]["index"])["fig-sphere-series"]
    left = [trace for trace in series["data"] if trace.get("xaxis", "x") == "x"]
    assert left
    for centre, rows in tables.groupby("centre"):
        rows = rows.sort_values("year")
        drawn = [t for t in left if html.unescape(t["name"]) == centre]
        solid = [t for t in drawn if t["line"].get("dash") is None]
        dotted = [t for t in drawn if t["line"].get("dash") == "dot"]
        assert len(solid) == len(dotted) == 1, centre
        # years without this centre among the centres are gaps (None)
        assert [v for v in solid[0]["y"] if v is not None] == rows["size"].tolist(), centre
        assert [v for v in dotted[0]["y"] if v is not None] == rows["members"].tolist(), centre


def test_one_meaning_per_bracket(report):
    """Every page that shows an interval says what its brackets are: a 95 % BCa interval."""
    for page, path in report["pages"].items():
        text = path.read_text(encoding="utf-8")
        if re.search(r"\d \[\d", text):
            assert "[low, high] is always a 95 % BCa interval" in text, page


def test_sentences_are_spaced_apart(report):
    """A template line that ends in a block tag loses its newline (``trim_blocks``): a sentence
    that ends there must carry its own space, or the next one is glued to it ("years.The")."""
    for page, path in report["pages"].items():
        text = re.sub(r"<script.*?</script>", "", path.read_text(encoding="utf-8"), flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        glued = [text[max(0, m.start() - 30):m.end() + 10]
                 for m in re.finditer(r"[a-z)\]]\.[A-Z][A-Za-z]", text)]
        assert not glued, (page, glued)


def test_no_p_value_is_printed_as_zero(report):
    for page, path in report["pages"].items():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bp = 0\.0+(?!\d*[1-9])", text), page
    affinity = report["pages"]["index"].read_text(encoding="utf-8")
    assert re.search(r"Kendall's τ = -?\d\.\d\d, p (&lt;|=) [01]\.\d+;", affinity)
    assert "0.0000" not in affinity


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
                       classes_path=processed / "classes.parquet",
                       data_quality_path=tmp_path / "data_quality.parquet")
    section = text[text.index('<section id="data-quality">'):]
    section = section[:section.index("</section>")]
    assert "2 of 1,234 pair-years assessed are flagged" in section
    assert "more than 6 spreads away, at least 1.25 times above or below" in section
    assert section.count("<tr><td data-sort=") == 2
    assert '<span title="United Kingdom">GB</span>–<span title="South Korea">KR</span>' \
        in section
    assert "spike" in section and "dip" in section and "2.19" in section
    assert "a red cross marks a year whose count is out of line" in text
    assert "neighbouring years (see <a href=\"#data-quality\">data quality</a>): 2002." in text
    affinity = embedded_figures(tmp_path / "index.html")["fig-affinity"]
    marks = [trace for trace in affinity["data"] if "data-quality flag" in trace.get("name", "")]
    assert len(marks) == 1 and marks[0]["x"] == [2002]
    assert marks[0]["customdata"][0][0] == 900


def test_the_index_says_when_nothing_is_flagged(report):
    text = report["pages"]["index"].read_text(encoding="utf-8")
    flags = pd.read_parquet(report["processed"] / "data_quality.parquet")
    section = text[text.index('<section id="data-quality">'):]
    section = section[:section.index("</section>")]
    assert f"{len(flags):,} of " in section
    assert "for this pair" in text or "marks a year" in text


def test_the_pages_are_the_same_bytes_whatever_the_hash_seed(report, tmp_path):
    """Each rule runs in a process of its own on a cluster (a Slurm job), with its own hash
    seed: anything that iterates a set of strings into a page would differ between runs."""
    lineage = tmp_path / "made_from.json"
    lineage.write_text(json.dumps(report["made_from"]), encoding="utf-8")
    script = ("import json, sys; from pathlib import Path; "
              "from report_examples import build_reports; "
              "build_reports(Path(sys.argv[1]), Path(sys.argv[2]), "
              "json.loads(Path(sys.argv[3]).read_text()))")
    made = {}
    for seed in ("0", "1"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]),
                                              os.environ.get("PYTHONPATH", "")])}
        subprocess.run([sys.executable, "-c", script, str(report["processed"]), str(out),
                        str(lineage)], env=env, check=True, capture_output=True)
        made[seed] = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*")
                      if p.is_file()}
    assert made["0"].keys() == made["1"].keys() and any(k.endswith(".html") for k in made["0"])
    assert [name for name in made["0"] if made["0"][name] != made["1"][name]] == []
