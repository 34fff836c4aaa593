# hypotheses: the study's verdicts per year, the focal pair's trajectory and the tier dynamics.


rule study:
    input:
        fits=expand("data/processed/blockmodels/{year}.json", year=YEARS),
        tiers="data/processed/tiers.parquet",
        counts=expand("data/processed/counts/{year}.parquet", year=YEARS),
        totals=expand("data/processed/country_totals/{year}.parquet", year=YEARS),
        provenance="data/processed/provenance.json",
        records=["data/processed/focal_verdicts.json"] if RECORDS_ON else [],
    output:
        verdicts="data/processed/verdicts.json",
        focal="data/processed/focal.parquet",
        dynamics="data/processed/dynamics.parquet",
    log:
        "logs/hypotheses/study.log",
    run:
        from bibnet.hypotheses import write_study

        write_study(
            config,
            input.fits,
            input.tiers,
            input.counts,
            input.totals,
            input.provenance,
            *output,
            records_verdicts=input.records,
            log=log[0],
        )


TARGETS.extend(
    [
        "data/processed/verdicts.json",
        "data/processed/focal.parquet",
        "data/processed/dynamics.parquet",
    ]
)
