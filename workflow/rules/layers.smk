# layers: each research-field layer (config layers: a field or a domain) is fetched, counted,
# exported and read (statistics, block models, study) as all-science is, with the same
# functions, into the same tree under data/processed/layers/{layer}/; the combined count tables
# hold every layer (counts.smk). One multi-relational Pajek network a year holds every layer's
# graph; then the layers are read side by side (bibnet.hypotheses.layers) for the layers page.
# Rules get the slices all-science's rules get (bibnet.slices; the layer is the wildcard), so an
# edit re-runs what it changes; a layer's planted world also reads synthetic.layers.
from bibnet.graphs.export import WRITERS

LAYER_GRAPH_FORMATS = list(WRITERS)


# On a cluster it runs where Snakemake runs, as fetch_openalex does. Its priority puts a year's
# layers before the next year's all-science (one fetch at a time): the order the plan counts.
rule fetch_openalex_layer:
    input:
        previous_layer_manifest,
    output:
        f"{out.LAYER_RAW_YEAR}/{MANIFEST}",
    log:
        "logs/fetch/{year}.{layer}.log",
    priority: 1
    localrule: True
    resources:
        openalex_pool=1,
    params:
        **SLICES["fetch"],
    run:
        from bibnet.fetch import fetch_configured_year

        fetch_configured_year(
            int(wildcards.year),
            **params,
            layer=wildcards.layer,
            transport=TRANSPORT,
            run=RUN_PLAN,
            log=log[0],
        )


rule counts_layer_year:
    input:
        lambda wildcards: layer_source(wildcards.year, wildcards.layer),
    output:
        counts=out.in_layer(out.COUNTS_YEAR),
        totals=out.in_layer(out.TOTALS_YEAR),
        asymmetries=out.in_layer(out.ASYMMETRIES_YEAR),
    log:
        "logs/counts/{year}.{layer}.log",
    params:
        **SLICES["layer_counts"],
    run:
        from bibnet.counts import build_year

        build_year(
            int(wildcards.year),
            input,
            *output,
            **params,
            layer=wildcards.layer,
            log=log[0],
        )


rule graphs_layer_exports:
    input:
        counts=out.in_layer(out.COUNTS_YEAR),
        totals=out.in_layer(out.TOTALS_YEAR),
    output:
        expand(
            out.in_layer(out.GRAPH_EXPORT),
            layer="{layer}",
            year="{year}",
            suffix=LAYER_GRAPH_FORMATS,
        ),
    log:
        "logs/graphs/{year}.{layer}.log",
    params:
        **SLICES["graph_exports"],
    run:
        from bibnet.graphs.files import write_year_exports

        write_year_exports(
            input.counts,
            input.totals,
            dict(zip(LAYER_GRAPH_FORMATS, output)),
            **params,
            log=log[0],
        )


rule graphs_multilayer_pajek:
    input:
        counts=lambda wildcards: layer_years(out.COUNTS_YEAR, [wildcards.year]),
        totals=lambda wildcards: layer_years(out.TOTALS_YEAR, [wildcards.year]),
    output:
        out.MULTILAYER_PAJEK,
    log:
        "logs/graphs/{year}.layers.log",
    params:
        **SLICES["graph_exports"],
    run:
        from bibnet.graphs.layers import write_multilayer_pajek

        write_multilayer_pajek(input.counts, input.totals, output[0], **params, log=log[0])


rule graph_stats_layer_year:
    input:
        counts=out.in_layer(out.COUNTS_YEAR),
        totals=out.in_layer(out.TOTALS_YEAR),
    output:
        out.in_layer(out.GRAPH_STATS_YEAR),
    log:
        "logs/graphs/stats_{year}.{layer}.log",
    params:
        **SLICES["graph_stats"],
    run:
        from bibnet.graphs.files import write_statistics

        write_statistics(input.counts, input.totals, output[0], **params, log=log[0])


rule blockmodels_layer_year:
    input:
        counts=out.in_layer(out.COUNTS_YEAR),
        totals=out.in_layer(out.TOTALS_YEAR),
    output:
        record=out.in_layer(out.BLOCKMODEL_YEAR),
        classes=out.in_layer(out.CLASSES_YEAR),
    log:
        "logs/blockmodels/{year}.{layer}.log",
    params:
        **SLICES["blockmodels"],
    run:
        from bibnet.blockmodels.files import write_year

        write_year(
            int(wildcards.year),
            input.counts,
            input.totals,
            output.record,
            output.classes,
            **params,
            log=log[0],
        )


rule hypotheses_layer_year:
    input:
        unpack(study_window),
    output:
        out.in_layer(out.HYPOTHESES_YEAR),
    log:
        "logs/hypotheses/{year}.{layer}.log",
    params:
        **SLICES["study"],
    run:
        from bibnet.hypotheses.files import write_year

        write_year(
            int(wildcards.year),
            input.counts,
            input.totals,
            output[0],
            **params,
            log=log[0],
        )


rule layers_study:
    input:
        studies=layer_years(out.HYPOTHESES_YEAR),
        classes=layer_years(out.CLASSES_YEAR),
        counts=layer_years(out.COUNTS_YEAR),
        totals=layer_years(out.TOTALS_YEAR),
    output:
        places=out.LAYER_PLACES,
        verdicts=out.LAYER_VERDICTS,
    log:
        "logs/hypotheses/layers.log",
    params:
        **SLICES["layers"],
        tags=[ALL, *LAYER_TAGS],
        years=YEARS,
    run:
        from bibnet.hypotheses.files import write_layers

        write_layers(
            input.studies,
            input.classes,
            input.counts,
            input.totals,
            output.places,
            output.verdicts,
            **params,
            log=log[0],
        )


if LAYER_TAGS:
    TARGETS.extend(
        expand(
            out.in_layer(out.GRAPH_EXPORT),
            layer=LAYER_TAGS,
            year=YEARS,
            suffix=LAYER_GRAPH_FORMATS,
        )
    )
    TARGETS.extend(expand(out.MULTILAYER_PAJEK, year=YEARS))
    TARGETS.extend(expand(out.in_layer(out.GRAPH_STATS_YEAR), layer=LAYER_TAGS, year=YEARS))
    TARGETS.extend([out.LAYER_PLACES, out.LAYER_VERDICTS, out.REPORT_LAYERS])
