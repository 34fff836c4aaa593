"""Which processed outputs the report rules read: those that some rule of the workflow makes.

A page section is built only where its input exists, so the report rules ask the workflow,
when jobs are planned (after every rules file is read), which of the stages' outputs it makes.

Examples
--------
>>> class Rule:
...     def __init__(self, *output): self.output = output
>>> class Workflow:
...     rules = [Rule("data/processed/graph_stats/{year,[0-9]{4}}.parquet")]
>>> stage_inputs(Workflow(), ("stats", "fit", "year_tiers"), year=2001)
{'stats': 'data/processed/graph_stats/2001.parquet'}
>>> report_tables(Workflow(), [2001])
['reports/tables/statistics_2001.csv']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

#: Processed outputs a report reads besides the counts and provenance, by role.
STAGE_OUTPUTS = {
    "stats": "data/processed/graph_stats/{year}.parquet",
    "fit": "data/processed/blockmodels/{year}.json",
    "year_tiers": "data/processed/blockmodels/{year}.tiers.parquet",
    "tiers": "data/processed/tiers.parquet",
    "verdicts": "data/processed/verdicts.json",
    "focal": "data/processed/focal.parquet",
    "dynamics": "data/processed/dynamics.parquet",
    "focal_records": "data/processed/focal_records.parquet",
    "focal_fields": "data/processed/focal_fields.parquet",
    "focal_institutions": "data/processed/focal_institutions.parquet",
    "focal_verdicts": "data/processed/focal_verdicts.json",
    "data_quality": "data/processed/data_quality.parquet",
}

#: The stage outputs the index reads; those of the focal pair's work records only where the
#: records are on (``source: openalex`` and ``focal_records: true``): their rules are always in
#: the workflow, but without OpenAlex their inputs can never be fetched.
INDEX_INPUTS = ("tiers", "verdicts", "focal", "dynamics", "data_quality")
RECORDS_INPUTS = ("focal_records", "focal_fields", "focal_institutions", "focal_verdicts")


#: The keyword of the page functions that takes each stage output.
PATH_ARGUMENTS = {"set_aside": "set_aside_path",
                  "stats": "stats_path", "fit": "fit_path", "year_tiers": "tiers_path",
                  "tiers": "tiers_path", "verdicts": "verdicts_path", "focal": "focal_path",
                  "dynamics": "dynamics_path", "focal_records": "records_path",
                  "focal_fields": "record_fields_path",
                  "focal_institutions": "record_institutions_path",
                  "focal_verdicts": "record_verdicts_path",
                  "data_quality": "data_quality_path"}


def stage_paths(named_input) -> dict[str, str]:
    """Keyword arguments of a page function for the stage outputs among a rule's named input.

    >>> stage_paths({"counts": "c.parquet", "fit": "f.json", "year_tiers": "t.parquet"})
    {'fit_path': 'f.json', 'tiers_path': 't.parquet'}
    """
    return {PATH_ARGUMENTS[key]: str(value) for key, value in named_input.items()
            if key in PATH_ARGUMENTS}


def made_by_a_rule(workflow, pattern: str) -> bool:
    """Whether some rule of ``workflow`` (a Snakemake workflow) writes files named ``pattern``.

    Output patterns are compared without their wildcard constraints (a global
    ``wildcard_constraints`` writes them into every pattern, ``{year,\\d{4}}``).
    """
    from snakemake.io import strip_wildcard_constraints

    return any(strip_wildcard_constraints(str(path)) == pattern
               for rule in workflow.rules for path in rule.output)


def stage_inputs(workflow, keys: Iterable[str], **wildcards) -> dict[str, str]:
    """The outputs among ``keys`` (of :data:`STAGE_OUTPUTS`) that the workflow makes."""
    return {key: STAGE_OUTPUTS[key].format(**wildcards) for key in keys
            if made_by_a_rule(workflow, STAGE_OUTPUTS[key])}


def index_inputs(workflow, records: bool) -> dict[str, str]:
    """The stage outputs of the index that the workflow makes; the work records' only with
    ``records`` (the records are on in the configuration).

    >>> class Rule:
    ...     def __init__(self, *output): self.output = output
    >>> class Workflow:
    ...     rules = [Rule("data/processed/verdicts.json", "data/processed/focal_verdicts.json")]
    >>> list(index_inputs(Workflow(), records=True))
    ['verdicts', 'focal_verdicts']
    >>> index_inputs(Workflow(), records=False)
    {'verdicts': 'data/processed/verdicts.json'}
    """
    return stage_inputs(workflow, INDEX_INPUTS + (RECORDS_INPUTS if records else ()))


def report_tables(workflow, years: Sequence[int]) -> list[str]:
    """The tables and figures for Snakemake's report whose inputs the workflow makes."""
    wanted = []
    if made_by_a_rule(workflow, STAGE_OUTPUTS["fit"]):
        wanted += [f"reports/tables/{table}_{year}.csv" for table in ("tiers", "effects")
                   for year in years]
        wanted += [f"reports/figures/block_image_{year}.png" for year in years]
    if made_by_a_rule(workflow, STAGE_OUTPUTS["stats"]):
        wanted += [f"reports/tables/statistics_{year}.csv" for year in years]
    if made_by_a_rule(workflow, STAGE_OUTPUTS["verdicts"]):
        wanted.append("reports/tables/structure.csv")
    return wanted


def run_outputs(workflow, years: Sequence[int], graph_formats: Sequence[str]) -> list[str]:
    """The pages, tables, figures and graph exports this run makes, which the report step keeps
    (`bibnet.report.outputs.set_aside` moves the others of their folders aside).

    >>> class Workflow:
    ...     rules = []
    >>> run_outputs(Workflow(), [2001], ["gexf"])
    ['data/processed/graphs/2001.gexf', 'reports/years/2001.html']
    """
    return sorted([*(f"reports/years/{year}.html" for year in years),
                   *report_tables(workflow, years),
                   *(f"data/processed/graphs/{year}.{suffix}" for year in years
                     for suffix in graph_formats)])
