"""The planted structures of the sphere worlds (:mod:`bibnet.simulate.spheres`): one builder per
kind, the truth it plants in the study's words, and its default effect sizes.

A builder takes the number of countries (in descending target strength), the structure's
random stream and the kind's effects, and returns the planted affinity ``alpha`` with the
centres, spheres, blocs or positions it put there (:class:`Structure`).

Kinds
-----
Truth in brackets (centres; regions). The planted centres are always the largest countries;
sphere members and bloc members are dealt across strength ranks
(:func:`~bibnet.simulate.pair_effects.deal`), so every sphere and bloc has big and small members.

``null`` [no centre beyond size; no regional structure beyond size]
    ``alpha = 1``.
``one_hub`` [one centre; no regional structure]
    The largest country tied at ``hub_tie`` to every country outside the ``centre_class``
    largest, 1 elsewhere. A hub tied to *every* other country is ``alpha_ij = f_i f_j``, the
    null (the example in :mod:`bibnet.simulate.spheres`): beyond size a hub is a hub by being
    tied to the periphery more than to the other large countries, as the real US is (issue 18:
    the one-centre core's a_cc 0.47-0.90 against a_cp 1.10-1.64).
``centre_as_one`` [one centre; no regional structure]
    The ``n_centres`` largest tied at ``hub_tie`` to every other country, 1 among themselves
    and among the others: the peripheries tie to the centre as a whole, with no preference
    among its members (no spheres).
``hubs`` [several centres; no regional structure]
    The ``n_centres`` largest are hubs, every other country is dealt to one hub's sphere;
    hub-own sphere ``hub_tie``, hub-other spheres ``cross``, everything else 1 (pure stars:
    periphery pairs the same within and between spheres). With ``orientation`` (a log-sd,
    default 0) each periphery country's ties with every centre are also multiplied by its own
    pull, lognormal with mean 1: countries that differ in how much they tie to the centres at
    all, whichever sphere they are in, as the real ones do (``docs/method.md`` section 9).
``regional`` [no centre beyond size; regional communities]
    ``n_blocs`` blocs of mixed sizes (the largest countries ordinary members), ``within`` for
    every pair inside a bloc, big members included, 1 between blocs; no hub.
``community_spheres`` [no centre beyond size; regional communities]
    ``n_centres`` centres each with a sphere whose members tie among themselves (``within``)
    more than to their centre (``hub_tie``), 1 elsewhere. ``bloc_of`` names the spheres as
    blocs (centres in none).
``geography`` [no centre beyond size; regional communities]
    Countries at random points on the unit sphere, sizes independent of position,
    ``alpha = exp(-d / reach)`` of the great-circle distance ``d``, mean 1 over pairs. No
    blocks, yet regional: ``exp(-d / reach)`` is positive definite on the sphere (Gneiting 2013,
    *Bernoulli* 19:1327), so the structure beyond size is assortative: any region (a cap, a
    cluster of neighbours) is tied within more than between, ``a(near) > 1 > a(far)``. No
    country is preferred beyond size except by its own neighbours, so there is no centre.
    Blocs a search finds cut a continuum: the truth has no ``bloc_of``.

Default effects (:data:`EFFECTS`)
---------------------------------
Set so that the planted affinities beyond size (the ``planted`` rows of the measured table in
:mod:`bibnet.simulate.spheres`) fall where the real networks' spheres do (issue 18, the five
largest countries as centres: a(c,S) 1.3-2.5 and a(S,S) 1.1-2.2; hub-like 2015 CN 2.47 vs
1.24, FR 1.92 vs 1.09; communities GB 2023 1.27 vs 1.90, CA 2005 1.04 vs 2.44). Planted
figures, mean over seeds 0-4, for the values tried:

* ``hubs`` ``hub_tie=3``: a(c,S) 1.65 with two hubs, 2.06 with three, a(S,S) 0.97 and 0.94:
  hub-like spheres inside the real range (2.5: 1.56; 4: 1.79 with two hubs).
* ``one_hub`` ``hub_tie=3``: a(c,S) 1.26, a(C,C) 0.79. A sphere of nearly all the hub's
  partners cannot lift a(c,S) far above 1 (4: 1.31).
* ``centre_as_one`` ``hub_tie=2``: a(C,P) 1.28, a(C,C) 0.54, the real one-centre core's
  (1.5: 1.17 and 0.72; 2.5: 1.35 and 0.42).
* ``community_spheres`` ``within=3``, ``hub_tie=1.5``: a(c,S) 1.25, a(S,S) 1.89, as GB 2023
  (``within=2.5``: 1.27 and 1.72; 3.5: 1.23 and 2.03).
* ``regional`` ``within=2``: a(B,B) 1.71, a(B,B') 0.87 (2.5: 2.00 and 0.82).
* ``geography`` ``reach=1.5``: the nearest fifth of the pairs (the share of within-bloc pairs
  with five blocs) a(near) 1.64, near the regional blocs' 1.71 (1: 2.00; 2: 1.47).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from bibnet.simulate.pair_effects import deal

#: The centres by size the study names: the five largest countries (issue 18).
TOP = 5
CENTRES = ("one centre", "several centres", "no centre beyond size")
REGIONS = ("regional communities", "no regional structure beyond size")
#: The planted truth of each kind.
TRUTH = {
    "null": (CENTRES[2], REGIONS[1]),
    "one_hub": (CENTRES[0], REGIONS[1]),
    "centre_as_one": (CENTRES[0], REGIONS[1]),
    "hubs": (CENTRES[1], REGIONS[1]),
    "regional": (CENTRES[2], REGIONS[0]),
    "community_spheres": (CENTRES[2], REGIONS[0]),
    "geography": (CENTRES[2], REGIONS[0]),
}
KINDS = tuple(TRUTH)
#: Default effects by kind (module docs: why these sizes).
EFFECTS = {
    "null": {},
    "one_hub": {"hub_tie": 3.0, "centre_class": 5},
    "centre_as_one": {"hub_tie": 2.0, "n_centres": 5},
    "hubs": {"hub_tie": 3.0, "cross": 1.0, "n_centres": 2, "orientation": 0.0},
    "regional": {"within": 2.0, "n_blocs": 5},
    "community_spheres": {"within": 3.0, "hub_tie": 1.5, "n_centres": 3},
    "geography": {"reach": 1.5},
}


@dataclass(frozen=True)
class Structure:
    """A planted structure over countries in descending target strength (a builder's result)."""

    alpha: np.ndarray
    centres: tuple[int, ...] = ()
    sphere: np.ndarray | None = None
    bloc: np.ndarray | None = None
    positions: np.ndarray | None = None


def _null(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    return Structure(np.ones((n, n)))


def _one_hub(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """The largest country tied at ``hub_tie`` to every country outside the centre class."""
    top = effects["centre_class"]
    alpha = np.ones((n, n))
    alpha[0, top:] = alpha[top:, 0] = effects["hub_tie"]
    sphere = np.full(n, -1)
    sphere[top:] = 0
    return Structure(alpha, (0,), sphere=sphere)


def _centre_as_one(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """The ``n_centres`` largest countries tied as one at ``hub_tie`` to every other country."""
    k = effects["n_centres"]
    alpha = np.ones((n, n))
    alpha[:k, k:] = alpha[k:, :k] = effects["hub_tie"]
    return Structure(alpha, tuple(range(k)))


def _spheres(n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """The ``k`` largest countries are centres (-1); the others are dealt to their spheres."""
    return np.concatenate([np.full(k, -1), deal(n - k, k, rng)])


def _hubs(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """Stars: each hub tied at ``hub_tie`` to its own sphere, at ``cross`` to the others'."""
    k = effects["n_centres"]
    sphere = _spheres(n, k, rng)
    alpha = np.ones((n, n))
    for c in range(k):
        alpha[c, sphere >= 0] = np.where(sphere[sphere >= 0] == c, effects["hub_tie"],
                                         effects["cross"])
        alpha[sphere >= 0, c] = alpha[c, sphere >= 0]
    spread = effects["orientation"]
    if spread > 0:
        pull = np.exp(rng.normal(-spread ** 2 / 2, spread, n - k))
        alpha[:k, k:] *= pull
        alpha[k:, :k] *= pull[:, None]
    return Structure(alpha, tuple(range(k)), sphere=sphere)


def _regional(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """Blocs dealt across strength ranks, tied at ``within`` inside, 1 between."""
    bloc = deal(n, effects["n_blocs"], rng)
    alpha = np.where(bloc[:, None] == bloc[None, :], effects["within"], 1.0)
    return Structure(alpha, bloc=bloc)


def _community_spheres(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """Spheres tied among themselves at ``within``, to their centre at ``hub_tie``."""
    k = effects["n_centres"]
    sphere = _spheres(n, k, rng)
    member = sphere >= 0
    same = member[:, None] & (sphere[:, None] == sphere[None, :])
    alpha = np.where(same, effects["within"], 1.0)
    for c in range(k):
        alpha[c, sphere == c] = alpha[sphere == c, c] = effects["hub_tie"]
    return Structure(alpha, tuple(range(k)), sphere=sphere, bloc=sphere)


def _geography(n: int, rng: np.random.Generator, effects: dict) -> Structure:
    """Points uniform on the unit sphere, affinity ``exp(-d / reach)`` of the great-circle
    distance ``d``."""
    points = rng.standard_normal((n, 3))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    alpha = np.exp(-great_circle(points) / effects["reach"])
    return Structure(alpha / alpha[np.triu_indices(n, 1)].mean(), positions=points)


def great_circle(points: np.ndarray) -> np.ndarray:
    return np.arccos(np.clip(points @ points.T, -1.0, 1.0))


BUILDERS = {"null": _null, "one_hub": _one_hub, "centre_as_one": _centre_as_one, "hubs": _hubs,
             "regional": _regional, "community_spheres": _community_spheres,
             "geography": _geography}


def checked_effects(kind: str, given: Mapping[str, float], n: int) -> dict:
    """The kind's effects: its defaults (:data:`EFFECTS`) with ``given`` on top, checked."""
    unknown = set(given) - set(EFFECTS[kind])
    if unknown:
        raise ValueError(f"{kind} worlds take no {', '.join(sorted(unknown))}; their effects are "
                         f"{', '.join(EFFECTS[kind]) or 'none'}")
    effects = {**EFFECTS[kind], **given}
    for name in ("hub_tie", "within", "cross", "reach"):
        if name in effects and not effects[name] > 0:
            raise ValueError(f"{name} must be a positive affinity, got {effects[name]}")
    if effects.get("orientation", 0.0) < 0:
        raise ValueError(f"orientation is a log-sd, at least 0; got {effects['orientation']}")
    limits = {"n_centres": (2, n // 10), "n_blocs": (2, n // 4), "centre_class": (2, n // 2)}
    for name, (low, high) in limits.items():
        if name in effects and not (int(effects[name]) == effects[name]
                                    and low <= effects[name] <= high):
            raise ValueError(f"{name} must be a whole number from {low} to {high} in a world of "
                             f"{n} countries, got {effects[name]}")
    return {name: int(value) if name in limits else float(value)
            for name, value in effects.items()}
