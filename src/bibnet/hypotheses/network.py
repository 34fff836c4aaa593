"""One year's network in the canonical form every test of the study starts from.

Countries are sorted by code and those without links dropped before any random step, so the
same counts in another order give the same answer to the byte (the permutations and draws of
the tests are then taken over the same sequence). The gravity null is fitted once here
(:func:`bibnet.graphs.gravity.gravity_expected`: without self-pairs).

Examples
--------
>>> import numpy as np
>>> A = np.array([[0, 5, 1, 0], [5, 0, 2, 0], [1, 2, 0, 0], [0, 0, 0, 0]])
>>> net = Network.from_counts(A, ["US", "DE", "AT", "ZZ"])
>>> net.codes, net.largest(2)
(('AT', 'DE', 'US'), array([1, 2]))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bibnet.graphs.gravity import gravity_expected


@dataclass(frozen=True)
class Network:
    """Counts of works per pair of countries in canonical order, with the gravity null.

    Attributes
    ----------
    codes : tuple of str
        Country codes, sorted.
    counts : numpy.ndarray
        Symmetric pair counts, zero diagonal, float.
    expected : numpy.ndarray
        The gravity null's expected counts (without self-pairs).
    """

    codes: tuple[str, ...]
    counts: np.ndarray
    expected: np.ndarray

    @classmethod
    def from_counts(cls, counts: np.ndarray, codes: Sequence[str]) -> "Network":
        """Canonical network from a square count matrix and its country codes.

        Raises
        ------
        ValueError
            If the matrix is not square and symmetric with a zero diagonal, holds negative
            counts, or its size does not match the codes.
        """
        counts = np.asarray(counts, dtype=float)
        if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or len(codes) != len(counts):
            raise ValueError(f"counts must be a square matrix with one row per code; got "
                             f"shape {counts.shape} for {len(codes)} codes")
        if (counts < 0).any() or np.diag(counts).any() or not np.allclose(counts, counts.T):
            raise ValueError("counts must be symmetric, non-negative, with a zero diagonal "
                             "(a country's pairs with itself are not pairs)")
        if len(set(codes)) != len(codes):
            raise ValueError("country codes repeat")
        linked = np.flatnonzero(counts.sum(axis=1) > 0)
        order = linked[np.argsort(np.asarray(codes, dtype=object)[linked], kind="stable")]
        sorted_counts = counts[np.ix_(order, order)]
        return cls(tuple(codes[i] for i in order), sorted_counts,
                   gravity_expected(sorted_counts))

    @property
    def strength(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    def largest(self, k: int) -> np.ndarray:
        """Indices of the ``k`` strongest countries, strongest first (ties by code)."""
        order = np.lexsort((np.arange(len(self.codes)), -self.strength))
        return order[:k]

    def index(self, code: str) -> int | None:
        """Position of ``code``, or None where the country has no links."""
        try:
            return self.codes.index(code)
        except ValueError:
            return None
