"""The blockmodel stage's file interface: one year's graph in, the readings and their uncertainty out.

For each year, :func:`write_year` measures the structure beyond size
(:class:`bibnet.blockmodels.readings.StructureBeyondSize`), the dispersion and the unconstrained
reference (:func:`bibnet.blockmodels.uncertainty.reference_scan`), and their bootstrap and
jackknife replicates (:func:`bibnet.blockmodels.uncertainty.resample`), on up to two *variants*
of the year's graph, as the configuration's ``blockmodels`` section asks:

``all``
    The year's graph (``bibnet.graphs``), countries without links left out. Its jackknife
    leaves out each of the strongest countries in turn, the largest (the US hub of Wagner &
    Leydesdorff 2005) among them.
``window``
    The counts of the years ``year - window_years // 2 .. year + window_years // 2`` summed
    (those in the configured range): counts add, so the same models apply to the sum, with
    less noise and one-off artefacts (the KR-US jump of 2020) damped.

Every random step draws from a generator seeded by the configuration's seed and the year, so a
year's output does not depend on which other years run.

Outputs: ``blockmodels/{year}.json`` (per variant: the reference scan and dispersion, every
fit's effect sizes with its cores' members and centre check, each reading's retention by
blocks, the replicates) and ``blockmodels/{year}.tiers.parquet`` (``year, variant, country,
model, model_name, tier, p_core, p_semi, p_periphery``) for the tier models
``tiers_beyond_size`` (three-tier layered, degree-corrected) and ``size_classes`` (the same
without degree correction: classes of collaboration volume); the workflow concatenates the
latter into ``tiers.parquet``. The degree-corrected layered search ends in different
partitions for different data drawn alike (the same instability seen across seeds on the real
networks), so a country's observed tier beyond size and its likeliest tier over the replicates
often differ; the classes of volume are stable.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet.blockmodels.compare import adjusted_rand_index
from bibnet.blockmodels.dispersion import draw_counts
from bibnet.blockmodels.estimators import Layered
from bibnet.blockmodels.readings import StructureBeyondSize, centre_dependence
from bibnet.blockmodels.uncertainty import TIER_MODELS, reference_scan, resample
from bibnet.counting import Counting
from bibnet.graphs import YearGraph, build_year_graph
from bibnet.console import progress_bar
from bibnet.logs import job_entry
from bibnet.outputs import (CONFIG_KEY, COUNTING_KEY, PROBABILITY_COLUMNS, READINGS,
                            SIZE_CLASSES, SOURCE_KEY, SYNTHETIC, TIER_COLUMNS, TIER_NAMES,
                            config_slice, made_from)
from bibnet.seeds import year_seed

log = logging.getLogger(__name__)


def summed_graph(year: int, counts: pd.DataFrame, totals: pd.DataFrame,
                 countries: str | Sequence[str], graphs: Mapping) -> YearGraph:
    """The graph of the counts summed over every year in the tables, labelled ``year``, selected
    by ``countries`` and ``graphs`` (its ``min_works`` and ``min_edge``)."""
    pair_sums = counts.groupby(["country_a", "country_b"], as_index=False)["works"].sum()
    country_sums = totals.groupby("country", as_index=False)["intl_works"].sum()
    return build_year_graph(pair_sums.assign(year=year), country_sums.assign(year=year),
                            countries=countries, min_works=graphs["min_works"],
                            min_edge=graphs["min_edge"])


def _linked(graph: YearGraph) -> tuple[list[str], np.ndarray]:
    """Codes and counts of the countries with links."""
    counts = np.asarray(graph.counts)
    keep = counts.sum(axis=1) > 0
    codes = [code for code, kept in zip(graph.codes, keep) if kept]
    return codes, counts[np.ix_(keep, keep)]


def _fit_rows(fitted: StructureBeyondSize, codes: Sequence[str]) -> list[dict]:
    rows = []
    for row, model in zip(fitted.table_.to_dict(orient="records"), fitted.fits_):
        row = {key: (None if isinstance(value, float) and not np.isfinite(value) else value)
               for key, value in row.items()}
        rows.append({**row, "cores": [[codes[i] for i in core] for core in row["cores"]],
                     "labels": model.labels_.tolist(),
                     "block_rates": np.asarray(model.block_rates_).tolist()})
    return rows


def _tier_rows(year: int, variant: str, codes: Sequence[str], role: str, model,
               probabilities: np.ndarray) -> list[dict]:
    return [{"year": year, "variant": variant, "country": code, "model": role,
             "model_name": model.name, "tier": TIER_NAMES[tier],
             **dict(zip(PROBABILITY_COLUMNS, p))}
            for code, tier, p in zip(codes, model.tiers_, probabilities)]


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def size_classes_null_ari(counts: np.ndarray, null, tier_fits: Mapping, rng) -> float:
    """How well the degree-only null reproduces the classes of volume: the adjusted Rand
    index between the observed size classes and those of a Poisson draw from the null's
    means (1: the classes are size alone)."""
    draw = draw_counts(null.expected_counts(), rng)
    kept = draw.sum(axis=1) > 0
    model = tier_fits[SIZE_CLASSES]
    again = model.clone(random_state=rng).fit(draw[np.ix_(kept, kept)])
    return float(adjusted_rand_index(model.tiers_[kept], again.tiers_))


def fit_variant(year: int, variant: str, codes: list[str], counts: np.ndarray,
                settings: Mapping, rng: np.random.Generator,
                workers: int = 1) -> tuple[dict, list[dict]]:
    """Measure, resample and tier one variant on up to ``workers`` threads; its JSON record and
    its tier rows."""
    reference_rng, fit_rng, resample_rng, null_rng, *tier_rngs = rng.spawn(4 + len(TIER_MODELS))
    bar = progress_bar(f"blockmodels {year} {variant}", "fits")
    reference = reference_scan(counts, seed=reference_rng, workers=workers, progress=bar)
    check = settings["centre_check"]
    fitted = StructureBeyondSize(blocks=tuple(range(2, settings["max_blocks"] + 1)),
                                 n_starts=settings["n_starts"], random_state=fit_rng,
                                 top_share=check["top_share"],
                                 contrast=check["contrast"]).fit(counts, workers, progress=bar)
    tier_fits = {role: Layered(3, degree_corrected=dc, n_starts=settings["n_starts"],
                               random_state=child).fit(counts)
                 for (role, dc), child in zip(TIER_MODELS, tier_rngs)}
    replicates = resample(counts, fitted, settings["replicates"], settings["jackknife"],
                          seed=resample_rng, replicate_starts=settings["replicate_starts"],
                          workers=workers, progress=bar)
    bar.close()
    tier_rows = []
    for role, model in tier_fits.items():
        tier_rows += _tier_rows(year, variant, codes, role, model, replicates.tiers[role])
    # The centre of the relational measure: the core class of collaboration volume.
    centre = tier_fits[SIZE_CLASSES].tiers_ == 0
    dependence = centre_dependence(counts, centre)
    jack = replicates.replicates
    jack = jack.assign(left_out=[None if pd.isna(i) else codes[int(i)] for i in jack["left_out"]])
    record = {
        "codes": codes,
        "reference": reference.to_dict(),
        "share": fitted.share_,
        "summary": fitted.summary_,
        "retention": {str(B): {r: (None if pd.isna(v) else float(v)) for r, v in row.items()}
                      for B, row in fitted.retention_.iterrows()},
        "fits": _fit_rows(fitted, codes),
        "replicates": json.loads(jack.to_json(orient="records")),
        "tier_models": {role: model.name for role, model in tier_fits.items()},
        "size_classes_null_ari": size_classes_null_ari(counts, fitted.null_, tier_fits,
                                                       null_rng),
        "centre_dependence": {
            "centre": [c for c, inside in zip(codes, centre) if inside],
            "countries": {code: {"value": _number(v)} for code, v in zip(codes, dependence)}},
        "settings": {"blocks": list(fitted.blocks), **check},
    }
    log.info("%d %s: %d countries, share beyond size %.3f, retention %s, dispersion %.1f "
             "(null %.1f), K levels off at %d", year, variant, len(codes), fitted.share_,
             {r: round(fitted.summary_[r], 3) for r in READINGS}, reference.phi,
             reference.null_dispersion, reference.levels_off)
    return record, tier_rows


@job_entry
def write_year(year: int, counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
               json_path: str | Path, tiers_path: str | Path, *,
               countries: str | Sequence[str], graphs: Mapping, seed: int, blockmodels: Mapping,
               threads: int = 1) -> dict:
    """Fit every variant of one year and write its JSON record and tier table.

    Parameters
    ----------
    year : int
    counts_paths, totals_paths : sequence of path
        The per-year counts and totals tables of the year's window (the year itself included;
        just the year when the window is off).
    json_path, tiers_path : path
        Where the year's record and tier table go.
    countries, graphs, seed, blockmodels
        The configuration's ``countries``, ``graphs`` (``min_works``, ``min_edge``), ``seed``
        and ``blockmodels`` section.
    threads : int
        Threads the fits run on (the job's ``threads``).
    """
    frames = {str(path): pd.read_parquet(path) for path in (*counts_paths, *totals_paths)}
    settings = made_from(config_slice(countries=countries, graphs=graphs, seed=seed,
                                      blockmodels=blockmodels),
                         {path: frame.attrs.get(CONFIG_KEY) for path, frame in frames.items()})
    counts = pd.concat([frames[str(p)] for p in counts_paths], ignore_index=True)
    totals = pd.concat([frames[str(p)] for p in totals_paths], ignore_index=True)
    graph = summed_graph(year, counts[counts["year"] == year], totals[totals["year"] == year],
                         countries, graphs)
    codes, matrix = _linked(graph)
    variants = {"all": (codes, matrix, {})}
    if blockmodels["window_years"] > 1:
        window = sorted(set(counts["year"].tolist()))
        variants["window"] = (*_linked(summed_graph(year, counts, totals, countries, graphs)),
                              {"years": window})
    rng = np.random.default_rng(year_seed(seed, year))
    attrs = frames[str(counts_paths[0])].attrs
    source = str(attrs.get(SOURCE_KEY, ""))
    record = {"year": year, "source": source,
              "counting": Counting.from_tag(str(attrs.get(COUNTING_KEY, "whole"))).record(),
              "synthetic": source == SYNTHETIC, CONFIG_KEY: settings,
              "unlinked": [c for c in graph.codes if c not in codes], "variants": {}}
    tier_rows = []
    for (variant, (variant_codes, variant_matrix, about)), child in zip(
            variants.items(), rng.spawn(len(variants))):
        fitted, rows = fit_variant(year, variant, variant_codes, variant_matrix, blockmodels,
                                   child, threads)
        record["variants"][variant] = {**about, **fitted}
        tier_rows += rows
    Path(json_path).parent.mkdir(parents=True, exist_ok=True)
    # allow_nan=False: a NaN would make the file unreadable as JSON; missing values are null.
    Path(json_path).write_text(json.dumps(record, indent=1, allow_nan=False) + "\n",
                               encoding="utf-8")
    tiers = pd.DataFrame.from_records(tier_rows, columns=list(TIER_COLUMNS)).astype(TIER_COLUMNS)
    tiers.attrs.update({SOURCE_KEY: source, CONFIG_KEY: settings})
    tiers.to_parquet(tiers_path, index=False)
    return record
