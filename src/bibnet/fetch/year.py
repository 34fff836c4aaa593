"""One year's fetch: its plan, its rows in every stratum of the counting scheme, its manifest;
and the workflow's fetch rules, which fetch one year's rows (in all-science or in one
research-field layer) or focal records as the configuration asks and, where the budget stops
them, say what the whole run still needs."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from bibnet.counting import Counting
from bibnet.fetch.cache import write_manifest
from bibnet.fetch.coverage import fetch_coverage
from bibnet.fetch.errors import BudgetExhaustedError
from bibnet.fetch.focal import fetch_records
from bibnet.fetch.layer_plan import plan_layer_year
from bibnet.fetch.plan import Budget, FetchPlan, YearPlan, plan_year, read_budget, run_left
from bibnet.fetch.rows import country_list, fetch_rows, manifest_path, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.logs import job_entry
from bibnet.outputs import RAW
from bibnet.taxonomy import ALL_SCIENCE, Layer

logger = logging.getLogger(__name__)


@job_entry
def fetch_year(year: int, countries: list[str] | str, raw_dir: Path, settings: FetchSettings,
               progress: bool = True, counting: Counting = Counting(),
               layer: Layer = ALL_SCIENCE) -> Path:
    """Fetch every row of a year, then write the year's manifest.

    Parameters
    ----------
    year : int
        Publication year.
    countries : list of str or "all"
        Row countries; ``"all"`` takes every country OpenAlex lists for the year (in the
        layer).
    raw_dir : Path
        Root of the raw cache.
    settings : FetchSettings
        Concurrency, retries, timeouts and extra filters.
    progress : bool
        Show a progress bar on stderr.
    counting : Counting
        The counting scheme, which decides the strata each row is fetched in.
    layer : Layer
        The research-field layer (`bibnet.taxonomy`); by default all-science.

    Returns
    -------
    Path
        `manifest_path`: ``year``, ``countries`` (sorted codes whose rows are present),
        ``counting`` (`Counting.record`), ``strata`` (for each: ``filter``, ``lo``, ``hi`` and
        ``rows``, code -> file path relative to the manifest's folder) and ``query_filters``.
        A layer's manifest also has ``layer`` (`Layer.record`) and ``coverage``, the year's
        works by field (`bibnet.fetch.coverage`) relative to its folder. It is written last
        and only when every file is complete.

    Raises
    ------
    MissingKeyError, KeyRejectedError, BudgetExhaustedError, TransientGiveUp, FetchError
        As `fetch_rows`; the manifest is then not written.
    """
    raw_dir = Path(raw_dir)
    if countries == "all":
        codes = country_list(year, raw_dir, settings, layer)
    elif isinstance(countries, str):
        raise ValueError(f'countries must be "all" or a list of codes, not {countries!r}')
    else:
        codes = sorted(set(countries))

    def plan() -> YearPlan:
        if layer.is_all:
            return plan_year(year, codes, raw_dir, settings, counting)
        return plan_layer_year(year, layer, codes, raw_dir, settings, counting)

    _state_plan(plan(), counting, "" if layer.is_all else f" [{layer.name}]")
    coverage = None if layer.is_all else fetch_coverage(year, raw_dir, settings, counting)
    try:
        report = fetch_rows([(year, code) for code in codes], raw_dir, settings, progress,
                            counting.strata, layer)
    except BudgetExhaustedError as error:
        where = f" in year {year}" + ("" if layer.is_all else f", layer {layer.name}")
        raise error.where(where) from None
    logger.info("year %d%s, %s counting: %s", year, "" if layer.is_all else f" [{layer.name}]",
                counting.scheme, report.summary())
    path = manifest_path(raw_dir, year, counting, layer)
    folder = path.parent
    manifest = {
        "year": year,
        "countries": codes,
        "counting": counting.record(),
        "strata": [{"filter": stratum.filter, "lo": stratum.lo, "hi": stratum.hi,
                    "rows": {code: row_path(raw_dir, year, code, stratum, layer)
                             .relative_to(folder).as_posix() for code in codes}}
                   for stratum in counting.strata],
        "query_filters": {"publication_year": year, **dict(settings.filters), **layer.filter},
    }
    if not layer.is_all:
        manifest["layer"] = layer.record()
        manifest["coverage"] = Path(os.path.relpath(coverage, folder)).as_posix()
    return write_manifest(path, manifest)


def _state_plan(year: YearPlan, counting: Counting, where: str = "") -> None:
    """Say, before the year's first row call, what the year needs and what the key has left."""
    if not year.calls:
        return
    budget = read_budget()
    plan = FetchPlan(counting, [year], budget)
    text = (f"year {year.year}{where}: {year.queries - year.cached} of {year.queries} queries "
            f"to fetch, {plan.calls_text()}; ")
    if isinstance(budget, Budget):
        text += f"budget left ${budget.remaining_usd:.4f} ({budget.remaining_calls} calls)"
        if plan.stop("most"):
            text += (f": the budget may run out within this year; it resets "
                     f"{budget.reset_text()}")
    else:
        text += f"budget {budget}"
    logger.info("%s", text)
    print(text, file=sys.stderr, flush=True)


@job_entry
def fetch_configured_year(year: int, *, countries: list[str] | str, counting: str,
                          openalex: Mapping, transport: Mapping | None = None,
                          layer: str = ALL_SCIENCE.tag, run: Mapping | None = None,
                          raw_dir: Path = Path(RAW)) -> Path:
    """:func:`fetch_year` of one year as the configuration asks (its ``countries``, counting
    scheme's tag and ``openalex`` filters), in the layer of tag ``layer``, talking to OpenAlex
    as ``transport`` says (the other ``openalex`` keys, `bibnet.slices.transport`): the
    workflow's fetch rules. A budget stop says what the whole run still needs, from ``run``
    (the keyword arguments of `bibnet.fetch.plan.run_left`, `bibnet.slices.fetch_plan` and the
    run's years) where given."""
    settings = FetchSettings.from_config({**(transport or {}), **openalex})
    try:
        return fetch_year(year, countries, Path(raw_dir), settings,
                          counting=Counting.from_tag(counting), layer=Layer.from_tag(layer))
    except BudgetExhaustedError as error:
        raise error.where(error.stage, _run_left(run, transport, raw_dir)) from None


@job_entry
def fetch_configured_records(year: int, *, focal: Sequence[str], openalex: Mapping,
                             transport: Mapping | None = None, run: Mapping | None = None,
                             raw_dir: Path = Path(RAW)) -> Path:
    """`bibnet.fetch.focal.fetch_records` of one year for the configured ``focal`` pair and
    ``openalex`` filters (``transport`` and ``run`` as `fetch_configured_year`): the
    workflow's records fetch rule. A budget stop says what the whole run still needs."""
    try:
        return fetch_records(year, focal, Path(raw_dir),
                             FetchSettings.from_config({**(transport or {}), **openalex}))
    except BudgetExhaustedError as error:
        raise error.where(f" in the focal records of {year}",
                          _run_left(run, transport, raw_dir)) from None


def _run_left(run: Mapping | None, transport: Mapping | None, raw_dir: Path) -> str | None:
    return None if run is None else run_left(**run, transport=transport, raw_dir=Path(raw_dir))
