"""Borgatti-Everett baselines (``benchmarks/baselines.py``, what the cpnet cross-check
compares with): hand-checked cases, exhaustive search, MINRES optimality."""

import itertools
import sys

import numpy as np
import pytest
from scipy.optimize import minimize

from bibnet import simulate
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
from baselines import BorgattiEverett, minres_coreness  # noqa: E402


def ideal_correlation(A, core, cp_density):
    """Direct definition: Pearson correlation over pairs i < j with the ideal pattern."""
    i, j = np.triu_indices(len(A), 1)
    both, either = core[i] & core[j], core[i] | core[j]
    ideal = np.where(both, 1.0, np.where(either, np.nan if cp_density is None else cp_density, 0))
    keep = ~np.isnan(ideal)
    with np.errstate(invalid="ignore", divide="ignore"):  # NaN for a constant pattern
        return np.corrcoef(A[i, j][keep], ideal[keep])[0, 1]


def best_by_exhaustion(A, cp_density):
    n = len(A)
    fits = {}
    for mask in itertools.product([False, True], repeat=n):
        core = np.array(mask)
        if 1 <= core.sum() <= n - 1:
            fits[mask] = ideal_correlation(A, core, cp_density)
    return max(v for v in fits.values() if not np.isnan(v))


def random_symmetric(n, seed):
    rng = np.random.default_rng(seed)
    A = np.triu(rng.poisson(rng.gamma(1.0, 2.0, (n, n))), 1).astype(float)
    return A + A.T


@pytest.mark.parametrize("cp_density", [None, 1.0, 0.5])
def test_perfect_core_periphery_patterns_give_one_and_the_core(cp_density):
    n, core = 8, np.array([1, 4, 6])
    A = np.zeros((n, n))
    A[np.ix_(core, core)] = 3.0
    if cp_density is not None:
        periphery = np.setdiff1d(np.arange(n), core)
        A[np.ix_(core, periphery)] = A[np.ix_(periphery, core)] = 3.0 * cp_density
    np.fill_diagonal(A, 0)
    be = BorgattiEverett(cp_density).fit(A)
    assert be.correlation_ == pytest.approx(1.0)
    assert np.flatnonzero(be.labels_ == 0).tolist() == core.tolist()


def test_hand_computed_correlations():
    # clique {0,1,2} of weight 5 and one periphery tie (4,5) of weight 1:
    # UCINET default (cp ignored): x = [5,5,5,0,0,1], y = [1,1,1,0,0,0] -> 42 / sqrt(1800)
    A = np.zeros((6, 6))
    A[:3, :3] = 5
    A[4, 5] = A[5, 4] = 1
    np.fill_diagonal(A, 0)
    be = BorgattiEverett().fit(A)
    assert be.labels_.tolist() == [0, 0, 0, 1, 1, 1]
    assert be.correlation_ == pytest.approx(42 / np.sqrt(1800))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("cp_density", [None, 1.0])
def test_search_reaches_the_exhaustive_optimum_on_small_graphs(seed, cp_density):
    A = random_symmetric(9, seed)
    A[:3, :3] += 6
    np.fill_diagonal(A, 0)
    be = BorgattiEverett(cp_density).fit(A)
    assert be.correlation_ == pytest.approx(ideal_correlation(A, be.labels_ == 0, cp_density))
    assert be.correlation_ == pytest.approx(best_by_exhaustion(A, cp_density))


def test_minres_is_the_least_squares_optimum_off_the_diagonal():
    A = random_symmetric(12, 3)
    c = minres_coreness(A)
    off = ~np.eye(12, dtype=bool)

    def loss(x):
        return ((A - np.outer(x, x))[off] ** 2).sum()

    polished = minimize(loss, c, method="BFGS").x
    assert loss(c) <= loss(polished) + 1e-6 * loss(c)
    assert (c >= 0).all()
    # the diagonal plays no part
    B = A.copy()
    np.fill_diagonal(B, 100.0)
    assert np.allclose(minres_coreness(B), c)


def test_coreness_is_unit_length_and_follows_the_planted_core():
    world = simulate.layered(100, seed=1)
    be = BorgattiEverett().fit(world.counts)
    assert be.coreness_ @ be.coreness_ == pytest.approx(1.0)
    assert be.coreness_correlation_ > 0.5
    assert np.argmax(be.coreness_) == 0  # the dominant country
    assert set(be.labels_.tolist()) == {0, 1}


def test_permuting_the_input_permutes_the_result():
    A = random_symmetric(10, 7)
    A[:4, :4] += 5
    np.fill_diagonal(A, 0)
    perm = np.random.default_rng(0).permutation(10)
    a, b = BorgattiEverett().fit(A), BorgattiEverett().fit(A[np.ix_(perm, perm)])
    assert np.allclose(a.coreness_[perm], b.coreness_)
    assert a.correlation_ == pytest.approx(b.correlation_)


@pytest.mark.parametrize("bad", [np.ones((3, 3)), -np.ones((5, 5)), np.triu(np.ones((5, 5))),
                                 np.full((5, 5), np.nan), np.ones((4, 5))])
def test_bad_matrices_are_refused(bad):
    with pytest.raises(ValueError):
        BorgattiEverett().fit(bad)


def test_the_docstring_examples_hold():
    import doctest

    import baselines

    assert doctest.testmod(baselines).failed == 0
