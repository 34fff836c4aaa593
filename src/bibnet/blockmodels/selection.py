"""Choosing among the families, testing one centre against several, and tier uncertainty.

* :func:`select` fits every family with and without degree correction and picks the lowest
  ICL criterion (formula and references in :mod:`bibnet.blockmodels.estimators`).
* :func:`one_vs_several_centres_test`: parametric-bootstrap likelihood-ratio test of the best
  one-centre fit (core/periphery or layered) against the best several-centres fit. The two
  hypotheses are not nested, so the statistic has no chi-square reference; its null
  distribution is simulated from the fitted one-centre model, refitting both models to each
  replicate (Cox 1962; McLachlan 1987 for the bootstrap of the LR statistic).
* :func:`tier_probabilities`: bootstrap of the counts (each pair redrawn as Poisson around
  its observed count), refitting the selected model; tiers are read from each refit's block
  rates (core = the most central block by the family's order), so replicates need no label
  matching, and each country gets P(core), P(semi-periphery), P(periphery).

Every random step draws from one ``numpy.random.Generator`` made from ``seed``; replicates get
their own child generators (``Generator.spawn``), so results do not depend on the number of
threads. Fits run on threads: the compiled kernels release the GIL.

Examples
--------
A planted core of 6 among 30 countries (rates 20, 5 and 1 works per pair):

>>> rng = np.random.default_rng(0)
>>> core = np.arange(30) < 6
>>> means = np.select([core[:, None] & core, core[:, None] | core], [20.0, 5.0], 1.0)
>>> A = draw_counts(means, rng)
>>> chosen = select(A, families=[("core_periphery", {}), ("sbm", {"n_blocks": 1})], seed=1)
>>> chosen.best.name, chosen.best.labels_[:8].tolist()
('core_periphery(plain)', [0, 0, 0, 0, 0, 0, 1, 1])
>>> list(chosen.table.columns)
['model', 'family', 'k', 'degree_corrected', 'log_likelihood', 'n_parameters', 'criterion', 'selected']
>>> p = tier_probabilities(A, chosen.best, replicates=20, seed=2)
>>> p[:8, 0].tolist()   # P(core) of the first eight
[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0]
>>> test = one_vs_several_centres_test(A, replicates=19, seed=3, selection=select(
...     A, families=[("core_periphery", {}), ("multi_core_pairs", {"k": 2})], seed=1))
>>> test.one_centre, test.several_centres, test.p_value > 0.05
('core_periphery(plain)', 'multi_core_pairs(k=2, plain)', True)
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from bibnet.blockmodels.estimators import (
    SBM,
    BlockModel,
    CorePeriphery,
    Layered,
    MultiCorePairs,
    MultiCoreShared,
    _as_generator,
    check_counts,
    one_blas_thread,
)
from bibnet.blockmodels.structures import ONE_CENTRE, SEVERAL_CENTRES

ESTIMATORS = {"core_periphery": CorePeriphery, "layered": Layered,
              "multi_core_pairs": MultiCorePairs, "multi_core_shared": MultiCoreShared,
              "sbm": SBM}
#: Every family :func:`select` fits by default, each with and without degree correction.
DEFAULT_FAMILIES = (("core_periphery", {}), ("layered", {}),
                    ("multi_core_pairs", {"k": 2}), ("multi_core_pairs", {"k": 3}),
                    ("multi_core_shared", {"k": 2}), ("multi_core_shared", {"k": 3}),
                    *(("sbm", {"n_blocks": K}) for K in range(1, 9)))
#: Fresh starts per model and replicate of the centres test, besides the warm start.
REPLICATE_STARTS = 3


def _workers() -> int:
    return min(2, os.cpu_count() or 1)


def _run(tasks):
    """Call each zero-argument task, on threads, results in task order."""
    with ThreadPoolExecutor(_workers()) as pool:
        return list(pool.map(lambda task: task(), tasks))


@dataclass
class Selection:
    """Every fitted candidate, the criterion table and the winners.

    Attributes
    ----------
    fits : list of BlockModel
        Fitted estimators, in the order of ``table``.
    table : pandas.DataFrame
        ``model, family, k, degree_corrected, log_likelihood, n_parameters, criterion,
        selected``; ``k`` is the number of cores or, for the SBM, of blocks.
    best : BlockModel
        Lowest criterion overall.
    best_one_centre, best_several_centres : BlockModel or None
        Lowest criterion among the one-centre (core/periphery, layered) and the several-centres
        families, where fitted.
    """

    fits: list[BlockModel]
    table: pd.DataFrame
    best: BlockModel
    best_one_centre: BlockModel | None
    best_several_centres: BlockModel | None


def candidates(families=DEFAULT_FAMILIES, degree_corrected=(True, False),
               n_starts: int = 10) -> list[BlockModel]:
    """Unfitted estimators for ``families`` (pairs of family name and keyword arguments).

    Examples
    --------
    >>> [m.name for m in candidates([("multi_core_pairs", {"k": 2})])]
    ['multi_core_pairs(k=2, dc)', 'multi_core_pairs(k=2, plain)']
    """
    models = []
    for family, kwargs in families:
        if family not in ESTIMATORS:
            raise ValueError(f"unknown family {family!r}; known: {', '.join(ESTIMATORS)}")
        for dc in degree_corrected:
            models.append(ESTIMATORS[family](degree_corrected=dc, n_starts=n_starts, **kwargs))
    return models


def _best(fits, families) -> BlockModel | None:
    chosen = [m for m in fits if m.family in families]
    return min(chosen, key=lambda m: m.criterion_) if chosen else None


def select(A, families=DEFAULT_FAMILIES, seed=0, degree_corrected=(True, False),
           n_starts: int = 10) -> Selection:
    """Fit every family and pick the one with the lowest criterion.

    Parameters
    ----------
    A : array_like, shape (n, n)
        Counts (see :func:`bibnet.blockmodels.check_counts`).
    families : sequence of (str, dict)
        Family names and their keyword arguments; default :data:`DEFAULT_FAMILIES`.
    seed : int or numpy.random.Generator
        Seeds every fit (one child generator each).
    degree_corrected : sequence of bool
        Which variants to fit.
    n_starts : int
        Starts per fit.

    Returns
    -------
    Selection
    """
    A = check_counts(A)
    models = candidates(families, degree_corrected, n_starts)
    for model, rng in zip(models, _as_generator(seed).spawn(len(models))):
        model.random_state = rng
    with one_blas_thread():
        fits = _run([lambda m=m: m._fit(A) for m in models])
    best = min(fits, key=lambda m: m.criterion_)
    table = pd.DataFrame({
        "model": [m.name for m in fits],
        "family": [m.family for m in fits],
        "k": [getattr(m, "k", getattr(m, "n_blocks", 1)) for m in fits],
        "degree_corrected": [m.degree_corrected for m in fits],
        "log_likelihood": [m.log_likelihood_ for m in fits],
        "n_parameters": [m.n_parameters_ for m in fits],
        "criterion": [m.criterion_ for m in fits],
        "selected": [m is best for m in fits],
    })
    return Selection(fits, table, best, _best(fits, ONE_CENTRE), _best(fits, SEVERAL_CENTRES))


def draw_counts(means: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A symmetric Poisson draw with zero diagonal: one draw per pair ``i < j``.

    Examples
    --------
    >>> draw_counts(np.full((3, 3), 2.0), np.random.default_rng(0)).tolist()
    [[0.0, 2.0, 0.0], [2.0, 0.0, 7.0], [0.0, 7.0, 0.0]]
    """
    n = means.shape[0]
    upper = np.triu_indices(n, 1)
    A = np.zeros((n, n))
    A[upper] = rng.poisson(means[upper])
    return A + A.T


@dataclass
class CentresTest:
    """Result of :func:`one_vs_several_centres_test`.

    ``statistic`` is ``2 (log L_several - log L_one)``; ``p_value`` the share of replicates
    drawn under the fitted one-centre model whose statistic reaches it, ``(1 + #) / (1 + B)``.
    """

    statistic: float
    p_value: float
    replicates: int
    one_centre: str
    several_centres: str
    null_statistics: np.ndarray

    def to_dict(self) -> dict:
        return {"statistic": self.statistic, "p_value": self.p_value,
                "replicates": self.replicates, "one_centre": self.one_centre,
                "several_centres": self.several_centres}


def one_vs_several_centres_test(A, replicates: int = 200, seed=0,
                                selection: Selection | None = None) -> CentresTest:
    """Parametric-bootstrap likelihood-ratio test: one centre against several.

    Parameters
    ----------
    A : array_like
        Counts.
    replicates : int
        Bootstrap replicates ``B``.
    seed : int or numpy.random.Generator
    selection : Selection, optional
        The result of :func:`select` on ``A`` (fitted here with the default families if not
        given); its best one-centre and best several-centres fits are the two hypotheses.

    Returns
    -------
    CentresTest

    """
    if int(replicates) < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates!r}")
    A = check_counts(A)
    rng = _as_generator(seed)
    if selection is None:
        selection = select(A, seed=rng.spawn(1)[0])
    null, alternative = selection.best_one_centre, selection.best_several_centres
    if null is None or alternative is None:
        raise ValueError("the selection needs a one-centre and a several-centres family")
    statistic = 2 * (alternative.log_likelihood_ - null.log_likelihood_)
    means = null.expected_counts()

    def replicate(child):
        draw = draw_counts(means, child)
        # Each replicate starts from the observed fit, plus REPLICATE_STARTS fresh starts,
        # with the Kernighan–Lin passes of the observed fits: without them the replicates'
        # fits of the richer model fall short more often, which biases the null statistics
        # down (measured: a planted one-centre world of 30 was then rejected at 5 %).
        quick = {"random_state": child, "n_starts": REPLICATE_STARTS}
        one = null.clone(**quick)._fit(draw, init=null.labels_)
        several = alternative.clone(**quick)._fit(draw, init=alternative.labels_)
        return 2 * (several.log_likelihood_ - one.log_likelihood_)

    with one_blas_thread():
        stats = np.array(_run([lambda c=c: replicate(c) for c in rng.spawn(int(replicates))]))
    p_value = (1 + np.count_nonzero(stats >= statistic)) / (1 + stats.size)
    return CentresTest(float(statistic), float(p_value), int(replicates), null.name,
                       alternative.name, stats)


def tier_probabilities(A, model: BlockModel, replicates: int = 200, seed=0) -> np.ndarray:
    """P(core), P(semi-periphery), P(periphery) of every country, by bootstrap.

    Each replicate redraws every pair as Poisson around its observed count and refits
    ``model``'s family from the observed labels (node moves only, for speed). A country with
    no links in a replicate says nothing about its tier there and is left out of that
    replicate's share.

    Parameters
    ----------
    A : array_like
        Counts.
    model : BlockModel
        The fitted model (usually the selected one) whose tiers are resampled.
    replicates : int
    seed : int or numpy.random.Generator

    Returns
    -------
    numpy.ndarray, shape (n, 3)
        Rows sum to 1 (NaN for a country linked in no replicate).

    """
    if int(replicates) < 1:
        raise ValueError(f"replicates must be >= 1, got {replicates!r}")
    A = check_counts(A)
    quick = model.clone(n_starts=1, kernighan_lin=False)

    def replicate(child):
        draw = draw_counts(A, child)
        fit = quick.clone(random_state=child)._fit(draw, init=model.labels_)
        tiers = fit.tiers_.astype(float)
        tiers[draw.sum(axis=1) == 0] = np.nan
        return tiers

    with one_blas_thread():
        tiers = np.array(_run([lambda c=c: replicate(c)
                               for c in _as_generator(seed).spawn(int(replicates))]))
    counts = np.stack([(tiers == t).sum(axis=0) for t in range(3)], axis=1).astype(float)
    with np.errstate(invalid="ignore"):
        return counts / counts.sum(axis=1, keepdims=True)
