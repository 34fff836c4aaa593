"""Block structures: which block-pair rates are tied, and how the tied rates are ordered.

A structure on ``K`` blocks maps every block pair ``(r, s)`` to one rate parameter
(``param_of[r, s]``) and lists order constraints ``hi >= lo`` between parameters. Blocks are
numbered so that the ordered families read naturally: block 0 is the (first) core.

================== ====== ===================================================================
family             blocks rates and constraints
================== ====== ===================================================================
core_periphery     2      w00 >= w01 >= w11
layered            B      w_rs = l_min(r,s), l0 >= l1 >= ... >= l_{B-1} (Gallagher et al. 2021)
multi_core_pairs   2k     blocks (c1, p1, ..., ck, pk); per pair l: w_clcl >= w_clpl >= w_plpl;
                          every pair of blocks in different pairs shares one background rate b,
                          with b <= w_clcl for every l (Kojaku & Masuda 2018, as a likelihood)
multi_core_shared  k+1    blocks (c1, ..., ck, p); w_clcl >= w_clp >= w_pp for every l; one
                          rate b shared by all pairs between different cores, b <= w_clcl
                          for every l and otherwise free: two cores are two because they
                          are tied more weakly than each is inside (Polanco & Newman 2023)
regional           B      one rate a_r inside each block, one rate b between any two blocks,
                          a_r >= b for every r: blocks tied mainly within themselves and
                          in no order (assortative "planted partition" blocks with
                          block-specific cohesion; Newman 2006, Peixoto 2020 for the
                          assortative SBM)
sbm                K      every w_rs free
================== ====== ===================================================================

The layered model's strict order (l0 > l1 > ...) is fitted as ``>=``: the maximum on the closed
set; a fit that ties two levels has collapsed to fewer tiers, and keeps no more structure than
the layered fit with fewer blocks.

Examples
--------
>>> s = layered()
>>> s.param_of.tolist()
[[0, 0, 0], [0, 1, 1], [0, 1, 2]]
>>> s.constraints.tolist()   # transitive closure: l0 >= l1, l0 >= l2, l1 >= l2
[[0, 1], [0, 2], [1, 2]]
>>> s.tiers.tolist()
[0, 1, 2]
>>> bool(np.isclose(s.log_order_odds, np.log(6)))   # one ordering of 3! allowed
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

#: Tier numbers used by every family: 0 core, 1 semi-periphery, 2 periphery.
CORE, SEMI, PERIPHERY = 0, 1, 2
#: Most blocks of the unconstrained reference (the ceiling of the reference scan) and of the
#: ordered or assortative families (their exact projection).
MAX_SBM_BLOCKS = 40
MAX_FAMILY_BLOCKS = 8
#: Largest number of order-constrained parameters: the exact projection enumerates the
#: lower sets of the order, at most 2**MAX_ORDERED of them.
MAX_ORDERED = 16


@dataclass(frozen=True)
class Structure:
    """Tied and ordered block rates of one family.

    Attributes
    ----------
    name : str
        Family name.
    param_of : numpy.ndarray of int, shape (K, K)
        Symmetric; the rate parameter of each block pair.
    constraints : numpy.ndarray of int, shape (C, 2)
        Rows ``(hi, lo)``: parameter ``hi`` >= parameter ``lo``; transitively closed, so that a
        parameter without data (zero exposure) cannot hide a violation between its neighbours.
    lower_sets : numpy.ndarray of int64
        Bit masks of every lower set of the order (a set containing, with each parameter, all
        parameters constrained below it); used by the exact isotonic projection.
    tiers : numpy.ndarray of int, shape (K,)
        Tier of each block (``CORE``, ``SEMI``, ``PERIPHERY``); for the SBM all periphery
        until fitted, when :func:`sbm_tiers` assigns them by internal rate.
    units : tuple of tuple of int
        Groups of blocks that can be swapped as a whole without changing the model (the pairs
        of ``multi_core_pairs``, the cores of ``multi_core_shared``, every block of the SBM);
        fitted labels are made canonical by ordering them.
    """

    name: str
    param_of: np.ndarray
    constraints: np.ndarray
    lower_sets: np.ndarray
    tiers: np.ndarray
    units: tuple[tuple[int, ...], ...]

    @property
    def n_blocks(self) -> int:
        return self.param_of.shape[0]

    @property
    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(param_of, constraints, lower_sets)``, as the compiled kernels take them."""
        return self.param_of, self.constraints, self.lower_sets

    @property
    def log_order_odds(self) -> float:
        """``log(P! / e)``: minus the log prior mass of the ordered rates' cone.

        ``e`` is the number of linear extensions of the order (the orderings of the P rates it
        allows), counted over the lattice of lower sets; ``e / P!`` is the prior probability of
        the cone under any exchangeable prior on the rates. 0 for an unconstrained structure.
        """
        if not self.lower_sets.size:
            return 0.0
        paths = {0: 1}
        for mask in sorted(self.lower_sets.tolist(), key=lambda m: bin(m).count("1")):
            if mask:
                paths[mask] = sum(paths.get(mask & ~(1 << p), 0) for p in range(self.n_rates)
                                  if mask >> p & 1)
        return float(math.lgamma(self.n_rates + 1) - math.log(paths[max(paths)]))

    @property
    def n_rates(self) -> int:
        return int(self.param_of.max()) + 1


def _closure(pairs: list[tuple[int, int]], n_params: int) -> np.ndarray:
    """Transitive closure of ``hi >= lo`` pairs, as sorted rows."""
    above = np.zeros((n_params, n_params), dtype=bool)
    for hi, lo in pairs:
        above[hi, lo] = True
    for mid in range(n_params):  # Warshall
        above |= above[:, [mid]] & above[[mid], :]
    return np.argwhere(above).astype(np.int64).reshape(-1, 2)


def _lower_sets(constraints: np.ndarray, n_params: int) -> np.ndarray:
    """Every lower set of the order, as bit masks; empty for an unconstrained structure.

    Every family either orders all its rates or none (the SBM), so subsets of all parameters
    are enumerated; the projection never runs for an unconstrained structure.
    """
    if not constraints.size:
        return np.empty(0, dtype=np.int64)
    if n_params > MAX_ORDERED:
        raise ValueError(f"{n_params} ordered rates; at most {MAX_ORDERED} are supported")
    masks = [bits for bits in range(1 << n_params)
             if all(bits >> lo & 1 for hi, lo in constraints if bits >> hi & 1)]
    return np.array(masks, dtype=np.int64)


def _make(name, param_of, pairs, tiers, units) -> Structure:
    # C-contiguous int64 throughout, so the kernels compile once for every family.
    param_of = np.ascontiguousarray(param_of, dtype=np.int64)
    n_params = int(param_of.max()) + 1
    constraints = np.ascontiguousarray(_closure(pairs, n_params))
    return Structure(name, param_of, constraints, _lower_sets(constraints, n_params),
                     np.asarray(tiers, dtype=np.int64), tuple(tuple(u) for u in units))


def core_periphery() -> Structure:
    """Two blocks, core (0) and periphery (1): w00 >= w01 >= w11."""
    return _make("core_periphery", [[0, 1], [1, 2]], [(0, 1), (1, 2)], [CORE, PERIPHERY], [])


def _check_blocks(n_blocks, low: int, high: int, what: str) -> None:
    if not isinstance(n_blocks, (int, np.integer)) or not low <= n_blocks <= high:
        raise ValueError(f"{what} must be an integer from {low} to {high}, got {n_blocks!r}")


def layered(n_tiers: int = 3) -> Structure:
    """``n_tiers`` tiers; the rate between two tiers is that of the more central one.

    Tier 0 is the core, the last the periphery, those between are semi-peripheries.

    Examples
    --------
    >>> layered(4).param_of.tolist()
    [[0, 0, 0, 0], [0, 1, 1, 1], [0, 1, 2, 2], [0, 1, 2, 3]]
    >>> layered(4).tiers.tolist()
    [0, 1, 1, 2]
    """
    _check_blocks(n_tiers, 2, MAX_FAMILY_BLOCKS, "n_tiers")
    param_of = np.minimum.outer(np.arange(n_tiers), np.arange(n_tiers))
    tiers = [CORE] + [SEMI] * (n_tiers - 2) + [PERIPHERY]
    return _make("layered", param_of, [(t, t + 1) for t in range(n_tiers - 1)], tiers, [])


def regional(n_blocks: int) -> Structure:
    """``n_blocks`` blocks, each tied inside at its own rate, all tied to each other at one
    lower rate; no block is central to another (tiers: all periphery).

    Examples
    --------
    >>> s = regional(3)
    >>> s.param_of.tolist()
    [[0, 3, 3], [3, 1, 3], [3, 3, 2]]
    >>> s.constraints.tolist()
    [[0, 3], [1, 3], [2, 3]]
    """
    _check_blocks(n_blocks, 2, MAX_FAMILY_BLOCKS, "n_blocks")
    between = n_blocks
    param_of = np.full((n_blocks, n_blocks), between)
    np.fill_diagonal(param_of, np.arange(n_blocks))
    return _make("regional", param_of, [(r, between) for r in range(n_blocks)],
                 [PERIPHERY] * n_blocks, [(block,) for block in range(n_blocks)])


def _check_k(k: int) -> None:
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ValueError(f"k must be an integer >= 2 (several centres), got {k!r}")


def multi_core_pairs(k: int) -> Structure:
    """k core-periphery pairs (c1, p1, ..., ck, pk) on one background rate."""
    _check_k(k)
    n_blocks = 2 * k
    background = 3 * k
    param_of = np.full((n_blocks, n_blocks), background)
    pairs = []
    for pair in range(k):
        c, p = 2 * pair, 2 * pair + 1
        cc, cp, pp = 3 * pair, 3 * pair + 1, 3 * pair + 2
        param_of[c, c], param_of[c, p], param_of[p, c], param_of[p, p] = cc, cp, cp, pp
        pairs += [(cc, cp), (cp, pp), (cc, background)]
    tiers = [CORE, PERIPHERY] * k
    return _make("multi_core_pairs", param_of, pairs, tiers,
                 [(2 * pair, 2 * pair + 1) for pair in range(k)])


def multi_core_shared(k: int) -> Structure:
    """k cores (0..k-1) sharing one periphery (block k)."""
    _check_k(k)
    between, pp = 2 * k, 2 * k + 1
    param_of = np.full((k + 1, k + 1), between)
    pairs = []
    for core in range(k):
        param_of[core, core] = core
        param_of[core, k] = param_of[k, core] = k + core
        pairs += [(core, k + core), (k + core, pp), (core, between)]
    param_of[k, k] = pp
    return _make("multi_core_shared", param_of, pairs, [CORE] * k + [PERIPHERY],
                 [(core,) for core in range(k)])


def sbm(n_blocks: int) -> Structure:
    """Unconstrained stochastic block model on ``n_blocks`` blocks."""
    _check_blocks(n_blocks, 1, MAX_SBM_BLOCKS, "n_blocks")
    upper = np.zeros((n_blocks, n_blocks), dtype=np.int64)
    rows, cols = np.triu_indices(n_blocks)
    upper[rows, cols] = np.arange(rows.size)
    param_of = np.maximum(upper, upper.T)
    return _make("sbm", param_of, [], [PERIPHERY] * n_blocks,
                 [(block,) for block in range(n_blocks)])


def sbm_tiers(block_rates: np.ndarray) -> np.ndarray:
    """Tiers of SBM blocks by internal rate: highest core, lowest periphery, others semi.

    Examples
    --------
    >>> sbm_tiers(np.diag([0.1, 3.0, 1.0, 0.5])).tolist()
    [2, 0, 1, 1]
    >>> sbm_tiers(np.ones((1, 1))).tolist()   # one block: no structure, all periphery
    [2]
    """
    n_blocks = block_rates.shape[0]
    tiers = np.full(n_blocks, SEMI if n_blocks > 2 else PERIPHERY, dtype=np.int64)
    if n_blocks == 1:
        return np.array([PERIPHERY])
    order = np.argsort(-np.diag(block_rates), kind="stable")
    tiers[order[0]], tiers[order[-1]] = CORE, PERIPHERY
    return tiers
