"""Planted worlds: determinism, sizes, planted structure, heavy tail, tables, calibration."""

import numpy as np
import pandas as pd
import pytest

from bibnet import countries, simulate
from bibnet.counts import build_year
from bibnet.simulate.source import year_world
from bibnet.slices import stage_slices
from conftest import REAL_DATA
from planted_worlds import calibrate, layered_rate_ratios

REAL_2015 = REAL_DATA / "WrldCo2015.net"

WORLDS = {
    "layered": lambda seed, n=200: simulate.layered(n, seed=seed, place={"KR": 1}),
    "pairs": lambda seed, n=200: simulate.multi_core(n, 2, seed=seed),
    "shared": lambda seed, n=200: simulate.multi_core(n, 3, seed=seed, shared_periphery=True),
    "hub": lambda seed, n=200: simulate.multi_core(n, 2, seed=seed, hub=True),
    "null": lambda seed, n=200: simulate.null(n, seed=seed),
}


@pytest.mark.parametrize("kind", WORLDS)
def test_same_seed_same_bytes_other_seed_other_counts(kind):
    a, b, c = WORLDS[kind](11), WORLDS[kind](11), WORLDS[kind](12)
    assert a.counts.tobytes() == b.counts.tobytes() and a.codes == b.codes
    assert a.labels.tobytes() == b.labels.tobytes()
    assert c.counts.tobytes() != a.counts.tobytes()


@pytest.mark.parametrize("kind", WORLDS)
@pytest.mark.parametrize("n", [50, 250])
def test_worlds_are_symmetric_integer_counts_of_real_codes(kind, n):
    world = WORLDS[kind](1, n)
    assert world.counts.shape == (n, n) and world.counts.dtype == np.int64
    assert (world.counts == world.counts.T).all() and not world.counts.diagonal().any()
    assert (world.counts >= 0).all() and len(set(world.codes)) == n
    assert all(countries.is_known(code) for code in world.codes)
    assert world.codes[0] == simulate.DOMINANT and world.synthetic
    assert len(world.labels) == n and world.labels.max() < len(world.blocks)


@pytest.mark.parametrize("kind", WORLDS)
def test_dominant_country_holds_the_measured_share(kind):
    world = WORLDS[kind](5)
    s = simulate.strengths(world.counts)
    assert np.argmax(s) == 0
    expected = simulate.REAL_1990_TOP_SHARE if kind == "hub" else simulate.REAL_2015.top_share
    assert s[0] / s.sum() == pytest.approx(expected, abs=0.01)
    # heavy tail: the top tenth of countries hold most of the strength
    assert np.sort(s)[::-1][:20].sum() / s.sum() > 0.6


def test_expected_strengths_hit_the_targets():
    world = simulate.layered(120, seed=2)
    mean = np.outer(world.theta, world.theta) * world.omega[np.ix_(world.labels, world.labels)]
    np.fill_diagonal(mean, 0)
    s = simulate.strengths(world.counts)
    assert mean.sum() / 2 == pytest.approx(
        120 * simulate.REAL_2015.total_works / simulate.REAL_2015.n_active)
    assert np.abs(s - mean.sum(1))[:20].max() < 5 * np.sqrt(mean.sum(1)[:20]).max()


@pytest.mark.parametrize("seed", range(3))
def test_layered_rates_come_out_ordered_as_planted(seed):
    world = simulate.layered(200, seed=seed)
    assert np.bincount(world.labels).tolist() == [8, 29, 163]
    ratios = layered_rate_ratios(world.counts, world.labels)
    assert ratios[0] > ratios[1] > ratios[2] == 1


def test_multi_core_pairs_rates_come_out_ordered_as_planted():
    world = simulate.multi_core(200, 2, seed=3)
    a, g, theta = world.counts.astype(float), world.labels, world.theta
    # rate estimates given the planted degree parameters (the diagonal is zero on both sides)
    expected = np.outer(theta, theta)
    np.fill_diagonal(expected, 0)
    rate = np.array([[a[np.ix_(g == r, g == q)].sum() / expected[np.ix_(g == r, g == q)].sum()
                      for q in range(4)] for r in range(4)])
    for c in (0, 2):
        assert rate[c, c] > rate[c, c + 1] > rate[c + 1, c + 1]
    assert rate[1, 3] < min(rate[1, 1], rate[3, 3]) and rate[0, 2] < rate[0, 0]


def test_block_layouts():
    pairs = simulate.multi_core(100, 3, seed=1, core_size=4)
    assert pairs.family == "multi_core_pairs" and len(pairs.blocks) == 6
    assert np.bincount(pairs.labels)[0::2].tolist() == [4, 4, 4]
    shared = simulate.multi_core(100, 2, seed=1, shared_periphery=True)
    assert shared.blocks == ("core 1", "core 2", "periphery")
    assert shared.omega[0, 1] < shared.omega[2, 2] < shared.omega[0, 2] < shared.omega[0, 0]
    assert simulate.multi_core(100, 1, seed=1).family == "core_periphery"
    hub = simulate.multi_core(100, 2, seed=1, hub=True)
    assert hub.labels[0] == 4 and (hub.labels == 4).sum() == 1
    assert (hub.omega[4] == hub.omega[0, 0]).all()


def test_placed_and_included_countries():
    world = simulate.layered(150, seed=9, place={"KR": 1, "GB": 0}, include=["NA", "XK"])
    tier = dict(zip(world.codes, world.labels.tolist()))
    assert tier["KR"] == 1 and tier["GB"] == 0 and {"NA", "XK"} <= set(world.codes)
    pairs = simulate.multi_core(80, 2, seed=9, place={"KR": 3})
    assert pairs.labels[pairs.codes.index("KR")] == 3


@pytest.mark.parametrize("bad", [
    lambda: simulate.layered(100, seed=1, rate_ratios=(1, 2, 3)),
    lambda: simulate.layered(40, seed=1, tier_sizes=(10, 35)),
    lambda: simulate.layered(100, seed=1, place={"ZZ": 1}),
    lambda: simulate.layered(100, seed=1, place={"US": 2}),
    lambda: simulate.multi_core(100, 2, seed=1, rates=(1, 2, 1, 0.5)),
    lambda: simulate.multi_core(12, 3, seed=1, core_size=4),
    lambda: simulate.null(400, seed=1),
])
def test_bad_arguments_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


def test_noise_seed_keeps_the_world_and_redraws_counts():
    a = simulate.layered(100, seed=1, noise_seed=1)
    b = simulate.layered(100, seed=1, noise_seed=2)
    assert a.codes == b.codes and (a.labels == b.labels).all() and (a.theta == b.theta).all()
    assert (a.counts != b.counts).any()


def test_counts_stage_turns_a_world_into_tables_that_keep_namibia(tmp_path):
    config = {"source": "synthetic", "countries": ["NA", "KR", "GB", "US", "ZA"],
              "focal": ["KR", "GB"], "seed": 4,
              "synthetic": {"kind": "null", "n_countries": 60, "volume": 0.05}}
    paths = [tmp_path / name for name in ("c.parquet", "t.parquet", "a.parquet")]
    build_year(1999, [], *paths, **stage_slices(config)["counts"])
    counts, totals = pd.read_parquet(paths[0]), pd.read_parquet(paths[1])
    world = year_world(config, 1999)
    assert sorted(totals.country) == ["GB", "KR", "NA", "US", "ZA"]
    assert totals.set_index("country").intl_works["NA"] == \
        simulate.strengths(world.counts)[world.codes.index("NA")]
    assert (counts.country_a < counts.country_b).all() and (counts.works > 0).all()
    assert counts.attrs["bibnet.source"] == totals.attrs["bibnet.source"] == "synthetic"


@pytest.mark.skipif(not REAL_2015.is_file(), reason="real 2015 network not available")
def test_documented_calibration_is_what_the_2015_data_measure():
    measured = calibrate(REAL_2015)
    documented = simulate.REAL_2015
    assert (measured.n_active, measured.total_works, measured.top_code) == (
        documented.n_active, documented.total_works, documented.top_code)
    for name in ("log_strength_sd", "top_share", "top_ratio"):
        assert getattr(measured, name) == pytest.approx(getattr(documented, name), abs=5e-4)
    assert measured.layered_ratios == pytest.approx(documented.layered_ratios, abs=5e-4)


@pytest.mark.skipif(not (REAL_2015.parent / "WrldCo1990.net").is_file(),
                    reason="real 1990 network not available")
def test_hub_share_is_the_1990_us_share():
    measured = calibrate(REAL_2015.parent / "WrldCo1990.net")
    assert measured.top_code == "US"
    assert measured.top_share == pytest.approx(simulate.REAL_1990_TOP_SHARE, abs=5e-4)
