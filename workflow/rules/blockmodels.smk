# blockmodels: every family fitted per year (and per sensitivity variant), the centres test and
# the tier bootstrap. A year reads only the counts of its own window.


rule blockmodels_year:
    input:
        unpack(blockmodel_window),
    output:
        fits=out.FIT_YEAR,
        tiers=out.TIERS_YEAR,
    log:
        "logs/blockmodels/{year}.log",
    # The fits run side by side on the job's threads; a Slurm job gets 2 CPUs.
    threads: 2
    params:
        **SLICES["blockmodels"],
    run:
        from bibnet.blockmodels.files import write_year

        write_year(
            int(wildcards.year),
            input.counts,
            input.totals,
            output.fits,
            output.tiers,
            **params,
            threads=threads,
            log=log[0],
        )


rule tiers_combine:
    input:
        expand(out.TIERS_YEAR, year=YEARS),
    output:
        out.TIERS,
    log:
        "logs/blockmodels/combine_tiers.log",
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


TARGETS.append(out.TIERS)
