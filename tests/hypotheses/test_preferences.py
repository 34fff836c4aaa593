"""The periphery x centre table's statistics (bibnet.hypotheses.preferences)."""

import numpy as np

from bibnet.hypotheses.preferences import preference_weights, shrink


def test_a_stack_of_tables_is_shrunk_table_by_table():
    rng = np.random.default_rng(0)
    values, variances = rng.normal(0, 1, (4, 30, 5)), rng.uniform(0.1, 2, (30, 5))
    stacked, means = shrink(values, variances)
    for table in range(4):
        one, mean = shrink(values[table], variances)
        assert np.allclose(stacked[table], one) and np.allclose(means[table], mean)
    assert np.allclose(preference_weights(values, variances)[2],
                       preference_weights(values[2], variances))
