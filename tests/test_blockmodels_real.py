"""The block models on the real 2015 network (OpenAlex, ../shared; skipped where absent).

Measured on ``WrldCo2015.net`` (238 linked countries, seed 20080101, B = 200): the criterion
selects the degree-corrected SBM with K = 8; the best one-centre model is the degree-corrected
core/periphery model, whose core of 98 holds GB and DE with P(core) = 1 but puts the US (and
CN, KR) in the periphery with P(core) = 0: once degrees are corrected, the US's links go
relatively more to the periphery than its size predicts. Without degree correction both
one-centre models put US, GB and DE in the core with P(core) = 1 (core/periphery: a core of 25;
layered: a core of 4, FR, DE, GB, US).

The searches of the degree-corrected families differ in how stable they are on these data.
Core/periphery reaches the same best fit (log-likelihood -264,736.5) from seeds 0-4, since its
starts include the dealings of a finer SBM's groups (without them three seeds in four ended
1,000 to 4,700 nats short, with the US in the core). The layered and shared-periphery
searches do not: seeds 0-4 of ``Layered()`` ended between -318,313 and -316,945, with the US,
GB and KR in different tiers, so their degree-corrected tiers are read with that caution.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bibnet.blockmodels import CorePeriphery, Layered, select, tier_probabilities
from bibnet.pajek import read_network

SEED = 20080101
BIG_THREE = ("US", "GB", "DE")


REAL_2015 = (Path(__file__).resolve().parents[1].parent / "shared" / "data"
             / "openalex-country-coauthorship-2024" / "WrldCo2015.net")


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


@pytest.fixture(scope="module")
def selection_2015(counts_2015):
    return select(counts_2015[1], seed=SEED)


def _p_core(counts_2015, model):
    codes, A = counts_2015
    p = tier_probabilities(A, model, replicates=200, seed=SEED)
    return {code: p[codes.index(code), 0] for code in BIG_THREE}


@pytest.fixture(scope="module")
def p_core_selected_one_centre(counts_2015, selection_2015):
    return _p_core(counts_2015, selection_2015.best_one_centre)


def test_gb_and_de_in_the_core_of_the_selected_one_centre_model(p_core_selected_one_centre):
    assert all(p_core_selected_one_centre[code] >= 0.95 for code in ("GB", "DE")), \
        p_core_selected_one_centre


@pytest.mark.xfail(strict=True, reason="measured: the selected one-centre model is the "
                   "degree-corrected core/periphery model, which puts the US in the periphery "
                   "(P(core) = 0) next to GB and DE in the core (P(core) = 1); see the module "
                   "docstring")
def test_us_in_the_core_of_the_selected_one_centre_model(p_core_selected_one_centre):
    assert p_core_selected_one_centre["US"] >= 0.95, p_core_selected_one_centre


@pytest.mark.parametrize("family", [CorePeriphery, Layered])
def test_big_three_in_the_core_without_degree_correction(counts_2015, family):
    model = family(degree_corrected=False, random_state=SEED).fit(counts_2015[1])
    p_core = _p_core(counts_2015, model)
    assert all(p >= 0.95 for p in p_core.values()), p_core


def test_selection_on_2015(selection_2015):
    assert selection_2015.best.degree_corrected
    assert selection_2015.best_one_centre.name == "core_periphery(dc)"
    assert selection_2015.table["selected"].sum() == 1


def test_degree_corrected_core_periphery_search_is_stable_across_seeds(counts_2015):
    fits = [CorePeriphery(random_state=seed).fit(counts_2015[1]) for seed in range(3)]
    values = [fit.log_likelihood_ for fit in fits]
    assert max(values) - min(values) < 1e-6 * abs(max(values)), values
    assert all(np.array_equal(fit.labels_, fits[0].labels_) for fit in fits)
