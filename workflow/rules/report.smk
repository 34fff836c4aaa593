# report: HTML pages an analyst reads offline (reports/index.html, reports/years/{year}.html,
# reports/assets/), made from the processed outputs alone; key tables for `snakemake --report`.
# Each report rule gets the lineage of its inputs (LINEAGE, common.smk: what every stage
# upstream of it read) and stops where an input records another configuration. The focal pair's
# work records join the index only where they are on (RECORDS_ON, common.smk).
from bibnet.report import build_index, build_year_page, tables, write_assets
from bibnet.report.pages import ASSETS as REPORT_ASSETS
from bibnet.report.stale import run_outputs, set_aside
from bibnet.report.static import block_image_png

# The index's inputs, by the keyword of build_index that takes each.
INDEX_INPUTS = {
    "provenance_path": out.PROVENANCE,
    "set_aside_path": out.SET_ASIDE,
    "tiers_path": out.TIERS,
    "verdicts_path": out.VERDICTS,
    "focal_path": out.FOCAL,
    "dynamics_path": out.DYNAMICS,
    "data_quality_path": out.DATA_QUALITY,
}
if RECORDS_ON:
    INDEX_INPUTS.update(
        records_path=out.FOCAL_RECORDS,
        record_fields_path=out.FOCAL_FIELDS,
        record_institutions_path=out.FOCAL_INSTITUTIONS,
        record_verdicts_path=out.FOCAL_VERDICTS,
    )


report: "../report/workflow.rst"


rule report_assets:
    output:
        expand("{folder}/{name}", folder=out.REPORT_ASSETS, name=REPORT_ASSETS),
    log:
        "logs/report/assets.log",
    run:
        write_assets(Path(output[0]).parent, log=log[0])


# Pages, tables and exports an earlier run made that this one does not (after the years
# change) are moved to stale_outputs/, so that reports/ holds this run's alone; the index says
# so. The list of this run's files is the rule's params: a change of years re-runs it.
rule report_set_aside:
    output:
        out.SET_ASIDE,
    log:
        "logs/report/set_aside.log",
    params:
        made=run_outputs(YEARS, GRAPH_FORMATS, layers=bool(LAYER_TAGS)),
    run:
        set_aside(params.made, output[0], log=log[0])


rule report_year:
    input:
        counts=out.COUNTS_YEAR,
        stats_path=out.GRAPH_STATS_YEAR,
        fit_path=out.FIT_YEAR,
        tiers_path=out.TIERS_YEAR,
    output:
        out.REPORT_YEAR,
    log:
        "logs/report/year_{year}.log",
    params:
        years=YEARS,
        made_from=LINEAGE["report_year"],
    run:
        build_year_page(
            int(wildcards.year),
            params.years,
            input.counts,
            output[0],
            made_from=params.made_from,
            stats_path=input.stats_path,
            fit_path=input.fit_path,
            tiers_path=input.tiers_path,
            log=log[0],
        )


rule report_index:
    input:
        **INDEX_INPUTS,
    output:
        out.REPORT_INDEX,
    log:
        "logs/report/index.log",
    params:
        years=YEARS,
        made_from=LINEAGE["report_index"],
    run:
        build_index(
            params.years,
            out_path=output[0],
            made_from=params.made_from,
            **input,
            log=log[0],
        )


rule report_tiers_table:
    input:
        out.TIERS_YEAR,
    output:
        report(
            out.REPORT_TIERS_TABLE,
            caption="../report/tiers.rst",
            category="Tiers",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/tiers_{year}.log",
    params:
        made_from=LINEAGE["blockmodels"],
    run:
        tables.tier_csv(input[0], output[0], made_from=params.made_from, log=log[0])


rule report_effects_table:
    input:
        out.FIT_YEAR,
    output:
        report(
            out.REPORT_EFFECTS_TABLE,
            caption="../report/effects.rst",
            category="Structure beyond size",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/effects_{year}.log",
    params:
        made_from=LINEAGE["blockmodels"],
    run:
        tables.effects_csv(input[0], output[0], made_from=params.made_from, log=log[0])


rule report_block_image:
    input:
        counts=out.COUNTS_YEAR,
        fit=out.FIT_YEAR,
    output:
        report(
            out.REPORT_BLOCK_IMAGE,
            caption="../report/block_image.rst",
            category="Block images",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/block_image_{year}.log",
    params:
        made_from=LINEAGE["blockmodels"],
    run:
        block_image_png(
            input.counts, input.fit, output[0], made_from=params.made_from, log=log[0]
        )


rule report_statistics_table:
    input:
        out.GRAPH_STATS_YEAR,
    output:
        report(
            out.REPORT_STATISTICS_TABLE,
            caption="../report/statistics.rst",
            category="Descriptive statistics",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/statistics_{year}.log",
    params:
        made_from=LINEAGE["graph_stats"],
    run:
        tables.statistics_csv(input[0], output[0], made_from=params.made_from, log=log[0])


rule report_structure_table:
    input:
        out.VERDICTS,
    output:
        report(
            out.REPORT_STRUCTURE_TABLE,
            caption="../report/structure.rst",
            category="Structure beyond size",
            labels={"year": "all"},
        ),
    log:
        "logs/report/structure.log",
    params:
        made_from=LINEAGE["study"],
    run:
        tables.structure_csv(input[0], output[0], made_from=params.made_from, log=log[0])


TARGETS.extend(rules.report_assets.output)
TARGETS.append(out.REPORT_INDEX)
TARGETS.extend(expand(out.REPORT_YEAR, year=YEARS))
TARGETS.extend(
    expand(
        [
            out.REPORT_TIERS_TABLE,
            out.REPORT_EFFECTS_TABLE,
            out.REPORT_STATISTICS_TABLE,
            out.REPORT_BLOCK_IMAGE,
        ],
        year=YEARS,
    )
)
TARGETS.append(out.REPORT_STRUCTURE_TABLE)
