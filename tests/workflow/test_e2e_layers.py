"""Research-field layers end to end: `snakemake` with pyalex, over HTTPS, against the emulator's
works mode serving a SYNTHETIC corpus with fields (``make-works --fields``).

The emulator answers the field and domain filters and the works-by-field group-by exactly from
the corpus, so every layer's counts are known: the corpus's own works of that field or domain,
counted by the scheme. One work in 25 has its field taken away: such works count in
all-science and in no layer, and provenance must say how many.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess

import numpy as np
import pandas as pd
import pytest

from bibnet.counting import Counting
from bibnet.counts import WORKS_QUANTUM
from bibnet.pajek import read_relations
from bibnet.simulate.works import WorkSet, pair_matrix, stratum_counts
from bibnet.taxonomy import ALL_SCIENCE, DOMAIN_LAYERS, FIELDS, Layer, field_layer
from conftest import EMULATOR, REAL_DATA

pytestmark = pytest.mark.e2e

YEARS = {"first": 2014, "last": 2015}
KEY = "test-key-layers-7c1d"
NO_TOPIC_EVERY = 25
FAST_RETRIES = {"concurrency": 8, "retries": 12, "timeout_s": 10, "backoff_s": 0.05,
                "max_backoff_s": 1, "filters": {}}
TABLES = ("data/processed/counts.parquet", "data/processed/country_totals.parquet",
          "data/processed/provenance.json")
TWO_FIELDS = [field_layer("Engineering"), field_layer("Medicine")]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The corpus file and its works: 20 countries, 2 years of 3,000 works, every 25th work
    without a field."""
    if not EMULATOR.is_file() or not REAL_DATA.is_dir():
        pytest.skip(f"the OpenAlex emulator (and the real networks it ranks countries by) are "
                    f"not at {EMULATOR}")
    folder = tmp_path_factory.mktemp("layers-corpus")
    made = folder / "made.jsonl.gz"
    subprocess.run(["python3", str(EMULATOR), "make-works", str(made), "--years", "2014-2015",
                    "--countries", "20", "--works-per-year", "3000", "--seed", "3", "--fields"],
                   check=True, capture_output=True)
    works = [json.loads(line) for line in gzip.open(made, "rt", encoding="utf-8")]
    for number, work in enumerate(works):
        if number % NO_TOPIC_EVERY == 0:
            del work["field"]
    path = folder / "works.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(work) + "\n" for work in works)
    return works, path


def in_layer(work: dict, layer: Layer) -> bool:
    if layer.is_all:
        return True
    field = work.get("field")
    if layer.kind == "field":
        return field == layer.id
    return field is not None and FIELDS[field][1] == layer.id


def work_set(works: list[dict], codes: list[str]) -> WorkSet:
    index = {code: i for i, code in enumerate(codes)}
    members = [sorted(index[code] for code in work["countries"]) for work in works]
    offsets = np.concatenate([[0], np.cumsum([len(m) for m in members])]).astype(np.int64)
    return WorkSet(tuple(codes), offsets, np.array([i for m in members for i in m], np.int64))


def expected(works: list[dict], layer: Layer, counting: Counting, countries=None):
    """The layer's pairs and totals straight from the corpus, and each pair's binning bound."""
    codes = sorted({code for work in works for code in work["countries"]})
    pairs, totals, bounds = [], [], {}
    for year in range(YEARS["first"], YEARS["last"] + 1):
        chosen = work_set([w for w in works if w["publication_year"] == year
                           and in_layer(w, layer)], codes)
        matrix, intl = pair_matrix(chosen, counting)
        bound = sum((stratum_counts(chosen, s) * s.weight_spread for s in counting.strata
                     if not s.exact), np.zeros_like(matrix))
        for i, j in zip(*np.triu_indices(len(codes), k=1)):
            if matrix[i, j] > 0 and (countries is None or {codes[i], codes[j]} <= set(countries)):
                pairs.append({"year": year, "country_a": codes[i], "country_b": codes[j],
                              "works": matrix[i, j]})
                bounds[(year, codes[i], codes[j])] = bound[i, j]
        totals += [{"year": year, "country": code, "intl_works": int(n)}
                   for code, n in zip(codes, intl)
                   if (n > 0 if countries is None else code in countries)]
    return pd.DataFrame.from_records(pairs), pd.DataFrame.from_records(totals), bounds


def run(workflow, emulator, corpus_path, targets=TABLES):
    stats_path = workflow.root / f"stats-{len(list(workflow.root.glob('stats-*')))}.json"
    prefix = ("python3", str(emulator), "--works", str(corpus_path), "--require-key",
              "--stats-file", str(stats_path), "--")
    result = workflow.snakemake(*targets, prefix=prefix, env={"OPENALEX_API_KEY": KEY})
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return result, json.loads(stats_path.read_text())


def layer_table(workflow, table: str, layer: Layer) -> pd.DataFrame:
    frame = pd.read_parquet(workflow.root / "data" / "processed" / f"{table}.parquet")
    frame = frame[frame["layer"] == layer.name].drop(columns="layer").reset_index(drop=True)
    return frame.astype({column: object for column in frame if frame[column].dtype == "string"})


def assert_layer_counts(workflow, works, layer, counting, countries=None):
    pairs, totals, bounds = expected(works, layer, counting, countries)
    fetched = layer_table(workflow, "counts", layer)
    pd.testing.assert_frame_equal(layer_table(workflow, "country_totals", layer), totals,
                                  check_dtype=False)
    if counting.scheme != "fractional":
        pd.testing.assert_frame_equal(fetched, pairs, check_dtype=False)
        return
    merged = fetched.merge(pairs, on=["year", "country_a", "country_b"], how="outer",
                           suffixes=("_fetched", "_corpus"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    bound = np.array([bounds[key] for key in
                      zip(merged["year"], merged["country_a"], merged["country_b"])])
    error = (merged["works_fetched"] - merged["works_corpus"]).abs().to_numpy()
    assert (error <= bound + WORKS_QUANTUM).all()


def planned(result) -> tuple[int, int, int, int]:
    """All-science's likely calls, and the whole run's fewest, likely and most, as the plan
    printed them before any fetch."""
    text = result.stdout + result.stderr
    found = re.search(r"with all-science's ([\d,]+): ([\d,]+) to ([\d,]+) calls, "
                      r"likely ([\d,]+)", text)
    assert found, "no plan of the layers was printed"
    base, fewest, most, likely = (int(group.replace(",", "")) for group in found.groups())
    return base, fewest, likely, most


def test_adding_domains_fetches_only_the_layers_and_counts_each_as_the_corpus(
        workflow, emulator, corpus):
    works, path = corpus
    workflow.configure(source="openalex", countries="all", years=YEARS, focal=["KR", "GB"],
                       openalex=FAST_RETRIES, focal_records=False)
    _, before = run(workflow, emulator, path)
    assert not any("primary_topic" in query for query in before["served_whole"])
    all_science = layer_table(workflow, "counts", ALL_SCIENCE)

    workflow.configure(layers="domains")
    multilayer = [f"data/processed/graphs/{year}.layers.net" for year in (2014, 2015)]
    exports = [f"data/processed/layers/{DOMAIN_LAYERS[2].tag}/graphs/2015.{suffix}"
               for suffix in ("graphml", "net")]
    result, after = run(workflow, emulator, path, (*TABLES, *multilayer, *exports))
    # all-science was cached: every query now has a topic filter or is the works by field
    assert all("primary_topic" in query for query in after["served_whole"])
    assert after["served_whole_more_than_once"] == {}
    coverage = [q for q in after["served_whole"] if "group-by=primary_topic" in q]
    assert len(coverage) == 2  # one a year
    # the plan, from the cached all-science lists: every layer at most as many countries
    base_calls, fewest, likely, most = planned(result)
    assert base_calls == 0
    assert fewest <= after["list_calls"] <= likely <= 1.1 * after["list_calls"], result.stdout
    assert likely <= most

    pd.testing.assert_frame_equal(layer_table(workflow, "counts", ALL_SCIENCE), all_science)
    for layer in (ALL_SCIENCE, *DOMAIN_LAYERS):
        assert_layer_counts(workflow, works, layer, Counting())

    provenance = json.loads((workflow.root / "data/processed/provenance.json").read_text())
    for year in (2014, 2015):
        international = [w for w in works if w["publication_year"] == year
                         and len(w["countries"]) > 1]
        assert provenance["layers"]["without_primary_topic"][str(year)] == {
            "works": len(international),
            "without_primary_topic": sum("field" not in w for w in international),
            "share_without": round(sum("field" not in w for w in international)
                                   / len(international), 6)}
    assert set(provenance["layers"]["calls"]) == {layer.name for layer in DOMAIN_LAYERS}
    assert provenance["openalex"]["calls"] == before["list_calls"] + after["list_calls"]

    # the multi-relational network holds each layer's counts as one relation
    counts = pd.read_parquet(workflow.root / "data/processed/counts.parquet")
    relations = read_relations(workflow.root / multilayer[1])
    assert relations.names == ("all", *(layer.name for layer in DOMAIN_LAYERS))
    index = {code: i for i, code in enumerate(relations.codes)}
    for name, matrix in zip(relations.names, relations.matrices):
        pairs = counts[(counts["year"] == 2015) & (counts["layer"] == name)]
        want = np.zeros_like(matrix)
        want[pairs["country_a"].map(index), pairs["country_b"].map(index)] = pairs["works"]
        np.testing.assert_array_equal(matrix, want + want.T)
    graphml = (workflow.root / exports[0]).read_text(encoding="utf-8")
    assert "Physical Sciences" in graphml


@pytest.mark.parametrize("counting", [Counting("fractional"), Counting("capped", 5)],
                         ids=["fractional", "capped5"])
def test_every_scheme_counts_each_field_as_the_corpus(workflow, emulator, corpus, counting):
    works, path = corpus
    countries = sorted({code for work in works for code in work["countries"]})[:12]
    if "KR" not in countries:
        countries[-1] = "KR"
    if "GB" not in countries:
        countries[-2] = "GB"
    workflow.configure(source="openalex", countries=countries, years=YEARS, focal=["KR", "GB"],
                       openalex=FAST_RETRIES, focal_records=False, counting=counting.scheme,
                       max_countries=counting.max_countries,
                       layers=[TWO_FIELDS[0].name, f"fields/{TWO_FIELDS[1].id}"])
    result, stats = run(workflow, emulator, path)
    for layer in (ALL_SCIENCE, *TWO_FIELDS):
        assert_layer_counts(workflow, works, layer, counting, countries)
    # a country list and one page a query: the plan is exact
    strata = len(counting.strata)
    assert stats["list_calls"] == planned(result)[2] == \
        len(countries) * 2 * strata * 3 + 2
    assert stats["served_whole_more_than_once"] == {}
