r"""Poisson block models of country co-authorship counts, as estimators.

Model
-----
``A`` is a symmetric matrix of counts with zero diagonal; only the pairs ``i < j`` are data,
``A_ij ~ Poisson(lambda_ij)`` independently, with

* plain: :math:`\lambda_{ij} = \omega_{g_i g_j}`;
* degree-corrected (Karrer & Newman 2011): :math:`\lambda_{ij} = \theta_i \theta_j
  \omega_{g_i g_j}`, with the degree parameters normalised to average 1 in each block
  (:math:`\sum_{i \in r} \theta_i = n_r`).

That normalisation makes :math:`\omega_{rs}` the mean rate per pair between blocks r and s,
as in the plain model, and degree correction only spreads it unevenly *within* a block. It is
what gives the order constraints a meaning: :math:`\omega` is identified only up to
:math:`\omega_{rs} c_r c_s` with :math:`\theta_i / c_{g_i}`, and in the Karrer–Newman
normalisation (:math:`\theta_i = k_i`, :math:`\omega_{rs} = m_{rs}/\kappa_r\kappa_s`) each
row obeys :math:`\sum_s \kappa_s \omega_{rs} = 1`, which forces an ordered two-block or
layered model to the constant rate: every degree-corrected core/periphery fit would be the null.

The likelihood is exact over the pairs ``i < j``, no self-pairs. Without them the
Karrer–Newman estimate :math:`\theta_i \propto k_i` is not the maximum: a country holding a
large share of all links (the US, 14 % in 2015) links to everyone but itself, so its strength
understates its degree parameter, and a fit that keeps :math:`\theta = k` gives it a block
of its own. The search therefore starts with :math:`\theta \propto k`, then alternates the
degree parameters fitted to the labels (damped fixed point of the likelihood equations
:math:`k_i = \theta_i \sum_{j \ne i} \theta_j \omega_{g_i g_j}`, exact for unconstrained
rates) with node moves for those degrees, until the labels stop changing. With an active order
constraint the degree step is that of the alternation, not the joint constrained maximum.

Fitted log-likelihood (the constant terms included, so that plain and degree-corrected fits
compare):

.. math::
   \log L = \sum_p \left(E_p \log\hat\omega_p - T_p\hat\omega_p\right)
            + \sum_i k_i \log w_i - \sum_{i<j} \log A_{ij}!

with ``E_p`` the counts and ``T_p = sum theta_i theta_j`` the exposure of rate parameter
``p`` over its pairs ``i < j``, and ``w_i = theta_i`` (1 for the plain model).

Complexity penalty
------------------
``icl_penalty_`` is the penalty of the integrated classification likelihood (ICL) of a SBM,
Biernacki, Celeux & Govaert (2000), in the form Daudin, Picard & Robin (2008) and Mariadassou,
Robin & Vacher (2010, Ann. Appl. Stat. 4:715) give for (valued) SBMs:

.. math::
   \mathrm{pen} = - 2\sum_r n_r\log\frac{n_r}{n} + (K-1)\log n
       + (P_\omega + P_\theta)\log\frac{n(n-1)}{2} - 2\log\frac{P_\omega!}{e}

``n_r`` block sizes, ``K`` blocks, ``P_\omega`` distinct rates, ``P_\theta = n - K`` degree
parameters for the degree-corrected models (0 otherwise); ``n(n-1)/2`` pairs are the data.
The last term is the order constraint's share: under an exchangeable prior on the rates, the
ordered cone holds ``e / P_\omega!`` of the prior mass (``e`` the orderings the family allows),
so when the fit lies inside it the integrated likelihood gains ``log(P_\omega! / e)``
(Klugkist, Laudy & Hoijtink 2005, Psychol. Methods 10:477).

The Poisson ICL itself, ``-2 log L + pen``, is not evidence on these data: the counts are far
more variable than Poisson, so every richer model wins by a margin that grows with volume. The
workflow chooses no model by it: the descriptive stage (`bibnet.blockmodels.files`) fixes its
blocs and reports the dispersion (Pearson X²/df) beside them.

Fitting
-------
Greedy exact-likelihood node moves (each node moved to its best block, sweep after sweep,
until none improves) from ``n_starts`` starts: one seeded by strength rank (the coreness
order: the strongest nodes start in the core blocks), the rest uniformly random, plus one from
spectral clusters (SCORE, Jin 2015, Ann. Stat. 43:57) and, for the constrained families, the
likeliest ways of dealing the groups of a finer unconstrained SBM to the family's blocks.
Degree-corrected fits take the few best climbed starts through the degree rounds above; the
best is polished by Kernighan–Lin passes, then by the degree rounds again.

The uniformly random starts are most of a fit's cost and what the real networks need most.
Measured on the real networks of 1995, 2005, 2015 and 2023, every family with and without
degree correction: the seeded starts alone (``n_starts=3``, one seed) ended short of the
10-start fit in 31 of 112 fits, by up to 41,239 nats (the degree-corrected SBM with K = 3,
2015), and ahead in 5 (the random draws of the other starts differ); over two seeds (224
fits), replacing the random starts by kicks of the best partition (5 % of the nodes
relabelled, then climbed) lost in 58 of 224 fits, 105,091 nats in all for the
degree-corrected SBM with K = 3; first settling each random start as an unconstrained SBM
lost in 16 and gained in 5.

Nodes are first put in a canonical order (by strength, then by the strengths of their
partners, both independent of the input order), so that permuting the input permutes the
labels; nodes tied on all these keys keep their input order.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> A = rng.poisson(1.0, (12, 12)).astype(float)
>>> A[:4, :4] += 6
>>> A = np.triu(A, 1); A = A + A.T
>>> cp = CorePeriphery(degree_corrected=False, random_state=1).fit(A)
>>> cp.labels_.tolist()
[0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
>>> bool(cp.block_rates_[0, 0] >= cp.block_rates_[0, 1] >= cp.block_rates_[1, 1])
True
"""

from __future__ import annotations

import inspect
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np
from scipy.sparse.csgraph import connected_components
from scipy.special import gammaln
from threadpoolctl import threadpool_limits

from bibnet.blockmodels import _kernel, starts, structures
from bibnet.blockmodels.structures import Structure

MAX_SWEEPS = 500
#: Starts of the unconstrained reference fit that seeds each constrained family.
REFERENCE_STARTS = 3
#: The likeliest ways of dealing its groups to the family's blocks
#: (:func:`bibnet.blockmodels.starts.dealings`) that are climbed as starts.
MERGE_STARTS = 3
#: Kernighan–Lin moves in a row without a new best after which a pass ends.
KL_PATIENCE = 50
#: Degree-corrected fits: the starts, climbed with the strengths as degree shapes, whose
#: likelihood is among the DEGREE_STARTS best go on to the degree rounds.
DEGREE_STARTS = 3
#: Rounds of (degree parameters, node moves) and the degree fit's iterations and tolerance.
MAX_ROUNDS = 10
MAX_DEGREE_ITER = 2000
DEGREE_TOL = 1e-10


def check_counts(A) -> np.ndarray:
    """The count matrix as float64, or a ValueError naming what is wrong with it.

    Rows with no links at all raise (drop countries without international works first); a
    matrix in several connected parts is accepted with a warning: the pairs between parts
    are fitted as observed zeros, which is what they are.

    Examples
    --------
    >>> check_counts([[0, 1, 2], [1, 0, 3], [2, 4, 0]])
    Traceback (most recent call last):
    ...
    ValueError: count matrix is not symmetric: A[1, 2] = 3.0 but A[2, 1] = 4.0
    """
    A = np.array(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"count matrix must be square, got shape {A.shape}")
    n = A.shape[0]
    if n < 3:
        raise ValueError(f"count matrix has {n} countries; at least 3 are needed")
    if not np.isfinite(A).all():
        i, j = np.argwhere(~np.isfinite(A))[0]
        raise ValueError(f"count matrix has NaN or infinite entries, first at A[{i}, {j}]")
    if (A < 0).any():
        i, j = np.argwhere(A < 0)[0]
        raise ValueError(f"count matrix has negative counts, first A[{i}, {j}] = {A[i, j]}")
    if np.diag(A).any():
        i = int(np.flatnonzero(np.diag(A))[0])
        raise ValueError(f"count matrix has a non-zero diagonal, first A[{i}, {i}] = {A[i, i]}; "
                         "self-pairs are not data (Pajek loops hold totals): zero the diagonal")
    if not np.array_equal(A, A.T):
        i, j = np.argwhere(A != A.T)[0]
        raise ValueError(f"count matrix is not symmetric: A[{i}, {j}] = {A[i, j]} "
                         f"but A[{j}, {i}] = {A[j, i]}")
    if not A.any():
        raise ValueError("count matrix is all zero: there is nothing to fit")
    isolated = np.flatnonzero(A.sum(axis=1) == 0)
    if isolated.size:
        raise ValueError(f"count matrix has {isolated.size} isolated rows (disconnected parts "
                         f"of one country, no links), first rows {isolated[:5].tolist()}; "
                         "drop them before fitting")
    n_parts, part = connected_components(A > 0, directed=False)
    if n_parts > 1:
        sizes = np.bincount(part)
        warnings.warn(f"count matrix has {n_parts} disconnected parts (sizes "
                      f"{sorted(sizes.tolist(), reverse=True)}); fitted as one network, with "
                      "the pairs between parts as observed zeros", stacklevel=3)
    return A


def one_blas_thread():
    """A context in which BLAS (numpy's linear algebra) runs on one thread.

    Fits run in parallel on threads of their own (and workflow jobs side by side); BLAS
    threads on top of those oversubscribe the cores. Measured on 2 cores with other work
    running: ``eigh`` of a 238 x 238 matrix took 170 ms on OpenBLAS's 2 threads, 18 ms on one.
    """
    return threadpool_limits(limits=1, user_api="blas")


def canonical_order(A: np.ndarray) -> np.ndarray:
    """Node order independent of the input order: by strength, then partners' strengths.

    Examples
    --------
    >>> A = np.array([[0, 1, 0], [1, 0, 5], [0, 5, 0]], dtype=float)
    >>> canonical_order(A).tolist()
    [1, 2, 0]
    """
    strength = A.sum(axis=1)
    # np.lexsort sorts by the last key first; negatives put the largest first.
    return np.lexsort((-(A ** 2).sum(axis=1), -(A @ strength), -strength))


def _as_generator(random_state) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


class BlockModel:
    """Common fitting machinery; use one of the families below.

    Parameters
    ----------
    degree_corrected : bool, default True
        Karrer–Newman degree correction.
    n_starts : int, default 10
        Starts of the node-move search: first the coreness seeds
        (:data:`bibnet.blockmodels.starts.RANK_CUTS`), the rest random.
    random_state : int, numpy.random.Generator or None
        Source of the random starts.
    kernighan_lin : bool, default True
        Polish the best start with Kernighan–Lin passes (each moves every node once, keeping
        the best partition on the way) until one no longer gains; off for quick refits.
    n_jobs : int, default 1
        Threads that climb the starts side by side (the compiled kernels release the GIL).
        The result does not depend on it. :func:`~bibnet.blockmodels.select` and the
        bootstraps run whole fits side by side instead, each on one thread.

    Attributes
    ----------
    labels_ : numpy.ndarray of int
        Block of each row of ``A``; for the ordered families 0 is the (first) core.
    tiers_ : numpy.ndarray of int
        Tier of each row: 0 core, 1 semi-periphery, 2 periphery.
    block_tiers_ : numpy.ndarray of int
        Tier of each block (for the SBM, by internal rate: see
        :func:`bibnet.blockmodels.structures.sbm_tiers`).
    block_rates_ : numpy.ndarray, shape (K, K)
        Fitted rates :math:`\\omega_{rs}`: mean works per pair between blocks r and s.
    weights_ : numpy.ndarray
        Degree parameters :math:`\\theta_i` (average 1 in each block; ones for the plain
        model); the fitted mean of a pair is
        ``weights_[i] * weights_[j] * block_rates_[labels_[i], labels_[j]]``.
    log_likelihood_ : float
        Exact log-likelihood of the fit over the pairs ``i < j``.
    n_parameters_ : int
        Distinct rates plus ``n - K`` degree parameters when degree-corrected.
    icl_penalty_ : float
        The ICL's complexity penalty; formula in :mod:`bibnet.blockmodels.estimators`.
    """

    family = "block model"

    def __init__(self, degree_corrected: bool = True, n_starts: int = 10, random_state=None,
                 kernighan_lin: bool = True, n_jobs: int = 1):
        self.degree_corrected = degree_corrected
        self.n_starts = n_starts
        self.random_state = random_state
        self.kernighan_lin = kernighan_lin
        self.n_jobs = n_jobs

    def structure(self) -> Structure:
        raise NotImplementedError

    def clone(self, **changes) -> "BlockModel":
        """A new, unfitted estimator with the same settings except ``changes``."""
        names = inspect.signature(type(self).__init__).parameters
        params = {name: getattr(self, name) for name in names if name != "self"}
        return type(self)(**{**params, **changes})

    def expected_counts(self) -> np.ndarray:
        """The fitted means ``lambda_ij`` (zero diagonal), rows in the order of ``A``."""
        rates = self.block_rates_[np.ix_(self.labels_, self.labels_)]
        expected = np.outer(self.weights_, self.weights_) * rates
        np.fill_diagonal(expected, 0.0)
        return expected

    @property
    def name(self) -> str:
        """Family and settings, e.g. ``multi_core_pairs(k=2, dc)``."""
        return f"{self.family}({self._size_text()}{'dc' if self.degree_corrected else 'plain'})"

    def _size_text(self) -> str:
        return ""

    def fit(self, A, init=None) -> "BlockModel":
        """Fit to the count matrix ``A``.

        Parameters
        ----------
        A : array_like, shape (n, n)
            Symmetric non-negative counts with zero diagonal.
        init : array_like of int, optional
            Labels to start from as well (a warm start), in the order of the rows of ``A``.

        Returns
        -------
        self
        """
        with one_blas_thread():
            return self._fit(check_counts(A), init)

    def _fit(self, A: np.ndarray, init=None) -> "BlockModel":
        if int(self.n_starts) < 1:
            raise ValueError(f"n_starts must be >= 1, got {self.n_starts!r}")
        if int(self.n_jobs) < 1:
            raise ValueError(f"n_jobs must be >= 1, got {self.n_jobs!r}")
        structure = self.structure()
        n, K = A.shape[0], structure.n_blocks
        if n < K:
            raise ValueError(f"{self.name} needs at least {K} countries, got {n}")
        rng = _as_generator(self.random_state)
        order = canonical_order(A)
        B = np.ascontiguousarray(A[np.ix_(order, order)])
        strength = B.sum(axis=1)
        w = strength if self.degree_corrected else np.ones(n)
        initial = [starts.rank_start(structure, n, *cut) for cut in starts.RANK_CUTS]
        initial += [starts.random_start(rng, K, n)
                    for _ in range(len(initial), int(self.n_starts))]
        initial = initial[: int(self.n_starts)]
        if init is not None:
            initial.insert(0, _check_init(init, n, K)[order])
        else:  # a warm start makes these redundant
            initial.append(starts.deal_by_cohesion(B, structure,
                                                   starts.spectral_labels(B, K, rng)))
            if structure.name != "sbm" and K ** K <= starts.MAX_DEALING_MAPS:
                initial += self._merge_starts(B, w, structure, rng)
        initial = [labels.astype(np.int64) for labels in initial]  # climbed in place
        values = self._map(lambda labels: self._climb(B, w, labels, structure), initial)
        # Stable sort: ties keep the order of the starts, so the result depends on the seed only.
        climbed = sorted(zip(values, initial), key=lambda start: -start[0])
        # The degree rounds cost most of a degree-corrected fit; a start that ends among the
        # last with the strengths as shapes does not overtake the best after them.
        finalists = [labels for _, labels in climbed[:DEGREE_STARTS if self.degree_corrected
                                                     else 1]]
        finished = self._map(lambda labels: self._fit_degrees(B, labels, structure)
                             if self.degree_corrected else (w, labels), finalists)
        best = (-np.inf, None, None)
        for theta, labels in finished:
            value = _log_likelihood(B, theta, labels, structure)
            if value > best[0]:
                best = (value, labels, theta)
        value, labels, theta = best
        polished = self._polish(B, theta, labels, structure)
        if self.degree_corrected and not np.array_equal(polished, labels):
            theta, polished = self._fit_degrees(B, polished, structure)
        self._store(B, theta, _canonical_labels(polished, structure.units, K), structure, order)
        return self

    def _merge_starts(self, B, w, structure, rng) -> list[np.ndarray]:
        """Starts from a finer unconstrained SBM, its groups dealt to the family's blocks.

        Every way of dealing the reference fit's groups to the blocks (each block getting one
        at least) is scored by its constrained likelihood from the groups' block sums, and the
        MERGE_STARTS best are climbed. The SBM's landscape has no ties or orders to get stuck
        on, and the family's blocks are coarsenings of natural groups. Measured on the real
        2015 network: the degree-corrected core/periphery search without these starts ended
        1,000 to 4,700 nats short of its best fit for three seeds in four; with them all of
        seeds 0-4 reach it. (The degree-corrected layered and shared-periphery searches stay
        seed-dependent there; see ``tests/blockmodels/test_blockmodels_real.py``.)
        """
        groups = min(starts.reference_groups(structure.n_blocks), B.shape[0])
        reference = SBM(groups, self.degree_corrected, n_starts=REFERENCE_STARTS,
                        random_state=rng, kernighan_lin=False, n_jobs=self.n_jobs)._fit(B)
        dealt = starts.dealings(groups, structure.n_blocks)
        scores = _kernel.score_merges(*_kernel.block_sums(B, w, reference.labels_, groups),
                                      dealt, *structure.arrays)
        best = np.argsort(-scores, kind="stable")[:MERGE_STARTS]
        return [dealt[a][reference.labels_] for a in best]

    def _map(self, task, items) -> list:
        """``task`` of each item, in order, on up to ``n_jobs`` threads."""
        if int(self.n_jobs) == 1 or len(items) < 2:
            return [task(item) for item in items]
        with ThreadPoolExecutor(min(int(self.n_jobs), len(items))) as pool:
            return list(pool.map(task, items))

    @staticmethod
    def _climb(B, w, labels, structure) -> float:
        return _kernel.climb(B, w, labels, *structure.arrays, MAX_SWEEPS)[0]

    def _polish(self, B, w, labels, structure) -> np.ndarray:
        """Kernighan–Lin passes, each followed by node moves, while they gain."""
        value = _log_likelihood(B, w, labels, structure)
        while self.kernighan_lin:
            trial = labels.copy()
            _kernel.kernighan_lin(B, w, trial, *structure.arrays, KL_PATIENCE)
            self._climb(B, w, trial, structure)
            gained = _log_likelihood(B, w, trial, structure)
            if gained <= value + 1e-9 * abs(value):
                break
            value, labels = gained, trial
        return labels

    def _fit_degrees(self, B, labels, structure) -> tuple[np.ndarray, np.ndarray]:
        """Alternate exact degree parameters for the labels and node moves for the degrees.

        The search runs with the strengths as degree shapes (the Karrer–Newman estimate, exact
        only with self-pairs); without self-pairs a dominant country's strength understates
        its degree parameter, which, left alone, gives it a block of its own. Each round fits
        the degree parameters to the labels, then moves nodes with those fixed.
        """
        theta = B.sum(axis=1).copy()
        for _ in range(MAX_ROUNDS):
            _kernel.fit_degrees(B, labels, *structure.arrays, theta, MAX_DEGREE_ITER, DEGREE_TOL)
            trial = labels.copy()
            self._climb(B, theta, trial, structure)
            if np.array_equal(trial, labels):
                return theta, labels
            labels = trial
        _kernel.fit_degrees(B, labels, *structure.arrays, theta, MAX_DEGREE_ITER, DEGREE_TOL)
        return theta, labels

    def _store(self, B, w, labels, structure, order) -> None:
        n, K = B.shape[0], structure.n_blocks
        M, W, Q, S = _kernel.block_sums(B, w, labels, K)
        P = structure.n_rates
        E, T, omega = np.zeros(P), np.zeros(P), np.zeros(P)
        _kernel.profile(M, W, Q, S, *structure.arrays, E, T, omega)
        sizes = S.astype(np.int64)
        upper = np.triu_indices(n, 1)
        self.log_likelihood_ = (_log_likelihood(B, w, labels, structure)
                                - float(gammaln(B[upper] + 1).sum()))
        self.block_rates_ = omega[structure.param_of]
        n_theta = n - K if self.degree_corrected else 0
        self.n_parameters_ = structure.n_rates + n_theta
        self.icl_penalty_ = float(-2 * (sizes * np.log(sizes / n)).sum()
                                  + (K - 1) * np.log(n)
                                  + self.n_parameters_ * np.log(n * (n - 1) / 2)
                                  - 2 * structure.log_order_odds)
        block_tiers = (structures.sbm_tiers(self.block_rates_) if structure.name == "sbm"
                       else structure.tiers)
        inverse = np.empty(n, dtype=np.int64)
        inverse[order] = np.arange(n)
        self.labels_ = labels[inverse]
        # Degree parameters average 1 in each block (the normalisation of the rates).
        scale = np.divide(S, W, out=np.zeros(K), where=W > 0)
        self.weights_ = (w * scale[labels])[inverse]
        self.tiers_ = block_tiers[self.labels_]
        self.block_tiers_ = block_tiers


def _log_likelihood(B, w, labels, structure) -> float:
    """Log-likelihood of labels with degree shapes w, up to the log A_ij! terms."""
    K = structure.n_blocks
    M, W, Q, S = _kernel.block_sums(B, w, labels, K)
    P = structure.n_rates
    profile = _kernel.profile(M, W, Q, S, *structure.arrays, np.zeros(P), np.zeros(P),
                              np.zeros(P))
    strength = B.sum(axis=1)
    linked = strength > 0
    return float(profile + (strength[linked] * np.log(w[linked])).sum())


def _check_init(init, n, K) -> np.ndarray:
    init = np.asarray(init)
    if init.shape != (n,) or not np.issubdtype(init.dtype, np.integer):
        raise ValueError(f"init must be {n} integer labels, got shape {init.shape}")
    if init.min() < 0 or init.max() >= K or np.unique(init).size != K:
        raise ValueError(f"init must use every block 0..{K - 1} at least once")
    return init


def _canonical_labels(labels: np.ndarray, units, K: int) -> np.ndarray:
    """Relabel exchangeable units by the first (strongest) node in each, in canonical order."""
    if not units:
        return labels
    first = [np.flatnonzero(np.isin(labels, unit)).min() for unit in units]
    mapping = np.arange(K)
    for new_unit, old in zip(units, [units[i] for i in np.argsort(first, kind="stable")]):
        mapping[list(old)] = new_unit
    return mapping[labels]


class CorePeriphery(BlockModel):
    """Core (0) and periphery (1), rates ``w00 >= w01 >= w11``.

    Examples
    --------
    >>> from bibnet.blockmodels.estimators import CorePeriphery
    >>> CorePeriphery().name
    'core_periphery(dc)'
    """

    family = "core_periphery"

    def structure(self) -> Structure:
        return _cached(structures.core_periphery)


class Layered(BlockModel):
    """``n_tiers`` tiers: core (0), semi-peripheries, periphery (last); the rate between two
    tiers is that of the inner one, ``l0 >= l1 >= ...`` (Gallagher, Young & Welles 2021, on
    counts).

    Examples
    --------
    >>> Layered(degree_corrected=False).name
    'layered(B=3, plain)'
    """

    family = "layered"

    def __init__(self, n_tiers: int = 3, degree_corrected: bool = True, n_starts: int = 10,
                 random_state=None, kernighan_lin: bool = True, n_jobs: int = 1):
        super().__init__(degree_corrected, n_starts, random_state, kernighan_lin, n_jobs)
        self.n_tiers = n_tiers

    def _size_text(self) -> str:
        return f"B={self.n_tiers}, "

    def structure(self) -> Structure:
        return _cached(structures.layered, self.n_tiers)


class Regional(BlockModel):
    """``n_blocks`` regional communities: each block tied inside at its own rate, every two
    blocks at one lower common rate, no block central to another.

    Examples
    --------
    >>> Regional(n_blocks=4).name
    'regional(B=4, dc)'
    """

    family = "regional"

    def __init__(self, n_blocks: int = 2, degree_corrected: bool = True, n_starts: int = 10,
                 random_state=None, kernighan_lin: bool = True, n_jobs: int = 1):
        super().__init__(degree_corrected, n_starts, random_state, kernighan_lin, n_jobs)
        self.n_blocks = n_blocks

    def _size_text(self) -> str:
        return f"B={self.n_blocks}, "

    def structure(self) -> Structure:
        return _cached(structures.regional, self.n_blocks)


class _SeveralCores(BlockModel):
    """The several-centres families, sized by their number of cores ``k``."""

    def __init__(self, k: int = 2, degree_corrected: bool = True, n_starts: int = 10,
                 random_state=None, kernighan_lin: bool = True, n_jobs: int = 1):
        super().__init__(degree_corrected, n_starts, random_state, kernighan_lin, n_jobs)
        self.k = k

    def _size_text(self) -> str:
        return f"k={self.k}, "


class MultiCorePairs(_SeveralCores):
    """k core-periphery pairs on a lower background rate (Kojaku & Masuda 2018, likelihood).

    Blocks are ``(c1, p1, ..., ck, pk)``: label ``2l`` is core l, ``2l + 1`` its periphery.

    Examples
    --------
    >>> MultiCorePairs(k=3).name
    'multi_core_pairs(k=3, dc)'
    """

    family = "multi_core_pairs"

    def structure(self) -> Structure:
        return _cached(structures.multi_core_pairs, self.k)


class MultiCoreShared(_SeveralCores):
    """k cores (labels 0..k-1) sharing one periphery (label k) (Polanco & Newman 2023).

    Examples
    --------
    >>> MultiCoreShared(k=2).structure().n_blocks
    3
    """

    family = "multi_core_shared"

    def structure(self) -> Structure:
        return _cached(structures.multi_core_shared, self.k)


class SBM(BlockModel):
    """Unconstrained stochastic block model with ``n_blocks`` = 1..40 blocks, the reference.

    Examples
    --------
    >>> SBM(n_blocks=4, degree_corrected=False).name
    'sbm(K=4, plain)'
    """

    family = "sbm"

    def __init__(self, n_blocks: int = 2, degree_corrected: bool = True, n_starts: int = 10,
                 random_state=None, kernighan_lin: bool = True, n_jobs: int = 1):
        super().__init__(degree_corrected, n_starts, random_state, kernighan_lin, n_jobs)
        self.n_blocks = n_blocks

    def _size_text(self) -> str:
        return f"K={self.n_blocks}, "

    def structure(self) -> Structure:
        return _cached(structures.sbm, self.n_blocks)


@cache
def _cached(make, *args) -> Structure:
    return make(*args)
