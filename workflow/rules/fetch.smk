# fetch: OpenAlex rows per (country, year) into the raw cache; a year's manifest is written
# only once every row of that year is complete, so a failed or stopped run resumes.
# Before the first fetch job, the run's plan (calls, cost, budget, where it stops) is printed;
# `snakemake fetch_plan` prints the plan of every configured year and fetches nothing.


onstart:
    fetch_years = sorted(
        int(job.wildcards.year)
        for job in workflow.dag.needrun_jobs()
        if job.rule.name == "fetch_openalex"
    )
    if fetch_years:
        from bibnet.fetch import print_plan

        print_plan(fetch_years, **SLICES["fetch"], transport=TRANSPORT)


rule fetch_plan:
    log:
        "logs/fetch/plan.log",
    params:
        **SLICES["fetch"],
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

        fetch_configured_year(int(wildcards.year), **params, transport=TRANSPORT, log=log[0])
