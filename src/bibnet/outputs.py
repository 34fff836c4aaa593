"""The output contract: where each stage writes, what its tables hold, what every output
records of the configuration it was made from, and the words of the study's outputs.

The stages write with these names and the report reads with them, so the report needs no
stage's code (no estimator, no compiled kernel) to read what the stages wrote. This module is
the ground floor: it imports nothing else from ``bibnet``.

Files (patterns with ``{year}``; paths relative to the workflow's directory)
    ``RAW`` holds the OpenAlex cache (``bibnet.fetch``); every processed output is under
    ``data/processed`` and every page under ``reports``.

What an output was made from
    Every processed output records the configuration slice it was made from: its own stage's
    slice (the params of its rule, `bibnet.slices`) joined with what its inputs record. A
    Parquet table keeps it in its metadata (pandas ``attrs[CONFIG_KEY]``), a JSON output under
    its ``CONFIG_KEY`` key, always flat: one entry per configuration key, a section's keys as
    ``section.key`` (``graphs.min_edge``), values as in the configuration. `made_from` joins
    such records and refuses records that disagree, naming the files and the keys, so no stage
    and no page ever combines outputs of two configurations (e.g. outputs copied from another
    run).

Examples
--------
>>> config_slice(countries=["GB", "KR", "US"], graphs={"min_edge": 1, "min_works": 1})
{'countries': ['GB', 'KR', 'US'], 'graphs.min_edge': 1, 'graphs.min_works': 1}
>>> made_from({"seed": 1}, {"a.parquet": {"seed": 1, "countries": "all"}})
{'countries': 'all', 'seed': 1}
>>> try:
...     made_from({"seed": 1}, {"a.parquet": {"seed": 2}})
... except MadeFromMismatch as error:
...     print(str(error).split(". Fix")[0])
outputs made from different configurations: seed is 1 in the configuration, 2 in a.parquet
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

# --- files ---------------------------------------------------------------------------------

#: The raw OpenAlex cache (rows, country lists, manifests, focal records).
RAW = "data/raw/openalex"
#: Per-year tables of the counts stage, and the tables combined over the years.
COUNTS_YEAR = "data/processed/counts/{year}.parquet"
TOTALS_YEAR = "data/processed/country_totals/{year}.parquet"
ASYMMETRIES_YEAR = "data/processed/asymmetries/{year}.parquet"
COUNT_TABLES = ("counts", "country_totals", "asymmetries")
TABLE_YEAR = "data/processed/{table}/{year}.parquet"
TABLE = "data/processed/{table}.parquet"
COUNTS = "data/processed/counts.parquet"
TOTALS = "data/processed/country_totals.parquet"
PROVENANCE = "data/processed/provenance.json"
#: Pair-years out of line with their neighbouring years (``bibnet.quality``).
DATA_QUALITY = "data/processed/data_quality.parquet"
#: A research-field layer's files (``{layer}`` its tag, `bibnet.taxonomy.Layer.tag`): its raw
#: rows under the year's folder of the cache; every per-year processed file (counts tables,
#: exports, statistics, fits, year studies) where all-science's is, in the tree
#: ``data/processed/layers/{layer}/`` (`in_layer`); the combined tables hold every layer (their
#: ``layer`` column), and one multi-relational Pajek network a year every graph.
LAYER_RAW_YEAR = RAW + "/{year}/{layer}"
MULTILAYER_PAJEK = "data/processed/graphs/{year}.layers.net"
#: The graph stage: statistics per year and combined, exports per year and format.
GRAPH_STATS_YEAR = "data/processed/graph_stats/{year}.parquet"
GRAPH_STATS = "data/processed/graph_stats.parquet"
GRAPH_EXPORT = "data/processed/graphs/{year}.{suffix}"
#: The blockmodel stage: a year's record and tier table, and the tiers of every year.
#: The descriptive block models (``bibnet.blockmodels.describe``): a year's record and its
#: classes of volume and blocs, and those of every year.
BLOCKMODEL_YEAR = "data/processed/blockmodels/{year}.json"
CLASSES_YEAR = "data/processed/blockmodels/{year}.classes.parquet"
CLASSES = "data/processed/classes.parquet"
#: The study (``bibnet.hypotheses``): a year's record, and the years combined.
HYPOTHESES_YEAR = "data/processed/hypotheses/{year}.json"
VERDICTS = "data/processed/verdicts.json"
SPHERES = "data/processed/spheres.parquet"
SPHERE_TABLES = "data/processed/sphere_tables.parquet"
FOCAL = "data/processed/focal.parquet"
ROBUSTNESS = "data/processed/robustness.parquet"
#: The focal pair's work records (``bibnet.records``).
FOCAL_RECORDS = "data/processed/focal_records.parquet"
FOCAL_FIELDS = "data/processed/focal_fields.parquet"
FOCAL_INSTITUTIONS = "data/processed/focal_institutions.parquet"
FOCAL_VERDICTS = "data/processed/focal_verdicts.json"
#: The layers read side by side (``bibnet.hypotheses.layers``): every country's place in every
#: layer and year, and each layer's verdicts with the focal country's applied-against-basic
#: reading. A layer's own per-year records are all-science's paths `in_layer`.
LAYER_PLACES = "data/processed/layer_places.parquet"
LAYER_VERDICTS = "data/processed/layer_verdicts.json"
#: The pages and their assets (``bibnet.report``).
REPORT_INDEX = "reports/index.html"
REPORT_LAYERS = "reports/layers.html"
REPORT_YEAR = "reports/years/{year}.html"
REPORT_ASSETS = "reports/assets"
#: Key tables and figures for Snakemake's own report (``snakemake --report``).
REPORT_SPHERES_TABLE = "reports/tables/spheres_{year}.csv"
REPORT_CLASSES_TABLE = "reports/tables/classes_{year}.csv"
#: Each year's network with every country's size class, bloc, centre and sphere as node
#: attributes (``bibnet.report.networks``), as GraphML and GEXF.
REPORT_NETWORK = "reports/networks/{year}.{suffix}"
NETWORK_FORMATS = ("graphml", "gexf")
REPORT_STATISTICS_TABLE = "reports/tables/statistics_{year}.csv"
#: Pages, tables, figures and graph exports of an earlier run that this run does not make are
#: moved into `STALE_OUTPUTS` under their own paths (``bibnet.report.stale``), and the record of
#: what moved is `SET_ASIDE`. Only files of the patterns of `OWNED` are looked at: every table and
#: figure of the report's folders, so that those of an earlier design (the retired tiers,
#: effects and structure tables and block images) are set aside too.
STALE_OUTPUTS = "stale_outputs"
SET_ASIDE = "data/processed/set_aside.json"
OWNED = (REPORT_YEAR.format(year="*"), REPORT_LAYERS, "reports/tables/*.csv",
         "reports/figures/*.png",
         REPORT_NETWORK.format(year="*", suffix="*"),
         GRAPH_EXPORT.format(year="*", suffix="*"))



def in_layer(path: str) -> str:
    """A processed file's path in a layer's tree (``{layer}`` left for the layer's tag).

    >>> in_layer(HYPOTHESES_YEAR)
    'data/processed/layers/{layer}/hypotheses/{year}.json'
    """
    return path.replace("data/processed/", "data/processed/layers/{layer}/", 1)


# --- tables --------------------------------------------------------------------------------

#: Columns and dtypes of the counts stage's tables (``bibnet.counts``); ``works`` is float64
#: under fractional counting. The tables a stage writes also hold a `LAYER_COLUMN` after
#: ``year``: the layer's name (`bibnet.taxonomy`; ``all`` for all-science).
LAYER_COLUMN = "layer"
COUNT_COLUMNS = {"year": "int64", "country_a": "string", "country_b": "string", "works": "int64"}
TOTAL_COLUMNS = {"year": "int64", "country": "string", "intl_works": "int64"}
ASYMMETRY_COLUMNS = {"year": "int64", "country_a": "string", "country_b": "string",
                     "works_row_a": "int64", "works_row_b": "int64", "kept": "int64",
                     "reason": "string"}
#: The graph statistics' long table: whole-graph rows have ``country`` "".
GRAPH_STATS_COLUMNS = ("year", "statistic", "country", "value")
#: Each country's strength (its pair-links), class of collaboration volume (`SIZE_CLASS_NAMES`)
#: and degree-corrected bloc (0 holds the strongest country), per year (``bibnet.blockmodels``).
CLASS_COLUMNS = {"year": "int64", "country": "string", "strength": "float64",
                 "size_class": "string", "bloc": "int64"}
#: Each country's place in each layer and year (``layer`` the OpenAlex name, ``all`` for
#: all-science; ``sphere`` "" where it is in none; ``bibnet.hypotheses.layers``).
LAYER_PLACE_COLUMNS = {"year": "int64", "layer": "string", "country": "string",
                       "strength": "float64", "rank": "int64", "size_class": "string",
                       "centre": "bool", "sphere": "string"}
#: Each non-centre country's sphere per year and variant (``sphere`` the centre it prefers
#: most, for countries with enough links to the centres; ``member`` passes the membership test).
SPHERE_COLUMNS = {"year": "int64", "variant": "string", "country": "string", "links": "float64",
                  "eligible": "bool", "sphere": "string", "member": "bool",
                  "p_magnitude": "float64", "p_peers": "float64", "p_member": "float64",
                  "preference": "float64"}
#: Each centre's sphere per year and variant: its tests and its reading (`SPHERE_KINDS`), and
#: the centre's own tie with all non-centres beyond size (``periphery``, a(c,P)).
SPHERE_TABLE_COLUMNS = {"year": "int64", "variant": "string", "centre": "string",
                        "size": "int64", "members": "int64", "tie": "float64",
                        "within": "float64", "hub_ratio": "float64", "hub_low": "float64",
                        "hub_high": "float64", "hub_beyond_selection": "float64",
                        "p_hub": "float64", "p_sphere": "float64", "p_coherence": "float64",
                        "kind": "string", "tie_sums": "float64", "within_sums": "float64",
                        "periphery": "float64", "periphery_low": "float64",
                        "periphery_high": "float64", "p_periphery": "float64"}
#: The focal country's affinity with each centre and its rank among its size peers (5, 10 and
#: 20 a side: ``rank_p`` of ``of_p``), per year and variant.
FOCAL_COLUMNS = {"year": "int64", "variant": "string", "centre": "string",
                 "affinity": "float64", "leaning": "string",
                 **{f"{name}_{p}": "int64" for name in ("rank", "of") for p in (5, 10, 20)}}
#: The spheres' members with every number of centres (``n_centres``), with that verdict.
ROBUSTNESS_COLUMNS = {"year": "int64", "variant": "string", "n_centres": "int64",
                      "verdict": "string", "country": "string", "sphere": "string"}
#: The focal pair's work records' tables (``bibnet.records``); ``UNKNOWN_FIELD`` is the field
#: (and domain) id of works without a primary topic, as OpenAlex's group_by names it.
UNKNOWN_FIELD = "UNKNOWN"
FOCAL_RECORD_COLUMNS = ("year", "country", "measure", "value")
FOCAL_FIELD_COLUMNS = ("year", "level", "id", "name", "country", "pair_works", "pair_share",
                       "intl_works", "intl_share", "activity_index")
FOCAL_INSTITUTION_COLUMNS = ("year", "country", "rank", "institution_id", "institution", "works")
#: The data-quality table (``bibnet.quality``): one row per flagged pair-year.
QUALITY_COLUMNS = {"year": "int64", "country_a": "string", "country_b": "string",
                   "works": "float64", "works_before": "float64", "works_after": "float64",
                   "expected": "float64", "ratio": "float64", "z": "float64",
                   "spread": "float64", "direction": "string"}

# --- metadata ------------------------------------------------------------------------------

#: Parquet metadata key (pandas ``attrs``) naming the source; ``synthetic`` marks planted worlds.
SOURCE_KEY = "bibnet.source"
SYNTHETIC = "synthetic"
#: Provenance key (``source: synthetic`` only) of the truth planted in the synthetic world
#: (``bibnet.simulate.source.planted_record``), for the report to set beside the verdicts::
#:
#:     {"kind": "hubs",                            # the sphere-world kind drawn
#:      "centres": "several centres",              # the planted answers, in the study's words
#:      "regions": "no regional structure beyond size",   # (CENTRES_VERDICTS, REGIONS_VERDICTS)
#:      "centres_list": ["US", "GB"],              # the planted centres, largest first
#:      "sphere_of": {"AR": "US", "US": null, ...},        # every country's centre, or null
#:      "focal": {"KR": "sphere of US", "GB": "centre"},   # or "no sphere"
#:      "size_rank": {"KR": 18, "GB": 2},          # the focal countries' strength ranks
#:      "labels": "..."}                           # says the codes are labels, not data
#:
#: The planted countries carry real ISO 3166-1 codes (the largest ones the largest real
#: countries' codes), so that every later step and the report's maps can place them: labels on
#: planted nodes, not those countries' data. The structure is the same every year.
PLANTED_KEY = "planted"
#: Parquet metadata key (and GraphML graph attribute) naming the counting scheme's tag.
COUNTING_KEY = "bibnet.counting"
#: Parquet metadata key naming a per-year table's research-field layer (`LAYER_COLUMN`).
LAYER_KEY = "bibnet.layer"
#: Parquet metadata key and JSON key of the configuration an output was made from.
CONFIG_KEY = "bibnet.config"
#: The data-quality table's metadata: how many pair-years the rule assessed, and its
#: thresholds (``max_z``, ``min_ratio``).
ASSESSED_KEY = "bibnet.assessed_pair_years"
QUALITY_RULE_KEY = "bibnet.quality_rule"
#: The configuration's sections: a slice records their keys as ``section.key``.
SECTIONS = ("years", "records", "synthetic", "graphs", "blockmodels", "hypotheses", "openalex")

# --- words ---------------------------------------------------------------------------------

#: The classes of collaboration volume (``bibnet.blockmodels``), largest first: a size
#: statement, which the gravity null reproduces.
SIZE_CLASS_NAMES = ("core", "semi-periphery", "periphery")
#: The study's two answers a year (``bibnet.hypotheses.verdicts``).
CENTRES_VERDICTS = ("one centre", "several centres", "no centre beyond size", "undecided")
REGIONS_VERDICTS = ("regional communities", "no regional structure beyond size", "undecided")
#: How a centre's sphere is read (``bibnet.hypotheses.centres``).
SPHERE_KINDS = ("hub", "community", "undetermined", "none")
#: The focal country's leaning on a centre among its size peers (``bibnet.hypotheses.hwang``).
LEANINGS = ("leans", "sensitive", "does not lean")
#: Hwang's claim (``bibnet.hypotheses.hwang``).
HWANG_VERDICTS = ("supported", "not supported", "undecided")
#: The division-of-labour rules' verdicts.
RECORD_VERDICTS = ("supported", "not supported", "insufficient data")


# --- the configuration an output was made from ----------------------------------------------

class MadeFromMismatch(ValueError):
    """Outputs (or an output and the configuration) made from different configurations."""


def _plain(value):
    """The value as JSON gives it back (tuples as lists, keys as sorted text), so that a
    recorded value and a configured one compare equal."""
    return json.loads(json.dumps(value, sort_keys=True))


def config_slice(**settings) -> dict:
    """The flat record of a stage's settings: each by its configuration key, the keys of a
    section (`SECTIONS`) as ``section.key``; sorted by key."""
    flat = {}
    for name, value in settings.items():
        if name in SECTIONS and isinstance(value, Mapping):
            flat.update({f"{name}.{key}": inner for key, inner in value.items()})
        else:
            flat[name] = value
    return {key: _plain(flat[key]) for key in sorted(flat)}


def _shown(value) -> str:
    return json.dumps(value, sort_keys=True)


def made_from(configured: Mapping, recorded: Mapping[str, Mapping | None]) -> dict:
    """One configuration from ``configured`` (a `config_slice`, what the job was asked to use)
    and what each input file records (file name -> its record, None if it records nothing).

    Returns their union, sorted by key. Raises `MadeFromMismatch`, naming every key whose
    value differs and the files that hold each value, where they disagree or a file records
    nothing.
    """
    sources = {"the configuration": dict(configured)}
    missing = [str(name) for name, record in recorded.items() if record is None]
    if missing:
        raise MadeFromMismatch(
            f"{', '.join(missing)} record{'s' if len(missing) == 1 else ''} no configuration "
            "(made by an older bibnet, or not by its workflow). Fix: delete "
            f"{'it' if len(missing) == 1 else 'them'} and run `snakemake` again")
    sources.update({str(name): dict(record) for name, record in recorded.items()})
    values: dict[str, dict[str, list[str]]] = {}
    for name, record in sources.items():
        for key, value in record.items():
            values.setdefault(key, {}).setdefault(_shown(value), []).append(name)
    differing = {key: found for key, found in sorted(values.items()) if len(found) > 1}
    if differing:
        parts = [f"{key} is " + ", ".join(f"{value} in {' and '.join(names)}"
                                         for value, names in found.items())
                 for key, found in differing.items()]
        raise MadeFromMismatch(
            "outputs made from different configurations: " + "; ".join(parts) + ". Fix: run "
            "`snakemake` again so that every output is made from the configuration (outputs "
            "copied from another run, or made by an older bibnet, are remade).")
    merged = {}
    for record in sources.values():
        merged.update(record)
    return {key: merged[key] for key in sorted(merged)}


def nested(flat: Mapping) -> dict:
    """A flat record as the configuration file writes it: ``section.key`` under its section.

    >>> nested({"graphs.min_edge": 1, "seed": 7})
    {'graphs': {'min_edge': 1}, 'seed': 7}
    """
    out: dict = {}
    for key, value in flat.items():
        section, dot, inner = key.partition(".")
        if dot and section in SECTIONS:
            out.setdefault(section, {})[inner] = value
        else:
            out[key] = value
    return out


def recorded_config(path: str | Path) -> dict | None:
    """What an output file records of the configuration it was made from (None if nothing):
    a Parquet table's metadata, read without its data, or a JSON output's `CONFIG_KEY`."""
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        metadata = pq.read_schema(path).metadata or {}
        attrs = json.loads(metadata.get(b"PANDAS_ATTRS", b"{}"))
        return attrs.get(CONFIG_KEY)
    return json.loads(path.read_text(encoding="utf-8")).get(CONFIG_KEY)


def check_made_from(configured: Mapping, paths) -> dict:
    """`made_from` of ``configured`` and the records of the files ``paths`` (None entries are
    skipped): what a page shows was made from one configuration, the one it was asked for."""
    return made_from(configured, {str(path): recorded_config(path) for path in paths
                                  if path is not None})


def _finite(value):
    """The value with every non-finite float (NaN, infinity) as None, in nested containers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _finite(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(inner) for inner in value]
    return value


def write_json(record: Mapping, path: str | Path) -> None:
    """Write a JSON output (indented, one trailing newline), making its folder. A value that
    is not a finite number (a ratio of nothing to nothing, an interval of one country) is
    written as null: JSON has no NaN, and a reader sees a missing value, not a number.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "x.json"
    >>> write_json({"a": float("nan"), "b": [1.5, float("inf")]}, path)
    >>> json.loads(path.read_text())
    {'a': None, 'b': [1.5, None]}
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_finite(record), indent=1, allow_nan=False) + "\n",
                    encoding="utf-8")
