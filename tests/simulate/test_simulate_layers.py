"""SYNTHETIC layers: Korea planted central in one layer and peripheral in another, everything
else the all-science world at the layer's share of the works."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from bibnet.counting import Counting
from bibnet.counts import rows_from_synthetic
from bibnet.simulate import from_config
from bibnet.simulate.layers import layer_share, layer_world
from bibnet.taxonomy import ALL_SCIENCE, DOMAIN_LAYERS, layer_by_name

PHYSICAL, HEALTH = layer_by_name("Physical Sciences"), layer_by_name("Health Sciences")
CONFIG = {"seed": 11, "focal": ["KR", "GB"], "countries": "all", "counting": "whole",
          "synthetic": {"kind": "layered", "n_countries": 80, "volume": 0.3,
                        "place": {"KR": "semi-periphery", "GB": "core"},
                        "layers": {"Physical Sciences": {"place": {"KR": "core"},
                                                         "tied_to_centre": {"KR": 3}},
                                   "Health Sciences": {"place": {"KR": "periphery"}}}}}


def strength_rank(world, code: str) -> int:
    strengths = world.counts.sum(axis=1)
    return int((strengths > strengths[world.codes.index(code)]).sum()) + 1


def test_all_science_is_the_world_it_was():
    for year in (2015, 2016):
        assert np.array_equal(layer_world(CONFIG, year, ALL_SCIENCE).counts,
                              from_config(CONFIG, year).counts)


def test_korea_is_central_in_one_layer_and_peripheral_in_another():
    worlds = {layer: layer_world(CONFIG, 2015, layer)
              for layer in (ALL_SCIENCE, PHYSICAL, HEALTH)}
    assert {layer: w.block_of["KR"] for layer, w in worlds.items()} == \
        {ALL_SCIENCE: "semi-periphery", PHYSICAL: "core", HEALTH: "periphery"}
    assert len({frozenset(w.codes) for w in worlds.values()}) == 1  # the same countries
    core, semi = (len(worlds[ALL_SCIENCE].members(block)) for block in ("core", "semi-periphery"))
    ranks = {layer: strength_rank(world, "KR") for layer, world in worlds.items()}
    # 80 countries: 3 in the core, 12 in the semi-periphery (measured ranks 3, 9 and 22)
    assert ranks[PHYSICAL] <= core < ranks[ALL_SCIENCE] <= core + semi < ranks[HEALTH]


def test_in_its_central_layer_korea_is_tied_to_the_core_beyond_its_size():
    untied = copy.deepcopy(CONFIG)
    del untied["synthetic"]["layers"]["Physical Sciences"]["tied_to_centre"]
    tied_world, untied_world = (layer_world(c, 2015, PHYSICAL) for c in (CONFIG, untied))
    assert tied_world.tied_to_centre == {"KR": 3} and untied_world.tied_to_centre == {}
    ratios = []
    for world in (tied_world, untied_world):
        kr = world.codes.index("KR")
        core = [world.codes.index(code) for code in world.members("core") if code != "KR"]
        ratios.append((world.counts[kr, core].sum(), world.counts[kr].sum()))
    (tied_core, tied_all), (untied_core, untied_all) = ratios
    assert abs(tied_all / untied_all - 1) < 0.25  # about the same size ...
    assert tied_core / tied_all > 1.5 * untied_core / untied_all  # ... far more to the core


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
