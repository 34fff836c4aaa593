"""An edit of the configuration re-runs exactly the jobs whose outputs it changes.

Every rule gets the configuration its function reads as params (`bibnet.slices`), and Snakemake
re-runs a job whose params changed (and every job downstream of it). On one small finished study
(the catalog's offline ``.test`` study: SYNTHETIC, two years), each family of keys is edited
with ``--config`` (the finished study stays as it is) and the dry run's jobs are compared with
the rules that read the key and those downstream of them, job by job. The OpenAlex keys are in
``test_config_edits_openalex.py``.

It also shows what a report does with an output made from another configuration: it stops,
naming the file and the key.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter

import numpy as np
import pytest
import yaml

from bibnet.outputs import CONFIG_KEY
from bibnet.pajek import write_network
from conftest import REPO, Workflow

pytestmark = pytest.mark.workflow

YEARS = (2014, 2015)  # those of .test/config/config.yaml
#: Jobs per rule of the finished two-year study, by what each reads.
COUNTS = Counter(counts_year=2, counts_combine=3, counts_data_quality=1, provenance=1)
GRAPH_STATS = Counter(graph_stats_year=2, graphs_stats_combine=1, report_statistics_table=2,
                      report_year=2)
EXPORTS = Counter(graph_exports_year=2, report_network=2)
BLOCKMODELS = Counter(blockmodels_year=2, classes_combine=1, report_classes_table=2,
                      report_year=2, report_index=1, report_network=2)
STUDY = Counter(hypotheses_year=2, study=1, report_spheres_table=2, report_year=2,
                report_index=1, report_network=2)
#: Every job but the assets, which read nothing.
EVERYTHING = COUNTS | GRAPH_STATS | EXPORTS | BLOCKMODELS | STUDY
#: An edit of the graph selection: everything but the counts.
SELECTION = GRAPH_STATS | EXPORTS | BLOCKMODELS | STUDY
NOTHING = Counter()


def planned(workflow: Workflow, *config: str) -> Counter:
    """The jobs a dry run of the .test study would run, per rule (the target rule left out)."""
    args = ["-n", "--directory", ".test", "--cores", "2"]
    plan = workflow.snakemake(*args, *(["--config", *config] if config else []))
    assert plan.returncode == 0, plan.stdout[-2000:] + plan.stderr[-3000:]
    text = plan.stdout + plan.stderr
    if "Job stats:" not in text:
        assert "Nothing to be done" in text, text[-2000:]
        return Counter()
    table = text[text.index("Job stats:"):text.index("total", text.index("Job stats:"))]
    jobs = Counter({rule: int(n) for rule, n in
                    re.findall(r"^(\w+)\s+(\d+)$", table, flags=re.MULTILINE)})
    del jobs["all"]
    return jobs


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    """The .test study run to its end, and tiny Pajek networks of its years to switch to."""
    workflow = Workflow(tmp_path_factory.mktemp("config-edits") / "copy")
    shutil.copytree(REPO / ".test" / "config", workflow.root / ".test" / "config")
    run = workflow.snakemake("--directory", ".test", "--cores", "2")
    assert run.returncode == 0, run.stderr[-3000:]
    codes = ["DE", "FR", "GB", "JP", "KR", "US"]
    rng = np.random.default_rng(1)
    for folder in ("pajek", "pajek-copy"):
        for year in YEARS:
            upper = np.triu(rng.integers(1, 50, (len(codes), len(codes))), 1)
            matrix = upper + upper.T + np.diag(rng.integers(50, 100, len(codes)))
            (workflow.root / folder).mkdir(exist_ok=True)
            write_network(workflow.root / folder / f"WrldCo{year}.net", codes, matrix)
    assert planned(workflow) == NOTHING
    return workflow


EDITS = {
    # the countries, years, focal pair and seed
    "countries": (["countries=[KR, GB, US, DE, FR, JP, CN]"], EVERYTHING),
    "years: one more": (["years={first: 2014, last: 2016}"],
                        Counter(counts_year=1, counts_combine=3, counts_data_quality=1,
                                provenance=1,
                                graph_stats_year=1, graphs_stats_combine=1,
                                graph_exports_year=1, blockmodels_year=1, classes_combine=1,
                                hypotheses_year=1, study=1, report_index=1,
                                report_classes_table=1, report_spheres_table=1,
                                report_statistics_table=1, report_network=1,
                                # every year page links to the new year
                                report_year=3,
                                # which pages and exports are this run's
                                report_set_aside=1)),
    # a synthetic world always holds the focal countries, so its counts read them
    "focal": (["focal=[KR, US]"], EVERYTHING),
    "seed": (["seed=7"], EVERYTHING),
    # the counting scheme and its cap
    "counting": (["counting=fractional"], EVERYTHING),
    "max_countries, not capped": (["max_countries=5"], NOTHING),
    # the source and its options
    "source": (["source=pajek", "pajek_dir=../pajek"], EVERYTHING),
    "pajek_dir, not pajek": (["pajek_dir=../pajek-copy"], NOTHING),
    # every key of the sphere world drawn (bibnet.slices.WORLD_KEYS) changes the counts
    "synthetic.kind": (["synthetic={kind: one_hub}"], EVERYTHING),
    "synthetic.n_countries": (["synthetic={n_countries: 60}"], EVERYTHING),
    "synthetic.volume": (["synthetic={volume: 2.0}"], EVERYTHING),
    "synthetic.effects": (["synthetic={effects: {hub_tie: 2.0}}"], EVERYTHING),
    "synthetic.sphere_of": (["synthetic={sphere_of: {KR: GB}}"], EVERYTHING),
    "synthetic.size_rank": (["synthetic={size_rank: {GB: 5}}"], EVERYTHING),
    # a layer's planted world, without layers
    "synthetic.layers, no layers": (["synthetic={layers: {Engineering: {size_rank: {KR: 2}}}}"],
                                    NOTHING),
    # the stages' own sections
    "graphs.min_edge": (["graphs={min_edge: 2}"], SELECTION),
    "graphs.export_weight": (["graphs={export_weight: cosine}"], EXPORTS),
    "graphs.rich_club_randomisations": (["graphs={rich_club_randomisations: 3}"], GRAPH_STATS),
    "blockmodels.n_blocs": (["blockmodels={n_blocs: 3}"], BLOCKMODELS),
    "hypotheses.alpha": (["hypotheses={alpha: 0.01}"], STUDY),
    "hypotheses.window_years": (["hypotheses={window_years: 3}"], STUDY),
    # the work records exist only in OpenAlex
    "records.min_works": (["records={min_works: 5}"], NOTHING),
    "focal_records": (["focal_records=False"], NOTHING),
    # how to talk to OpenAlex changes no row; the filters are not read with source synthetic
    "openalex.concurrency": (["openalex={concurrency: 3}"], NOTHING),
    "openalex.filters, not openalex": (["openalex={filters: {type: article}}"], NOTHING),
}


def reruns_test(edits: dict):
    """The test that each edit of ``edits`` (name -> ``--config`` values, the jobs expected)
    plans exactly its jobs on the module's finished ``study``."""

    @pytest.mark.parametrize("edit", list(edits))
    def test(study, edit):
        config, expected = edits[edit]
        assert planned(study, *config) == expected

    return test


test_an_edit_reruns_exactly_the_jobs_that_read_it = reruns_test(EDITS)


def test_a_page_made_from_an_output_of_another_configuration_is_an_error(study, tmp_path):
    copy = study.copied_to(tmp_path / "copy")
    # the 2015 block models as another run with three blocs would have written them
    fit = copy.root / ".test" / "data" / "processed" / "blockmodels" / "2015.json"
    record = json.loads(fit.read_text(encoding="utf-8"))
    record[CONFIG_KEY]["blockmodels.n_blocs"] = 3
    fit.write_text(json.dumps(record), encoding="utf-8")
    run = copy.snakemake("--directory", ".test", "--cores", "1", "reports/years/2015.html")
    assert run.returncode != 0
    log = (copy.root / ".test" / "logs" / "report" / "year_2015.log").read_text()
    assert "outputs made from different configurations: blockmodels.n_blocs is" in log
    assert "3 in data/processed/blockmodels/2015.json" in log
    assert "4 in the configuration" in log
    assert not (copy.root / ".test" / "reports" / "years" / "2015.html").exists()
    # what the finished study's pages show they were made from: the configuration's keys
    config = yaml.safe_load((study.root / ".test" / "config" / "config.yaml").read_text())
    index = (study.root / ".test" / "reports" / "index.html").read_text(encoding="utf-8")
    shown = index[index.index('<pre class="config">'):]
    shown = yaml.safe_load(shown[shown.index(">") + 1:shown.index("</pre>")])
    assert shown["blockmodels"]["n_blocs"] == config["blockmodels"]["n_blocs"]
    assert shown["synthetic"] == {**config["synthetic"], "volume": 1.0}
    assert "openalex" not in shown and "records" not in shown
