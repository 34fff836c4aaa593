"""Shared invariants of the block-model estimators: shapes, determinism, input order, bad input,
the likelihood against a hand computation, and the exactness of the order-constrained fit."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.stats import poisson

from bibnet.blockmodels import (
    SBM,
    CorePeriphery,
    Layered,
    MultiCorePairs,
    MultiCoreShared,
    _kernel,
    structures,
)
from bibnet.blockmodels.dispersion import draw_counts

FACTORIES = [
    lambda dc: CorePeriphery(degree_corrected=dc),
    lambda dc: Layered(degree_corrected=dc),
    lambda dc: MultiCorePairs(k=2, degree_corrected=dc),
    lambda dc: MultiCoreShared(k=2, degree_corrected=dc),
    lambda dc: SBM(n_blocks=3, degree_corrected=dc),
]
ESTIMATORS = [pytest.param(make, dc, id=f"{make(dc).name}")
              for make in FACTORIES for dc in (True, False)]


@pytest.fixture(scope="module")
def world() -> np.ndarray:
    """40 countries, two planted centres with their peripheries, heavy-tailed activity."""
    rng = np.random.default_rng(7)
    n = 40
    labels = np.repeat([0, 1, 2, 3], [5, 15, 5, 15])
    omega = np.full((4, 4), 0.3)
    omega[:2, :2] = [[8, 3], [3, 1]]
    omega[2:, 2:] = [[8, 3], [3, 1]]
    theta = rng.lognormal(0, 0.7, n)
    return draw_counts(np.outer(theta, theta) * omega[np.ix_(labels, labels)] * 5, rng)


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_fitted_attributes(make, dc, world):
    model = make(dc).fit(world)
    n, K = world.shape[0], model.structure().n_blocks
    assert model.labels_.shape == (n,) and model.tiers_.shape == (n,)
    assert set(model.labels_.tolist()) == set(range(K))
    assert set(model.tiers_.tolist()) <= {0, 1, 2}
    assert model.block_rates_.shape == (K, K)
    np.testing.assert_array_equal(model.block_rates_, model.block_rates_.T)
    assert np.isfinite(model.log_likelihood_) and np.isfinite(model.icl_penalty_)
    assert model.n_parameters_ == model.structure().n_rates + (n - K if dc else 0)


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_order_constraints_hold(make, dc, world):
    model = make(dc).fit(world)
    structure = model.structure()
    rates = np.zeros(structure.n_rates)
    rates[structure.param_of] = model.block_rates_
    for hi, lo in structure.constraints:
        assert rates[hi] >= rates[lo] * (1 - 1e-12)


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_same_seed_same_bytes(make, dc, world):
    first = make(dc)
    first.random_state = 3
    second = make(dc)
    second.random_state = np.random.default_rng(3)
    first.fit(world)
    second.fit(world)
    assert first.labels_.tobytes() == second.labels_.tobytes()
    assert first.block_rates_.tobytes() == second.block_rates_.tobytes()
    assert first.log_likelihood_ == second.log_likelihood_


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_threads_do_not_change_the_fit(make, dc, world):
    one, two = make(dc), make(dc)
    one.random_state, two.random_state, two.n_jobs = 5, 5, 2
    one.fit(world)
    two.fit(world)
    assert one.labels_.tobytes() == two.labels_.tobytes()
    assert one.weights_.tobytes() == two.weights_.tobytes()
    assert one.log_likelihood_ == two.log_likelihood_


@pytest.mark.parametrize("setting", [{"n_jobs": 0}, {"n_starts": 0}])
def test_bad_settings_are_value_errors(setting, world):
    name = next(iter(setting))
    with pytest.raises(ValueError, match=f"{name} must be >= 1"):
        CorePeriphery(**setting).fit(world)


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_permuting_the_input_permutes_the_labels(make, dc, world):
    perm = np.random.default_rng(11).permutation(world.shape[0])
    model = make(dc)
    model.random_state = 5
    original = model.fit(world).labels_.copy()
    ll = model.log_likelihood_
    permuted = model.fit(world[np.ix_(perm, perm)]).labels_
    np.testing.assert_array_equal(permuted, original[perm])
    assert model.log_likelihood_ == pytest.approx(ll, rel=1e-12)


BAD = {
    "non-square": (np.ones((3, 4)), "square"),
    "not a matrix": (np.ones(5), "square"),
    "asymmetric": (np.array([[0, 1, 2], [1, 0, 3], [2, 4, 0]]), "not symmetric"),
    "negative": (np.array([[0, -1, 2], [-1, 0, 3], [2, 3, 0]]), "negative"),
    "NaN": (np.array([[0, np.nan, 2], [np.nan, 0, 3], [2, 3, 0]]), "NaN"),
    "all zero": (np.zeros((4, 4)), "all zero"),
    "two countries": (np.array([[0, 1], [1, 0]]), "at least 3"),
    "diagonal": (np.array([[5, 1, 2], [1, 0, 3], [2, 3, 0]]), "diagonal"),
    "isolated row": (np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]), "isolated"),
}


@pytest.mark.parametrize("make, dc", ESTIMATORS)
@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_a_value_error_naming_the_problem(make, dc, case):
    matrix, words = BAD[case]
    with pytest.raises(ValueError, match=words):
        make(dc).fit(matrix)


def test_too_few_countries_for_the_blocks():
    A = np.ones((5, 5)) - np.eye(5)
    with pytest.raises(ValueError, match="at least 8 countries"):
        SBM(n_blocks=8).fit(A)


def test_disconnected_parts_are_fitted_with_a_warning(world):
    n = world.shape[0]
    A = np.zeros((n + 3, n + 3))
    A[:n, :n] = world
    A[n:, n:] = [[0, 2, 1], [2, 0, 4], [1, 4, 0]]
    with pytest.warns(UserWarning, match=r"2 disconnected parts \(sizes \[40, 3\]\).*observed zeros"):
        model = CorePeriphery(random_state=0).fit(A)
    assert model.labels_.shape == (n + 3,)


def test_connected_input_gives_no_warning(world):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Layered(random_state=0).fit(world)


TRIANGLE = np.array([[0, 1, 2], [1, 0, 3], [2, 3, 0]], dtype=float)


def test_one_block_likelihood_by_hand():
    # Pairs 1, 2, 3 works, one rate: omega = 2, log L = 6 log 2 - 3 * 2 - log(1! 2! 3!).
    model = SBM(n_blocks=1, degree_corrected=False).fit(TRIANGLE)
    assert model.block_rates_[0, 0] == pytest.approx(2.0)
    assert model.log_likelihood_ == pytest.approx(6 * np.log(2) - 6 - np.log(12))


def test_degree_corrected_likelihood_by_hand():
    # One block on a triangle: three degree parameters (averaging 1) and one rate for three
    # pairs, so the fit is saturated, lambda_ij = A_ij. With x = (sqrt(2/3), sqrt(3/2),
    # sqrt(6)) solving x_i x_j = A_ij, theta = 3 x / sum(x) and omega = (sum(x) / 3)**2.
    model = SBM(n_blocks=1, degree_corrected=True).fit(TRIANGLE)
    x = np.sqrt([2 / 3, 3 / 2, 6])
    np.testing.assert_allclose(model.weights_, 3 * x / x.sum(), rtol=1e-8)
    assert model.block_rates_[0, 0] == pytest.approx((x.sum() / 3) ** 2, rel=1e-8)
    by_hand = sum(a * np.log(a) - a - np.log(float(np.prod(range(1, int(a) + 1))))
                  for a in (1, 2, 3))
    assert model.log_likelihood_ == pytest.approx(by_hand, rel=1e-8)


def test_degree_parameters_are_the_exact_maximum_without_self_pairs():
    """A dominant country: theta_i = k_i (Karrer–Newman, exact only with self-pairs) is beaten
    by the fitted degrees, which satisfy the likelihood equations k_i = theta_i sum_j theta_j w."""
    rng = np.random.default_rng(5)
    theta = np.r_[30.0, rng.lognormal(0, 0.5, 29)]
    A = draw_counts(np.outer(theta, theta) * 0.2, rng)
    model = SBM(n_blocks=1).fit(A)
    fitted = model.expected_counts()
    np.testing.assert_allclose(fitted.sum(axis=1), A.sum(axis=1), rtol=1e-7)
    k = A.sum(axis=1)
    upper = np.triu_indices(30, 1)
    karrer_newman = np.outer(k, k) * A[upper].sum() / (np.outer(k, k)[upper].sum())
    assert model.log_likelihood_ > poisson.logpmf(A[upper], karrer_newman[upper]).sum() + 1


@pytest.mark.parametrize("make, dc", ESTIMATORS)
def test_log_likelihood_is_the_poisson_likelihood_of_the_fitted_means(make, dc, world):
    model = make(dc).fit(world)
    upper = np.triu_indices(world.shape[0], 1)
    direct = poisson.logpmf(world[upper], model.expected_counts()[upper]).sum()
    assert model.log_likelihood_ == pytest.approx(direct, rel=1e-10)


def test_icl_penalty_formula(world):
    model = Layered(random_state=1).fit(world)
    n = world.shape[0]
    sizes = np.bincount(model.labels_)
    expected = (-2 * (sizes * np.log(sizes / n)).sum()
                + 2 * np.log(n) + (3 + n - 3) * np.log(n * (n - 1) / 2)
                - 2 * np.log(6))  # one of the 3! orderings of the three rates allowed
    assert model.icl_penalty_ == pytest.approx(expected)


def test_small_world_fit_is_the_global_maximum():
    """On 7 countries, every labeling into core/periphery is tried: the fit finds the best."""
    rng = np.random.default_rng(2)
    core = np.arange(7) < 3
    A = draw_counts(np.select([core[:, None] & core, core[:, None] | core], [6.0, 2.5], 1.0), rng)
    model = CorePeriphery(degree_corrected=False, random_state=0).fit(A)
    best = -np.inf
    for bits in itertools.product([0, 1], repeat=7):
        labels = np.array(bits)
        if labels.min() == labels.max():
            continue
        trial = CorePeriphery(degree_corrected=False, n_starts=1, kernighan_lin=False)
        # Score a fixed labeling: store it without search (the canonical order is identity-safe
        # because _store maps back through the order it is given).
        order = np.arange(7)
        trial._store(A, np.ones(7), labels.astype(np.int64), trial.structure(), order)
        best = max(best, trial.log_likelihood_)
    assert model.log_likelihood_ == pytest.approx(best)


@pytest.mark.parametrize("structure", [structures.core_periphery(), structures.layered(),
                                       structures.multi_core_pairs(2),
                                       structures.multi_core_shared(3)],
                         ids=lambda s: s.name)
def test_constrained_rates_are_the_exact_maximum(structure):
    """The projection against a generic optimiser of the same Poisson likelihood."""
    rng = np.random.default_rng(4)
    P = structure.n_rates
    for _ in range(20):
        T = rng.uniform(0.5, 5, P)
        E = rng.poisson(T * rng.uniform(0.2, 3, P)).astype(float) + 0.1
        omega = np.zeros(P)
        _kernel.project(E, T, structure.constraints, structure.lower_sets, omega)

        def nll(x):
            return -(E * np.log(x) - T * x).sum()

        cons = [{"type": "ineq", "fun": lambda x, h=h, lo=lo: x[h] - x[lo]}
                for h, lo in structure.constraints]
        generic = minimize(nll, np.full(P, E.sum() / T.sum()), constraints=cons,
                           bounds=[(1e-9, None)] * P, method="SLSQP",
                           options={"ftol": 1e-12, "maxiter": 500})
        for h, lo in structure.constraints:
            assert omega[h] >= omega[lo] - 1e-12
        assert nll(omega) <= generic.fun + 1e-7


@pytest.mark.parametrize("structure", [structures.core_periphery(), structures.layered(),
                                       structures.multi_core_pairs(2),
                                       structures.multi_core_shared(3), structures.sbm(4)],
                         ids=lambda s: s.name)
@pytest.mark.parametrize("dc", [True, False], ids=["dc", "plain"])
def test_insertion_values_are_the_profile_of_each_move(structure, dc, world):
    """The incremental move values against the whole profile, on random partitions (whose
    rates often break the order, so both the incremental and the projected path run)."""
    rng = np.random.default_rng(9)
    K, P = structure.n_blocks, structure.n_rates
    w = world.sum(axis=1) if dc else np.ones(world.shape[0])
    projected = 0
    for _ in range(30):
        labels = rng.integers(K, size=world.shape[0])
        node = int(rng.integers(world.shape[0]))
        d = np.bincount(labels, weights=world[node], minlength=K)
        M, W, Q, S = _kernel.block_sums(world, w, labels, K)
        _kernel._shift(M, W, Q, S, d, w[node], labels[node], -1.0)
        values = np.full(K, np.nan)
        _kernel.insertion_values(M, W, Q, S, d, w[node], -1, *structure.arrays,
                                 _kernel.workspace(K, P), values)
        for block in range(K):
            moved = labels.copy()
            moved[node] = block
            E, T, omega = np.zeros(P), np.zeros(P), np.zeros(P)
            expected = _kernel.profile(*_kernel.block_sums(world, w, moved, K),
                                       *structure.arrays, E, T, omega)
            np.testing.assert_allclose(values[block], expected, rtol=1e-12)
            projected += not np.allclose(omega, E / np.where(T > 0, T, 1))
    assert projected or not structure.constraints.size


@pytest.mark.parametrize("structure", [structures.core_periphery(), structures.layered(),
                                       structures.layered(5), structures.regional(3),
                                       structures.sbm(2)])
@pytest.mark.parametrize("labels", [[0, 1, 0, 1, 1], [0, 1, 2, 1, 1], [0, 0, 1, 2, 2]])
def test_kernels_take_a_block_of_nodes_without_links(structure, labels):
    """Two countries without links (degree weight 0) in a block of their own: moving either
    into the other's block once divided by that block's zero strength (the demo's crash)."""
    A = np.array([[0, 3, 1, 0, 0], [3, 0, 2, 0, 0], [1, 2, 0, 0, 0], [0, 0, 0, 0, 0],
                  [0, 0, 0, 0, 0]], dtype=float)
    K = structure.n_blocks
    start = np.array(labels, dtype=np.int64) % K
    for step in (lambda lab: _kernel.climb(A, A.sum(axis=1), lab, *structure.arrays, 50)[0],
                 lambda lab: _kernel.kernighan_lin(A, A.sum(axis=1), lab, *structure.arrays, 50)):
        value = step(start.copy())
        assert np.isfinite(value)


def test_a_rate_with_data_but_no_exposure_adds_nothing():
    """Fractional counts summed in another order can leave data of 1e-16 on a rate whose
    exposure is exactly 0; the rate's term once divided by that zero."""
    assert _kernel._rate_term(1e-16, 0.0) == 0.0
    assert _kernel._rate_term(2.0, 1.0) == pytest.approx(2 * (np.log(2) - 1))
