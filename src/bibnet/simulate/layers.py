"""SYNTHETIC research-field layers: a planted world per layer, so the offline study has a
country central in one field and peripheral in another.

A layer's world (`layer_world`) is the configured all-science world (`bibnet.simulate.from_config`
with ``synthetic.kind``) drawn again with what ``synthetic.layers`` changes for that layer:
``place`` (countries moved to another block) and ``tied_to_centre`` (countries whose rates
toward the core blocks are multiplied while their size is kept: tied to the centre beyond their
size), each merged over the all-science ones. The shipped configuration leaves Korea in the
semi-periphery of all-science, ties it to the centre three times beyond its size in Physical
Sciences and Engineering, and moves it to the periphery in Health Sciences and Physics and
Astronomy: the multilayered centre-periphery of Hwang (2008), planted. Everything else (the
countries, their sizes, blocks and pair effects) is the all-science world's, so the layers
differ where they are told to and nowhere else.

The layer's counts are then thinned to its share of the works (`layer_share`): each pair's
count is Binomial(count, share), drawn from a stream of the layer and year (`layer_seed`).
Thinning a Poisson count gives a Poisson count of ``share`` times the mean, so the layer is the
same world at ``share`` of its volume, with noise of its own. The shares are `FIELD_SHARES`, a
made-up world profile of fields (the OpenAlex emulator's ``WORLD_FIELDS``, not measured on
OpenAlex); a domain's share is the sum of its fields'. The layers are not a partition of
all-science's works: each is a draw of its own.

Examples
--------
>>> from bibnet.taxonomy import field_layer, layer_by_name
>>> layer_share(field_layer("Medicine")), round(layer_share(layer_by_name("Health Sciences")), 3)
(0.2, 0.222)
>>> cfg = {"seed": 3, "focal": ["KR", "GB"], "countries": "all",
...        "synthetic": {"kind": "layered", "n_countries": 60, "volume": 0.05,
...                      "place": {"KR": "semi-periphery"},
...                      "layers": {"Health Sciences": {"place": {"KR": "periphery"}}}}}
>>> health = layer_world(cfg, 2010, layer_by_name("Health Sciences"))
>>> health.block_of["KR"], layer_world(cfg, 2010, field_layer(22)).block_of["KR"]
('periphery', 'semi-periphery')
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from bibnet.seeds import year_seed
from bibnet.simulate import World, from_config
from bibnet.simulate.worlds import PlantedWorld
from bibnet.taxonomy import FIELDS, Layer, layer_by_name

#: Made-up shares of the works by field, in % (the emulator's world profile; sums to 100).
FIELD_SHARES = {27: 20.0, 13: 9.0, 22: 8.5, 31: 7.5, 16: 6.5, 17: 6.0, 25: 5.0, 11: 5.0,
                23: 4.5, 33: 4.0, 19: 3.5, 24: 2.5, 26: 2.5, 28: 2.0, 21: 2.0, 30: 1.8,
                32: 1.8, 15: 1.5, 20: 1.5, 14: 1.2, 12: 1.0, 29: 0.8, 18: 0.5, 34: 0.5,
                35: 0.5, 36: 0.4}
#: What ``synthetic.layers`` may change in a layer's world.
OVERRIDES = ("place", "tied_to_centre")
_KIND_STREAM = {"field": 1, "domain": 2}


def layer_share(layer: Layer) -> float:
    """A layer's share of the works: its field's, its domain's fields', or 1 (all-science)."""
    if layer.kind == "field":
        return FIELD_SHARES[layer.id] / 100
    if layer.kind == "domain":
        return round(sum(FIELD_SHARES[f] for f, (_, domain) in FIELDS.items()
                         if domain == layer.id) / 100, 6)
    return 1.0


def layer_seed(seed: int, year: int, layer: Layer, *stream: int) -> np.random.SeedSequence:
    """The seed of one year's draws (``stream`` as in `bibnet.seeds.year_seed`) in one layer:
    the year's own for all-science, else a sequence of the layer's own."""
    if layer.is_all:
        return year_seed(seed, year, *stream)
    return year_seed(seed, year, *stream, _KIND_STREAM[layer.kind], layer.id)


def layer_overrides(synthetic: Mapping, layer: Layer) -> dict:
    """What ``synthetic.layers`` changes for ``layer``: entries keyed by any name or id of it,
    merged in the order written."""
    changes: dict[str, dict] = {}
    for key, entry in synthetic.get("layers", {}).items():
        if layer_by_name(key) == layer:
            for what in OVERRIDES:
                if entry.get(what):
                    changes.setdefault(what, {}).update(entry[what])
    return changes


def layer_config(config: Mapping, layer: Layer) -> dict:
    """The configuration whose all-science world is ``layer``'s world before thinning."""
    layered = copy.deepcopy(dict(config))
    synthetic = layered.setdefault("synthetic", {})
    for what, changes in layer_overrides(synthetic, layer).items():
        synthetic[what] = {**synthetic.get(what, {}), **changes}
    return layered


def layer_world(config: Mapping, year: int, layer: Layer) -> World:
    """The SYNTHETIC world of one year in one layer (the module docstring says how)."""
    world = from_config(layer_config(config, layer), year)
    if layer.is_all:
        return world
    share = layer_share(layer)
    rng = np.random.default_rng(layer_seed(config["seed"], year, layer))
    upper = np.triu_indices(len(world.codes), 1)
    counts = np.zeros_like(world.counts)
    counts[upper] = rng.binomial(world.counts[upper], share)
    counts += counts.T
    if isinstance(world, PlantedWorld):
        return replace(world, counts=counts, mean=world.mean * share,
                       volume=world.volume * share)
    return replace(world, counts=counts)

