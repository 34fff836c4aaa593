r"""Structure beyond size: how much of it each reading of the network explains.

Size explains most of every count: a pair's works are mostly the product of the two countries'
sizes, the degree-only ("gravity") null :math:`\mu_{ij} = \theta_i \theta_j \omega` (the
degree-corrected SBM with one block). Structure worth reporting is what a block model adds to
that null, and the three readings of the literature are three families of degree-corrected
block models (:mod:`bibnet.blockmodels.structures`):

``one centre``
    core/periphery (B = 2) and layered with B tiers (Borgatti & Everett 2000; Gallagher, Young
    & Welles 2021);
``several centres``
    k core-periphery pairs on a background (B = 2k; Kojaku & Masuda 2018) and k cores sharing
    one periphery (B = k + 1; Polanco & Newman 2023): Wagner & Leydesdorff's (2005) centres
    that collaborate among and compete with one another for partners;
``regional communities``
    B blocks tied mainly within themselves, in no order (Schott 1993's horizontal regions;
    Gates, Gao & Mane 2024's communities beyond size).

Effect sizes (Poisson log-likelihoods :math:`\ell`, fits as estimators of the mean structure)
-------------------------------------------------------------------------------------------
With :math:`\ell_0` the degree-only null, :math:`\ell_{sat}` the saturated model (every pair its
own mean) and :math:`\ell^*_B` the best B-block fit of any family (all are SBMs with B blocks,
so the unconstrained SBM's optimum bounds them; the best fit found stands in for it):

* **share** of the null's deviance a fit explains,
  :math:`S_F = (\ell_F - \ell_0) / (\ell_{sat} - \ell_0)`, between 0 and 1;
* **retention** at matched complexity,
  :math:`R_F(B) = (\ell_F - \ell_0) / (\ell^*_B - \ell_0) = (D_0 - D_F) / (D_0 - D_{SBM(B)})`:
  how much of the structure that B blocks can hold beyond size the reading's order keeps. A
  reading that describes the network keeps nearly all of it (R near 1); one that does not
  loses most.

Both are ratios of deviance differences, so the dispersion cancels: they are the same whether
the counts are read as Poisson or as quasi-Poisson with any scale :math:`\phi`.

What counts as a centre
-----------------------
After degree correction, the "core" of an ordered fit is the most inward-looking group of
countries, which on the real networks is a regional or language bloc. A core counts as a
*centre* only where :func:`centre_check` passes for the fit (rates :math:`\omega`, the mean
works per pair beyond the countries' degrees; ``c`` the configured ``contrast``):

1. the core holds at least one country of the top ``top_share`` by strength (a centre of world
   science is one of its largest systems), and its periphery (the outermost tier; for pairs its
   own periphery) holds no country stronger than the core's strongest: Wagner & Leydesdorff's
   centres compete for partners "from smaller national systems". On the real 2015 network the
   two-pair fit's "cores" are East Asia (China) and Ibero-America (Spain, Brazil), with the US
   and the UK in their "peripheries": blocs, which this clause names;
2. one centre: the core is tied to the outermost tier at least ``c`` times as much as that tier
   is tied within itself (:math:`\omega_{0,last} \ge c\,\omega_{last,last}`);
3. several centres, each core: it is tied within itself at least ``c`` times as much as to the
   other cores (:math:`\omega_{c_l c_l} \ge c\,b`: two centres, not one split); pairs: its
   periphery is tied to it at least ``c`` times as much as to the other cores
   (:math:`\omega_{c_l p_l} \ge c\,b`) and it is a core of that periphery, not a bloc cut in
   two (:math:`\omega_{c_l c_l} \ge c\,\omega_{p_l p_l}`); shared periphery: it is tied to the
   periphery at least ``c`` times as much as to the other cores
   (:math:`\omega_{c_l p} \ge c\,b`: it competes for the periphery, as a pair's core does
   for its own; a "core" tied to another core more than to the periphery is that core's
   semi-periphery, the layered reading) and at least ``c`` times as much as the periphery is
   tied within itself (:math:`\omega_{c_l p} \ge c\,\omega_{pp}`).

The default ``contrast`` is 1.5: at 1.25, on planted layered worlds at the real dispersion, a
shared-periphery fit whose second "core" is the semi-periphery (tied within 247 works per pair
beyond size against 207 to the first core) passed in some bootstrap refits and failed in
others: in four of six bootstrap refits of that world the several-centres reading kept more
than the one-centre reading. The shared periphery's clause against the other cores came last:
without it, on 20 planted layered worlds at the real dispersion, 5 were left undecided by a
shared-periphery fit whose second "core" was one or two top-decile countries with 12 to 20
smaller ones, tied within (488 works per pair beyond size) and to the first core (132) far
more than to the periphery (58), and keeping as much as the one-centre fits; with it all 20
read one centre, and 19 of 20 planted several-centres worlds still read several centres.

A several-centres fit that fails the check is reported with its cores' members and the reason;
its retention does not count for the several-centres reading (its cores are blocs).

A centre reading's retention at B is that of its best fit with B blocks that passes (0 where
none does). Its summary, the one the verdict compares, is its retention at the largest B
allowing fewer blocks: :math:`\bar R_X = \max_{B \le B_{max}} (\ell_X(B) - \ell_0) /
(\ell^*_{\le B_{max}} - \ell_0)`, with :math:`\ell^*_{\le B_{max}}` the best fit found with at
most ``B_max`` blocks, the share of what ``B_max`` blocks hold beyond size that the
reading's best fit keeps. Averaging R(B) over B instead would punish a reading at the B where
its family cannot take its shape (two core-periphery pairs need four blocks; at three, the
several-centres family is a shared periphery).

Examples
--------
>>> from bibnet.simulate import multi_core
>>> world = multi_core(60, k=2, seed=3)
>>> fitted = StructureBeyondSize(blocks=(2, 3, 4), n_starts=4, random_state=0).fit(world.counts)
>>> sorted(fitted.summary_)
['one centre', 'regional communities', 'several centres']
>>> fitted.summary_["several centres"] > fitted.summary_["one centre"]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from scipy.special import gammaln, xlogy

from bibnet.blockmodels.estimators import (
    SBM,
    BlockModel,
    CorePeriphery,
    Layered,
    MultiCorePairs,
    MultiCoreShared,
    Regional,
    _as_generator,
    check_counts,
    one_blas_thread,
)
from bibnet.outputs import READINGS

READING_OF_FAMILY = {"core_periphery": "one centre", "layered": "one centre",
                     "multi_core_pairs": "several centres",
                     "multi_core_shared": "several centres",
                     "regional": "regional communities"}
#: Default blocks of the effect-size table and of the decision.
BLOCKS = (2, 3, 4, 5, 6)


def run_all(tasks, workers: int = 1, progress=None) -> list:
    """Call each zero-argument task on up to ``workers`` threads, results in task order (the
    compiled kernels release the GIL; the workflow passes its job's ``threads``);
    ``progress`` (a `tqdm` bar), where given, counts the tasks in its total and advances as
    each finishes."""
    tasks = list(tasks)
    if progress is not None:
        progress.total = (progress.total or 0) + len(tasks)
        progress.refresh()
    with one_blas_thread():
        if workers == 1:
            return [_advanced(task(), progress) for task in tasks]
        with ThreadPoolExecutor(workers) as pool:
            return [_advanced(result, progress)
                    for result in pool.map(lambda task: task(), tasks)]


def _advanced(result, progress):
    if progress is not None:
        progress.update()
    return result


def reading_models(blocks: Sequence[int], n_starts: int = 10) -> list[BlockModel]:
    """Unfitted degree-corrected estimators of every reading at each number of blocks.

    Examples
    --------
    The shared-periphery family stops at k = 4 cores: its exact projection enumerates the
    lower sets of 2k + 2 ordered rates, and k = 5 cost a third of a whole replicate (measured
    on the real 2015 network); from B = 6 on, pairs carry the several-centres reading.

    >>> [m.name for m in reading_models([4])]
    ['sbm(K=4, dc)', 'layered(B=4, dc)', 'regional(B=4, dc)', 'multi_core_shared(k=3, dc)', 'multi_core_pairs(k=2, dc)']
    """
    models = []
    for B in blocks:
        if not 2 <= int(B) <= 8:
            raise ValueError(f"blocks must be from 2 to 8, got {B!r}")
        models += [SBM(B, n_starts=n_starts)]
        models += [CorePeriphery(n_starts=n_starts)] if B == 2 else []
        models += [Layered(B, n_starts=n_starts), Regional(B, n_starts=n_starts)]
        models += [MultiCoreShared(k=B - 1, n_starts=n_starts)] if 3 <= B <= 5 else []
        models += [MultiCorePairs(k=B // 2, n_starts=n_starts)] if B >= 4 and B % 2 == 0 else []
    return models


def saturated_log_likelihood(A: np.ndarray) -> float:
    """Poisson log-likelihood with each pair at its own count (over ``i < j``)."""
    y = A[np.triu_indices(A.shape[0], 1)]
    return float((xlogy(y, y) - y - gammaln(y + 1)).sum())


def n_blocks(model: BlockModel) -> int:
    return model.structure().n_blocks


def core_blocks(model: BlockModel) -> list[int]:
    """The blocks a fit calls cores (tier 0)."""
    return [int(b) for b in np.flatnonzero(model.block_tiers_ == 0)]


def centre_check(model: BlockModel, strength: np.ndarray, top_share: float,
                 contrast: float) -> list[str]:
    """Why the fit's cores are not centres (empty when they are), by the rule in the module
    docstring."""
    top = strength >= np.quantile(strength, 1 - top_share)
    w = model.block_rates_
    failures = []
    cores = core_blocks(model)
    last = w.shape[0] - 1
    for number, core in enumerate(cores, start=1):
        if not top[model.labels_ == core].any():
            failures.append(f"core {number} holds no country of the top {top_share:.0%} by "
                            "strength")
        periphery = core + 1 if model.family == "multi_core_pairs" else last
        members = model.labels_ == core
        outside = model.labels_ == periphery
        if outside.any() and strength[outside].max() > strength[members].max():
            failures.append(f"core {number}'s periphery holds a country stronger than any in "
                            "the core")
    if model.family in ("core_periphery", "layered"):
        if w[0, last] < contrast * w[last, last]:
            failures.append(f"the core is tied to the periphery {w[0, last]:.3g} works per "
                            f"pair beyond size, under {contrast} times the periphery's "
                            f"{w[last, last]:.3g} within itself")
        return failures
    if model.family == "multi_core_pairs":
        background = w[0, 2]
        for number, core in enumerate(cores, start=1):
            periphery = core + 1
            for what, value, base in (("within", w[core, core], background),
                                      ("to its periphery", w[core, periphery], background),
                                      ("within, against its periphery within",
                                       w[core, core], w[periphery, periphery])):
                if value < contrast * base:
                    failures.append(f"core {number}: rate {what} {value:.3g} is under "
                                    f"{contrast} times {base:.3g}")
    elif model.family == "multi_core_shared":
        periphery = w.shape[0] - 1
        between = w[0, 1]
        for number, core in enumerate(cores, start=1):
            for what, value, base in (("within, against between cores", w[core, core], between),
                                      ("to the periphery, against between cores",
                                       w[core, periphery], between),
                                      ("to the periphery, against the periphery within",
                                       w[core, periphery], w[periphery, periphery])):
                if value < contrast * base:
                    failures.append(f"core {number}: rate {what} {value:.3g} is under "
                                    f"{contrast} times {base:.3g}")
    return failures


def centre_dependence(A: np.ndarray, centre: np.ndarray) -> np.ndarray:
    r"""Each country's ties to the centre beyond size, against its ties elsewhere.

    Under the degree-only null (expected works :math:`s_i s_j / 2W`), country i's
    observed/expected ratio toward a set G of partners is
    :math:`(A_{iG} / A_{i\cdot}) / (s_G / 2W)`; the dependence on the centre C is that ratio
    toward C over the ratio toward everyone else (i and C left out):
    :math:`d_i = (A_{iC} / s_C) / (A_{i,rest} / s_{rest})`. 1 means tied to the centre as size
    predicts; above 1, beyond it (Hwang 2008's "middle": a country drawn to the centre).

    Examples
    --------
    >>> A = np.array([[0, 4, 1, 1], [4, 0, 2, 2], [1, 2, 0, 3], [1, 2, 3, 0]], dtype=float)
    >>> centre_dependence(A, np.array([True, False, False, False])).round(2).tolist()
    [nan, 2.0, 0.47, 0.47]
    """
    strength = A.sum(axis=1)
    centre = np.asarray(centre, dtype=bool)
    to_centre = A[:, centre].sum(axis=1)
    s_centre = strength[centre].sum()
    s_rest = strength[~centre].sum() - strength  # everyone but the centre and i itself
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (to_centre / s_centre) / ((strength - to_centre) / s_rest)
    value[centre] = np.nan
    return value


class StructureBeyondSize:
    """Fit every reading at each number of blocks and measure what it explains beyond size.

    Parameters
    ----------
    blocks : sequence of int
        Numbers of blocks B (2..8) of the effect-size table and of the decision.
    n_starts : int
        Starts per fit (see :class:`~bibnet.blockmodels.BlockModel`).
    random_state : int or numpy.random.Generator
        Seeds every fit (one child generator each).
    top_share, contrast : float
        The centre check's thresholds (module docstring).
    kernighan_lin : bool
        Kernighan–Lin polish of each fit (off for quicker replicates).

    Attributes
    ----------
    null_ : SBM
        The degree-only null (one block, degree-corrected).
    fits_ : list of BlockModel
        Every fitted model, in the order of ``table_``.
    table_ : pandas.DataFrame
        One row a fit: ``model, family, reading, blocks, log_likelihood, share, retention,
        centres, cores, failures``; ``centres`` is whether its cores pass the centre check
        (None for the SBM and regional fits), ``cores`` the member rows of each core.
    retention_ : pandas.DataFrame
        Rows B, columns the readings: each reading's retention at B (NaN where it has no
        family; for the centre readings 0 where no fit passes the centre check).
    summary_ : dict
        Each reading's :math:`\bar R`: its best passing fit's retention at the largest B
        (module docstring); 0 where no fit of the reading passes.
    share_ : float
        Share of the null's deviance the best fit with the most blocks explains: how much
        structure beyond size there is to read.
    """

    def __init__(self, blocks: Sequence[int] = BLOCKS, n_starts: int = 10, random_state=None,
                 top_share: float = 0.1, contrast: float = 1.5, kernighan_lin: bool = True):
        self.blocks = blocks
        self.n_starts = n_starts
        self.random_state = random_state
        self.top_share = top_share
        self.contrast = contrast
        self.kernighan_lin = kernighan_lin

    def fit(self, A, workers: int = 1, progress=None) -> "StructureBeyondSize":
        """Fit to the counts ``A`` on up to ``workers`` threads; returns self. ``progress``: a
        bar the fits advance (`run_all`)."""
        A = check_counts(A)
        models = [SBM(1, n_starts=1)] + reading_models(self.blocks, self.n_starts)
        for model, rng in zip(models, _as_generator(self.random_state).spawn(len(models))):
            model.random_state = rng
            model.kernighan_lin = self.kernighan_lin
        fitted = run_all([lambda m=m: m._fit(A) for m in models], workers, progress)
        self.null_, self.fits_ = fitted[0], fitted[1:]
        strength = A.sum(axis=1)
        null, saturated = self.null_.log_likelihood_, saturated_log_likelihood(A)
        sizes = [n_blocks(m) for m in self.fits_]
        best = {B: max(m.log_likelihood_ for m, b in zip(self.fits_, sizes) if b == B)
                for B in set(sizes)}
        rows = []
        for model, B in zip(self.fits_, sizes):
            gain = model.log_likelihood_ - null
            checked = model.family in READING_OF_FAMILY and model.family != "regional"
            failures = (centre_check(model, strength, self.top_share, self.contrast)
                        if checked else [])
            rows.append({
                "model": model.name, "family": model.family,
                "reading": READING_OF_FAMILY.get(model.family), "blocks": B,
                "log_likelihood": model.log_likelihood_,
                "share": gain / (saturated - null),
                "retention": gain / (best[B] - null) if best[B] > null else np.nan,
                "centres": (not failures) if checked else None,
                "cores": [np.flatnonzero(model.labels_ == c).tolist()
                          for c in core_blocks(model)] if checked else [],
                "failures": failures})
        self.table_ = pd.DataFrame(rows)
        readings = self.table_[self.table_["reading"].notna()]
        # A centre reading's fit counts only where its cores are centres; where it has fits
        # but none passes, the structure it explains *as centres* is none.
        counted = readings["retention"].where(readings["centres"].ne(False), 0.0)
        self.retention_ = (readings.assign(retention=counted)
                           .pivot_table(index="blocks", columns="reading", values="retention",
                                        aggfunc="max")
                           .reindex(index=sorted(set(sizes)), columns=list(READINGS)))
        # Any fit with fewer blocks is one with B_max blocks (split a block in two): the best
        # fit found with at most B_max blocks stands in for the SBM's optimum at B_max.
        largest = max(best.values()) - null
        self.summary_ = {}
        for reading in READINGS:
            kept = readings[(readings["reading"] == reading) & readings["centres"].ne(False)]
            self.summary_[reading] = (float((kept["log_likelihood"].max() - null) / largest)
                                      if len(kept) and largest > 0 else 0.0)
        self.share_ = float(self.table_.loc[self.table_["blocks"] == max(sizes), "share"].max())
        return self
