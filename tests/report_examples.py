"""Processed outputs for the report tests, made by the stages' own functions on a small
planted world: counts (``bibnet.counts``), graph statistics and exports (``bibnet.graphs.files``),
the readings beyond size with their replicates and tiers (``bibnet.blockmodels.files``, on the
year's graph and on a three-year window) and the study (``bibnet.hypotheses``), with few starts
and replicates so the fixture builds in seconds.
"""

from __future__ import annotations

from pathlib import Path

from bibnet.blockmodels.files import write_year as write_blockmodels_year
from bibnet.config import window_years
from bibnet.counts import build_year, combine_years, write_provenance
from bibnet.graphs.files import write_statistics, write_year_exports
from bibnet.hypotheses import write_study
from bibnet.slices import lineage, stage_slices

YEARS = (2001, 2002, 2003)


def config(n_countries: int = 30) -> dict:
    return {"source": "synthetic", "years": {"first": YEARS[0], "last": YEARS[-1]},
            "countries": "all", "focal": ["KR", "GB"], "seed": 7, "pajek_dir": "unused",
            "synthetic": {"family": "layered", "n_countries": n_countries, "place": {"KR": 1}},
            "graphs": {"min_works": 1, "min_edge": 1, "export_weight": "count",
                       "rich_club_randomisations": 3},
            "blockmodels": {"n_starts": 2, "max_blocks": 4, "replicates": 4, "jackknife": 2,
                            "replicate_starts": 1,
                            "centre_check": {"top_share": 0.1, "contrast": 1.25},
                            "window_years": 3},
            "records": {"min_works": 1, "period_years": 2, "top_institutions": 3},
            "hypotheses": {"tier_model": "size_classes", "entry_probability": 0.9,
                           "centres": {"min_excess": 0.08, "margin": 0.05, "min_support": 0.8},
                           "hwang": {"core_min": 0.9, "peers": 3}},
            "openalex": {"filters": {}}}


def make_processed(root: Path, n_countries: int = 30) -> dict:
    """Write every processed output the reports read under ``root/data/processed``."""
    processed = root / "data" / "processed"
    cfg = config(n_countries)
    tables = {t: {year: processed / t / f"{year}.parquet" for year in YEARS}
              for t in ("counts", "country_totals", "asymmetries")}
    slices = stage_slices(cfg)
    for year in YEARS:
        build_year(year, [], *(tables[t][year] for t in tables), **slices["counts"])
        write_statistics(tables["counts"][year], tables["country_totals"][year],
                         processed / "graph_stats" / f"{year}.parquet", **slices["graph_stats"])
        write_year_exports(tables["counts"][year], tables["country_totals"][year],
                           {"net": processed / "graphs" / f"{year}.net"},
                           **slices["graph_exports"])
    for year in YEARS:
        window = window_years(year, cfg["blockmodels"]["window_years"], YEARS[0], YEARS[-1])
        write_blockmodels_year(year, [tables["counts"][y] for y in window],
                               [tables["country_totals"][y] for y in window],
                               processed / "blockmodels" / f"{year}.json",
                               processed / "blockmodels" / f"{year}.tiers.parquet",
                               **slices["blockmodels"])
    combine_years([processed / "blockmodels" / f"{year}.tiers.parquet" for year in YEARS],
                  processed / "tiers.parquet")
    write_provenance([], processed / "provenance.json", **slices["provenance"])
    write_study_outputs(cfg, processed)
    records = write_records_outputs(cfg, root / "data" / "raw" / "openalex", processed)
    return {"processed": processed, "config": cfg, "years": list(YEARS), "records": records,
            "made_from": {page: lineage(slices, page) for page in (
                "report_year", "report_index", "blockmodels", "graph_stats", "study")}}


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


def write_study_outputs(cfg: dict, processed: Path) -> None:
    """verdicts.json, focal.parquet and dynamics.parquet by the study stage."""
    write_study([processed / "blockmodels" / f"{year}.json" for year in YEARS],
                processed / "tiers.parquet",
                [processed / "counts" / f"{year}.parquet" for year in YEARS],
                [processed / "country_totals" / f"{year}.parquet" for year in YEARS],
                processed / "provenance.json", *(processed / name for name in (
                    "verdicts.json", "focal.parquet", "dynamics.parquet")),
                **stage_slices(cfg)["study"])
