"""The study: one centre or several (Wagner & Leydesdorff), and the Korea–UK case (Hwang).

Fed only by the blockmodel stage's outputs (``blockmodels/{year}.json``, ``tiers.parquet``) and
the graphs' counts, this module turns the fits into stated, reproducible answers per year.

Several centres (Wagner & Leydesdorff 2003, 2005)
    Per year and variant, with ``delta = criterion(best one-centre) - criterion(best
    several-centres)`` (criteria are -2 ICL, lower is better, so a positive delta favours
    several centres) and ``p`` the parametric-bootstrap p-value of the likelihood-ratio test of
    one centre against several:

    * ``several centres`` if ``delta >= margin`` and ``p <= alpha``;
    * ``one centre`` if ``delta <= -margin`` and ``p > alpha``;
    * ``undecided`` otherwise.

    Defaults ``margin = 10`` (Kass & Raftery 1995: a difference above 10 on the -2 log scale
    is "very strong" evidence) and ``alpha = 0.05``; both are in the configuration.

Hwang (2008)
    Korea sits in a middle or grey area while the UK is core, read in the configured tier
    model (``tier_model``): ``supported`` when ``P(first focal in the semi-periphery) >=
    semi_min`` and ``P(second focal in the core) >= core_min`` (defaults 0.5 and 0.9), ``not
    supported`` otherwise, ``undecided`` where a focal country has no tier that year. The
    default tier model is the three-tier layered model without degree correction
    (``layered_plain``), whose semi-periphery is the middle tier by construction and whose
    tiers are tiers of collaboration volume, as in the world-system reading Hwang uses. The
    degree-corrected layered fit, which the criterion prefers, is not the default: on the
    real networks its search ends in different partitions for different seeds (2015: 1,400
    nats apart, with Korea in all three tiers), and its bootstrap, refitting from the fitted
    partition, cannot show that. The same rule is applied in every other tier model too
    (``views``), side by side.

Tier probabilities come with Wilson score intervals (95 %) over the bootstrap replicates.
The same tier model gives the core countries (for each focal country's share of links to the
core) and the dynamics (core size, transitions, moves). The pair's affinity is observed works over ``s_i s_j / 2W`` (strength-preserving null, as
``bibnet.graphs.affinity``); its trend is the Mann–Kendall test (Kendall's tau of affinity
against year, two-sided, ``scipy.stats.kendalltau``) with the Theil–Sen slope, both rank-based
and so robust to one-year artefacts such as the KR-US jump of 2020.

Examples
--------
>>> centres_verdict(delta=12.0, p_value=0.01, margin=10, alpha=0.05)
'several centres'
>>> centres_verdict(delta=-10.0, p_value=0.2, margin=10, alpha=0.05)
'one centre'
>>> centres_verdict(delta=9.9, p_value=0.01, margin=10, alpha=0.05)
'undecided'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from bibnet.blockmodels.files import PROBABILITY_COLUMNS, TIER_NAMES
from bibnet.graphs import affinity, read_year_graph
from bibnet.logs import job_entry

Z_95 = 1.959963984540054


def centres_verdict(delta: float, p_value: float, margin: float, alpha: float) -> str:
    """The several-centres verdict of one fit, by the rule in the module docstring."""
    if delta >= margin and p_value <= alpha:
        return "several centres"
    if delta <= -margin and p_value > alpha:
        return "one centre"
    return "undecided"


def hwang_verdict(p_semi_first: float, p_core_second: float, semi_min: float,
                  core_min: float) -> str:
    """Hwang's claim for one year, by the rule in the module docstring.

    Examples
    --------
    >>> hwang_verdict(0.5, 0.9, 0.5, 0.9), hwang_verdict(0.49, 1.0, 0.5, 0.9)
    ('supported', 'not supported')
    >>> hwang_verdict(float("nan"), 1.0, 0.5, 0.9)
    'undecided'
    """
    if math.isnan(p_semi_first) or math.isnan(p_core_second):
        return "undecided"
    return "supported" if p_semi_first >= semi_min and p_core_second >= core_min \
        else "not supported"


def hwang_evidence(focal_rows: pd.DataFrame, model: str, focal: Sequence[str],
                   thresholds: Mapping) -> dict:
    """Hwang's verdict in one tier model from one year's focal rows (:func:`focal_table`)."""
    chosen = focal_rows[focal_rows["model"] == model]
    first = chosen[chosen["country"] == focal[0]]["p_semi"]
    second = chosen[chosen["country"] == focal[1]]["p_core"]
    p_semi = float(first.iloc[0]) if len(first) else math.nan
    p_core = float(second.iloc[0]) if len(second) else math.nan
    return {"model": model, f"p_semi_{focal[0]}": p_semi, f"p_core_{focal[1]}": p_core,
            "verdict": hwang_verdict(p_semi, p_core, thresholds["semi_min"],
                                     thresholds["core_min"])}


def wilson_interval(p: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval of proportions ``p`` out of ``n`` replicates.

    Examples
    --------
    >>> low, high = wilson_interval(np.array([0.0, 1.0]), 200)
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.0, 0.981], [0.019, 1.0])
    """
    p = np.asarray(p, dtype=float)
    z2 = Z_95 ** 2
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z_95 * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # the interval holds p exactly; min/max only undo rounding at p = 0 and p = 1
    return np.clip(np.minimum(centre - half, p), 0, 1), np.clip(np.maximum(centre + half, p), 0, 1)


def centres_evidence(variant: Mapping, margin: float, alpha: float) -> dict:
    """Evidence and verdict of one variant of one year's blockmodel record."""
    criteria = {fit["model"]: fit["criterion"] for fit in variant["fits"]}
    families = {fit["model"]: fit["family"] for fit in variant["fits"]}
    one, several = variant["best_one_centre"], variant["best_several_centres"]
    delta = criteria[one] - criteria[several]
    test = variant["test"]
    return {"selected": variant["selected"], "selected_family": families[variant["selected"]],
            "best_one_centre": one, "best_several_centres": several,
            "criterion_difference": delta, "lr_statistic": test["statistic"],
            "p_value": test["p_value"], "replicates": test["replicates"],
            "countries": len(variant["codes"]), "left_out": variant.get("left_out"),
            "window": variant.get("years"),
            "verdict": centres_verdict(delta, test["p_value"], margin, alpha)}


def focal_table(tiers: pd.DataFrame, focal: Sequence[str], replicates: int) -> pd.DataFrame:
    """Per year, focal country and tier model: tier, probabilities and Wilson intervals."""
    rows = tiers[(tiers["variant"] == "all") & tiers["country"].isin(list(focal))].copy()
    for column in PROBABILITY_COLUMNS:
        rows[f"{column}_low"], rows[f"{column}_high"] = wilson_interval(rows[column], replicates)
    rows = rows.drop(columns="variant")
    return rows.sort_values(["year", "country", "model"], ignore_index=True)


def first_years(focal: pd.DataFrame, model: str, threshold: float) -> dict:
    """Per focal country, the first year it is semi-periphery (or core) with P >= threshold.

    A country counts as having entered the semi-periphery once P(semi) or P(core) reaches
    the threshold (moving past it counts as entering it).
    """
    chosen = focal[focal["model"] == model]
    found = {}
    for country, rows in chosen.groupby("country", sort=True):
        rows = rows.sort_values("year")
        core = rows[rows["p_core"] >= threshold]["year"]
        semi = rows[(rows["p_semi"] + rows["p_core"]) >= threshold]["year"]
        found[str(country)] = {"semi_periphery": int(semi.iloc[0]) if len(semi) else None,
                               "core": int(core.iloc[0]) if len(core) else None}
    return found


def pair_measures(graph, focal: Sequence[str], core: set[str]) -> dict:
    """The focal pair's works, expected works, affinity, shares to core and asymmetry."""
    first, second = focal
    codes = list(graph.codes)
    if first not in codes or second not in codes:
        return {"works": None, "expected": None, "affinity": None}
    i, j = codes.index(first), codes.index(second)
    counts = np.asarray(graph.counts)
    strengths = counts.sum(axis=1)
    expected = strengths[i] * strengths[j] / strengths.sum()
    core_index = [codes.index(c) for c in core if c in codes]
    measures = {"works": float(counts[i, j]), "expected": float(expected),
                "affinity": float(affinity(counts)[i, j])}
    for code, k, other in ((first, i, j), (second, j, i)):
        partners_in_core = [c for c in core_index if c != k]
        measures[f"{code}_share_to_core"] = float(counts[k, partners_in_core].sum() / strengths[k])
        measures[f"{code}_share_to_partner"] = float(counts[k, other] / strengths[k])
    return measures


def affinity_trend(years: Sequence[int], values: Sequence[float]) -> dict:
    """Mann–Kendall trend test and Theil–Sen slope of the pair's affinity over the years.

    Examples
    --------
    >>> trend = affinity_trend([2000, 2001, 2002, 2003, 2004], [1.0, 1.1, 1.3, 1.2, 1.5])
    >>> round(trend["kendall_tau"], 2), round(trend["theil_sen_slope"], 3)
    (0.8, 0.113)
    """
    pairs = [(y, v) for y, v in zip(years, values) if v is not None and np.isfinite(v)]
    if len(pairs) < 3:
        return {"test": "Mann-Kendall", "years": len(pairs), "kendall_tau": None,
                "p_value": None, "theil_sen_slope": None}
    x, y = np.array(pairs).T
    tau = stats.kendalltau(x, y)
    slope = stats.theilslopes(y, x)
    return {"test": "Mann-Kendall (Kendall's tau of affinity on year, two-sided)",
            "years": len(pairs), "kendall_tau": float(tau.statistic),
            "p_value": float(tau.pvalue), "theil_sen_slope": float(slope.slope)}


def dynamics_table(tiers: pd.DataFrame, model: str) -> pd.DataFrame:
    """Core size per year, tier transitions between consecutive years and over the whole
    period, and every country's move, in the tiers of ``model`` (variant ``all``).

    Columns: ``kind`` (``core_size``, ``transition``, ``period_transition``, ``move``),
    ``year_from``, ``year_to``, ``tier_from``, ``tier_to``, ``country`` (moves only) and
    ``countries`` (how many). A move is up when the new tier is more central.
    """
    chosen = tiers[(tiers["variant"] == "all") & (tiers["model"] == model)]
    tier_by_year = chosen.pivot(index="country", columns="year", values="tier")
    years = sorted(tier_by_year.columns)
    records = [{"kind": "core_size", "year_to": year, "tier_to": "core",
                "countries": int((tier_by_year[year] == "core").sum())} for year in years]
    steps = list(zip(years, years[1:]))
    if len(years) > 1:
        steps.append((years[0], years[-1]))
    for step, (before, after) in enumerate(steps):
        kind = "period_transition" if step == len(years) - 1 else "transition"
        both = tier_by_year[[before, after]].dropna()
        for (tier_from, tier_to), group in both.groupby([before, after], sort=True):
            records.append({"kind": kind, "year_from": before, "year_to": after,
                            "tier_from": tier_from, "tier_to": tier_to,
                            "countries": len(group)})
            if kind == "transition" and tier_from != tier_to:
                records += [{"kind": "move", "year_from": before, "year_to": after,
                             "tier_from": tier_from, "tier_to": tier_to, "country": country,
                             "countries": 1} for country in sorted(group.index)]
    columns = {"kind": "string", "year_from": "Int64", "year_to": "Int64", "tier_from": "string",
               "tier_to": "string", "country": "string", "countries": "int64"}
    table = pd.DataFrame.from_records(records, columns=list(columns)).astype(columns)
    table["direction"] = pd.Series(
        [None if pd.isna(a) or a == b else ("up" if TIER_NAMES.index(b) < TIER_NAMES.index(a) else "down")
         for a, b in zip(table["tier_from"], table["tier_to"])], dtype="string")
    return table


def _core_countries(tiers: pd.DataFrame, year: int, model: str) -> set[str]:
    rows = tiers[(tiers["year"] == year) & (tiers["variant"] == "all")
                 & (tiers["model"] == model) & (tiers["tier"] == "core")]
    return set(rows["country"])


@job_entry
def write_study(config: Mapping, blockmodel_paths: Sequence[str | Path], tiers_path: str | Path,
                counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
                provenance_path: str | Path, verdicts_path: str | Path,
                focal_path: str | Path, dynamics_path: str | Path,
                records_verdicts: Sequence[str | Path] = ()) -> dict:
    """Write ``verdicts.json``, ``focal.parquet`` and ``dynamics.parquet`` for every year.

    Parameters
    ----------
    config : mapping
        The checked configuration (``focal``, ``hypotheses``, ``blockmodels``, ...).
    blockmodel_paths : sequence of path
        Each year's ``blockmodels/{year}.json``, in year order.
    tiers_path : path
        ``tiers.parquet``.
    counts_paths, totals_paths : sequence of path
        Each year's counts and totals tables, in the same year order (for the pair measures).
    provenance_path : path
        ``provenance.json`` of the counts, copied into the verdicts.
    verdicts_path, focal_path, dynamics_path : path
        Where the outputs go.
    records_verdicts : sequence of path
        ``focal_verdicts.json`` of ``bibnet.records`` (Hwang's division of labour in the focal
        pair's work records), where the records were fetched; it goes into the verdicts as is.
    """
    rules = config["hypotheses"]
    focal = list(config["focal"])
    tiers = pd.read_parquet(tiers_path)
    replicates = config["blockmodels"]["tier_replicates"]
    focal_rows = focal_table(tiers, focal, replicates)
    tier_model = rules["tier_model"]
    per_year, pair_rows = {}, []
    for fits_path, counts_path, totals_path in zip(blockmodel_paths, counts_paths, totals_paths):
        record = json.loads(Path(fits_path).read_text(encoding="utf-8"))
        year = record["year"]
        centres = {name: centres_evidence(variant, rules["centres"]["criterion_margin"],
                                          rules["centres"]["alpha"])
                   for name, variant in record["variants"].items()}
        year_rows = focal_rows[focal_rows["year"] == year]
        views = {model: hwang_evidence(year_rows, model, focal, rules["hwang"])
                 for model in sorted(focal_rows["model"].unique()) if model != tier_model}
        graph = read_year_graph(config, counts_path, totals_path)
        pair = pair_measures(graph, focal, _core_countries(tiers, year, tier_model))
        pair_rows.append({"year": year, **pair})
        per_year[str(year)] = {
            "centres": centres,
            "hwang": {**hwang_evidence(year_rows, tier_model, focal, rules["hwang"]),
                      "views": views},
            "pair": pair}
    pairs = pd.DataFrame.from_records(pair_rows)
    focal_out = focal_rows.merge(pairs, on="year", how="left")
    provenance = json.loads(Path(provenance_path).read_text(encoding="utf-8"))
    verdicts = {
        "source": config["source"], "synthetic": config["source"] == "synthetic",
        "provenance": provenance,
        "config": {key: config[key] for key in
                   ("years", "countries", "focal", "seed", "graphs", "blockmodels",
                    "hypotheses") if key in config},
        "rules": dict(zip(("centres", "hwang"), _rule_text(rules, focal))),
        "focal_first_years": {model: first_years(focal_rows, model, rules["entry_probability"])
                              for model in sorted(focal_rows["model"].unique())},
        "affinity_trend": affinity_trend(pairs["year"].tolist(), pairs["affinity"].tolist()),
        "years": per_year,
    }
    for path in records_verdicts:
        verdicts["division_of_labour"] = json.loads(Path(path).read_text(encoding="utf-8"))
    Path(verdicts_path).write_text(json.dumps(verdicts, indent=1, sort_keys=True) + "\n",
                                   encoding="utf-8")
    for frame, path in ((focal_out, focal_path),
                        (dynamics_table(tiers, tier_model), dynamics_path)):
        frame.attrs["bibnet.source"] = config["source"]
        frame.to_parquet(path, index=False)
    return verdicts


def _rule_text(rules: Mapping, focal: Sequence[str]) -> tuple[str, str]:
    centres, hwang, model = rules["centres"], rules["hwang"], rules["tier_model"]
    return (f"several centres if criterion(best one-centre) - criterion(best several-centres) "
            f">= {centres['criterion_margin']} and bootstrap LR p <= {centres['alpha']}; one "
            f"centre if that difference <= -{centres['criterion_margin']} and p > "
            f"{centres['alpha']}; undecided otherwise",
            f"supported if P({focal[0]} semi-periphery) >= {hwang['semi_min']} and "
            f"P({focal[1]} core) >= {hwang['core_min']} in the {model} model's tiers")
