# counts: every source ends in the same tidy tables, per year and combined.


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
        lambda wildcards: expand(out.TABLE_YEAR, table=wildcards.table, year=YEARS),
    output:
        out.TABLE,
    log:
        "logs/counts/combine_{table}.log",
    wildcard_constraints:
        table="|".join(out.COUNT_TABLES),
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


rule provenance:
    input:
        [path for year in YEARS for path in year_source(year)],
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
