"""How a work with several countries counts towards its country pairs: ``whole``, ``fractional``
or ``capped``.

A work with ``n`` countries links ``n (n - 1) / 2`` pairs of them. The schemes give each such
pair-link a weight:

``whole`` (the default)
    1 for every pair-link: a pair's count is its number of co-authored works, so a few hundred
    consortium papers of 20-60 countries outweigh thousands of bilateral ones.
``fractional``
    ``1 / (n - 1)``: each country of a work has weight 1, spread evenly over its ``n - 1``
    partners. This is the fractional counting of co-authorship links of Perianes-Rodriguez,
    Waltman & van Eck (2016, "Constructing bibliometric networks: A comparison between full and
    fractional counting", J. Informetrics 10:1178-1195), VOSviewer's "fractional counting". It is
    chosen here because a country's strength (its pair weights summed over partners) is then
    exactly its number of internationally co-authored works, the ``intl_works`` total the counts
    stage reports beside the pairs; the blockmodels' degree terms keep their meaning in works.
    The other common choice, total weight 1 per work spread over its pairs
    (``2 / (n (n - 1))`` each), makes the whole network sum to the number of works but gives a
    country of a consortium paper only ``2 / n`` of it; it is not offered.
``capped``
    1 for works with at most ``max_countries`` countries (default 10), 0 above: whole counting
    without the consortia.

The counts stay integers under ``whole`` and ``capped`` and become fractions under
``fractional``. What each source can give is in `Counting.for_source`; how OpenAlex serves
the schemes (the strata of `Counting.strata`) is in `bibnet.fetch.rows`.

Examples
--------
>>> fractional = Counting("fractional")
>>> [fractional.pair_weight(n) for n in (2, 3, 5)]
[1.0, 0.5, 0.25]
>>> [s.filter for s in fractional.strata][:3], [s.filter for s in fractional.strata][-3:]
(['2', '3', '4'], ['11-20', '21-40', '>40'])
>>> Counting("capped", 10).strata[0].filter, Counting("whole").strata[0].filter
('2-10', '>1')
>>> Counting("capped", 10).label, Counting.from_tag("capped10") == Counting("capped", 10)
('capped (works with at most 10 countries)', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

SCHEMES = ("whole", "fractional", "capped")
DEFAULT_MAX_COUNTRIES = 10
#: The largest work size with a stratum of its own under ``fractional`` (2, 3, ..., 10).
LAST_EXACT = 10
#: The binned strata above it: (first, last) number of countries; None is open-ended.
BINS = ((11, 20), (21, 40), (41, None))


@dataclass(frozen=True)
class Stratum:
    """Works with ``lo`` to ``hi`` countries (``hi`` None: no upper end), as one OpenAlex filter.

    Examples
    --------
    >>> Stratum(3, 3).filter, Stratum(11, 20).filter, Stratum(41, None).filter
    ('3', '11-20', '>40')
    >>> Stratum(11, 20).name, round(Stratum(11, 20).weight_spread, 4)
    ('n11-20', 0.0474)
    """

    lo: int
    hi: int | None

    @property
    def exact(self) -> bool:
        """Every work of the stratum has the same number of countries."""
        return self.hi == self.lo

    @property
    def filter(self) -> str:
        """The value of OpenAlex's ``countries_distinct_count`` filter."""
        if self.hi is None:
            return f">{self.lo - 1}"
        return str(self.lo) if self.exact else f"{self.lo}-{self.hi}"

    @property
    def name(self) -> str:
        """A folder name for the stratum's cached rows."""
        if self.hi is None:
            return f"n{self.lo}+"
        return f"n{self.lo}" if self.exact else f"n{self.lo}-{self.hi}"

    @property
    def weight_spread(self) -> float:
        """The largest minus the smallest fractional weight ``1 / (n - 1)`` in the stratum: the
        most one work of the stratum can be mis-weighted by one stratum-wide weight."""
        return 1 / (self.lo - 1) - (0.0 if self.hi is None else 1 / (self.hi - 1))


WHOLE_STRATUM = Stratum(2, None)


@dataclass(frozen=True)
class Counting:
    """One counting scheme; ``max_countries`` is read only by ``capped``."""

    scheme: str = "whole"
    max_countries: int = DEFAULT_MAX_COUNTRIES

    def __post_init__(self):
        if self.scheme not in SCHEMES:
            raise ValueError(f"unknown counting scheme {self.scheme!r}; use one of "
                             f"{', '.join(SCHEMES)}")
        if self.max_countries < 2:
            raise ValueError(f"max_countries must be at least 2, not {self.max_countries}")

    @classmethod
    def from_config(cls, config: Mapping) -> Counting:
        """The scheme of a checked configuration (``counting``, ``max_countries``)."""
        return cls(config.get("counting", "whole"),
                   int(config.get("max_countries", DEFAULT_MAX_COUNTRIES)))

    @classmethod
    def from_tag(cls, tag: str) -> Counting:
        """The scheme a `tag` names (``whole``, ``fractional``, ``capped10``)."""
        if tag.startswith("capped") and tag[len("capped"):].isdigit():
            return cls("capped", int(tag[len("capped"):]))
        return cls(tag)

    @property
    def strata(self) -> tuple[Stratum, ...]:
        """The strata of works one country row is fetched in, in order of size."""
        if self.scheme == "whole":
            return (WHOLE_STRATUM,)
        if self.scheme == "capped":
            return (Stratum(2, self.max_countries),)
        return tuple(Stratum(n, n) for n in range(2, LAST_EXACT + 1)) + tuple(
            Stratum(lo, hi) for lo, hi in BINS)

    def pair_weight(self, n: int) -> float:
        """The weight of one pair-link of a work with ``n`` countries (``n >= 2``)."""
        if self.scheme == "fractional":
            return 1.0 / (n - 1)
        if self.scheme == "capped":
            return float(n <= self.max_countries)
        return 1.0

    @property
    def label(self) -> str:
        """The scheme as a page or a log states it."""
        if self.scheme == "capped":
            return f"capped (works with at most {self.max_countries} countries)"
        if self.scheme == "fractional":
            return "fractional (each country's weight 1 spread over its partners)"
        return "whole (each co-authored work counts 1 for every pair)"

    @property
    def tag(self) -> str:
        """A short name for files and metadata: ``whole``, ``fractional``, ``capped10``."""
        return f"capped{self.max_countries}" if self.scheme == "capped" else self.scheme

    def record(self) -> dict:
        """What provenance and manifests record of the scheme."""
        record = {"scheme": self.scheme, "label": self.label}
        if self.scheme == "capped":
            record["max_countries"] = self.max_countries
        return record
