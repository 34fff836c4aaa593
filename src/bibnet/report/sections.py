"""Page sections: each a small function of one processed input, returning a :class:`Section`.

A section renders its own template (``templates/sections/{name}.html``, autoescaped), so data
text is escaped by jinja2 and figure data travels as JSON in a ``<script type=
"application/json">`` element with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., which no
browser reads as markup. A section whose input does not exist is not built: pages list only
what their inputs support.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from bibnet import countries
from bibnet.outputs import ASSESSED_KEY, CENTRES_VERDICTS, QUALITY_RULE_KEY, nested
from bibnet.report import charts, figures, formats, maps
from bibnet.report.inputs import (
    centres_series,
    country_name,
    country_spheres,
    country_statistics,
    hwang_series,
    regions_series,
    rich_club,
    sphere_table,
    study_years,
    whole_graph_statistics,
)

ENV = Environment(loader=PackageLoader("bibnet.report", "templates"),
                  autoescape=select_autoescape(default=True, default_for_string=True),
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True)


ENV.filters["number"] = formats.number
ENV.filters["percent"] = formats.percent
ENV.filters["share"] = formats.share
ENV.filters["fixed"] = formats.fixed
ENV.filters["interval"] = formats.interval
ENV.filters["p_value"] = formats.p_value
#: A number as a table cell's sort key (empty where missing: sorts last).
ENV.filters["sortkey"] = lambda value: "" if formats.missing(value) else f"{value:.6g}"


@dataclass(frozen=True)
class Figure:
    """A plotly figure ready to embed: element id and escaped JSON of data and layout."""

    id: str
    json: Markup


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    body: Markup


def embed(figure_id: str, figure: go.Figure) -> Figure:
    """The figure's JSON (data, layout and plotly's config, :func:`charts.plot_config`), safe
    inside a ``<script>`` element (no ``<``, ``>`` or ``&``)."""
    spec = plotly.io.to_json(figure, validate=False, pretty=False, engine="json")
    config = json.dumps(charts.plot_config(figure), sort_keys=True, separators=(",", ":"))
    data = spec[:-1] + ',"config":' + config + "}"
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        data = data.replace(char, escape)
    return Figure(figure_id, Markup(data))


def section(name: str, title: str, **context) -> Section:
    body = ENV.get_template(f"sections/{name}.html").render(**context)
    return Section(name.replace("_", "-"), title, Markup(body))


# --- index ---------------------------------------------------------------------------------

def provenance_section(provenance: Mapping, made_from: Mapping) -> Section:
    """Where the counts came from: source, years, countries and the source's own record
    (Pajek files, OpenAlex calls and fetch times, or the planted world's spec), with the focal
    countries and the seed of what the page shows (``made_from``)."""
    return section("provenance", "Source and provenance", p=provenance,
                   focal=made_from.get("focal"), seed=made_from.get("seed"),
                   world=yaml.safe_dump(provenance.get("synthetic_world") or {},
                                        sort_keys=True, default_flow_style=False))


def config_section(made_from: Mapping) -> Section:
    """The configuration the page's results were made from (a flat record of
    `bibnet.outputs`), as the configuration file writes it, in YAML."""
    return section("config", "Configuration", text=yaml.safe_dump(
        nested(made_from), sort_keys=True, default_flow_style=False, allow_unicode=True))


#: What ``[low, high]`` means on every page.
BRACKETS = "[low, high] is always a 95 % BCa interval from resampling countries."


def plain_records(frame: pd.DataFrame) -> list[dict]:
    """A table's rows as mappings, missing values as None (which templates test as false)."""
    return [{key: None if np.ndim(value) == 0 and pd.isna(value) else value
             for key, value in row.items()} for row in frame.to_dict("records")]


def _tally(values) -> list[tuple[str, int]]:
    """How often each word occurs, most often first (ties in order of first occurrence)."""
    counts = pd.Series(list(values), dtype=object).value_counts(sort=False)
    return sorted(counts.items(), key=lambda item: -item[1])


def colours_of(verdicts: Mapping) -> dict[str, str]:
    """Every centre of every year (variant ``all``) with its colour, in the order they first
    appear (`figures.centre_colours`)."""
    centres = centres_series(verdicts)
    return figures.centre_colours(list(dict.fromkeys(c for found in centres["centres"]
                                                     for c in found)))


def _peer_ranks(focal_table: pd.DataFrame, year: int) -> list[dict]:
    """The focal country's rank among its peers with each centre of ``year``."""
    rows = focal_table[focal_table["year"] == year]
    return [{"centre": r["centre"], "affinity": r["affinity"], "leaning": r["leaning"],
             "ranks": [(int(r[f"rank_{p}"]), int(r[f"of_{p}"]), p)
                       for p in figures.PEER_COUNTS]}
            for r in rows.to_dict("records")]


def answers_section(verdicts: Mapping, provenance: Mapping, focal: Sequence[str],
                    focal_table: pd.DataFrame | None, classes: pd.DataFrame | None) -> Section:
    """The first screen: one plain sentence per question with its evidence in numbers, and
    on a planted world the planted truth beside each verdict."""
    centres = centres_series(verdicts)
    regions = regions_series(verdicts)
    hwang = hwang_series(verdicts)
    years = centres["year"].tolist()
    planted = provenance.get("planted") if provenance.get("synthetic") else None
    membership = _tally(c for found in centres["centres"] for c in found)
    hub_counts = centres["hubs"]
    first, partner = (list(focal) + [None, None])[:2]
    latest = int(hwang["year"].max()) if len(hwang) else None
    spheres = _tally(("no sphere" if not r["member"] else f"the sphere of {r['sphere']}")
                     if not r["centre"] else "a centre" for r in hwang.to_dict("records"))
    partner_classes = []
    if classes is not None and partner is not None:
        partner_classes = _tally(classes.loc[classes["country"] == partner, "size_class"])
    return section(
        "answers", "The answers", years=years, first=first, partner=partner,
        centres_tally=_tally(centres["verdict"]),
        regions_tally=_tally(regions["verdict"]), membership=membership,
        hubs_range=(int(hub_counts.min()), int(hub_counts.max())) if len(hub_counts) else None,
        hubs_years=int((hub_counts >= 1).sum()),
        hwang_tally=_tally(hwang["verdict"]), spheres=spheres, latest=latest,
        ranks=(_peer_ranks(focal_table, latest) if focal_table is not None and latest
               else []),
        pulled=_tally(c for found in hwang["pulled"] for c in found),
        partner_centre=int(hwang["partner_centre"].sum()) if len(hwang) else 0,
        partner_classes=partner_classes, planted=planted, brackets=BRACKETS,
        names={code: country_name(code) for code in
               {*(c for c, _ in membership), *(c for c in focal)}})


def spheres_map_section(spheres: pd.DataFrame, verdicts: Mapping) -> Section:
    """The world map of the spheres, a year slider (variant ``all``)."""
    rows = spheres[spheres["variant"] == "all"].astype({"country": str})
    centres = {int(r["year"]): list(r["centres"]) for r in
               centres_series(verdicts).to_dict("records")}
    names = {code: country_name(code) for code in
             {*rows["country"], *(c for found in centres.values() for c in found)}}
    figure, undrawn = maps.spheres_map(rows, centres, colours_of(verdicts), names)
    return section("spheres_map", "The spheres on the map",
                   figure=embed("fig-spheres-map", figure),
                   colours=list(colours_of(verdicts).items()), names=names,
                   undrawn=[(code, names[code]) for code in undrawn])


def sphere_series_section(tables: pd.DataFrame, verdicts: Mapping) -> Section:
    """Each sphere's members and its hub ratio with its interval, year by year."""
    rows = tables[tables["variant"] == "all"]
    return section("sphere_series", "The spheres over time: sizes, hub or community",
                   brackets=BRACKETS, figure=embed("fig-sphere-series", figures.sphere_series(
                       rows, colours_of(verdicts))))


def verdicts_section(verdicts: Mapping, focal: Sequence[str],
                     planted: Mapping | None) -> Section:
    """Both answers and Hwang's verdict, year by year: a strip, and a table with each
    verdict's reason (``undecided`` always says why)."""
    centres = centres_series(verdicts).set_index("year")
    regions = regions_series(verdicts).set_index("year")
    hwang = hwang_series(verdicts).set_index("year")
    years = centres.index.tolist()
    rows = ["centres", "regions"] + (["Hwang"] if len(hwang) else [])
    strip = [centres["verdict"].tolist(), regions["verdict"].reindex(years).tolist()]
    if len(hwang):
        strip.append(hwang["verdict"].reindex(years).tolist())
    by_year = {name: {row["year"]: row for row in plain_records(table.reset_index())}
               for name, table in (("centres", centres), ("regions", regions), ("hwang", hwang))}
    table = [{"year": year, **{name: rows.get(year) for name, rows in by_year.items()}}
             for year in years]
    return section("verdicts", "The answers year by year", rows=table, focal=list(focal),
                   planted=planted, brackets=BRACKETS,
                   figure=embed("fig-verdicts", figures.verdict_strip(
                       rows, years, strip, figures.VERDICT_COLOURS)))


def focal_section(verdicts: Mapping, focal_table: pd.DataFrame, focal: Sequence[str],
                  classes: pd.DataFrame | None, quality: pd.DataFrame | None) -> Section:
    """The focal country's panel: its sphere each year, its rank among its size peers in its
    tie to each centre, who prefers it beyond size, its class of volume, and the focal pair's
    affinity with its trend and data-quality flags."""
    first, partner = focal
    hwang = hwang_series(verdicts)
    rows = focal_table[focal_table["variant"] == "all"]
    size_class = ({} if classes is None else classes.set_index(["year", "country"])
                  ["size_class"].to_dict())
    years = [{**r, "ranks": _peer_ranks(rows, r["year"]),
              "class": size_class.get((r["year"], first)),
              "partner_class": size_class.get((r["year"], partner))}
             for r in hwang.to_dict("records")]
    pair = verdicts.get("pair") or {}
    series = sorted((int(y), v) for y, v in (pair.get("affinity") or {}).items())
    flagged = pair_rows(quality, focal) if quality is not None else None
    label = "–".join(focal)
    figures_ = {"ranks": embed("fig-focal-ranks", figures.focal_ranks(
        rows, first, colours_of(verdicts)))}
    if series:
        figures_["affinity"] = embed("fig-affinity", figures.affinity_trend(
            [y for y, _ in series], [v for _, v in series], label, flagged))
    return section("focal", f"{country_name(first)} ({first}): its sphere, its peers, "
                   "who prefers it", first=first, partner=partner, years=years,
                   label=label, trend=pair.get("trend"), figures=figures_,
                   flagged=None if flagged is None else flagged["year"].tolist())


def robustness_section(robustness: pd.DataFrame, verdicts: Mapping) -> Section:
    """The centres answer and the spheres' members with every number of centres."""
    members = (robustness[robustness["variant"] == "all"]
               .groupby(["year", "n_centres"]).size().to_dict())
    counts, strip = [], {}
    for year, record in study_years(verdicts):
        by_count = record["robustness"].get("all", {})
        for k, found in sorted(by_count.items(), key=lambda item: int(item[0])):
            counts.append({"year": year, "n": int(k), "verdict": found["verdict"],
                           "centres": found["centres"], "hubs": found["hubs"],
                           "members": members.get((year, int(k)), 0)})
            strip.setdefault(int(k), {})[year] = found["verdict"]
    years = [year for year, _ in study_years(verdicts)]
    labels = [f"{k} centres" for k in sorted(strip)]
    figure = figures.verdict_strip(labels, years, [[strip[k].get(y) for y in years]
                                                   for k in sorted(strip)],
                                   {w: figures.VERDICT_COLOURS[w] for w in CENTRES_VERDICTS})
    return section("robustness", "Robustness to the number of centres", rows=counts,
                   figure=embed("fig-robustness", figure))


def years_section(years: Sequence[int], verdicts: Mapping | None) -> Section:
    """Links to every year's page with the year's two answers and Hwang's verdict, where the
    study gives them."""
    verdicts = verdicts or {}
    centres = centres_series(verdicts).set_index("year")
    regions = regions_series(verdicts).set_index("year")
    hwang = hwang_series(verdicts).set_index("year")

    def word(table, year):
        return table.at[year, "verdict"] if year in table.index else None

    rows = [{"year": year, "centres": word(centres, year), "regions": word(regions, year),
             "hwang": word(hwang, year),
             "listed": ", ".join(centres.at[year, "centres"]) if year in centres.index else ""}
            for year in years]
    return section("years", "Years", rows=rows)


def pair_rows(table: pd.DataFrame, pair: Sequence[str]) -> pd.DataFrame:
    """The rows of a table of pairs (``country_a < country_b``) that are the pair ``pair``."""
    a, b = sorted(pair)
    return table[(table["country_a"].astype(str) == a) & (table["country_b"].astype(str) == b)]


def data_quality_section(quality: pd.DataFrame) -> Section:
    """The pair-years whose count is out of line with the pair's neighbouring years
    (:mod:`bibnet.quality`), with the rule's thresholds as the table records them."""
    rows = [{**row, "names": (country_name(row["country_a"]), country_name(row["country_b"]))}
            for row in quality.astype({"country_a": str, "country_b": str}).to_dict("records")]
    thresholds = quality.attrs.get(QUALITY_RULE_KEY, {})
    return section("data_quality", "Data quality: pair-years out of line with their neighbours",
                   rows=rows, assessed=quality.attrs.get(ASSESSED_KEY),
                   max_z=thresholds.get("max_z"), min_ratio=thresholds.get("min_ratio"))


# --- year page -----------------------------------------------------------------------------

def year_answers_section(record: Mapping, focal: Sequence[str], classes: pd.DataFrame | None,
                         planted: Mapping | None) -> Section:
    """A year's two answers with their reasons, the centres and the hubs, and the focal
    countries' positions: class of volume, sphere, ranks among their peers."""
    size_class = ({} if classes is None else
                  classes.set_index("country")["size_class"].to_dict())
    hwang = record.get("hwang") or {}
    positions = []
    for code in focal:
        row = record["sphere_of"].get(code) or {}
        positions.append({
            "code": code, "name": country_name(code), "class": size_class.get(code),
            "centre": code in record["centres"]["centres"], "sphere": row.get("sphere"),
            "member": bool(row.get("member")), "p_member": row.get("p_member"),
            "planted": (planted or {}).get("focal", {}).get(code)})
    ranks = [{"centre": centre, "affinity": found["affinity"], "leaning": found["leaning"],
              "ranks": [(found["ranks"][str(p)], found["of"][str(p)], p)
                        for p in figures.PEER_COUNTS]}
             for centre, found in (hwang.get("by_centre") or {}).items()]
    return section("year_answers", f"{record['year']}: the answers", r=record,
                   positions=positions, ranks=ranks, hwang=hwang, planted=planted,
                   first=focal[0] if focal else None,
                   names={c: country_name(c) for c in record["centres"]["centres"]},
                   brackets=BRACKETS)


def sphere_table_section(record: Mapping) -> Section:
    """The year's spheres: each centre's members, its tie to them and their ties within,
    beyond size, the hub ratio with its interval, the tests and the reading."""
    table = sphere_table(record)
    spheres = country_spheres(record)
    members = {centre: [(c, country_name(c)) for c in spheres.loc[
        spheres["member"].fillna(False).astype(bool) & (spheres["sphere"] == centre),
        "country"]] for centre in table["centre"]}
    return section("sphere_table", "The spheres", rows=plain_records(table),
                   members=members, brackets=BRACKETS,
                   names={c: country_name(c) for c in table["centre"]})


def country_spheres_section(record: Mapping) -> Section:
    """Every country's sphere and preference (filterable, sortable)."""
    spheres = country_spheres(record)
    rows = [{**r, "name": country_name(r["country"]),
             "continent": countries.continent(r["country"])}
            for r in plain_records(spheres)]
    return section("country_spheres", "Every country's sphere", rows=rows,
                   centres=record["centres"]["centres"])


def regions_section(record: Mapping) -> Section:
    """The regions evidence: the held-out within/between ratio of the blocs found on other
    pairs, the per-split figures, and the continents' check."""
    regions = record["regions"]
    blocs = {}
    for code, bloc in sorted(regions.get("blocs", {}).items()):
        blocs.setdefault(int(bloc), []).append((code, country_name(code)))
    return section("regions", "Regions: blocs beyond size among the non-centres", r=regions,
                   blocs=sorted(blocs.items()), brackets=BRACKETS)


def blockmodels_section(blockmodels: Mapping) -> Section:
    """The descriptive block models: the classes of volume (a statement of size) with their
    affinities beyond size, and the degree-corrected blocs' affinities with their members;
    each bloc named by its affinities, never by mean works per pair."""
    size = blockmodels["size_classes"]
    blocs = blockmodels["blocs"]
    affinity = np.asarray(blocs["affinity"], dtype=float)
    labels = [f"bloc {k + 1}" for k in range(int(blocs["n_blocs"]))]
    bloc_rows = []
    for k, members in enumerate(blocs["members"]):
        others = np.delete(affinity[k], k)
        bloc_rows.append({"label": labels[k], "size": blocs["sizes"][k],
                          "within": float(affinity[k, k]),
                          "between": float(others.mean()) if others.size else None,
                          "members": [(c, country_name(c)) for c in members]})
    return section(
        "blockmodels", "Descriptive block models", size=size, blocs=blocs, rows=bloc_rows,
        gravity=blockmodels["gravity"], unlinked=blockmodels.get("unlinked", []),
        size_figure=embed("fig-size-affinity", figures.affinity_matrix(
            size["affinity"], size["names"])),
        bloc_figure=embed("fig-bloc-affinity", figures.affinity_matrix(blocs["affinity"],
                                                                       labels)))


def countries_section(stats: pd.DataFrame) -> Section:
    """Every country's descriptive statistics (sortable, searchable); the year page shows it
    where no tier table exists, which carries the same columns."""
    per_country = country_statistics(stats)
    rows = [{"code": code, "name": country_name(code), "continent": countries.continent(code),
             **{column: float(per_country.at[code, column]) if column in per_country else None
                for column in ("intl_works", "strength", "strength_share", "strength_rank",
                               "k_core", "s_core")}}
            for code in per_country.index]
    rows.sort(key=lambda r: (r["strength_rank"] or 0, r["code"]))
    return section("countries", "Countries", rows=rows)


STATISTIC_LABELS = {
    "countries": "countries", "linked_pairs": "linked pairs", "density": "density",
    "pair_works_total": "works summed over pairs", "strength_gini": "Gini of strengths",
    "top1_pair_works_share": "share of pair works involving the strongest country",
    "top5_pair_works_share": "share of pair works involving the 5 strongest",
    "top10_pair_works_share": "share of pair works involving the 10 strongest",
    "top1_linked_pairs_share": "share of linked pairs involving the strongest country",
    "top5_linked_pairs_share": "share of linked pairs involving the 5 strongest",
    "top10_linked_pairs_share": "share of linked pairs involving the 10 strongest",
    "selection_min_works": "selection: min. international works",
    "selection_min_edge": "selection: min. works per pair",
    "selection_dropped_countries": "selection: countries dropped",
    "selection_dropped_pairs": "selection: pairs dropped",
    "rich_club_randomisations": "rich club: strength-preserving randomisations",
}


def statistics_section(stats: pd.DataFrame) -> Section:
    """Whole-graph descriptive statistics and the weighted rich-club ratio."""
    whole = whole_graph_statistics(stats)
    rows = [(STATISTIC_LABELS.get(s, s), v) for s, v in zip(whole["statistic"], whole["value"])]
    club = rich_club(stats)
    figure = embed("fig-rich-club", figures.rich_club(club)) if len(club) else None
    return section("statistics", "Descriptive statistics", rows=rows, figure=figure)
