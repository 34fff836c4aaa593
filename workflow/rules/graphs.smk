# graphs: one country collaboration graph per year, its statistics and its exports (two rules:
# the exported weight re-runs the exports only, the rich-club randomisations the statistics).
# Each year reads only its own counts tables, so adding a year recomputes that year and the summary.
from bibnet.graphs.export import WRITERS

GRAPH_FORMATS = list(WRITERS)


rule graph_stats_year:
    input:
        counts=out.COUNTS_YEAR,
        totals=out.TOTALS_YEAR,
    output:
        out.GRAPH_STATS_YEAR,
    log:
        "logs/graphs/stats_{year}.log",
    params:
        **SLICES["graph_stats"],
    run:
        from bibnet.graphs.files import write_statistics

        write_statistics(input.counts, input.totals, output[0], **params, log=log[0])


rule graph_exports_year:
    input:
        counts=out.COUNTS_YEAR,
        totals=out.TOTALS_YEAR,
    output:
        expand(out.GRAPH_EXPORT, year="{year}", suffix=GRAPH_FORMATS),
    log:
        "logs/graphs/exports_{year}.log",
    params:
        **SLICES["graph_exports"],
    run:
        from bibnet.graphs.files import write_year_exports

        write_year_exports(
            input.counts,
            input.totals,
            dict(zip(GRAPH_FORMATS, output)),
            **params,
            log=log[0],
        )


rule graphs_stats_combine:
    input:
        expand(out.GRAPH_STATS_YEAR, year=YEARS),
    output:
        out.GRAPH_STATS,
    log:
        "logs/graphs/combine_stats.log",
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


TARGETS.append(out.GRAPH_STATS)
TARGETS.extend(expand(out.GRAPH_EXPORT, year=YEARS, suffix=GRAPH_FORMATS))
