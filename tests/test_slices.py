"""What each stage reads of the configuration (its rules' params) covers every key, and leaves
out only what changes nothing the stage makes."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet.config import check_config, load_schema
from bibnet.outputs import config_slice
from bibnet.simulate.source import year_world
from bibnet.slices import (UPSTREAM, WORLD_KEYS, lineage, records_on, stage_slices, transport,
                           world)

#: Keys no stage reads as a setting, and why: each decides something else.
NOT_SETTINGS = {
    "focal_records": "whether the records' rules are targets (bibnet.slices.records_on)",
    "pajek_dir": "the Pajek networks' paths, the counts' inputs (provenance records it)",
    "synthetic.years": "the top-level years, where set (bibnet.config.check_config)",
}


def checked(**overrides) -> dict:
    config = {"source": "synthetic", "years": {"first": 2001, "last": 2002},
              "countries": "all", "focal": ["KR", "GB"], "seed": 1}
    return check_config({**config, **overrides})


def schema_keys(schema: dict, prefix: str = "") -> set[str]:
    """Every configuration key, a section's as ``section.key`` (as a slice records them)."""
    keys = set()
    for name, sub in schema["properties"].items():
        if sub.get("type") == "object" and "properties" in sub and not prefix:
            keys |= schema_keys(sub, f"{name}.")
        else:
            keys.add(prefix + name)
    return keys


def read_keys(config: dict) -> set[str]:
    return {key for settings in stage_slices(config).values()
            for key in config_slice(**settings)}


def test_every_key_is_read_by_a_stage_or_decides_something_else():
    read = set()
    for source in ("synthetic", "openalex"):
        for synthetic in ({"kind": "hubs", "effects": {"n_centres": 3}, "size_rank": {"KR": 4}},
                          {"kind": "one_hub", "sphere_of": {"KR": "US"}}):
            read |= read_keys(checked(source=source, synthetic=synthetic, counting="capped"))
    read |= {f"openalex.{key}" for key in transport(checked()["openalex"])}
    # max_countries is read as part of the counting scheme's tag (capped10)
    assert schema_keys(load_schema()) - read - {"max_countries"} == set(NOT_SETTINGS)


@pytest.mark.parametrize("spec", [
    {"kind": "hubs", "n_countries": 60, "volume": 0.05, "sphere_of": {"KR": "US"}},
    {"kind": "null", "n_countries": 60, "volume": 0.05},
], ids=["hubs", "null"])
def test_each_world_key_changes_what_is_drawn_and_no_other_key_does(spec):
    config = checked(synthetic=spec)
    drawn = year_world(config, 2001).counts
    edits = {"kind": "one_hub", "n_countries": 70, "volume": 0.1, "effects": {"hub_tie": 2.0},
             "size_rank": {"GB": 5}, "sphere_of": {"KR": "GB"},
             "years": {"first": 2001, "last": 2002},
             "layers": {"Engineering": {"size_rank": {"KR": 2}}}}
    for key, value in edits.items():
        edited = {**config, "synthetic": {**config["synthetic"], key: value}}
        if key in ("effects", "sphere_of") and spec["kind"] == "null":
            continue  # a null world has no effects and no spheres: refused, not ignored
        changed = not np.array_equal(year_world(edited, 2001).counts, drawn)
        assert changed == (key in WORLD_KEYS), key
        assert (world(edited["synthetic"]) != world(config["synthetic"])) == changed, key


def test_the_counting_cap_is_read_only_where_the_works_are_capped():
    whole, capped = checked(max_countries=5), checked(counting="capped", max_countries=5)
    assert stage_slices(whole)["counts"]["counting"] == "whole"
    assert stage_slices(capped)["counts"]["counting"] == "capped5"


def test_the_same_settings_in_another_order_are_the_same_params():
    first = checked(countries=["US", "KR", "GB"], synthetic={"size_rank": {"KR": 3, "GB": 9}})
    second = checked(countries=["GB", "US", "KR"], synthetic={"size_rank": {"GB": 9, "KR": 3}})
    assert repr(stage_slices(first)) == repr(stage_slices(second))


def test_a_pages_lineage_holds_every_stage_upstream_of_it():
    config = checked(source="openalex")
    slices = stage_slices(config)
    index = lineage(slices, "report_index", records=records_on(config))
    assert {"source", "counting", "openalex.filters", "blockmodels.n_blocs",
            "hypotheses.replicates", "records.min_works", "focal"} <= set(index)
    assert "graphs.export_weight" not in index and "openalex.concurrency" not in index
    year = lineage(slices, "report_year")
    assert {"graphs.rich_club_randomisations", "blockmodels.n_blocs",
            "hypotheses.replicates"} <= set(year) and "records.min_works" not in year
    assert set(UPSTREAM) >= {"report_year", "report_index", *slices}
