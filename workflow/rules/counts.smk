# counts: every source ends in the same tidy tables, per year and combined (every layer's, with
# the layer column; the layers' per-year tables are made in layers.smk).
COUNT_TABLES = ["counts", "country_totals", "asymmetries"]


rule counts_year:
    input:
        lambda wildcards: year_source(wildcards.year),
    output:
        counts="data/processed/counts/{year}.parquet",
        totals="data/processed/country_totals/{year}.parquet",
        asymmetries="data/processed/asymmetries/{year}.parquet",
    log:
        "logs/counts/{year}.log",
    run:
        from bibnet.counts import build_year

        build_year(config, int(wildcards.year), input, *output, log=log[0])


rule counts_combine:
    input:
        lambda wildcards: layer_tables(wildcards.table, YEARS),
    output:
        "data/processed/{table}.parquet",
    log:
        "logs/counts/combine_{table}.log",
    wildcard_constraints:
        table="|".join(COUNT_TABLES),
    run:
        from bibnet.counts import combine_layers

        combine_layers(input, output[0], log=log[0])


rule counts_data_quality:
    input:
        "data/processed/counts.parquet",
    output:
        "data/processed/data_quality.parquet",
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
        "data/processed/provenance.json",
    log:
        "logs/counts/provenance.log",
    run:
        from bibnet.counts import write_provenance

        write_provenance(config, input, output[0], log=log[0])


TARGETS.extend(expand("data/processed/{table}.parquet", table=COUNT_TABLES))
TARGETS.append("data/processed/provenance.json")
TARGETS.append("data/processed/data_quality.parquet")
