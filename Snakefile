# bibnet workflow: `snakemake` runs it all with the default profile (workflow/profiles/default).
# Rules stay thin: each calls one function of the bibnet package, where the logic is tested.
from snakemake.utils import min_version, validate

from bibnet.config import check_config, load_schema

min_version("8.10")


configfile: "config/config.yaml"


# One readable message for a bad config, before any job runs; then Snakemake's own check.
config = check_config(config, load_schema(Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"))
validate(config, "workflow/schemas/config.schema.yaml")

YEARS = list(range(config["years"]["first"], config["years"]["last"] + 1))


include: "workflow/rules/common.smk"
include: "workflow/rules/fetch.smk"
include: "workflow/rules/counts.smk"


rule all:
    input:
        "data/processed/counts.parquet",
        "data/processed/country_totals.parquet",
        "data/processed/asymmetries.parquet",
    default_target: True
