"""Agreement between labelings.

Examples
--------
>>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
1.0
>>> round(adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]), 6)
-0.5
"""

from __future__ import annotations

import numpy as np
from scipy.special import comb


def adjusted_rand_index(a, b) -> float:
    """Hubert & Arabie's (1985) adjusted Rand index, from the contingency table.

    1 for the same partition up to renaming, about 0 for unrelated ones. A labeling with a
    single block on both sides (no pairs to disagree on) counts as 1.
    """
    _, a = np.unique(np.asarray(a), return_inverse=True)
    _, b = np.unique(np.asarray(b), return_inverse=True)
    if a.size != b.size:
        raise ValueError(f"labelings differ in length: {a.size} and {b.size}")
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs = comb(table, 2).sum()
    rows, cols = comb(table.sum(axis=1), 2).sum(), comb(table.sum(axis=0), 2).sum()
    expected = rows * cols / comb(a.size, 2)
    denominator = (rows + cols) / 2 - expected
    return 1.0 if denominator == 0 else float((pairs - expected) / denominator)
