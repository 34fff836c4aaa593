"""Data-quality flags of the counts stage (``bibnet.quality``): a pair-year out of line with its
neighbouring years, beyond what pairs of its size vary, is flagged; steps, steady trends and a
spike's neighbours are not; and on the real networks the Korea–USA 2020 jump is flagged among
few others."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bibnet import quality
from bibnet.outputs import ASSESSED_KEY, QUALITY_COLUMNS, QUALITY_RULE_KEY
from bibnet.counts import pair_tables, rows_from_pajek

YEARS = list(range(2000, 2012))


def steady_pairs(pairs: int = 400, seed: int = 3) -> pd.DataFrame:
    """Pairs of sizes from 5 to 5,000 works growing 6% a year, with Poisson noise and 5%
    year-to-year overdispersion."""
    rng = np.random.default_rng(seed)
    sizes = np.exp(rng.uniform(np.log(5), np.log(5000), pairs))
    rows = []
    for i, size in enumerate(sizes):
        for t, year in enumerate(YEARS):
            mean = size * 1.06 ** t * np.exp(rng.normal(0, 0.05))
            rows.append({"year": year, "country_a": f"A{i:03d}", "country_b": "ZZ",
                         "works": int(rng.poisson(mean))})
    return pd.DataFrame(rows)


def set_works(counts: pd.DataFrame, pair: str, values: dict[int, float]) -> pd.DataFrame:
    counts = counts.copy()
    for year, works in values.items():
        counts.loc[(counts["country_a"] == pair) & (counts["year"] == year), "works"] = round(
            works)
    return counts


def flagged(counts: pd.DataFrame) -> set[tuple[int, str]]:
    return {(int(r.year), r.country_a) for r in quality.flag_jumps(counts).itertuples()}


def large_pair(counts: pd.DataFrame) -> str:
    return str(counts.groupby("country_a")["works"].mean().idxmax())


def test_steady_growth_with_overdispersion_is_not_flagged():
    assert flagged(steady_pairs()) == set()


def test_a_spike_is_flagged_and_its_neighbours_are_not():
    counts = steady_pairs()
    pair = large_pair(counts)
    level = counts[(counts["country_a"] == pair) & (counts["year"] == 2005)]["works"].item()
    counts = set_works(counts, pair, {2005: 1.7 * level})
    assert flagged(counts) == {(2005, pair)}
    row = quality.flag_jumps(counts).iloc[0]
    assert row["direction"] == "spike" and 1.5 < row["ratio"] < 1.9
    assert row["works_before"] < row["works"] > row["works_after"]


def test_a_lasting_step_is_not_a_jump():
    counts = steady_pairs()
    pair = large_pair(counts)
    doubled = counts["country_a"].eq(pair) & counts["year"].ge(2006)
    counts.loc[doubled, "works"] = counts.loc[doubled, "works"] * 2
    assert flagged(counts) == set()


def test_the_same_jump_is_flagged_in_a_large_pair_only():
    """A 60% jump is far beyond what a pair of thousands of works varies, within what a pair of
    a handful varies."""
    counts = steady_pairs()
    means = counts.groupby("country_a")["works"].mean()
    small, large = str(means.idxmin()), str(means.idxmax())
    for pair in (small, large):
        level = counts[(counts["country_a"] == pair) & (counts["year"] == 2005)]["works"].item()
        counts = set_works(counts, pair, {2005: round(1.6 * level)})
    assert flagged(counts) == {(2005, large)}


def test_the_first_and_last_year_are_not_assessed():
    counts = steady_pairs()
    pair = large_pair(counts)
    counts = set_works(counts, pair, {YEARS[0]: 10 ** 6, YEARS[-1]: 10 ** 6})
    scores = quality.pair_year_scores(counts)
    assert scores["year"].between(YEARS[1], YEARS[-2]).all()
    assert flagged(counts) == set()


def test_same_counts_in_another_order_give_the_same_flags():
    counts = steady_pairs()
    pair = large_pair(counts)
    counts = set_works(counts, pair, {2004: 10})  # a dip
    shuffled = counts.sample(frac=1, random_state=5).reset_index(drop=True)
    first, second = quality.flag_jumps(counts), quality.flag_jumps(shuffled)
    pd.testing.assert_frame_equal(first, second)
    assert first["direction"].tolist() == ["dip"]


def test_the_table_has_the_documented_columns(tmp_path):
    counts = steady_pairs()
    counts = set_works(counts, large_pair(counts), {2005: 10 ** 5})
    # the combined counts of every layer: only all-science's pairs are assessed
    other_layer = steady_pairs()
    other_layer = set_works(other_layer, large_pair(other_layer), {2007: 10 ** 5})
    other_layer = other_layer.assign(layer="Medicine")  # its spike is not all-science's
    combined = pd.concat([counts.assign(layer="all"), other_layer], ignore_index=True)
    combined.attrs["bibnet.source"] = "synthetic"
    combined.to_parquet(tmp_path / "counts.parquet", index=False)
    written = quality.write_data_quality(tmp_path / "counts.parquet",
                                         tmp_path / "data_quality.parquet")
    read = pd.read_parquet(tmp_path / "data_quality.parquet")
    assert list(read.columns) == list(QUALITY_COLUMNS)
    assert len(read) == len(written) == 1
    assert read.attrs["bibnet.source"] == "synthetic"
    assert read.attrs[ASSESSED_KEY] == len(quality.pair_year_scores(counts))
    assert read.attrs[QUALITY_RULE_KEY] == {"max_z": quality.MAX_Z, "min_ratio": quality.MIN_RATIO}


@pytest.fixture
def real_counts(real_data) -> pd.DataFrame:
    """Every pair-year of the real networks 1990-2023, as the counts stage reads them."""
    years = range(1990, 2024)
    return pd.concat([pair_tables(year, rows_from_pajek(real_data / f"WrldCo{year}.net"),
                                  "all").counts for year in years], ignore_index=True)


@pytest.mark.real
def test_real_korea_usa_2020_is_flagged_among_few(real_counts):
    scores = quality.pair_year_scores(real_counts)
    flags = quality.flag_jumps(real_counts)
    print(f"{len(flags)} of {len(scores)} pair-years flagged "
          f"({flags['direction'].value_counts().to_dict()})")
    korea_usa = flags[(flags["country_a"] == "KR") & (flags["country_b"] == "US")]
    assert korea_usa["year"].tolist() == [2020]
    assert korea_usa["works"].item() == 23409
    assert korea_usa["z"].item() > 9 and korea_usa["ratio"].item() > 1.4
    # few: the count the module's docstring states
    assert len(scores) == 64_121 and len(flags) == 91
    assert len(flags) / len(scores) < 0.002
