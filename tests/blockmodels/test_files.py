"""The blockmodel stage's file interface on a small SYNTHETIC sphere world."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from bibnet.blockmodels.files import describe, write_year
from bibnet.graphs.gravity import gravity_expected
from bibnet.outputs import CLASS_COLUMNS, CONFIG_KEY, SIZE_CLASS_NAMES, SOURCE_KEY
from bibnet.simulate.spheres import sphere_world

SETTINGS = {"countries": "all", "graphs": {"min_works": 1, "min_edge": 1}, "seed": 3,
            "blockmodels": {"n_starts": 2, "n_blocs": 4}}


@pytest.fixture(scope="module")
def world():
    return sphere_world("hubs", seed=5, n_countries=40)


def _tables(world, folder, year=2010):
    upper = np.triu_indices(len(world.codes), 1)
    works = world.counts[upper]
    keep = works > 0
    codes = np.array(world.codes)
    first, second = codes[upper[0]][keep], codes[upper[1]][keep]
    swap = first > second
    counts = pd.DataFrame({"year": year, "country_a": np.where(swap, second, first),
                           "country_b": np.where(swap, first, second),
                           "works": works[keep].astype("int64")})
    totals = pd.DataFrame({"year": year, "country": codes,
                           "intl_works": world.counts.sum(axis=1).astype("int64")})
    paths = folder / "counts.parquet", folder / "totals.parquet"
    for frame, path in zip((counts, totals), paths):
        frame.attrs.update({SOURCE_KEY: "synthetic", CONFIG_KEY: {"countries": "all"}})
        frame.to_parquet(path, index=False)
    return paths


def test_the_year_record_and_its_classes(world, tmp_path):
    counts, totals = _tables(world, tmp_path)
    record = write_year(2010, counts, totals, tmp_path / "y.json", tmp_path / "y.parquet",
                        **SETTINGS)
    assert json.loads((tmp_path / "y.json").read_text()) == record
    assert record["synthetic"] and record[CONFIG_KEY]["blockmodels.n_blocs"] == 4
    classes = pd.read_parquet(tmp_path / "y.parquet")
    assert list(classes.columns) == list(CLASS_COLUMNS)
    assert set(classes["size_class"]) <= set(SIZE_CLASS_NAMES)
    # Classes of volume: the core class's countries are the strongest, by and large (the
    # plain layered model groups by works per pair, which size mostly sets).
    median = classes.groupby("size_class")["strength"].median()
    assert median["core"] > median["semi-periphery"] > median["periphery"]
    # Bloc 0 holds the strongest country.
    assert classes.loc[classes["strength"].idxmax(), "bloc"] == 0


def test_the_order_of_the_countries_changes_nothing(world):
    found = describe(world.counts, world.codes, n_blocs=4, n_starts=2, seed=1)
    order = np.random.default_rng(0).permutation(len(world.codes))
    again = describe(world.counts[np.ix_(order, order)], [world.codes[i] for i in order],
                     n_blocs=4, n_starts=2, seed=1)
    for part in ("size_classes", "blocs"):
        key = "class_of" if part == "size_classes" else "bloc_of"
        assert (dict(zip(found["countries"], found[part][key]))
                == dict(zip(again["countries"], again[part][key])))
        assert found[part]["affinity"] == again[part]["affinity"]


def test_no_bloc_is_above_size_with_everyone(world):
    """Each bloc's affinities, weighted by the works size predicts, average 1 (the gravity null
    keeps every country's strength): a bloc tied beyond size to some blocs is tied below it to
    others, so no bloc reads as a core of everyone. In a world of hubs the blocs pair each
    centre with its sphere (off-diagonal affinity above 1)."""
    found = describe(world.counts, world.codes, n_blocs=4, n_starts=2, seed=1)
    affinity = np.array(found["blocs"]["affinity"], dtype=float)
    bloc_of = np.array(found["blocs"]["bloc_of"])
    expected = gravity_expected(world.counts)
    weights = np.array([[expected[np.ix_(bloc_of == r, bloc_of == s)].sum() for s in range(4)]
                        for r in range(4)])
    assert np.allclose((weights * affinity).sum(axis=1) / weights.sum(axis=1), 1, atol=1e-5)
    assert affinity.max() > 1.5


def test_countries_apart_are_named_once_in_the_log_and_not_warned_on_the_terminal(tmp_path):
    """In a process of its own, as a workflow job runs: pytest resets the warning filters
    around every test, so the filter set at import would not be the one in force here."""
    script = tmp_path / "apart.py"
    script.write_text(textwrap.dedent("""
        import logging
        import numpy as np
        from bibnet.blockmodels.files import describe
        from bibnet.simulate.spheres import sphere_world

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
        world = sphere_world("hubs", seed=5, n_countries=40)
        counts = world.counts.astype(float)
        apart = [0, 7]
        rest = np.setdiff1d(np.arange(len(counts)), apart)
        counts[np.ix_(apart, rest)] = counts[np.ix_(rest, apart)] = 0
        counts[0, 7] = counts[7, 0] = 5
        describe(counts, world.codes, n_blocs=3, n_starts=2, seed=1)
        print(world.codes[0], world.codes[7])
    """), encoding="utf-8")
    done = subprocess.run([sys.executable, "-W", "default", str(script)], capture_output=True,
                          text=True, check=True)
    first, second = done.stdout.split()
    notes = [line for line in done.stderr.splitlines() if "linked only among themselves" in line]
    assert len(notes) == 1 and notes[0].startswith("WARNING 2 countries")
    assert f"{first}, {second};" in notes[0]
    assert "disconnected parts" not in done.stderr
