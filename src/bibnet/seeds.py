"""Where every random step's seed comes from: the configured ``seed`` and the year.

A year's random steps (its planted world's noise, the rich-club randomisations, the block
models' starts and replicates) all start from `year_seed`, so a year's outputs do not depend on
which other years run; a step that must not share its draws with another takes its own
``stream``.

Examples
--------
>>> import numpy as np
>>> a, b = (np.random.default_rng(year_seed(20080101, 2015)).random() for _ in range(2))
>>> a == b != np.random.default_rng(year_seed(20080101, 2016)).random()
True
>>> np.random.default_rng(year_seed(20080101, 2015, 1)).random() == a
False
"""

from __future__ import annotations

import numpy as np


def year_seed(seed: int, year: int, *stream: int) -> np.random.SeedSequence:
    """The seed of one year's random steps (``stream`` numbers a separate sequence of draws):
    what ``numpy.random.default_rng`` takes, and what spawns the seeds of its parts."""
    return np.random.SeedSequence([seed, year, *stream])
