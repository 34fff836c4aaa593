# layers: each research-field layer (config layers: a field or a domain) is fetched, counted and
# exported as all-science is, into the same tree under data/processed/layers/{layer}/, so each
# later stage can run per layer with the same functions; the combined count tables hold every
# layer (counts.smk). One multi-relational Pajek network a year holds every layer's graph.
# Rules pass the configuration they read as params, so an edit re-runs what it changes.
from bibnet.graphs.export import WRITERS

LAYER_GRAPH_FORMATS = list(WRITERS)

FETCH_PARAMS = {key: config[key] for key in ("countries", "counting", "max_countries", "openalex")}
COUNTS_PARAMS = {key: config[key] for key in ("source", "countries", "counting", "max_countries")}
if config["source"] == "synthetic":  # the planted worlds also read these
    COUNTS_PARAMS.update({key: config[key] for key in ("seed", "focal", "synthetic")})
GRAPHS_PARAMS = {
    "countries": config["countries"],
    "graphs": {key: config["graphs"][key] for key in ("min_works", "min_edge", "export_weight")},
}


# On a cluster it runs where Snakemake runs, as fetch_openalex does.
rule fetch_openalex_layer:
    input:
        lambda wildcards: previous_fetch(int(wildcards.year), wildcards.layer),
    output:
        f"data/raw/openalex/{{year}}/{{layer}}/{MANIFEST}",
    log:
        "logs/fetch/{year}.{layer}.log",
    localrule: True
    resources:
        openalex_pool=1,
    params:
        config=FETCH_PARAMS,
    run:
        from bibnet.fetch import fetch_configured_year

        fetch_configured_year(
            params.config, int(wildcards.year), layer=wildcards.layer, log=log[0]
        )


rule counts_layer_year:
    input:
        lambda wildcards: layer_source(wildcards.year, wildcards.layer),
    output:
        counts="data/processed/layers/{layer}/counts/{year}.parquet",
        totals="data/processed/layers/{layer}/country_totals/{year}.parquet",
        asymmetries="data/processed/layers/{layer}/asymmetries/{year}.parquet",
    log:
        "logs/counts/{year}.{layer}.log",
    params:
        config=COUNTS_PARAMS,
    run:
        from bibnet.counts import build_year

        build_year(
            params.config,
            int(wildcards.year),
            input,
            *output,
            layer=wildcards.layer,
            log=log[0],
        )


rule graphs_layer_exports:
    input:
        counts="data/processed/layers/{layer}/counts/{year}.parquet",
        totals="data/processed/layers/{layer}/country_totals/{year}.parquet",
    output:
        expand(
            "data/processed/layers/{{layer}}/graphs/{{year}}.{suffix}",
            suffix=LAYER_GRAPH_FORMATS,
        ),
    log:
        "logs/graphs/{year}.{layer}.log",
    params:
        config=GRAPHS_PARAMS,
    run:
        from bibnet.graphs.layers import write_layer_exports

        write_layer_exports(
            params.config,
            input.counts,
            input.totals,
            dict(zip(LAYER_GRAPH_FORMATS, output)),
            log=log[0],
        )


rule graphs_multilayer_pajek:
    input:
        counts=lambda wildcards: layer_tables("counts", [wildcards.year]),
        totals=lambda wildcards: layer_tables("country_totals", [wildcards.year]),
    output:
        "data/processed/graphs/{year}.layers.net",
    log:
        "logs/graphs/{year}.layers.log",
    params:
        config=GRAPHS_PARAMS,
    run:
        from bibnet.graphs.layers import write_multilayer_pajek

        write_multilayer_pajek(
            params.config, input.counts, input.totals, output[0], log=log[0]
        )


if LAYER_TAGS:
    TARGETS.extend(
        expand(
            "data/processed/layers/{layer}/graphs/{year}.{suffix}",
            layer=LAYER_TAGS,
            year=YEARS,
            suffix=LAYER_GRAPH_FORMATS,
        )
    )
    TARGETS.extend(expand("data/processed/graphs/{year}.layers.net", year=YEARS))
