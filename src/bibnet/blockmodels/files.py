"""The blockmodel stage's file interface: one year's graph in, every fit, the test and tiers out.

For each year, :func:`write_year` fits every family (:func:`bibnet.blockmodels.select`), runs the
one-centre against several-centres test and bootstraps the tier probabilities, on up to three
*variants* of the year's graph, as the configuration's ``blockmodels`` section asks:

``all``
    The year's graph (``bibnet.graphs``), countries without links left out.
``without_largest``
    The same without the country of largest strength: the US hub alone can make a network
    look like one centre (Wagner & Leydesdorff 2005). Measured on planted worlds, the
    degree-corrected models rather fit a giant hub as a core of its own than let it hide
    several centres (``tests/test_hypotheses_switches.py``); the variant shows how much of
    the evidence rests on the largest country.
``window``
    The counts of the years ``year - window_years // 2 .. year + window_years // 2`` summed
    (those in the configured range): Poisson counts add, so the same models apply to the sum,
    with less noise and one-off artefacts (the KR-US jump of 2020) damped.

Every random step draws from a generator seeded by the configuration's seed and the year, so a
year's output does not depend on which other years run.

Outputs: ``blockmodels/{year}.json`` (per variant every family's fit, the selection, the test)
and ``blockmodels/{year}.tiers.parquet`` (``year, variant, country, model, model_name, tier,
p_core, p_semi, p_periphery``) for the ``model`` roles ``selected``, ``one_centre``,
``layered`` and ``layered_plain``; the workflow concatenates the latter into ``tiers.parquet``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet.blockmodels.selection import (
    Selection,
    one_vs_several_centres_test,
    select,
    tier_probabilities,
)
from bibnet.graphs import YearGraph, build_year_graph
from bibnet.logs import job_entry

log = logging.getLogger(__name__)

TIER_NAMES = ("core", "semi-periphery", "periphery")
#: P(tier) columns of the tier table, in the order of TIER_NAMES.
PROBABILITY_COLUMNS = ("p_core", "p_semi", "p_periphery")
TIER_COLUMNS = {"year": "int64", "variant": "string", "country": "string", "model": "string",
                "model_name": "string", "tier": "string",
                **{column: "float64" for column in PROBABILITY_COLUMNS}}


def summed_graph(config: Mapping, year: int, counts: pd.DataFrame,
                 totals: pd.DataFrame) -> YearGraph:
    """The graph of the counts summed over every year in the tables, labelled ``year``."""
    pair_sums = counts.groupby(["country_a", "country_b"], as_index=False)["works"].sum()
    country_sums = totals.groupby("country", as_index=False)["intl_works"].sum()
    return build_year_graph(pair_sums.assign(year=year), country_sums.assign(year=year),
                            countries=config["countries"],
                            min_works=config["graphs"]["min_works"],
                            min_edge=config["graphs"]["min_edge"])


def _linked(graph: YearGraph, leave_out: str | None = None) -> tuple[list[str], np.ndarray]:
    """Codes and counts of the countries with links once ``leave_out`` is gone.

    Leaving out the largest country can leave countries whose only partner it was without
    links; they have no tier in that variant.
    """
    keep = np.array([code != leave_out for code in graph.codes])
    counts = np.asarray(graph.counts)
    keep &= counts[:, keep].sum(axis=1) > 0
    codes = [code for code, kept in zip(graph.codes, keep) if kept]
    return codes, counts[np.ix_(keep, keep)]


def _fit_record(model, selected: bool) -> dict:
    return {"model": model.name, "family": model.family,
            "k": getattr(model, "k", getattr(model, "n_blocks", 1)),
            "degree_corrected": bool(model.degree_corrected),
            "log_likelihood": float(model.log_likelihood_),
            "n_parameters": int(model.n_parameters_), "criterion": float(model.criterion_),
            "selected": selected, "labels": model.labels_.tolist(),
            "tiers": [TIER_NAMES[t] for t in model.tiers_],
            "block_rates": np.asarray(model.block_rates_).tolist()}


def _tier_rows(year: int, variant: str, codes: Sequence[str], role: str, model,
               probabilities: np.ndarray) -> list[dict]:
    return [{"year": year, "variant": variant, "country": code, "model": role,
             "model_name": model.name, "tier": TIER_NAMES[tier],
             **dict(zip(PROBABILITY_COLUMNS, p))}
            for code, tier, p in zip(codes, model.tiers_, probabilities)]


def _best_layered(selection: Selection, degree_corrected=(True, False)):
    layered = [m for m in selection.fits
               if m.family == "layered" and m.degree_corrected in degree_corrected]
    return min(layered, key=lambda m: m.criterion_, default=None)


def fit_variant(year: int, variant: str, codes: list[str], counts: np.ndarray,
                settings: Mapping, rng: np.random.Generator) -> tuple[dict, list[dict]]:
    """Fit, test and bootstrap one variant; its JSON record and its tier rows.

    Tier probabilities are bootstrapped for the selected model, the best one-centre model, the
    best layered (three-tier) model and the layered model without degree correction (the
    view in which tiers are tiers of volume), each once even where two roles share a model.
    """
    select_rng, test_rng, tier_rng = rng.spawn(3)
    selection = select(counts, seed=select_rng, n_starts=settings["n_starts"])
    test = one_vs_several_centres_test(counts, replicates=settings["test_replicates"],
                                       seed=test_rng, selection=selection)
    roles = {"selected": selection.best, "one_centre": selection.best_one_centre,
             "layered": _best_layered(selection),
             "layered_plain": _best_layered(selection, degree_corrected=(False,))}
    roles = {role: model for role, model in roles.items() if model is not None}
    probabilities = {}
    tier_rows = []
    for role, model, child in zip(roles, roles.values(), tier_rng.spawn(len(roles))):
        if model.name not in probabilities:
            probabilities[model.name] = tier_probabilities(
                counts, model, replicates=settings["tier_replicates"], seed=child)
        tier_rows += _tier_rows(year, variant, codes, role, model, probabilities[model.name])
    record = {"codes": codes, "selected": selection.best.name,
              "best_one_centre": selection.best_one_centre.name,
              "best_several_centres": selection.best_several_centres.name,
              "test": test.to_dict(),
              "fits": [_fit_record(m, m is selection.best) for m in selection.fits]}
    log.info("%d %s: %d countries, selected %s; one vs several centres: LR %.1f, p = %.3f",
             year, variant, len(codes), selection.best.name, test.statistic, test.p_value)
    return record, tier_rows


@job_entry
def write_year(config: Mapping, year: int, counts_paths: Sequence[str | Path],
               totals_paths: Sequence[str | Path], json_path: str | Path,
               tiers_path: str | Path) -> dict:
    """Fit every variant of one year and write its JSON record and tier table.

    Parameters
    ----------
    config : mapping
        The checked configuration (``seed``, ``source``, ``countries``, ``graphs``,
        ``blockmodels``).
    year : int
    counts_paths, totals_paths : sequence of path
        The per-year counts and totals tables of the year's window (the year itself included;
        just the year when the window is off).
    json_path, tiers_path : path
        Where the year's record and tier table go.
    """
    settings = config["blockmodels"]
    counts = pd.concat([pd.read_parquet(p) for p in counts_paths], ignore_index=True)
    totals = pd.concat([pd.read_parquet(p) for p in totals_paths], ignore_index=True)
    graph = summed_graph(config, year, counts[counts["year"] == year],
                         totals[totals["year"] == year])
    codes, matrix = _linked(graph)
    variants = {"all": (codes, matrix, {})}
    if settings["without_largest"]:
        largest = codes[int(np.argmax(matrix.sum(axis=1)))]
        kept, kept_matrix = _linked(graph, leave_out=largest)
        variants["without_largest"] = (kept, kept_matrix, {
            "left_out": largest,
            "unlinked": [c for c in codes if c not in kept and c != largest]})
    if settings["window_years"] > 1:
        window = sorted(set(counts["year"].tolist()))
        variants["window"] = (*_linked(summed_graph(config, year, counts, totals)),
                              {"years": window})
    rng = np.random.default_rng([config["seed"], year])
    record = {"year": year, "source": config["source"],
              "synthetic": config["source"] == "synthetic",
              "unlinked": [c for c in graph.codes if c not in codes], "variants": {}}
    tier_rows = []
    for (variant, (variant_codes, variant_matrix, about)), child in zip(
            variants.items(), rng.spawn(len(variants))):
        fitted, rows = fit_variant(year, variant, variant_codes, variant_matrix, settings, child)
        record["variants"][variant] = {**about, **fitted}
        tier_rows += rows
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    Path(json_path).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    tiers = pd.DataFrame.from_records(tier_rows, columns=list(TIER_COLUMNS)).astype(TIER_COLUMNS)
    tiers.attrs["bibnet.source"] = config["source"]
    tiers.to_parquet(tiers_path, index=False)
    return record
