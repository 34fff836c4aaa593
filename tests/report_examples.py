"""Processed outputs for the report tests, made with the real code on a small planted world.

Counts come from ``bibnet.counts.build_year`` on ``source: synthetic``, statistics from
``bibnet.graphs.graph_statistics``, fits from ``bibnet.blockmodels.selection`` (a few families,
few bootstrap replicates, so the fixture builds in seconds).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet.blockmodels.selection import one_vs_several_centres_test, select, tier_probabilities
from bibnet.counts import build_year, write_provenance
from bibnet.graphs import build_year_graph, graph_statistics

YEARS = (2001, 2002, 2003)
FAMILIES = (("core_periphery", {}), ("layered", {}), ("multi_core_pairs", {"k": 2}),
            ("sbm", {"n_blocks": 3}))


def config(n_countries: int = 30) -> dict:
    return {"source": "synthetic", "years": {"first": YEARS[0], "last": YEARS[-1]},
            "countries": "all", "focal": ["KR", "GB"], "seed": 7, "pajek_dir": "unused",
            "synthetic": {"family": "layered", "n_countries": n_countries, "place": {"KR": 1}},
            "openalex": {"filters": {}}}


def fit_record(year: int, codes, A: np.ndarray, seed: int) -> dict:
    """A ``blockmodels/{year}.json`` record made by the blockmodel code."""
    chosen = select(A, families=FAMILIES, seed=seed, n_starts=2)
    probabilities = tier_probabilities(A, chosen.best, replicates=8, seed=seed)
    test = one_vs_several_centres_test(A, replicates=4, seed=seed, selection=chosen)
    fits = []
    for model, row in zip(chosen.fits, chosen.table.to_dict("records")):
        fits.append({**{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()},
                     "labels": model.labels_.tolist(), "block_tiers": model.block_tiers_.tolist(),
                     "block_rates": model.block_rates_.tolist()})
    tiers = [{"tier": int(t), "p_core": float(p[0]), "p_semi": float(p[1]),
              "p_periphery": float(p[2])} for t, p in zip(chosen.best.tiers_, probabilities)]
    return {"year": year, "countries": list(codes), "fits": fits, "selected": chosen.best.name,
            "tiers": tiers, "test": test.to_dict()}


def make_processed(root: Path, n_countries: int = 30) -> dict:
    """Write counts, totals, graph_stats, blockmodels, tiers.parquet and provenance.json
    under ``root/data/processed``; return the paths."""
    processed = root / "data" / "processed"
    cfg = config(n_countries)
    paths = {"processed": processed, "config": cfg, "years": list(YEARS)}
    tier_frames = []
    for year in YEARS:
        tables = build_year(cfg, year, [], *(processed / t / f"{year}.parquet" for t in (
            "counts", "country_totals", "asymmetries")))
        graph = build_year_graph(tables.counts, tables.totals)
        stats = graph_statistics(graph, randomisations=3, seed=cfg["seed"])
        (processed / "graph_stats").mkdir(parents=True, exist_ok=True)
        stats.to_parquet(processed / "graph_stats" / f"{year}.parquet", index=False)
        linked = graph.strengths > 0
        codes = [c for c, keep in zip(graph.codes, linked) if keep]
        record = fit_record(year, codes, graph.counts[np.ix_(linked, linked)], seed=year)
        (processed / "blockmodels").mkdir(parents=True, exist_ok=True)
        (processed / "blockmodels" / f"{year}.json").write_text(json.dumps(record, indent=1))
        frame = pd.DataFrame(record["tiers"]).assign(year=year, country=codes,
                                                     model=record["selected"])
        tier_frames.append(frame[["year", "country", "model", "tier", "p_core", "p_semi",
                                  "p_periphery"]])
    pd.concat(tier_frames, ignore_index=True).to_parquet(processed / "tiers.parquet",
                                                         index=False)
    write_provenance(cfg, [], processed / "provenance.json")
    return paths
