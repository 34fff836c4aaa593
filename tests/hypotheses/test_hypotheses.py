"""The study's rules, measures and outputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from bibnet.blockmodels.files import write_year as write_blockmodels
from bibnet.config import check_config
from bibnet.counts import build_year, combine_years, write_provenance
from bibnet.graphs import build_year_graph
from bibnet.hypotheses import (
    affinity_trend,
    centres_evidence,
    centres_verdict,
    dynamics_table,
    first_years,
    hwang_verdict,
    pair_measures,
    relational_position,
    wilson_interval,
    write_study,
)
from bibnet.outputs import CONFIG_KEY, MadeFromMismatch
from bibnet.outputs import VERDICTS_VOCABULARY as VERDICTS
from bibnet.slices import stage_slices


EXCESS = (0.3, 0.2, 0.4)
RULE = {"min_excess": 0.08, "margin": 0.05, "min_support": 0.8}


@pytest.mark.parametrize("excess, lead, support, expected", [
    (EXCESS, 0.2, 0.9, "regional communities"),
    ((0.02, -0.02, 0.0799), 0.2, 1.0, "no structure beyond size"),  # all of it below 0.08
    ((0.12, 0.0799, 0.2), 0.2, 1.0, "undecided"),                   # straddles 0.08
    ((0.12, 0.08, 0.2), 0.2, 1.0, "regional communities"),          # at 0.08 exactly
    (EXCESS, 0.0499, 1.0, "undecided"),                             # lead below the margin
    (EXCESS, 0.05, 1.0, "regional communities"),                    # at the margin
    (EXCESS, 0.2, 0.7999, "undecided"),                             # too few refits agree
    (EXCESS, 0.2, 0.8, "regional communities"),                     # at the support
])
def test_centres_rule_at_its_thresholds(excess, lead, support, expected):
    assert centres_verdict(excess, "regional communities", lead, support, **RULE) == expected


@pytest.mark.parametrize("relative, peers_high, p_core, expected", [
    (0.31, 0.3, 0.0, "middle"), (0.3, 0.3, 0.0, "unclear"),          # above the peers' 90th
    (0.0, 0.3, 0.0, "not middle"), (0.01, 0.3, 0.0, "unclear"),      # the median peer
    (0.5, 0.3, 0.5, "not middle"),                                   # in the centre
    (float("nan"), 0.3, 0.0, "unclear"),
])
def test_relational_position_at_its_thresholds(relative, peers_high, p_core, expected):
    assert relational_position(relative, peers_high, p_core) == expected


@pytest.mark.parametrize("position, p_core, expected", [
    ("middle", 0.9, "supported"), ("middle", 0.8999, "undecided"),
    ("not middle", 1.0, "not supported"), ("unclear", 1.0, "undecided"),
    ("middle", 0.0999, "not supported"), ("middle", float("nan"), "undecided"),
])
def test_hwang_rule_at_its_thresholds(position, p_core, expected):
    assert hwang_verdict(position, p_core, core_min=0.9) == expected


def _variant(summary, boot, jack):
    readings = ("one centre", "several centres", "regional communities")
    rows = [{"kind": "bootstrap", "left_out": None, "share": 0.4, **dict(zip(readings, r))}
            for r in boot]
    rows += [{"kind": "jackknife", "left_out": code, "share": 0.4, **dict(zip(readings, r))}
             for code, r in jack]
    rows += [{"kind": "null", "left_out": None, "share": share} for share in (0.1, 0.15, 0.2)]
    return {"codes": ["A", "B", "C"], "share": 0.4, "summary": dict(zip(readings, summary)),
            "replicates": rows, "retention": {}, "fits": [],
            "reference": {"phi": 2.0, "null_dispersion": 30.0, "levels_off": 12,
                          "variance_function": {"phi": 1.5, "power": 1.4}}}


def test_centres_evidence_reads_the_lead_on_each_replicate():
    rules = RULE
    boot = [(0.1, 0.5, 0.8), (0.1, 0.55, 0.75), (0.1, 0.6, 0.7), (0.1, 0.45, 0.85)]
    variant = _variant((0.1, 0.5, 0.8), boot, [("US", (0.1, 0.5, 0.7))])
    evidence = centres_evidence(variant, rules)
    assert (evidence["leader"], evidence["runner_up"]) == ("regional communities",
                                                           "several centres")
    assert evidence["lead"]["value"] == pytest.approx(0.3)
    # the lead of each replicate (0.3, 0.2, 0.1, 0.4), not the difference of two intervals
    low, middle, high = np.percentile([0.3, 0.2, 0.1, 0.4], [2.5, 50, 97.5])
    assert evidence["lead"]["low"] == pytest.approx(0.3 + low - middle)
    assert evidence["lead"]["high"] == pytest.approx(0.3 + high - middle)
    assert evidence["verdict"] == "regional communities" and evidence["support"] == 1.0
    assert evidence["noise_share"] == pytest.approx(np.percentile([0.1, 0.15, 0.2], 97.5))
    assert evidence["excess_share"]["value"] == pytest.approx(0.4 - evidence["noise_share"])
    # one of five refits with another leader: support 0.8, still enough; two are not
    flipped = _variant((0.1, 0.5, 0.8), boot, [("US", (0.1, 0.7, 0.6))])
    assert centres_evidence(flipped, rules)["support"] == pytest.approx(0.8)
    assert centres_evidence(flipped, rules)["jackknife_leaders"] == {"US": "several centres"}
    assert centres_evidence(flipped, rules)["verdict"] == "regional communities"
    twice = _variant((0.1, 0.5, 0.8), boot[:3] + [(0.1, 0.9, 0.7)], [("US", (0.1, 0.7, 0.6))])
    assert centres_evidence(twice, rules)["verdict"] == "undecided"


def test_wilson_interval_matches_the_formula():
    low, high = wilson_interval(np.array([0.5]), 100)
    # p = 0.5, n = 100: centre 0.5, half-width z sqrt(0.25/100 + z^2/40000) / (1 + z^2/100)
    z = 1.959963984540054
    half = z * np.sqrt(0.0025 + z * z / 40000) / (1 + z * z / 100)
    assert low[0] == pytest.approx(0.5 - half) and high[0] == pytest.approx(0.5 + half)


def tiers_frame(rows):
    return pd.DataFrame.from_records(
        [{"year": y, "variant": "all", "country": c, "model": "size_classes",
          "model_name": "layered(B=3, plain)", "tier": t, "p_core": pc, "p_semi": ps,
          "p_periphery": 1 - pc - ps} for y, c, t, pc, ps in rows])


def test_dynamics_counts_core_size_transitions_and_moves():
    tiers = tiers_frame([(2000, "US", "core", 1, 0), (2000, "KR", "periphery", 0, 0),
                         (2000, "GB", "core", 1, 0),
                         (2001, "US", "core", 1, 0), (2001, "KR", "semi-periphery", 0, 1),
                         (2001, "GB", "semi-periphery", 0, 1),
                         (2002, "US", "core", 1, 0), (2002, "KR", "core", 1, 0),
                         (2002, "GB", "core", 1, 0)])
    table = dynamics_table(tiers, "size_classes")
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
    found = first_years(tiers, "size_classes", 0.9)
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
        "blockmodels": {"n_starts": 2, "replicates": 4, "jackknife": 2, "max_blocks": 4,
                        "window_years": 3}})
    slices = stage_slices(config)
    paths = {}
    for year in (2001, 2002, 2003):
        paths[year] = [tmp_path / f"{name}-{year}.parquet" for name in ("c", "t", "a")]
        build_year(year, [], *paths[year], **slices["counts"])
    fits, tiers = [], []
    for year in (2001, 2002, 2003):
        window = [y for y in (year - 1, year, year + 1) if y in paths]
        fits.append(tmp_path / f"{year}.json")
        tiers.append(tmp_path / f"{year}.tiers.parquet")
        write_blockmodels(year, [paths[y][0] for y in window], [paths[y][1] for y in window],
                          fits[-1], tiers[-1], **slices["blockmodels"])
    combine_years(tiers, tmp_path / "tiers.parquet")
    write_provenance([], tmp_path / "provenance.json", **slices["provenance"])
    outputs = [tmp_path / name for name in ("verdicts.json", "focal.parquet", "dynamics.parquet")]
    write_study(fits, tmp_path / "tiers.parquet", [paths[y][0] for y in paths],
                [paths[y][1] for y in paths], tmp_path / "provenance.json", *outputs,
                **slices["study"])
    return slices, outputs


def test_study_outputs_every_year_with_evidence_and_the_synthetic_mark(synthetic_study):
    slices, (verdicts_path, focal_path, dynamics_path) = synthetic_study
    verdicts = json.loads(verdicts_path.read_text())
    assert verdicts["synthetic"] is True and verdicts["provenance"]["synthetic"] is True
    assert sorted(verdicts["years"]) == ["2001", "2002", "2003"]
    for year in verdicts["years"].values():
        assert set(year["centres"]) == {"all", "window"}
        for evidence in year["centres"].values():
            assert evidence["verdict"] in VERDICTS
            assert evidence["share"]["low"] <= evidence["share"]["high"]
            assert set(evidence["readings"]) == set(VERDICTS[:3])
            assert evidence["replicates"] == 4 and evidence["jackknife"] == 2
            assert evidence["dispersion"]["null_dispersion"] > 0
        hwang = year["hwang"]
        assert hwang["verdict"] in ("supported", "not supported", "undecided")
        assert hwang["model"] == "size_classes" and hwang["centre"]
        assert hwang["position_KR"] in ("middle", "not middle", "unclear")
        assert len(hwang["peers"]) >= 2 and "KR" not in hwang["peers"]
    assert verdicts["years"]["2001"]["centres"]["window"]["window"] == [2001, 2002]
    focal = pd.read_parquet(focal_path)
    assert set(focal["country"]) == {"KR", "GB"}
    assert set(focal["model"]) == {"size_classes", "tiers_beyond_size"}
    assert (focal["p_core_low"] <= focal["p_core"]).all()
    assert (focal["p_core"] <= focal["p_core_high"]).all()
    assert pd.read_parquet(dynamics_path).attrs["bibnet.source"] == "synthetic"
    # what the study was made from: its own settings and those of every stage before it
    assert verdicts[CONFIG_KEY]["hypotheses.tier_model"] == "size_classes"
    assert verdicts[CONFIG_KEY]["blockmodels.replicates"] == 4
    assert verdicts[CONFIG_KEY]["synthetic.n_countries"] == 50
    assert pd.read_parquet(focal_path).attrs[CONFIG_KEY] == verdicts[CONFIG_KEY]


def study_inputs(outputs) -> list:
    """write_study's inputs of the synthetic study."""
    folder, years = outputs[0].parent, (2001, 2002, 2003)
    return [[folder / f"{y}.json" for y in years], folder / "tiers.parquet",
            [folder / f"c-{y}.parquet" for y in years],
            [folder / f"t-{y}.parquet" for y in years], folder / "provenance.json"]


def test_study_is_reproducible_to_the_byte(synthetic_study, tmp_path):
    slices, outputs = synthetic_study
    (tmp_path / "again").mkdir()
    again = [tmp_path / "again" / path.name for path in outputs]
    write_study(*study_inputs(outputs), *again, **slices["study"])
    assert [p.read_bytes() for p in outputs] == [p.read_bytes() for p in again]


def test_inputs_of_another_configuration_are_refused(synthetic_study, tmp_path):
    slices, outputs = synthetic_study
    out = [tmp_path / path.name for path in outputs]
    other = {**slices["study"], "countries": ["GB", "KR", "US"]}
    with pytest.raises(MadeFromMismatch, match=r"countries is \["):
        write_study(*study_inputs(outputs), *out, **other)
    assert not out[0].exists()


def test_division_of_labour_verdicts_join_the_study(synthetic_study, tmp_path):
    slices, outputs = synthetic_study
    records = tmp_path / "focal_verdicts.json"
    division = {"claim": "division of labour", "rules": [],
                CONFIG_KEY: {"focal": ["KR", "GB"], "records.min_works": 20}}
    records.write_text(json.dumps(division))
    out = [tmp_path / path.name for path in outputs]
    write_study(*study_inputs(outputs), *out, records_verdicts=[records], **slices["study"])
    verdicts = json.loads(out[0].read_text())
    assert verdicts["division_of_labour"] == division
    assert verdicts[CONFIG_KEY]["records.min_works"] == 20
    assert "division_of_labour" not in json.loads(outputs[0].read_text())
