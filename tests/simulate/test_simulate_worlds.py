"""Real-scale planted worlds: scale, overdispersion, determinism, volume, and each kind's truth."""

import numpy as np
import pytest

from bibnet import countries, simulate
from bibnet.config import check_config, load_schema
from bibnet.pajek import read_network
from conftest import REAL_DATA
from planted_worlds import middle_pair, structure_share

from bibnet.simulate.dispersion import degree_only_dispersion

needs_real_data = pytest.mark.skipif(not (REAL_DATA / "WrldCo2015.net").exists(),
                                     reason=f"real networks not found at {REAL_DATA}")


def block_rates(world, counts=None):
    """Rates per pair of blocks given the planted degree parameters and pair effects."""
    counts = world.counts if counts is None else counts
    exposure = world.mean / world.omega[np.ix_(world.labels, world.labels)]
    onehot = np.eye(len(world.blocks))[world.labels]
    return (onehot.T @ counts @ onehot) / (onehot.T @ exposure @ onehot)


def strength_rank(world):
    """Rank (0 = largest) of each country's expected strength."""
    return np.argsort(np.argsort(-world.mean.sum(axis=1), kind="stable"), kind="stable")


@pytest.mark.parametrize("kind", simulate.KINDS)
def test_worlds_have_the_real_scale_and_heavy_tail(kind):
    world = simulate.planted(kind, seed=1)
    s = simulate.strengths(world.counts)
    assert 200 <= (s > 0).sum() <= 240 and len(world.codes) == 220
    assert s.sum() / 2 == pytest.approx(1.5e6, rel=0.1)
    assert s.max() / s.sum() == pytest.approx(0.139, abs=0.01) and world.codes[np.argmax(s)] == "US"
    assert np.sort(s)[::-1][:22].sum() / s.sum() > 0.6


@pytest.mark.parametrize("kind", simulate.KINDS)
def test_counts_are_as_overdispersed_as_the_real_ones(kind):
    for seed in (0, 1):
        x2_per_df, power = degree_only_dispersion(simulate.planted(kind, seed=seed).counts)
        assert 15 < x2_per_df < 130
        assert 1.4 < power < 2.1
    poisson = simulate.planted(kind, seed=0, sigma=0)
    assert degree_only_dispersion(poisson.counts)[0] < \
        (5 if kind == "null" else 0.5 * x2_per_df)


@pytest.mark.parametrize("kind", simulate.KINDS)
def test_symmetric_integer_counts_of_real_codes(kind):
    world = simulate.planted(kind, seed=2, n_countries=120, total_links=2e5)
    assert world.counts.dtype == np.int64 and (world.counts >= 0).all()
    assert (world.counts == world.counts.T).all() and not world.counts.diagonal().any()
    assert (world.pair_effects == world.pair_effects.T).all()
    assert not world.pair_effects.diagonal().any() and not world.mean.diagonal().any()
    assert len(set(world.codes)) == 120 and all(map(countries.is_known, world.codes))
    assert world.synthetic and world.kind == world.family == kind
    assert world.labels.max() < len(world.blocks)


@pytest.mark.parametrize("kind", simulate.KINDS)
def test_same_seed_same_bytes(kind):
    a, b, c = (simulate.planted(kind, seed=seed) for seed in (5, 5, 6))
    assert a.counts.tobytes() == b.counts.tobytes() and a.codes == b.codes
    assert a.pair_effects.tobytes() == b.pair_effects.tobytes()
    assert a.labels.tobytes() == b.labels.tobytes()
    assert c.counts.tobytes() != a.counts.tobytes()


def test_pair_effects_have_mean_one_and_shrink_with_the_pair_size():
    world = simulate.planted("null", seed=3)
    upper = np.triu_indices(len(world.codes), 1)
    log_eps, size = np.log(world.pair_effects[upper]), world.mean[upper]
    assert world.pair_effects[upper].mean() == pytest.approx(1, abs=0.05)
    big, small = size > np.quantile(size, 0.9), size < np.quantile(size, 0.5)
    assert log_eps[big].std() < log_eps[small].std()
    flat = simulate.planted("null", seed=3, power=2)
    assert np.log(flat.pair_effects[upper]).std() == pytest.approx(simulate.SIGMA, rel=0.05)


@pytest.mark.parametrize("kind", simulate.KINDS)
def test_scaled_volumes_share_structure_and_pair_effects(kind):
    worlds = {v: simulate.planted(kind, seed=4, volume=v) for v in (0.1, 1, 10)}
    base = worlds[1]
    for volume, world in worlds.items():
        assert world.codes == base.codes and (world.labels == base.labels).all()
        assert (world.theta == base.theta).all() and (world.pair_effects == base.pair_effects).all()
        np.testing.assert_allclose(world.mean, volume * base.mean)
        assert world.counts.sum() / 2 == pytest.approx(volume * 1.5e6, rel=0.02)
    x2 = [degree_only_dispersion(worlds[v].counts)[0] for v in (0.1, 1, 10)]
    assert x2[0] < x2[1] < x2[2]
    if kind != "null":  # the planted rates come out the same at every volume
        low, high = block_rates(worlds[0.1]), block_rates(worlds[10])
        assert np.abs(np.log(low / high)).max() < 0.5


def test_noise_seed_keeps_the_world_and_redraws_counts():
    a = simulate.planted("regional", seed=1, noise_seed=1)
    b = simulate.planted("regional", seed=1, noise_seed=2)
    assert a.codes == b.codes and (a.labels == b.labels).all()
    assert (a.pair_effects == b.pair_effects).all() and (a.counts != b.counts).any()


def test_null_has_no_blocks_and_no_centre():
    world = simulate.planted("null", seed=1)
    assert world.blocks == ("all",) and world.core_blocks == () and world.cores == {}


@pytest.mark.parametrize("seed", range(3))
def test_layered_tiers_are_ordered_and_not_a_strength_rank(seed):
    world = simulate.planted("layered", seed=seed)
    assert world.blocks == ("core", "semi-periphery", "periphery")
    assert np.bincount(world.labels).tolist() == [9, 32, 179] and world.block_of["US"] == "core"
    rank = strength_rank(world)
    # the core holds the largest countries ...
    assert np.median(rank[world.labels == 0]) < 15 and np.median(rank[world.labels == 1]) < 60
    # ... but a strength cut of the same sizes misplaces many of the core and semi-periphery
    cut = np.digitize(rank, [9, 41])
    assert (cut != world.labels)[world.labels < 2].mean() > 0.2
    rates = block_rates(world)
    assert rates[0, 2] > rates[1, 2] > rates[2, 2]


@pytest.mark.parametrize("k", [2, 3])
def test_centres_cores_hold_the_largest_countries_and_own_their_peripheries(k):
    world = simulate.planted("centres", seed=k, k=k)
    assert world.core_blocks == tuple(f"core {c + 1}" for c in range(k))
    cores = np.isin(world.labels, np.arange(0, 2 * k, 2))
    assert set(np.flatnonzero(cores)) == set(np.flatnonzero(strength_rank(world) < 5 * k))
    assert all(len(members) == 5 for members in world.cores.values())
    assert world.cores["core 1"][0] == "US"
    rates = block_rates(world)
    for c in range(0, 2 * k, 2):
        own, other = rates[c + 1, c], max(rates[c + 1, d] for d in range(0, 2 * k, 2) if d != c)
        assert rates[c, c] > rates[c + 1, c + 1] and own > rates[c + 1, c + 1] and own > other


@pytest.mark.parametrize("seed", range(3))
def test_regional_blocs_are_assortative_mixed_and_flat_inside(seed):
    world = simulate.planted("regional", seed=seed)
    assert world.core_blocks == () and len(world.blocks) == 5
    rank = strength_rank(world)
    for b in range(5):
        members = rank[world.labels == b]
        assert members.min() < 10 and members.max() > 150 and 40 <= len(members) <= 48
    rates = block_rates(world)
    within = np.diag(rates)
    assert within.min() > (rates - np.diag(within)).max()
    # no core-periphery inside a bloc: its big and small members meet at the bloc's rate
    big = rank < 44
    for b in range(5):
        in_bloc = world.labels == b
        A = world.counts[np.ix_(in_bloc, in_bloc)]
        exposure = world.mean[np.ix_(in_bloc, in_bloc)]
        split = big[in_bloc]
        pairs = {(p, q): A[np.ix_(split == p, split == q)].sum()
                 / exposure[np.ix_(split == p, split == q)].sum()
                 for p, q in [(True, True), (True, False), (False, False)]}
        assert max(pairs.values()) / min(pairs.values()) < 2


def test_focal_countries_are_placeable():
    centres = simulate.planted("centres", seed=7, k=3, place={"GB": "core 2", "KR": 3},
                               ranks={"KR": 20})
    assert "GB" in centres.cores["core 2"] and centres.block_of["KR"] == "periphery 2"
    assert strength_rank(centres)[centres.codes.index("KR")] == 19
    layered = simulate.planted("layered", seed=7, place={"GB": 0, "KR": "semi-periphery"})
    assert layered.block_of["GB"] == "core" and layered.block_of["KR"] == "semi-periphery"
    regional = simulate.planted("regional", seed=7, include=["NA"], place={"KR": "bloc 3"})
    assert "NA" in regional.codes and regional.block_of["KR"] == "bloc 3"


@pytest.mark.parametrize("kind", ["layered", "centres"])
@pytest.mark.parametrize("seed", range(3))
def test_middle_pair_has_one_country_tied_to_the_centre_beyond_its_size(kind, seed):
    world = middle_pair(kind, seed=seed)
    kr, tr = world.codes.index("KR"), world.codes.index("TR")
    assert world.block_of["KR"] == world.block_of["TR"] and world.tied_to_centre == {"KR": 3.0}
    assert sorted(strength_rank(world)[[kr, tr]].tolist()) == [17, 18]
    s = world.mean.sum(axis=1)
    assert s[kr] / s[tr] == pytest.approx(1, rel=1e-6)
    in_core = np.isin(world.labels, [world.blocks.index(b) for b in world.core_blocks])
    gravity = np.outer(s, s) / s.sum()
    np.fill_diagonal(gravity, 0)

    def dependence(i):  # observed/gravity toward the core over observed/gravity elsewhere
        return (world.counts[i, in_core].sum() / gravity[i, in_core].sum()) / \
            (world.counts[i, ~in_core].sum() / gravity[i, ~in_core].sum())

    assert dependence(kr) > 1.3 * dependence(tr)


def test_linked_drops_countries_without_links():
    world = simulate.planted("null", seed=0, volume=0.1)
    linked = world.linked()
    kept = world.counts.sum(axis=1) > 0
    assert (~kept).any() and len(linked.codes) == kept.sum()
    assert (linked.counts.sum(axis=1) > 0).all() and linked.counts.shape == linked.mean.shape


@pytest.mark.parametrize("bad, match", [
    (dict(kind="ring"), "unknown planted kind"),
    (dict(kind="null", sigma=-1), "sigma"),
    (dict(kind="null", power=3), "power"),
    (dict(kind="null", volume=0), "volume"),
    (dict(kind="layered", rates=(1, 2, 3)), "decreasing"),
    (dict(kind="centres", k=1), "k >= 2"),
    (dict(kind="centres", rates=(1, 2, 1, 0.5)), "core-core >= core-periphery"),
    (dict(kind="regional", rates=(1, 2)), "within > between"),
    (dict(kind="regional", n_blocs=200), "n_blocs"),
    (dict(kind="null", tied_to_centre={"KR": 2}), "needs a world with a centre"),
    (dict(kind="layered", place={"KR": "core 7"}), "cannot place KR"),
    (dict(kind="layered", place={"US": 1}), "cannot place US"),
    (dict(kind="layered", ranks={"KR": 1}), "strength rank 1"),
    (dict(kind="layered", place={"ZZ": 1}), "unknown country codes"),
])
def test_bad_arguments_are_refused(bad, match):
    kind = bad.pop("kind")
    with pytest.raises(ValueError, match=match):
        simulate.planted(kind, seed=1, n_countries=100, total_links=1e5, **bad)


def test_from_config_draws_the_same_world_with_new_noise_each_year():
    config = check_config({"source": "synthetic", "years": {"first": 2000, "last": 2001},
                           "countries": "all", "focal": ["KR", "GB"], "seed": 3,
                           "synthetic": {"kind": "centres", "n_countries": 150, "k": 3,
                                         "volume": 0.2, "place": {"GB": "core 2", "KR": 1}}})
    first, second = (simulate.from_config(config, year) for year in (2000, 2001))
    assert first.kind == "centres" and len(first.blocks) == 6 and len(first.codes) == 150
    assert first.sigma == simulate.SIGMA and first.volume == 0.2
    assert first.block_of["GB"] == "core 2" and first.block_of["KR"] == "periphery 1"
    assert (first.pair_effects == second.pair_effects).all() and first.codes == second.codes
    assert (first.counts != second.counts).any()
    null = simulate.from_config({**config, "synthetic": {"kind": "null", "sigma": 0.5}}, 2000)
    assert null.kind == "null" and null.sigma == 0.5 and {"KR", "GB"} <= set(null.codes)
    assert "kind" in load_schema()["properties"]["synthetic"]["properties"]


@needs_real_data
@pytest.mark.parametrize("year, x2_per_df", [(1995, 14.7), (2008, 43.1), (2015, 71.6),
                                             (2023, 133.8)])
def test_real_overdispersion_is_what_the_docs_quote(year, x2_per_df):
    A = np.asarray(read_network(REAL_DATA / f"WrldCo{year}.net").matrix, dtype=np.int64).copy()
    np.fill_diagonal(A, 0)
    assert degree_only_dispersion(A)[0] == pytest.approx(x2_per_df, abs=0.05)
    if year == 2015:
        assert structure_share(A, 4) == pytest.approx(0.36, abs=0.02)
