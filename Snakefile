# bibnet workflow: `snakemake` runs it all with the default profile (profiles/default).
# Rules stay thin: each calls one function of the bibnet package, where the logic is tested.
import time
from pathlib import Path

from snakemake.utils import min_version, validate
from threadpoolctl import threadpool_limits

from bibnet.config import check_config, load_schema
from bibnet.console import print_warnings, tidy_snakemake

min_version("8.10")
# A quiet terminal: a line per job, Snakemake's banners only with --verbose (bibnet.console).
tidy_snakemake(workflow)
STARTED = time.time()
# The jobs run as threads of this process (profiles/default: force-use-threads), each on a core
# of its own: one BLAS thread a job, or their BLAS pools fight over the same cores (the demo with
# layers=domains on 2 cores: 228 s with OpenBLAS's threads, 186 s with one).
threadpool_limits(limits=1, user_api="blas")

SCHEMA = "workflow/schemas/config.schema.yaml"


configfile: "config/config.yaml"


# One readable message for a bad config, before any job runs; then Snakemake's own check.
config = check_config(config, load_schema(Path(workflow.basedir) / SCHEMA))
validate(config, SCHEMA)

YEARS = list(range(config["years"]["first"], config["years"]["last"] + 1))
# Each rules file appends the final outputs of its stage.
TARGETS = []


include: "workflow/rules/common.smk"
include: "workflow/rules/fetch.smk"
include: "workflow/rules/counts.smk"
include: "workflow/rules/records.smk"
include: "workflow/rules/graphs.smk"
include: "workflow/rules/layers.smk"
include: "workflow/rules/blockmodels.smk"
include: "workflow/rules/hypotheses.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        TARGETS,


# The warnings the jobs logged, gathered in one place at the end of the run.
onsuccess:
    print_warnings(Path("logs"), STARTED)


onerror:
    print_warnings(Path("logs"), STARTED)
