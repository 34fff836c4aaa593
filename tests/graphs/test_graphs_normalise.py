"""Each normalisation against a hand-computed four-country example, and its invariants."""

import numpy as np
import pytest

from bibnet.graphs import normalise
from graph_examples import four_country_graph

COUNTS = four_country_graph().counts  # DE, GB, NA, US; strengths 6, 5, 4, 1; 2W = 16

# Hand-computed weights of the linked pairs DE-GB, DE-NA, GB-NA, NA-US.
EXPECTED = {
    "count": [4, 2, 1, 1],
    "association_strength": [4 / (6 * 5), 2 / (6 * 4), 1 / (5 * 4), 1 / (4 * 1)],
    "cosine": [4 / np.sqrt(30), 2 / np.sqrt(24), 1 / np.sqrt(20), 1 / 2],
    "jaccard": [4 / 7, 2 / 8, 1 / 8, 1 / 4],
    "inclusion": [4 / 5, 2 / 4, 1 / 4, 1 / 1],
    "affinity": [16 * 4 / 30, 16 * 2 / 24, 16 / 20, 16 / 4],
}
LINKED = ([0, 0, 1, 2], [1, 2, 2, 3])
UNIT_RANGE = ["cosine", "jaccard", "inclusion"]
SCALE_INVARIANT = ["cosine", "jaccard", "inclusion", "affinity"]


def test_every_measure_is_tested():
    assert set(EXPECTED) == set(normalise.NORMALISATIONS)


@pytest.mark.parametrize("name", EXPECTED)
def test_hand_computed_values(name):
    weights = normalise.NORMALISATIONS[name](COUNTS)
    np.testing.assert_allclose(weights[LINKED], EXPECTED[name], rtol=1e-12)
    unlinked = np.ones_like(COUNTS, dtype=bool)
    unlinked[LINKED] = unlinked[LINKED[::-1]] = False
    assert (weights[unlinked] == 0).all()


def random_counts(seed=0, n=12):
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.poisson(3, size=(n, n)) * (rng.random((n, n)) < 0.6), k=1)
    upper[0, 1:] += 1  # no isolates but allow zero cells
    return (upper + upper.T).astype(float)


@pytest.mark.parametrize("name", EXPECTED)
def test_symmetric_zero_diagonal_non_negative(name):
    weights = normalise.NORMALISATIONS[name](random_counts())
    np.testing.assert_array_equal(weights, weights.T)
    assert (np.diag(weights) == 0).all() and (weights >= 0).all()


@pytest.mark.parametrize("name", UNIT_RANGE)
def test_bounded_by_one(name):
    assert normalise.NORMALISATIONS[name](random_counts()).max() <= 1


@pytest.mark.parametrize("name", SCALE_INVARIANT)
def test_scale_invariant(name):
    counts = random_counts()
    measure = normalise.NORMALISATIONS[name]
    np.testing.assert_allclose(measure(7 * counts), measure(counts), rtol=1e-12)


def test_association_strength_scales_inversely_and_is_affinity_over_2w():
    counts = random_counts()
    np.testing.assert_allclose(normalise.association_strength(7 * counts),
                               normalise.association_strength(counts) / 7, rtol=1e-12)
    np.testing.assert_allclose(normalise.affinity(counts),
                               normalise.association_strength(counts) * counts.sum(), rtol=1e-12)


@pytest.mark.parametrize("name", EXPECTED)
def test_isolates_give_zero_not_nan(name):
    counts = np.zeros((3, 3))
    counts[0, 1] = counts[1, 0] = 2
    weights = normalise.NORMALISATIONS[name](counts)
    assert np.isfinite(weights).all() and (weights[2] == 0).all()


def test_input_is_not_modified():
    counts = random_counts()
    before = counts.copy()
    for measure in normalise.NORMALISATIONS.values():
        measure(counts)
    np.testing.assert_array_equal(counts, before)
