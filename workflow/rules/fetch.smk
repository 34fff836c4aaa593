# fetch: OpenAlex rows per (country, year) into the raw cache; a year's manifest is written
# only once every row of that year is complete, so a failed or stopped run resumes.
# Before the first fetch job, the run's plan (calls, cost, budget, where it stops) is printed;
# `snakemake fetch_plan` prints the plan of every configured year and fetches nothing.
import sys


onstart:
    fetch_years, records_years = (
        sorted(
            {
                int(job.wildcards.year)
                for job in workflow.dag.needrun_jobs()
                if job.rule.name in rules
            }
        )
        for rules in (("fetch_openalex", "fetch_openalex_layer"), ("fetch_focal_records",))
    )
    if fetch_years or records_years:
        from bibnet.fetch import print_plan

        plan = print_plan(
            fetch_years,
            **FETCH_PLAN,
            transport=TRANSPORT,
            records_years=records_years,
        )
        # No key, a rejected key or no network: stop before the first job, with the message
        # and the offline alternatives, not inside a fetch job's traceback.
        if plan.blocker and plan.most:
            sys.exit(str(plan.blocker))


rule fetch_plan:
    log:
        "logs/fetch/plan.log",
    params:
        **FETCH_PLAN,
        years=YEARS,
    run:
        from bibnet.fetch import print_plan

        print_plan(**params, transport=TRANSPORT, log=log[0])


# On a cluster it runs where Snakemake runs (compute nodes usually have no internet).
rule fetch_openalex:
    input:
        previous_year_manifest,
    output:
        f"{out.RAW}/{{year}}/{MANIFEST}",
    log:
        "logs/fetch/{year}.log",
    localrule: True
    resources:
        openalex_pool=1,
    params:
        **SLICES["fetch"],
    run:
        from bibnet.fetch import fetch_configured_year

        fetch_configured_year(
            int(wildcards.year), **params, transport=TRANSPORT, run=RUN_PLAN, log=log[0]
        )
