r"""The study: what structure beyond size the network has (Wagner & Leydesdorff), and the
Korea–UK case (Hwang).

Fed only by the blockmodel stage's outputs (``blockmodels/{year}.json``, ``tiers.parquet``) and
the graphs' counts, this module turns the effect sizes into stated, reproducible answers per
year and variant. The years are read as a series: each year's figures come with intervals, and
the report shows them side by side, not as 34 separate tests.

Structure beyond size, and its reading (Wagner & Leydesdorff 2003, 2005)
    From :mod:`bibnet.blockmodels.readings` and :mod:`bibnet.blockmodels.uncertainty`: ``S``,
    the share of the degree-only null's deviance the richest reading explains, and each
    reading's retention :math:`\bar R_X`, the share of what ``max_blocks`` blocks hold beyond
    size that its best fit keeps (one centre, several centres, regional communities; centre
    readings count only fits whose cores pass the centre check), with 95 % intervals (the
    percentiles of residual-bootstrap replicates moved onto the estimate,
    :func:`bibnet.blockmodels.uncertainty.percentile_interval`: replicates with the data's
    own noise, refitted from scratch) and the jackknife over the strongest countries. With
    ``L`` the reading of highest :math:`\bar R`, ``N`` the next, the lead
    :math:`\Delta = \bar R_L - \bar R_N` and its interval computed on each replicate's own
    :math:`\bar R_L - \bar R_N`:

    * ``no structure beyond size`` if the upper end of the interval of the excess share
      :math:`E = S - S_0` is below ``min_excess``, :math:`S_0` being the 97.5th percentile of
      the share the richest SBM explains in the null replicates (worlds of the degree-only null
      with its own measured overdispersion, :mod:`bibnet.blockmodels.uncertainty`): the
      structure found is no more than size plus noise produce;
    * ``undecided`` if E's interval straddles ``min_excess``;
    * the reading ``L`` (``one centre``, ``several centres`` or ``regional communities``) if
      :math:`\Delta \ge` ``margin`` and ``L`` leads in at least ``min_support`` of the
      bootstrap and jackknife refits together (its *support*, as bootstrap support is read
      in phylogenetics, Felsenstein 1985): neither the noise of the counts nor any one of
      the strongest countries carries the verdict;
    * ``undecided`` otherwise.

    Support, not an interval of :math:`\Delta`, decides, because a centre reading's retention
    is nearly two-valued across refits: its best fit passes the centre check (retention near
    that of the other readings or above) or, where a refit's search ends in a partition with a
    large country misplaced, fails it (retention 0); an interval of such a mixture says little,
    the share of refits that agree says what is meant. The lead's interval is reported beside
    it.

    Defaults ``min_excess = 0.08``, ``margin = 0.05`` and ``min_support = 0.8`` (configuration ``hypotheses.centres``),
    chosen on planted worlds at the real data's scale and overdispersion
    (``tests/hypotheses/test_hypotheses_planted.py`` gives the accuracy table). Every input is a ratio of
    deviance differences, so the verdict does not rest on a Poisson p-value or likelihood gap,
    which grow with volume whatever the structure.

Hwang (2008): Korea in a middle or grey area, the UK the centre
    The centre is the core class of collaboration volume (the three-tier layered model without
    degree correction, ``size_classes``): a class of size, named as such, with how well the
    degree-only null reproduces it (``size_classes_null_ari``). Korea's position is read as a
    relation beyond size: its dependence on the centre,
    :math:`d_i = (A_{iC}/s_C) / (A_{i,rest}/s_{rest})`
    (:func:`bibnet.blockmodels.readings.centre_dependence`; 1 is what size predicts), against
    that of its ``peers``, the countries next to it by strength on either side outside the
    centre: :math:`\rho = \log d_{KR} - \mathrm{median}_{peers} \log d_j`, read against
    the peers' own spread (their 10th and 90th percentiles of the same difference). Korea is
    ``middle`` when :math:`\rho` is above its peers' 90th percentile (tied to the centre beyond
    what nine in ten countries of its size are) and it is not itself in the centre
    (P(core) < 0.5); ``not middle`` when :math:`\rho \le 0` (no more tied than the median
    country of its size) or it is in the centre; ``unclear`` otherwise. The comparison is with
    the peers, not with a bootstrap of Korea's own counts: a country's ties to a centre of a
    few countries are a few pairs whose pair effects (language, history) *are* the relation
    being measured, and a resampling that redraws them around a block model's means measures
    the model instead (on planted worlds it put the basic bootstrap interval of a tied country's
    :math:`\rho` wholly below its estimate). The claim is

    * ``supported`` if the UK is in the centre with P >= ``core_min`` and Korea is middle;
    * ``not supported`` if Korea is not middle, or the UK is in the centre with P below
      ``1 - core_min``;
    * ``undecided`` otherwise, or where a focal country has no links that year.

    The division-of-labour verdicts of the focal pair's work records (``bibnet.records``) join
    the verdicts where they exist.

Tier probabilities come with Wilson score intervals (95 %) over the bootstrap replicates. The
same tier model gives the core countries (for each focal country's share of links to the core)
and the dynamics (core size, transitions, moves). The pair's affinity is observed works over
``s_i s_j / 2W`` (strength-preserving null, as ``bibnet.graphs.affinity``); its trend is the
Mann–Kendall test (Kendall's tau of affinity against year, two-sided,
``scipy.stats.kendalltau``) with the Theil–Sen slope, both rank-based and so robust to one-year
artefacts such as the KR-US jump of 2020.

Examples
--------
>>> rule = {"min_excess": 0.08, "margin": 0.05, "min_support": 0.8}
>>> centres_verdict((0.3, 0.25, 0.35), "regional communities", lead=0.2, support=0.9, **rule)
'regional communities'
>>> centres_verdict((0.01, -0.02, 0.04), "one centre", lead=0.2, support=1.0, **rule)
'no structure beyond size'
>>> centres_verdict((0.3, 0.25, 0.35), "several centres", lead=0.2, support=0.7, **rule)
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

from bibnet.blockmodels.uncertainty import percentile_interval
from bibnet.graphs import affinity, read_year_graph
from bibnet.logs import job_entry
from bibnet.outputs import (CONFIG_KEY, PROBABILITY_COLUMNS, READINGS, SOURCE_KEY, TIER_NAMES,
                            VERDICTS_VOCABULARY, config_slice, made_from, recorded_config)

Z_95 = 1.959963984540054


def centres_verdict(excess: Sequence[float], leader: str | None, lead: float,
                    support: float, min_excess: float, margin: float,
                    min_support: float) -> str:
    """The verdict of one year and variant, by the rule in the module docstring.

    ``excess`` is ``(value, low, high)``; ``lead`` the observed lead, ``support`` the share of
    refits in which the leader leads.
    """
    _, excess_low, excess_high = excess
    if excess_high < min_excess:
        return "no structure beyond size"
    if excess_low < min_excess or leader is None:
        return "undecided"
    return leader if lead >= margin and support >= min_support else "undecided"


def _triple(observed: float, values, bounds: tuple[float, float] = (0.0, 1.0)) -> dict:
    low, high = (percentile_interval(observed, values, bounds) if len(values)
                 else (math.nan, math.nan))
    return {"value": observed, "low": low, "high": high}


def _leaders(summary: Mapping) -> tuple[str | None, str | None]:
    ranked = sorted((r for r in READINGS if np.isfinite(summary.get(r, math.nan))),
                    key=lambda r: -summary[r])
    return (ranked[0] if ranked else None), (ranked[1] if len(ranked) > 1 else None)


def centres_evidence(variant: Mapping, rules: Mapping) -> dict:
    """Evidence and verdict of one variant of one year's blockmodel record."""
    replicates = pd.DataFrame(variant["replicates"])
    boot = replicates[replicates["kind"] == "bootstrap"]
    jack = replicates[replicates["kind"] == "jackknife"]
    summary = variant["summary"]
    leader, runner_up = _leaders(summary)
    readings = {r: {**_triple(summary[r], boot[r].dropna()),
                    "jackknife": _range(jack[r])} for r in READINGS}
    share = {**_triple(variant["share"], boot["share"].dropna()),
             "jackknife": _range(jack["share"])}
    null_shares = replicates.loc[replicates["kind"] == "null", "share"].dropna()
    noise = float(np.percentile(null_shares, 97.5)) if len(null_shares) else math.nan
    excess = {key: share[key] - noise for key in ("value", "low", "high")}
    if leader is not None and runner_up is not None:
        lead = _triple(summary[leader] - summary[runner_up],
                       (boot[leader] - boot[runner_up]).dropna(), bounds=(-1.0, 1.0))
    else:
        lead = {"value": math.nan, "low": math.nan, "high": math.nan}
    jack_leaders = {row["left_out"]: _leaders(row)[0] for row in jack.to_dict(orient="records")}
    refits = [_leaders(row)[0] for row in boot.to_dict(orient="records")]
    refits += list(jack_leaders.values())
    support = (sum(found == leader for found in refits) / len(refits)) if refits else math.nan
    verdict = centres_verdict((excess["value"], excess["low"], excess["high"]), leader,
                              lead["value"], support, rules["min_excess"], rules["margin"],
                              rules["min_support"])
    reference = variant["reference"]
    return {"verdict": verdict, "share": share, "noise_share": noise, "excess_share": excess,
            "readings": readings, "leader": leader,
            "runner_up": runner_up, "lead": lead, "support": support,
            "jackknife_leaders": jack_leaders, "retention_by_blocks": variant["retention"],
            "dispersion": {key: reference[key] for key in
                           ("phi", "null_dispersion", "variance_function", "levels_off")},
            "cores": _best_cores(variant["fits"]),
            "countries": len(variant["codes"]), "window": variant.get("years"),
            "replicates": int(len(boot)), "jackknife": int(len(jack))}


def _range(values: pd.Series) -> list[float] | None:
    values = values.dropna()
    return [float(values.min()), float(values.max())] if len(values) else None


def _best_cores(fits: Sequence[Mapping]) -> dict:
    """The best fit of each centre reading (by retention), its cores' members and check."""
    best = {}
    for fit in fits:
        reading = fit["reading"]
        if reading in ("one centre", "several centres") and (
                reading not in best or fit["retention"] > best[reading]["retention"]):
            best[reading] = {"model": fit["model"], "retention": fit["retention"],
                             "centres": fit["centres"], "cores": fit["cores"],
                             "failures": fit["failures"]}
    return best


def relational_position(relative: float, peers_high: float, p_core: float) -> str:
    """``middle``, ``not middle`` or ``unclear`` from rho and the peers' 90th percentile
    (module docstring).

    Examples
    --------
    >>> relational_position(0.4, 0.3, p_core=0.0), relational_position(0.2, 0.3, p_core=0.0)
    ('middle', 'unclear')
    >>> relational_position(-0.1, 0.3, p_core=0.0), relational_position(0.4, 0.3, p_core=0.6)
    ('not middle', 'not middle')
    """
    if p_core >= 0.5 or (np.isfinite(relative) and relative <= 0):
        return "not middle"
    return "middle" if np.isfinite(relative) and relative > peers_high else "unclear"


def hwang_verdict(position: str, p_core_centre: float, core_min: float) -> str:
    """Hwang's claim for one year, by the rule in the module docstring.

    Examples
    --------
    >>> hwang_verdict("middle", 0.95, 0.9), hwang_verdict("not middle", 1.0, 0.9)
    ('supported', 'not supported')
    >>> hwang_verdict("middle", 0.5, 0.9), hwang_verdict("middle", float("nan"), 0.9)
    ('undecided', 'undecided')
    """
    if math.isnan(p_core_centre):
        return "undecided"
    if position == "not middle" or p_core_centre < 1 - core_min:
        return "not supported"
    return "supported" if position == "middle" and p_core_centre >= core_min else "undecided"


def hwang_evidence(variant: Mapping, year_tiers: pd.DataFrame, strength: Mapping[str, float],
                   focal: Sequence[str], rules: Mapping, tier_model: str) -> dict:
    """Hwang's verdict of one year from its blockmodel record (variant ``all``), tier rows and
    strengths."""
    first, second = focal
    chosen = year_tiers[year_tiers["model"] == tier_model].set_index("country")
    p_core = {code: float(chosen.loc[code, "p_core"]) if code in chosen.index else math.nan
              for code in focal}
    dependence = variant["centre_dependence"]
    centre = set(dependence["centre"])
    values = {code: entry["value"] for code, entry in dependence["countries"].items()
              if entry["value"] is not None and entry["value"] > 0}
    relative, band, peers = math.nan, (math.nan, math.nan), []
    if first in values:
        ranked = sorted((c for c in values if c not in centre),
                        key=lambda c: (-strength.get(c, 0.0), c))
        at = ranked.index(first)
        peers = [c for c in ranked[max(at - rules["peers"], 0): at + rules["peers"] + 1]
                 if c != first]
        logs = np.log([values[c] for c in peers])
        baseline = float(np.median(logs))
        relative = math.log(values[first]) - baseline
        band = tuple(float(q) for q in np.percentile(logs - baseline, [10, 90]))
    position = relational_position(relative, band[1], p_core[first])
    return {
        "verdict": hwang_verdict(position, p_core[second], rules["core_min"]),
        "model": tier_model, "centre": sorted(centre),
        f"p_core_{second}": p_core[second], f"p_core_{first}": p_core[first],
        f"size_class_{first}": str(chosen.loc[first, "tier"]) if first in chosen.index else None,
        f"position_{first}": position,
        f"dependence_{first}": values.get(first),
        "relative_dependence": {"value": relative, "peers_low": band[0], "peers_high": band[1]},
        "peers": peers,
        "size_classes_null_ari": variant["size_classes_null_ari"]}


def wilson_interval(p: np.ndarray, n) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval of proportions ``p`` out of ``n`` replicates (a number, or
    one for each proportion).

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


def focal_table(tiers: pd.DataFrame, focal: Sequence[str],
                replicates: Mapping[int, int]) -> pd.DataFrame:
    """Per year, focal country and tier model: tier, probabilities and Wilson intervals over
    the year's number of bootstrap ``replicates`` (by year, as its blockmodel record has them).
    """
    rows = tiers[(tiers["variant"] == "all") & tiers["country"].isin(list(focal))].copy()
    n = rows["year"].map(lambda year: replicates[int(year)]).to_numpy(dtype=float)
    for column in PROBABILITY_COLUMNS:
        rows[f"{column}_low"], rows[f"{column}_high"] = wilson_interval(rows[column], n)
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
def write_study(blockmodel_paths: Sequence[str | Path], tiers_path: str | Path,
                counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
                provenance_path: str | Path, verdicts_path: str | Path,
                focal_path: str | Path, dynamics_path: str | Path,
                records_verdicts: Sequence[str | Path] = (), *, focal: Sequence[str],
                countries: str | Sequence[str], graphs: Mapping, hypotheses: Mapping) -> dict:
    """Write ``verdicts.json``, ``focal.parquet`` and ``dynamics.parquet`` for every year.

    Parameters
    ----------
    blockmodel_paths : sequence of path
        Each year's ``blockmodels/{year}.json``, in year order; each says how many blocks and
        replicates it was fitted with.
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
    focal, countries, graphs, hypotheses
        The configuration's ``focal``, ``countries``, ``graphs`` (``min_works``, ``min_edge``:
        the graph the pair measures read) and ``hypotheses`` (the rules).
    """
    inputs = [*blockmodel_paths, tiers_path, *counts_paths, *totals_paths, provenance_path,
              *records_verdicts]
    settings = made_from(config_slice(focal=focal, countries=countries, graphs=graphs,
                                      hypotheses=hypotheses),
                         {str(path): recorded_config(path) for path in inputs})
    focal = list(focal)
    tiers = pd.read_parquet(tiers_path)
    tier_model = hypotheses["tier_model"]
    per_year, pair_rows, replicates, blocks = {}, [], {}, set()
    for fits_path, counts_path, totals_path in zip(blockmodel_paths, counts_paths, totals_paths):
        record = json.loads(Path(fits_path).read_text(encoding="utf-8"))
        year = record["year"]
        centres = {name: centres_evidence(variant, hypotheses["centres"])
                   for name, variant in record["variants"].items()}
        replicates[year] = centres["all"]["replicates"]
        blocks |= set(record["variants"]["all"]["settings"]["blocks"])
        graph = read_year_graph(counts_path, totals_path, countries, graphs)
        strength = dict(zip(graph.codes, np.asarray(graph.counts).sum(axis=1).tolist()))
        year_tiers = tiers[(tiers["year"] == year) & (tiers["variant"] == "all")]
        pair = pair_measures(graph, focal, _core_countries(tiers, year, tier_model))
        pair_rows.append({"year": year, **pair})
        per_year[str(year)] = {
            "centres": centres,
            "hwang": hwang_evidence(record["variants"]["all"], year_tiers, strength, focal,
                                    hypotheses["hwang"], tier_model),
            "pair": pair}
    focal_rows = focal_table(tiers, focal, replicates)
    pairs = pd.DataFrame.from_records(pair_rows)
    focal_out = focal_rows.merge(pairs, on="year", how="left")
    provenance = json.loads(Path(provenance_path).read_text(encoding="utf-8"))
    verdicts = {
        "source": provenance["source"], "synthetic": provenance["synthetic"],
        "counting": provenance["counting"],
        "provenance": provenance,
        CONFIG_KEY: settings,
        "rules": dict(zip(("centres", "hwang"), _rule_text(hypotheses, focal, max(blocks)))),
        "verdict_vocabulary": list(VERDICTS_VOCABULARY),
        "focal_first_years": {model: first_years(focal_rows, model,
                                                 hypotheses["entry_probability"])
                              for model in sorted(focal_rows["model"].unique())},
        "affinity_trend": affinity_trend(pairs["year"].tolist(), pairs["affinity"].tolist()),
        "years": per_year,
    }
    for path in records_verdicts:
        verdicts["division_of_labour"] = json.loads(Path(path).read_text(encoding="utf-8"))
    Path(verdicts_path).write_text(json.dumps(_missing_as_null(verdicts), indent=1,
                                              sort_keys=True, allow_nan=False) + "\n",
                                   encoding="utf-8")
    for frame, path in ((focal_out, focal_path),
                        (dynamics_table(tiers, tier_model), dynamics_path)):
        frame.attrs.update({SOURCE_KEY: provenance["source"], CONFIG_KEY: settings})
        frame.to_parquet(path, index=False)
    return verdicts


def _missing_as_null(value):
    """The verdicts with every NaN as null: JSON has no NaN, and a reader should not guess.

    Examples
    --------
    >>> _missing_as_null({"a": [1.0, float("nan")], "b": {"c": float("nan")}})
    {'a': [1.0, None], 'b': {'c': None}}
    """
    if isinstance(value, Mapping):
        return {key: _missing_as_null(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_missing_as_null(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _rule_text(rules: Mapping, focal: Sequence[str], max_blocks: int) -> tuple[str, str]:
    centres, hwang, model = rules["centres"], rules["hwang"], rules["tier_model"]
    return (f"S = share of the degree-only null's deviance the richest reading explains, "
            f"R = each reading's retention: the share of what {max_blocks} blocks hold beyond "
            f"size that its best fit with at most {max_blocks} blocks keeps (centre readings "
            f"only where the cores pass the centre check), intervals from the residual bootstrap: no "
            f"structure beyond size if the interval of S minus the share that size plus noise "
            f"explain (97.5th percentile over null replicates) lies below "
            f"{centres['min_excess']}; "
            f"undecided if it straddles it; otherwise the reading of highest R if it leads the "
            f"next by >= {centres['margin']} and leads in >= {centres['min_support']:.0%} of "
            f"the bootstrap and jackknife refits; undecided otherwise",
            f"supported if {focal[1]} is in the centre (the {model} core) with P >= "
            f"{hwang['core_min']} and {focal[0]} is middle: its dependence on the centre beyond "
            f"size, over the median of its {hwang['peers']} size peers on each side, is above "
            f"the peers' 90th percentile, and it is not in the centre; not supported if "
            f"{focal[0]} is no more dependent than the median peer or {focal[1]} is in the "
            f"centre with P < "
            f"{1 - hwang['core_min']:.2g}; undecided otherwise")
