# fetch: OpenAlex rows per (country, year) into the raw cache; a year's manifest is written
# only once every row of that year is complete, so a failed or stopped run resumes.


# On a cluster it runs where Snakemake runs (compute nodes usually have no internet).
rule fetch_openalex:
    output:
        "data/raw/openalex/{year}/manifest.json",
    log:
        "logs/fetch/{year}.log",
    localrule: True
    resources:
        openalex_pool=1,
    run:
        from bibnet.fetch import FetchSettings, fetch_year

        fetch_year(
            int(wildcards.year),
            config["countries"],
            Path("data/raw/openalex"),
            FetchSettings.from_config(config["openalex"]),
            log=log[0],
        )
