"""Recovery on planted worlds (SYNTHETIC), at strengths measured on real data.

Worlds: ``bibnet.simulate`` gives the countries, their heavy-tailed degree parameters (one
dominant, US-like country) and the planted blocks; ``replant`` (``tests/planted_worlds.py``)
plants the rates in the estimators' normalisation and redraws the counts (its docstring says
why simulate's own rates cannot be used as they are).

Signal strengths: the rates of the degree-corrected fits to the real 2015 network
(``WrldCo2015.net``, 238 countries, ``random_state=20080101``), relative to the lowest rate,
and their block shares:

=================  ==============================================  ==================
family             2015 fit (rates relative to the lowest)         block shares
=================  ==============================================  ==================
core_periphery     c-c 3.17, c-p 1, p-p 1 (planted: c-p 1.15)      core 0.30
layered            l0 1.54, l1 1.12, l2 1 (planted: 2.1, 1.5, 1)   0.35 / 0.31 / 0.34
multi_core_pairs   c-c 8.0 and 5.8, c-p 2.8 and 1.3, p-p 1.7 and   cores 0.08, 0.09
                   1.3, background 1 (planted: 7, 2, 1.5, 1)
multi_core_shared  cores 7.3 and 4.8, c-p 1.0 and 1.2, core-core   cores 0.28, 0.34
                   3.35, p-p 1 (planted: 6, 1.1, 1, between 3.35)
regional           (planted: within 3, 2, 2.5, 1.8; between 1)     the pairs' four blocks
=================  ==============================================  ==================

The 2015 core/periphery fit sits on the order's boundary (c-p pooled with p-p); planted there,
the fit and the 2-block SBM tie and selection is a coin toss, so c-p is planted just inside.
Measured on 100 countries, mean (lowest) ARI over 10 worlds: core_periphery 0.996 (0.959),
multi_core_pairs 0.986 (0.928), multi_core_shared 1.000 (1.000). The layered signal of 2015 is
too weak for the targets: at its rates (tiers 35/31/34) the mean ARI is 0.849 (0.448); at
1.75, 1.34, 1 on the same tiers recovery passes. The layered tests run at l = 2.125, 1.51, 1
with tiers 31/28/41. The tests ask for a mean ARI of at least 0.95. Which reading a world's
structure beyond size supports is tested on overdispersed worlds at the real scale in
``tests/hypotheses/test_hypotheses_planted.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.blockmodels.compare import adjusted_rand_index
from planted_worlds import WORLDS, replant

pytestmark = pytest.mark.planted

RECOVERY_WORLDS = 10


@pytest.mark.parametrize("family", list(WORLDS))
def test_planted_blocks_are_recovered(family):
    make_world, omega, make_model = WORLDS[family]
    scores = []
    for seed in range(RECOVERY_WORLDS):
        A, truth = replant(make_world(seed), omega, seed)
        model = make_model()
        model.random_state = seed
        scores.append(adjusted_rand_index(model.fit(A).labels_, truth))
    assert np.mean(scores) >= 0.95, f"{family}: ARI {np.round(scores, 3).tolist()}"
