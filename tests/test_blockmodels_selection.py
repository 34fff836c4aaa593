"""select, the one-versus-several-centres test and the tier bootstrap: results, determinism and
input order, on small planted worlds (SYNTHETIC)."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet import simulate
from bibnet.blockmodels import one_vs_several_centres_test, select, tier_probabilities
from bibnet.blockmodels.compare import replant
from bibnet.blockmodels.selection import DEFAULT_FAMILIES, candidates

FEW = [("core_periphery", {}), ("layered", {}), ("multi_core_pairs", {"k": 2}),
       ("sbm", {"n_blocks": 1})]


def _two_centres(seed):
    omega = np.full((4, 4), 1.0)
    omega[:2, :2] = omega[2:, 2:] = [[12.0, 3.0], [3.0, 1.5]]
    return replant(simulate.multi_core(60, 2, seed=seed, core_size=6), omega, seed)


def _one_centre(seed):
    return replant(simulate.multi_core(60, 1, seed=seed, core_size=12),
                   np.array([[6.0, 1.5], [1.5, 1.0]]), seed)


def test_every_family_is_a_candidate_with_and_without_degree_correction():
    names = [m.name for m in candidates()]
    assert len(names) == 2 * len(DEFAULT_FAMILIES) == len(set(names))
    assert "sbm(K=8, plain)" in names and "multi_core_shared(k=3, dc)" in names


def test_select_is_deterministic_and_order_free():
    A, _ = _two_centres(1)
    first = select(A, families=FEW, seed=4)
    again = select(A, families=FEW, seed=np.random.default_rng(4))
    assert first.table.equals(again.table)
    perm = np.random.default_rng(0).permutation(A.shape[0])
    permuted = select(A[np.ix_(perm, perm)], families=FEW, seed=4)
    np.testing.assert_allclose(permuted.table["log_likelihood"], first.table["log_likelihood"],
                               rtol=1e-9)
    np.testing.assert_array_equal(permuted.best.labels_, first.best.labels_[perm])


def test_centres_test_rejects_one_centre_on_two_centres():
    A, _ = _two_centres(2)
    result = one_vs_several_centres_test(A, replicates=39, seed=5,
                                         selection=select(A, families=FEW, seed=5))
    assert result.several_centres.startswith("multi_core_pairs")
    assert result.statistic > 0 and result.p_value <= 0.05
    assert result.null_statistics.shape == (39,)


def test_centres_test_keeps_one_centre_on_one_centre():
    A, _ = _one_centre(3)
    result = one_vs_several_centres_test(A, replicates=39, seed=6,
                                         selection=select(A, families=FEW, seed=6))
    assert result.one_centre.startswith("core_periphery")
    assert result.p_value > 0.05


def test_centres_test_is_deterministic():
    A, _ = _one_centre(4)
    chosen = select(A, families=FEW, seed=1)
    first = one_vs_several_centres_test(A, replicates=9, seed=2, selection=chosen)
    again = one_vs_several_centres_test(A, replicates=9, seed=2, selection=chosen)
    assert first.to_dict() == again.to_dict()
    assert first.null_statistics.tobytes() == again.null_statistics.tobytes()


def test_centres_test_rejects_bad_replicates():
    A, _ = _one_centre(4)
    with pytest.raises(ValueError, match="replicates"):
        one_vs_several_centres_test(A, replicates=0, seed=1)


def test_tier_probabilities_of_a_clear_core():
    A, truth = _one_centre(5)
    fit = select(A, families=[("core_periphery", {})], seed=1,
                 degree_corrected=[True]).best
    p = tier_probabilities(A, fit, replicates=30, seed=3)
    assert p.shape == (A.shape[0], 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert (p[:, 1] == 0).all()  # core/periphery has no semi-periphery
    assert p[truth == 0, 0].mean() >= 0.95 and p[truth == 1, 2].mean() >= 0.95
    again = tier_probabilities(A, fit, replicates=30, seed=3)
    assert p.tobytes() == again.tobytes()
