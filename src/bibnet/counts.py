"""Tidy co-authorship tables from any source: one row per country pair and year.

Every source ends in the same three tables per year and layer:

``counts``
    ``year, layer, country_a, country_b, works`` — one row per unordered linked pair with
    ``country_a < country_b`` and ``works > 0``: the internationally co-authored works with
    authors from both countries, counted by the configured scheme (`bibnet.counting`): whole
    numbers under ``whole`` and ``capped``, fractions (float64) under ``fractional``.
``country_totals``
    ``year, layer, country, intl_works`` — each country's number of internationally co-authored
    works (under ``capped``, those with at most ``max_countries`` countries).
``asymmetries``
    ``year, layer, country_a, country_b, works_row_a, works_row_b, kept, reason`` — pairs whose
    two rows disagree, with the value kept and why.

``layer`` is ``all`` for all-science and otherwise the OpenAlex display name of the layer's
field or domain (`bibnet.taxonomy`), also in the Parquet metadata (``bibnet.layer``). A year's
tables hold one layer; the combined tables (`combine_layers`) hold every configured layer.

A source gives *rows*: country CC's row holds CC's partners and their counts, as the OpenAlex
query ``filter=authorships.countries:CC,...&group-by=authorships.countries`` returns them. A pair
is seen from both of its rows; where they disagree, the value kept comes from the row that is
complete (paged to the end), because a truncated row can only miss a partner; between two rows
alike in that, the larger value. Two complete rows differ when the index changed between the two
calls (the real 2004 and 2019 networks have six such pairs, off by one); keeping the larger value
makes the result independent of the order in which rows happened to be fetched.

Under ``fractional`` counting the OpenAlex rows come in strata of works by number of countries
(`bibnet.fetch.rows`); each stratum is reconciled as above, then weighted and summed
(`fractional_tables`). In an exact stratum (``n`` countries) every pair-link weighs
``1 / (n - 1)``. In a binned stratum (11-20, 21-40, >40 countries) the works' sizes are not
known one by one, only each row's works ``N`` and partner-links ``S`` in the bin; a row's bin
weight ``N / S`` is ``1 / (n - 1)`` at its works' mean size, so the row's fractional strength in
the bin stays exactly ``N``, and a pair takes the mean of its two rows' bin weights. The error of
a pair is at most its bin works times the bin's `Stratum.weight_spread` (0.047, 0.026 and 0.025
works per work). Measured by ``benchmarks/counting.py`` (a SYNTHETIC corpus of 40 countries x 3
years x 20,000 works, `bibnet.simulate.works`, fetched through the emulator's works mode; 2,340
pairs): the largest error of a pair is 0.0505 works (under 0.1 % of that pair), the largest
relative error 22.4 % (a pair whose few works are mostly consortia), the summed error 0.048 % of
all pair weight, and no error above 28.3 % of its pair's bound.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from bibnet.counting import Counting, Stratum
from bibnet.logs import job_entry
from bibnet.outputs import (ASYMMETRY_COLUMNS, CONFIG_KEY, COUNT_COLUMNS, COUNTING_KEY,
                            LAYER_COLUMN, LAYER_KEY, PLANTED_KEY, SOURCE_KEY, SYNTHETIC,
                            TOTAL_COLUMNS, config_slice, made_from)
from bibnet.pajek import read_network
from bibnet.taxonomy import ALL_SCIENCE, Layer, layers_from_spec

log = logging.getLogger(__name__)

_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
#: Fractional works are stored as multiples of 2**-20 of a work (a rounding of at most 4.8e-7):
#: sums and differences of such numbers are exact in float64, so the incremental sums of later
#: stages (the blockmodels' moves) return exactly to zero instead of to a residue of 1e-16,
#: which their likelihoods would read as works where there is no exposure.
WORKS_QUANTUM = 2.0 ** -20


@dataclass(frozen=True)
class Row:
    """One country's row: its partners' counts and its own number of international works."""

    partners: Mapping[str, int]
    intl_works: int
    complete: bool = True


@dataclass(frozen=True)
class YearTables:
    """The three tidy tables of one year (see the module docstring for their columns)."""

    counts: pd.DataFrame
    totals: pd.DataFrame
    asymmetries: pd.DataFrame


def _frame(records: list[dict], columns: Mapping[str, str], **dtypes: str) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(columns))
    return frame.astype({**columns, **dtypes})


def _resolve(a: Row, b: Row, x: int, y: int) -> tuple[int, str]:
    """The value to keep when row a says x and row b says y != x, and why."""
    if a.complete != b.complete:
        return (x if a.complete else y), "complete row"
    return max(x, y), "larger value"


def pair_tables(year: int, rows: Mapping[str, Row], countries: str | Sequence[str]) -> YearTables:
    """Reconcile the rows of one year into the tidy tables.

    Parameters
    ----------
    year : int
    rows : mapping of str to Row
        Rows by country code. A partner without a row of its own (not selected, or absent from
        the source's country list) contributes through the rows that name it.
    countries : "all" or sequence of str
        ``"all"`` keeps every country with at least one international work; a list keeps exactly
        those countries (a listed country without works gets a total of 0) and the pairs among
        them.

    Returns
    -------
    YearTables
    """
    if countries == "all":
        selected = {code for code, row in rows.items() if row.intl_works > 0 or row.partners}
        selected |= {p for row in rows.values() for p, n in row.partners.items() if n > 0}
    else:
        selected = set(countries)
    pairs, asymmetries = [], []
    for a in sorted(selected):
        row_a = rows.get(a)
        for b in sorted(selected):
            if b <= a:
                continue
            row_b = rows.get(b)
            x = row_a.partners.get(b, 0) if row_a else None
            y = row_b.partners.get(a, 0) if row_b else None
            if x is None or y is None or x == y:
                works = x if y is None else y
            else:
                works, reason = _resolve(row_a, row_b, x, y)
                asymmetries.append({"year": year, "country_a": a, "country_b": b,
                                    "works_row_a": x, "works_row_b": y, "kept": works,
                                    "reason": reason})
            if works:
                pairs.append({"year": year, "country_a": a, "country_b": b, "works": works})
    totals = [{"year": year, "country": code, "intl_works": int(rows[code].intl_works)
               if code in rows else 0} for code in sorted(selected)]
    if asymmetries:
        log.warning("%d: %d pairs whose two rows disagree; kept values are in asymmetries",
                    year, len(asymmetries))
    whole = all(float(pair["works"]).is_integer() for pair in pairs)
    counts = _frame(pairs, COUNT_COLUMNS) if whole else _fractional_frame(pairs)
    return YearTables(counts, _frame(totals, TOTAL_COLUMNS), _frame(asymmetries, ASYMMETRY_COLUMNS))


def _fractional_frame(pairs: list[dict]) -> pd.DataFrame:
    """The counts table of fractional works, rounded to `WORKS_QUANTUM`."""
    frame = _frame(pairs, COUNT_COLUMNS, works="float64")
    frame["works"] = np.round(frame["works"] / WORKS_QUANTUM) * WORKS_QUANTUM
    return frame


def _selection(strata: Sequence[Mapping[str, Row]]) -> list[str]:
    """Every country with a work or a partner in any stratum (``countries: all``)."""
    selected = set()
    for rows in strata:
        selected |= {code for code, row in rows.items() if row.intl_works > 0 or row.partners}
        selected |= {p for row in rows.values() for p, n in row.partners.items() if n > 0}
    return sorted(selected)


def _bin_weights(rows: Mapping[str, Row]) -> dict[str, float]:
    """Each row's weight in a binned stratum: its works over its partner-links there."""
    weights = {}
    for code, row in rows.items():
        links = sum(row.partners.values())
        if links:
            weights[code] = row.intl_works / links
    return weights


def fractional_tables(year: int, strata: Sequence[tuple[Stratum, Mapping[str, Row]]],
                      countries: str | Sequence[str]) -> YearTables:
    """The tables under fractional counting from the rows of each stratum of works.

    Parameters
    ----------
    year : int
    strata : sequence of (Stratum, rows)
        The rows of each stratum (their counts whole works of that stratum).
    countries : "all" or sequence of str
        As `pair_tables`.

    Returns
    -------
    YearTables
        ``works`` the fractional pair weights (float64, in multiples of `WORKS_QUANTUM`);
        ``intl_works`` each country's works
        summed over the strata; asymmetries of every stratum, the stratum in ``reason``.

    Examples
    --------
    >>> rows2 = {"KR": Row({"GB": 2}, 2), "GB": Row({"KR": 2}, 2)}
    >>> rows3 = {"KR": Row({"GB": 1, "US": 1}, 1), "GB": Row({"KR": 1, "US": 1}, 1)}
    >>> tables = fractional_tables(2005, [(Stratum(2, 2), rows2), (Stratum(3, 3), rows3)],
    ...                            countries=["GB", "KR"])
    >>> tables.counts["works"].tolist(), tables.totals["intl_works"].tolist()
    ([2.5], [3, 3])
    """
    selected = _selection([rows for _, rows in strata]) if countries == "all" else countries
    weights: dict[tuple[str, str], float] = {}
    totals: dict[str, int] = dict.fromkeys(selected, 0)
    asymmetries = []
    for stratum, rows in strata:
        tables = pair_tables(year, rows, selected)
        bin_weights = {} if stratum.exact else _bin_weights(rows)
        for pair in tables.counts.itertuples(index=False):
            if stratum.exact:
                weight = 1.0 / (stratum.lo - 1)
            else:
                seen = [bin_weights[c] for c in (pair.country_a, pair.country_b)
                        if c in bin_weights]
                weight = sum(seen) / len(seen)
            key = (pair.country_a, pair.country_b)
            weights[key] = weights.get(key, 0.0) + weight * pair.works
        for total in tables.totals.itertuples(index=False):
            totals[total.country] += int(total.intl_works)
        if len(tables.asymmetries):
            frame = tables.asymmetries.copy()
            frame["reason"] = frame["reason"] + f" (works with {stratum.filter} countries)"
            asymmetries.append(frame)
    pairs = [{"year": year, "country_a": a, "country_b": b, "works": works}
             for (a, b), works in sorted(weights.items()) if works > 0]
    return YearTables(
        _fractional_frame(pairs),
        _frame([{"year": year, "country": code, "intl_works": n}
                for code, n in sorted(totals.items())], TOTAL_COLUMNS),
        pd.concat(asymmetries, ignore_index=True) if asymmetries
        else _frame([], ASYMMETRY_COLUMNS))


def rows_from_matrix(codes: Sequence[str], matrix: np.ndarray) -> dict[str, Row]:
    """Rows of a country matrix: ``matrix[i, j]`` is row i's count for j, the diagonal the totals.

    A matrix says nothing of how complete its rows were, so every row counts as complete
    (where the two directions of a pair disagree, the larger value is kept).
    """
    if np.any(matrix < 0) or np.any(matrix != np.round(matrix)):
        raise ValueError("weights must be non-negative whole numbers of works")
    rows = {}
    for i, code in enumerate(codes):
        partners = {codes[j]: int(matrix[i, j]) for j in np.flatnonzero(matrix[i]) if j != i}
        rows[code] = Row(partners, intl_works=int(matrix[i, i]))
    return rows


def rows_from_pajek(path: str | Path) -> dict[str, Row]:
    """Rows of a Pajek network: arcs i->j give row i, loops give the totals."""
    network = read_network(path)
    try:
        return rows_from_matrix(network.codes, network.matrix)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from None


def rows_from_synthetic(year: int, *, seed: int, focal, countries, synthetic: Mapping,
                        counting: Counting = Counting(), layer: Layer = ALL_SCIENCE
                        ) -> dict[str, Row]:
    """Rows of the year's sphere world (`bibnet.simulate.source.year_world` of ``seed``,
    ``focal``, ``countries`` and ``synthetic``; a layer's, `bibnet.simulate.layers`); totals are
    the strengths.

    Under ``whole`` counting the rows are the planted world's counts. Under any other scheme
    they come from works drawn to follow that world (`bibnet.simulate.works.works_from_world`,
    seeded by the year's seed), weighted by the scheme; the totals are then each country's
    works the scheme counts.
    """
    # the synthetic source is the one stage that draws worlds
    from bibnet import simulate
    from bibnet.simulate.layers import layer_seed, layer_world
    from bibnet.simulate.works import pair_matrix, works_from_world

    world = layer_world({"seed": seed, "focal": focal, "countries": countries,
                         "synthetic": synthetic}, year, layer)
    if counting.scheme == "whole":
        totals = np.diag(simulate.strengths(world.counts))
        return rows_from_matrix(list(world.codes), world.counts + totals)
    works = works_from_world(world.codes, world.counts, seed=layer_seed(seed, year, layer, 1))
    pairs, totals = pair_matrix(works, counting)
    return {code: Row({world.codes[j]: float(pairs[i, j]) for j in np.flatnonzero(pairs[i])},
                      intl_works=int(totals[i]))
            for i, code in enumerate(world.codes)}


def read_openalex_manifest(manifest_path: str | Path) -> tuple[dict, list[Stratum]]:
    """A year's manifest and its strata; a manifest of before the strata is one ``>1`` stratum."""
    manifest = json.loads(Path(manifest_path).read_text(encoding="utf-8"))
    if "strata" not in manifest:
        manifest["strata"] = [{"filter": ">1", "lo": 2, "hi": None, "rows": manifest["rows"]}]
        manifest["counting"] = Counting().record()
    return manifest, [Stratum(s["lo"], s["hi"]) for s in manifest["strata"]]


def strata_from_openalex(manifest_path: str | Path) -> list[tuple[Stratum, dict[str, Row]]]:
    """The rows of every stratum of one year from the raw OpenAlex cache (``bibnet.fetch``).

    The manifest lists the row files of the year; it is written only once all of them are
    complete, so a year without one was not fully fetched.
    """
    manifest, strata = read_openalex_manifest(manifest_path)
    return [(stratum, _rows_of(Path(manifest_path).parent, section["rows"]))
            for stratum, section in zip(strata, manifest["strata"])]


def _rows_of(folder: Path, files: Mapping[str, str]) -> dict[str, Row]:
    rows = {}
    for code, name in sorted(files.items()):
        record = json.loads((folder / name).read_text(encoding="utf-8"))
        if not record.get("complete"):
            raise ValueError(f"{folder / name} is not a complete row; delete it "
                             "and re-run `snakemake` to fetch it again")
        groups = {g["code"]: int(g["count"]) for g in record["groups"]}
        # A group that is not a country (OpenAlex's "unknown") is no partner.
        strays = sorted(key for key in groups if not _COUNTRY_CODE.fullmatch(key))
        if strays:
            log.warning("%s: groups that are not country codes left out: %s", name,
                        ", ".join(strays))
        # Every work of the row has the country itself, so its own group counts them all;
        # meta.count is only the fallback, as OpenAlex's docs have given it two meanings (the
        # works, or the groups).
        own = groups.get(code)
        total = own if own is not None else record["meta"].get("count")
        rows[code] = Row({key: n for key, n in groups.items()
                          if key != code and key not in strays},
                         intl_works=int(total or 0))
    return rows


def write_year_tables(tables: YearTables, counts_path: str | Path, totals_path: str | Path,
                      asymmetries_path: str | Path) -> None:
    """Write one year's tables as Parquet (no index, so the same tables give the same bytes)."""
    for frame, path in ((tables.counts, counts_path), (tables.totals, totals_path),
                        (tables.asymmetries, asymmetries_path)):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(path, index=False)


@job_entry(quiet=True)
def combine_years(paths: Sequence[str | Path], out_path: str | Path) -> pd.DataFrame:
    """Concatenate per-year tables, in year order, into one Parquet file; the years must have
    been made from one configuration (`bibnet.outputs.made_from`), which it records."""
    frames = [pd.read_parquet(path) for path in paths]
    combined = pd.concat(frames, ignore_index=True)
    sort_by = [c for c in ("year", "country_a", "country_b", "country") if c in combined]
    combined = combined.sort_values(sort_by, kind="stable", ignore_index=True)
    combined.attrs = dict(frames[0].attrs) if frames else {}
    combined.attrs[CONFIG_KEY] = made_from({}, {str(path): frame.attrs.get(CONFIG_KEY)
                                                for path, frame in zip(paths, frames)})
    combined.to_parquet(out_path, index=False)
    return combined


def _check_openalex_manifest(manifest_path: str | Path, counting: Counting,
                             filters: Mapping, layer: Layer = ALL_SCIENCE) -> None:
    """The year's manifest holds the configured scheme's rows of ``layer``, fetched with the
    configured filters (a fetch re-runs when either changes; this says so if one did not)."""
    manifest = read_openalex_manifest(manifest_path)[0]
    scheme = manifest["counting"]["scheme"]
    if scheme != counting.scheme:
        raise ValueError(f"{manifest_path} holds {scheme} counts, not {counting.scheme}; "
                         "re-run `snakemake` to fetch the configured scheme's rows")
    held = manifest.get("layer", ALL_SCIENCE.record())["tag"]
    if held != layer.tag:
        raise ValueError(f"{manifest_path} holds the rows of layer {held}, not {layer.tag}")
    fetched = {key: value for key, value in manifest.get("query_filters", {}).items()
               if key != "publication_year" and key not in layer.filter}
    if fetched != dict(filters):
        raise ValueError(f"{manifest_path} was fetched with the filters {fetched}, not the "
                         f"configured openalex.filters {dict(filters)}; re-run `snakemake` "
                         "to fetch the rows with the configured filters")


@job_entry
def build_year(year: int, sources: Sequence[str | Path], counts_path: str | Path,
               totals_path: str | Path, asymmetries_path: str | Path, *, source: str,
               countries: str | Sequence[str], counting: str, openalex: Mapping | None = None,
               seed: int | None = None, focal: Sequence[str] | None = None,
               synthetic: Mapping | None = None, layer: str = ALL_SCIENCE.tag) -> YearTables:
    """Read one year (of one layer) from the configured source and write its three tables.

    Parameters
    ----------
    year : int
    sources : sequence of path
        The year's OpenAlex manifest (``source: openalex``; the layer's) or Pajek network
        (``source: pajek``); empty for ``source: synthetic``, whose world is drawn from the
        settings.
    counts_path, totals_path, asymmetries_path : path
        Where the year's tables go.
    source, countries, counting
        The configuration's ``source``, ``countries`` and counting scheme (its tag,
        `bibnet.counting.Counting.tag`).
    openalex : mapping, optional
        With ``source: openalex``, ``{"filters": ...}``: what the rows must have been fetched
        with (besides the layer's own filter).
    seed, focal, synthetic : optional
        With ``source: synthetic``, what the world is drawn from (`bibnet.slices.world`; with
        its ``layers`` for a layer's world).
    layer : str
        The layer's tag (`bibnet.taxonomy.Layer.tag`); by default all-science.

    Every table records the settings it was made from (`bibnet.outputs.CONFIG_KEY`) and its
    layer (`bibnet.outputs.LAYER_KEY`, and the ``layer`` column).
    """
    layer = Layer.from_tag(layer)
    scheme = Counting.from_tag(counting)
    if source == "openalex":
        (manifest_path,) = sources
        _check_openalex_manifest(manifest_path, scheme, (openalex or {}).get("filters", {}),
                                 layer)
        strata = strata_from_openalex(manifest_path)
        if scheme.scheme == "fractional":
            tables = fractional_tables(year, strata, countries)
        else:
            tables = pair_tables(year, strata[0][1], countries)
    elif source == SYNTHETIC:
        rows = rows_from_synthetic(year, seed=seed, focal=focal, countries=countries,
                                   synthetic=synthetic or {}, counting=scheme, layer=layer)
        tables = pair_tables(year, rows, countries)
    else:
        if scheme.scheme != "whole":
            raise ValueError("a Pajek network holds whole counts only; set counting: whole")
        (source_path,) = sources
        tables = pair_tables(year, rows_from_pajek(source_path), countries)
    settings = config_slice(source=source, countries=countries, counting=counting,
                            **{name: value for name, value in
                               (("openalex", openalex), ("seed", seed), ("focal", focal),
                                ("synthetic", synthetic)) if value is not None})
    tables = YearTables(*(_in_layer(frame, layer) for frame in
                          (tables.counts, tables.totals, tables.asymmetries)))
    for frame in (tables.counts, tables.totals, tables.asymmetries):
        frame.attrs.update({SOURCE_KEY: source, COUNTING_KEY: scheme.tag, LAYER_KEY: layer.name,
                            CONFIG_KEY: settings})
    log.info("%d%s: %d countries, %d linked pairs, %d asymmetric pairs", year,
             "" if layer.is_all else f" [{layer.name}]", len(tables.totals),
             len(tables.counts), len(tables.asymmetries))
    write_year_tables(tables, counts_path, totals_path, asymmetries_path)
    return tables


def _fetched_files(manifest_path: str | Path) -> tuple[dict, list[Path]]:
    """A year's manifest and the files of its rows and country list."""
    folder = Path(manifest_path).parent
    manifest, _ = read_openalex_manifest(manifest_path)
    paths = [folder / name for section in manifest["strata"] for name in section["rows"].values()]
    if (folder / "_countries.json").exists():
        paths.append(folder / "_countries.json")
    return manifest, paths


def _in_layer(frame: pd.DataFrame, layer: Layer) -> pd.DataFrame:
    """The table with its ``layer`` column, after ``year``."""
    frame = frame.copy()
    frame.insert(1, LAYER_COLUMN, pd.Series([layer.name] * len(frame), index=frame.index,
                                            dtype="string"))
    return frame


@job_entry(quiet=True)
def combine_layers(paths: Sequence[str | Path], out_path: str | Path) -> pd.DataFrame:
    """Concatenate per-year tables given layer by layer (all-science first, then in the
    configured order), into one Parquet file in order of year, then layer, then pair; the
    tables must have been made from one configuration (`bibnet.outputs.made_from`: a layer's
    may record more keys, its planted world's), which it records."""
    frames = [pd.read_parquet(path) for path in paths]
    combined = pd.concat(frames, ignore_index=True).sort_values("year", kind="stable",
                                                                 ignore_index=True)
    combined.attrs = {key: value for key, value in frames[0].attrs.items() if key != LAYER_KEY}
    combined.attrs[CONFIG_KEY] = made_from({}, {str(path): frame.attrs.get(CONFIG_KEY)
                                                for path, frame in zip(paths, frames)})
    combined.to_parquet(out_path, index=False)
    return combined


@job_entry(quiet=True)
def write_provenance(source_paths: Sequence[str | Path], out_path: str | Path, *, source: str,
                     years: Mapping, countries: str | Sequence[str], counting: str,
                     layers: str | Sequence[str | int] = "none", openalex: Mapping | None = None,
                     seed: int | None = None, focal: Sequence[str] | None = None,
                     synthetic: Mapping | None = None, pajek_dir: str | None = None) -> dict:
    """Record where the counts came from, for the reports: source, years and fetch history.

    The settings are those of `build_year`, the configured ``years`` and ``layers`` (and
    ``pajek_dir`` with Pajek). The counting scheme is recorded for every source. For OpenAlex,
    the calls are the pages the cached rows of every stratum (and layer) needed (a re-run that
    found a row in the cache made no call for it) and the fetch times span the rows'
    ``fetched_at``. With layers, ``layers`` records them (`layers_provenance`);
    ``source_paths`` then holds every layer's manifests too. No time of writing is recorded,
    so the same inputs give the same bytes.
    """
    settings = {name: value for name, value in
                (("source", source), ("years", years), ("countries", countries),
                 ("counting", counting), ("layers", layers), ("openalex", openalex),
                 ("seed", seed), ("focal", focal), ("synthetic", synthetic),
                 ("pajek_dir", pajek_dir))
                if value is not None}
    record = {"source": source, "synthetic": source == SYNTHETIC, "years": dict(years),
              "countries": countries, "counting": Counting.from_tag(counting).record(),
              CONFIG_KEY: config_slice(**settings)}
    if source == "pajek":
        record["pajek_dir"] = str(pajek_dir)
        record["files"] = [Path(path).name for path in source_paths]
    elif source == SYNTHETIC:
        from bibnet.simulate.source import configured_world, planted_record

        record["synthetic_world"] = dict(synthetic or {})
        world = configured_world({"seed": seed, "focal": focal, "countries": countries,
                                  "synthetic": synthetic or {}})
        record[PLANTED_KEY] = planted_record(world, focal or [])
    elif source == "openalex":
        pages, times, read = 0, [], set()
        for manifest_path in source_paths:
            manifest, paths = _fetched_files(manifest_path)
            if "coverage" in manifest:
                paths.append(Path(manifest_path).parent / manifest["coverage"])
            for path in {path.resolve() for path in paths} - read:
                row = json.loads(path.read_text(encoding="utf-8"))
                pages += row["pages"]
                times.append(row["fetched_at"])
                read.add(path)
        record["openalex"] = {"calls": pages, "first_fetched": min(times, default=None),
                              "last_fetched": max(times, default=None),
                              "filters": dict((openalex or {}).get("filters", {}))}
    every_layer = layers_from_spec(layers)
    if len(every_layer) > 1:
        record["layers"] = layers_provenance(every_layer, source, synthetic or {}, source_paths,
                                             seed=seed, focal=focal, countries=countries)
    Path(out_path).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n",
                              encoding="utf-8")
    return record


def layers_provenance(layers: Sequence[Layer], source: str, synthetic: Mapping,
                      source_paths: Sequence[str | Path], *, seed: int | None = None,
                      focal: Sequence[str] | None = None,
                      countries: str | Sequence[str] = "all") -> dict:
    """What provenance records of the ``layers`` (all-science first) of a run on ``source``
    (``synthetic``: the configuration's section): each layer (name, tag, OpenAlex filter) and

    * OpenAlex: the calls of each layer's rows and country lists, and every year's works
      without a primary topic (`bibnet.fetch.coverage`): counted in all-science, in no layer;
    * synthetic: each layer's share of the works, what its planted world places differently
      and where the focal countries are planted in it (`bibnet.simulate.layers`); a planted
      layer has no works without a topic.
    """
    record = {"layers": [layer.record() for layer in layers]}
    if source == SYNTHETIC:
        from bibnet.simulate.layers import layer_config, layer_overrides, layer_share
        from bibnet.simulate.source import configured_world, placement

        config = {"seed": seed, "focal": focal, "countries": countries, "synthetic": synthetic}
        record["synthetic"] = {}
        for layer in layers[1:]:
            world = configured_world(layer_config(config, layer))
            record["synthetic"][layer.name] = {
                "share": layer_share(layer), **layer_overrides(synthetic, layer),
                "focal": {code: placement(world, code) for code in focal or []}}
        return record
    from bibnet.fetch.coverage import read_coverage

    calls: dict[str, int] = {}
    coverage: dict[str, dict] = {}
    for manifest_path in source_paths:
        manifest, paths = _fetched_files(manifest_path)
        if "layer" not in manifest:
            continue
        name = manifest["layer"]["layer"]
        calls[name] = calls.get(name, 0) + sum(
            json.loads(path.read_text(encoding="utf-8"))["pages"] for path in paths)
        coverage[str(manifest["year"])] = read_coverage(
            Path(manifest_path).parent / manifest["coverage"])
    record["calls"] = calls
    record["without_primary_topic"] = dict(sorted(coverage.items()))
    return record
