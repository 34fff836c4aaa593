# Helpers shared by the rules files; every rule calls one bibnet function with its log file.
from bibnet.config import window_years
from bibnet.counting import Counting
from bibnet.fetch.plan import records_on
from bibnet.taxonomy import ALL, layers_from_config

COUNTING = Counting.from_config(config)
# A year's OpenAlex manifest is named by the counting scheme, so switching schemes fetches the
# new scheme's rows (only those not cached) and never reads another scheme's manifest.
MANIFEST = "manifest.json" if COUNTING.scheme == "whole" else f"manifest.{COUNTING.tag}.json"

# The focal pair's work records exist only in OpenAlex.
RECORDS_ON = records_on(config)

# The research-field layers beside all-science, by tag (none with layers: none); each has the
# tree of all-science's files under data/processed/layers/{tag}/ (workflow/rules/layers.smk).
LAYER_TAGS = [layer.tag for layer in layers_from_config(config)[1:]]


wildcard_constraints:
    year=r"\d{4}",
    layer=r"(field|domain)-\d+-[a-z-]+",


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


def fetched_manifest(year, layer):
    """The OpenAlex manifest of a year's rows in a layer (all-science's in the year folder)."""
    if layer == ALL:
        return f"data/raw/openalex/{year}/{MANIFEST}"
    return f"data/raw/openalex/{year}/{layer}/{MANIFEST}"


def layer_source(year, layer):
    """What one year's count tables of a layer are read from (nothing: a synthetic world)."""
    return [fetched_manifest(year, layer)] if config["source"] == "openalex" else []


def layer_tables(table, years):
    """A table's per-year files of every layer, all-science's first, layer by layer."""
    return [
        (
            f"data/processed/{table}/{year}.parquet"
            if layer == ALL
            else f"data/processed/layers/{layer}/{table}/{year}.parquet"
        )
        for layer in [ALL, *LAYER_TAGS]
        for year in years
    ]


def previous_fetch(year, layer):
    """The manifest fetched just before a year's rows of a layer: years are fetched in order
    (one at a time, see the profile), all-science then each layer, so a budget stop falls where
    the plan, which counts in that order, said it would."""
    order = [(y, tag) for y in YEARS for tag in [ALL, *LAYER_TAGS]]
    position = order.index((year, layer))
    if position == 0:
        return []
    return [ancient(fetched_manifest(*order[position - 1]))]


def previous_year_manifest(wildcards):
    """The manifest fetched before a year's all-science rows (`previous_fetch`)."""
    return previous_fetch(int(wildcards.year), ALL)
