# graphs: one country collaboration graph per year, its statistics and its exports.
# Each year reads only its own counts tables, so adding a year recomputes that year and the summary.
from bibnet.graphs.export import WRITERS

GRAPH_FORMATS = list(WRITERS)


rule graphs_year:
    input:
        counts="data/processed/counts/{year}.parquet",
        totals="data/processed/country_totals/{year}.parquet",
    output:
        stats="data/processed/graph_stats/{year}.parquet",
        exports=expand("data/processed/graphs/{{year}}.{suffix}", suffix=GRAPH_FORMATS),
    log:
        "logs/graphs/{year}.log",
    run:
        from bibnet.graphs.files import write_year

        write_year(
            config,
            input.counts,
            input.totals,
            output.stats,
            dict(zip(GRAPH_FORMATS, output.exports)),
            log=log[0],
        )


rule graphs_stats_combine:
    input:
        expand("data/processed/graph_stats/{year}.parquet", year=YEARS),
    output:
        "data/processed/graph_stats.parquet",
    log:
        "logs/graphs/combine_stats.log",
    run:
        from bibnet.counts import combine_years

        combine_years(input, output[0], log=log[0])


TARGETS.append("data/processed/graph_stats.parquet")
TARGETS.extend(expand("data/processed/graphs/{year}.{suffix}", year=YEARS, suffix=GRAPH_FORMATS))
