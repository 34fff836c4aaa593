"""The block models on the real 2015 network (OpenAlex, ../shared; skipped where absent).

Measured on ``WrldCo2015.net`` (238 linked countries): the degree-only null leaves Pearson
X^2/df = 71.6. Without degree correction the three-tier classes of volume put US, GB and DE
in the core class; the degree-corrected blocs are assortative beyond size.

The degree-corrected core/periphery search reaches the same best fit (log-likelihood
-264,736.5) from every seed, since its starts include the dealings of a finer SBM's groups.
"""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.blockmodels import CorePeriphery, Layered
from bibnet.blockmodels.files import describe
from bibnet.pajek import read_network
from conftest import REAL_DATA

pytestmark = pytest.mark.real

SEED = 20080101
BIG_THREE = ("US", "GB", "DE")


REAL_2015 = REAL_DATA / "WrldCo2015.net"


@pytest.fixture(scope="module")
def counts_2015():
    # Module-scoped (one selection for all tests), so conftest's per-test real_data fixture
    # cannot be used; same location, same skip.
    if not REAL_2015.is_file():
        pytest.skip(f"real OpenAlex network not found at {REAL_2015} (../shared is only beside "
                    "the project on the developers' and CI machines)")
    network = read_network(REAL_2015)
    A = network.matrix.copy()
    np.fill_diagonal(A, 0.0)  # Pajek loops hold each country's total, not a pair
    linked = A.sum(axis=1) > 0  # countries without international works that year
    codes = [code for code, keep in zip(network.codes, linked) if keep]
    return codes, A[np.ix_(linked, linked)]


def test_the_blocs_are_named_beyond_size_and_the_classes_by_volume(counts_2015):
    codes, A = counts_2015
    found = describe(A, codes, n_blocs=8, n_starts=3, seed=SEED)
    assert 60 < found["gravity"]["dispersion"] < 85, found["gravity"]
    # The blocs' own affinities: the blocs are assortative beyond size (spheres, regions).
    diagonal = [row[r] for r, row in enumerate(found["blocs"]["affinity"])]
    assert sum(a > 1 for a in diagonal) >= 6, diagonal
    assert found["blocs"]["dispersion"] < found["gravity"]["dispersion"]
    core = {c for c, k in zip(codes, found["size_classes"]["class_of"]) if k == "core"}
    assert set(BIG_THREE) <= core


@pytest.mark.parametrize("family", [CorePeriphery, Layered])
def test_big_three_in_the_core_without_degree_correction(counts_2015, family):
    codes, A = counts_2015
    model = family(degree_corrected=False, random_state=SEED).fit(A)
    assert all(model.tiers_[codes.index(code)] == 0 for code in BIG_THREE)


def test_degree_corrected_core_periphery_search_is_stable_across_seeds(counts_2015):
    fits = [CorePeriphery(random_state=seed).fit(counts_2015[1]) for seed in range(3)]
    values = [fit.log_likelihood_ for fit in fits]
    assert max(values) - min(values) < 1e-6 * abs(max(values)), values
    assert all(np.array_equal(fit.labels_, fits[0].labels_) for fit in fits)
