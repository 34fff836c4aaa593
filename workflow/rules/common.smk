# Helpers shared by the rules files; every rule calls one bibnet function with its log file.
# Paths come from the output contract (bibnet.outputs), which the report reads with too.
from bibnet import outputs as out
from bibnet.config import window_years
from bibnet.counting import Counting
from bibnet.fetch import FetchSettings
from bibnet.slices import lineage, records_on, stage_slices, transport

# What each stage reads of the configuration (bibnet.slices): its rules' params, so that an
# edit re-runs exactly the jobs whose outputs it changes. Every output records the slices it
# was made from; the report rules check their inputs against their lineage (what every stage
# upstream of them read) and stop, naming files and keys, where one was made otherwise.
SLICES = stage_slices(config)
# The focal pair's work records exist only in OpenAlex.
RECORDS_ON = records_on(config)
LINEAGE = {
    stage: lineage(SLICES, stage, RECORDS_ON)
    for stage in ("graph_stats", "blockmodels", "study", "report_year", "report_index")
}
# How the fetch talks to OpenAlex (concurrency, retries, timeouts, back-off) changes no row,
# so it is no param: editing it re-runs nothing.
TRANSPORT = transport(config["openalex"])

COUNTING = Counting.from_tag(SLICES["counts"]["counting"])
# A year's OpenAlex manifest is named by the counting scheme, so switching schemes fetches the
# new scheme's rows (only those not cached) and never reads another scheme's manifest.
MANIFEST = "manifest.json" if COUNTING.scheme == "whole" else f"manifest.{COUNTING.tag}.json"


wildcard_constraints:
    year=r"\d{4}",


def fetch_settings(openalex):
    """The fetch's settings: the configured filters (``openalex``, a param) and TRANSPORT."""
    return FetchSettings.from_config({**TRANSPORT, **openalex})


def year_source(year):
    """What one year's count tables are read from (nothing: a synthetic world is drawn)."""
    if config["source"] == "openalex":
        return [f"{out.RAW}/{year}/{MANIFEST}"]
    if config["source"] == "pajek":
        return [f"{config['pajek_dir']}/WrldCo{year}.net"]
    return []


def blockmodel_window(wildcards):
    """The per-year tables a year's blockmodels read: those of its window of years."""
    years = window_years(
        int(wildcards.year), config["blockmodels"]["window_years"], YEARS[0], YEARS[-1]
    )
    return {
        "counts": [out.COUNTS_YEAR.format(year=year) for year in years],
        "totals": [out.TOTALS_YEAR.format(year=year) for year in years],
    }


def previous_year_manifest(wildcards):
    """Years are fetched in order (one at a time, see the profile), so a budget stop falls
    where the plan, which counts the years in order, said it would.

    Not ancient(): Snakemake (9.27) does not check the params of a job downstream of one that
    re-runs, and skips it where that input is ancient, so an edit of countries or filters
    would re-fetch the first year only. A re-fetched year makes the later ones re-read their
    rows, from the cache without a call."""
    year = int(wildcards.year)
    return [f"{out.RAW}/{year - 1}/{MANIFEST}"] if year > YEARS[0] else []
