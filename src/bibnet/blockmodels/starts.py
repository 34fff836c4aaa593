"""Starts of the block models' node-move search (:mod:`bibnet.blockmodels.estimators`,
"Fitting"): the coreness seeds by strength rank, spectral clusters (SCORE), the ways of dealing
a finer unconstrained fit's groups to a family's blocks, and uniformly random labels. Every
function takes the nodes in canonical order
(:func:`~bibnet.blockmodels.estimators.canonical_order`).
"""

from __future__ import annotations

import warnings
from functools import cache, lru_cache

import numpy as np
from scipy.cluster.vq import kmeans2

from bibnet.blockmodels import _kernel, structures
from bibnet.blockmodels.structures import Structure

# An empty k-means cluster is filled by fill_empty; kmeans2's warning about it is noise here.
# Set once at import: warnings.catch_warnings around the call is not thread-safe, and Snakemake
# runs the jobs as threads of one process.
warnings.filterwarnings("ignore", "One of the clusters is empty", UserWarning)

#: Coreness seeds: (core, core + semi-periphery) shares of the strength ranking. Several,
#: because the search from one cut can stall on a tier boundary (measured on planted
#: layered worlds: 5 starts missed the planted tiers that 10 found).
RANK_CUTS = ((0.1, 0.3), (0.05, 0.15), (0.3, 0.6))
#: The reference fit has the most groups (at most 8) whose ways of being dealt to the family's
#: blocks number at most MAX_MERGES (the likeliest of those ways are starts:
#: ``estimators.MERGE_STARTS``).
MAX_REFERENCE_GROUPS = 8
MAX_MERGES = 5000
#: Dealings are enumerated from all K**groups maps (groups >= K): a family with more blocks
#: (8**8 maps, 1 GiB) starts from the other seeds only.
MAX_DEALING_MAPS = 10 ** 6


def rank_start(structure: Structure, n: int, core: float, inner: float) -> np.ndarray:
    """Coreness seed: nodes in canonical (strength) order fill core, then semi, then periphery.

    The strongest ``core`` share go to the core tier, the rest of the strongest ``inner``
    share to the semi-periphery; within a tier, nodes go round-robin to its blocks, so that
    several cores each get strong nodes.
    """
    tier_of_rank = np.full(n, structures.PERIPHERY)
    tier_of_rank[: int(np.ceil(inner * n))] = structures.SEMI
    tier_of_rank[: int(np.ceil(core * n))] = structures.CORE
    present = np.unique(structure.tiers)
    labels = np.empty(n, dtype=np.int64)
    for tier in (structures.CORE, structures.SEMI, structures.PERIPHERY):
        # A tier the family lacks takes the next one outwards (core_periphery has no semi).
        outwards = present[present >= tier]
        blocks = np.flatnonzero(structure.tiers == (outwards[0] if outwards.size else present[-1]))
        ranks = np.flatnonzero(tier_of_rank == tier)
        labels[ranks] = blocks[np.arange(ranks.size) % blocks.size]
    return fill_empty(labels, structure.n_blocks)


def spectral_labels(B: np.ndarray, K: int, rng: np.random.Generator) -> np.ndarray:
    """SCORE clusters (Jin 2015), a spectral start made for degree-corrected block models.

    The leading eigenvectors of the degree-normalised counts, each divided entrywise by the
    first (which cancels the degree parameters), clustered by k-means into K groups.
    """
    if K == 1:
        return np.zeros(B.shape[0], dtype=np.int64)
    values, vectors = _normalised_eigen(B.tobytes(), B.shape[0])
    lead = vectors[:, np.argsort(-np.abs(values))[:K]]
    first = np.where(np.abs(lead[:, 0]) > 1e-12, lead[:, 0], 1e-12)
    limit = np.log(B.shape[0])  # Jin's threshold against a few extreme ratios
    ratios = np.clip(lead[:, 1:] / first[:, None], -limit, limit)
    _, labels = kmeans2(ratios, K, minit="++", seed=rng)
    return fill_empty(labels.astype(np.int64), K)


@lru_cache(maxsize=4)
def _normalised_eigen(counts: bytes, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues and vectors of the degree-normalised counts, once per matrix: every family
    and number of blocks fitted to one network starts from the same decomposition (measured
    on the real 2015 network: ``eigh`` was a sixth of a quick refit of every reading)."""
    B = np.frombuffer(counts).reshape(n, n)
    strength = B.sum(axis=1)
    scale = np.divide(1.0, np.sqrt(strength), out=np.zeros_like(strength), where=strength > 0)
    values, vectors = np.linalg.eigh(B * np.outer(scale, scale))
    values.flags.writeable = vectors.flags.writeable = False
    return values, vectors


def deal_by_cohesion(B: np.ndarray, structure: Structure, labels: np.ndarray) -> np.ndarray:
    """Deal groups to the family's blocks: the most cohesive group (internal works per pair)
    to the first core, and so on outwards."""
    K = structure.n_blocks
    M, _, _, S = _kernel.block_sums(B, np.ones(B.shape[0]), labels, K)
    cohesion = np.diag(M) / np.maximum(S * (S - 1), 1)
    mapping = np.empty(K, dtype=np.int64)
    mapping[np.argsort(-cohesion, kind="stable")] = np.argsort(structure.tiers, kind="stable")
    return mapping[labels]


def reference_groups(K: int) -> int:
    """Groups of the reference fit: the most, up to MAX_REFERENCE_GROUPS, whose dealings to
    K blocks number at most MAX_MERGES (K itself at least)."""
    groups = K
    while groups < MAX_REFERENCE_GROUPS and K ** (groups + 1) <= MAX_MERGES:
        groups += 1
    return groups


@cache
def dealings(groups: int, K: int) -> np.ndarray:
    """Every map of ``groups`` groups onto K blocks that leaves no block empty, one per row.

    Examples
    --------
    >>> dealings(3, 2).tolist()
    [[0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0]]
    """
    maps = np.stack(np.unravel_index(np.arange(K ** groups), (K,) * groups), axis=1)
    onto = np.all([(maps == block).any(axis=1) for block in range(K)], axis=0)
    return np.ascontiguousarray(maps[onto], dtype=np.int64)


def random_start(rng: np.random.Generator, K: int, n: int) -> np.ndarray:
    """Uniformly random labels of ``n`` nodes with every one of the K blocks used."""
    return fill_empty(rng.integers(K, size=n), K)


def fill_empty(labels: np.ndarray, K: int) -> np.ndarray:
    """Give each empty block one node, taken from the largest block (moves never empty one)."""
    labels = labels.copy()
    for block in range(K):
        if not (labels == block).any():
            largest = np.bincount(labels, minlength=K).argmax()
            labels[np.flatnonzero(labels == largest)[-1]] = block
    return labels
