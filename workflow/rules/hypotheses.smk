# hypotheses: the study's verdicts per year, the focal pair's trajectory and the tier dynamics.


rule study:
    input:
        fits=expand(out.FIT_YEAR, year=YEARS),
        tiers=out.TIERS,
        counts=expand(out.COUNTS_YEAR, year=YEARS),
        totals=expand(out.TOTALS_YEAR, year=YEARS),
        provenance=out.PROVENANCE,
        records=[out.FOCAL_VERDICTS] if RECORDS_ON else [],
    output:
        verdicts=out.VERDICTS,
        focal=out.FOCAL,
        dynamics=out.DYNAMICS,
    log:
        "logs/hypotheses/study.log",
    params:
        **SLICES["study"],
    run:
        from bibnet.hypotheses import write_study

        write_study(
            input.fits,
            input.tiers,
            input.counts,
            input.totals,
            input.provenance,
            *output,
            records_verdicts=input.records,
            **params,
            log=log[0],
        )


TARGETS.extend([out.VERDICTS, out.FOCAL, out.DYNAMICS])
