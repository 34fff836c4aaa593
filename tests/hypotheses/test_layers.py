"""The layers read side by side (`bibnet.hypotheses.layers`): the focal country's position in
applied against basic fields, on planted worlds, on worlds with no difference between the
layers (several noise shapes, kinds and volumes), and in another order."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bibnet.hypotheses.layers import (BASIC_FIELDS, applied_against_basic, differing_layers,
                                      layer_places)
from bibnet.simulate.spheres import sphere_world

APPLIED, BASIC = "Engineering", BASIC_FIELDS[0]
CODES_OF = {}


def _layer(kind, seed, rank, *, volume=1.0, noise="lognormal", power=None, noise_seed=None,
           codes=None):
    """A sphere world's counts with Korea at strength rank ``rank``, in the order of ``codes``
    (the world's own where None), and those codes."""
    world = sphere_world(kind, seed=seed, n_countries=80, volume=volume, noise=noise,
                         power=power, include=["KR", "GB"], size_rank={"KR": rank},
                         noise_seed=noise_seed,
                         **({"n_centres": 3} if kind == "hubs" else {}))
    codes = list(world.codes) if codes is None else codes
    at = [world.codes.index(code) for code in codes]
    return world.counts[np.ix_(at, at)], codes


def _read(applied, basic, codes, seed=0, replicates=999):
    return applied_against_basic({APPLIED: applied, BASIC: basic}, codes, "KR", n_centres=5,
                                 applied={APPLIED}, basic={BASIC}, replicates=replicates,
                                 rng=np.random.default_rng(seed))


@pytest.mark.planted
@pytest.mark.parametrize("volume", [0.1, 1.0, 10.0])
def test_korea_central_in_the_applied_layer_and_peripheral_in_the_basic_one_is_read_so(volume):
    readings = {"applied": [], "basic": []}
    for seed in range(10):
        central, codes = _layer("hubs", seed, 3, volume=volume)
        peripheral, _ = _layer("hubs", seed, 25, volume=volume, codes=codes)
        readings["applied"].append(_read(central, peripheral, codes, seed)["reading"])
        readings["basic"].append(_read(peripheral, central, codes, seed)["reading"])
    assert readings["applied"] == ["nearer the centre in applied fields"] * 10
    assert readings["basic"] == ["nearer the centre in basic fields"] * 10


# Worlds with Korea at one size in both layers: the same world drawn twice (independent
# counts), or two kinds of world (its ties beyond size differ, its size does not), under
# lognormal (variance power 1.3 and 2) and gamma pair effects, at 0.1x, 1x and 10x the volume:
# (first kind, second kind, noise, variance power; None is the noise's own).
NULLS = [("hubs", "hubs", "lognormal", None), ("geography", "geography", "gamma", None),
         ("hubs", "geography", "lognormal", None), ("regional", "null", "gamma", None),
         ("geography", "hubs", "lognormal", 2.0)]


@pytest.mark.planted
@pytest.mark.parametrize("volume", [0.1, 1.0, 10.0])
def test_without_a_difference_between_the_layers_none_is_shown_in_at_least_90_percent(volume):
    wrong, total = [], 0
    for first, second, noise, power in NULLS:
        for seed in range(10):
            applied, codes = _layer(first, seed, 12, volume=volume, noise=noise, power=power,
                                    noise_seed=1000 + seed)
            basic, _ = _layer(second, seed, 12, volume=volume, noise=noise, power=power,
                              noise_seed=2000 + seed, codes=codes)
            found = _read(applied, basic, codes, seed)
            total += 1
            if found["reading"] != "no difference shown":
                wrong.append((first, second, noise, power, seed, round(found["statistic"], 3)))
    assert len(wrong) <= 0.1 * total, wrong


def test_the_same_counts_in_another_order_give_the_same_reading():
    applied, codes = _layer("hubs", 3, 4)
    basic, _ = _layer("hubs", 3, 15, codes=codes)
    order = np.random.default_rng(9).permutation(len(codes))
    shuffled = [codes[i] for i in order]
    first = _read(applied, basic, codes, replicates=299)
    second = _read(applied[np.ix_(order, order)], basic[np.ix_(order, order)], shuffled,
                   replicates=299)
    assert first == second


def test_without_an_applied_and_a_basic_layer_nothing_is_measured_and_the_fix_is_named():
    counts, codes = _layer("hubs", 1, 4)
    found = applied_against_basic({"Physical Sciences": counts, "all": counts}, codes, "KR",
                                  n_centres=5, applied={APPLIED}, basic={BASIC},
                                  replicates=99, rng=np.random.default_rng(0))
    assert found["reading"] == "not measured"
    assert "layers: [Engineering, Physics and Astronomy]" in found["why"]
    assert set(found["position"]) == {"Physical Sciences", "all"}
    absent = applied_against_basic({APPLIED: counts, BASIC: counts}, codes, "XX", n_centres=5,
                                   applied={APPLIED}, basic={BASIC}, replicates=99,
                                   rng=np.random.default_rng(0))
    assert absent["reading"] == "not measured" and "XX" in absent["why"]


def test_a_position_is_the_log_of_the_strength_against_the_smallest_centre():
    counts, codes = _layer("hubs", 2, 8)
    found = _read(counts, counts, codes, replicates=99)
    strength = counts.sum(axis=1)
    fifth = np.sort(strength)[::-1][4]
    assert found["position"][APPLIED] == pytest.approx(
        np.log(strength[codes.index("KR")] / fifth))


def test_places_rank_by_strength_and_name_centre_and_sphere():
    classes = pd.DataFrame({"year": 2020, "country": ["AA", "BB", "CC", "DD"],
                            "strength": [10.0, 30.0, 20.0, 20.0],
                            "size_class": ["periphery", "core", "core", "periphery"],
                            "bloc": 0})
    found = {"centres": {"centres": ["BB"]},
             "sphere_of": {"AA": {"sphere": "BB", "member": True},
                           "CC": {"sphere": "BB", "member": False}}}
    places = {row["country"]: row for row in layer_places(2020, "Engineering", classes, found)}
    assert [places[c]["rank"] for c in ("BB", "CC", "DD", "AA")] == [1, 2, 3, 4]
    assert places["BB"]["centre"] and not places["AA"]["centre"]
    assert places["AA"]["sphere"] == "BB" and places["CC"]["sphere"] == ""
    assert places["DD"]["layer"] == "Engineering"


def test_layers_whose_answers_differ_from_all_science_are_named():
    verdicts = {"all": {"centres": "several centres", "regions": "undecided"},
                "Engineering": {"centres": "several centres", "regions": "regional communities"},
                "Chemistry": {"centres": "one centre", "regions": "regional communities"}}
    assert differing_layers(verdicts) == {"centres": ["Chemistry"],
                                          "regions": ["Chemistry", "Engineering"]}
