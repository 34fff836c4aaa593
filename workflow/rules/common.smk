# Helpers shared by the rules files; every rule calls one bibnet function with its log file.
from bibnet.config import window_years

# The focal pair's work records exist only in OpenAlex.
RECORDS_ON = config["source"] == "openalex" and config["focal_records"]


wildcard_constraints:
    year=r"\d{4}",


def year_source(year):
    """What one year's count tables are read from (nothing: a synthetic world is drawn)."""
    if config["source"] == "openalex":
        return [f"data/raw/openalex/{year}/manifest.json"]
    if config["source"] == "pajek":
        return [f"{config['pajek_dir']}/WrldCo{year}.net"]
    return []


def blockmodel_window(wildcards):
    """The per-year tables a year's blockmodels read: those of its window of years."""
    years = window_years(
        int(wildcards.year), config["blockmodels"]["window_years"], YEARS[0], YEARS[-1]
    )
    return {
        "counts": [f"data/processed/counts/{year}.parquet" for year in years],
        "totals": [f"data/processed/country_totals/{year}.parquet" for year in years],
    }
