# blockmodels: the descriptive layer, per year: classes of collaboration volume and the
# degree-corrected blocs, named by their affinities beyond size (bibnet.blockmodels.files).


rule blockmodels_year:
    input:
        counts=out.COUNTS_YEAR,
        totals=out.TOTALS_YEAR,
    output:
        record=out.BLOCKMODEL_YEAR,
        classes=out.CLASSES_YEAR,
    log:
        "logs/blockmodels/{year}.log",
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


rule classes_combine:
    input:
        expand(out.CLASSES_YEAR, year=YEARS),
    output:
        out.CLASSES,
    log:
        "logs/blockmodels/combine_classes.log",
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


TARGETS.append(out.CLASSES)
