"""Measures of the focal pair's work records: who leads their joint works, in which fields, with
what impact, and Hwang's (2008) division of research labour as testable rules.

The inputs are the cached files of `bibnet.fetch.fetch_records`: per year, every work with
authors from both focal countries ``A`` and ``B`` (in the configured order of ``focal``, e.g.
``[KR, GB]``), and each country's international output (works with authors from more than one
country) grouped by field, by domain and by field among its top-10%-cited works. The groups
include OpenAlex's ``unknown`` (works without a primary topic), so a baseline's groups add up to
all the country's international works; ``meta.count`` is not used (OpenAlex's documentation has
given it as the number of groups and, later, as the number of works).

Counting rules
--------------
The countries of an authorship are its ``countries`` as OpenAlex gives them; where that list is
absent or empty, the ``country_code`` of its institutions; where both are empty the authorship's
country is *unknown*. Unknowns are counted and reported in every table, never dropped.

Leadership (``first_author``, ``last_author``, ``corresponding_author``). The role's holders
are the authorships OpenAlex marks ``author_position`` ``first`` or ``last``, or
``is_corresponding``; where no authorship is marked corresponding, the authorships whose author
id is in ``corresponding_author_ids``. A work counts for each focal country among its holders'
countries (an author with affiliations in both counts for both, and also under ``both``); under
``other`` when its holders' countries are known and neither focal one; under ``unknown`` when
the role has no holder or no holder with a known country (single-author works have no ``last``
author, and corresponding authors are often not known). Shares divide by all the pair's works,
unknowns included, so a country's share never rises because others' are unknown.

Fractional counts (``fractional``; Perianes-Rodriguez, Waltman & van Eck 2016, author-level
fractional counting). Each work has weight 1, split equally over its authorships; each
authorship's part is split equally over its countries (the focal ones by code, the rest as
``other``, none known as ``unknown``). A year's fractional counts add up to its works. Whole
counts (``whole``) give a country 1 for every work with an author from it.

Fields (``focal_fields.parquet``). A work's field and domain are those of its
``primary_topic``; works without one count as ``UNKNOWN``. The activity index of the pair in
field f against country c is ``(pair_f / pair_known) / (c_f / c_known)``: the pair's share of
its works in f over c's share of its international works in f, both over the works whose field
is known (Frame's 1977 activity index; 1 is c's own profile). A field is *applied*
when its name is in ``records.applied_fields``. "c's other international works" are c's
international works less the pair's (the pair's works are a subset of them: both
queries filter ``countries_distinct_count:>1`` and the same extra filters); a difference below
zero, possible only where OpenAlex changed between the calls, is set to zero with a warning.

Impact. OpenAlex's own field normalisation is used, as the baselines can only be counted, not
listed: ``fwci`` (citations over those expected for works of the same subfield, type and year;
mean and median over the pair's works that have one, the others counted as ``fwci_missing``),
and the top-10% indicator ``citation_normalized_percentile.is_in_top_10_percent`` (top 10% most
cited of the same subfield and year). The pair's top-10% share is compared with each country's
other international works' share, ``(c_top10 - pair_top10) / (c_works - pair_works)``; a work
without a percentile counts as not in the top 10% on both sides, as the baseline counts it.

Institutions (``focal_institutions.parquet``). An institution carries a work when an author of
the work is affiliated with it; per year and focal country (the institution's
``country_code``), the ``records.top_institutions`` institutions carrying most of the pair's
works, ties by id.

Division-of-labour rules (`division_of_labour_verdicts`). Hwang (2008): the British side holds
basic theory and leads, the Korean side implementation and scale-up. With ``A, B = focal``
(KR, GB by default), each rule is judged per year, per period of ``records.period_years`` years
from the first year, and over all years, on counts pooled over the years (not averages of yearly
values); a year or period with fewer than ``records.min_works`` pair works is ``insufficient
data``:

- ``first_author_lead``, ``last_author_lead``, ``corresponding_author_lead``: ``B``'s share of
  the role minus ``A``'s share exceeds ``records.lead_margin`` (default 0): B leads more than it
  follows.
- ``applied_over_represented``: the pair's share of works in applied fields over the applied
  share of ``B``'s other international works exceeds ``records.applied_ratio`` (default 1):
  A-B work leans to applied fields more than B's other collaborations do.

Outputs
-------
``focal_records.parquet``: the tidy table ``year, country, measure, value``; ``country`` is a
focal code, ``both``, ``other``, ``unknown`` or ``pair`` (a measure of the pair's works as a
whole). Counts and the shares made from them are both there (`MEASURES` lists them).
``focal_fields.parquet``: ``year, level (field|domain), id, name, country, pair_works,
pair_share, intl_works, intl_share, activity_index``. ``focal_institutions.parquet``: ``year,
country, rank, institution_id, institution, works``. ``focal_verdicts.json``: the rules' verdicts.

Examples
--------
>>> work = {"authorships": [
...     {"author_position": "first", "countries": ["KR", "GB"], "is_corresponding": True},
...     {"author_position": "middle", "countries": [], "institutions": []},
...     {"author_position": "last", "countries": ["US"]}]}
>>> leadership(work, ["KR", "GB"])
{'first_author': ('KR', 'GB', 'both'), 'last_author': ('other',), 'corresponding_author': ('KR', 'GB', 'both')}
>>> {k: round(v, 3) for k, v in fractional(work, ["KR", "GB"]).items()}
{'KR': 0.167, 'GB': 0.167, 'other': 0.333, 'unknown': 0.333}
"""

from __future__ import annotations

import json
import logging
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pandas as pd

from bibnet.fetch import read_cached, write_json_atomic
from bibnet.logs import job_entry
from bibnet.outputs import (CONFIG_KEY, FOCAL_FIELD_COLUMNS, FOCAL_INSTITUTION_COLUMNS,
                            FOCAL_RECORD_COLUMNS, UNKNOWN_FIELD, config_slice)

logger = logging.getLogger(__name__)

ROLES = ("first_author", "last_author", "corresponding_author")
APPLIED_FIELDS = ("Engineering", "Computer Science", "Materials Science", "Chemical Engineering",
                  "Energy")
# Every measure of focal_records.parquet, with what it counts; "pair" rows describe the pair's
# works as a whole, the others one country (or both, other, unknown).
MEASURES = {
    "works": "the pair's works (pair)",
    **{role: f"works whose {role.replace('_', ' ')} is from the country (both, other, unknown)"
       for role in ROLES},
    **{f"{role}_share": f"{role} over works" for role in ROLES},
    "fractional": "author-level fractional count of the pair's works (other, unknown)",
    "fractional_share": "fractional over works",
    "whole": "works with an author from the country",
    "field_known": "pair works with a known field (pair)",
    "field_unknown": "pair works without a field (pair)",
    "applied": "pair works in an applied field (pair)",
    "applied_share": "applied over field_known (pair)",
    "intl_works": "the country's international works",
    "intl_field_known": "of them with a known field",
    "intl_applied": "of them in an applied field",
    "intl_top10": "of them in OpenAlex's top 10% most cited",
    "other_field_known": "the country's other international works with a known field",
    "other_applied": "of them in an applied field",
    "other_applied_share": "other_applied over other_field_known",
    "top10": "pair works in the top 10% most cited (pair)",
    "top10_share": "top10 over works (pair)",
    "percentile_missing": "pair works without a citation percentile (pair)",
    "other_top10_share": "the country's other international works' top-10% share",
    "fwci_mean": "mean FWCI of the pair's works that have one (pair)",
    "fwci_median": "median FWCI of the pair's works that have one (pair)",
    "fwci_works": "pair works with a FWCI (pair)",
    "fwci_missing": "pair works without a FWCI (pair)",
}
CLAIM = ("Hwang (2008): a division of research labour, the core country holding basic theory "
         "and leading, the semi-peripheral one implementation and scale-up")


@dataclass(frozen=True)
class RecordSettings:
    """The ``records:`` section of the configuration (config/README.md states each key).

    Examples
    --------
    >>> RecordSettings.from_config({"lead_margin": 0.05}).lead_margin
    0.05
    """

    applied_fields: tuple[str, ...] = APPLIED_FIELDS
    lead_margin: float = 0.0
    applied_ratio: float = 1.0
    min_works: int = 20
    period_years: int = 5
    top_institutions: int = 20

    @classmethod
    def from_config(cls, section: Mapping | None) -> RecordSettings:
        """Settings from the checked configuration's section; missing keys take defaults."""
        section = dict(section or {})
        unknown = sorted(set(section) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown records settings: {', '.join(unknown)}")
        if "applied_fields" in section:
            section["applied_fields"] = tuple(section["applied_fields"])
        return cls(**section)


# -- one work --------------------------------------------------------------------------------

def authorship_countries(authorship: Mapping) -> set[str]:
    """An authorship's countries: ``countries``, else its institutions' codes, else none.

    Examples
    --------
    >>> sorted(authorship_countries({"institutions": [{"country_code": "KR"}, {}]}))
    ['KR']
    """
    countries = set(authorship.get("countries") or ())
    if not countries:
        countries = {i["country_code"] for i in authorship.get("institutions") or ()
                     if i and i.get("country_code")}
    return countries


def _holders(work: Mapping, role: str) -> list[Mapping]:
    authorships = work.get("authorships") or []
    if role == "corresponding_author":
        flagged = [a for a in authorships if a.get("is_corresponding")]
        if flagged:
            return flagged
        ids = set(work.get("corresponding_author_ids") or ())
        return [a for a in authorships if (a.get("author") or {}).get("id") in ids]
    position = role.split("_")[0]
    return [a for a in authorships if a.get("author_position") == position]


def leadership(work: Mapping, pair: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The categories each role of ``work`` counts under (see the module's counting rules),
    in the order: the pair's codes, ``both``, ``other``, ``unknown``."""
    result = {}
    for role in ROLES:
        known = [c for c in (authorship_countries(a) for a in _holders(work, role)) if c]
        held = set().union(*known) if known else set()
        categories = tuple(code for code in pair if code in held)
        if len(categories) == len(pair):
            categories += ("both",)
        result[role] = categories or (("other",) if known else ("unknown",))
    return result


def fractional(work: Mapping, pair: Sequence[str]) -> dict[str, float]:
    """The work's weight 1 split over authorships, then over each authorship's countries."""
    shares = dict.fromkeys([*pair, "other", "unknown"], 0.0)
    authorships = work.get("authorships") or []
    if not authorships:
        shares["unknown"] = 1.0
        return shares
    for authorship in authorships:
        countries = authorship_countries(authorship)
        if not countries:
            shares["unknown"] += 1 / len(authorships)
        for country in countries:
            key = country if country in pair else "other"
            shares[key] += 1 / len(authorships) / len(countries)
    return shares


def _topic(work: Mapping, level: str) -> tuple[str, str]:
    """The (id, name) of the work's primary topic's field or domain; UNKNOWN without one."""
    node = (work.get("primary_topic") or {}).get(level) or {}
    ident = str(node.get("id") or "").rstrip("/").rsplit("/", 1)[-1]
    if not ident:
        return UNKNOWN_FIELD, "unknown"
    return ident.upper(), node.get("display_name") or ident


# -- one year --------------------------------------------------------------------------------

@dataclass
class YearTables:
    """One year's rows of the three tables."""

    measures: list[dict]
    fields: list[dict]
    institutions: list[dict]


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else math.nan


def _group_counts(document: Mapping) -> dict[str, tuple[str, int]]:
    return {g["code"]: (g.get("name") or g["code"], int(g["count"])) for g in document["groups"]}


def _known_total(groups: Mapping[str, tuple[str, int]]) -> int:
    return sum(n for code, (_, n) in groups.items() if code != UNKNOWN_FIELD)


def _not_below_zero(value: float, what: str, year: int) -> float:
    if value < 0:
        logger.warning("%d: %s is %s below zero (OpenAlex changed between the calls); set to 0",
                       year, what, -value)
        return 0
    return value


def year_tables(year: int, works: Sequence[Mapping], baselines: Mapping[tuple[str, str], Mapping],
                pair: Sequence[str], settings: RecordSettings) -> YearTables:
    """The measures of one year from its works and baselines.

    Parameters
    ----------
    year : int
        Publication year.
    works : sequence of dict
        The pair's works (OpenAlex Work objects, selected fields).
    baselines : mapping
        ``(country, what) -> baseline file`` for ``what`` in fields, domains, fields_top10.
    pair : sequence of two str
        The focal countries ``A, B``.
    settings : RecordSettings
        Applied fields and the number of institutions kept.
    """
    rows: list[dict] = []

    def put(measure: str, country: str, value: float) -> None:
        rows.append({"year": year, "country": country, "measure": measure,
                     "value": float(value)})

    n = len(works)
    put("works", "pair", n)
    categories = [*pair, "both", "other", "unknown"]
    held = [leadership(work, pair) for work in works]
    for role in ROLES:
        counts = Counter(c for roles in held for c in roles[role])
        for category in categories:
            put(role, category, counts[category])
            put(f"{role}_share", category, _ratio(counts[category], n))
    fractions = defaultdict(float)
    for work in works:
        for key, share in fractional(work, pair).items():
            fractions[key] += share
    for key in [*pair, "other", "unknown"]:
        put("fractional", key, fractions[key])
        put("fractional_share", key, _ratio(fractions[key], n))
    for country in pair:
        put("whole", country, sum(any(country in authorship_countries(a)
                                      for a in work.get("authorships") or ()) for work in works))

    applied = set(settings.applied_fields)
    field_of = [_topic(work, "field") for work in works]
    known = sum(code != UNKNOWN_FIELD for code, _ in field_of)
    pair_applied = sum(name in applied for code, name in field_of if code != UNKNOWN_FIELD)
    put("field_known", "pair", known)
    put("field_unknown", "pair", n - known)
    put("applied", "pair", pair_applied)
    put("applied_share", "pair", _ratio(pair_applied, known))

    percentiles = [work.get("citation_normalized_percentile") for work in works]
    top10 = sum(bool(p and p.get("is_in_top_10_percent")) for p in percentiles)
    put("top10", "pair", top10)
    put("top10_share", "pair", _ratio(top10, n))
    put("percentile_missing", "pair", sum(not p for p in percentiles))
    fwci = [float(w["fwci"]) for w in works if w.get("fwci") is not None]
    put("fwci_mean", "pair", statistics.fmean(fwci) if fwci else math.nan)
    put("fwci_median", "pair", statistics.median(fwci) if fwci else math.nan)
    put("fwci_works", "pair", len(fwci))
    put("fwci_missing", "pair", n - len(fwci))

    for country in pair:
        base = _group_counts(baselines[country, "fields"])
        base_known = _known_total(base)
        intl = sum(n for _, n in base.values())  # with the unknown group: every work
        base_applied = sum(n for code, (name, n) in base.items()
                           if code != UNKNOWN_FIELD and name in applied)
        intl_top10 = sum(n for _, n in _group_counts(baselines[country, "fields_top10"]).values())
        put("intl_works", country, intl)
        put("intl_field_known", country, base_known)
        put("intl_applied", country, base_applied)
        put("intl_top10", country, intl_top10)
        other_known = _not_below_zero(base_known - known, f"{country}'s other field-known works",
                                      year)
        other_applied = _not_below_zero(base_applied - pair_applied,
                                        f"{country}'s other applied works", year)
        other_works = _not_below_zero(intl - n, f"{country}'s other works", year)
        other_top10 = _not_below_zero(intl_top10 - top10, f"{country}'s other top-10% works",
                                      year)
        put("other_field_known", country, other_known)
        put("other_applied", country, other_applied)
        put("other_applied_share", country, _ratio(other_applied, other_known))
        put("other_top10_share", country, _ratio(other_top10, other_works))

    return YearTables(rows, _field_rows(year, works, baselines, pair),
                      _institution_rows(year, works, pair, settings.top_institutions))


def _field_rows(year: int, works: Sequence[Mapping], baselines: Mapping, pair: Sequence[str]
                ) -> list[dict]:
    rows = []
    for level, what in (("field", "fields"), ("domain", "domains")):
        topics = [_topic(work, level) for work in works]
        pair_counts = Counter(code for code, _ in topics)
        names = dict(topics)
        pair_known = sum(n for code, n in pair_counts.items() if code != UNKNOWN_FIELD)
        for country in pair:
            base = _group_counts(baselines[country, what])
            base_known = _known_total(base)
            for code in sorted(set(pair_counts) | set(base), key=lambda c: (len(c), c)):
                name = names.get(code) or base.get(code, (code, 0))[0]
                ours, theirs = pair_counts.get(code, 0), base.get(code, (name, 0))[1]
                is_known = code != UNKNOWN_FIELD
                pair_share = _ratio(ours, pair_known) if is_known else math.nan
                intl_share = _ratio(theirs, base_known) if is_known else math.nan
                rows.append({"year": year, "level": level, "id": code, "name": name,
                             "country": country, "pair_works": ours, "pair_share": pair_share,
                             "intl_works": theirs, "intl_share": intl_share,
                             "activity_index": _ratio(pair_share, intl_share)})
    return rows


def _institution_rows(year: int, works: Sequence[Mapping], pair: Sequence[str], top: int
                      ) -> list[dict]:
    carried: dict[str, Counter] = {country: Counter() for country in pair}
    names: dict[str, str] = {}
    for work in works:
        seen = {}
        for authorship in work.get("authorships") or ():
            for inst in authorship.get("institutions") or ():
                if inst and inst.get("id") and inst.get("country_code") in carried:
                    seen[inst["id"]] = inst["country_code"]
                    names[inst["id"]] = inst.get("display_name") or inst["id"]
        for ident, country in seen.items():
            carried[country][ident] += 1
    rows = []
    for country in pair:
        ranked = sorted(carried[country].items(), key=lambda item: (-item[1], item[0]))[:top]
        rows.extend({"year": year, "country": country, "rank": rank, "institution_id": ident,
                     "institution": names[ident], "works": count}
                    for rank, (ident, count) in enumerate(ranked, 1))
    return rows


def read_year(manifest_path: str | Path) -> tuple[int, list[str], list[dict], dict]:
    """A year's works and baselines from the manifest `bibnet.fetch.fetch_records` wrote.

    Returns ``(year, pair, works, baselines)``, baselines keyed by ``(country, what)``.
    """
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    raw_dir = manifest_path.parents[2]  # records/{A}-{B}/{year}.manifest.json
    works = read_cached(raw_dir / manifest["records"], "works")["works"]
    baselines = {(country, what): read_cached(raw_dir / path, "groups")
                 for country, files in manifest["baselines"].items()
                 for what, path in files.items()}
    return manifest["year"], manifest["pair"], works, baselines


# -- the verdicts ----------------------------------------------------------------------------

def _periods(years: Sequence[int], length: int) -> list[tuple[int, int]]:
    first, last = min(years), max(years)
    return [(start, min(start + length - 1, last)) for start in range(first, last + 1, length)]


def _rules(pair: Sequence[str], settings: RecordSettings) -> list[dict]:
    a, b = pair
    rules = [{
        "name": f"{role}_lead",
        "statement": (f"{b} holds the {role.replace('_', ' ')}ship of {a}-{b} works more often "
                      f"than {a}: {b}'s share minus {a}'s share exceeds the margin"),
        "value_rule": f"({role}[{b}] - {role}[{a}]) / works",
        "threshold": settings.lead_margin,
        "value": lambda s, role=role: _ratio(s[role, b] - s[role, a], s["works", "pair"]),
        "support": ("works", "pair"),
    } for role in ROLES]
    rules.append({
        "name": "applied_over_represented",
        "statement": (f"{a}-{b} works lean to applied fields "
                      f"({', '.join(settings.applied_fields)}) more than {b}'s other "
                      "international works do: the ratio of their applied shares exceeds the "
                      "threshold"),
        "value_rule": (f"(applied / field_known)[pair] / "
                       f"(other_applied / other_field_known)[{b}]"),
        "threshold": settings.applied_ratio,
        "value": lambda s: _ratio(_ratio(s["applied", "pair"], s["field_known", "pair"]),
                                  _ratio(s["other_applied", b], s["other_field_known", b])),
        "support": ("field_known", "pair"),
    })
    return rules


def _judge(rule: dict, sums: Mapping[tuple[str, str], float], min_works: int) -> dict:
    support = sums.get(rule["support"], 0.0)
    value = rule["value"](sums) if support else math.nan
    if support < min_works or math.isnan(value):
        verdict = "insufficient data"
    else:
        verdict = "supported" if value > rule["threshold"] else "not supported"
    return {"works": int(support), "value": None if math.isnan(value) else round(value, 6),
            "verdict": verdict}


def division_of_labour_verdicts(records: pd.DataFrame | str | Path, pair: Sequence[str],
                                settings: RecordSettings | None = None) -> dict[str, Any]:
    """Hwang's division-of-labour rules judged per year, per period and over all years.

    Parameters
    ----------
    records : DataFrame or path
        ``focal_records.parquet`` (``year, country, measure, value``).
    pair : sequence of two str
        The focal countries ``A, B``; the rules ask whether ``B`` (the core, GB) leads.
    settings : RecordSettings, optional
        Thresholds, minimum works and period length; defaults as in config/README.md.

    Returns
    -------
    dict
        ``claim``, ``pair``, ``settings`` and ``rules``: one entry per rule with ``name``,
        ``statement``, ``value_rule``, ``threshold``, ``comparison`` (``">"``), ``years``
        (``{year: {works, value, verdict}}``), ``periods`` (``{"1990-1994": {...}}``) and
        ``overall``; verdicts are ``supported``, ``not supported`` or ``insufficient data``.
        Periods and the overall verdict pool the counts of their years. JSON-ready.

    Examples
    --------
    >>> rows = [(2001, "pair", "works", 40), (2001, "GB", "first_author", 25),
    ...         (2001, "KR", "first_author", 15)]
    >>> table = pd.DataFrame(rows, columns=["year", "country", "measure", "value"])
    >>> out = division_of_labour_verdicts(table, ["KR", "GB"])
    >>> rule = out["rules"][0]
    >>> rule["name"], rule["years"]["2001"]
    ('first_author_lead', {'works': 40, 'value': 0.25, 'verdict': 'supported'})
    >>> out["rules"][3]["overall"]["verdict"]
    'insufficient data'
    """
    settings = settings or RecordSettings()
    table = records if isinstance(records, pd.DataFrame) else pd.read_parquet(records)
    table = table.dropna(subset=["value"])
    sums_by_year: dict[int, dict] = defaultdict(lambda: defaultdict(float))
    for year, country, measure, value in table[["year", "country", "measure", "value"]] \
            .itertuples(index=False):
        sums_by_year[int(year)][measure, country] += float(value)
    years = sorted(sums_by_year)

    def pooled(span: Iterable[int]) -> dict:
        sums: dict = defaultdict(float)
        for year in span:
            for key, value in sums_by_year[year].items():
                sums[key] += value
        return sums

    out_rules = []
    for rule in _rules(pair, settings):
        entry = {k: rule[k] for k in ("name", "statement", "value_rule", "threshold")}
        entry["comparison"] = ">"
        entry["years"] = {str(y): _judge(rule, pooled([y]), settings.min_works) for y in years}
        entry["periods"] = {
            f"{first}-{last}": _judge(rule, pooled(y for y in years if first <= y <= last),
                                      settings.min_works)
            for first, last in (_periods(years, settings.period_years) if years else [])}
        entry["overall"] = _judge(rule, pooled(years), settings.min_works)
        out_rules.append(entry)
    return {"claim": CLAIM, "pair": list(pair),
            "settings": {"lead_margin": settings.lead_margin,
                         "applied_ratio": settings.applied_ratio,
                         "applied_fields": list(settings.applied_fields),
                         "min_works": settings.min_works,
                         "period_years": settings.period_years},
            "rules": out_rules}


# -- the stage -------------------------------------------------------------------------------

def _counting_note(measures: pd.DataFrame) -> dict[str, int]:
    """What was counted as unknown, over all years: the report says how many."""
    total = measures.groupby(["measure", "country"])["value"].sum()

    def get(measure: str, country: str) -> int:
        return int(round(total.get((measure, country), 0)))

    return {"works": get("works", "pair"),
            **{f"{role}_unknown": get(role, "unknown") for role in ROLES},
            "fractional_unknown": round(float(total.get(("fractional", "unknown"), 0.0)), 3),
            "field_unknown": get("field_unknown", "pair"),
            "fwci_missing": get("fwci_missing", "pair"),
            "percentile_missing": get("percentile_missing", "pair")}


@job_entry
def build_focal_records(manifests: Sequence[str | Path], records_out: str | Path,
                        fields_out: str | Path, institutions_out: str | Path,
                        verdicts_out: str | Path, *, focal: Sequence[str],
                        records: Mapping) -> dict[str, Any]:
    """Measure every year's records and write the three tables and the verdicts.

    Parameters
    ----------
    manifests : sequence of path
        One ``records/{A}-{B}/{year}.manifest.json`` per year.
    records_out, fields_out, institutions_out : path
        ``focal_records.parquet``, ``focal_fields.parquet``, ``focal_institutions.parquet``.
    verdicts_out : path
        ``focal_verdicts.json``: `division_of_labour_verdicts` plus ``counting``, the unknowns.
    focal, records
        The configuration's ``focal`` pair and ``records`` section (`RecordSettings`).

    Returns
    -------
    dict
        What was written to ``verdicts_out``.
    """
    pair = list(focal)
    settings = RecordSettings.from_config(records)
    made_from = config_slice(focal=pair, records=records)
    parts = []
    for manifest in manifests:
        year, fetched_pair, works, baselines = read_year(manifest)
        if fetched_pair != pair:
            raise ValueError(f"{manifest} holds the records of {fetched_pair}, not of the "
                             f"configured focal pair {pair}")
        parts.append(year_tables(year, works, baselines, pair, settings))
        logger.info("%d: %d works of %s", year, len(works), "-".join(pair))
    measures = pd.DataFrame([r for p in parts for r in p.measures],
                            columns=list(FOCAL_RECORD_COLUMNS))
    field_table = pd.DataFrame([r for p in parts for r in p.fields],
                               columns=list(FOCAL_FIELD_COLUMNS))
    institutions = pd.DataFrame([r for p in parts for r in p.institutions],
                                columns=list(FOCAL_INSTITUTION_COLUMNS))
    for frame, path in ((measures, records_out), (field_table, fields_out),
                        (institutions, institutions_out)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        frame.attrs[CONFIG_KEY] = made_from
        frame.to_parquet(path, index=False)
    verdicts = division_of_labour_verdicts(measures, pair, settings)
    verdicts["counting"] = _counting_note(measures)
    verdicts[CONFIG_KEY] = made_from
    logger.info("counted as unknown or missing: %s", verdicts["counting"])
    write_json_atomic(Path(verdicts_out), verdicts)
    return verdicts
