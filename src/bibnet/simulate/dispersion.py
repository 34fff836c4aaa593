"""Noise levels of the sphere worlds: the pair effects' level for a target overdispersion.

The sphere worlds (:mod:`bibnet.simulate.spheres`) multiply every pair's mean by a fixed pair
effect of mean 1 (:func:`~bibnet.simulate.pair_effects.draw_pair_effects`):

``lognormal``, variance power ``p`` (1.3 by default, or 2)
    log-sd ``sigma`` at a pair of average size, shrinking for bigger pairs so that the extra
    variance grows like ``m^p`` (``p = 2``: every pair the log-sd ``sigma``);
``gamma``
    ``Gamma(shape 1/sigma^2, scale sigma^2)`` for every pair: variance ``sigma^2``, power 2.

:func:`level_for_dispersion` sets ``sigma`` for a target Pearson X^2/df of the gravity null
(:func:`degree_only_dispersion`: the degree-only fit without
self-pairs, X^2 over pairs minus countries) of null worlds at volume 1, averaged over
:data:`CALIBRATION_SEEDS`. :data:`DEFAULT_LEVELS` are its answers for the real 2015 X^2/df
(:data:`REAL_2015_DISPERSION`). The levels for the real 1995-2023 range (X^2/df 15 to 134;
220 countries, 1.5 million links):

==================  =====  =====  =====  =====
X^2/df target       15     30     71.6   134
==================  =====  =====  =====  =====
lognormal, p = 1.3  0.710  0.965  1.379  1.659
lognormal, p = 2    0.479  0.669  1.021  1.303
gamma               0.481  0.704  1.132  1.649
==================  =====  =====  =====  =====

One world's X^2/df scatters around the target (measured when the largest countries shared one
size, before `bibnet.simulate.TOP_DECAY`): over 40 fresh seeds (10-49) at the 71.6 levels
the mean is 74.1 / 72.6 / 69.6 with a coefficient of variation of 16 / 11 / 11 % (lognormal
1.3 / lognormal 2 / gamma); at the 15 levels the mean is 14.9 / 14.8 / 14.6. Every world records
its own (``SphereWorld.x2_per_df``). The structure a kind plants adds to the null's X^2/df
(module :mod:`bibnet.simulate.spheres`, measured table).
"""

from __future__ import annotations

import functools

import numpy as np

from bibnet.graphs.gravity import gravity_expected
from bibnet.simulate.pair_effects import NOISES, POWER, TOTAL_LINKS

#: Pearson X^2/df of the gravity null on the real 2015 network (``WrldCo2015.net``; re-measured
#: by the tests where the data are present).
REAL_2015_DISPERSION = 71.6
#: World seeds the noise level is calibrated on.
CALIBRATION_SEEDS = tuple(range(10))
#: ``sigma`` for each noise shape ``(noise, power)`` at which null worlds of the default size at
#: volume 1 have the real 2015 X^2/df (:func:`level_for_dispersion`; re-measured by the tests).
DEFAULT_LEVELS = {("lognormal", 1.3): 1.379, ("lognormal", 2.0): 1.021, ("gamma", 2.0): 1.132}
#: Level of the planted kinds' lognormal pair effects (power 1.3) at which the noise the study
#: reads off the block model's residuals matches the real networks': relative sd of a pair of
#: expected size 100 (1000) 0.72 (0.37) against the real 0.50-0.85 (0.25-0.48) of 1995-2023
#: (0.78 and 0.42 in 2015). The null worlds' level for the real X^2/df (1.452 when the largest
#: countries shared one size, 1.379 now) is about twice as noisy (1.50 and 0.92 at 1.452): there
#: all of the X^2/df is noise, in the real networks most of it is structure.
#: ``benchmarks/calibrate.py --level real-x2`` runs the planted kinds at that level
#: too; the synthetic source draws its worlds at this one (:mod:`bibnet.simulate.source`).
RESIDUAL_LEVEL = 0.8
#: Bracket of the level searched by :func:`level_for_dispersion`.
LEVEL_RANGE = (0.01, 3.0)


def noise_power(noise: str, power: float | None) -> float:
    """The variance power of a noise shape: ``power`` checked, or the shape's default.

    >>> noise_power("lognormal", None), noise_power("gamma", None)
    (1.3, 2.0)
    """
    if noise not in NOISES:
        raise ValueError(f"unknown noise shape {noise!r}; use one of {', '.join(NOISES)}")
    if noise == "gamma" and power not in (None, 2):
        raise ValueError(f"gamma pair effects have variance power 2, not {power}; use "
                         f"noise='lognormal' for another power")
    if power is None:
        return POWER if noise == "lognormal" else 2.0
    if not 1 <= power <= 2:
        raise ValueError(f"power ({power}) must be within 1..2")
    return float(power)


def noise_level(noise: str, power: float, sigma: float | None, dispersion: float | None,
                n_countries: int, total_links: float) -> float:
    """The level of the pair effects: ``sigma``, the level for the target ``dispersion``, or
    the default level of the noise shape."""
    if sigma is not None and dispersion is not None:
        raise ValueError("give the noise level as sigma or as a target dispersion, not both")
    if dispersion is not None:
        return level_for_dispersion(dispersion, noise=noise, power=power,
                                    n_countries=n_countries, total_links=total_links)
    if sigma is None:
        if (noise, power) not in DEFAULT_LEVELS:
            raise ValueError(f"no default level for {noise} pair effects of power {power}; "
                             f"give sigma or dispersion")
        return DEFAULT_LEVELS[noise, power]
    if not sigma >= 0:
        raise ValueError(f"sigma ({sigma}) must not be negative")
    return float(sigma)


@functools.lru_cache(maxsize=64)
def level_for_dispersion(target: float, *, noise: str = "lognormal", power: float | None = None,
                         n_countries: int = 220, total_links: float = TOTAL_LINKS,
                         seeds: tuple[int, ...] = CALIBRATION_SEEDS) -> float:
    """The level ``sigma`` of the pair effects at which null worlds at volume 1 have, on average
    over the world ``seeds``, the Pearson X^2/df ``target`` of the gravity null.

    Solved by Brent's method on the log level; every evaluation draws the same null worlds
    (same strengths and random streams), so the measured X^2/df moves with the level alone.
    Cached: a process solves each setting once (1-4 s at 220 countries).

    Examples
    --------
    >>> from bibnet.simulate.spheres import sphere_world
    >>> small = {"n_countries": 60, "total_links": 50_000}
    >>> level = level_for_dispersion(20.0, noise="gamma", seeds=(0, 1), **small)
    >>> worlds = [sphere_world("null", seed=s, noise="gamma", sigma=level, **small)
    ...           for s in (0, 1)]
    >>> round(float(np.mean([w.x2_per_df for w in worlds])))
    20
    """
    # imported here: a run that only draws worlds (every job of a synthetic run checks its
    # world when the workflow is parsed) does not pay scipy.optimize's import (0.8 s)
    from scipy.optimize import brentq

    from bibnet.simulate.spheres import sphere_world  # the worlds import their default levels

    power = noise_power(noise, power)

    def excess(log_level: float) -> float:
        measured = [sphere_world("null", seed=seed, n_countries=n_countries,
                                 total_links=total_links, noise=noise, power=power,
                                 sigma=float(np.exp(log_level))).x2_per_df for seed in seeds]
        return float(np.log(np.mean(measured) / target))

    low, high = np.log(LEVEL_RANGE)
    if excess(high) < 0:
        raise ValueError(f"X2/df {target} is beyond {noise} pair effects of power {power} at "
                         f"level {LEVEL_RANGE[1]}; more links (total_links) raise X2/df")
    if excess(low) > 0:
        raise ValueError(f"X2/df {target} is at or below what Poisson counts give (about 1)")
    return float(np.exp(brentq(excess, low, high, xtol=1e-3)))


def degree_only_dispersion(counts: np.ndarray) -> tuple[float, float]:
    """Overdispersion of ``counts`` around the degree-only null: Pearson X^2/df and the power.

    The null is the gravity fit without self-pairs (:func:`bibnet.graphs.gravity.
    gravity_expected`); ``X^2 = sum_{i<j} (A - mu)^2 / mu`` over pairs of positive mean,
    ``df = pairs - countries``. The power ``p`` of ``V(mu) ~ mu^p`` is the slope of the log mean
    squared residual on the log mean, pairs binned in 20 quantiles of the fitted mean, bins of
    mean below 0.5 left out. Countries without links are dropped.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> theta = rng.lognormal(2, 1, 60); mean = np.outer(theta, theta)
    >>> A = np.triu(rng.poisson(mean), 1); A = A + A.T
    >>> x2, power = degree_only_dispersion(A)
    >>> bool(0.8 < x2 < 1.2), bool(0.8 < power < 1.2)
    (True, True)
    """
    active = np.asarray(counts).sum(axis=1) > 0
    A = np.asarray(counts, dtype=float)[np.ix_(active, active)]
    upper = np.triu_indices(len(A), 1)
    a, mu = A[upper], gravity_expected(A)[upper]
    x2 = float(((a - mu) ** 2 / mu).sum() / (len(a) - len(A)))
    log_mu, squared = np.log(mu), (a - mu) ** 2
    edges = np.quantile(log_mu, np.linspace(0, 1, 21))
    bins = np.clip(np.searchsorted(edges, log_mu, side="right") - 1, 0, 19)
    x = np.array([log_mu[bins == b].mean() for b in range(20)])
    y = np.array([np.log(squared[bins == b].mean()) for b in range(20)])
    keep = x >= np.log(0.5)
    return x2, float(np.polyfit(x[keep], y[keep], 1)[0])
