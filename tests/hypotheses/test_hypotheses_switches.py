"""The window switch changes what it claims to change (SYNTHETIC worlds).

``window_years`` refits the counts summed over a window of years; it runs here through the
blockmodel stage's own ``write_year`` on worlds of ``source: synthetic``, whose truth is known.
(The former ``without_largest`` variant is replaced by the jackknife over the strongest
countries, :mod:`bibnet.blockmodels.uncertainty`, tested in ``test_uncertainty.py``.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bibnet.blockmodels import Layered
from bibnet.blockmodels.compare import adjusted_rand_index
from bibnet.blockmodels.files import summed_graph, write_year
from bibnet.config import check_config
from bibnet.counts import build_year
from bibnet.slices import stage_slices
from planted_worlds import WORLDS, replant

QUICK = {"n_starts": 2, "replicates": 3, "jackknife": 1, "max_blocks": 3}


def _study_year(tmp_path, synthetic, years, year, blockmodels):
    config = check_config({
        "source": "synthetic", "years": {"first": years[0], "last": years[-1]},
        "countries": "all", "focal": ["KR", "GB"], "seed": 3, "synthetic": synthetic,
        "blockmodels": {**QUICK, **blockmodels}})
    slices = stage_slices(config)
    tables = {y: [tmp_path / f"{name}-{y}.parquet" for name in ("c", "t", "a")] for y in years}
    for y in years:
        build_year(y, [], *tables[y], **slices["counts"])
    record = write_year(year, [tables[y][0] for y in years], [tables[y][1] for y in years],
                        tmp_path / f"{year}.json", tmp_path / f"{year}.tiers.parquet",
                        **slices["blockmodels"])
    return config, tables, record


@pytest.fixture(scope="module")
def window_world(tmp_path_factory):
    synthetic = {"family": "layered", "n_countries": 60, "place": {}}
    return _study_year(tmp_path_factory.mktemp("window"), synthetic, [2001, 2002, 2003], 2002,
                       {"window_years": 3})


def test_the_window_fits_the_summed_counts_of_its_years(window_world):
    config, tables, record = window_world
    window = record["variants"]["window"]
    assert window["years"] == [2001, 2002, 2003]
    counts = pd.concat([pd.read_parquet(tables[y][0]) for y in tables], ignore_index=True)
    totals = pd.concat([pd.read_parquet(tables[y][1]) for y in tables], ignore_index=True)
    selection = config["countries"], config["graphs"]
    summed = summed_graph(2002, counts, totals, *selection)
    per_year = [summed_graph(y, counts[counts["year"] == y], totals[totals["year"] == y],
                             *selection) for y in tables]
    added = sum(pd.DataFrame(np.asarray(g.counts), index=g.codes, columns=g.codes)
                .reindex(index=summed.codes, columns=summed.codes, fill_value=0)
                for g in per_year)
    np.testing.assert_array_equal(np.asarray(summed.counts), added.to_numpy())


def test_the_window_damps_the_noise():
    # Three years of one layered world, each drawn with its own noise, at 0.3 of the excess
    # over the periphery rate of the 2015 signal in test_blockmodels_planted (rates 1.34, 1.15,
    # 1; at the full signal one year already recovers the tiers exactly). Measured: mean ARI
    # 0.75 from the middle year, 0.91 from the three summed.
    make_world, omega = WORLDS["layered"][:2]
    omega = 1 + 0.3 * (omega - 1)
    single, summed = [], []
    for seed in range(5):
        world = make_world(seed)
        years = [replant(world, omega, seed=100 * seed + year) for year in range(3)]
        if len({labels.size for _, labels in years}) > 1:
            continue  # a country drawn without links in some year: not comparable
        (_, planted), middle = years[1], years[1][0]
        single.append(adjusted_rand_index(Layered(random_state=seed).fit(middle).labels_, planted))
        window = sum(counts for counts, _ in years)
        summed.append(adjusted_rand_index(Layered(random_state=seed).fit(window).labels_, planted))
    assert len(single) >= 3
    assert np.mean(summed) > np.mean(single) + 0.05, (single, summed)
