# report: HTML pages an analyst reads offline (reports/index.html, reports/years/{year}.html,
# reports/assets/), made from the processed outputs alone; key tables for `snakemake --report`.
# Each report rule gets the lineage of its inputs (LINEAGE, common.smk: what every stage
# upstream of it read) and stops where an input records another configuration. The focal pair's
# work records join the index only where they are on (RECORDS_ON, common.smk).
from bibnet.report import build_index, build_year_page, tables, write_assets
from bibnet.report.pages import ASSETS as REPORT_ASSETS
from bibnet.report.stale import run_outputs, set_aside

# The index's inputs, by the keyword of build_index that takes each.
INDEX_INPUTS = {
    "provenance_path": out.PROVENANCE,
    "set_aside_path": out.SET_ASIDE,
    "verdicts_path": out.VERDICTS,
    "spheres_path": out.SPHERES,
    "sphere_tables_path": out.SPHERE_TABLES,
    "focal_path": out.FOCAL,
    "robustness_path": out.ROBUSTNESS,
    "classes_path": out.CLASSES,
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
        study_path=out.HYPOTHESES_YEAR,
        blockmodels_path=out.BLOCKMODEL_YEAR,
        classes_path=out.CLASSES_YEAR,
        provenance_path=out.PROVENANCE,
    output:
        out.REPORT_YEAR,
    log:
        "logs/report/year_{year}.log",
    params:
        years=YEARS,
        made_from=LINEAGE["report_year"],
        layers_page=bool(LAYER_TAGS),
    run:
        build_year_page(
            int(wildcards.year),
            params.years,
            input.counts,
            output[0],
            made_from=params.made_from,
            layers_page=params.layers_page,
            stats_path=input.stats_path,
            study_path=input.study_path,
            blockmodels_path=input.blockmodels_path,
            classes_path=input.classes_path,
            provenance_path=input.provenance_path,
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
        layers_page=bool(LAYER_TAGS),
    run:
        build_index(
            params.years,
            out_path=output[0],
            made_from=params.made_from,
            layers_page=params.layers_page,
            **input,
            log=log[0],
        )


rule report_layers:
    input:
        places=out.LAYER_PLACES,
        verdicts=out.LAYER_VERDICTS,
        provenance=out.PROVENANCE,
    output:
        out.REPORT_LAYERS,
    log:
        "logs/report/layers.log",
    params:
        years=YEARS,
        made_from=LINEAGE["report_layers"],
    run:
        from bibnet.report.layers import build_layers_page

        build_layers_page(
            params.years,
            input.places,
            input.verdicts,
            input.provenance,
            output[0],
            made_from=params.made_from,
            log=log[0],
        )


rule report_spheres_table:
    input:
        out.HYPOTHESES_YEAR,
    output:
        report(
            out.REPORT_SPHERES_TABLE,
            caption="../report/spheres.rst",
            category="Spheres",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/spheres_{year}.log",
    params:
        made_from=LINEAGE["study_year"],
    run:
        tables.spheres_csv(input[0], output[0], made_from=params.made_from, log=log[0])


rule report_classes_table:
    input:
        out.CLASSES_YEAR,
    output:
        report(
            out.REPORT_CLASSES_TABLE,
            caption="../report/classes.rst",
            category="Descriptive block models",
            labels={"year": "{year}"},
        ),
    log:
        "logs/report/classes_{year}.log",
    params:
        made_from=LINEAGE["blockmodels"],
    run:
        tables.classes_csv(input[0], output[0], made_from=params.made_from, log=log[0])


rule report_network:
    input:
        counts=out.COUNTS_YEAR,
        totals=out.TOTALS_YEAR,
        classes=out.CLASSES_YEAR,
        study=out.HYPOTHESES_YEAR,
    output:
        expand(out.REPORT_NETWORK, year="{year}", suffix=out.NETWORK_FORMATS),
    log:
        "logs/report/network_{year}.log",
    params:
        **SLICES["graph_exports"],
        made_from=LINEAGE["report_network"],
    run:
        from bibnet.report.networks import write_networks

        write_networks(
            input.counts,
            input.totals,
            input.classes,
            input.study,
            output,
            **params,
            log=log[0],
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


TARGETS.extend(rules.report_assets.output)
TARGETS.append(out.REPORT_INDEX)
TARGETS.extend(expand(out.REPORT_YEAR, year=YEARS))
TARGETS.extend(expand(out.REPORT_NETWORK, year=YEARS, suffix=out.NETWORK_FORMATS))
TARGETS.extend(
    expand(
        [
            out.REPORT_SPHERES_TABLE,
            out.REPORT_CLASSES_TABLE,
            out.REPORT_STATISTICS_TABLE,
        ],
        year=YEARS,
    )
)
