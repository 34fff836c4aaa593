"""The study's file interface: one year's counts in, its record out; the years combined.

:func:`write_year` reads a year's counts and totals (and those of its window), builds the
year's graph as the configuration selects it, and writes ``hypotheses/{year}.json``: the record
of :func:`bibnet.hypotheses.study.read_year` for each variant (``all``, the year itself; with
``window_years`` above 1, ``window``, the counts summed over the window), with the counting
scheme and the configuration it was made from. :func:`write_study` combines the years into
``verdicts.json`` (``years[Y].centres[VARIANT]``, ``.regions[VARIANT]``, ``.hwang[VARIANT]``,
``.robustness[VARIANT]``) and the tables the report draws from (`bibnet.outputs`): each
country's sphere, each sphere's tests, the focal country's ties to each centre against its
peers, and the spheres at every number of centres. :func:`write_layers` reads the layers side by
side (`bibnet.hypotheses.layers`): every country's place in every layer and year, each layer's
verdicts, and the focal country in applied against basic fields.

Every random step of a year draws from ``year_seed(seed, year)``, so a year's record does not
depend on which other years run.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from bibnet.counting import Counting
from bibnet.graphs import YearGraph, build_year_graph
from bibnet.graphs.gravity import gravity_expected
from bibnet.hypotheses.hwang import PEER_COUNTS
from bibnet.hypotheses.layers import (BASIC_FIELDS, LAYER_READINGS, applied_against_basic,
                                      differing_layers, layer_places)
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.study import read_year
from bibnet.logs import job_entry
from bibnet.outputs import (CONFIG_KEY, COUNTING_KEY, FOCAL_COLUMNS, LAYER_PLACE_COLUMNS,
                            ROBUSTNESS_COLUMNS, SOURCE_KEY, SPHERE_COLUMNS,
                            SPHERE_TABLE_COLUMNS, SYNTHETIC, config_slice, made_from,
                            recorded_config, write_json)
from bibnet.seeds import year_seed
from bibnet.taxonomy import ALL, Layer

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


def _network(graph: YearGraph) -> Network:
    return Network.from_counts(np.asarray(graph.counts, dtype=float), list(graph.codes))


def _settings(hypotheses: Mapping) -> dict:
    """The configuration's ``hypotheses`` section as :func:`read_year` takes it."""
    robustness = hypotheses["robustness"]
    return {**hypotheses, "robustness": [robustness["first"], robustness["last"]]}


@job_entry
def write_year(year: int, counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
               json_path: str | Path, *, countries: str | Sequence[str], graphs: Mapping,
               focal: Sequence[str], seed: int, hypotheses: Mapping) -> dict:
    """Read one year (every variant) and write its record.

    Parameters
    ----------
    year : int
    counts_paths, totals_paths : sequence of path
        The per-year counts and totals tables of the year's window (just the year when the
        window is off).
    json_path : path
        Where the year's record goes.
    countries, graphs, focal, seed, hypotheses
        The configuration's ``countries``, ``graphs`` (``min_works``, ``min_edge``), ``focal``,
        ``seed`` and ``hypotheses`` section.
    """
    frames = {str(path): pd.read_parquet(path) for path in (*counts_paths, *totals_paths)}
    settings = made_from(config_slice(countries=countries, graphs=graphs, focal=list(focal),
                                      seed=seed, hypotheses=hypotheses),
                         {path: frame.attrs.get(CONFIG_KEY) for path, frame in frames.items()})
    counts = pd.concat([frames[str(p)] for p in counts_paths], ignore_index=True)
    totals = pd.concat([frames[str(p)] for p in totals_paths], ignore_index=True)
    graph = summed_graph(year, counts[counts["year"] == year], totals[totals["year"] == year],
                         countries, graphs)
    variants = {"all": (graph, {})}
    if hypotheses["window_years"] > 1:
        window = sorted(set(counts["year"].tolist()))
        variants["window"] = (summed_graph(year, counts, totals, countries, graphs),
                              {"years": window})
    attrs = frames[str(counts_paths[0])].attrs
    source = str(attrs.get(SOURCE_KEY, ""))
    record = {"year": year, "source": source,
              "counting": Counting.from_tag(str(attrs.get(COUNTING_KEY, "whole"))).record(),
              "synthetic": source == SYNTHETIC, CONFIG_KEY: settings, "variants": {}}
    study_seed = int(year_seed(seed, year).generate_state(1)[0])
    for variant, (variant_graph, about) in variants.items():
        network = _network(variant_graph)
        record["variants"][variant] = {
            **about, **read_year(network, _settings(hypotheses), focal, study_seed, year),
            "unlinked": [c for c in variant_graph.codes if c not in network.codes]}
        found = record["variants"][variant]
        log.info("%d %s: %d countries; centres %s: %s; regions: %s; Hwang: %s", year, variant,
                 found["countries"], ", ".join(found["centres"]["centres"]),
                 found["centres"]["verdict"], found["regions"]["verdict"],
                 found["hwang"]["verdict"])
    write_json(record, json_path)
    return record


def affinity_trend(years: Sequence[int], values: Sequence[float]) -> dict:
    """Mann–Kendall trend of a pair's affinity: Kendall's tau of affinity against year, its
    two-sided p-value, and the Theil–Sen slope (rank-based, so one-year artefacts such as the
    KR–US jump of 2020 move neither much).

    >>> trend = affinity_trend([2000, 2001, 2002, 2003], [0.5, 0.6, 0.55, 0.8])
    >>> round(trend["tau"], 2), round(trend["slope"], 3)
    (0.67, 0.1)
    """
    pairs = [(y, v) for y, v in zip(years, values) if v is not None and np.isfinite(v)]
    if len(pairs) < 3:
        return {"tau": None, "p_value": None, "slope": None}
    x, y = map(np.asarray, zip(*pairs))
    tau = stats.kendalltau(x, y)
    slope = stats.theilslopes(y, x).slope
    return {"tau": float(tau.statistic), "p_value": float(tau.pvalue), "slope": float(slope)}


def _pair_affinity(graph: YearGraph, focal: Sequence[str]) -> float | None:
    network = _network(graph)
    a, b = (network.index(code) for code in focal)
    if a is None or b is None:
        return None
    expected = gravity_expected(network.counts)[a, b]
    return float(network.counts[a, b] / expected) if expected > 0 else None


def _rows(year: int, variant: str, record: Mapping) -> dict[str, list[dict]]:
    """The year-variant's rows of each combined table."""
    spheres = [{"year": year, "variant": variant, "country": country,
                **{k: row.get(k) for k in SPHERE_COLUMNS if k not in ("year", "variant",
                                                                        "country")}}
               for country, row in record["sphere_of"].items()]
    for row, (country, full) in zip(spheres, record["sphere_of"].items()):
        sphere = full.get("sphere")
        row["preference"] = full.get(f"pref_{sphere}") if sphere else None
    tables = [{"year": year, "variant": variant, "centre": centre,
               **{k: row.get(k) for k in SPHERE_TABLE_COLUMNS
                  if k not in ("year", "variant", "centre")}}
              for centre, row in record["centres"]["spheres"].items()]
    hwang = record["hwang"]
    # read back from JSON: the peer counts are text
    focal = [{"year": year, "variant": variant, "centre": centre,
              "affinity": row["affinity"], "leaning": row["leaning"],
              **{f"rank_{p}": row["ranks"][str(p)] for p in PEER_COUNTS},
              **{f"of_{p}": row["of"][str(p)] for p in PEER_COUNTS}}
             for centre, row in hwang.get("by_centre", {}).items()]
    robustness = [{"year": year, "variant": variant, "n_centres": int(k),
                   "verdict": found["verdict"], "country": country, "sphere": sphere}
                  for k, found in record["robustness"].items()
                  for country, sphere in found["sphere_of"].items()]
    return {"spheres": spheres, "tables": tables, "focal": focal, "robustness": robustness}


def _table(rows: Sequence[Mapping], columns: Mapping[str, str], settings: Mapping,
           source: str, path: str | Path) -> None:
    frame = pd.DataFrame.from_records(rows, columns=list(columns)).astype(columns)
    frame.attrs.update({SOURCE_KEY: source, CONFIG_KEY: settings})
    frame.to_parquet(path, index=False)


@job_entry
def write_study(year_paths: Sequence[str | Path], counts_paths: Sequence[str | Path],
                totals_paths: Sequence[str | Path], provenance_path: str | Path,
                verdicts_path: str | Path, spheres_path: str | Path, tables_path: str | Path,
                focal_path: str | Path, robustness_path: str | Path,
                records_verdicts: Sequence[str | Path] = (), *, focal: Sequence[str],
                countries: str | Sequence[str], graphs: Mapping, seed: int,
                hypotheses: Mapping) -> dict:
    """Combine the years' records into ``verdicts.json`` and the study's tables.

    Parameters
    ----------
    year_paths, counts_paths, totals_paths : sequence of path
        Each year's record, counts and totals, in the same year order (the counts give the
        focal pair's affinity series).
    provenance_path : path
        ``provenance.json`` of the counts, copied into the verdicts.
    verdicts_path, spheres_path, tables_path, focal_path, robustness_path : path
        Where the outputs go.
    records_verdicts : sequence of path
        ``focal_verdicts.json`` of ``bibnet.records`` where the records were fetched; it goes
        into the verdicts as is.
    focal, countries, graphs, seed, hypotheses
        The configuration's slices the records were made with.
    """
    inputs = [*year_paths, *counts_paths, *totals_paths, provenance_path, *records_verdicts]
    settings = made_from(config_slice(focal=list(focal), countries=countries, graphs=graphs,
                                      seed=seed, hypotheses=hypotheses),
                         {str(path): recorded_config(path) for path in inputs})
    years, tables, series = {}, {"spheres": [], "tables": [], "focal": [], "robustness": []}, []
    source = ""
    for year_path, counts_path, totals_path in zip(year_paths, counts_paths, totals_paths):
        record = json.loads(Path(year_path).read_text(encoding="utf-8"))
        year, source = record["year"], record["source"]
        years[str(year)] = {part: {variant: found[part]
                                   for variant, found in record["variants"].items()}
                            for part in ("centres", "regions", "hwang", "robustness")}
        for variant, found in record["variants"].items():
            for name, rows in _rows(year, variant, found).items():
                tables[name] += rows
        graph = summed_graph(year, pd.read_parquet(counts_path), pd.read_parquet(totals_path),
                             countries, graphs)
        series.append((year, _pair_affinity(graph, focal)))
    provenance = json.loads(Path(provenance_path).read_text(encoding="utf-8"))
    verdicts = {
        "source": provenance["source"], "synthetic": provenance["synthetic"],
        "counting": provenance["counting"], "focal": list(focal), CONFIG_KEY: settings,
        "years": years,
        "pair": {"affinity": {str(y): v for y, v in series},
                 "trend": affinity_trend(*zip(*series)) if series else None},
        "records": (json.loads(Path(records_verdicts[0]).read_text(encoding="utf-8"))
                    if records_verdicts else None),
    }
    write_json(verdicts, verdicts_path)
    for rows, columns, path in ((tables["spheres"], SPHERE_COLUMNS, spheres_path),
                                (tables["tables"], SPHERE_TABLE_COLUMNS, tables_path),
                                (tables["focal"], FOCAL_COLUMNS, focal_path),
                                (tables["robustness"], ROBUSTNESS_COLUMNS, robustness_path)):
        _table(rows, columns, settings, source, path)
    log.info("%d years: centres %s; regions %s", len(years),
             pd.Series([y["centres"]["all"]["verdict"] for y in years.values()]).value_counts()
             .to_dict(),
             pd.Series([y["regions"]["all"]["verdict"] for y in years.values()]).value_counts()
             .to_dict())
    return verdicts


#: The stream of the layers' resamples within a year's seed (`bibnet.seeds.year_seed`).
LAYERS_STREAM = 21


def _on_union(graphs: Mapping[str, YearGraph]) -> tuple[list[str], dict[str, np.ndarray]]:
    """Each layer's counts on the union of the layers' countries (zeros where one has none)."""
    codes = sorted({code for graph in graphs.values() for code in graph.codes})
    index = {code: i for i, code in enumerate(codes)}
    matrices = {}
    for name, graph in graphs.items():
        at = [index[code] for code in graph.codes]
        matrix = np.zeros((len(codes), len(codes)))
        matrix[np.ix_(at, at)] = np.asarray(graph.counts, dtype=float)
        matrices[name] = matrix
    return codes, matrices


@job_entry
def write_layers(study_paths: Sequence[str | Path], classes_paths: Sequence[str | Path],
                 counts_paths: Sequence[str | Path], totals_paths: Sequence[str | Path],
                 places_path: str | Path, verdicts_path: str | Path, *, tags: Sequence[str],
                 years: Sequence[int], focal: Sequence[str],
                 countries: str | Sequence[str], graphs: Mapping, seed: int,
                 hypotheses: Mapping, applied_fields: Sequence[str]) -> dict:
    """Read the layers side by side and write ``layer_places.parquet`` and
    ``layer_verdicts.json`` (`bibnet.hypotheses.layers`).

    Parameters
    ----------
    study_paths, classes_paths, counts_paths, totals_paths : sequence of path
        Each layer's year records (`write_year`), classes of volume, counts and totals, layer
        by layer in the order of ``tags``, each layer's years in the order of ``years``.
    places_path, verdicts_path : path
        Where the outputs go.
    tags : sequence of str
        The layers' tags, all-science (``all``) first.
    years : sequence of int
    focal, countries, graphs, seed, hypotheses
        The study's slice of the configuration, as for `write_year`.
    applied_fields : sequence of str
        ``records.applied_fields``: the layers read as applied.
    """
    inputs = [*study_paths, *classes_paths, *counts_paths, *totals_paths]
    settings = made_from(config_slice(focal=list(focal), countries=countries, graphs=graphs,
                                      seed=seed, hypotheses=hypotheses,
                                      applied_fields=list(applied_fields)),
                         {str(path): recorded_config(path) for path in inputs})
    names = [Layer.from_tag(tag).name for tag in tags]
    at = {(name, year): i * len(years) + j
          for i, name in enumerate(names) for j, year in enumerate(years)}
    applied, basic = set(applied_fields), set(BASIC_FIELDS)
    places, by_year, source = [], {}, ""
    for year in years:
        verdicts, layer_graphs = {}, {}
        for name in names:
            i = at[name, year]
            record = json.loads(Path(study_paths[i]).read_text(encoding="utf-8"))
            source = record["source"]
            found = record["variants"]["all"]
            verdicts[name] = {"centres": found["centres"]["verdict"],
                              "regions": found["regions"]["verdict"],
                              "hwang": found["hwang"]["verdict"],
                              "centre_countries": found["centres"]["centres"]}
            places += layer_places(year, name, pd.read_parquet(classes_paths[i]), found)
            layer_graphs[name] = summed_graph(year, pd.read_parquet(counts_paths[i]),
                                              pd.read_parquet(totals_paths[i]),
                                              countries, graphs)
        codes, matrices = _on_union(layer_graphs)
        rng = np.random.default_rng(year_seed(seed, year, LAYERS_STREAM))
        reading = applied_against_basic(matrices, codes, focal[0],
                                        n_centres=hypotheses["n_centres"], applied=applied,
                                        basic=basic, replicates=hypotheses["bootstrap"],
                                        rng=rng)
        by_year[str(year)] = {"verdicts": verdicts, "differs": differing_layers(verdicts),
                              "applied_against_basic": reading}
        log.info("%d: %s %s (D %s); layers differing from all-science: centres %s, "
                 "regions %s", year, focal[0], reading["reading"],
                 "-" if reading["statistic"] is None else f"{reading['statistic']:.2f}",
                 by_year[str(year)]["differs"]["centres"] or "none",
                 by_year[str(year)]["differs"]["regions"] or "none")
    readings = [found["applied_against_basic"]["reading"] for found in by_year.values()]
    record = {
        "source": source, "synthetic": source == SYNTHETIC, "focal": list(focal),
        CONFIG_KEY: settings,
        "layers": [{"layer": name, "tag": tag,
                    "kind": "all-science" if name == ALL else "applied" if name in applied
                    else "basic" if name in basic else "other"}
                   for name, tag in zip(names, tags)],
        "applied_fields": sorted(applied), "basic_fields": list(BASIC_FIELDS),
        "years": by_year,
        "summary": {"readings": {reading: readings.count(reading)
                                 for reading in LAYER_READINGS},
                    "differs": {name: {question: sum(name in found["differs"][question]
                                                     for found in by_year.values())
                                       for question in ("centres", "regions")}
                                for name in names if name != ALL}},
    }
    write_json(record, verdicts_path)
    _table(places, LAYER_PLACE_COLUMNS, settings, source, places_path)
    return record
