# records: the focal pair's work records and their measures (who leads, in which fields, with
# what impact) and the division-of-labour verdicts. The records exist only in OpenAlex, so their
# outputs are default targets only with source: openalex and focal_records: true.
FOCAL_PAIR = "-".join(SLICES["focal_fetch"]["focal"])
FOCAL_OUTPUTS = {
    "records": out.FOCAL_RECORDS,
    "fields": out.FOCAL_FIELDS,
    "institutions": out.FOCAL_INSTITUTIONS,
    "verdicts": out.FOCAL_VERDICTS,
}


# The manifest is the only output, so a failed or stopped fetch keeps every finished file.
# Like fetch_openalex, it calls OpenAlex, so on a cluster it runs where Snakemake runs.
rule fetch_focal_records:
    output:
        f"{out.RAW}/records/{FOCAL_PAIR}/{{year}}.manifest.json",
    log:
        "logs/records/fetch_{year}.log",
    localrule: True
    resources:
        openalex_pool=1,
    params:
        **SLICES["focal_fetch"],
    run:
        from bibnet.fetch import fetch_configured_records

        fetch_configured_records(
            int(wildcards.year), **params, transport=TRANSPORT, run=RUN_PLAN, log=log[0]
        )


rule focal_records:
    input:
        expand(f"{out.RAW}/records/{{pair}}/{{year}}.manifest.json", pair=FOCAL_PAIR, year=YEARS),
    output:
        **FOCAL_OUTPUTS,
    log:
        "logs/records/measures.log",
    params:
        **SLICES["records"],
    run:
        from bibnet.records import build_focal_records

        build_focal_records(
            input,
            output.records,
            output.fields,
            output.institutions,
            output.verdicts,
            **params,
            log=log[0],
        )


if RECORDS_ON:
    TARGETS.extend(FOCAL_OUTPUTS.values())
