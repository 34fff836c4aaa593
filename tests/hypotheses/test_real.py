"""The study on the real networks: the same verdicts whatever the seed and the countries' order."""

import json

import numpy as np
import pytest

from bibnet.pajek import read_network
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.study import SETTINGS, read_year

pytestmark = pytest.mark.real

FOCAL = ("KR", "GB")


def network(real_data, year, order=None):
    net = read_network(real_data / f"WrldCo{year}.net")
    counts = net.matrix.copy()
    np.fill_diagonal(counts, 0)
    counts = np.maximum(counts, counts.T)
    codes = list(net.codes)
    if order is not None:
        counts, codes = counts[np.ix_(order, order)], [codes[i] for i in order]
    return Network.from_counts(counts, codes)


@pytest.mark.parametrize("year", [1995, 2015])
def test_three_seeds_give_the_same_verdicts(real_data, year):
    net = network(real_data, year)
    found = {(r["centres"]["verdict"], r["regions"]["verdict"], r["hwang"]["verdict"])
             for r in (read_year(net, SETTINGS, FOCAL, seed, year) for seed in (1, 2, 3))}
    assert len(found) == 1, found


def test_the_countries_in_reverse_order_give_the_same_record(real_data):
    year = 2005
    forward = read_year(network(real_data, year), SETTINGS, FOCAL, 7, year)
    size = len(read_network(real_data / f"WrldCo{year}.net").codes)
    backward = read_year(network(real_data, year, order=np.arange(size)[::-1]), SETTINGS,
                         FOCAL, 7, year)
    assert json.dumps(forward, sort_keys=True) == json.dumps(backward, sort_keys=True)
