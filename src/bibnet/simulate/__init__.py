"""Planted worlds: SYNTHETIC country co-authorship networks with a known block structure.

Every world is drawn from the degree-corrected Poisson blockmodel shared with
``bibnet.blockmodels``: for each pair ``i < j``,
``A_ij ~ Poisson(theta_i theta_j omega[g_i, g_j])``; the matrix is symmetric with a zero
diagonal. Block 0 is always the (first) core. Families:

``layered`` (3 tiers)
    ``omega[r, s] = lambda[min(r, s)]`` with ``lambda_0 > lambda_1 > lambda_2``.
``core_periphery``
    ``multi_core`` with ``k=1``: blocks (core, periphery).
``multi_core_pairs`` (Kojaku & Masuda)
    Blocks ``(c_1, p_1, ..., c_k, p_k)``; within a pair c-c >= c-p >= p-p, one lower background
    rate between pairs.
``multi_core_shared`` (Polanco & Newman)
    ``k`` cores and one shared periphery (the last block); a core's own rate >= core-periphery
    >= periphery-periphery >= the background rate between two cores.
``null``
    One block: ``lambda_ij`` proportional to ``theta_i theta_j``.

These worlds have Poisson counts: the block models' estimators are tested on them
(``tests/planted_worlds.py``). :func:`~bibnet.simulate.spheres.sphere_world` draws the worlds of
the study of centres and their spheres: hubs, spheres, regional blocs and a smooth geography
planted in affinities beyond size, under lognormal or gamma pair effects at a chosen
overdispersion (:mod:`bibnet.simulate.pair_effects`); the synthetic source draws them
(:mod:`bibnet.simulate.source`).

``multi_core(..., hub=True)`` adds one giant hub country, alone in the last block, linked to
every block at the core rate: two centres hidden under one hub, seen only once the hub is dropped.

The degree parameters are solved so that every country's *expected strength* (its works summed
over partners) equals a heavy-tailed target: lognormal strengths with one dominant country, "US",
holding a fixed share of all strength. Every :class:`World` is marked SYNTHETIC
(``World.synthetic``).

Realistic signal strengths
--------------------------
Measured by ``calibrate`` (``tests/planted_worlds.py``) on the real network ``WrldCo2015.net``
(OpenAlex, Batagelj 2024) and kept in :data:`REAL_2015` (a test re-measures them when the file is
present):

==========================================  ==========  ====================================
figure                                      2015        use here
==========================================  ==========  ====================================
countries with international works          238         --
works summed over pairs                     1,577,575   6,628 per country scales totals
sd of log strength                          2.59        lognormal shape of the targets
top country, share of all strength          US, 0.139   the dominant country's share
top / second strength                       1.86        cap on everyone but the top country
layered DC rates lambda_0/lambda_2          0.485       magnitude of the planted signal
layered DC rates lambda_1/lambda_2          0.469       --
==========================================  ==========  ====================================

The layered rates come from the simplest 3-tier fit: countries ranked by strength, cut 10 / 35 /
rest, ``lambda_t`` = works over pairs whose better tier is ``t`` divided by the sum of
``s_i s_j`` over those pairs (strengths as degree parameters). The real data put the strongest
ten *below* the periphery once degrees are corrected for (ratio 0.485; 0.45 to 0.56 over
1990-2023), so there is no measured core > periphery ordering to copy. The planted worlds
therefore take the measured *magnitude* of departure from the degree-only null,
``R = 1 / 0.485 = 2.06``, in the order the models posit: layered rates ``(R, sqrt(R), 1)``;
multi-core rates c-c ``R``, c-p ``sqrt(R)``, p-p ``1``, background ``1/sqrt(R)``. The hub world
gives the hub the largest US share of the series (0.207, 1990). Stronger or weaker signals are
one argument away (``rate_ratios``, ``rates``).

Examples
--------
>>> world = layered(60, seed=1, place={"KR": 1})
>>> world.counts.shape, world.family, world.synthetic
((60, 60), 'layered', True)
>>> world.blocks[world.labels[world.codes.index("KR")]]
'semi-periphery'
>>> world.codes[0], bool((world.counts == world.counts.T).all()), int(world.counts.trace())
('US', True, 0)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from bibnet import countries

#: The country that plays the dominant ("US-like") role in every world.
DOMINANT = "US"
LAYERED_BLOCKS = ("core", "semi-periphery", "periphery")
#: Core and semi-periphery sizes of the calibration's strength-ranked 3-tier cut.
CALIBRATION_TIERS = (10, 35)


@dataclass(frozen=True)
class Calibration:
    """Figures measured on one real country network (``calibrate``, ``tests/planted_worlds.py``)."""

    n_active: int
    total_works: int
    log_strength_sd: float
    top_code: str
    top_share: float
    top_ratio: float
    layered_ratios: tuple[float, float]


#: ``calibrate`` on ``WrldCo2015.net``, rounded to 3 digits (re-measured by the tests).
REAL_2015 = Calibration(n_active=238, total_works=1577575, log_strength_sd=2.586,
                        top_code="US", top_share=0.139, top_ratio=1.864,
                        layered_ratios=(0.485, 0.469))
#: Largest top-country share of the series (US, ``WrldCo1990.net``), given to the giant hub.
REAL_1990_TOP_SHARE = 0.207
#: Planted signal: the measured magnitude of the layered core/periphery DC rate ratio.
SIGNAL = 1 / REAL_2015.layered_ratios[0]
LAYERED_RATIOS = (SIGNAL, SIGNAL ** 0.5, 1.0)
#: Multi-core rates: (core-core, core-periphery, periphery-periphery, background).
MULTI_CORE_RATES = (SIGNAL, SIGNAL ** 0.5, 1.0, SIGNAL ** -0.5)


@dataclass(frozen=True, eq=False)
class World:
    """One SYNTHETIC world: planted blocks, degree parameters and the Poisson counts drawn.

    Attributes
    ----------
    codes, names : tuple of str
        ISO 3166-1 alpha-2 codes (real ones, so every later step validates) and display names.
    counts : numpy.ndarray
        Symmetric ``int64`` works per pair, zero diagonal.
    labels : numpy.ndarray
        Planted block of each country (0 = the first core).
    blocks : tuple of str
        Name of each block.
    theta, omega : numpy.ndarray
        Degree parameters and block rates: ``E[counts[i, j]] = theta[i] theta[j] omega[gi, gj]``.
    family : str
        ``layered``, ``core_periphery``, ``multi_core_pairs``, ``multi_core_shared`` or ``null``.
    params : dict
        The arguments the world was drawn with.
    synthetic : bool
        Always True: nothing made from a World is real data.
    """

    codes: tuple[str, ...]
    names: tuple[str, ...]
    counts: np.ndarray
    labels: np.ndarray
    blocks: tuple[str, ...]
    theta: np.ndarray
    omega: np.ndarray
    family: str
    params: dict = field(default_factory=dict)
    synthetic: bool = True


def strengths(counts: np.ndarray) -> np.ndarray:
    """Each country's works summed over its partners (the diagonal ignored)."""
    counts = np.asarray(counts, dtype=float)
    return counts.sum(axis=1) - np.diag(counts)


#: How the largest countries below the first fall in size: rank r at most ``(r / 2) ** -0.62``
#: of the second's strength, fitted to the real 2015 network (ranks 2 to 12: GB 1, DE 0.84,
#: FR 0.70, CN 0.65, IT 0.52, ..., JP 0.33; the law gives 1, 0.78, 0.65, 0.58, 0.51, ..., 0.33).
#: One cap for all (the real ratio of the first to the second) made ranks 2 to 6 equal, and
#: which of them were "the five largest" a matter of noise.
TOP_DECAY = 0.62


def _target_strengths(n: int, top_share: float, rng: np.random.Generator) -> np.ndarray:
    """Descending lognormal strengths; the first holds ``top_share`` of the total, which is
    ``2 * total works`` at the measured works per country."""
    raw = np.sort(rng.lognormal(0.0, REAL_2015.log_strength_sd, n))[::-1][1:]
    # Below the first, each country is at most its rank's share of the second's size as in the
    # real networks (`TOP_DECAY`); the second's size c is where the first, at the real ratio to
    # the second, holds ``top_share`` of all (one root: the right side grows slower in c).
    envelope = (np.arange(n - 1) / 2 + 1) ** -TOP_DECAY
    ratio, odds = REAL_2015.top_ratio, top_share / (1 - top_share)
    low, high = 0.0, raw.max() * 1e3
    for _ in range(200):
        c = (low + high) / 2
        if ratio * c > odds * np.minimum(raw, c * envelope).sum():
            high = c
        else:
            low = c
    s = np.concatenate([[ratio * c], np.minimum(raw, c * envelope)])
    return s / s.sum() * 2 * n * REAL_2015.total_works / REAL_2015.n_active


def _solve_theta(target: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Degree parameters whose expected strengths ``theta_i sum_{j != i} theta_j rate_ij`` hit
    ``target`` (damped fixed point)."""
    theta = np.sqrt(target / target.sum())
    for _ in range(10_000):
        reach = rate @ theta - np.diag(rate) * theta
        theta = np.sqrt(theta * target / reach)
        if np.allclose(theta * (rate @ theta - np.diag(rate) * theta), target, rtol=1e-10):
            return theta
    raise RuntimeError("degree parameters did not converge; is one country's share above 1/2?")


def _roster(n: int, rng: np.random.Generator, include: Iterable[str]) -> list[str]:
    """``n`` real codes: the dominant country first, then ``include`` and random others,
    shuffled."""
    include = [code for code in dict.fromkeys(include) if code != DOMINANT]
    unknown = [code for code in include if not countries.is_known(code)]
    if unknown:
        raise ValueError(f"unknown country codes {unknown}; use ISO 3166-1 alpha-2 codes")
    pool = [code for code in countries.names() if code != DOMINANT and code not in include]
    if not 2 <= n <= len(pool) + len(include) + 1 or len(include) >= n:
        raise ValueError(f"n_countries={n} must be between {len(include) + 2} and "
                         f"{len(pool) + len(include) + 1}")
    others = list(rng.choice(pool, n - 1 - len(include), replace=False))
    return [DOMINANT, *rng.permutation(include + others).tolist()]


def _place(codes: list[str], labels: np.ndarray, place: Mapping[str, int],
           rng: np.random.Generator) -> list[str]:
    """Swap each placed code onto a random position of its block (never the dominant's)."""
    codes = list(codes)
    for code, block in place.items():
        spots = [i for i in np.flatnonzero(labels == block) if codes[i] != DOMINANT
                 and codes[i] not in place]
        if code == DOMINANT or not spots:
            raise ValueError(f"cannot place {code} in block {block}")
        i, j = codes.index(code), int(rng.choice(spots))
        codes[i], codes[j] = codes[j], codes[i]
    return codes


def _draw(family: str, blocks: tuple[str, ...], labels: np.ndarray, omega: np.ndarray,
          top_share: float, seed: int, noise_seed: int | None, place: Mapping[str, int] | None,
          include: Iterable[str], params: dict) -> World:
    """Draw a world whose countries, ranked by target strength, carry ``labels``."""
    place = dict(place or {})
    n = len(labels)
    rng = np.random.default_rng(seed)
    target = _target_strengths(n, top_share, rng)
    codes = _place(_roster(n, rng, [*place, *include]), labels, place, rng)
    theta = _solve_theta(target, omega[np.ix_(labels, labels)])
    upper = np.triu_indices(n, 1)
    mean = theta[upper[0]] * theta[upper[1]] * omega[labels[upper[0]], labels[upper[1]]]
    counts = np.zeros((n, n), dtype=np.int64)
    counts[upper] = np.random.default_rng(seed if noise_seed is None else noise_seed).poisson(mean)
    counts += counts.T
    params = {**params, "seed": seed, "noise_seed": noise_seed, "place": place,
              "top_share": top_share}
    return World(tuple(codes), tuple(countries.name(c) for c in codes), counts, labels, blocks,
                 theta, omega, family, params)


def layered(n_countries: int = 200, *, seed: int, rate_ratios: tuple[float, float, float]
            = LAYERED_RATIOS, tier_sizes: tuple[int, int] | None = None,
            top_share: float = REAL_2015.top_share, place: Mapping[str, int] | None = None,
            include: Iterable[str] = (), noise_seed: int | None = None) -> World:
    """A three-tier layered world: the strongest ``tier_sizes[0]`` countries form the core, the
    next ``tier_sizes[1]`` the semi-periphery.

    Parameters
    ----------
    n_countries : int
    seed : int
        Seeds the roster, the strengths and (unless ``noise_seed``) the Poisson draw.
    rate_ratios : (float, float, float)
        ``lambda_0 > lambda_1 > lambda_2``; the default is the realistic signal (module docs).
    tier_sizes : (int, int), optional
        Core and semi-periphery sizes; by default the calibration's 10 and 35 of 238 countries,
        scaled to ``n_countries`` (at least 2 each).
    top_share : float
        The dominant country's share of all strength.
    place : mapping of str to int, optional
        Countries planted in a given tier, e.g. ``{"KR": 1}``: Korea in the semi-periphery.
    include : iterable of str
        Countries that must be in the world (e.g. the configured focal pair).
    noise_seed : int, optional
        A separate seed for the Poisson draw: same countries and blocks, new counts.

    Examples
    --------
    >>> w = layered(50, seed=3)
    >>> np.bincount(w.labels).tolist(), w.omega[0].round(2).tolist()
    ([2, 7, 41], [2.06, 2.06, 2.06])
    """
    if tier_sizes is None:
        tier_sizes = tuple(max(2, round(n_countries * size / REAL_2015.n_active))
                           for size in CALIBRATION_TIERS)
    lam = np.asarray(rate_ratios, dtype=float)
    if len(lam) != 3 or not lam[0] > lam[1] > lam[2] > 0:
        raise ValueError(f"rate_ratios must be decreasing and positive, got {rate_ratios}")
    if sum(tier_sizes) >= n_countries:
        raise ValueError(f"tier_sizes {tier_sizes} leave no periphery among {n_countries}")
    labels = np.repeat([0, 1, 2], [tier_sizes[0], tier_sizes[1], n_countries - sum(tier_sizes)])
    omega = lam[np.minimum.outer(np.arange(3), np.arange(3))]
    return _draw("layered", LAYERED_BLOCKS, labels, omega, top_share, seed, noise_seed, place,
                 include, {"n_countries": n_countries, "rate_ratios": tuple(rate_ratios),
                           "tier_sizes": tuple(tier_sizes)})


def multi_core(n_countries: int = 200, k: int = 2, *, seed: int, shared_periphery: bool = False,
               core_size: int = 5, rates: tuple[float, float, float, float] = MULTI_CORE_RATES,
               hub: bool = False, top_share: float | None = None,
               place: Mapping[str, int] | None = None, include: Iterable[str] = (),
               noise_seed: int | None = None) -> World:
    """A world of ``k`` centres: core-periphery pairs, or ``k`` cores sharing one periphery.

    The ``k * core_size`` strongest countries (after the hub, if any) are the cores, dealt to
    the centres in turn so each centre has strong and weaker cores; the other countries are dealt
    at random to the peripheries (pairs) or form the shared periphery.

    Parameters
    ----------
    n_countries, k : int
    seed : int
    shared_periphery : bool
        False: blocks ``(c_1, p_1, ..., c_k, p_k)`` (``multi_core_pairs``; ``core_periphery`` when
        ``k == 1``). True: blocks ``(c_1, ..., c_k, periphery)`` (``multi_core_shared``).
    core_size : int
        Countries per core.
    rates : (float, float, float, float)
        Core-core, core-periphery and periphery-periphery rates within a centre, and the lower
        background rate between centres (between two cores, for a shared periphery).
    hub : bool
        Add the dominant country as a giant hub, alone in the last block (``"hub"``), linked to
        every block at the core-core rate.
    top_share : float, optional
        The dominant country's share of strength; by default the 2015 US share, or the 1990 one
        (the largest measured) for a hub.
    place, include, noise_seed
        As for :func:`layered`; ``place`` takes block numbers.

    Examples
    --------
    >>> w = multi_core(60, k=2, seed=4, hub=True)
    >>> w.family, w.blocks, int(w.labels[0])
    ('multi_core_pairs', ('core 1', 'periphery 1', 'core 2', 'periphery 2', 'hub'), 4)
    """
    cc, cp, pp, bg = rates
    if not cc >= cp >= pp >= bg > 0:
        raise ValueError(f"rates must be c-c >= c-p >= p-p >= background > 0, got {rates}")
    n_hub = int(hub)
    n_cores = k * core_size
    if k < 1 or core_size < 1 or n_cores + n_hub + (1 if shared_periphery else k) > n_countries:
        raise ValueError(f"{k} centres of {core_size} cores do not fit in {n_countries} countries")
    rng = np.random.default_rng([seed, 1])  # dealing the peripheries; seed itself draws the rest
    centre = np.concatenate([np.arange(n_cores) % k,
                             rng.integers(0, k, n_countries - n_cores - n_hub)])
    is_core = np.arange(n_countries - n_hub) < n_cores
    if shared_periphery:
        names = tuple(f"core {c + 1}" for c in range(k)) + ("periphery",)
        labels = np.where(is_core, centre, k)
        omega = np.full((k + 1, k + 1), bg)
        np.fill_diagonal(omega, cc)
        omega[k, :k] = omega[:k, k] = cp
        omega[k, k] = pp
    else:
        names = tuple(f"{kind} {c + 1}" for c in range(k) for kind in ("core", "periphery"))
        labels = 2 * centre + ~is_core
        omega = np.full((2 * k, 2 * k), bg)
        for c in range(k):
            omega[2 * c:2 * c + 2, 2 * c:2 * c + 2] = [[cc, cp], [cp, pp]]
    if hub:
        names += ("hub",)
        labels = np.concatenate([[len(omega)], labels])
        omega = np.pad(omega, (0, 1), constant_values=cc)
    if top_share is None:
        top_share = REAL_1990_TOP_SHARE if hub else REAL_2015.top_share
    family = ("multi_core_shared" if shared_periphery
              else "core_periphery" if k == 1 else "multi_core_pairs")
    return _draw(family, names, labels.astype(int), omega, top_share, seed, noise_seed, place,
                 include, {"n_countries": n_countries, "k": k, "shared_periphery": shared_periphery,
                           "core_size": core_size, "rates": tuple(rates), "hub": hub})


def null(n_countries: int = 200, *, seed: int, top_share: float = REAL_2015.top_share,
         include: Iterable[str] = (), noise_seed: int | None = None) -> World:
    """The structureless degree-corrected null: one block, ``E[A_ij]`` proportional to
    ``theta_i theta_j``, with the same heavy-tailed strengths as the planted worlds.

    Examples
    --------
    >>> w = null(50, seed=5)
    >>> w.blocks, set(w.labels.tolist())
    (('all',), {0})
    """
    return _draw("null", ("all",), np.zeros(n_countries, dtype=int), np.ones((1, 1)), top_share,
                 seed, noise_seed, None, include, {"n_countries": n_countries})
