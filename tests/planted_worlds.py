"""Planted worlds the tests of several stages share (SYNTHETIC).

``WORLDS``: per family, a world of ``N`` countries from ``bibnet.simulate``, the rates planted on
it in the estimators' normalisation (``replant``) and the model that should recover it, at the
signal strengths measured on the real 2015 network
(``tests/blockmodels/test_blockmodels_planted.py`` gives the table).
"""

from __future__ import annotations

import numpy as np

from bibnet import simulate
from bibnet.blockmodels import CorePeriphery, Layered, MultiCorePairs, MultiCoreShared, Regional

N = 100


def _pairs(cc, cp, pp, bg):
    omega = np.full((4, 4), float(bg))
    omega[:2, :2] = omega[2:, 2:] = [[cc, cp], [cp, pp]]
    return omega


WORLDS = {
    "core_periphery": (
        lambda seed: simulate.multi_core(N, 1, seed=seed, core_size=int(0.30 * N)),
        np.array([[3.17, 1.15], [1.15, 1.0]]),
        lambda: CorePeriphery()),
    "layered": (
        lambda seed: simulate.layered(N, seed=seed, tier_sizes=(31, 28)),
        np.array([2.125, 1.51, 1.0])[np.minimum.outer(np.arange(3), np.arange(3))],
        lambda: Layered()),
    "multi_core_pairs": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=8),
        _pairs(7, 2, 1.5, 1),
        lambda: MultiCorePairs(k=2)),
    "multi_core_shared": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=30, shared_periphery=True),
        np.array([[6.0, 3.35, 1.1], [3.35, 6.0, 1.1], [1.1, 1.1, 1.0]]),
        lambda: MultiCoreShared(k=2)),
    "regional": (
        lambda seed: simulate.multi_core(N, 2, seed=seed, core_size=20),
        np.where(np.eye(4, dtype=bool), np.diag([3.0, 2.0, 2.5, 1.8]), 1.0),
        lambda: Regional(n_blocks=4)),
}
