"""Fixed pair effects: mean one, their spread set by the pair's size as the variance power says,
the same effects at every level of a fixed draw."""

import numpy as np
import pytest

from bibnet.simulate import REAL_2015, _target_strengths
from bibnet.simulate.pair_effects import POWER, deal, draw_pair_effects

TARGET = _target_strengths(150, REAL_2015.top_share, np.random.default_rng(0))
UPPER = np.triu_indices(len(TARGET), 1)


def effects(sigma, noise="lognormal", power=POWER, seed=1):
    return draw_pair_effects(TARGET, sigma, np.random.default_rng(seed), noise=noise,
                             power=power)[UPPER]


def test_lognormal_effects_have_mean_one_and_shrink_with_the_pair_size():
    eps = effects(1.2)
    assert eps.mean() == pytest.approx(1, abs=0.05)
    size = np.outer(TARGET, TARGET)[UPPER]
    big, small = size > np.quantile(size, 0.9), size < np.quantile(size, 0.5)
    assert np.log(eps[big]).std() < 0.5 * np.log(eps[small]).std()
    # power 2: every pair the same log-sd
    flat = np.log(effects(1.2, power=2.0))
    assert flat[big].std() == pytest.approx(1.2, rel=0.1)
    assert flat[small].std() == pytest.approx(1.2, rel=0.1)


def test_gamma_effects_have_mean_one_and_variance_sigma_squared():
    eps = effects(0.8, noise="gamma")
    assert eps.mean() == pytest.approx(1, abs=0.02) and eps.var() == pytest.approx(0.64, rel=0.1)


@pytest.mark.parametrize("noise", ["lognormal", "gamma"])
def test_one_draw_moves_smoothly_with_the_level_and_zero_is_no_effect(noise):
    low, high = effects(0.5, noise), effects(1.0, noise)
    assert np.corrcoef(np.log(low), np.log(high))[0, 1] > 0.95
    assert (effects(0.0, noise) == 1).all()
    with pytest.raises(ValueError, match="unknown noise shape"):
        effects(0.5, "uniform")


def test_deal_gives_every_group_one_of_each_round_of_ranks():
    groups = deal(23, 5, np.random.default_rng(3))
    for start in range(0, 20, 5):
        assert sorted(groups[start:start + 5]) == [0, 1, 2, 3, 4]
    assert sorted(np.bincount(groups).tolist()) == [4, 4, 5, 5, 5]
