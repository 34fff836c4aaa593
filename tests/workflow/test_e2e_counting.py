"""Counting schemes end to end: `snakemake` with pyalex, over HTTPS, against the emulator's works
mode serving a SYNTHETIC corpus drawn by `bibnet.simulate.works`.

The emulator answers every ``countries_distinct_count`` stratum and ``/rate-limit`` truthfully
from the corpus, so the counts a correct fetch produces are known: `pair_matrix` of the same
works. Exact strata must match exactly, binned ones within `Stratum.weight_spread` per work.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from bibnet.counting import Counting
from bibnet.counts import WORKS_QUANTUM
from bibnet.outputs import COUNTING_KEY
from bibnet.simulate.works import draw_works, pair_matrix, stratum_counts, write_jsonl

pytestmark = pytest.mark.e2e

COUNTRIES = ["AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CZ", "DE", "DK", "ES", "FI",
             "FR", "GB", "GR", "IL", "IN", "IT", "JP", "KR", "MX", "NL", "NO", "PL", "PT", "SE",
             "US", "ZA"]
YEARS = {"first": 2014, "last": 2016}
WORKS_PER_YEAR = 3000
KEY = "test-key-counting-5e2a"
FAULTS = ["--fail-rate", "0.2", "--truncate-rate", "0.1", "--stall-rate", "0.02",
          "--stall-s", "120", "--burst-limit", "20"]
FAST_RETRIES = {"concurrency": 8, "retries": 12, "timeout_s": 3, "backoff_s": 0.05,
                "max_backoff_s": 1, "filters": {}}
TARGETS = ("data/processed/counts.parquet", "data/processed/country_totals.parquet",
           "data/processed/provenance.json")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The works of each year (30 countries, sizes by COUNTRIES_PER_WORK) and their file."""
    rng = np.random.default_rng(13)
    weights = np.sort(rng.lognormal(0.0, 1.2, len(COUNTRIES)))[::-1]
    works = {year: draw_works(COUNTRIES, WORKS_PER_YEAR, seed=year, weights=weights)
             for year in range(YEARS["first"], YEARS["last"] + 1)}
    path = write_jsonl(tmp_path_factory.mktemp("corpus") / "works.jsonl.gz", works)
    return works, path


@pytest.fixture
def study(workflow):
    workflow.configure(source="openalex", countries=COUNTRIES, focal=["KR", "GB"], years=YEARS,
                       openalex=FAST_RETRIES, focal_records=False)
    return workflow


def run(workflow, emulator, corpus_path, *emulator_args, key=KEY, targets=TARGETS, config=()):
    stats_path = workflow.root / f"stats-{len(list(workflow.root.glob('stats-*')))}.json"
    prefix = ("python3", str(emulator), "--works", str(corpus_path), "--require-key",
              *emulator_args, "--stats-file", str(stats_path), "--")
    args = [*targets, *(["--config", *config] if config else [])]
    result = workflow.snakemake(*args, prefix=prefix, env={"OPENALEX_API_KEY": key})
    stats = json.loads(stats_path.read_text()) if stats_path.exists() else None
    return result, stats


def expected(works_by_year, counting: Counting) -> tuple[pd.DataFrame, dict]:
    """The pairs straight from the corpus, and each pair's binning bound."""
    records, bounds = [], {}
    for year, works in sorted(works_by_year.items()):
        pairs, _ = pair_matrix(works, counting)
        bound = sum((stratum_counts(works, s) * s.weight_spread for s in counting.strata
                     if not s.exact), np.zeros_like(pairs))
        for i, j in zip(*np.triu_indices(len(works.codes), k=1)):
            if pairs[i, j] > 0:
                key = (year, works.codes[i], works.codes[j])
                records.append(dict(zip(("year", "country_a", "country_b"), key),
                                    works=pairs[i, j]))
                bounds[key] = bound[i, j]
    return pd.DataFrame.from_records(records), bounds


def counts_of(workflow) -> pd.DataFrame:
    """The counts without their layer column, which says all-science (layers: none)."""
    frame = pd.read_parquet(workflow.root / "data" / "processed" / "counts.parquet")
    assert (frame.pop("layer") == "all").all()
    return frame.astype({"country_a": object, "country_b": object})


def planned_calls(result) -> tuple[int, int, int]:
    """The calls the plan printed before the first fetch job: fewest, likely and most."""
    output = result.stdout + result.stderr
    found = re.search(r"the fetch needs ([\d,]+) to ([\d,]+) calls, likely ([\d,]+)", output)
    if found:
        fewest, most, likely = (int(n.replace(",", "")) for n in found.groups())
        return fewest, likely, most
    found = re.search(r"the fetch needs ([\d,]+) calls", output)
    assert found, "no fetch plan was printed"
    calls = int(found.group(1).replace(",", ""))
    return calls, calls, calls


def assert_within_bounds(fetched: pd.DataFrame, direct: pd.DataFrame, bounds: dict) -> float:
    """Fetched pairs equal the direct ones within each pair's bound; the largest error."""
    merged = fetched.merge(direct, on=["year", "country_a", "country_b"], how="outer",
                           suffixes=("_fetched", "_direct"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    error = (merged["works_fetched"] - merged["works_direct"]).abs()
    bound = [bounds[key] for key in zip(merged["year"], merged["country_a"], merged["country_b"])]
    assert (error <= np.array(bound) + WORKS_QUANTUM).all()
    exact = np.array(bound) == 0
    assert np.allclose(merged["works_fetched"][exact], merged["works_direct"][exact],
                       rtol=0, atol=WORKS_QUANTUM / 2)
    return float(error.max())


def assert_exact_strata_equal_the_corpus(workflow, works_by_year) -> None:
    """Every cached row of every exact stratum holds the corpus's counts, partner by partner
    (with 30 countries the consortia touch nearly every pair, so this is where exactness
    shows)."""
    raw = workflow.root / "data" / "raw" / "openalex"
    for year, works in works_by_year.items():
        for stratum in Counting("fractional").strata:
            if not stratum.exact:
                continue
            matrix = stratum_counts(works, stratum)
            for i, code in enumerate(works.codes):
                row = json.loads((raw / str(year) / stratum.name / f"{code}.json").read_text())
                got = {g["code"]: g["count"] for g in row["groups"]}
                want = {works.codes[j]: int(matrix[i, j]) for j in np.flatnonzero(matrix[i])}
                assert got == want, (year, stratum, code)


@pytest.mark.parametrize("faults", [[], FAULTS], ids=["clean", "faults"])
def test_fractional_counts_equal_the_corpus(study, emulator, corpus, faults):
    works, path = corpus
    study.configure(counting="fractional")
    result, stats = run(study, emulator, path, "--seed", "5", *faults)
    assert result.returncode == 0, result.stderr[-3000:]
    direct, bounds = expected(works, Counting("fractional"))
    largest = assert_within_bounds(counts_of(study), direct, bounds)
    assert 0 < largest < max(bounds.values())
    assert_exact_strata_equal_the_corpus(study, works)
    # every query once: nothing lost, nothing duplicated, even through faults
    assert stats["served_whole_more_than_once"] == {}
    strata = len(Counting("fractional").strata)
    assert len(stats["served_whole"]) == len(COUNTRIES) * 3 * strata
    if faults:
        assert {"429", "503"} <= set(stats["by_status"])
    else:
        made = stats["list_calls"]
        fewest, likely, most = planned_calls(result)
        assert abs(likely - made) <= 0.05 * made and fewest <= made <= most
    frame = pd.read_parquet(study.root / "data" / "processed" / "counts.parquet")
    assert frame.attrs[COUNTING_KEY] == "fractional"
    totals = pd.read_parquet(study.root / "data" / "processed" / "country_totals.parquet")
    for year, group in totals.groupby("year"):  # a country's strength is its works
        strength = pd.concat([frame[frame.year == year].groupby(side)["works"].sum()
                              for side in ("country_a", "country_b")]).groupby(level=0).sum()
        # binned strata keep each row's strength, not each pair's: equal to rounding in sums
        assert np.allclose(strength.reindex(group["country"]).fillna(0).to_numpy(),
                           group["intl_works"].to_numpy(), rtol=0.02)
    provenance = json.loads((study.root / "data" / "processed" / "provenance.json").read_text())
    assert provenance["counting"]["scheme"] == "fractional"


def test_capped_counts_equal_the_corpus(study, emulator, corpus):
    works, path = corpus
    study.configure(counting="capped", max_countries=5)
    result, stats = run(study, emulator, path)
    assert result.returncode == 0, result.stderr[-3000:]
    direct, _ = expected(works, Counting("capped", 5))
    fetched = counts_of(study)
    assert fetched["works"].dtype == np.int64
    pd.testing.assert_frame_equal(fetched, direct.astype({"works": np.int64}), check_dtype=False)
    assert len(stats["served_whole"]) == stats["list_calls"] == len(COUNTRIES) * 3
    assert planned_calls(result)[1] == stats["list_calls"]
    assert all("countries_distinct_count:2-5" in q for q in stats["served_whole"])


def test_switching_counting_fetches_only_what_the_new_scheme_needs(study, emulator, corpus):
    works, path = corpus
    rows = len(COUNTRIES) * 3
    whole, first = run(study, emulator, path)
    assert whole.returncode == 0, whole.stderr[-3000:]
    assert first["list_calls"] == rows
    direct, _ = expected(works, Counting("whole"))
    pd.testing.assert_frame_equal(counts_of(study), direct.astype({"works": np.int64}),
                                  check_dtype=False)

    fractional, second = run(study, emulator, path, config=["counting=fractional"])
    assert fractional.returncode == 0, fractional.stderr[-3000:]
    assert second["list_calls"] == rows * len(Counting("fractional").strata)
    assert not set(first["served_whole"]) & set(second["served_whole"])
    assert counts_of(study)["works"].dtype == np.float64

    # capped at 2 is the fractional scheme's stratum of two countries: no call at all
    capped, third = run(study, emulator, path, config=["counting=capped", "max_countries=2"])
    assert capped.returncode == 0, capped.stderr[-3000:]
    assert third["list_calls"] == 0
    direct, _ = expected(works, Counting("capped", 2))
    pd.testing.assert_frame_equal(counts_of(study), direct.astype({"works": np.int64}),
                                  check_dtype=False)

    # back to whole: its rows are still cached, and its counts come back unchanged
    again, fourth = run(study, emulator, path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert fourth["list_calls"] == 0
    direct, _ = expected(works, Counting("whole"))
    pd.testing.assert_frame_equal(counts_of(study), direct.astype({"works": np.int64}),
                                  check_dtype=False)


def test_budget_stop_then_resume_repeats_no_finished_query(study, emulator, corpus):
    works, path = corpus
    study.configure(counting="fractional")
    budget = 400
    stopped, first = run(study, emulator, path, "--daily-budget", str(budget))
    assert stopped.returncode != 0
    output = stopped.stdout + stopped.stderr
    # the plan said so before the first call, with the figures the stop then repeats
    fewest, _, most = planned_calls(stopped)
    assert f"budget left: ${budget * 0.0001:.4f}" in output
    # every stratum can take two pages: at the most it stops in 2014 already
    assert "the run will STOP in year 2015 at the latest (in year 2014" in output
    assert f"{fewest - budget} to {most - budget} calls" in output
    assert "daily request budget is spent in year 2015" in output, output[-4000:]
    # the stop counts what every year still to fetch needs, not the stopped year's alone
    assert re.search(r"are left; the run still needs [\d,]+ to [\d,]+ calls, likely [\d,]+ "
                     r"\(\$0\.\d{4} to \$0\.\d{4}\) for years 2015-2016: the rows of 2 years",
                     output)
    assert "resets at" in output and "resumes" in output
    assert not (study.root / "data" / "processed" / "counts.parquet").exists()

    resumed, second = run(study, emulator, path)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    asked_again = set(first["served_whole"]) & set(second["served_whole"])
    assert not asked_again  # every stratum fits one page, so no query was cut half-paged
    assert len(first["served_whole"]) + len(second["served_whole"]) == \
        len(COUNTRIES) * 3 * len(Counting("fractional").strata)
    direct, bounds = expected(works, Counting("fractional"))
    assert_within_bounds(counts_of(study), direct, bounds)


def test_no_key_names_the_offline_sources_before_any_call(study, emulator, corpus):
    _, path = corpus
    study.configure(counting="fractional")
    result, stats = run(study, emulator, path, key="")
    assert result.returncode != 0
    assert "OPENALEX_API_KEY is not set" in result.stderr
    assert "--config source=synthetic" in result.stderr and "source: pajek" in result.stderr
    assert stats["list_calls"] == 0
