# Helpers shared by the rules files; every rule calls one bibnet function with its log file.
# Paths come from the output contract (bibnet.outputs), which the report reads with too.
from bibnet import outputs as out
from bibnet.config import window_years
from bibnet.counting import Counting
from bibnet.slices import fetch_plan, lineage, records_on, stage_slices, transport
from bibnet.taxonomy import ALL, layers_from_spec

# What each stage reads of the configuration (bibnet.slices): its rules' params, so that an
# edit re-runs exactly the jobs whose outputs it changes. Every output records the slices it
# was made from; the report rules check their inputs against their lineage (what every stage
# upstream of them read) and stop, naming files and keys, where one was made otherwise.
SLICES = stage_slices(config)
# The focal pair's work records exist only in OpenAlex.
RECORDS_ON = records_on(config)
LINEAGE = {
    stage: lineage(SLICES, stage, RECORDS_ON)
    for stage in (
        "graph_stats",
        "blockmodels",
        "study",
        "study_year",
        "report_year",
        "report_index",
        "report_network",
        "report_layers",
    )
}
# How the fetch talks to OpenAlex (concurrency, retries, timeouts, back-off) changes no row,
# so it is no param: editing it re-runs nothing.
TRANSPORT = transport(config["openalex"])

COUNTING = Counting.from_tag(SLICES["counts"]["counting"])
# A year's OpenAlex manifest is named by the counting scheme, so switching schemes fetches the
# new scheme's rows (only those not cached) and never reads another scheme's manifest.
MANIFEST = "manifest.json" if COUNTING.scheme == "whole" else f"manifest.{COUNTING.tag}.json"

# What the fetch plan reads (printed before the first fetch job, and what a budget stop says the
# run still needs): no param of a fetch job, as it changes no row.
FETCH_PLAN = fetch_plan(config)
# The run's years and FETCH_PLAN: what a budget stop in a fetch job says the run still needs.
RUN_PLAN = {**FETCH_PLAN, "years": YEARS}

# The research-field layers beside all-science, by tag (none with layers: none); each has the
# tree of all-science's files under data/processed/layers/{tag}/ (workflow/rules/layers.smk).
LAYER_TAGS = [layer.tag for layer in layers_from_spec(SLICES["provenance"]["layers"])[1:]]


wildcard_constraints:
    year=r"\d{4}",
    layer=r"(field|domain)-\d+-[a-z-]+",


def year_source(year):
    """What one year's count tables are read from (nothing: a synthetic world is drawn)."""
    if config["source"] == "openalex":
        return [fetched_manifest(year, ALL)]
    if config["source"] == "pajek":
        return [f"{config['pajek_dir']}/WrldCo{year}.net"]
    return []


def study_window(wildcards):
    """The per-year tables a year's study reads: those of its window of years (a layer's own,
    for a layer's study)."""
    years = window_years(
        int(wildcards.year), config["hypotheses"]["window_years"], YEARS[0], YEARS[-1]
    )
    layer = getattr(wildcards, "layer", ALL)
    return {
        "counts": [year_table(out.COUNTS_YEAR, year, layer) for year in years],
        "totals": [year_table(out.TOTALS_YEAR, year, layer) for year in years],
    }


def year_table(path, year, layer):
    """A per-year processed file of all-science (``layer`` ALL) or of a layer."""
    if layer == ALL:
        return path.format(year=year)
    return out.in_layer(path).format(year=year, layer=layer)


def layer_years(path, years=YEARS):
    """A per-year processed file of every layer and year, all-science's first, layer by layer
    (the order `bibnet.hypotheses.files.write_layers` and `bibnet.counts.combine_layers` read
    them in)."""
    return [year_table(path, year, layer) for layer in [ALL, *LAYER_TAGS] for year in years]


def fetched_manifest(year, layer):
    """The OpenAlex manifest of a year's rows in a layer (all-science's in the year folder)."""
    if layer == ALL:
        return f"{out.RAW}/{year}/{MANIFEST}"
    return f"{out.LAYER_RAW_YEAR.format(year=year, layer=layer)}/{MANIFEST}"


def layer_source(year, layer):
    """What one year's count tables of a layer are read from (nothing: a synthetic world)."""
    return [fetched_manifest(year, layer)] if config["source"] == "openalex" else []


def previous_layer_manifest(wildcards):
    """The manifest fetched before a year's rows of a layer: the year's all-science rows, then
    each layer in the configured order (the layer rule's priority puts a year's layers before
    the next year's all-science, so the fetch runs year by year as the plan counts it). Not
    ancient(), as `previous_year_manifest`; an added layer comes last in its year, so it adds
    its own jobs only."""
    order = [ALL, *LAYER_TAGS]
    previous = order[order.index(wildcards.layer) - 1]
    return [fetched_manifest(int(wildcards.year), previous)]


def previous_year_manifest(wildcards):
    """The manifest fetched before a year's all-science rows: years are fetched in order (one
    at a time, see the profile), so a budget stop falls where the plan, which counts the years
    in order, said it would.

    Not ancient(): Snakemake (9.27) does not check the params of a job downstream of one that
    re-runs, and skips it where that input is ancient, so an edit of countries or filters
    would re-fetch the first year only. A re-fetched year makes the later ones re-read their
    rows, from the cache without a call."""
    year = int(wildcards.year)
    return [fetched_manifest(year - 1, ALL)] if year > YEARS[0] else []
