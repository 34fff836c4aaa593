"""What each stage reads of the configuration (its rules' params) covers every key, and leaves
out only what changes nothing the stage makes."""

from __future__ import annotations

import numpy as np
import pytest

from bibnet import simulate
from bibnet.config import check_config, load_schema
from bibnet.outputs import config_slice
from bibnet.slices import UPSTREAM, lineage, records_on, stage_slices, transport, world

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
        for synthetic in ({"family": "multi_core"},
                          {"kind": "centres", "tied_to_centre": {"KR": 2}}):
            read |= read_keys(checked(source=source, synthetic=synthetic, counting="capped"))
    read |= {f"openalex.{key}" for key in transport(checked()["openalex"])}
    # max_countries is read as part of the counting scheme's tag (capped10)
    assert schema_keys(load_schema()) - read - {"max_countries"} == set(NOT_SETTINGS)


@pytest.mark.parametrize("spec", [
    {"family": "layered", "n_countries": 60, "place": {"KR": 1}},
    {"family": "multi_core", "n_countries": 60, "k": 2},
    {"kind": "centres", "n_countries": 60, "volume": 0.05, "place": {"KR": 1}},
    {"kind": "null", "n_countries": 60, "volume": 0.05},
], ids=["layered", "multi_core", "kind centres", "kind null"])
def test_a_synthetic_key_left_out_of_the_world_changes_nothing_drawn(spec):
    config = checked(synthetic=spec)
    drawn = simulate.from_config(config, 2001).counts
    others = {"family": "null", "kind": "regional", "volume": 3.0, "sigma": 0.5, "k": 3,
              "shared_periphery": True, "hub": True, "place": {"GB": 2},
              "years": {"first": 2001, "last": 2002}}
    unchanged = []
    for key, value in others.items():
        edited = {**config, "synthetic": {**config["synthetic"], key: value}}
        if world(edited["synthetic"]) == world(config["synthetic"]):
            assert np.array_equal(simulate.from_config(edited, 2001).counts, drawn), key
            unchanged.append(key)
    assert "years" in unchanged and len(unchanged) < len(others)


def test_the_counting_cap_is_read_only_where_the_works_are_capped():
    whole, capped = checked(max_countries=5), checked(counting="capped", max_countries=5)
    assert stage_slices(whole)["counts"]["counting"] == "whole"
    assert stage_slices(capped)["counts"]["counting"] == "capped5"


def test_the_same_settings_in_another_order_are_the_same_params():
    first = checked(countries=["US", "KR", "GB"], synthetic={"place": {"KR": 1, "GB": 0}})
    second = checked(countries=["GB", "US", "KR"], synthetic={"place": {"GB": 0, "KR": 1}})
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
