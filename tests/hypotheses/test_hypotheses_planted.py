"""The study's verdicts on planted worlds at the real data's scale and overdispersion (SYNTHETIC).

Worlds: :func:`bibnet.simulate.planted`, 220 countries, about 1.5 million pair-links at volume 1,
one country (US) with 13.9 % of all links, counts Poisson around fixed lognormal pair effects
(log-sd 1.2 for a pair of average size, extra variance growing like the mean to the 1.3): the
degree-only null's Pearson X^2/df is 30 to 75 at volume 1, inside the real series' 15 (1995) to
134 (2023), with a variance power of 1.6 to 1.9 (real: 1.5 to 1.7). The module docstring of
``bibnet.simulate.worlds`` gives the calibration table.

Signals (the worlds' default ``rates``), chosen so that each kind's structure beyond size, S - S0, is of the real
order (the real 2015 network: S = 0.44 at six blocks): size alone explains 0.12 to 0.17 through
its pair effects, the structured kinds add 0.15 to 0.55 to that:

* ``layered``: tier rates 30, 6, 1 (the rate between two tiers is the inner one's); degree
  correction absorbs most of a layered hierarchy, so it takes a steep one to stand out;
* ``centres``: two centres, core-core 12, core-own periphery 4, periphery-periphery 0.6,
  background 0.5: peripheries tied to their centre, not blocs of their own (with
  periphery-periphery 1 the two centre-and-periphery groups are regional blocs in all but name:
  the regional reading keeps 0.86 to 0.93 of the structure against several centres' 0.95 to
  0.97);
* ``regional``: five blocs of mixed sizes, within 4, between 1;
* ``null``: no structure beyond size.

Measured with the test's settings (below), 20 seeds per kind: null 20 of 20 "no structure beyond
size"; layered 20 of 20 "one centre"; centres 19 of 20 "several centres" (1 undecided: the
observed search put a large country in a periphery, which the centre check refuses, while the
refits' searches did not); regional 20 of 20 "regional communities"; at 0.1 and 10 times the
volume, seeds 0 and 1 of every kind keep their verdict. The rule, its thresholds and references:
``bibnet.hypotheses``.
"""

from __future__ import annotations

import collections
from functools import cache

import numpy as np
import pytest

from bibnet import simulate
from bibnet.blockmodels.files import fit_variant
from bibnet.blockmodels.uncertainty import TIER_MODELS
from bibnet.config import check_config
from bibnet.hypotheses import centres_evidence, hwang_evidence
from planted_worlds import middle_pair

pytestmark = pytest.mark.planted

PLANTED = {"null": "no structure beyond size", "layered": "one centre",
           "centres": "several centres", "regional": "regional communities"}
WORLDS = 20
#: The shipped rules and centre check; fewer starts and replicates than the shipped config.
CONFIG = check_config({"source": "synthetic", "years": {"first": 2000, "last": 2000},
                       "countries": "all", "focal": ["KR", "GB"], "seed": 1,
                       "blockmodels": {"n_starts": 3, "replicates": 6, "jackknife": 3}})
SETTINGS = CONFIG["blockmodels"]
#: Threads of the fits (the workflow gives its job's; CI's machine has 2 cores).
WORKERS = 2
RULES = CONFIG["hypotheses"]


def _world(kind: str, seed: int, volume: float = 1.0):
    return simulate.planted(kind, seed=seed, volume=volume).linked()


@cache
def _record(kind: str, seed: int, volume: float = 1.0):
    world = _world(kind, seed, volume)
    record, tiers = fit_variant(2000, "all", list(world.codes), world.counts.astype(float),
                                SETTINGS, np.random.default_rng([seed, 7]), WORKERS)
    return world, record, tiers


def _verdict(kind: str, seed: int, volume: float = 1.0) -> str:
    return centres_evidence(_record(kind, seed, volume)[1], RULES["centres"])["verdict"]


@cache
def _verdicts(kind: str) -> collections.Counter:
    return collections.Counter(_verdict(kind, seed) for seed in range(WORLDS))


@pytest.mark.parametrize("kind", PLANTED)
def test_the_verdict_names_the_planted_kind(kind):
    found = _verdicts(kind)
    assert found[PLANTED[kind]] >= 0.9 * WORLDS, f"{kind}: {dict(found)}"


def test_a_layered_hierarchy_is_named_or_left_undecided_never_misread():
    found = _verdicts("layered")
    assert found["one centre"] >= 0.6 * WORLDS, dict(found)
    assert found["one centre"] + found["undecided"] == WORLDS, dict(found)


@pytest.mark.parametrize("kind", ["null", "layered", "regional"])
def test_several_centres_are_not_claimed_where_none_were_planted(kind):
    found = _verdicts(kind)
    assert found["several centres"] <= 0.05 * WORLDS, f"{kind}: {dict(found)}"


@pytest.mark.parametrize("kind", PLANTED)
@pytest.mark.parametrize("volume", [0.1, 10.0])
def test_volume_alone_does_not_move_the_verdict(kind, volume):
    """The same world (countries, blocks, pair effects) at a tenth and ten times the links."""
    seeds = [seed for seed in range(3) if _verdict(kind, seed) == PLANTED[kind]]
    assert seeds, f"{kind}: no seed of 0-2 gets the planted verdict at volume 1"
    moved = {seed: _verdict(kind, seed, volume) for seed in seeds[:2]}
    assert all(verdict == PLANTED[kind] for verdict in moved.values()), moved


HWANG_WORLDS = 8


def _positions(seed: int) -> tuple[str, str]:
    world = middle_pair("layered", seed=seed).linked()
    record, rows = fit_variant(2000, "all", list(world.codes), world.counts.astype(float),
                               SETTINGS, np.random.default_rng(seed), WORKERS)
    tiers = _tier_frame(rows)
    strength = dict(zip(world.codes, world.counts.sum(axis=1).tolist()))
    rules = RULES["hwang"]
    tied = hwang_evidence(record, tiers, strength, ["KR", "US"], rules, "size_classes")
    untied = hwang_evidence(record, tiers, strength, ["TR", "US"], rules, "size_classes")
    return tied["position_KR"], untied["position_TR"]


def test_hwang_rule_tells_the_country_tied_to_the_centre_from_its_size_twin():
    """KR and TR: the same middle size, in the same tier; only KR is tied to the centre
    beyond its size (three times the rates toward the core). Pair effects blur the tie
    (the realised ratio of the two countries' dependence is 1.6 to 5.9, bibnet.simulate.
    middle_pair); measured over worlds 0-7: KR middle in 6 (unclear in 1, not middle in 1),
    TR middle in 1."""
    positions = [_positions(seed) for seed in range(HWANG_WORLDS)]
    tied = sum(kr == "middle" for kr, _ in positions)
    untied = sum(tr == "middle" for _, tr in positions)
    assert tied >= 0.75 * HWANG_WORLDS and untied <= 0.125 * HWANG_WORLDS, positions


def _tier_frame(rows):
    import pandas as pd

    frame = pd.DataFrame(rows)
    assert set(frame["model"]) == {role for role, _ in TIER_MODELS}
    return frame
