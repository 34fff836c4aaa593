"""SYNTHETIC layers: Korea planted central in one layer and peripheral in another, everything
else the all-science world at the layer's share of the works."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.counting import Counting
from bibnet.counts import rows_from_synthetic
from bibnet.simulate.layers import layer_config, layer_share, layer_world
from bibnet.simulate.source import year_world
from bibnet.simulate.spheres import group_affinity
from bibnet.taxonomy import ALL_SCIENCE, DOMAIN_LAYERS, layer_by_name

PHYSICAL, HEALTH = layer_by_name("Physical Sciences"), layer_by_name("Health Sciences")
CONFIG = {"seed": 11, "focal": ["KR", "GB"], "countries": "all", "counting": "whole",
          "synthetic": {"kind": "hubs", "n_countries": 80, "volume": 0.3,
                        "effects": {"n_centres": 3}, "sphere_of": {"KR": "US"},
                        "layers": {"Physical Sciences": {"size_rank": {"KR": 3}},
                                   "Health Sciences": {"sphere_of": {"KR": "GB"}}}}}


def strength_rank(world, code: str) -> int:
    strengths = world.counts.sum(axis=1)
    return int((strengths > strengths[world.codes.index(code)]).sum()) + 1


def test_all_science_is_the_configured_world():
    for year in (2015, 2016):
        assert np.array_equal(layer_world(CONFIG, year, ALL_SCIENCE).counts,
                              year_world(CONFIG, year).counts)


def test_a_layers_placement_replaces_the_all_science_one():
    physical = layer_config(CONFIG, PHYSICAL)["synthetic"]
    assert (physical["size_rank"], physical["sphere_of"]) == ({"KR": 3}, {})
    health = layer_config(CONFIG, HEALTH)["synthetic"]
    assert (health["size_rank"], health["sphere_of"]) == ({}, {"KR": "GB"})


def test_korea_is_central_in_one_layer_and_peripheral_in_another():
    worlds = {layer: layer_world(CONFIG, 2015, layer)
              for layer in (ALL_SCIENCE, PHYSICAL, HEALTH)}
    assert {layer: (w.centres, w.sphere_of["KR"]) for layer, w in worlds.items()} == {
        ALL_SCIENCE: (("US", "GB", "DE"), "US"), PHYSICAL: (("US", "GB", "KR"), None),
        HEALTH: (("US", "GB", "DE"), "GB")}
    assert len({frozenset(w.codes) for w in worlds.values()}) == 1  # the same countries
    # at rank 3 Korea is the third largest: (3/2)^-0.62 of the UK's size (bibnet.simulate's
    # TOP_DECAY, fitted to the real 2015 network)
    size = {layer: w.strengths[w.codes.index("KR")] / w.strengths[w.codes.index("GB")]
            for layer, w in worlds.items()}
    assert size[PHYSICAL] == pytest.approx(1.5 ** -0.62) and max(size[ALL_SCIENCE],
                                                                 size[HEALTH]) < 0.3
    ranks = {layer: strength_rank(world, "KR") for layer, world in worlds.items()}
    assert ranks[PHYSICAL] <= 4 and min(ranks[ALL_SCIENCE], ranks[HEALTH]) > 10
    # beyond size: the planted ties, and in its central layer a sphere tied to Korea
    for layer, (more, less) in ((ALL_SCIENCE, ("US", "GB")), (HEALTH, ("GB", "US"))):
        world = worlds[layer]
        kr, first, second = (world.codes.index(code) for code in ("KR", more, less))
        assert world.affinity[kr, first] > 1.3 * world.affinity[kr, second]
    physical = worlds[PHYSICAL]
    korea = np.array(physical.codes) == "KR"
    sphere = np.array([physical.sphere_of[code] == "KR" for code in physical.codes])
    pairs = (korea[:, None] & sphere[None, :]) | (sphere[:, None] & korea[None, :])
    assert group_affinity(physical.counts, pairs) > 1.3


def test_the_layers_differ_where_they_are_told_to_and_nowhere_else():
    worlds = {layer: layer_world(CONFIG, 2015, layer)
              for layer in (ALL_SCIENCE, PHYSICAL, HEALTH)}
    every = worlds[ALL_SCIENCE]
    for layer in (PHYSICAL, HEALTH):
        world = worlds[layer]
        moved = {code for code, other in zip(world.codes, every.codes) if code != other}
        # Korea, the country whose place it takes in the layer, and the one whose place it
        # took in all-science's US sphere
        assert "KR" in moved and len(moved) <= 3
        assert np.array_equal(world.pair_effects, every.pair_effects)
        assert np.allclose(world.strengths, every.strengths * layer_share(layer))


def test_a_layer_is_its_share_of_the_volume_with_noise_of_its_own():
    everything = layer_world(CONFIG, 2015, ALL_SCIENCE).counts.sum()
    for layer in DOMAIN_LAYERS:
        world = layer_world(CONFIG, 2015, layer)
        assert world.counts.sum() == pytest.approx(layer_share(layer) * everything, rel=0.1)
        assert np.array_equal(world.counts, world.counts.T) and world.synthetic
        assert np.array_equal(world.counts, layer_world(CONFIG, 2015, layer).counts)
    assert sum(map(layer_share, DOMAIN_LAYERS)) == pytest.approx(1)
    assert not np.array_equal(layer_world(CONFIG, 2016, HEALTH).counts,
                              layer_world(CONFIG, 2015, HEALTH).counts)


def test_other_schemes_draw_the_layers_works():
    world = {key: CONFIG[key] for key in ("seed", "focal", "countries", "synthetic")}
    rows = rows_from_synthetic(2015, **world, counting=Counting("fractional"), layer=HEALTH)
    whole = rows_from_synthetic(2015, **world, layer=HEALTH)
    assert set(rows) == set(whole)
    assert any(not float(n).is_integer() for row in rows.values() for n in row.partners.values())
