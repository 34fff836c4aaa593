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
from bibnet.report.formats import interval, p_value
from report_examples import RECORD_FILES, YEARS, build_reports, make_processed

#: The sections of the focal pair's work records, in the order of the index.
RECORD_SECTIONS = ["records-leadership", "records-counts", "records-fields", "records-impact",
                   "records-institutions", "records-verdicts", "records-counting"]
#: A display name that would run as script if it reached the page unescaped.
BAD_NAME = '<script>alert("x")</script> "Q\''
BAD_CODE = "KR"


@pytest.fixture(scope="session")
def processed(tmp_path_factory) -> dict:
    """Processed outputs of a 60-country planted sphere world, 2001-2003 (built once)."""
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
    provenance.pop("planted")
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
    # Jinja2 escapes the table cell ...
    assert ('<td class="name">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#34;Q&#39;</td>'
            in section_text(year_page, "country-spheres"))
    index = read(bad_name_report["index"])
    # ... and figure JSON never holds a raw "<" (plotly shows entities literally).
    for page in (year_page, index):
        for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page,
                               flags=re.S):
            assert "<" not in data and ">" not in data
            json.loads(data)
    assert "<script>alert" not in index
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in section_text(index, "answers")
    world = json.loads(re.search(r'id="fig-spheres-map-data">(.*?)</script>', index).group(1))
    hover = [row[0] for trace in world["data"] for row in trace.get("customdata") or []]
    assert '&lt;script&gt;alert("x")&lt;/script&gt; "Q\'' in hover


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


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section id="([^"]+)">', page)


def test_year_page_opens_with_the_years_answers_and_the_focal_countries(bad_name_report,
                                                                         processed):
    record = json.loads(read(processed["processed"] / "hypotheses" / "2003.json"))
    found = record["variants"]["all"]
    text = read(bad_name_report["2003"])
    assert section_ids(text) == ["year-answers", "sphere-table", "country-spheres", "regions",
                                 "blockmodels", "countries", "statistics"]
    answers = section_text(text, "year-answers")
    for part in ("centres", "regions", "hwang"):
        verdict = found[part]["verdict"]
        assert f'<span class="verdict {verdict.replace(" ", "-")}">{verdict}</span>' in answers
        assert str(escape(found[part]["reason"])) in answers  # undecided always says why
    planted = json.loads(read(processed["processed"] / "provenance.json"))["planted"]
    assert f"planted: {planted['centres']}" in answers
    assert f"planted: {planted['regions']}" in answers
    classes = pd.read_parquet(processed["processed"] / "blockmodels" / "2003.classes.parquet")
    for code in ("KR", "GB"):
        size_class = classes.set_index("country").at[code, "size_class"]
        row = answers[answers.index(f'>{code}</span></td>'):]
        assert row.split("</tr>")[0].count(f"<td>{size_class}</td>") == 1
        assert f'<td class="planted">{planted["focal"][code]}</td>' in row.split("</tr>")[0]
    for centre, ranks in found["hwang"]["by_centre"].items():
        shown = " · ".join(f"{ranks['ranks'][str(p)]} of {ranks['of'][str(p)]}"
                           for p in (5, 10, 20))
        assert f"{centre} {shown} (affinity" in answers
    assert "95 % BCa interval" in answers


def test_year_page_spheres_and_every_countrys_sphere(bad_name_report, processed):
    found = json.loads(read(processed["processed"] / "hypotheses" / "2003.json"))[
        "variants"]["all"]
    text = read(bad_name_report["2003"])
    spheres = section_text(text, "sphere-table").split("<tbody>")[1].split("</tr>")[:-1]
    assert len(spheres) == len(found["centres"]["spheres"])
    for row, (centre, sphere) in zip(spheres, found["centres"]["spheres"].items()):
        assert f">{centre}</span></td><td data-sort=\"{sphere['members']}\">" in row
        assert interval({"value": sphere["hub_ratio"], "low": sphere["hub_low"],
                         "high": sphere["hub_high"]}) in row
        assert f"<td>{sphere['kind']}" in row
        tie = interval({"value": sphere["periphery"], "low": sphere["periphery_low"],
                        "high": sphere["periphery_high"]})
        tied = " (tied)" if centre in found["centres"]["tied_centres"] else ""
        assert f"{tie}{tied}</td>" in row
        members = [c for c, r in found["sphere_of"].items()
                   if r["member"] and r["sphere"] == centre]
        assert row.count('<span title="') == 1 + len(members)
    every = section_text(text, "country-spheres")
    assert every.count("<tr><td>") == len(found["sphere_of"])
    assert "nan" not in every and "0.0000" not in text
    csv = pd.read_csv(bad_name_report["index"].parent / "tables" / "spheres_2003.csv")
    assert len(csv) == len(found["sphere_of"]) + len(found["centres"]["centres"])
    members = csv[csv["member"].fillna(False).astype(bool)]
    assert sorted(members["country"]) == sorted(
        c for c, r in found["sphere_of"].items() if r["member"])


def test_year_page_regions_and_blockmodels(bad_name_report, processed):
    p = processed["processed"]
    found = json.loads(read(p / "hypotheses" / "2002.json"))["variants"]["all"]["regions"]
    text = read(bad_name_report["2002"])
    regions = section_text(text, "regions")
    assert interval({"value": found["ratio"], "low": found["low"], "high": found["high"]}) \
        + ", " + p_value(found["p_value"]) in regions
    continents = found["continents"]
    assert "continents' check" in regions and interval(
        {"value": continents["ratio"], "low": continents["low"],
         "high": continents["high"]}) in regions
    models = json.loads(read(p / "blockmodels" / "2002.json"))
    blocs = section_text(text, "blockmodels")
    rows = blocs.split('id="table-blocs"')[1].split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == models["blocs"]["n_blocs"]
    for k, row in enumerate(rows):
        assert f"{models['blocs']['affinity'][k][k]:.2f}" in row
        assert row.count('<span title="') == len(models["blocs"]["members"][k])
    figure = json.loads(re.search(r'id="fig-bloc-affinity-data">(.*?)</script>',
                                  text).group(1))
    assert figure["data"][0]["text"][0][0] == f"{models['blocs']['affinity'][0][0]:.2f}"
    assert "classes of collaboration volume, a statement of size" in blocs
    # blocs are named by their affinities, never by mean works per pair
    assert "per pair" not in blocs.split("<h3>Degree-corrected blocs</h3>")[1]


def test_index_leads_with_the_answers(bad_name_report, processed):
    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    text = read(bad_name_report["index"])
    ids = section_ids(text)
    assert ids[:7] == ["answers", "spheres-map", "sphere-series", "verdicts", "focal",
                       "robustness", "data-quality"]
    assert ids[-3:] == ["provenance", "years", "config"]
    answers = section_text(text, "answers")
    words = [y["centres"]["all"]["verdict"] for y in verdicts["years"].values()]
    for word in set(words):
        assert (f'<span class="verdict {word.replace(" ", "-")}">{word}</span> in '
                f"{words.count(word)}") in answers
    regions = [y["regions"]["all"]["verdict"] for y in verdicts["years"].values()]
    for word in set(regions):
        assert f"{word}</span> in {regions.count(word)}" in answers
    planted = json.loads(read(processed["processed"] / "provenance.json"))["planted"]
    assert f"planted: {planted['centres']}, centres {', '.join(planted['centres_list'])}" \
        in answers
    assert "KR sphere of US" in answers  # the planted focal positions
    assert "that is a statement of its size, not of a position beyond size" in answers
    assert "[low, high] is always a 95 % BCa interval" in answers
    latest = verdicts["years"][str(YEARS[-1])]["hwang"]["all"]
    for centre, found in latest["by_centre"].items():
        ranks = " · ".join(f"{found['ranks'][str(p)]} of {found['of'][str(p)]}"
                           for p in (5, 10, 20))
        assert f"to {centre} {ranks} ({found['leaning']})" in answers


def test_index_verdicts_year_by_year_say_why(bad_name_report, processed):
    verdicts = json.loads(read(processed["processed"] / "verdicts.json"))
    table = section_text(read(bad_name_report["index"]), "verdicts")
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == len(YEARS)
    for row, year in zip(rows, YEARS):
        found = verdicts["years"][str(year)]
        for part in ("centres", "regions", "hwang"):
            assert str(escape(found[part]["all"]["reason"])) in row, (year, part)
        whole = found["centres"]["all"]["whole"]
        assert interval({"value": whole["a"], "low": whole["low"], "high": whole["high"]}) \
            in row
    strip = json.loads(re.search(r'id="fig-verdicts-data">(.*?)</script>',
                                 table).group(1))
    assert strip["data"][0]["y"] == ["centres", "regions", "Hwang"]
    assert strip["config"]["displayModeBar"] is False


def test_index_focal_panel_and_robustness(bad_name_report, processed):
    p = processed["processed"]
    text = read(bad_name_report["index"])
    focal = section_text(text, "focal")
    table = pd.read_parquet(p / "focal.parquet")
    rows = focal.split("<tbody>")[1].split("</tr>")[:-1]
    for row, year in zip(rows, YEARS):
        for found in table[table["year"] == year].to_dict("records"):
            assert (f"{found['centre']}: {found['rank_5']} of {found['of_5']} · "
                    f"{found['rank_10']} of {found['of_10']}") in row
    # the planted KR-GB spike of 2002 is flagged on the pair's chart
    assert "out of line with the pair's neighbouring years" in focal and ": 2002." in focal
    chart = json.loads(re.search(r'id="fig-affinity-data">(.*?)</script>', focal).group(1))
    assert chart["data"][1]["x"] == [2002]
    robustness = section_text(text, "robustness")
    verdicts = json.loads(read(p / "verdicts.json"))
    counted = sum(len(y["robustness"]["all"]) for y in verdicts["years"].values())
    assert robustness.split("<tbody>")[1].count("<tr>") == counted
    members = pd.read_parquet(p / "robustness.parquet").groupby(["year", "n_centres"]).size()
    for (year, n), count in members.items():
        assert (f'<td data-sort="{year}">{year}</td><td data-sort="{n}">{n}</td>' in robustness
                and f'<td data-sort="{count}">{count}</td></tr>' in robustness)


def test_retired_science_is_gone_from_every_page(bad_name_report):
    """No page shows the retired readings: retention, tiers beyond size, the reference scan,
    the exclusive five-word verdicts, structure beyond size as one share."""
    for name, path in bad_name_report.items():
        text = read(path).lower()
        for gone in ("retention", "tiers beyond size", "reference scan", "quasi-icl",
                     "no structure beyond size", "share beyond size", "centre check",
                     "p = 0.0000", "block image"):
            assert gone not in text, (name, gone)


def test_sections_without_their_inputs_are_left_out(processed, tmp_path):
    p = processed["processed"]
    year_page = build_year_page(2002, YEARS, p / "counts" / "2002.parquet",
                                tmp_path / "2002.html", made_from={},
                                stats_path=p / "graph_stats" / "2002.parquet")
    assert section_ids(year_page) == ["countries", "statistics"]
    assert year_page.count("<tr><td>") == 60
    index = build_index(YEARS, p / "provenance.json", tmp_path / "i.html", made_from={})
    assert section_ids(index) == ["provenance", "years", "config"]
    assert "world_50m.js" not in index
    index = build_index(YEARS, p / "provenance.json", tmp_path / "i.html", made_from={},
                        verdicts_path=p / "verdicts.json")
    assert section_ids(index) == ["answers", "verdicts", "provenance", "years", "config"]


def test_a_year_page_needs_only_that_years_outputs(processed, tmp_path):
    p = processed["processed"]
    alone = tmp_path / "alone"
    files = {"counts": "counts/2003.parquet", "stats": "graph_stats/2003.parquet",
             "study": "hypotheses/2003.json", "blockmodels": "blockmodels/2003.json",
             "classes": "blockmodels/2003.classes.parquet", "provenance": "provenance.json"}
    for relative in files.values():
        (alone / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p / relative, alone / relative)
    text = build_year_page(2003, YEARS, alone / files["counts"], tmp_path / "2003.html",
                           made_from=processed["made_from"]["report_year"],
                           stats_path=alone / files["stats"], study_path=alone / files["study"],
                           blockmodels_path=alone / files["blockmodels"],
                           classes_path=alone / files["classes"],
                           provenance_path=alone / files["provenance"])
    assert '<section id="blockmodels">' in text


def test_outputs_of_another_year_are_refused(processed, tmp_path):
    p = processed["processed"]
    with pytest.raises(ValueError, match="holds year 2001, not 2002"):
        build_year_page(2002, YEARS, p / "counts" / "2002.parquet", tmp_path / "x.html",
                        made_from={}, study_path=p / "hypotheses" / "2001.json")
    with pytest.raises(ValueError, match="holds year 2001, not 2002"):
        build_year_page(2002, YEARS, p / "counts" / "2002.parquet", tmp_path / "x.html",
                        made_from={}, blockmodels_path=p / "blockmodels" / "2001.json")


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
    classes = tables.classes_csv(p / "blockmodels" / "2001.classes.parquet",
                                 tmp_path / "c.csv",
                                 made_from=processed["made_from"]["blockmodels"])
    assert read(tmp_path / "c.csv").splitlines()[0] == "country,name,strength,size_class,bloc"
    assert classes["strength"].is_monotonic_decreasing
    assert set(classes["size_class"]) == {"core", "semi-periphery", "periphery"}
    spheres = tables.spheres_csv(p / "hypotheses" / "2001.json", tmp_path / "s.csv",
                                 made_from=processed["made_from"]["study"])
    assert read(tmp_path / "s.csv").splitlines()[0] == (
        "country,name,links,eligible,sphere,member,p_member,preference")
    assert spheres["country"].is_unique
    stats = tables.statistics_csv(p / "graph_stats" / "2001.parquet", tmp_path / "st.csv",
                                  made_from=processed["made_from"]["graph_stats"])
    assert "Gini of strengths" in set(stats["meaning"])
    assert read(tmp_path / "st.csv").splitlines()[0] == "statistic,meaning,value"


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
    models = json.loads(read(p / "blockmodels" / "2002.json"))
    models[CONFIG_KEY]["blockmodels.n_blocs"] = 9  # as a run with 9 blocs wrote it
    (tmp_path / "2002.json").write_text(json.dumps(models), encoding="utf-8")
    with pytest.raises(MadeFromMismatch) as error:
        build_year_page(2002, YEARS, p / "counts" / "2002.parquet", tmp_path / "2002.html",
                        made_from={}, blockmodels_path=tmp_path / "2002.json",
                        classes_path=p / "blockmodels" / "2002.classes.parquet")
    assert str(error.value).startswith(
        "outputs made from different configurations: blockmodels.n_blocs is 9 in "
        f"{tmp_path / '2002.json'}, 2 in {p / 'blockmodels' / '2002.classes.parquet'}")
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
