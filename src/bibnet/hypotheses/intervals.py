r"""Intervals from resampling countries: what varies is which countries a network holds.

Every figure the study reports beyond size is a ratio of sums over countries' ties, and a
country's ties share its errors (its indexing, its consortia, its affiliation quirks): permuting
or redrawing pairs one by one treats them as independent and understates the spread (on the real
2015 network a delete-d jackknife over countries gave a standard error five times the pair
bootstrap's). :func:`country_interval` resamples the countries instead, with replacement, and
recomputes the statistic on the resampled set. A resample is handed to the statistic as each
country's multiplicity :math:`m_i` (how often it was drawn), so a sum over pairs is the quadratic
form :math:`\sum_{ij} m_i m_j A_{ij} = m^\top A m` (a pair of two copies of one country is no
pair: the matrices' zero diagonals drop it), giving bias-corrected and accelerated (BCa) intervals
(Efron 1987; Efron & Tibshirani 1993, ch. 14; :func:`scipy.stats.bootstrap`). The countries
that define the question (the centres, the focal country) stay fixed; the others are resampled.

The statistic gets every resample at once, one row of multiplicities each, and returns a row
of values each: the resamples are then matrix products, not a Python loop of a thousand calls
(a loop that held the interpreter lock and was a quarter of a year's study).

Examples
--------
>>> import numpy as np
>>> values = np.random.default_rng(0).normal(1.0, 0.2, 80)
>>> low, high = country_interval(lambda m: (m @ values) / m.sum(axis=-1), 80, replicates=999,
...                              rng=np.random.default_rng(1))
>>> bool(low < values.mean() < high), bool(high - low < 0.12)
(True, True)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
from scipy import stats

CONFIDENCE = 0.95

# A statistic constant over resamples (an empty sphere, say) has no interval: scipy warns and
# returns NaN, which is the answer we report. The filter is set once, at import, and not by
# warnings.catch_warnings around each call: catch_warnings swaps the process's filters and back,
# which is not thread-safe, and Snakemake runs the jobs as threads of one process, so one job
# leaving the block restored the filters under another still inside it and its warning reached
# the console.
warnings.filterwarnings("ignore", category=stats.DegenerateDataWarning)


def country_interval(statistic: Callable[[np.ndarray], float | np.ndarray], n_units: int,
                     replicates: int, rng: np.random.Generator,
                     confidence: float = CONFIDENCE) -> tuple:
    """BCa interval(s) of ``statistic(multiplicity)`` over resamples of ``n_units`` countries.

    Parameters
    ----------
    statistic : callable
        Takes the countries' multiplicities in resamples, shape (resamples, ``n_units``) (a
        row of ones is the observed data), and returns the statistic of each resample, shape
        (resamples,) for a number or (resamples, values) for a vector.
    n_units : int
        How many countries are resampled.
    replicates : int
        Bootstrap resamples (the BCa acceleration adds a jackknife of ``n_units`` more).
    rng : numpy.random.Generator
    confidence : float, default 0.95

    Returns
    -------
    (low, high)
        Numbers or arrays like the statistic's; NaN where the resamples do not vary or the
        statistic is undefined on too many of them.
    """
    def of_rows(rows, axis=-1):
        # scipy hands over index arrays of shape (..., drawn) (n_units drawn in a bootstrap
        # resample, n_units - 1 in a jackknife one) and takes the statistic back with the
        # resamples' axes last
        resamples = rows.reshape(-1, rows.shape[-1])
        cells = resamples + n_units * np.arange(len(resamples))[:, None]
        multiplicity = np.bincount(cells.ravel(), minlength=len(resamples) * n_units).reshape(
            len(resamples), n_units).astype(float)
        values = np.asarray(statistic(multiplicity))
        values = values.reshape(rows.shape[:-1] + values.shape[1:])
        leading = rows.ndim - 1
        return np.moveaxis(values, range(leading), range(values.ndim - leading, values.ndim))

    if n_units < 3:
        nan = np.full(np.shape(statistic(np.ones((1, n_units)))[0]), np.nan)
        return (float("nan"), float("nan")) if nan.ndim == 0 else (nan, nan.copy())
    # a ratio of empty sums in a resample is NaN, and numpy's warning about it is noise here
    # (np.errstate is local to the thread, unlike warnings.catch_warnings)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = stats.bootstrap((np.arange(n_units),), of_rows, vectorized=True,
                                 n_resamples=replicates, confidence_level=confidence,
                                 method="BCa", random_state=rng)
    interval = result.confidence_interval
    return interval.low, interval.high
