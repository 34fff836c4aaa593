"""The year's record: the same counts in any order, or run twice, give the same bytes."""

import json

import numpy as np
import pytest

from bibnet.hypotheses.network import Network
from bibnet.hypotheses.study import SETTINGS, read_year

FAST = dict(SETTINGS, n_centres=4, robustness=[3, 5], min_links=20, replicates=200,
            bootstrap=200, robustness_replicates=100)


def _world(seed=4, n=70):
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0, 1, n)
    size[:4] = [30, 25, 20, 18]
    bloc = rng.integers(0, 3, n)
    rate = np.where(bloc[:, None] == bloc[None, :], 1.8, 1.0)
    mean = np.outer(size, size) * rate * 4 * rng.lognormal(0, 0.5, (n, n))
    mean = np.triu(mean, 1)
    counts = rng.poisson(mean + mean.T)
    counts = np.triu(counts, 1)
    codes = ["US", "GB", "DE", "FR"] + [f"Z{i:02d}" for i in range(4, n - 1)] + ["KR"]
    return counts + counts.T, codes


def _record(counts, codes, seed=7):
    return json.dumps(read_year(Network.from_counts(counts, codes), FAST, ("KR", "GB"),
                                seed=seed, year=2001), sort_keys=True)


def test_the_order_of_the_countries_changes_nothing():
    counts, codes = _world()
    order = np.random.default_rng(0).permutation(len(codes))
    shuffled = counts[np.ix_(order, order)]
    assert _record(counts, codes) == _record(shuffled, [codes[i] for i in order])


def test_a_run_repeats_to_the_byte_and_the_seed_matters():
    counts, codes = _world()
    assert _record(counts, codes) == _record(counts, codes)
    assert _record(counts, codes, seed=8) != _record(counts, codes, seed=7)


def test_the_record_names_its_verdicts_and_reasons():
    counts, codes = _world()
    record = json.loads(_record(counts, codes))
    assert record["centres"]["verdict"] in ("one centre", "several centres",
                                            "no centre beyond size", "undecided")
    assert record["regions"]["verdict"] == "regional communities"
    assert record["regions"]["reason"]
    assert set(record["robustness"]) == {"3", "4", "5"}
    assert record["hwang"]["verdict"] in ("supported", "not supported", "undecided")


def test_a_network_too_small_for_its_centres_says_what_to_change():
    counts, codes = _world(n=8)
    with pytest.raises(ValueError, match="lower n_centres"):
        read_year(Network.from_counts(counts, codes), dict(FAST, n_centres=6), ("KR", "GB"),
                  seed=1, year=2001)
