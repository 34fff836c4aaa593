# Helpers shared by the rules files; every rule calls one bibnet function with its log file.
from bibnet.config import window_years
from bibnet.counting import Counting
from bibnet.fetch.plan import records_on

COUNTING = Counting.from_config(config)
# A year's OpenAlex manifest is named by the counting scheme, so switching schemes fetches the
# new scheme's rows (only those not cached) and never reads another scheme's manifest.
MANIFEST = "manifest.json" if COUNTING.scheme == "whole" else f"manifest.{COUNTING.tag}.json"

# The focal pair's work records exist only in OpenAlex.
RECORDS_ON = records_on(config)


wildcard_constraints:
    year=r"\d{4}",


def year_source(year):
    """What one year's count tables are read from (nothing: a synthetic world is drawn)."""
    if config["source"] == "openalex":
        return [f"data/raw/openalex/{year}/{MANIFEST}"]
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


def previous_year_manifest(wildcards):
    """Years are fetched in order (one at a time, see the profile), so a budget stop falls
    where the plan, which counts the years in order, said it would."""
    year = int(wildcards.year)
    return [ancient(f"data/raw/openalex/{year - 1}/{MANIFEST}")] if year > YEARS[0] else []
