"""What each stage reads of the configuration: its rules' params, and what its outputs record.

Snakemake re-runs a job when its params change (params are among its default rerun triggers),
so a rule whose params are exactly the configuration its function reads re-runs exactly when
an edit changes what it would make, and its function takes those settings, not the whole
configuration. `stage_slices` gives each stage's settings as keyword arguments of its function;
`lineage` gives what a stage's outputs record (`bibnet.outputs`): its own slice joined with
those of every stage upstream of it, which the report checks what it shows against.

Which key each stage reads:

=================  ==========================================================================
stage              reads
=================  ==========================================================================
``fetch``          ``countries``, ``counting`` (with ``max_countries`` when capped),
                   ``openalex.filters``; the other ``openalex`` keys say how to talk to
                   OpenAlex, change no row and are not params (`transport`)
``focal_fetch``    ``focal``, ``openalex.filters``
``counts``         ``source``, ``countries``, ``counting``; with ``source: openalex``
                   ``openalex.filters``; with ``source: synthetic`` ``seed``, ``focal`` (always
                   in the world) and the ``synthetic`` keys of the world drawn (`world`)
``layer_counts``   those of ``counts``; with ``source: synthetic`` also ``synthetic.layers``
                   (what differs in a layer's world); the layer itself is the job's wildcard
``provenance``     those of ``counts`` (``layer_counts`` with layers), ``years`` and
                   ``layers`` (and ``pajek_dir`` with Pajek)
``graph_stats``    ``countries``, ``graphs.min_works``, ``graphs.min_edge``,
                   ``graphs.rich_club_randomisations``, ``seed``
``graph_exports``  ``countries``, ``graphs.min_works``, ``graphs.min_edge``,
                   ``graphs.export_weight`` (all-science's exports, each layer's and the
                   multi-relational Pajek networks)
``blockmodels``    ``countries``, ``graphs.min_works``, ``graphs.min_edge``, ``seed``,
                   ``blockmodels``
``study``          ``focal``, ``countries``, ``graphs.min_works``, ``graphs.min_edge``,
                   ``seed``, ``hypotheses``
``records``        ``focal``, ``records`` (with ``source: openalex`` and ``focal_records``)
``layers``         those of ``study`` and ``records.applied_fields`` (the layers read as
                   applied); each layer's stats, block models and study read those of
                   ``graph_stats``, ``blockmodels`` and ``study``
=================  ==========================================================================

The counting scheme is read as its tag (``whole``, ``fractional``, ``capped10``), so
``max_countries`` matters only under ``capped``. The fetch plan (`fetch_plan`: printed before
the first fetch job, and what a budget stop says the run still needs) reads the fetch's slice,
the ``layers`` and the focal pair whose records are fetched; it makes no output, so it is no
fetch job's param.

Examples
--------
>>> config = {"source": "pajek", "countries": "all", "counting": "whole", "seed": 1,
...           "focal": ["KR", "GB"], "years": {"first": 2000, "last": 2001}, "pajek_dir": "p",
...           "graphs": {"min_works": 1, "min_edge": 1, "export_weight": "count",
...                      "rich_club_randomisations": 10},
...           "openalex": {"concurrency": 8, "filters": {}}}
>>> stage_slices(config)["graph_stats"]["graphs"]
{'min_edge': 1, 'min_works': 1, 'rich_club_randomisations': 10}
>>> sorted(lineage(stage_slices(config), "graph_stats").items())[:4]
[('counting', 'whole'), ('countries', 'all'), ('graphs.min_edge', 1), ('graphs.min_works', 1)]
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bibnet.counting import Counting
from bibnet.outputs import config_slice, made_from

#: The stages whose outputs each stage (or page) reads: its lineage is theirs joined with its
#: own slice.
UPSTREAM = {
    "fetch": (),
    "focal_fetch": (),
    "counts": (),
    "layer_counts": (),
    "provenance": (),
    "graph_stats": ("counts",),
    "graph_exports": ("counts",),
    "blockmodels": ("counts",),
    "records": (),
    "study": ("counts", "provenance", "records"),
    # a year's study reads its counts alone: its outputs do not record the run's years
    "study_year": ("counts",),
    "report_year": ("counts", "graph_stats", "blockmodels", "study"),
    "report_index": ("study", "blockmodels", "provenance", "records"),
    "report_network": ("graph_exports", "blockmodels", "study_year"),
    "layers": ("counts", "blockmodels", "study_year"),
    "report_layers": ("layers", "provenance"),
}

#: The ``synthetic`` keys the sphere world is drawn from (`bibnet.simulate.source`): every kind
#: reads them all (a kind refuses the effects and placements it has no use for).
WORLD_KEYS = ("kind", "n_countries", "volume", "effects", "size_rank", "sphere_of")
#: The ``openalex`` keys that change what is fetched; the others are `transport`.
DATA_KEYS = ("filters",)


def _pick(section: Mapping, keys) -> dict:
    return {key: section[key] for key in sorted(keys) if key in section}


def world(synthetic: Mapping) -> dict:
    """The ``synthetic`` settings the planted world is drawn from: the others (``years``, the
    ``layers``) change nothing drawn in all-science.

    >>> world({"kind": "hubs", "n_countries": 80, "sphere_of": {"KR": "US"},
    ...        "years": {"first": 2016, "last": 2023}})
    {'kind': 'hubs', 'n_countries': 80, 'sphere_of': {'KR': 'US'}}
    """
    return _pick(synthetic, WORLD_KEYS)


def transport(openalex: Mapping) -> dict:
    """How the fetch talks to OpenAlex (concurrency, retries, timeouts, back-off): the
    ``openalex`` keys that change no row, so that editing them re-runs nothing."""
    return {key: value for key, value in sorted(openalex.items()) if key not in DATA_KEYS}


def stage_slices(config: Mapping) -> dict[str, dict]:
    """Each stage's settings (keyword arguments of its function, and its rules' params) from
    the checked configuration."""
    source = config["source"]
    counting = Counting.from_config(config).tag
    countries = config["countries"] if config["countries"] == "all" else sorted(
        config["countries"])
    filters = {"filters": config.get("openalex", {}).get("filters", {})}
    counts = {"source": source, "countries": countries, "counting": counting}
    layer_counts = dict(counts)
    if source == "openalex":
        counts["openalex"] = layer_counts["openalex"] = filters
    elif source == "synthetic":
        synthetic = config.get("synthetic", {})
        counts.update(seed=config["seed"], focal=list(config["focal"]),
                      synthetic=world(synthetic))
        layer_counts.update(counts, synthetic={**world(synthetic),
                                               "layers": synthetic.get("layers", {})})
    layers = config.get("layers", "none")
    provenance = {**(counts if layers == "none" else layer_counts),
                  "years": dict(config.get("years", {})), "layers": layers}
    if source == "pajek":
        provenance["pajek_dir"] = str(config.get("pajek_dir"))
    graphs = config.get("graphs", {})
    selection = _pick(graphs, ("min_works", "min_edge"))
    slices = {
        "fetch": {"countries": countries, "counting": counting, "openalex": filters},
        "focal_fetch": {"focal": list(config["focal"]), "openalex": filters},
        "counts": counts,
        "layer_counts": layer_counts,
        "provenance": provenance,
        "graph_stats": {"countries": countries,
                        "graphs": _pick(graphs, (*selection, "rich_club_randomisations")),
                        "seed": config["seed"]},
        "graph_exports": {"countries": countries,
                          "graphs": _pick(graphs, (*selection, "export_weight"))},
        "blockmodels": {"countries": countries, "graphs": selection, "seed": config["seed"],
                        "blockmodels": config.get("blockmodels", {})},
        "records": {"focal": list(config["focal"]), "records": config.get("records", {})},
        "study": {"focal": list(config["focal"]), "countries": countries, "graphs": selection,
                  "seed": config["seed"], "hypotheses": config.get("hypotheses", {})},
    }
    slices["study_year"] = slices["study"]
    slices["layers"] = {**slices["study"], "applied_fields": list(
        config.get("records", {}).get("applied_fields", []))}
    # as JSON gives them back, keys sorted: the same settings always look the same to
    # Snakemake's params trigger, whatever order the configuration file lists them in
    return json.loads(json.dumps(slices, sort_keys=True))


def records_on(config: Mapping) -> bool:
    """Whether the focal pair's work records are made: they exist only in OpenAlex."""
    return config["source"] == "openalex" and bool(config.get("focal_records", True))


def fetch_plan(config: Mapping) -> dict:
    """What the fetch plan reads (`bibnet.fetch.print_plan` and `bibnet.fetch.plan.run_left`,
    with the run's years): the fetch's slice, the ``layers`` and the focal ``pair`` whose work
    records are fetched (none where they are off). How to talk to OpenAlex is `transport`.

    >>> fetch_plan({"source": "pajek", "countries": "all", "counting": "whole", "seed": 1,
    ...             "focal": ["KR", "GB"], "layers": "domains", "openalex": {"filters": {}}})
    {'counting': 'whole', 'countries': 'all', 'layers': 'domains', 'openalex': {'filters': {}}, \
'pair': []}
    """
    plan = {**stage_slices(config)["fetch"], "layers": config.get("layers", "none"),
            "pair": list(config["focal"]) if records_on(config) else []}
    return json.loads(json.dumps(plan, sort_keys=True))


def lineage(slices: Mapping[str, Mapping], stage: str, records: bool = False) -> dict:
    """The flat configuration a stage's outputs record: its own slice (if it has one) joined
    with every upstream stage's; ``records`` says whether the work records are made."""
    own = config_slice(**slices.get(stage, {}))
    upstream = {name: lineage(slices, name, records) for name in UPSTREAM[stage]
                if records or name != "records"}
    return made_from(own, upstream)
