"""Hwang's reading of the focal country (SYNTHETIC gravity worlds)."""

from __future__ import annotations

import numpy as np

from bibnet.hypotheses.hwang import focal_position, peers_of
from bibnet.hypotheses.network import Network


def _network(codes):
    rng = np.random.default_rng(2)
    size = np.geomspace(60, 1, len(codes))
    counts = rng.poisson(np.outer(size, size) / 5).astype(float)
    counts = np.triu(counts, 1)
    return Network.from_counts(counts + counts.T, list(codes))


CODES = ["KR", "GB", "US", "DE", "FR", *[f"X{i:02d}" for i in range(40)]]


def test_peers_are_the_neighbours_by_strength_outside_the_centres():
    network = _network(CODES)
    focal = network.index("X10")
    centres = [network.index(c) for c in ("KR", "GB", "US")]
    peers = peers_of(network, focal, centres, 5)
    assert len(peers) == 10 and focal not in peers and not set(peers) & set(centres)


def test_a_focal_country_among_the_centres_is_read_not_refused():
    network = _network(CODES)
    found = focal_position(network, ["KR", "GB", "US", "DE", "FR"], "KR", "GB", None, [])
    assert found["verdict"] == "not supported"
    assert found["reason"] == "KR is itself a centre"
    assert set(found["by_centre"]) == {"GB", "US", "DE", "FR"}


def test_fewer_peers_than_asked_is_a_warning(caplog):
    network = _network(CODES[:20])
    with caplog.at_level("WARNING", logger="bibnet.hypotheses.hwang"):
        found = focal_position(network, ["GB", "US", "DE", "FR"], "KR", "GB", None, [])
    assert found["by_centre"]["GB"]["of"][20] == 16  # KR and the 15 other non-centres
    assert "fewer size peers than asked (15 for 10 a side, 15 for 20 a side)" in caplog.text
