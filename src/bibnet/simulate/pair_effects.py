r"""Fixed pair effects: what makes planted counts as overdispersed as the real ones.

A planted pair's count is ``Poisson(mean * eps)`` with ``eps`` a fixed pair effect of mean 1
(language, history, consortia), drawn once per world from a random stream of its own, so the
same world at another volume has the same effects and only the Poisson noise differs
(:mod:`bibnet.simulate.spheres`). The variance of a pair's count is then
``m + (exp(s^2) - 1) m^2`` for lognormal effects of log-sd ``s`` (``m`` its mean).

Why the variance grows like ``m^POWER`` with ``POWER = 1.3`` (lognormal effects): the same
log-sd for every pair (``power=2``, the plain lognormal-Poisson) makes the biggest pairs so noisy
that the slope of log mean squared residual on log fitted mean of the gravity null comes out 2.2
where the real networks give 1.5-1.7 (1995-2023); with the log-sd shrinking for bigger pairs as
:func:`pair_log_sd` sets it, the measured slope is 1.6-1.9 on structureless worlds (seeds 0-2,
volumes 0.1-10, 220 countries; measured on the retired planted worlds' null kind, which drew
its pair effects with this function). The levels for each noise shape are in
:mod:`bibnet.simulate.dispersion`.

Examples
--------
>>> target = np.array([8.0, 4.0, 2.0, 1.0])
>>> sd = pair_log_sd(target, 1.0, POWER)
>>> bool(sd[0, 1] < sd[2, 3])  # the bigger pair is relatively less noisy
True
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaincinv

#: Shapes of the fixed pair effects (:func:`draw_pair_effects`).
NOISES = ("lognormal", "gamma")
#: Growth of the extra variance with the mean, ``m^POWER`` (2: the same log-sd for every pair).
POWER = 1.3
#: Largest log-sd of a pair effect (the smallest pairs, where Poisson noise dominates anyway).
SD_CAP = 2.0
#: Pair-links of a default world (the real 2015 network has 1,577,575 over 238 countries).
TOTAL_LINKS = 1.5e6


def draw_pair_effects(target: np.ndarray, sigma: float, rng: np.random.Generator, *,
                      noise: str = "lognormal", power: float = POWER,
                      structure: np.ndarray | None = None) -> np.ndarray:
    r"""Fixed multiplicative pair effects of mean 1: symmetric, zero diagonal.

    ``noise="lognormal"``: log-sd :func:`pair_log_sd` (``sigma`` at a pair of average gravity
    mean; the extra variance grows like ``m^power``, ``m`` the pair's mean with the planted
    ``structure`` in where given: a pair's noise follows its mean, as a variance function
    :math:`V(\mu)` says, whatever made the mean). ``noise="gamma"``: every pair
    ``Gamma(shape 1/sigma^2, scale sigma^2)``, variance ``sigma^2``, so the extra variance grows
    like ``m^2``. ``sigma=0`` gives no pair effects (Poisson counts). Both transform one fixed
    draw per pair (normal, uniform), so the effects move smoothly with ``sigma``.

    Examples
    --------
    >>> target = np.array([8.0, 4.0, 2.0, 1.0])
    >>> eps = draw_pair_effects(target, 0.5, np.random.default_rng(0), noise="gamma")
    >>> bool((eps == eps.T).all()), float(eps.trace()), bool((eps[0, 1:] > 0).all())
    (True, 0.0, True)
    """
    n = len(target)
    upper = np.triu_indices(n, 1)
    if noise == "lognormal":
        log_sd = pair_log_sd(target, sigma, power, structure)[upper]
        values = np.exp(log_sd * rng.standard_normal(len(upper[0])) - log_sd ** 2 / 2)
    elif noise == "gamma":  # by inversion of fixed uniforms: the same effects at every level
        uniform = rng.random(len(upper[0]))
        values = (gammaincinv(sigma ** -2, uniform) * sigma ** 2 if sigma > 0
                  else np.ones_like(uniform))
    else:
        raise ValueError(f"unknown noise shape {noise!r}; use one of {', '.join(NOISES)}")
    eps = np.zeros((n, n))
    eps[upper] = values
    return eps + eps.T


def pair_log_sd(target: np.ndarray, sigma: float, power: float,
                 structure: np.ndarray | None = None) -> np.ndarray:
    """Log-sd of each pair effect: ``sigma`` at a pair of average gravity mean, so that the
    extra variance ``(exp(sd^2) - 1) m^2`` grows like ``m^power`` (capped at :data:`SD_CAP`).

    ``m = s_i s_j / sum(s)`` is the pair's gravity mean from the target strengths at volume 1,
    times ``structure`` where given, so the pair effects do not depend on the volume."""
    gravity = np.outer(target, target) / target.sum()
    if structure is not None:
        gravity = gravity * structure
    relative = gravity / gravity[np.triu_indices(len(target), 1)].mean()
    excess = np.expm1(sigma ** 2) * relative ** (power - 2)
    return np.minimum(np.sqrt(np.log1p(excess)), SD_CAP)


def deal(n: int, n_groups: int, rng: np.random.Generator) -> np.ndarray:
    """Groups for ``n`` countries in descending strength, dealt in rounds: each round of
    ``n_groups`` strength ranks goes one to each group, in a random order, so every group has
    big and small members.

    >>> np.sort(deal(6, 3, np.random.default_rng(0))[:3]).tolist()
    [0, 1, 2]
    """
    rounds = -(-n // n_groups)
    return np.concatenate([rng.permutation(n_groups) for _ in range(rounds)])[:n]
