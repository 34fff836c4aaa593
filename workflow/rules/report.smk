# report: HTML pages an analyst reads offline (reports/index.html, reports/years/{year}.html,
# reports/assets/), made from the processed outputs alone; key tables for `snakemake --report`.
# A page takes the outputs of the stages that exist in this workflow: a section whose input no
# rule makes is left out of the page (inputs are looked up when the jobs are planned, so the
# order of the includes does not matter). The focal pair's work records join the index only where
# they are on (RECORDS_ON, common.smk).
from bibnet.report import build_index, build_year_page, tables, write_assets
from bibnet.report.outputs import set_aside
from bibnet.report.static import block_image_png
from bibnet.report.pages import ASSETS as REPORT_ASSETS
from bibnet.report.plan import (
    STAGE_OUTPUTS,
    index_inputs,
    report_tables,
    run_outputs,
    stage_inputs,
    stage_paths,
)


report: "../report/workflow.rst"


rule report_assets:
    output:
        expand("reports/assets/{name}", name=REPORT_ASSETS),
    log:
        "logs/report/assets.log",
    run:
        write_assets(Path(output[0]).parent, log=log[0])


# Pages, tables and exports an earlier run made that this one does not (after the years
# change) are moved to stale_outputs/, so that reports/ holds this run's alone; the index says
# so. The list of this run's files is the rule's params: a change of years re-runs it.
rule report_set_aside:
    output:
        "data/processed/set_aside.json",
    log:
        "logs/report/set_aside.log",
    params:
        made=lambda wildcards: run_outputs(workflow, YEARS, GRAPH_FORMATS),
    run:
        set_aside(params.made, output[0], log=log[0])


rule report_year:
    input:
        unpack(
            lambda wildcards: stage_inputs(
                workflow, ("stats", "fit", "year_tiers"), year=wildcards.year
            )
        ),
        counts="data/processed/counts/{year}.parquet",
    output:
        "reports/years/{year}.html",
    log:
        "logs/report/year_{year}.log",
    params:
        years=YEARS,
    run:
        build_year_page(
            int(wildcards.year),
            params.years,
            input.counts,
            output[0],
            log=log[0],
            **stage_paths(input),
        )


rule report_index:
    input:
        unpack(lambda wildcards: index_inputs(workflow, records=RECORDS_ON)),
        provenance="data/processed/provenance.json",
        set_aside=rules.report_set_aside.output[0],
    output:
        "reports/index.html",
    log:
        "logs/report/index.log",
    params:
        years=YEARS,
        config=config,
    run:
        build_index(
            params.config,
            params.years,
            input.provenance,
            output[0],
            log=log[0],
            **stage_paths(input),
        )


rule report_tiers_table:
    input:
        STAGE_OUTPUTS["year_tiers"],
    output:
        report(
            "reports/tables/tiers_{year}.csv",
            caption="../report/tiers.rst",
            category="Tiers",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/tiers_{year}.log",
    run:
        tables.tier_csv(input[0], output[0], log=log[0])


rule report_effects_table:
    input:
        STAGE_OUTPUTS["fit"],
    output:
        report(
            "reports/tables/effects_{year}.csv",
            caption="../report/effects.rst",
            category="Structure beyond size",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/effects_{year}.log",
    run:
        tables.effects_csv(input[0], output[0], log=log[0])


rule report_block_image:
    input:
        counts="data/processed/counts/{year}.parquet",
        fit=STAGE_OUTPUTS["fit"],
    output:
        report(
            "reports/figures/block_image_{year}.png",
            caption="../report/block_image.rst",
            category="Block images",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/block_image_{year}.log",
    run:
        block_image_png(input.counts, input.fit, output[0], log=log[0])


rule report_statistics_table:
    input:
        STAGE_OUTPUTS["stats"],
    output:
        report(
            "reports/tables/statistics_{year}.csv",
            caption="../report/statistics.rst",
            category="Descriptive statistics",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/statistics_{year}.log",
    run:
        tables.statistics_csv(input[0], output[0], log=log[0])


rule report_structure_table:
    input:
        STAGE_OUTPUTS["verdicts"],
    output:
        report(
            "reports/tables/structure.csv",
            caption="../report/structure.rst",
            category="Structure beyond size",
            labels={"year": "all"},
        ),
    log:
        "logs/report/structure.log",
    run:
        tables.structure_csv(input[0], output[0], log=log[0])


TARGETS.extend(rules.report_assets.output)
TARGETS.append("reports/index.html")
TARGETS.extend(expand("reports/years/{year}.html", year=YEARS))
TARGETS.append(lambda wildcards: report_tables(workflow, YEARS))
