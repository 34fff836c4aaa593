"""The overdispersion measures and draws (SYNTHETIC counts with a known variance function)."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.blockmodels.dispersion import (
    VarianceFunction,
    deviance,
    pearson_dispersion,
    variance_function,
)
from planted_worlds import draw_overdispersed

def _sizes(n, rng):
    return np.sort(rng.lognormal(0, 1.0, n))[::-1] * 3


@pytest.mark.parametrize("phi, power", [(1.0, 1.0), (3.0, 1.45), (0.5, 1.8)])
def test_variance_function_recovers_the_planted_one(phi, power):
    rng = np.random.default_rng(4)
    size = _sizes(200, rng)
    means = np.outer(size, size)
    np.fill_diagonal(means, 0)
    A = draw_overdispersed(means, VarianceFunction(phi, power), rng)
    fitted = variance_function(A, means, n_parameters=0)
    # V(mu) = max(phi mu^p, mu): where phi mu^p < mu the draw is Poisson, so the planted
    # function holds only over the means where it exceeds Poisson; compare there.
    mu = np.geomspace(max(means[means > 0].min(), phi ** (1 / (1 - power)) if power != 1 else 1,
                          1.0), means.max(), 5)
    assert np.allclose(fitted(mu), np.maximum(VarianceFunction(phi, power)(mu), mu), rtol=0.35)


def test_draws_have_the_mean_and_variance_asked_for():
    rng = np.random.default_rng(0)
    means = np.full((400, 400), 30.0)
    np.fill_diagonal(means, 0)
    A = draw_overdispersed(means, VarianceFunction(2.0, 1.5), rng)
    upper = A[np.triu_indices(400, 1)]
    assert upper.mean() == pytest.approx(30, rel=0.01)
    assert upper.var() == pytest.approx(2 * 30 ** 1.5, rel=0.05)


def test_deviance_and_pearson_of_a_perfect_fit_and_of_poisson_noise():
    rng = np.random.default_rng(1)
    size = _sizes(150, rng)
    means = np.outer(size, size)
    np.fill_diagonal(means, 0)
    A = draw_overdispersed(means, VarianceFunction(1.0, 1.0), rng)
    assert deviance(A, A) == 0.0
    assert pearson_dispersion(A, means, 0) == pytest.approx(1.0, abs=0.05)
    with pytest.raises(ValueError, match="no degrees of freedom"):
        pearson_dispersion(A[:3, :3], means[:3, :3], 3)
