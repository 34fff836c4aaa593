"""The Slurm profile (profiles/slurm) on a real Slurm, next to a local run of the same config.

`.ci/run` starts a single-node Slurm (.ci/slurm-up) before the tests and stops it after; where
no Slurm answers, or the plugin is not installed, the run test skips with the reason. The run is
`source: openalex` through the OpenAlex emulator (two years, a few starts, blocks and replicates),
so it shows both sides of the profile: the fetch rules run where Snakemake runs, every other rule
is a Slurm job.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Workflow

pytestmark = pytest.mark.slurm

KEY = "test-key-slurm-5be21c"
TINY = {
    # every country: the study's centres need a periphery with links to them
    "source": "openalex", "countries": "all", "focal": ["KR", "GB"],
    "years": {"first": 2014, "last": 2015}, "focal_records": False,
    "graphs": {"rich_club_randomisations": 2},
    "blockmodels": {"n_starts": 2, "n_blocs": 3},
    "hypotheses": {"robustness": {"first": 3, "last": 5}},
    "openalex": {"concurrency": 4, "retries": 4, "timeout_s": 10, "backoff_s": 0.05,
                 "max_backoff_s": 1, "filters": {}},
}
# The rules that call OpenAlex, and the target rule, which runs nothing.
LOCAL_RULES = {"fetch_openalex", "all"}
# The whole run, Slurm's queue and the plugin's status checks included, well within CI's budget;
# the plugin ignores SIGTERM, hence the KILL 10 s later.
RUN_LIMIT_S = 900


def slurm_or_skip() -> None:
    """Skip unless a Slurm controller answers with a node that takes jobs, and the plugin is in."""
    pytest.importorskip("snakemake_executor_plugin_slurm",
                        reason="snakemake-executor-plugin-slurm is the optional extra: "
                               "pip install -e '.[slurm]'")
    if shutil.which("sbatch") is None or shutil.which("sinfo") is None:
        pytest.skip("Slurm is not installed (no sbatch, sinfo): .ci/run installs Debian's "
                    "slurm-wlm and munge and starts a single-node Slurm with .ci/slurm-up")
    try:
        nodes = subprocess.run(["sinfo", "--noheader", "--format=%T"], capture_output=True,
                               text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.skip("sinfo got no answer from slurmctld within 20 s")
    states = nodes.stdout.split()
    if nodes.returncode != 0 or not any(s.rstrip("*~#") in ("idle", "mixed") for s in states):
        said = (nodes.stderr.strip().splitlines() or [nodes.stdout.strip() or "no nodes"])[-1]
        pytest.skip(f"no Slurm node takes jobs (sinfo: {said}): .ci/run starts a single-node "
                    "Slurm with .ci/slurm-up")


def outputs(workflow: Workflow) -> dict[str, bytes]:
    """Every result file of a run (not its logs), by path."""
    return {str(p.relative_to(workflow.root)): p.read_bytes() for p in workflow.written()
            if p.relative_to(workflow.root).parts[0] != "logs"}


def slurm_jobs(workdir: Path) -> dict[str, tuple[str, str]]:
    """Slurm's own record of the jobs run from ``workdir``: id -> (rule, state), from
    squeue --states=all (finished jobs stay listed for MinJobAge, 600 s in .ci/slurm-up)."""
    listed = subprocess.run(["squeue", "--states=all", "--noheader",
                             "--format=%i|%500Z|%500k|%T"],
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    jobs = {}
    for line in listed.stdout.splitlines():
        job, folder, comment, state = (field.strip() for field in line.split("|"))
        if Path(folder) == workdir:
            # the plugin's comment: rule_<name>[_wildcards_<values>]
            jobs[job] = (re.match(r"rule_(\w+?)(?:_wildcards_.*)?$", comment).group(1), state)
    return jobs


def test_the_slurm_profile_runs_the_rules_as_slurm_jobs_with_the_local_results(
        tmp_path, emulator):
    slurm_or_skip()
    on_slurm, local = Workflow(tmp_path / "slurm"), Workflow(tmp_path / "local")
    for copy in (on_slurm, local):
        copy.configure(**TINY)

    # Status checks every 3 s instead of the profile's 20, to keep CI short (MinJobAge is 600 s).
    run = on_slurm.snakemake(
        "--profile", "profiles/slurm", "--slurm-init-seconds-before-status-checks", "3",
        env={"OPENALEX_API_KEY": KEY},
        prefix=("timeout", "-k", "10", str(RUN_LIMIT_S),
                "python3", str(emulator), "--require-key", "--"))
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-5000:]

    jobs = slurm_jobs(on_slurm.root)
    assert {state for _, state in jobs.values()} == {"COMPLETED"}
    planned = dict(re.findall(r"^(\w+)\s+(\d+)$", log, flags=re.MULTILINE))
    on_nodes = {rule for rule, _ in jobs.values()}
    assert on_nodes == set(planned) - {"total"} - LOCAL_RULES
    assert len(jobs) == int(planned["total"]) - int(planned["fetch_openalex"]) - 1
    # the fetches ran here, one per year, and never went to Slurm
    assert len(re.findall(r"^localrule fetch_openalex:", log, flags=re.MULTILINE)) == 2
    assert re.search(r"^rule blockmodels_year:", log, flags=re.MULTILINE)

    # The local run starts from the same answers of OpenAlex: the raw rows carry the time they
    # were fetched, which the provenance, the verdicts and the report then record.
    shutil.copytree(on_slurm.root / "data" / "raw", local.root / "data" / "raw")
    here = local.snakemake("--cores", "2")
    assert here.returncode == 0, here.stderr[-3000:]
    assert "fetch_openalex" not in here.stdout + here.stderr
    slurm_results, local_results = outputs(on_slurm), outputs(local)
    assert sorted(slurm_results) == sorted(local_results)
    assert any(path.startswith("reports/") for path in local_results)
    different = [path for path in local_results if slurm_results[path] != local_results[path]]
    assert different == []


def test_a_dry_run_with_the_slurm_profile_plans_the_fetches_one_at_a_time(workflow):
    """Planning needs no Slurm; Snakemake >= 9 says in a dry run nothing of local or remote
    (it cannot know how the run will be executed), so the test above checks that on the run."""
    pytest.importorskip("snakemake_executor_plugin_slurm",
                        reason="snakemake-executor-plugin-slurm is the optional extra: "
                               "pip install -e '.[slurm]'")
    workflow.configure(source="openalex", years={"first": 2014, "last": 2015})
    plan = workflow.snakemake("--profile", "profiles/slurm", "-n", env={"OPENALEX_API_KEY": ""})
    assert plan.returncode == 0, plan.stderr[-3000:]
    log = plan.stdout + plan.stderr
    jobs = dict(re.findall(r"^(\w+)\s+(\d+)$", log, flags=re.MULTILINE))
    assert jobs["fetch_openalex"] == "2" and jobs["fetch_focal_records"] == "2"
    fetches = re.findall(r"^rule (fetch_\w+):\n(?:    .*\n)*?    resources: (.*)$", log,
                         flags=re.MULTILINE)
    assert len(fetches) == 4
    assert all("openalex_pool=1" in resources for _, resources in fetches)
    # every year's block models and study are jobs of their own (one thread each)
    assert jobs["blockmodels_year"] == "2" and jobs["hypotheses_year"] == "2"
