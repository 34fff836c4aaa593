"""HTML reports: pages from the processed outputs, escaped, offline, deterministic."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from bibnet import countries
from bibnet.counting import Counting
from bibnet.outputs import CONFIG_KEY, COUNTING_KEY, MadeFromMismatch
from bibnet.report import build_index, build_year_page, tables
from bibnet.report.formats import interval
from report_examples import RECORD_FILES, YEARS, build_reports, make_processed

#: The sections of the focal pair's work records, in the order of the index.
RECORD_SECTIONS = ["records-leadership", "records-counts", "records-fields", "records-impact",
                   "records-institutions", "records-verdicts", "records-counting"]
#: A display name that would run as script if it reached the page unescaped.
BAD_NAME = '<script>alert("x")</script> "Q\''
BAD_CODE = "KR"


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> dict:
    """Processed outputs of a 30-country planted world, 2001-2003 (the real code, built once)."""
    return make_processed(tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="session")
def bad_name_report(processed, tmp_path_factory) -> dict[str, Path]:
    """The report of the planted world in which Korea's display name is markup and quotes."""
    table = {**countries.names(), BAD_CODE: BAD_NAME}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(countries, "names", lambda: table)
        return build_reports(processed["processed"], tmp_path_factory.mktemp("reports"),
                             processed["made_from"])


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_page_carries_the_synthetic_banner(bad_name_report):
    for name, path in bad_name_report.items():
        text = read(path)
        assert 'id="synthetic-banner"' in text, name
        assert "<title>" in text and "[SYNTHETIC]</title>" in text, name


def test_every_page_states_its_counting_scheme(bad_name_report, processed, tmp_path):
    for name, path in bad_name_report.items():
        assert '<strong id="counting">whole (each co-authored work' in read(path), name
    provenance = json.loads(read(processed["processed"] / "provenance.json"))
    provenance["counting"] = Counting("capped", 7).record()
    (tmp_path / "provenance.json").write_text(json.dumps(provenance))
    index = build_index(YEARS, tmp_path / "provenance.json", tmp_path / "index.html",
                        made_from={})
    assert '<strong id="counting">capped (works with at most 7 countries)' in index
    counts = pd.read_parquet(processed["processed"] / "counts" / "2002.parquet")
    counts["works"] = counts["works"] / 3
    counts.attrs[COUNTING_KEY] = "fractional"
    counts.to_parquet(tmp_path / "2002.parquet", index=False)
    year_page = build_year_page(2002, YEARS, tmp_path / "2002.parquet", tmp_path / "2002.html",
                                made_from={})
    assert '<strong id="counting">fractional (each country' in year_page


def test_a_real_source_has_no_banner_and_shows_its_pajek_folder(processed, tmp_path):
    provenance = json.loads(read(processed["processed"] / "provenance.json"))
    provenance.update(source="pajek", synthetic=False, pajek_dir="/data/<nets>",
                      files=[f"WrldCo{y}.net" for y in YEARS])
    provenance.pop("synthetic_world")
    (tmp_path / "provenance.json").write_text(json.dumps(provenance))
    text = build_index(YEARS, tmp_path / "provenance.json", tmp_path / "index.html",
                       made_from={})
    assert "synthetic-banner" not in text and "SYNTHETIC" not in text
    assert "/data/&lt;nets&gt;" in text and "3 networks" in text


def test_openalex_provenance_shows_calls_and_fetch_times(processed, tmp_path):
    provenance = json.loads(read(processed["processed"] / "provenance.json"))
    provenance.update(source="openalex", synthetic=False, openalex={
        "calls": 12345, "first_fetched": "2026-01-02T03:04:05Z",
        "last_fetched": "2026-01-03T00:00:00Z", "filters": {"type": "article"}})
    (tmp_path / "provenance.json").write_text(json.dumps(provenance))
    text = build_index(YEARS, tmp_path / "provenance.json", tmp_path / "index.html",
                       made_from={})
    assert "12,345 pages" in text and "2026-01-02T03:04:05Z" in text
    assert "type: article" in text


def test_country_names_are_escaped_in_text_and_in_figure_data(bad_name_report):
    year_page = read(bad_name_report["2002"])
    assert "<script>alert" not in year_page
    # Jinja2 escapes the tier table cell ...
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#34;Q&#39;" in year_page
    index = read(bad_name_report["index"])
    # ... and figure JSON never holds a raw "<" (plotly shows entities literally).
    for page in (year_page, index):
        for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                               flags=re.S):
            assert "<" not in data and ">" not in data
            json.loads(data)
    assert "<script>alert" not in index
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in section_text(index, "hwang")
    hwang = json.loads(re.search(r'id="fig-hwang-data">(.*?)</script>', index).group(1))
    assert any("&lt;script&gt;alert(\"x\")" in a["text"]
               for a in hwang["layout"]["annotations"])


def test_pages_reference_nothing_outside_the_report(bad_name_report):
    for name, path in bad_name_report.items():
        text = read(path)
        refs = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', text)
        assert refs, name
        for ref in refs:
            assert not re.match(r"[a-z][a-z0-9+.-]*:", ref) or ref.startswith("data:"), (name, ref)
            if not ref.startswith(("#", "data:")):
                assert (path.parent / ref).exists(), (name, ref)
        assert not re.search(r"https?://", text), name


def test_assets_preload_the_world_geometry(bad_name_report):
    assets = bad_name_report["index"].parent / "assets"
    script = read(assets / "world_50m.js")
    assert "window.PlotlyGeoAssets.topojson[\"world_50m\"] = {" in script
    assert (assets / "plotly.min.js").stat().st_size > 1_000_000
    assert "world_50m.js" in read(bad_name_report["index"])


def test_year_page_sections_and_tables(bad_name_report, processed):
    text = read(bad_name_report["2002"])
    assert re.findall(r'<section id="([^"]+)">', text) == [
        "effects", "retention", "reference", "tier-table", "block-image", "block-rates",
        "network", "variants", "statistics"]
    record = json.loads(read(processed["processed"] / "blockmodels" / "2002.json"))
    variant = record["variants"]["all"]
    tiers = section_text(text, "tier-table")
    assert tiers.count("<tr><td>") == len(variant["codes"])
    # both tier models, the classes of volume named as such, never as core or periphery
    assert ('<th class="detail">P(high volume)</th><th class="detail">P(middle volume)</th>'
            '<th class="detail">P(low volume)</th>') in tiers
    assert ('<th class="detail">P(core)</th><th class="detail">P(semi-periphery)</th>'
            '<th class="detail">P(periphery)</th>') in tiers
    assert ">volume class</th>" in tiers and ">tier beyond size</th>" in tiers
    csv = read(bad_name_report["index"].parent / "tables" / "tiers_2002.csv").splitlines()
    assert csv[0] == "country,name,role,model,tier,tier_name,p_core,p_semi,p_periphery"
    assert len(csv) == 2 * len(variant["codes"]) + 1
    assert {line.split(",")[-4] for line in csv[1:] if ",size_classes," in line} <= {
        "high volume", "middle volume", "low volume"}
    # the window variant beside the year's graph
    variants = section_text(text, "variants")
    assert "years summed over a window: 2001, 2002, 2003" in variants
    assert f"{record['variants']['window']['share']:.3f}" in variants
    # Navigation: previous and next year, index one folder up.
    assert 'href="2001.html"' in text and 'href="2003.html"' in text
    assert 'href="../index.html"' in text


def best_fit(variant: dict) -> dict:
    """The fit behind the highest retention, from the stage's record: of the readings' fits
    that count (centre fits only where their cores pass), the one of highest log-likelihood."""
    counted = [f for f in variant["fits"] if f["reading"] and f["centres"] is not False]
    return max(counted, key=lambda f: f["log_likelihood"])


def test_year_page_shows_every_fits_effect_sizes_and_centre_check(bad_name_report, processed):
    text = read(bad_name_report["2002"])
    variant = json.loads(read(processed["processed"] / "blockmodels" / "2002.json"))[
        "variants"]["all"]
    effects = section_text(text, "effects")
    rows = effects.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == len(variant["fits"])
    best = best_fit(variant)
    for fit in variant["fits"]:
        (row,) = [r for r in rows if f"<code>{fit['model']}</code>" in r]
        assert f'data-sort="{fit["share"]:.6g}">{fit["share"]:.3f}</td>' in row
        assert f'data-sort="{fit["retention"]:.6g}">{fit["retention"]:.3f}</td>' in row
        assert ("✔" in row) == (fit is best)
        if fit["centres"] is None:
            assert "passes" not in row and "fails" not in row
        elif fit["centres"]:
            assert '<span class="check pass">passes</span>' in row
        else:
            assert '<span class="check fail">fails</span>' in row
            for failure in fit["failures"]:
                assert str(escape(failure)) in row
        for number, core in enumerate(fit["cores"], start=1):
            assert f"<strong>core {number}</strong>: " in row
            assert all(f">{code}</span>" in row for code in core)
    # the block image and block rates of the best fit; the retention table by blocks
    assert f"best fit, <code>{best['model']}</code>" in section_text(text, "block-image")
    assert f"<caption><code>{best['model']}</code>" in section_text(text, "block-rates")
    retention = section_text(text, "retention")
    for B, row in variant["retention"].items():
        cells = [f"{v:.3f}" if v is not None else "–" for v in row.values()]
        assert f'<td data-sort="{B}">{B}</td>' in retention and all(c in retention for c in cells)
    for reading, value in variant["summary"].items():
        assert f"<td>{value:.3f}</td>" in retention


def test_year_page_shows_the_reference_scan_and_dispersion(bad_name_report, processed):
    reference = json.loads(read(processed["processed"] / "blockmodels" / "2002.json"))[
        "variants"]["all"]["reference"]
    text = section_text(read(bad_name_report["2002"]), "reference")
    assert f"levels off at <strong>K = {reference['levels_off']}</strong>" in text
    assert f"<dd>{reference['null_dispersion']:.2f} (1 would be Poisson" in text
    assert f"<dd>{reference['phi']:.2f}</dd>" in text
    power = reference["variance_function"]["power"]
    assert f"μ<sup>{power:.2f}</sup>" in text
    assert text.count('<td data-sort="') == 5 * len(reference["table"])
    assert '<tr class="selected"><td data-sort="{0}">{0}</td>'.format(
        reference["levels_off"]) in text


def test_index_sections(bad_name_report, processed):
    text = read(bad_name_report["index"])
    sections = re.findall(r'<section id="([^"]+)">', text)
    assert sections == ["structure", "verdicts", "cores", "dispersion", "hwang", "focal",
                        "affinity", *RECORD_SECTIONS, "core-size", "transitions", "moves",
                        "data-quality", "provenance", "years", "config"]
    for year in YEARS:
        assert f'href="years/{year}.html"' in text
    structure = read(bad_name_report["index"].parent / "tables" / "structure.csv").splitlines()
    assert structure[0].startswith("year,variant,measure,value,low,high,jackknife_low,")
    # S, S0 and three readings for each year of both variants
    assert len(structure) == len(YEARS) * 2 * 5 + 1


def test_removed_readings_are_gone_from_every_page(bad_name_report):
    """No page reads a size class as a centre or shows the criterion selection or the
    likelihood-ratio test that the study no longer makes."""
    for name, path in bad_name_report.items():
        text = read(path).lower()
        for gone in ("selected model", "likelihood-ratio", "lr statistic", "lr p", "p value",
                     "-2 icl", "criterion difference"):
            assert gone not in text, (name, gone)
    index = read(bad_name_report["index"])
    for section in ("core-size", "transitions", "moves"):
        assert "classes of collaboration volume" in section_text(index, section)
    assert "high volume" in section_text(index, "core-size")


def test_sections_without_their_inputs_are_left_out(processed, tmp_path):
    p = processed["processed"]
    year_page = build_year_page(2002, YEARS, p / "counts" / "2002.parquet",
                                tmp_path / "2002.html", made_from={},
                                stats_path=p / "graph_stats" / "2002.parquet")
    assert re.findall(r'<section id="([^"]+)">', year_page) == ["countries", "statistics"]
    assert year_page.count("<tr><td>") == 30
    # a fit without its tier table: the readings, and the countries without tiers
    year_page = build_year_page(2002, YEARS, p / "counts" / "2002.parquet",
                                tmp_path / "2002.html", made_from={},
                                stats_path=p / "graph_stats" / "2002.parquet",
                                fit_path=p / "blockmodels" / "2002.json")
    assert re.findall(r'<section id="([^"]+)">', year_page) == [
        "effects", "retention", "reference", "block-image", "block-rates", "variants",
        "countries", "statistics"]
    index = build_index(YEARS, p / "provenance.json", tmp_path / "i.html", made_from={})
    assert re.findall(r'<section id="([^"]+)">', index) == ["provenance", "years", "config"]
    assert "world_50m.js" not in index
    # the tiers without the study: the focal countries' probabilities under both tier models
    index = build_index(YEARS, p / "provenance.json", tmp_path / "i.html", made_from={},
                        tiers_path=p / "tiers.parquet")
    assert re.findall(r'<section id="([^"]+)">', index) == [
        "focal", "core-size", "transitions", "provenance", "years", "config"]


def test_a_year_page_needs_only_that_years_outputs(processed, tmp_path):
    p = processed["processed"]
    alone = tmp_path / "alone"
    files = {"counts": "counts/2003.parquet", "stats": "graph_stats/2003.parquet",
             "fit": "blockmodels/2003.json", "tiers": "blockmodels/2003.tiers.parquet"}
    for name, relative in files.items():
        (alone / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p / relative, alone / relative)
    text = build_year_page(2003, YEARS, alone / files["counts"], tmp_path / "2003.html",
                           made_from=processed["made_from"]["report_year"],
                           stats_path=alone / files["stats"], fit_path=alone / files["fit"],
                           tiers_path=alone / files["tiers"])
    assert '<section id="network">' in text


def test_a_fit_of_another_year_is_refused(processed, tmp_path):
    p = processed["processed"]
    with pytest.raises(ValueError, match="holds year 2001, not 2002"):
        build_year_page(2002, YEARS, p / "counts" / "2002.parquet", tmp_path / "x.html",
                        made_from={}, fit_path=p / "blockmodels" / "2001.json")


def test_same_outputs_give_the_same_bytes(processed, tmp_path):
    first = build_reports(processed["processed"], tmp_path / "a", processed["made_from"])
    second = build_reports(processed["processed"], tmp_path / "b", processed["made_from"])
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name
    for path in (tmp_path / "a").rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")
                                         ).read_bytes(), path


def test_element_ids_are_unique(bad_name_report):
    for name, path in bad_name_report.items():
        ids = re.findall(r'\sid="([^"]+)"', read(path))
        assert len(ids) == len(set(ids)), (name, sorted(i for i in ids if ids.count(i) > 1))


def test_tables_for_snakemakes_report(processed, tmp_path):
    p = processed["processed"]
    variant = json.loads(read(p / "blockmodels" / "2001.json"))["variants"]["all"]
    effects = tables.effects_csv(p / "blockmodels" / "2001.json", tmp_path / "e.csv",
                                 made_from=processed["made_from"]["blockmodels"])
    assert len(effects) == len(variant["fits"]) and effects["blocks"].is_monotonic_increasing
    assert set(effects["model"]) == {f["model"] for f in variant["fits"]}
    assert read(tmp_path / "e.csv").splitlines()[0] == (
        "model,family,reading,blocks,log_likelihood,share,retention,centres,failures,cores")
    stats = tables.statistics_csv(p / "graph_stats" / "2001.parquet", tmp_path / "s.csv",
                                  made_from=processed["made_from"]["graph_stats"])
    assert "Gini of strengths" in set(stats["meaning"])
    assert read(tmp_path / "s.csv").splitlines()[0] == "statistic,meaning,value"


def structure_row(page: str, table: str, year) -> str:
    """The row of ``year`` in the index table ``table``."""
    rows = page[page.index(f'id="{table}"'):]
    rows = rows[rows.index(f'<a href="years/{year}.html">'):]
    return rows[:rows.index("</tr>")]


def test_index_leads_with_the_structure_beyond_size(bad_name_report, processed):
    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    text = read(bad_name_report["index"])
    assert text.index('<section id="structure">') < text.index('<section id="verdicts">')
    for year, record in verdicts["years"].items():
        for variant, evidence in record["centres"].items():
            row = structure_row(text, f"table-structure-{variant}", year)
            assert interval(evidence["share"]) in row
            for reading, entry in evidence["readings"].items():
                assert interval(entry) in row
                low, high = entry["jackknife"]
                assert f"jackknife {low:.3f}–{high:.3f}" in row
            assert interval(evidence["lead"]) in row
            assert f">{evidence['verdict']}</span>" in row
    figure = json.loads(re.search(r'id="fig-structure-data">(.*?)</script>', text).group(1))
    names = {trace.get("name") for trace in figure["data"]}
    assert {"S: share beyond size", "R̄: one centre", "R̄: several centres",
            "R̄: regional communities"} <= names


def test_verdicts_show_as_the_study_states_them(bad_name_report, processed):
    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    text = read(bad_name_report["index"])
    strip = json.loads(re.search(r'id="fig-verdicts-data">(.*?)</script>', text).group(1))
    heatmap = strip["data"][0]
    years = sorted(verdicts["years"])
    assert heatmap["y"] == ["structure: the year's graph",
                            "structure: years summed over a window", "Hwang: KR middle, GB centre"]
    assert heatmap["customdata"] == [[verdicts["years"][y]["centres"][v]["verdict"] for y in years]
                     for v in ("all", "window")] + [
        [verdicts["years"][y]["hwang"]["verdict"] for y in years]]
    for vocabulary in verdicts["verdict_vocabulary"]:
        assert f'<span class="verdict {vocabulary.replace(" ", "-")}">{vocabulary}</span>' in text
    for rule in verdicts["rules"].values():
        assert str(escape(rule)) in text
    for year, record in verdicts["years"].items():
        assert f">{record['hwang']['verdict']}</span>" in structure_row(text, "table-hwang", year)


def test_cores_show_their_members_and_the_centre_check(bad_name_report, processed):
    from bibnet.report.maps import alpha3

    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    text = read(bad_name_report["index"])
    table = section_text(text, "cores")
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    for year, record in verdicts["years"].items():
        for reading, fit in record["centres"]["all"]["cores"].items():
            (row,) = [r for r in rows if f'<a href="years/{year}.html">' in r
                      and f"<td>{reading}</td>" in r]
            assert f"<code>{fit['model']}</code>" in row
            assert ("passes: centres" in row) == fit["centres"]
            assert all(str(escape(failure)) in row for failure in fit["failures"])
            for number, core in enumerate(fit["cores"], start=1):
                assert f"<strong>core {number}</strong> ({len(core)}): " in row
                assert all(f">{code}</span>" in row for code in core)
    last = verdicts["years"][max(verdicts["years"])]["centres"]["all"]["cores"]
    for reading, fit in last.items():
        figure_id = f"fig-cores-{reading.replace(' ', '-')}"
        figure = json.loads(re.search(rf'id="{figure_id}-data">(.*?)</script>', text).group(1))
        shown = figure["data"][-1]
        assert shown["visible"] is True
        assert sorted(zip(shown["locations"], shown["z"])) == sorted(
            (alpha3(code), number) for number, core in enumerate(fit["cores"], start=1)
            for code in core if alpha3(code))
        assert fit["model"] in figure["layout"]["title"]["text"]


def test_dispersion_and_hwangs_measures_show_by_year(bad_name_report, processed):
    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    text = read(bad_name_report["index"])
    dispersion = section_text(text, "dispersion")
    hwang = section_text(text, "hwang")
    for year, record in verdicts["years"].items():
        found = record["centres"]["all"]["dispersion"]
        assert (f'<td data-sort="{found["null_dispersion"]:.6g}">{found["null_dispersion"]:.1f}'
                f'</td><td data-sort="{found["phi"]:.6g}">{found["phi"]:.2f}</td>') in dispersion
        evidence = record["hwang"]
        row = structure_row(hwang, "table-hwang", year)
        relative = evidence["relative_dependence"]
        assert interval({"value": relative["value"], "low": relative["peers_low"],
                         "high": relative["peers_high"]}) in row
        assert f">{evidence['dependence_KR']:.2f}</td>" in row
        assert f">{evidence['p_core_GB']:.2f}</td>" in row
        assert f">{evidence['size_classes_null_ari']:.2f}</td>" in row
        assert f"<td>{evidence['position_KR']}</td>" in row
        volume = {"core": "high volume", "semi-periphery": "middle volume",
                  "periphery": "low volume"}[evidence["size_class_KR"]]
        assert f"<td>{volume}</td>" in row
    assert "a class of collaboration <em>volume</em>, not a centre beyond size" in hwang
    first_years = hwang[hwang.index('id="table-first-years"'):]
    for role, by_country in verdicts["focal_first_years"].items():
        labels = {"size_classes": ("high volume", "middle volume"),
                  "tiers_beyond_size": ("core", "semi-periphery")}[role]
        for code, years in by_country.items():
            assert (f"<td>{years['semi_periphery'] or 'not reached'} <small>({labels[1]})"
                    f"</small></td><td>{years['core'] or 'not reached'} <small>({labels[0]})"
                    "</small></td>") in first_years


def test_static_block_image_for_snakemakes_report(processed, tmp_path):
    from bibnet.report.static import block_image_png

    p = processed["processed"]
    paths = [block_image_png(p / "counts" / "2002.parquet", p / "blockmodels" / "2002.json",
                             tmp_path / f"{name}.png", made_from={}) for name in ("a", "b")]
    data = paths[0].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data == paths[1].read_bytes()
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == height > 0


# -- the focal pair's work records -----------------------------------------------------------

def hand_made_records(root: Path, provenance_path: Path, pair=("JP", "DE")) -> dict[str, Path]:
    """The records stage's four outputs for a pair other than KR-GB, two years, by hand, and
    the provenance of an OpenAlex run (``provenance_path``'s, made from the same
    configuration): ``build_index``'s keyword arguments for them."""
    import pandas as pd

    a, b = pair
    made_from = {"focal": list(pair), "records.min_works": 10}
    provenance = json.loads(read(provenance_path))
    provenance.update(source="openalex", synthetic=False, openalex={
        "calls": 1, "first_fetched": None, "last_fetched": None, "filters": {}})
    provenance[CONFIG_KEY] = {key: value for key, value in provenance[CONFIG_KEY].items()
                              if key in ("countries", "counting", "years.first", "years.last")}
    provenance[CONFIG_KEY]["source"] = "openalex"
    rows = []
    for year, works, first_a, first_b, first_unknown in ((2001, 8, 5, 2, 1), (2002, 12, 3, 9, 0)):
        rows += [(year, "pair", "works", works), (year, a, "first_author", first_a),
                 (year, b, "first_author", first_b), (year, "unknown", "first_author",
                                                      first_unknown),
                 (year, a, "first_author_share", first_a / works),
                 (year, b, "first_author_share", first_b / works),
                 (year, "unknown", "first_author_share", first_unknown / works),
                 (year, a, "whole", works - 1), (year, b, "whole", works),
                 (year, a, "fractional", works * 0.375), (year, b, "fractional", works * 0.5),
                 (year, "pair", "top10", 2), (year, "pair", "top10_share", 2 / works),
                 (year, a, "intl_top10", 102), (year, a, "intl_works", 1000 + works),
                 (year, a, "other_top10_share", 0.1), (year, "pair", "fwci_mean", 1.25),
                 (year, "pair", "fwci_median", 0.75), (year, "pair", "fwci_works", works - 2),
                 (year, "pair", "fwci_missing", 2)]
    records = pd.DataFrame(rows, columns=["year", "country", "measure", "value"])
    fields = pd.DataFrame(
        [(year, "field", ident, name, country, pair_works, None, intl, None, None)
         for year in (2001, 2002) for country in pair
         for ident, name, pair_works, intl in (("22", "Engineering", 6, 100),
                                               ("31", "Physics and Astronomy", 2, 300),
                                               ("UNKNOWN", "unknown", 2, 0))],
        columns=["year", "level", "id", "name", "country", "pair_works", "pair_share",
                 "intl_works", "intl_share", "activity_index"])
    institutions = pd.DataFrame(
        [(2001, a, 1, "I1", "University of Tokyo", 5), (2002, a, 1, "I1", "University of Tokyo", 4),
         (2002, a, 2, "I2", "Kyoto <University>", 3), (2001, b, 1, "I3", "TU Munich", 2)],
        columns=["year", "country", "rank", "institution_id", "institution", "works"])
    verdicts = {
        "claim": "Hwang (2008): a division of research labour", "pair": list(pair),
        "settings": {"min_works": 10, "applied_fields": ["Engineering"]},
        "rules": [{"name": "first_author_lead", "statement": f"{b} holds the first authorship",
                   "value_rule": f"(first_author[{b}] - first_author[{a}]) / works",
                   "threshold": 0.0, "comparison": ">",
                   "years": {"2001": {"works": 8, "value": None, "verdict": "insufficient data"},
                             "2002": {"works": 12, "value": 0.5, "verdict": "supported"}},
                   "periods": {"2001-2002": {"works": 20, "value": 0.15,
                                             "verdict": "supported"}},
                   "overall": {"works": 20, "value": 0.15, "verdict": "supported"}}],
        "counting": {"works": 20, "first_author_unknown": 1, "last_author_unknown": 7,
                     "corresponding_author_unknown": 11, "fractional_unknown": 0.75,
                     "field_unknown": 4, "fwci_missing": 4, "percentile_missing": 3}}
    verdicts[CONFIG_KEY] = made_from
    paths = {key: root / name for key, name in RECORD_FILES.items()}
    for frame, key in ((records, "records_path"), (fields, "record_fields_path"),
                       (institutions, "record_institutions_path")):
        frame.attrs[CONFIG_KEY] = made_from
        frame.to_parquet(paths[key])
    paths["record_verdicts_path"].write_text(json.dumps(verdicts), encoding="utf-8")
    paths["provenance_path"] = root / "provenance.json"
    paths["provenance_path"].write_text(json.dumps(provenance), encoding="utf-8")
    return paths


def section_text(page: str, section: str) -> str:
    start = page.index(f'<section id="{section}">')
    return page[start:page.index("</section>", start)]


def test_records_sections_show_the_pairs_numbers_and_the_counting_note(processed, tmp_path):
    paths = hand_made_records(tmp_path, processed["processed"] / "provenance.json")
    page = build_index([2001, 2002], paths.pop("provenance_path"), tmp_path / "index.html",
                       made_from={}, **paths)
    assert re.findall(r'<section id="([^"]+)">', page) == [
        *RECORD_SECTIONS, "provenance", "years", "config"]
    records = page[page.index('<section id="records-leadership">'):
                   page.index('<section id="provenance">')]
    # the configured pair, by code in the titles and by name in the text, never KR or GB
    assert records.count("<h2>JP–DE work records: ") == len(RECORD_SECTIONS)
    assert "Japan (JP) and Germany (DE)" in records
    assert "KR" not in records and "GB" not in records
    leadership = section_text(page, "records-leadership")
    # 2001: 5 of 8 first authors from JP, 2 from DE, 1 unknown; over both years 8, 11, 1 of 20
    assert ('<td data-sort="0.625">62.5%</td><td data-sort="0.25">25.0%</td>'
            '<td data-sort="0.125">12.5%</td>') in leadership
    assert "<td>20</td><td>40.0%</td><td>55.0%</td><td>5.0%</td>" in leadership
    counts = section_text(page, "records-counts")
    assert "<th>whole: JP</th><th>whole: DE</th><th>fractional: JP</th>" in counts
    assert "<tfoot><tr><th>all years</th><td>20</td><td>18</td><td>20</td><td>7.50</td>" in counts
    fields = section_text(page, "records-fields")
    # Engineering: 12 of the 16 pair works with a field (75%), 200 of 800 (25%): index 3
    assert ('<td class="name">Engineering ★</td><td data-sort="12">12</td>'
            '<td data-sort="0.75">75.0%</td><td data-sort="0.25">25.0%</td>'
            '<td data-sort="3">3.00</td>') in fields
    assert "unknown" not in fields.split("<tbody>")[1]
    impact = section_text(page, "records-impact")
    assert "<td>1.25</td><td>–</td><td>16</td>" in impact  # mean FWCI over 16 works
    assert "4 works have none" in impact
    institutions = section_text(page, "records-institutions")
    assert '<td class="name">University of Tokyo</td><td data-sort="9">9</td>' in institutions
    assert "Kyoto &lt;University&gt;" in institutions and "Kyoto <University>" not in page
    verdicts = section_text(page, "records-verdicts")
    assert "DE holds the first authorship" in verdicts
    assert "<code>(first_author[DE] - first_author[JP]) / works</code> &gt; 0.0" in verdicts
    assert ('<td data-sort="2001-2002">2001-2002</td><td><span class="verdict supported">'
            in verdicts)
    assert '<span class="verdict insufficient-data">insufficient data</span>' in verdicts
    note = section_text(page, "records-counting")
    assert "<p>20 works co-authored by Japan (JP) and Germany (DE), 2001–2002" in note
    for shown, share in (("1", "5.0%"), ("7", "35.0%"), ("11", "55.0%"), ("0.750", "3.8%"),
                         ("4", "20.0%"), ("3", "15.0%")):
        assert f'">{shown}</td><td data-sort="{float(shown) / 20:.6g}">{share}</td>' in note


def test_records_sections_need_their_own_inputs_only(processed, tmp_path):
    paths = hand_made_records(tmp_path, processed["processed"] / "provenance.json")
    page = build_index([2001, 2002], paths["provenance_path"], tmp_path / "index.html",
                       made_from={}, record_verdicts_path=paths["record_verdicts_path"])
    assert re.findall(r'<section id="([^"]+)">', page) == [
        "records-verdicts", "records-counting", "provenance", "years", "config"]
    assert "<p>20 works co-authored by Japan (JP) and Germany (DE) were measured." in page


def test_records_of_the_fixture_match_the_stages_counting(bad_name_report, processed):
    counting = json.loads(read(processed["records"]["record_verdicts_path"]))["counting"]
    note = section_text(read(bad_name_report["index"]), "records-counting")
    assert f"<p>{counting['works']} works co-authored by " in note
    assert f'<td data-sort="{counting["corresponding_author_unknown"]}">' in note


# -- one configuration -----------------------------------------------------------------------

def test_a_page_of_outputs_made_from_two_configurations_is_an_error(processed, tmp_path):
    p = processed["processed"]
    fit = json.loads(read(p / "blockmodels" / "2002.json"))
    fit[CONFIG_KEY]["blockmodels.replicates"] = 9  # as a run with 9 replicates wrote it
    (tmp_path / "2002.json").write_text(json.dumps(fit), encoding="utf-8")
    with pytest.raises(MadeFromMismatch) as error:
        build_year_page(2002, YEARS, p / "counts" / "2002.parquet", tmp_path / "2002.html",
                        made_from={}, fit_path=tmp_path / "2002.json",
                        tiers_path=p / "blockmodels" / "2002.tiers.parquet")
    assert str(error.value).startswith(
        "outputs made from different configurations: blockmodels.replicates is 9 in "
        f"{tmp_path / '2002.json'}, 4 in {p / 'blockmodels' / '2002.tiers.parquet'}")
    assert not (tmp_path / "2002.html").exists()
    # the page's own configuration against all of its inputs
    asked = {**processed["made_from"]["report_index"], "seed": 8}
    with pytest.raises(MadeFromMismatch, match="seed is 8 in the configuration, 7 in "):
        build_index(YEARS, p / "provenance.json", tmp_path / "index.html", made_from=asked,
                    verdicts_path=p / "verdicts.json")
    with pytest.raises(MadeFromMismatch, match="statistics.*records no configuration"):
        pd.DataFrame({"year": [2002]}).to_parquet(tmp_path / "statistics.parquet")
        tables.statistics_csv(tmp_path / "statistics.parquet", tmp_path / "s.csv", made_from={})


def test_a_selection_of_countries_is_stated_on_every_page(processed, tmp_path):
    p = processed["processed"]
    index = build_index(YEARS, p / "provenance.json", tmp_path / "i.html",
                        made_from=processed["made_from"]["report_index"])
    assert 'id="selection"' not in index  # countries: all
    selected = ["GB", "KR", "US"]
    for name in ("counts/2002.parquet", "provenance.json"):
        path = p / name
        if path.suffix == ".json":
            record = json.loads(read(path))
            record[CONFIG_KEY]["countries"] = selected
            (tmp_path / path.name).write_text(json.dumps(record), encoding="utf-8")
        else:
            frame = pd.read_parquet(path)
            frame.attrs[CONFIG_KEY]["countries"] = selected
            frame.to_parquet(tmp_path / path.name, index=False)
    note = ("Only the 3 configured countries: size classes, centres, peers and spheres are "
            "relative to these 3 countries, not to the world.")
    assert note in build_index(YEARS, tmp_path / "provenance.json", tmp_path / "i.html",
                               made_from={})
    assert note in build_year_page(2002, YEARS, tmp_path / "2002.parquet", tmp_path / "y.html",
                                   made_from={"countries": selected})
