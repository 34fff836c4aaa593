"""An edit of the OpenAlex keys re-runs exactly what it changes, and no fetch it does not need.

A small OpenAlex study (ten countries, two years, no focal records) is fetched through the
emulator (../shared, skipped without it) and run to its reports; then each edit is planned with
a dry run (`test_config_edits.planned`), and adding a country is run: only its rows are fetched.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter

import pytest

from conftest import EMULATOR, REAL_DATA, Workflow
from test_config_edits import (BLOCKMODELS, EVERYTHING, GRAPH_STATS, NOTHING, STUDY, planned,
                               reruns_test)

pytestmark = [pytest.mark.workflow, pytest.mark.e2e]

#: The 40 largest countries of 2015: the study's noise model needs the pairs of about 30 countries
#: outside the centres.
COUNTRIES = sorted(["US", "GB", "DE", "FR", "CN", "IT", "ES", "CA", "AU", "NL", "CH", "JP", "BR",
                    "BE", "SE", "IN", "DK", "RU", "KR", "AT", "PL", "PT", "NO", "CZ", "FI", "IL",
                    "MX", "TW", "ZA", "GR", "IE", "NZ", "TR", "AR", "SG", "IR", "HU", "CL", "SA",
                    "EG"])
KEY = "test-key-config-edits"
FETCH = Counter(fetch_openalex=2)
FAST = {"concurrency": 4, "retries": 3, "timeout_s": 10, "backoff_s": 0.05, "max_backoff_s": 1,
        "filters": {}}
SMALL = {"n_starts": 2, "n_blocs": 3}
STUDY_SETTINGS = {"robustness": {"first": 3, "last": 5}}


def run_with_emulator(workflow: Workflow, *args: str) -> tuple:
    """`snakemake` on the .test study through the emulator; its result and the served calls."""
    stats_path = workflow.root / f"stats-{len(list(workflow.root.glob('stats-*')))}.json"
    prefix = ("python3", str(EMULATOR), "--require-key", "--stats-file", str(stats_path), "--")
    run = workflow.snakemake("--directory", ".test", "--cores", "2", *args, prefix=prefix,
                             env={"OPENALEX_API_KEY": KEY})
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
    return run, stats


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    if not EMULATOR.is_file() or not REAL_DATA.is_dir() or shutil.which("openssl") is None:
        pytest.skip(f"the OpenAlex emulator, its data or openssl is missing (under {EMULATOR})")
    workflow = Workflow(tmp_path_factory.mktemp("openalex-edits") / "copy")
    config = {"source": "openalex", "years": {"first": 2014, "last": 2015},
              "countries": COUNTRIES, "focal": ["KR", "GB"], "focal_records": False,
              "seed": 20080101, "graphs": {"rich_club_randomisations": 2},
              "blockmodels": SMALL, "hypotheses": STUDY_SETTINGS, "openalex": FAST}
    (workflow.root / ".test" / "config").mkdir(parents=True)
    (workflow.root / ".test" / "config" / "config.yaml").write_text(json.dumps(config))
    run, _ = run_with_emulator(workflow)
    assert run.returncode == 0, run.stderr[-3000:]
    assert planned(workflow) == NOTHING
    return workflow


EDITS = {
    # how to talk to OpenAlex changes no row
    "openalex.concurrency": (["openalex={concurrency: 2}"], NOTHING),
    "openalex.retries": (["openalex={retries: 5, timeout_s: 20}"], NOTHING),
    # the filters change every row
    "openalex.filters": (["openalex={filters: {type: article}}"], FETCH | EVERYTHING),
    # the focal pair is read by the study alone: no fetch, no counts
    "focal": (["focal=[KR, US]"], STUDY),
    # the counts do not read it (a synthetic world's do)
    "seed": (["seed=7"], GRAPH_STATS | BLOCKMODELS | STUDY),
    # the counting scheme's rows are other rows (a manifest of their own)
    "counting": (["counting=capped"], FETCH | EVERYTHING),
    "countries": ([f"countries=[{', '.join(COUNTRIES)}, CO]"], FETCH | EVERYTHING),
    # research-field layers: their own fetch, counts, exports, graph statistics, fits and year
    # studies, the study read across the layers and its page, the combined tables and what reads
    # them, the provenance and what shows it; no fetch, graph or fit of all-science
    "layers": (["layers=domains"],
               Counter(fetch_openalex_layer=8, counts_layer_year=8, graphs_layer_exports=8,
                       graph_stats_layer_year=8, blockmodels_layer_year=8,
                       hypotheses_layer_year=8, layers_study=1, report_layers=1,
                       graphs_multilayer_pajek=2, counts_combine=3, counts_data_quality=1,
                       provenance=1, report_set_aside=1, study=1, report_index=1,
                       report_year=2)),
}


test_an_edit_reruns_exactly_the_jobs_that_read_it = reruns_test(EDITS)


def test_a_new_country_fetches_its_rows_only(study, tmp_path):
    copy = study.copied_to(tmp_path / "copy")
    run, stats = run_with_emulator(copy, "--config", f"countries=[{', '.join(COUNTRIES)}, CO]")
    assert run.returncode == 0, run.stderr[-3000:]
    asked = [query for query in stats["served_whole"] if "countries_distinct_count" in query]
    assert asked and all("authorships.countries:CO" in query for query in asked), asked
    assert all(any(f"publication_year:{year}" in query for query in asked)
               for year in (2014, 2015))
