"""The works-level simulator: the shape of its works and the pair counts of every scheme."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.counting import Counting, Stratum
from bibnet.counts import build_year
from bibnet.slices import stage_slices
from bibnet.simulate.works import (COUNTRIES_PER_WORK, draw_works, pair_matrix, stratum_counts,
                                   works_from_world)
from bibnet import simulate

CODES = [chr(65 + i // 26) + chr(65 + i % 26) for i in range(70)]


@pytest.fixture(scope="module")
def works():
    weights = np.random.default_rng(1).lognormal(0, 1.5, len(CODES))
    return draw_works(CODES, 40000, seed=5, weights=weights)


def test_countries_per_work_are_mostly_two_with_a_tail_and_rare_consortia(works):
    assert sum(COUNTRIES_PER_WORK.values()) == pytest.approx(1.0)
    sizes = works.sizes
    assert 0.70 < np.mean(sizes == 2) < 0.74
    assert 0.26 < np.mean((sizes >= 3) & (sizes <= 10)) < 0.29
    assert 0.003 < np.mean(sizes >= 20) < 0.007
    assert sizes.max() <= 60 and not np.any((sizes > 10) & (sizes < 20))
    for index in (0, 1, int(np.argmax(sizes))):  # distinct countries, sorted
        members = works.work(index)
        assert len(set(members)) == len(members) == sizes[index]


def test_same_seed_same_works():
    a, b = (draw_works(CODES[:10], 500, seed=3) for _ in range(2))
    assert np.array_equal(a.members, b.members) and np.array_equal(a.offsets, b.offsets)
    assert not np.array_equal(draw_works(CODES[:10], 500, seed=4).members, a.members)


def test_the_schemes_against_counts_taken_work_by_work(works):
    subset = draw_works(CODES[:25], 300, seed=9)
    expected = {scheme: np.zeros((25, 25)) for scheme in ("whole", "fractional", "capped")}
    for index in range(subset.n_works):
        members = [CODES.index(code) for code in subset.work(index)]
        n = len(members)
        for a in members:
            for b in members:
                if a != b:
                    expected["whole"][a, b] += 1
                    expected["fractional"][a, b] += 1 / (n - 1)
                    expected["capped"][a, b] += n <= 4
    for scheme in expected:
        pairs, _ = pair_matrix(subset, Counting(scheme, 4))
        assert np.allclose(pairs, expected[scheme])


def test_fractional_strength_is_each_countrys_works_and_whole_sums_the_strata(works):
    fractional, totals = pair_matrix(works, Counting("fractional"))
    assert np.allclose(fractional.sum(axis=1), totals)
    whole, _ = pair_matrix(works, Counting("whole"))
    strata = sum(stratum_counts(works, s) for s in Counting("fractional").strata)
    assert np.array_equal(strata - np.diag(np.diag(strata)), whole)
    assert np.array_equal(np.diag(strata), totals)
    capped, capped_totals = pair_matrix(works, Counting("capped", 10))
    assert np.array_equal(capped, stratum_counts(works, Stratum(2, 10)) - np.diag(capped_totals))
    # consortia are few works but many pair-links: whole counting weighs them far more
    consortia = stratum_counts(works, Stratum(20, None))
    share_whole = (consortia.sum() - np.trace(consortia)) / whole.sum()
    assert share_whole > 10 * np.mean(works.sizes >= 20)


def test_works_from_a_planted_world_follow_its_counts():
    world = simulate.layered(60, seed=2, place={"KR": 1})
    works = works_from_world(world.codes, world.counts, seed=4)
    whole, _ = pair_matrix(works, Counting("whole"))
    assert whole.sum() == pytest.approx(world.counts.sum(), rel=0.05)
    strengths = world.counts.sum(axis=1)
    assert np.corrcoef(whole.sum(axis=1), strengths)[0, 1] > 0.9


@pytest.mark.parametrize("scheme", ["fractional", "capped"])
def test_the_synthetic_source_gives_every_scheme(tmp_path, scheme):
    config = {"source": "synthetic", "countries": "all", "focal": ["KR", "GB"], "seed": 11,
              "counting": scheme, "max_countries": 5,
              "synthetic": {"kind": "hubs", "n_countries": 50, "volume": 0.05,
                            "sphere_of": {"KR": "US"}}}
    paths = [tmp_path / f"{name}.parquet" for name in ("counts", "totals", "asymmetries")]
    tables = build_year(2005, [], *paths, **stage_slices(config)["counts"])
    first = paths[0].read_bytes()
    whole = build_year(2005, [], *[path.with_suffix(".whole") for path in paths],
                       **stage_slices({**config, "counting": "whole"})["counts"])
    if scheme == "fractional":
        assert tables.counts["works"].dtype == np.float64
        assert tables.counts["works"].sum() < whole.counts["works"].sum()
        strength = tables.counts.groupby("country_a")["works"].sum().add(
            tables.counts.groupby("country_b")["works"].sum(), fill_value=0)
        totals = tables.totals.set_index("country")["intl_works"]
        assert np.allclose(strength.reindex(totals.index).fillna(0), totals)
    else:
        assert tables.counts["works"].dtype == np.int64
    assert tables.counts.attrs["bibnet.counting"] == Counting(scheme, 5).tag
    # the same configuration gives the same bytes
    build_year(2005, [], *paths, **stage_slices(config)["counts"])
    assert paths[0].read_bytes() == first
