# blockmodels: every family fitted per year (and per sensitivity variant), the centres test and
# the tier bootstrap. A year reads only the counts of its own window.


rule blockmodels_year:
    input:
        unpack(blockmodel_window),
    output:
        fits="data/processed/blockmodels/{year}.json",
        tiers="data/processed/blockmodels/{year}.tiers.parquet",
    log:
        "logs/blockmodels/{year}.log",
    # The fits run on two threads (bibnet.blockmodels.readings.WORKERS); a Slurm job gets 2 CPUs.
    threads: 2
    run:
        from bibnet.blockmodels.files import write_year

        write_year(
            config,
            int(wildcards.year),
            input.counts,
            input.totals,
            output.fits,
            output.tiers,
            log=log[0],
        )


rule tiers_combine:
    input:
        expand("data/processed/blockmodels/{year}.tiers.parquet", year=YEARS),
    output:
        "data/processed/tiers.parquet",
    log:
        "logs/blockmodels/combine_tiers.log",
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


TARGETS.append("data/processed/tiers.parquet")
