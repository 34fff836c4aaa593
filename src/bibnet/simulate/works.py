"""SYNTHETIC works: each a set of countries, from which the pair counts of every counting scheme
(`bibnet.counting`) are computed directly.

A work's number of countries is drawn from `COUNTRIES_PER_WORK`, a made-up shape (not measured
on OpenAlex): 72 % of international works have 2 countries, 27.5 % have 3 to 10 (each size half
as likely as the one before) and 0.5 % are consortia of 20 to 60 countries. The first country
of a work is drawn in proportion to ``weights``, each partner in proportion to ``affinity`` with
that first country, without repeats. `pair_matrix` then weighs every pair-link of every work by
the scheme, so the matrices are exact, not estimates: they are what a correct fetch of the same
works must give.

`works_from_world` draws works whose pair-links follow a planted world (`bibnet.simulate`): the
``synthetic`` source uses it for the schemes other than ``whole``. `write_jsonl` writes works in
the format of the OpenAlex emulator's works mode (``../shared/tools/openalex_emulator.py
--works``), so tests can fetch the same works through the OpenAlex path.

Examples
--------
>>> works = draw_works(["GB", "KR", "US", "DE"], n_works=500, seed=3)
>>> works.n_works, int(works.sizes.min()), bool((works.sizes <= 4).all())
(500, 2, True)
>>> from bibnet.counting import Counting
>>> pairs, totals = pair_matrix(works, Counting("fractional"))
>>> bool(np.allclose(pairs.sum(axis=1), totals))  # a country's strength is its works
True
>>> whole, _ = pair_matrix(works, Counting("whole"))
>>> bool((whole >= pairs).all()), bool((whole == whole.T).all())
(True, True)
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bibnet.counting import Counting, Stratum

#: Share of international works by number of countries (sizes 2..60, sums to 1).
COUNTRIES_PER_WORK: dict[int, float] = {2: 0.72}
_TAIL = {n: 0.5 ** (n - 3) for n in range(3, 11)}
COUNTRIES_PER_WORK.update({n: 0.275 * w / sum(_TAIL.values()) for n, w in _TAIL.items()})
COUNTRIES_PER_WORK.update({n: 0.005 / 41 for n in range(20, 61)})


@dataclass(frozen=True, eq=False)
class WorkSet:
    """Works as sets of countries: work ``w`` has ``members[offsets[w]:offsets[w + 1]]``.

    Attributes
    ----------
    codes : tuple of str
        The countries; ``members`` index into them.
    offsets : numpy.ndarray
        ``n_works + 1`` start positions into ``members``.
    members : numpy.ndarray
        Country indices of every work, each work's distinct and sorted.
    synthetic : bool
        Always True.
    """

    codes: tuple[str, ...]
    offsets: np.ndarray
    members: np.ndarray
    synthetic: bool = True

    @property
    def n_works(self) -> int:
        return len(self.offsets) - 1

    @property
    def sizes(self) -> np.ndarray:
        """The number of countries of each work."""
        return np.diff(self.offsets)

    def work(self, index: int) -> list[str]:
        """The country codes of one work."""
        return [self.codes[i] for i in self.members[self.offsets[index]:self.offsets[index + 1]]]


def draw_sizes(n_works: int, rng: np.random.Generator, max_size: int) -> np.ndarray:
    """Numbers of countries per work from `COUNTRIES_PER_WORK`, sizes above ``max_size`` (the
    number of countries there are) left out."""
    sizes = np.array([n for n in COUNTRIES_PER_WORK if n <= max_size])
    shares = np.array([COUNTRIES_PER_WORK[n] for n in sizes])
    return rng.choice(sizes, size=n_works, p=shares / shares.sum())


def draw_works(codes: Sequence[str], n_works: int, seed: int,
               weights: Sequence[float] | None = None,
               affinity: np.ndarray | None = None) -> WorkSet:
    """Draw ``n_works`` international works over ``codes``.

    Parameters
    ----------
    codes : sequence of str
        The countries.
    n_works : int
    seed : int
        Same seed, same works.
    weights : sequence of float, optional
        How likely each country is to be a work's first country (default: all alike).
    affinity : numpy.ndarray, optional
        ``affinity[i, j] >= 0``: how likely ``j`` is a partner of a work whose first country is
        ``i`` (default: ``weights[j]``); every row needs ``n - 1`` positive entries off the
        diagonal for the largest works, so a zero is raised to a small floor.
    """
    rng = np.random.default_rng(seed)
    n = len(codes)
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if affinity is None:
        affinity = np.tile(weights, (n, 1))
    affinity = np.asarray(affinity, dtype=float).copy()
    affinity[affinity <= 0] = affinity[affinity > 0].min() * 1e-3 if (affinity > 0).any() else 1.0
    np.fill_diagonal(affinity, 0.0)
    sizes = draw_sizes(n_works, rng, n)
    firsts = rng.choice(n, size=n_works, p=weights / weights.sum())
    members = []
    for first, size in zip(firsts, sizes):
        row = affinity[first]
        # Efraimidis-Spirakis: the size-1 largest u^(1/w) are a weighted draw without repeats
        u = rng.random(n)
        scores = np.where(row > 0, np.log(u) / np.where(row > 0, row, 1.0), -np.inf)
        partners = np.argpartition(-scores, size - 2)[:size - 1]
        members.append(np.sort(np.append(partners, first)))
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    return WorkSet(tuple(codes), offsets.astype(np.int64),
                   np.concatenate(members).astype(np.int64) if members else np.zeros(0, np.int64))


def works_from_world(codes: Sequence[str], counts: np.ndarray, seed: int) -> WorkSet:
    """Works whose whole pair-links follow a planted world's counts in shape and size.

    First countries are drawn by strength, partners by the world's pair counts with the first
    country; the number of works makes the expected number of pair-links equal the world's.
    """
    counts = np.asarray(counts, dtype=float)
    strengths = counts.sum(axis=1)
    sizes = np.array([n for n in COUNTRIES_PER_WORK if n <= len(codes)])
    shares = np.array([COUNTRIES_PER_WORK[n] for n in sizes])
    links_per_work = float((shares / shares.sum() * sizes * (sizes - 1) / 2).sum())
    n_works = int(round(counts.sum() / 2 / links_per_work))
    return draw_works(codes, n_works, seed, weights=strengths, affinity=counts)


def stratum_counts(works: WorkSet, stratum: Stratum) -> np.ndarray:
    """Whole counts of the works in ``stratum``; the diagonal holds each country's works."""
    n = len(works.codes)
    matrix = np.zeros((n, n), dtype=np.int64)
    sizes = works.sizes
    inside = (sizes >= stratum.lo) & (sizes <= (stratum.hi or sizes.max(initial=0)))
    for size in np.unique(sizes[inside]):
        block = _members_of_size(works, size)
        for a in range(size):
            for b in range(size):
                np.add.at(matrix, (block[:, a], block[:, b]), 1)
    return matrix


def _members_of_size(works: WorkSet, size: int) -> np.ndarray:
    starts = works.offsets[:-1][works.sizes == size]
    return works.members[starts[:, None] + np.arange(size)]


def pair_matrix(works: WorkSet, counting: Counting) -> tuple[np.ndarray, np.ndarray]:
    """The pair counts of ``works`` under a scheme, and each country's works it counts.

    Returns
    -------
    pairs : numpy.ndarray
        Symmetric float matrix, zero diagonal: the weighted pair-links.
    totals : numpy.ndarray
        Each country's international works (2 or more countries; under ``capped`` only those
        with at most ``max_countries``).
    """
    n = len(works.codes)
    pairs = np.zeros((n, n))
    totals = np.zeros(n, dtype=np.int64)
    for size in np.unique(works.sizes):
        weight = counting.pair_weight(int(size)) if size >= 2 else 0.0
        if weight == 0:
            continue
        block = _members_of_size(works, int(size))
        np.add.at(totals, block.ravel(), 1)
        for a in range(size):
            for b in range(a + 1, size):
                np.add.at(pairs, (block[:, a], block[:, b]), weight)
    return pairs + pairs.T, totals


def write_jsonl(path: str | Path, works_by_year: Mapping[int, WorkSet]) -> Path:
    """Write works in the emulator's works-mode format (gzipped when ``path`` ends in ``.gz``):
    one ``{"id", "publication_year", "countries"}`` object a line, ids ``W1``, ``W2``, ..."""
    path = Path(path)
    lines, number = [], 0
    for year in sorted(works_by_year):
        works = works_by_year[year]
        for index in range(works.n_works):
            number += 1
            lines.append(json.dumps({"id": f"W{number}", "publication_year": int(year),
                                     "countries": works.work(index)}))
    text = "\n".join(lines) + "\n"
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
