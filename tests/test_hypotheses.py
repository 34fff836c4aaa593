"""The study's rules, measures and outputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bibnet.blockmodels.files import write_year as write_blockmodels
from bibnet.config import check_config
from bibnet.counts import build_year, write_provenance
from bibnet.graphs import build_year_graph
from bibnet.hypotheses import (
    affinity_trend,
    centres_evidence,
    centres_verdict,
    dynamics_table,
    first_years,
    hwang_verdict,
    pair_measures,
    wilson_interval,
    write_study,
)


@pytest.mark.parametrize("delta, p, expected", [
    (10.0, 0.05, "several centres"),      # both thresholds met exactly
    (10.0, 0.0501, "undecided"),          # p just above alpha
    (9.999, 0.0, "undecided"),            # delta just below the margin
    (-10.0, 0.0501, "one centre"),
    (-10.0, 0.05, "undecided"),           # p at alpha is evidence for several, not one
    (-9.999, 0.9, "undecided"),
    (0.0, 0.5, "undecided"),
])
def test_centres_rule_at_its_thresholds(delta, p, expected):
    assert centres_verdict(delta, p, margin=10, alpha=0.05) == expected


@pytest.mark.parametrize("p_semi, p_core, expected", [
    (0.5, 0.9, "supported"), (0.4999, 0.9, "not supported"), (0.5, 0.8999, "not supported"),
    (1.0, 1.0, "supported"), (float("nan"), 1.0, "undecided"),
])
def test_hwang_rule_at_its_thresholds(p_semi, p_core, expected):
    assert hwang_verdict(p_semi, p_core, semi_min=0.5, core_min=0.9) == expected


def test_centres_evidence_reads_the_criterion_difference_and_test():
    variant = {"codes": ["A", "B", "C"], "selected": "sbm(K=2, dc)",
               "best_one_centre": "layered(dc)", "best_several_centres": "mc(dc)",
               "test": {"statistic": 30.0, "p_value": 0.01, "replicates": 99},
               "fits": [{"model": "layered(dc)", "family": "layered", "criterion": 120.0},
                        {"model": "mc(dc)", "family": "multi_core_pairs", "criterion": 100.0},
                        {"model": "sbm(K=2, dc)", "family": "sbm", "criterion": 90.0}]}
    evidence = centres_evidence(variant, margin=10, alpha=0.05)
    assert evidence["criterion_difference"] == 20.0
    assert evidence["selected_family"] == "sbm"
    assert evidence["verdict"] == "several centres"
    assert centres_evidence(variant, margin=25, alpha=0.05)["verdict"] == "undecided"


def test_wilson_interval_matches_the_formula():
    low, high = wilson_interval(np.array([0.5]), 100)
    # p = 0.5, n = 100: centre 0.5, half-width z sqrt(0.25/100 + z^2/40000) / (1 + z^2/100)
    z = 1.959963984540054
    half = z * np.sqrt(0.0025 + z * z / 40000) / (1 + z * z / 100)
    assert low[0] == pytest.approx(0.5 - half) and high[0] == pytest.approx(0.5 + half)


def tiers_frame(rows):
    return pd.DataFrame.from_records(
        [{"year": y, "variant": "all", "country": c, "model": "layered",
          "model_name": "layered(dc)", "tier": t, "p_core": pc, "p_semi": ps,
          "p_periphery": 1 - pc - ps} for y, c, t, pc, ps in rows])


def test_dynamics_counts_core_size_transitions_and_moves():
    tiers = tiers_frame([(2000, "US", "core", 1, 0), (2000, "KR", "periphery", 0, 0),
                         (2000, "GB", "core", 1, 0),
                         (2001, "US", "core", 1, 0), (2001, "KR", "semi-periphery", 0, 1),
                         (2001, "GB", "semi-periphery", 0, 1),
                         (2002, "US", "core", 1, 0), (2002, "KR", "core", 1, 0),
                         (2002, "GB", "core", 1, 0)])
    table = dynamics_table(tiers, "layered")
    sizes = table[table["kind"] == "core_size"]
    assert sizes["countries"].tolist() == [2, 1, 3]
    moves = table[table["kind"] == "move"]
    assert moves[["year_from", "country", "tier_from", "tier_to", "direction"]].values.tolist() == [
        [2000, "GB", "core", "semi-periphery", "down"],
        [2000, "KR", "periphery", "semi-periphery", "up"],
        [2001, "GB", "semi-periphery", "core", "up"],
        [2001, "KR", "semi-periphery", "core", "up"]]
    period = table[table["kind"] == "period_transition"]
    assert set(map(tuple, period[["tier_from", "tier_to", "countries"]].values.tolist())) == {
        ("core", "core", 2), ("periphery", "core", 1)}
    # every country present in consecutive years is in exactly one transition cell
    steps = table[table["kind"] == "transition"].groupby("year_from")["countries"].sum()
    assert steps.tolist() == [3, 3]


def test_first_years_at_the_threshold():
    tiers = tiers_frame([(2000, "KR", "periphery", 0.0, 0.5), (2001, "KR", "semi", 0.0, 0.9),
                         (2002, "KR", "semi", 0.5, 0.45), (2003, "KR", "core", 0.9, 0.1),
                         (2000, "GB", "core", 0.95, 0.05)])
    found = first_years(tiers, "layered", 0.9)
    assert found == {"GB": {"semi_periphery": 2000, "core": 2000},
                     "KR": {"semi_periphery": 2001, "core": 2003}}


def test_pair_measures_by_hand():
    counts = pd.DataFrame({"year": 2000, "country_a": ["GB", "GB", "KR", "KR"],
                           "country_b": ["KR", "US", "US", "ZA"], "works": [2, 10, 6, 2]})
    totals = pd.DataFrame({"year": 2000, "country": ["GB", "KR", "US", "ZA"],
                           "intl_works": [20, 10, 30, 2]})
    graph = build_year_graph(counts, totals)
    measures = pair_measures(graph, ["KR", "GB"], core={"US", "GB"})
    # strengths: GB 12, KR 10, US 16, ZA 2; total strength 40 (= 2W)
    assert measures["works"] == 2
    assert measures["expected"] == pytest.approx(10 * 12 / 40)
    assert measures["affinity"] == pytest.approx(2 / 3)
    assert measures["KR_share_to_core"] == pytest.approx(8 / 10)   # to GB and US
    assert measures["GB_share_to_core"] == pytest.approx(10 / 12)  # to US only, not itself
    assert measures["KR_share_to_partner"] == pytest.approx(2 / 10)
    assert measures["GB_share_to_partner"] == pytest.approx(2 / 12)


def test_affinity_trend_is_mann_kendall_and_theil_sen():
    years = list(range(2000, 2010))
    rising = [1 + 0.1 * i for i in range(10)]
    rising[6] = 5.0  # a one-year artefact moves the ranks little
    trend = affinity_trend(years, rising)
    assert trend["kendall_tau"] > 0.8 and trend["p_value"] < 0.01
    assert trend["theil_sen_slope"] == pytest.approx(0.1, rel=0.05)
    assert affinity_trend(years[:2], rising[:2])["p_value"] is None


@pytest.fixture(scope="module")
def synthetic_study(tmp_path_factory):
    """A small synthetic study run through the stages' own write functions."""
    tmp_path = tmp_path_factory.mktemp("study")
    config = check_config({
        "source": "synthetic", "years": {"first": 2001, "last": 2003}, "countries": "all",
        "focal": ["KR", "GB"], "seed": 11,
        "synthetic": {"family": "layered", "n_countries": 50, "place": {"KR": 1, "GB": 0}},
        "blockmodels": {"n_starts": 2, "test_replicates": 4, "tier_replicates": 10,
                        "without_largest": True, "window_years": 3}})
    paths = {}
    for year in (2001, 2002, 2003):
        paths[year] = [tmp_path / f"{name}-{year}.parquet" for name in ("c", "t", "a")]
        build_year(config, year, [], *paths[year])
    fits, tiers = [], []
    for year in (2001, 2002, 2003):
        window = [y for y in (year - 1, year, year + 1) if y in paths]
        fits.append(tmp_path / f"{year}.json")
        tiers.append(tmp_path / f"{year}.tiers.parquet")
        write_blockmodels(config, year, [paths[y][0] for y in window],
                          [paths[y][1] for y in window], fits[-1], tiers[-1])
    pd.concat([pd.read_parquet(p) for p in tiers]).to_parquet(tmp_path / "tiers.parquet")
    write_provenance(config, [], tmp_path / "provenance.json")
    outputs = [tmp_path / name for name in ("verdicts.json", "focal.parquet", "dynamics.parquet")]
    write_study(config, fits, tmp_path / "tiers.parquet", [paths[y][0] for y in paths],
                [paths[y][1] for y in paths], tmp_path / "provenance.json", *outputs)
    return config, outputs


def test_study_outputs_every_year_with_evidence_and_the_synthetic_mark(synthetic_study):
    config, (verdicts_path, focal_path, dynamics_path) = synthetic_study
    verdicts = json.loads(verdicts_path.read_text())
    assert verdicts["synthetic"] is True and verdicts["provenance"]["synthetic"] is True
    assert sorted(verdicts["years"]) == ["2001", "2002", "2003"]
    for year in verdicts["years"].values():
        assert set(year["centres"]) == {"all", "without_largest", "window"}
        assert year["centres"]["without_largest"]["left_out"] == "US"
        assert year["centres"]["all"]["verdict"] in ("one centre", "several centres", "undecided")
        assert year["hwang"]["verdict"] in ("supported", "not supported", "undecided")
        assert year["hwang"]["model"] == "layered_plain"
        # the same rule in the other tier models, each with its own evidence
        assert set(year["hwang"]["views"]) == {"selected", "one_centre", "layered"}
        for view in year["hwang"]["views"].values():
            assert set(view) == {"model", "p_semi_KR", "p_core_GB", "verdict"}
            assert view["verdict"] == hwang_verdict(view["p_semi_KR"], view["p_core_GB"], 0.5, 0.9)
    assert verdicts["years"]["2001"]["centres"]["window"]["window"] == [2001, 2002]
    focal = pd.read_parquet(focal_path)
    assert set(focal["country"]) == {"KR", "GB"}
    assert set(focal["model"]) == {"selected", "one_centre", "layered", "layered_plain"}
    assert (focal["p_core_low"] <= focal["p_core"]).all()
    assert (focal["p_core"] <= focal["p_core_high"]).all()
    assert pd.read_parquet(dynamics_path).attrs["bibnet.source"] == "synthetic"


def test_study_is_reproducible_to_the_byte(synthetic_study, tmp_path):
    config, outputs = synthetic_study
    folder = outputs[0].parent
    years = (2001, 2002, 2003)
    (tmp_path / "again").mkdir()
    again = [tmp_path / "again" / path.name for path in outputs]
    write_study(config, [folder / f"{y}.json" for y in years], folder / "tiers.parquet",
                [folder / f"c-{y}.parquet" for y in years],
                [folder / f"t-{y}.parquet" for y in years], folder / "provenance.json", *again)
    assert [p.read_bytes() for p in outputs] == [p.read_bytes() for p in again]


def test_leaving_out_the_hub_drops_countries_linked_only_to_it():
    from bibnet.blockmodels.files import _linked

    counts = pd.DataFrame({"year": 2000, "country_a": ["DE", "FR", "GB", "US", "FR"],
                           "country_b": ["US", "US", "US", "ZA", "GB"],
                           "works": [5, 4, 3, 2, 1]})
    totals = pd.DataFrame({"year": 2000, "country": ["DE", "FR", "GB", "US", "ZA"],
                           "intl_works": [5, 5, 4, 14, 2]})
    graph = build_year_graph(counts, totals)
    codes, matrix = _linked(graph, leave_out="US")
    assert codes == ["FR", "GB"] and matrix.tolist() == [[0, 1], [1, 0]]
    assert _linked(graph)[0] == ["DE", "FR", "GB", "US", "ZA"]


def test_division_of_labour_verdicts_join_the_study(synthetic_study, tmp_path):
    config, outputs = synthetic_study
    folder, years = outputs[0].parent, (2001, 2002, 2003)
    records = tmp_path / "focal_verdicts.json"
    records.write_text(json.dumps({"claim": "division of labour", "rules": []}))
    out = [tmp_path / path.name for path in outputs]
    write_study(config, [folder / f"{y}.json" for y in years], folder / "tiers.parquet",
                [folder / f"c-{y}.parquet" for y in years],
                [folder / f"t-{y}.parquet" for y in years], folder / "provenance.json", *out,
                records_verdicts=[records])
    verdicts = json.loads(out[0].read_text())
    assert verdicts["division_of_labour"] == {"claim": "division of labour", "rules": []}
    assert "division_of_labour" not in json.loads(outputs[0].read_text())
