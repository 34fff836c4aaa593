"""Processed outputs for the report tests, made by the stages' own functions on a small
planted world: counts and their data-quality flags (``bibnet.counts``, ``bibnet.quality``), graph
statistics and exports (``bibnet.graphs.files``), the readings beyond size with their replicates
and tiers (``bibnet.blockmodels.files``, on the year's graph and on a three-year window) and the
study (``bibnet.hypotheses``), with few starts and replicates so the fixture builds in seconds;
the same on a few years of the real Pajek networks (:func:`make_real_processed`); and the
report pages made from them as the workflow's rules make them (:func:`build_reports`).
"""

from __future__ import annotations

from pathlib import Path

from bibnet.blockmodels.files import write_year as write_blockmodels_year
from bibnet.config import window_years
from bibnet.counts import build_year, combine_layers, combine_years, write_provenance
from bibnet.graphs.files import write_statistics, write_year_exports
from bibnet.hypotheses import write_study
from bibnet.quality import write_data_quality
from bibnet.report import build_index, build_year_page, tables, write_assets
from bibnet.slices import lineage, stage_slices

YEARS = (2001, 2002, 2003)


def config(n_countries: int = 30) -> dict:
    return {"source": "synthetic", "years": {"first": YEARS[0], "last": YEARS[-1]},
            "countries": "all", "focal": ["KR", "GB"], "seed": 7, "pajek_dir": "unused",
            "synthetic": {"kind": "hubs", "n_countries": n_countries, "sphere_of": {"KR": "US"}},
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


def page_lineage(cfg: dict) -> dict[str, dict]:
    """What each page and table records it was made from (`bibnet.slices.lineage`), as the
    workflow's report rules are given it."""
    slices = stage_slices(cfg)
    return {page: lineage(slices, page) for page in (
        "report_year", "report_index", "blockmodels", "graph_stats", "study")}


def make_processed(root: Path, n_countries: int = 30) -> dict:
    """Write every processed output the reports read under ``root/data/processed``."""
    processed = root / "data" / "processed"
    cfg = config(n_countries)
    write_stage_outputs(cfg, list(YEARS), {}, processed)
    records = write_records_outputs(cfg, root / "data" / "raw" / "openalex", processed)
    return {"processed": processed, "config": cfg, "years": list(YEARS), "records": records,
            "made_from": page_lineage(cfg)}


#: Years of the real networks the report tests build (Korea–USA 2020 is out of line with its
#: neighbouring years, flagged by the data-quality rule).
REAL_YEARS = (2019, 2020, 2021)


def make_real_processed(root: Path, pajek_dir: Path, years=REAL_YEARS) -> dict:
    """The processed outputs of the real Pajek networks of ``years`` under
    ``root/data/processed``, with the shipped config's study settings and few starts and
    replicates (about a minute)."""
    processed = root / "data" / "processed"
    cfg = {**config(), "source": "pajek", "pajek_dir": str(pajek_dir),
           "years": {"first": years[0], "last": years[-1]}, "seed": 20080101}
    cfg["blockmodels"] = {**cfg["blockmodels"], "window_years": 1,
                          "centre_check": {"top_share": 0.1, "contrast": 1.5}}
    cfg["hypotheses"] = {**cfg["hypotheses"], "hwang": {"core_min": 0.9, "peers": 10}}
    write_stage_outputs(cfg, list(years), {y: [pajek_dir / f"WrldCo{y}.net"] for y in years},
                        processed)
    return {"processed": processed, "config": cfg, "years": list(years),
            "made_from": page_lineage(cfg)}


def write_stage_outputs(cfg: dict, years: list[int], sources: dict, processed: Path) -> None:
    """Counts (from ``sources`` by year; none for a synthetic world), data-quality flags, graph
    statistics and exports, blockmodels, tiers, provenance and the study, by the stages'
    functions with the settings the workflow's rules pass them (`bibnet.slices`)."""
    slices = stage_slices(cfg)
    tables = {t: {year: processed / t / f"{year}.parquet" for year in years}
              for t in ("counts", "country_totals", "asymmetries")}
    for year in years:
        build_year(year, sources.get(year, []), *(tables[t][year] for t in tables),
                   **slices["counts"])
        write_statistics(tables["counts"][year], tables["country_totals"][year],
                         processed / "graph_stats" / f"{year}.parquet", **slices["graph_stats"])
        write_year_exports(tables["counts"][year], tables["country_totals"][year],
                           {"net": processed / "graphs" / f"{year}.net"},
                           **slices["graph_exports"])
    combine_layers([tables["counts"][year] for year in years], processed / "counts.parquet")
    write_data_quality(processed / "counts.parquet", processed / "data_quality.parquet")
    for year in years:
        window = window_years(year, cfg["blockmodels"]["window_years"], years[0], years[-1])
        write_blockmodels_year(year, [tables["counts"][y] for y in window],
                               [tables["country_totals"][y] for y in window],
                               processed / "blockmodels" / f"{year}.json",
                               processed / "blockmodels" / f"{year}.tiers.parquet",
                               **slices["blockmodels"])
    combine_years([processed / "blockmodels" / f"{year}.tiers.parquet" for year in years],
                  processed / "tiers.parquet")
    write_provenance([path for year in years for path in sources.get(year, [])],
                     processed / "provenance.json", **slices["provenance"])
    write_study_outputs(cfg, processed, years)


def build_reports(processed: Path, out: Path, made_from: dict, years=YEARS,
                  page_years=None) -> dict[str, Path]:
    """Every page of the report, as the workflow's rules make them (the year pages of
    ``page_years`` only, where given; ``made_from``: each page's lineage, `page_lineage`)."""
    write_assets(out / "assets")
    pages = {}
    for year in years if page_years is None else page_years:
        pages[str(year)] = out / "years" / f"{year}.html"
        build_year_page(year, years, processed / "counts" / f"{year}.parquet", pages[str(year)],
                        made_from=made_from["report_year"],
                        stats_path=processed / "graph_stats" / f"{year}.parquet",
                        fit_path=processed / "blockmodels" / f"{year}.json",
                        tiers_path=processed / "blockmodels" / f"{year}.tiers.parquet")
        tables.tier_csv(processed / "blockmodels" / f"{year}.tiers.parquet",
                        out / "tables" / f"tiers_{year}.csv", made_from=made_from["blockmodels"])
    pages["index"] = out / "index.html"
    study = {f"{name}_path": processed / f"{name}.{suffix}" for name, suffix in (
        ("verdicts", "json"), ("focal", "parquet"), ("dynamics", "parquet"),
        ("data_quality", "parquet")) if (processed / f"{name}.{suffix}").exists()}
    study.update({key: processed / name for key, name in RECORD_FILES.items()
                  if (processed / name).exists()})
    build_index(years, processed / "provenance.json", pages["index"],
                made_from=made_from["report_index"], tiers_path=processed / "tiers.parquet",
                **study)
    if "verdicts_path" in study:
        tables.structure_csv(study["verdicts_path"], out / "tables" / "structure.csv",
                             made_from=made_from["study"])
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


def write_study_outputs(cfg: dict, processed: Path, years=YEARS) -> None:
    """verdicts.json, focal.parquet and dynamics.parquet by the study stage."""
    write_study([processed / "blockmodels" / f"{year}.json" for year in years],
                processed / "tiers.parquet",
                [processed / "counts" / f"{year}.parquet" for year in years],
                [processed / "country_totals" / f"{year}.parquet" for year in years],
                processed / "provenance.json", *(processed / name for name in (
                    "verdicts.json", "focal.parquet", "dynamics.parquet")),
                **stage_slices(cfg)["study"])
