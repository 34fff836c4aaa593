"""The real fetch -> counts path: `snakemake` with pyalex, over HTTPS, against the emulator.

The emulator (../shared/tools/openalex_emulator.py) serves the real OpenAlex country rows from the
Pajek networks as an HTTPS proxy for api.openalex.org, so the counts a correct fetch produces are
known exactly: they are the Pajek networks' pairs.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from bibnet.pajek import read_network

pytestmark = pytest.mark.e2e

# 25 countries; in 2014-2016 the US and the UK rows have more than 200 partners (two pages).
COUNTRIES = ["AT", "AU", "BE", "BR", "CA", "CH", "CN", "DE", "DK", "ES", "FR", "GB", "IN", "IT",
             "JP", "KE", "KR", "NA", "NL", "PL", "RU", "SE", "US", "XK", "ZA"]
YEARS = {"first": 2014, "last": 2016}
KEY = "test-key-4f1c9e0b7d"
FAULTS = ["--fail-rate", "0.2", "--truncate-rate", "0.1", "--stall-rate", "0.02",
          "--stall-s", "120", "--burst-limit", "20"]
# Short waits so that a run full of faults stays quick; the 120 s stalls are cut by the timeout.
FAST_RETRIES = {"concurrency": 8, "retries": 12, "timeout_s": 3, "backoff_s": 0.05,
                "max_backoff_s": 1, "filters": {}}


def expected_counts(real_data) -> pd.DataFrame:
    """The pairs among COUNTRIES straight from the Pajek networks (the larger of two arcs)."""
    records = []
    for year in range(YEARS["first"], YEARS["last"] + 1):
        network = read_network(real_data / f"WrldCo{year}.net")
        index = [network.codes.index(code) for code in COUNTRIES]
        block = network.matrix[np.ix_(index, index)]
        block = np.maximum(block, block.T)
        for i, j in zip(*np.triu_indices(len(COUNTRIES), k=1)):
            if block[i, j] > 0:
                records.append({"year": year, "country_a": COUNTRIES[i],
                                "country_b": COUNTRIES[j], "works": int(block[i, j])})
    return pd.DataFrame.from_records(records)


def calls_needed(real_data) -> int:
    """One call per page of 200 groups (partners and the country itself), for every row."""
    calls = 0
    for year in range(YEARS["first"], YEARS["last"] + 1):
        network = read_network(real_data / f"WrldCo{year}.net")
        for code in COUNTRIES:
            groups = np.count_nonzero(network.matrix[network.codes.index(code)])
            calls += max(1, -(-groups // 200))
    return calls


def run_against_emulator(workflow, emulator, *emulator_args, key=KEY):
    stats_path = workflow.root / f"stats-{len(list(workflow.root.glob('stats-*')))}.json"
    prefix = ("python3", str(emulator), "--require-key", *emulator_args,
              "--stats-file", str(stats_path), "--")
    # the fetch -> counts path only: later stages are tested on their own
    result = workflow.snakemake("data/processed/counts.parquet", "data/processed/country_totals.parquet",
                                "data/processed/provenance.json",
                                prefix=prefix, env={"OPENALEX_API_KEY": key})
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else None
    return result, stats


def counts_of(workflow) -> pd.DataFrame:
    """The counts without their layer column, which says all-science (layers: none)."""
    frame = pd.read_parquet(workflow.root / "data" / "processed" / "counts.parquet")
    assert (frame.pop("layer") == "all").all()
    return frame.astype({"country_a": object, "country_b": object})


def assert_key_never_written(workflow):
    for path in [*workflow.written(), *(workflow.root / ".snakemake" / "log").glob("*")]:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path


@pytest.fixture
def study(workflow):
    # the emulator serves only the country rows; the focal records are proven by
    # tests/fetch/test_records_fetch.py against a scripted fake
    workflow.configure(source="openalex", countries=COUNTRIES, focal=["KR", "GB"], years=YEARS,
                       openalex=FAST_RETRIES, focal_records=False)
    return workflow


@pytest.mark.parametrize("faults", [[], FAULTS], ids=["clean", "faults"])
def test_fetch_to_counts_equals_the_real_networks(study, emulator, real_data, faults):
    result, stats = run_against_emulator(study, emulator, "--seed", "7", *faults)
    assert result.returncode == 0, result.stderr[-3000:]
    pd.testing.assert_frame_equal(counts_of(study), expected_counts(real_data),
                                  check_dtype=False)
    assert stats["served_whole_more_than_once"] == {}
    # every page of every row once; the US and UK rows (and others) have more than one page
    assert len(stats["served_whole"]) == calls_needed(real_data) > len(COUNTRIES) * 3
    if faults:
        assert {"429", "503"} <= set(stats["by_status"])
    assert_key_never_written(study)
    totals = pd.read_parquet(study.root / "data" / "processed" / "country_totals.parquet")
    assert sorted(totals["country"].unique()) == sorted(COUNTRIES)


def test_budget_stop_then_resume_gives_the_clean_result(study, emulator, real_data):
    stopped, first = run_against_emulator(study, emulator, "--daily-budget", "40")
    assert stopped.returncode != 0
    message = stopped.stderr
    assert "daily request budget is spent" in message
    assert "rows are done and kept" in message and "are left" in message
    assert "resets at" in message and "resumes" in message
    assert not (study.root / "data" / "processed" / "counts.parquet").exists()

    resumed, second = run_against_emulator(study, emulator)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    pd.testing.assert_frame_equal(counts_of(study), expected_counts(real_data),
                                  check_dtype=False)
    # The second run asks nothing the first received whole, except the first page of a
    # row whose second page the budget cut off: a row is never kept half-paged.
    asked_again = set(first["served_whole"]) & set(second["served_whole"])
    assert all("cursor=*" in query for query in asked_again)
    assert len(asked_again) <= FAST_RETRIES["concurrency"]
    assert second["served_whole_more_than_once"] == {}
    assert_key_never_written(study)


def test_no_key_stops_before_the_first_job(study, emulator):
    result, stats = run_against_emulator(study, emulator, key="")
    assert result.returncode != 0
    assert "OPENALEX_API_KEY is not set" in result.stderr
    assert "source: pajek" in result.stderr
    assert "Traceback" not in result.stderr and not (study.root / "logs").exists()
    assert stats["list_calls"] == 0
    assert not list((study.root / "data").rglob("*.json"))


def test_no_network_stops_before_the_first_job_at_once(study):
    from test_fetch import closed_port

    started = time.monotonic()
    result = study.snakemake(env={"OPENALEX_API_KEY": KEY, "REQUESTS_CA_BUNDLE": "",
                                  "HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}"})
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert ("OpenAlex cannot be reached: the proxy in HTTPS_PROXY cannot be reached (the "
            "connection was refused)") in result.stderr
    assert "source=synthetic" in result.stderr
    assert "Traceback" not in result.stderr and not (study.root / "logs").exists()
    assert not (study.root / "data").exists()
    assert elapsed < 60  # Snakemake's start and the plan; measured 9 s (was 2 min 42 s)
