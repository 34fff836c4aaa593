"""The study's verdicts on planted (SYNTHETIC) worlds whose answer is known.

Worlds as in ``tests/test_blockmodels_planted.py`` (signal strengths of the real 2015 fits,
stated there): one-centre layered worlds, two-centre core-periphery-pair worlds, and
structureless degree-corrected worlds, 100 countries each, with the default verdict rule
(criterion margin 10, alpha 0.05) and 19 test replicates (so p can reach 0.05).
"""

from __future__ import annotations

import numpy as np
import pytest

from bibnet import simulate
from bibnet.blockmodels import Layered
from bibnet.blockmodels.compare import replant
from bibnet.blockmodels.selection import one_vs_several_centres_test, select, tier_probabilities
from bibnet.hypotheses import centres_verdict
from test_blockmodels_planted import WORLDS

N_WORLDS = 20
CASES = {
    "one centre": WORLDS["layered"][:2],
    "several centres": WORLDS["multi_core_pairs"][:2],
    "structureless": (lambda seed: simulate.null(100, seed=seed), np.ones((1, 1))),
}


def verdict(A, seed):
    selection = select(A, seed=seed, n_starts=5)
    test = one_vs_several_centres_test(A, replicates=19, seed=seed, selection=selection)
    delta = selection.best_one_centre.criterion_ - selection.best_several_centres.criterion_
    return centres_verdict(delta, test.p_value, margin=10, alpha=0.05)


@pytest.mark.parametrize("case", list(CASES))
def test_verdicts_are_right_in_95_percent_of_worlds(case):
    make_world, omega = CASES[case]
    verdicts = [verdict(replant(make_world(seed), omega, seed)[0], seed)
                for seed in range(N_WORLDS)]
    if case == "structureless":
        wrong = verdicts.count("several centres")
    else:
        wrong = N_WORLDS - verdicts.count(case)
    assert wrong <= 0.05 * N_WORLDS, f"{case}: {verdicts}"


def test_tier_probabilities_cover_the_planted_tiers():
    make_world, omega = CASES["one centre"]
    covered = []
    for seed in range(5):
        A, planted = replant(make_world(seed), omega, seed)
        model = Layered(random_state=seed).fit(A)
        probabilities = tier_probabilities(A, model, replicates=50, seed=seed)
        # the planted tier is the likeliest one for (nearly) every country
        covered.append(np.mean(probabilities.argmax(axis=1) == planted))
    assert np.mean(covered) >= 0.95, covered
