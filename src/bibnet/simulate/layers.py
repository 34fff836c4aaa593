"""SYNTHETIC research-field layers: a sphere world per layer, so the offline study has a
country central in one field and peripheral in another.

A layer's world (`layer_world`) is the configured all-science world
(`bibnet.simulate.source.configured_world`) drawn again with what ``synthetic.layers`` places
differently in that layer: ``size_rank`` (countries put at a strength rank; the planted centres
are the largest countries) and ``sphere_of`` (countries put in a planted centre's sphere). A
country a layer places replaces its all-science placement there (a country has one place in a
world). The shipped configuration puts Korea in the US's sphere in all-science, among the
centres (strength rank 3 of a hubs world of 3 centres: a hub with a sphere of its own) in
Physical Sciences and Engineering, and in the UK's sphere in Health Sciences: a planted world
where one country is central in one layer and peripheral in another (Hwang 2008's multilayered
centre-periphery). Everything else (the countries, their sizes, the centres' spheres and the
pair effects) is the all-science world's: a placement changes places between two codes, so the
layers differ where they are told to and nowhere else.

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
...        "synthetic": {"kind": "hubs", "n_countries": 60, "volume": 0.05,
...                      "effects": {"n_centres": 3}, "sphere_of": {"KR": "US"},
...                      "layers": {"Engineering": {"size_rank": {"KR": 3}}}}}
>>> engineering = layer_world(cfg, 2010, layer_by_name("Engineering"))
>>> engineering.centres, layer_world(cfg, 2010, field_layer("Medicine")).sphere_of["KR"]
(('US', 'GB', 'KR'), 'US')
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from bibnet.seeds import year_seed
from bibnet.simulate.dispersion import degree_only_dispersion
from bibnet.simulate.source import year_world
from bibnet.simulate.spheres import SphereWorld
from bibnet.taxonomy import FIELDS, Layer, layer_by_name

#: Made-up shares of the works by field, in % (the emulator's world profile; sums to 100).
FIELD_SHARES = {27: 20.0, 13: 9.0, 22: 8.5, 31: 7.5, 16: 6.5, 17: 6.0, 25: 5.0, 11: 5.0,
                23: 4.5, 33: 4.0, 19: 3.5, 24: 2.5, 26: 2.5, 28: 2.0, 21: 2.0, 30: 1.8,
                32: 1.8, 15: 1.5, 20: 1.5, 14: 1.2, 12: 1.0, 29: 0.8, 18: 0.5, 34: 0.5,
                35: 0.5, 36: 0.4}
#: What ``synthetic.layers`` may change in a layer's world.
OVERRIDES = ("size_rank", "sphere_of")
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
    """The configuration whose all-science world is ``layer``'s world before thinning: the
    countries the layer places are taken out of the all-science placements, then placed."""
    layered = copy.deepcopy(dict(config))
    synthetic = layered.setdefault("synthetic", {})
    changes = layer_overrides(synthetic, layer)
    placed = {code for codes in changes.values() for code in codes}
    for what in OVERRIDES:
        kept = {code: value for code, value in synthetic.get(what, {}).items()
                if code not in placed}
        synthetic[what] = {**kept, **changes.get(what, {})}
    return layered


def layer_world(config: Mapping, year: int, layer: Layer) -> SphereWorld:
    """The SYNTHETIC world of one year in one layer (the module docstring says how)."""
    world = year_world(layer_config(config, layer), year)
    if layer.is_all:
        return world
    share = layer_share(layer)
    rng = np.random.default_rng(layer_seed(config["seed"], year, layer))
    upper = np.triu_indices(len(world.codes), 1)
    counts = np.zeros_like(world.counts)
    counts[upper] = rng.binomial(world.counts[upper], share)
    counts += counts.T
    return replace(world, counts=counts, mean=world.mean * share, volume=world.volume * share,
                   strengths=world.strengths * share,
                   structural_mean=world.structural_mean * share,
                   x2_per_df=degree_only_dispersion(counts)[0])

