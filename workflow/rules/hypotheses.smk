# hypotheses: the study (bibnet.hypotheses; docs/method.md). Each year's centres, spheres,
# regions and Hwang's case from the counts of the year and of its window; then the years
# combined into verdicts.json and the study's tables.


rule hypotheses_year:
    input:
        unpack(study_window),
    output:
        out.HYPOTHESES_YEAR,
    log:
        "logs/hypotheses/{year}.log",
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


rule study:
    input:
        years=expand(out.HYPOTHESES_YEAR, year=YEARS),
        counts=expand(out.COUNTS_YEAR, year=YEARS),
        totals=expand(out.TOTALS_YEAR, year=YEARS),
        provenance=out.PROVENANCE,
        records=[out.FOCAL_VERDICTS] if RECORDS_ON else [],
    output:
        verdicts=out.VERDICTS,
        spheres=out.SPHERES,
        tables=out.SPHERE_TABLES,
        focal=out.FOCAL,
        robustness=out.ROBUSTNESS,
    log:
        "logs/hypotheses/study.log",
    params:
        **SLICES["study"],
    run:
        from bibnet.hypotheses.files import write_study

        write_study(
            input.years,
            input.counts,
            input.totals,
            input.provenance,
            *output,
            records_verdicts=input.records,
            **params,
            log=log[0],
        )


TARGETS.extend([out.VERDICTS, out.SPHERES, out.SPHERE_TABLES, out.FOCAL, out.ROBUSTNESS])
