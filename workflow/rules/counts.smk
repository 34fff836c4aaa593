# counts: every source ends in the same tidy tables, per year and combined (every layer's, with
# the layer column; the layers' per-year tables are made in layers.smk).


rule counts_year:
    input:
        lambda wildcards: year_source(wildcards.year),
    output:
        counts=out.COUNTS_YEAR,
        totals=out.TOTALS_YEAR,
        asymmetries=out.ASYMMETRIES_YEAR,
    log:
        "logs/counts/{year}.log",
    params:
        **SLICES["counts"],
    run:
        from bibnet.counts import build_year

        build_year(int(wildcards.year), input, *output, **params, log=log[0])


rule counts_combine:
    input:
        lambda wildcards: layer_years(out.TABLE_YEAR.replace("{table}", wildcards.table)),
    output:
        out.TABLE,
    log:
        "logs/counts/combine_{table}.log",
    wildcard_constraints:
        table="|".join(out.COUNT_TABLES),
    run:
        from bibnet.counts import combine_layers

        combine_layers(input, output[0], log=log[0])


# Reads no configuration: what it flags, and the configuration it records, are the counts'.
rule counts_data_quality:
    input:
        out.COUNTS,
    output:
        out.DATA_QUALITY,
    log:
        "logs/counts/data_quality.log",
    run:
        from bibnet.quality import write_data_quality

        write_data_quality(input[0], output[0], log=log[0])


rule provenance:
    input:
        [path for year in YEARS for path in year_source(year)],
        [path for year in YEARS for layer in LAYER_TAGS for path in layer_source(year, layer)],
    output:
        out.PROVENANCE,
    log:
        "logs/counts/provenance.log",
    params:
        **SLICES["provenance"],
    run:
        from bibnet.counts import write_provenance

        write_provenance(input, output[0], **params, log=log[0])


TARGETS.extend(expand(out.TABLE, table=out.COUNT_TABLES))
TARGETS.append(out.PROVENANCE)
TARGETS.append(out.DATA_QUALITY)
