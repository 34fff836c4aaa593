"""The pair noise: its variance function recovers a planted one, draws follow it, and the
gravity null fitted with it leaves every country's weighted affinities at 1 on average."""

import numpy as np

from bibnet.graphs.gravity import gravity_expected, quasi_gravity_expected
from bibnet.hypotheses.noise import PairNoise, fit_noise


def world(power, phi, seed=0, n=150):
    rng = np.random.default_rng(seed)
    theta = rng.lognormal(1.5, 1.0, n)
    mean = np.outer(theta, theta)
    # gamma pair effects with variance phi * mean^(power - 2): V = mean + phi mean^power
    shape = 1 / (phi * mean ** (power - 2))
    counts = rng.poisson(rng.gamma(shape, mean / shape))
    counts = np.triu(counts, 1)
    return (counts + counts.T).astype(float)


def test_the_variance_function_recovers_the_planted_power():
    for power in (1.5, 2.0):
        A = world(power, 0.3)
        noise = PairNoise().fit(A, gravity_expected(A), np.ones(A.shape, bool))
        assert abs(noise.power_ - power) < 0.2


def test_draws_beyond_the_pool_follow_the_variance_function():
    A = world(2.0, 0.3)
    noise = PairNoise().fit(A, gravity_expected(A), np.ones(A.shape, bool))
    big = 50 * np.exp(noise.log_fitted_[-1])
    draws = noise.draw(np.full(20000, big), np.random.default_rng(1))
    assert abs(draws.std() / np.sqrt(noise.variance(big)) - 1) < 0.15


def test_weighted_affinities_average_one_for_every_country_under_the_quasi_null():
    A = world(2.0, 0.5, seed=2)
    expected, noise = fit_noise(A, np.ones(A.shape, bool), start=gravity_expected(A))
    weights = noise.weights(expected)
    mean = (weights * A / np.where(expected > 0, expected, 1)).sum(1) / weights.sum(1)
    refit = quasi_gravity_expected(A, noise.variance, start=expected)
    assert np.allclose(refit, expected, rtol=1e-6)
    assert np.abs(mean - 1).max() < 1e-6


def test_draws_are_centred_where_the_null_misfits_a_size():
    """The largest pairs lie 40 % above their fitted means (as the real networks' do above the
    quasi-likelihood null): a misfit, not noise, so draws around any expected count still
    have it as their mean, within the pool's range and beyond it."""
    A = world(2.0, 0.3)
    fitted = gravity_expected(A)
    misfit = np.where(fitted > np.quantile(fitted, 0.98), 1.4, 1.0)
    noise = PairNoise().fit(A * misfit, fitted, np.ones(A.shape, bool))
    rng = np.random.default_rng(3)
    for size in (np.exp(noise.log_fitted_[-50]), 50 * np.exp(noise.log_fitted_[-1])):
        draws = noise.draw(np.full(20000, size), rng)
        assert abs(draws.mean() / size - 1) < 0.03
