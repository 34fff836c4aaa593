"""Processed outputs for the report tests, made on a small SYNTHETIC sphere world
(`bibnet.simulate.spheres.sphere_world`, two hubs with their own spheres) drawn anew for each of
a few years: counts and their data-quality flags (``bibnet.counts``, ``bibnet.quality``), graph
statistics and exports (``bibnet.graphs.files``), the study (``bibnet.hypotheses.files``, with
the smallest replicates the configuration schema allows) and the descriptive block models
(``bibnet.blockmodels.files``); the same on a few years of the real Pajek networks
(:func:`make_real_processed`); and the report pages made from them as the workflow's rules make
them (:func:`build_reports`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet.blockmodels.files import write_year as write_blockmodels_year
from bibnet.counts import (build_year, combine_layers, combine_years, pair_tables,
                           rows_from_matrix, write_provenance, write_year_tables)
from bibnet.graphs.files import write_statistics, write_year_exports
from bibnet.hypotheses.files import write_study, write_year
from bibnet.outputs import (CONFIG_KEY, COUNTING_KEY, LAYER_COLUMN, LAYER_KEY,
                            SOURCE_KEY, SYNTHETIC, config_slice)
from bibnet.quality import write_data_quality
from bibnet.report import build_index, build_year_page, tables, write_assets
from bibnet.simulate.spheres import sphere_world
from bibnet.slices import lineage, stage_slices

YEARS = (2001, 2002, 2003)
#: The planted world: two hubs (US, GB) with their own spheres, 60 countries, KR among them,
#: with strong ties and little noise so that the small study finds them.
WORLD = {"kind": "hubs", "seed": 4, "n_countries": 60}
#: The KR–GB count of the middle year is multiplied by this, so the data-quality rule flags it.
SPIKE = 4


def config(years=YEARS) -> dict:
    return {"source": "synthetic", "years": {"first": years[0], "last": years[-1]},
            "countries": "all", "counting": "whole", "focal": ["KR", "GB"], "seed": 7,
            "pajek_dir": "unused",
            "synthetic": {"kind": WORLD["kind"], "n_countries": WORLD["n_countries"],
                          "sphere_of": {"KR": "US"}},
            "graphs": {"min_works": 1, "min_edge": 1, "export_weight": "count",
                       "rich_club_randomisations": 3},
            "blockmodels": {"n_starts": 1, "n_blocs": 2},
            "records": {"min_works": 1, "period_years": 2, "top_institutions": 3},
            "hypotheses": {"n_centres": 3, "robustness": {"first": 2, "last": 4},
                           "min_links": 20, "replicates": 200, "bootstrap": 200,
                           "robustness_replicates": 100, "alpha": 0.05, "fdr": 0.05,
                           "regions": {"n_splits": 2, "n_starts": 2, "search_countries": 40,
                                       "min_effect": 0.25},
                           "window_years": 1},
            "openalex": {"filters": {}}}


def page_lineage(cfg: dict) -> dict[str, dict]:
    """What each page and table records it was made from (`bibnet.slices.lineage`), as the
    workflow's report rules are given it."""
    slices = stage_slices(cfg)
    return {page: lineage(slices, page) for page in (
        "report_year", "report_index", "blockmodels", "graph_stats", "study")}


def _world():
    return sphere_world(WORLD["kind"], seed=WORLD["seed"], n_countries=WORLD["n_countries"],
                        include=("KR", "GB"), sphere_of={"KR": "US"}, sigma=0.1, hub_tie=6.0)


def planted(world) -> dict:
    """``provenance.json``'s ``planted`` record of the world (the contract's keys)."""
    def position(code):
        if code in world.centres:
            return "centre"
        return f"sphere of {world.sphere_of[code]}" if world.sphere_of.get(code) else "no sphere"

    return {"kind": world.kind, "centres": world.truth["centres"],
            "regions": world.truth["regions"], "centres_list": list(world.centres),
            "sphere_of": dict(sorted(world.sphere_of.items())),
            "focal": {code: position(code) for code in ("KR", "GB")}}


def write_counts(cfg: dict, processed: Path, years) -> dict:
    """Each year's counts tables of the world's draw for that year, as ``bibnet.counts`` writes
    them (the KR–GB count of the second year multiplied by `SPIKE`); the world."""
    world = _world()
    settings = config_slice(**stage_slices(cfg)["counts"])
    kr, gb = world.codes.index("KR"), world.codes.index("GB")
    for year, drawn in world.series(years).items():
        counts = drawn.counts.copy()
        if year == years[1]:
            counts[kr, gb] = counts[gb, kr] = counts[kr, gb] * SPIKE
        matrix = counts + np.diag(counts.sum(axis=1))
        year_tables = pair_tables(year, rows_from_matrix(list(world.codes), matrix), "all")
        for frame in (year_tables.counts, year_tables.totals, year_tables.asymmetries):
            frame.insert(1, LAYER_COLUMN, pd.Series(["all"] * len(frame), index=frame.index,
                                                    dtype="string"))
            frame.attrs.update({SOURCE_KEY: SYNTHETIC, COUNTING_KEY: "whole", LAYER_KEY: "all",
                                CONFIG_KEY: settings})
        write_year_tables(year_tables, *(processed / t / f"{year}.parquet" for t in (
            "counts", "country_totals", "asymmetries")))
    return world


def write_blockmodels(cfg: dict, processed: Path, years) -> None:
    """The descriptive block models of each year and their combined classes table, by the
    stage's function with the configuration's settings."""
    slices = stage_slices(cfg)
    folder = processed / "blockmodels"
    for year in years:
        write_blockmodels_year(year, processed / "counts" / f"{year}.parquet",
                               processed / "country_totals" / f"{year}.parquet",
                               folder / f"{year}.json", folder / f"{year}.classes.parquet",
                               **slices["blockmodels"])
    combine_years([folder / f"{year}.classes.parquet" for year in years],
                  processed / "classes.parquet")


def make_processed(root: Path, years=YEARS, records: bool = True) -> dict:
    """Write every processed output the reports read under ``root/data/processed`` (the work
    records' too, with ``records``)."""
    processed = root / "data" / "processed"
    cfg = config(years)
    world = write_counts(cfg, processed, years)
    write_graph_outputs(cfg, list(years), processed)
    write_blockmodels(cfg, processed, years)
    slices = stage_slices(cfg)
    provenance = processed / "provenance.json"
    write_provenance([], provenance, **slices["provenance"])
    record = json.loads(provenance.read_text(encoding="utf-8"))
    provenance.write_text(json.dumps({**record, "planted": planted(world)}, indent=1,
                                     sort_keys=True) + "\n", encoding="utf-8")
    write_study_outputs(cfg, processed, list(years))
    made = {"processed": processed, "config": cfg, "years": list(years),
            "made_from": page_lineage(cfg), "world": world}
    if records:
        made["records"] = write_records_outputs(cfg, root / "data" / "raw" / "openalex",
                                                processed)
    return made


#: Years of the real networks the report tests build (Korea–USA 2020 is out of line with its
#: neighbouring years, flagged by the data-quality rule).
REAL_YEARS = (2019, 2020, 2021)


def make_real_processed(root: Path, pajek_dir: Path, years=REAL_YEARS) -> dict:
    """The processed outputs of the real Pajek networks of ``years`` under
    ``root/data/processed``, with the study's smallest settings."""
    processed = root / "data" / "processed"
    cfg = {**config(), "source": "pajek", "pajek_dir": str(pajek_dir),
           "years": {"first": years[0], "last": years[-1]}, "seed": 20080101}
    cfg["hypotheses"] = {**cfg["hypotheses"], "n_centres": 5,
                         "robustness": {"first": 3, "last": 5}, "min_links": 50}
    slices = stage_slices(cfg)
    sources = {y: [pajek_dir / f"WrldCo{y}.net"] for y in years}
    for year in years:
        build_year(year, sources[year], *(processed / t / f"{year}.parquet" for t in (
            "counts", "country_totals", "asymmetries")), **slices["counts"])
    write_graph_outputs(cfg, list(years), processed)
    write_blockmodels(cfg, processed, list(years))
    write_provenance([p for y in years for p in sources[y]], processed / "provenance.json",
                     **slices["provenance"])
    write_study_outputs(cfg, processed, list(years))
    return {"processed": processed, "config": cfg, "years": list(years),
            "made_from": page_lineage(cfg)}


def write_graph_outputs(cfg: dict, years: list[int], processed: Path) -> None:
    """Graph statistics and exports of each year, the combined counts and their
    data-quality flags, by the stages' functions with the workflow's settings."""
    slices = stage_slices(cfg)
    for year in years:
        counts, totals = (processed / t / f"{year}.parquet" for t in ("counts", "country_totals"))
        write_statistics(counts, totals, processed / "graph_stats" / f"{year}.parquet",
                         **slices["graph_stats"])
        write_year_exports(counts, totals, {"net": processed / "graphs" / f"{year}.net"},
                           **slices["graph_exports"])
    combine_layers([processed / "counts" / f"{year}.parquet" for year in years],
                   processed / "counts.parquet")
    write_data_quality(processed / "counts.parquet", processed / "data_quality.parquet")


def write_study_outputs(cfg: dict, processed: Path, years) -> None:
    """Each year's ``hypotheses/{year}.json`` and the study's combined outputs, by the study
    stage's functions."""
    study = stage_slices(cfg)["study"]
    year_paths = [processed / "hypotheses" / f"{year}.json" for year in years]
    counts = [processed / "counts" / f"{year}.parquet" for year in years]
    totals = [processed / "country_totals" / f"{year}.parquet" for year in years]
    for year, year_path, count, total in zip(years, year_paths, counts, totals):
        write_year(year, [count], [total], year_path, **study)
    write_study(year_paths, counts, totals, processed / "provenance.json",
                *(processed / name for name in STUDY_FILES.values()),
                **study)


#: The study's combined outputs under ``data/processed``, by the keyword of ``build_index``
#: that takes each.
STUDY_FILES = {"verdicts_path": "verdicts.json", "spheres_path": "spheres.parquet",
               "sphere_tables_path": "sphere_tables.parquet", "focal_path": "focal.parquet",
               "robustness_path": "robustness.parquet"}


def build_reports(processed: Path, out: Path, made_from: dict, years=YEARS,
                  page_years=None) -> dict[str, Path]:
    """Every page of the report, as the workflow's rules make them (the year pages of
    ``page_years`` only, where given; ``made_from``: each page's lineage, `page_lineage`)."""
    write_assets(out / "assets")
    pages = {}
    for year in years if page_years is None else page_years:
        pages[str(year)] = out / "years" / f"{year}.html"
        blockmodels = processed / "blockmodels" / f"{year}.json"
        classes = processed / "blockmodels" / f"{year}.classes.parquet"
        build_year_page(year, years, processed / "counts" / f"{year}.parquet", pages[str(year)],
                        made_from=made_from["report_year"],
                        stats_path=processed / "graph_stats" / f"{year}.parquet",
                        study_path=processed / "hypotheses" / f"{year}.json",
                        blockmodels_path=blockmodels if blockmodels.exists() else None,
                        classes_path=classes if classes.exists() else None,
                        provenance_path=processed / "provenance.json")
        tables.spheres_csv(processed / "hypotheses" / f"{year}.json",
                           out / "tables" / f"spheres_{year}.csv", made_from=made_from["study"])
    pages["index"] = out / "index.html"
    inputs = {key: processed / name for key, name in {
        **STUDY_FILES, "classes_path": "classes.parquet",
        "data_quality_path": "data_quality.parquet", **RECORD_FILES}.items()
        if (processed / name).exists()}
    build_index(years, processed / "provenance.json", pages["index"],
                made_from=made_from["report_index"], **inputs)
    return pages


#: The work records' outputs (``bibnet.records``) under ``data/processed``, by the keyword of
#: ``build_index`` that takes each.
RECORD_FILES = {"records_path": "focal_records.parquet",
                "record_fields_path": "focal_fields.parquet",
                "record_institutions_path": "focal_institutions.parquet",
                "record_verdicts_path": "focal_verdicts.json"}


def write_records_outputs(cfg: dict, raw_dir: Path, processed: Path) -> dict[str, Path]:
    """The focal pair's work records by the records stage, from `records_examples.year_works`
    of every year fetched by the real fetch from the scripted fake: ``build_index``'s
    keyword arguments for them."""
    from bibnet.records import build_focal_records
    from records_examples import fetch_fake_records

    manifests = fetch_fake_records(raw_dir, YEARS, cfg["focal"])
    paths = {key: processed / name for key, name in RECORD_FILES.items()}
    build_focal_records(manifests, *paths.values(), **stage_slices(cfg)["records"])
    return paths
