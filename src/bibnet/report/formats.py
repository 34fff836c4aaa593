"""How the report writes numbers, in tables, in text and in hover text alike.

Two rules hold everywhere:

- **p-values** below 0.0001 are written ``p < 0.0001``, never ``0.0000``; others with two
  significant digits (:func:`p_value`).
- **A number with an interval** is rounded to what the interval supports: the interval's
  half-width is rounded to one or two significant digits by the Particle Data Group's rule and
  the number and its bounds to the same decimal place (:func:`decimals`); the pages say in a
  legend that ``[low, high]`` is always a 95 % BCa interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

#: Decimals of a number whose uncertainty is not known.
DEFAULT_DECIMALS = 3
#: Smallest p-value written as a number; smaller ones are written "p < 0.0001".
SMALLEST_P = 1e-4


def missing(value) -> bool:
    """Whether ``value`` is absent or not a finite number."""
    return value is None or not np.isfinite(value)


def number(value, digits: int = DEFAULT_DECIMALS) -> str:
    """A number as shown in tables: integers with thousands separators, others rounded.

    >>> number(12345.0), number(0.12345), number(None)
    ('12,345', '0.123', '–')
    """
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    if float(value) == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def percent(value) -> str:
    """A share as a percentage with one decimal."""
    return "–" if missing(value) else f"{value:.1%}"


def share(value) -> str:
    """A share as a percentage with two significant digits, so that a small share never reads
    as zero.

    >>> share(0.2345), share(2.8e-05), share(None)
    ('23%', '0.0028%', '–')
    """
    return "–" if missing(value) else f"{float(f'{value * 100:.2g}'):g}%"


def fixed(value, digits: int = DEFAULT_DECIMALS) -> str:
    """A number with ``digits`` decimals; a dash where missing."""
    return "–" if missing(value) else f"{value:.{digits}f}"


def p_value(p) -> str:
    """A p-value as text: ``p < 0.0001`` below :data:`SMALLEST_P`, else two significant digits.

    >>> [p_value(v) for v in (0.0, 3e-7, 0.00012, 0.0347, 0.5, 1.0, None)]
    ['p < 0.0001', 'p < 0.0001', 'p = 0.00012', 'p = 0.035', 'p = 0.50', 'p = 1.0', 'p: –']

    A value that rounds up into the next decade keeps two digits, not three:

    >>> [p_value(v) for v in (0.999, 0.000999, 0.0996)]
    ['p = 1.0', 'p = 0.0010', 'p = 0.10']
    """
    if missing(p):
        return "p: –"
    if p < SMALLEST_P:
        return f"p < {SMALLEST_P:.4f}"
    rounded = float(f"{p:.2g}")
    places = 1 - math.floor(math.log10(rounded))
    return f"p = {rounded:.{places}f}"


def decimals(low, high) -> int:
    """Decimal places that an interval ``[low, high]`` supports.

    The uncertainty is the half-width ``u = (high - low) / 2``, rounded by the Particle Data
    Group's rule (Review of Particle Physics, Introduction, "Rounding"): take the three leading
    digits of ``u``; from 100 to 354 keep two significant digits, from 355 to 949 one, from 950
    up round ``u`` up to 1000 and keep two. The number and its bounds take the same decimal
    place. Without an interval (missing bound or zero width): :data:`DEFAULT_DECIMALS`.

    >>> decimals(0.30, 0.37), decimals(0.30, 0.40), decimals(0.3, 0.5), decimals(10, 250)
    (3, 2, 2, 0)
    >>> decimals(0.5, 0.5), decimals(None, 1)
    (3, 3)
    """
    if missing(low) or missing(high) or high <= low:
        return DEFAULT_DECIMALS
    half = (high - low) / 2
    exponent = math.floor(math.log10(half))
    leading = int(half / 10 ** (exponent - 2))  # the three leading digits, 100..999
    if leading >= 950:
        exponent += 1
        significant = 2
    else:
        significant = 2 if leading <= 354 else 1
    return max(0, significant - 1 - exponent)


def interval(entry: Mapping | None, digits: int | None = None) -> str:
    """``value [low, high]`` of a mapping with those keys, rounded by :func:`decimals` (or to
    ``digits``); the interval left out where a bound is missing.

    >>> interval({"value": 0.4567, "low": 0.4012, "high": 0.4712})
    '0.457 [0.401, 0.471]'
    >>> interval({"value": 0.5, "low": 0.25, "high": None}), interval({"value": None})
    ('0.500', '–')
    """
    value, low, high = (None, None, None) if entry is None else (
        entry.get(key) for key in ("value", "low", "high"))
    if missing(value):
        return "–"
    places = decimals(low, high) if digits is None else digits
    if missing(low) or missing(high):
        return f"{value:.{places}f}"
    return f"{value:.{places}f} [{low:.{places}f}, {high:.{places}f}]"
