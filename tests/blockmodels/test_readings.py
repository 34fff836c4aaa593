"""Dispersion, the readings' effect sizes, the centre check and the replicates (SYNTHETIC)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from bibnet.blockmodels import (
    SBM,
    Layered,
    MultiCorePairs,
    StructureBeyondSize,
    centre_check,
    reference_scan,
    resample,
)
from bibnet.blockmodels.dispersion import (
    VarianceFunction,
    deviance,
    pearson_dispersion,
    variance_function,
)
from bibnet.blockmodels.readings import saturated_log_likelihood
from bibnet.blockmodels.uncertainty import TIER_MODELS, percentile_interval
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


def _fake(family, rates, labels, tiers):
    return SimpleNamespace(family=family, block_rates_=np.array(rates, dtype=float),
                           labels_=np.array(labels), block_tiers_=np.array(tiers))


STRENGTH = np.array([100.0, 90, 80, 10, 9, 8, 7, 6, 5, 4])


@pytest.mark.parametrize("case, rates, labels, expected", [
    ("two true centres", [[9, 4, 1, 1], [4, 2, 1, 1], [1, 1, 9, 4], [1, 1, 4, 2]],
     [0, 2, 1, 1, 1, 3, 3, 3, 3, 3], []),
    ("a core without a large country", [[9, 4, 1, 1], [4, 2, 1, 1], [1, 1, 9, 4], [1, 1, 4, 2]],
     [0, 1, 1, 1, 1, 2, 3, 3, 3, 3], ["core 2 holds no country of the top"]),
    ("a periphery holding a larger country", [[9, 4, 1, 1], [4, 2, 1, 1], [1, 1, 9, 4],
                                              [1, 1, 4, 2]],
     [1, 0, 2, 1, 1, 3, 3, 3, 3, 3], ["core 1's periphery holds a country stronger"]),
    ("one centre split in two: the background between the pairs is the core's own rate",
     [[9, 4, 9, 9], [4, 2, 9, 9], [9, 9, 9, 4], [9, 9, 4, 2]], [0, 2, 1, 1, 1, 3, 3, 3, 3, 3],
     ["core 1: rate within 9 is under 1.25 times 9", "core 1: rate to its periphery 4",
      "core 2: rate within 9 is under 1.25 times 9", "core 2: rate to its periphery 4"]),
    ("a bloc cut in two", [[3, 3, 1, 1], [3, 3, 1, 1], [1, 1, 9, 4], [1, 1, 4, 2]],
     [0, 2, 1, 1, 1, 3, 3, 3, 3, 3],
     ["core 1: rate within, against its periphery within 3 is under 1.25 times 3"]),
])
def test_centre_check_of_core_periphery_pairs(case, rates, labels, expected):
    model = _fake("multi_core_pairs", rates, labels, [0, 2, 0, 2])
    failures = centre_check(model, STRENGTH, top_share=0.3, contrast=1.25)
    assert len(failures) == len(expected), (case, failures)
    for failure, start in zip(failures, expected):
        assert failure.startswith(start), (case, failures)


def test_centre_check_of_one_centre_and_of_a_shared_periphery():
    layered = _fake("layered", [[5, 5, 5], [5, 3, 3], [5, 3, 4.5]], [0, 1, 1, 2, 2, 2, 2, 2, 2, 2],
                    [0, 1, 2])
    assert centre_check(layered, STRENGTH, 0.1, 1.25) == [
        "the core is tied to the periphery 5 works per pair beyond size, under 1.25 times the "
        "periphery's 4.5 within itself"]
    shared = _fake("multi_core_shared", [[9, 2, 4], [2, 9, 1.1], [4, 1.1, 1]],
                   [0, 1, 2, 2, 2, 2, 2, 2, 2, 2], [0, 0, 2])
    assert centre_check(shared, STRENGTH, 0.2, 1.25) == [
        "core 2: rate to the periphery, against between cores 1.1 is under 1.25 times 2",
        "core 2: rate to the periphery, against the periphery within 1.1 is under 1.25 times 1"]


def test_a_semi_periphery_posing_as_a_second_core_is_not_a_centre():
    """Measured on planted layered worlds: a shared-periphery fit whose second "core" is a
    cluster around one large country, tied within itself (488) and to the first core (132)
    far more than to the periphery (58): tied upward, as a semi-periphery is."""
    shared = _fake("multi_core_shared", [[448, 132, 202], [132, 488, 58.4], [202, 58.4, 17.4]],
                   [0, 1, 2, 2, 2, 2, 2, 2, 2, 2], [0, 0, 2])
    assert centre_check(shared, STRENGTH, 0.2, 1.5) == [
        "core 2: rate to the periphery, against between cores 58.4 is under 1.5 times 132"]


def _world(kind, n=60, seed=0, dispersion=VarianceFunction(1.0, 1.0)):
    """A small degree-corrected world of one kind, drawn with the given variance."""
    rng = np.random.default_rng(seed)
    theta = _sizes(n, rng) / 3
    labels = np.arange(n) % 4
    if kind == "pairs":  # (c1, p1, c2, p2), cores holding the largest countries
        labels = np.where(np.arange(n) < 8, np.arange(n) % 2 * 2, 1 + np.arange(n) % 2 * 2)
        omega = np.array([[8, 3, 1, 1], [3, 1.5, 1, 1], [1, 1, 8, 3], [1, 1, 3, 1.5]])
    elif kind == "regional":
        omega = np.where(np.eye(4, dtype=bool), np.diag([4.0, 3, 3.5, 2.5]), 1.0)
    elif kind == "layered":
        labels = np.select([np.arange(n) < 8, np.arange(n) < 25], [0, 1], 2)
        omega = np.array([3.0, 1.7, 1.0])[np.minimum.outer(np.arange(3), np.arange(3))]
    else:
        labels = np.zeros(n, dtype=int)
        omega = np.ones((1, 1))
    means = 8 * np.outer(theta, theta) * omega[np.ix_(labels, labels)]
    np.fill_diagonal(means, 0)
    return draw_overdispersed(means, dispersion, rng)


@pytest.mark.parametrize("kind, reading", [("pairs", "several centres"),
                                           ("regional", "regional communities"),
                                           ("layered", "one centre")])
def test_the_planted_reading_keeps_the_most_structure(kind, reading):
    fitted = StructureBeyondSize(blocks=(2, 3, 4), n_starts=4, random_state=1).fit(_world(kind))
    assert max(fitted.summary_, key=fitted.summary_.get) == reading, fitted.summary_
    assert fitted.share_ > 0.2


def test_effect_sizes_are_ratios_of_log_likelihood_gains():
    A = _world("regional", seed=2)
    fitted = StructureBeyondSize(blocks=(2, 3), n_starts=2, random_state=0).fit(A)
    null = SBM(1).fit(A).log_likelihood_
    table = fitted.table_.set_index("model")
    sbm3 = table.loc["sbm(K=3, dc)", "log_likelihood"]
    row = table.loc["regional(B=3, dc)"]
    assert row["share"] == pytest.approx((row["log_likelihood"] - null)
                                         / (saturated_log_likelihood(A) - null))
    best3 = table[table["blocks"] == 3]["log_likelihood"].max()
    assert row["retention"] == pytest.approx((row["log_likelihood"] - null) / (best3 - null))
    assert best3 >= sbm3


def test_readings_do_not_depend_on_the_input_order():
    A = _world("pairs", seed=3)
    order = np.random.default_rng(9).permutation(A.shape[0])
    first = StructureBeyondSize(blocks=(2, 4), n_starts=2, random_state=5).fit(A)
    again = StructureBeyondSize(blocks=(2, 4), n_starts=2, random_state=5).fit(
        A[np.ix_(order, order)])
    assert first.summary_ == pytest.approx(again.summary_)
    assert first.share_ == pytest.approx(again.share_)


def test_bad_blocks_are_refused():
    with pytest.raises(ValueError, match="blocks must be from 2 to 8"):
        StructureBeyondSize(blocks=(1, 2)).fit(_world("null"))


def test_interval_moves_the_replicates_spread_onto_the_estimate():
    """Replicates all above the estimate (a fit of rebuilt counts finds their noise's share
    too): the interval keeps their spread around the estimate, never excludes it."""
    low, high = percentile_interval(0.5, np.linspace(0.6, 0.8, 101))
    assert (low, high) == pytest.approx((0.5 + 0.605 - 0.7, 0.5 + 0.795 - 0.7))


@pytest.mark.parametrize("observed, bounds", [(0.99, (0.0, 1.0)), (0.01, (0.0, 1.0)),
                                              (-0.98, (-1.0, 1.0))])
def test_interval_stays_in_the_figures_range_and_holds_the_estimate(observed, bounds):
    replicates = np.random.default_rng(0).normal(observed, 0.2, 30)
    low, high = percentile_interval(observed, replicates, bounds)
    assert bounds[0] <= low <= observed <= high <= bounds[1]


@pytest.fixture(scope="module")
def boundary_world():
    """Plain layered world (classes of volume) with one country planted between the core and
    the semi-periphery: its rates are the geometric mean of theirs."""
    n = 60
    tiers = np.select([np.arange(n) < 5, np.arange(n) < 20], [0, 1], 2)
    levels = np.array([40.0, 12.0, 3.0])
    rate = levels[tiers]
    rate[5] = np.sqrt(40 * 12)
    means = np.maximum.outer(rate, rate)  # the rate between two tiers is the inner one's
    np.fill_diagonal(means, 0)
    A = draw_overdispersed(means, VarianceFunction(2.0, 1.4), np.random.default_rng(7))
    fitted = StructureBeyondSize(blocks=(2, 3), n_starts=2, random_state=2).fit(A)
    return A, resample(A, fitted, replicates=30, jackknife=3, seed=3, workers=2)


def test_a_country_on_a_class_boundary_gets_a_probability_away_from_0_and_1(boundary_world):
    _, uncertainty = boundary_world
    p = uncertainty.tiers["size_classes"]
    assert 0.05 < p[5, 0] < 0.95, p[5]
    assert (p[:5, 0] >= 0.9).all() and (p[20:, 2] >= 0.9).all()
    assert np.allclose(p.sum(axis=1), 1.0)


def test_replicates_are_reproducible_and_jackknife_leaves_out_the_strongest(boundary_world):
    A, uncertainty = boundary_world
    rows = uncertainty.replicates
    assert (rows["kind"] == "bootstrap").sum() == 30
    jack = rows[rows["kind"] == "jackknife"]["left_out"].astype(int).tolist()
    assert sorted(jack) == sorted(np.argsort(-A.sum(axis=1), kind="stable")[:3].tolist())
    fitted = StructureBeyondSize(blocks=(2, 3), n_starts=2, random_state=2).fit(A)
    again = resample(A, fitted, replicates=30, jackknife=3, seed=3, workers=2)
    assert again.replicates.equals(rows)
    for role, _ in TIER_MODELS:
        np.testing.assert_array_equal(again.tiers[role], uncertainty.tiers[role])


def test_plain_and_degree_corrected_tiers_are_the_two_tier_models():
    assert dict(TIER_MODELS) == {"tiers_beyond_size": True, "size_classes": False}
    assert Layered(3, degree_corrected=False).name == "layered(B=3, plain)"
    assert MultiCorePairs(k=2).name == "multi_core_pairs(k=2, dc)"


def test_the_reference_levels_off_at_the_planted_blocks_and_measures_the_dispersion():
    # Four regional blocs of 15, counts drawn with variance 2 mu^1.3 around them.
    reference = reference_scan(_world("regional", seed=4, dispersion=VarianceFunction(2.0, 1.3)),
                               blocks=(1, 2, 3, 4, 5, 6, 8), seed=0)
    assert reference.levels_off == 4, reference.table
    assert reference.null_dispersion > reference.phi > 1
    assert list(reference.table["blocks"]) == [1, 2, 3, 4, 5, 6, 8]


def test_a_small_dense_network_keeps_degrees_of_freedom_for_the_dispersion():
    """12 countries, 66 pairs: the reference stops where its fit would have more parameters
    than pairs (the Slurm test's twelve-country study once failed there)."""
    A = _world("regional", n=12, seed=5)
    reference = reference_scan(A, seed=0)
    assert max(reference.table["blocks"]) == 10
    assert np.isfinite(reference.phi) and reference.variance.phi > 0
