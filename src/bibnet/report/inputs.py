"""Reading the processed outputs a report is made from (never the raw data, never a refit).

Each reader takes one file of ``data/processed/`` and returns plain tables or records; the page
sections (:mod:`bibnet.report.sections`) are functions of what these return. A year's page reads
only that year's files; the index reads the combined tables and ``provenance.json``.

The study's verdicts (``verdicts.json``, ``bibnet.hypotheses``) are read by
:func:`centres_series`, :func:`regions_series` and :func:`hwang_series`, a year's record
(``hypotheses/{year}.json``) by :func:`year_study`, and the descriptive block models
(``blockmodels/{year}.json``) by :func:`read_blockmodels`: the one place that knows their
layout.

Examples
--------
>>> verdicts = {"years": {"2001": {
...     "centres": {"all": {"verdict": "one centre", "reason": "one hub-like sphere, around US",
...                         "centres": ["US", "GB"], "hubs": ["US"],
...                         "whole": {"a": 1.2, "low": 1.1, "high": 1.3, "p_value": 0.001},
...                         "spheres": {}}},
...     "regions": {"all": {"verdict": "undecided", "reason": "why", "ratio": 1.3, "low": 0.9,
...                         "high": 1.8, "p_value": 0.2,
...                         "continents": {"ratio": 1.1, "low": 0.9, "high": 1.4,
...                                        "p_value": 0.3}}}}}}
>>> centres_series(verdicts)[["year", "verdict", "hubs"]].to_dict("records")
[{'year': 2001, 'verdict': 'one centre', 'hubs': 1}]
>>> regions_series(verdicts)["continents_ratio"].tolist()
[1.1]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bibnet import countries
from bibnet.counting import Counting
from bibnet.outputs import COUNTING_KEY, SOURCE_KEY, UNKNOWN_FIELD


def read_json(path: str | Path) -> dict:
    """A stage's JSON output: ``provenance.json`` (``bibnet.counts.write_provenance``),
    ``verdicts.json`` (:mod:`bibnet.hypotheses`) or ``focal_verdicts.json`` (:mod:`bibnet.records`)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def table_source(frame: pd.DataFrame) -> str:
    """The source a processed table was made from (``attrs["bibnet.source"]``), or ``""``."""
    return str(frame.attrs.get(SOURCE_KEY, ""))


def table_counting(frame: pd.DataFrame) -> str:
    """The counting scheme of a processed table (``attrs["bibnet.counting"]``) as a page states
    it; a table of before the schemes is whole counting."""
    return Counting.from_tag(str(frame.attrs.get(COUNTING_KEY, "whole"))).label


def country_name(code: str) -> str:
    """Display name of a country code (:func:`bibnet.countries.name`); text, to be escaped."""
    return countries.name(code)


# --- the study's verdicts (bibnet.hypotheses) ------------------------------------------------

def study_years(verdicts: Mapping) -> list[tuple[int, Mapping]]:
    """``verdicts.json``'s years in order: ``(year, record)``."""
    return sorted(((int(year), record) for year, record in verdicts.get("years", {}).items()),
                  key=lambda item: item[0])


def answers(verdicts: Mapping, part: str, variant: str = "all"):
    """``(year, record)`` of one part of the verdicts (``centres``, ``regions``, ``hwang``)
    and one variant, for the years that hold it, in order."""
    for year, record in study_years(verdicts):
        found = record.get(part, {}).get(variant)
        if found is not None:
            yield year, found


def centres_series(verdicts: Mapping, variant: str = "all") -> pd.DataFrame:
    """The centres answer per year: ``year, verdict, reason, centres`` (list), ``hubs`` (how
    many spheres are hub-like), ``hub_list``, and the whole tie a(C,P) of the centres with the
    other countries: ``whole, whole_low, whole_high, whole_p``."""
    rows = []
    for year, found in answers(verdicts, "centres", variant):
        whole = found.get("whole") or {}
        rows.append({"year": year, "verdict": found["verdict"], "reason": found.get("reason"),
                     "centres": list(found.get("centres", [])), "hubs": len(found["hubs"]),
                     "hub_list": list(found["hubs"]), "whole": whole.get("a"),
                     "whole_low": whole.get("low"), "whole_high": whole.get("high"),
                     "whole_p": whole.get("p_value")})
    columns = ["year", "verdict", "reason", "centres", "hubs", "hub_list", "whole",
               "whole_low", "whole_high", "whole_p"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: "float64" for c in ("whole", "whole_low", "whole_high", "whole_p")})


def regions_series(verdicts: Mapping, variant: str = "all") -> pd.DataFrame:
    """The regions answer per year: ``year, verdict, reason``, the held-out within/between
    ratio ``ratio, low, high, p_value`` and the continents' check ``continents_ratio,
    continents_low, continents_high, continents_p``."""
    rows = []
    for year, found in answers(verdicts, "regions", variant):
        continents = found.get("continents") or {}
        rows.append({"year": year, "verdict": found["verdict"], "reason": found.get("reason"),
                     **{key: found.get(key) for key in ("ratio", "low", "high", "p_value")},
                     "continents_ratio": continents.get("ratio"),
                     "continents_low": continents.get("low"),
                     "continents_high": continents.get("high"),
                     "continents_p": continents.get("p_value")})
    numbers = ["ratio", "low", "high", "p_value", "continents_ratio", "continents_low",
               "continents_high", "continents_p"]
    return pd.DataFrame(rows, columns=["year", "verdict", "reason", *numbers]).astype(
        {c: "float64" for c in numbers})


def hwang_series(verdicts: Mapping, variant: str = "all") -> pd.DataFrame:
    """Hwang's reading of the focal country per year: ``year, verdict, reason, sphere`` (the
    centre it prefers most), ``member`` (whether that preference passes its test),
    ``centre`` (whether it is a centre itself), ``partner_centre``, ``leans_on``,
    ``sensitive`` and ``pulled`` (the countries that prefer it beyond size; lists)."""
    rows = []
    for year, found in answers(verdicts, "hwang", variant):
        rows.append({"year": year, "verdict": found["verdict"], "reason": found.get("reason"),
                     "sphere": found.get("sphere"), "member": bool(found.get("member")),
                     "centre": bool(found.get("centre")),
                     "partner_centre": bool(found.get("partner_centre")),
                     **{key: list(found.get(key) or []) for key in
                        ("leans_on", "sensitive", "pulled")}})
    return pd.DataFrame(rows, columns=["year", "verdict", "reason", "sphere", "member", "centre",
                                       "partner_centre", "leans_on", "sensitive", "pulled"])


def year_study(path: str | Path, variant: str = "all") -> dict:
    """One variant of a year's record of the study (``hypotheses/{year}.json``, written by
    ``bibnet.hypotheses.files.write_year``), with its ``year``."""
    record = read_json(path)
    return {"year": int(record["year"]), **record["variants"][variant]}


def sphere_table(record: Mapping) -> pd.DataFrame:
    """A year's spheres (`year_study`'s ``centres.spheres``): ``centre`` and the tests of
    `bibnet.outputs.SPHERE_TABLE_COLUMNS`, in the order of the centres (largest first), with
    ``hub`` whether the sphere is one of the year's hubs and ``tied`` whether the centre is
    tied to the other countries beyond the noise (``tied_centres``)."""
    spheres = record["centres"]["spheres"]
    frame = pd.DataFrame([{"centre": centre, **row} for centre, row in spheres.items()])
    return frame.assign(hub=frame["centre"].isin(record["centres"]["hubs"]),
                        tied=frame["centre"].isin(record["centres"]["tied_centres"]))


def country_spheres(record: Mapping) -> pd.DataFrame:
    """Every non-centre country's sphere of a year (`year_study`'s ``sphere_of``): ``country,
    links, eligible, sphere, member, p_member, preference`` (its preference for that centre),
    by code."""
    rows = [{"country": code, **{key: row.get(key) for key in (
                "links", "eligible", "sphere", "member", "p_member")},
             "preference": row.get(f"pref_{row.get('sphere')}") if row.get("sphere") else None}
            for code, row in sorted(record["sphere_of"].items())]
    return pd.DataFrame(rows, columns=["country", "links", "eligible", "sphere", "member",
                                       "p_member", "preference"])


#: The keys a descriptive block models' record (``blockmodels/{year}.json``) must hold.
BLOCKMODEL_KEYS = ("year", "countries", "gravity", "size_classes", "blocs")


def read_blockmodels(path: str | Path) -> dict:
    """A year's descriptive block models (``blockmodels/{year}.json``,
    ``bibnet.blockmodels``): the size classes and the degree-corrected blocs with their
    affinities beyond size; an error names a missing key."""
    record = read_json(path)
    missing = [key for key in BLOCKMODEL_KEYS if key not in record]
    if missing:
        raise ValueError(f"{path} has no {', '.join(missing)}: it is not a record of the "
                         "descriptive block models (made by an older bibnet?). Fix: delete it "
                         "and run `snakemake` again")
    return record


def whole_graph_statistics(stats: pd.DataFrame) -> pd.DataFrame:
    """The whole-graph rows of a year's ``graph_stats`` table: ``statistic, value``."""
    rows = stats[stats["country"] == ""]
    return rows[["statistic", "value"]].reset_index(drop=True)


def country_statistics(stats: pd.DataFrame) -> pd.DataFrame:
    """Per-country statistics of a year's ``graph_stats`` table, one column each, by code."""
    rows = stats[(stats["country"] != "") & ~stats["statistic"].str.startswith("rich_club_")]
    wide = rows.pivot(index="country", columns="statistic", values="value")
    wide.index = wide.index.astype(str)
    return wide


def rich_club(stats: pd.DataFrame) -> pd.DataFrame:
    """Rich-club rows of a year's ``graph_stats``: ``country`` (the club's weakest member),
    ``phi, phi_null, rho``, in club size order."""
    rows = stats[stats["statistic"].str.startswith("rich_club_")]
    wide = rows.pivot(index="country", columns="statistic", values="value")
    wide.columns = [c.removeprefix("rich_club_") for c in wide.columns]
    ranks = stats[stats["statistic"] == "strength_rank"].set_index("country")["value"]
    wide["club_size"] = ranks.reindex(wide.index).to_numpy()
    return wide.sort_values("club_size").reset_index()


# --- the focal pair's work records (bibnet.records) ----------------------------------------

def records_by_year(records: pd.DataFrame) -> pd.DataFrame:
    """``focal_records.parquet`` (``year, country, measure, value``) as one row per year and
    one column per ``(measure, country)``, years in order; a measure not given is NaN."""
    wide = records.pivot_table(index="year", columns=["measure", "country"], values="value",
                               aggfunc="sum", dropna=False)
    wide.index = wide.index.astype(int)
    return wide.sort_index()


def pooled_activity(fields: pd.DataFrame, level: str = "field") -> pd.DataFrame:
    """The activity index of ``focal_fields.parquet`` over all its years, one row per field (or
    domain) and focal country: works summed over the years, shares over the works whose field
    is known, as `bibnet.records` defines them per year. Columns ``id, name, country,
    pair_works, pair_share, intl_works, intl_share, activity_index``, by id."""
    rows = fields[fields["level"] == level]
    names = rows.drop_duplicates("id", keep="last").set_index("id")["name"]
    sums = rows.groupby(["country", "id"], sort=False)[["pair_works", "intl_works"]].sum()
    sums = sums.reset_index()
    known = sums[sums["id"] != UNKNOWN_FIELD]
    totals = known.groupby("country")[["pair_works", "intl_works"]].sum()
    pair_known = known["country"].map(totals["pair_works"]).astype(float)
    intl_known = known["country"].map(totals["intl_works"]).astype(float)
    out = known.assign(name=known["id"].map(names).astype(str),
                       pair_share=known["pair_works"] / pair_known.where(pair_known > 0),
                       intl_share=known["intl_works"] / intl_known.where(intl_known > 0))
    out["activity_index"] = out["pair_share"] / out["intl_share"].where(out["intl_share"] > 0)
    order = out["id"].str.zfill(12)  # numeric ids in number order
    return (out.assign(_order=order).sort_values(["_order", "country"], ignore_index=True)
            [["id", "name", "country", "pair_works", "pair_share", "intl_works", "intl_share",
              "activity_index"]])


def pooled_institutions(institutions: pd.DataFrame, top: int) -> pd.DataFrame:
    """The institutions of ``focal_institutions.parquet`` over all its years, per country: the
    works summed over the years in which each was among the year's top (a lower bound of its
    pair works), the number of those years; the ``top`` first per country by works, then id.
    Columns ``country, rank, institution_id, institution, works, years``."""
    latest = institutions.sort_values("year").drop_duplicates("institution_id", keep="last")
    names = latest.set_index("institution_id")["institution"]
    sums = (institutions.groupby(["country", "institution_id"])
            .agg(works=("works", "sum"), years=("year", "nunique")).reset_index())
    sums = sums.sort_values(["country", "works", "institution_id"],
                            ascending=[True, False, True], kind="stable")
    sums = sums.groupby("country", sort=False).head(top)
    sums["rank"] = sums.groupby("country").cumcount() + 1
    sums["institution"] = sums["institution_id"].map(names).astype(str)
    return sums[["country", "rank", "institution_id", "institution", "works", "years"]
                ].reset_index(drop=True)
