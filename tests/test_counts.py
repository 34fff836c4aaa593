"""Tidy pair tables: reconciliation of rows, both sources, and the real networks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bibnet import simulate
from bibnet.counts import (Row, build_year, combine_years, pair_tables, rows_from_pajek,
                           strata_from_openalex, write_provenance)
from bibnet.outputs import PLANTED_KEY
from bibnet.pajek import read_network
from bibnet.simulate.source import year_world
from bibnet.slices import stage_slices


def rows_from_openalex(manifest_path):
    """The rows of a single-stratum (whole or capped) year of the OpenAlex cache."""
    ((_, rows),) = strata_from_openalex(manifest_path)
    return rows


def three_rows(**gb) -> dict[str, Row]:
    return {"KR": Row({"GB": 5, "US": 9}, intl_works=20),
            "GB": Row(gb.get("partners", {"KR": 5, "US": 30}), intl_works=50,
                      complete=gb.get("complete", True)),
            "US": Row({"KR": 9, "GB": 30}, intl_works=70)}


def test_pairs_are_unordered_sorted_and_positive():
    tables = pair_tables(2001, three_rows(), "all")
    assert tables.counts.to_dict("records") == [
        {"year": 2001, "country_a": "GB", "country_b": "KR", "works": 5},
        {"year": 2001, "country_a": "GB", "country_b": "US", "works": 30},
        {"year": 2001, "country_a": "KR", "country_b": "US", "works": 9}]
    assert tables.totals["intl_works"].tolist() == [50, 20, 70]
    assert tables.asymmetries.empty


@pytest.mark.parametrize("gb_complete, kept, reason", [(True, 5, "larger value"),
                                                       (False, 5, "complete row")])
def test_disagreeing_rows_are_recorded_with_the_value_kept(gb_complete, kept, reason):
    rows = three_rows(partners={"KR": 4, "US": 30}, complete=gb_complete)
    tables = pair_tables(2001, rows, "all")
    gb_kr = tables.counts.query("country_a == 'GB' and country_b == 'KR'")["works"].item()
    assert gb_kr == kept
    assert tables.asymmetries.to_dict("records") == [
        {"year": 2001, "country_a": "GB", "country_b": "KR", "works_row_a": 4,
         "works_row_b": 5, "kept": kept, "reason": reason}]


def test_incomplete_row_loses_even_when_it_is_larger():
    rows = three_rows(partners={"KR": 7, "US": 30}, complete=False)
    assert pair_tables(2001, rows, "all").counts["works"].tolist() == [5, 30, 9]


def test_a_partner_missing_from_a_complete_row_is_a_disagreement():
    rows = three_rows(partners={"US": 30})
    tables = pair_tables(2001, rows, "all")
    assert tables.asymmetries[["works_row_a", "works_row_b", "kept"]].values.tolist() == [[0, 5, 5]]


def test_country_list_keeps_pairs_among_listed_countries_only():
    tables = pair_tables(2001, three_rows(), ["GB", "KR", "NA"])
    assert tables.counts[["country_a", "country_b"]].values.tolist() == [["GB", "KR"]]
    assert tables.totals.to_dict("records")[-1] == {"year": 2001, "country": "NA", "intl_works": 0}


def write_raw_year(folder, rows: dict[str, Row]) -> "Path":
    """A raw OpenAlex cache in the layout bibnet.fetch writes."""
    folder.mkdir(parents=True)
    for code, row in rows.items():
        groups = [{"code": c, "key": f"https://openalex.org/countries/{c}", "name": c, "count": n}
                  for c, n in sorted({**row.partners, code: row.intl_works}.items())]
        record = {"year": 2001, "country": code, "meta": {"count": row.intl_works}, "pages": 1,
                  "groups": groups, "complete": True, "fetched_at": "2026-11-24T12:00:00Z"}
        (folder / f"{code}.json").write_text(json.dumps(record))
    manifest = {"year": 2001, "countries": sorted(rows),
                "rows": {code: f"{code}.json" for code in rows}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder / "manifest.json"


def test_openalex_cache_gives_the_same_tables_as_the_rows(tmp_path):
    manifest = write_raw_year(tmp_path / "2001", three_rows())
    from_cache = pair_tables(2001, rows_from_openalex(manifest), "all")
    direct = pair_tables(2001, three_rows(), "all")
    pd.testing.assert_frame_equal(from_cache.counts, direct.counts)
    pd.testing.assert_frame_equal(from_cache.totals, direct.totals)


@pytest.mark.parametrize("meta_count", ["groups", "missing"])
def test_international_works_are_the_countrys_own_group(tmp_path, meta_count):
    # OpenAlex's docs give group_by's meta.count as the works in one version and as the
    # number of groups in another; the country's own group counts its works either way.
    manifest = write_raw_year(tmp_path / "2001", three_rows())
    row = json.loads((tmp_path / "2001" / "KR.json").read_text())
    row["meta"] = {"count": len(row["groups"])} if meta_count == "groups" else {}
    (tmp_path / "2001" / "KR.json").write_text(json.dumps(row))
    assert rows_from_openalex(manifest)["KR"].intl_works == 20


def test_groups_that_are_not_countries_are_left_out_and_logged(tmp_path, caplog):
    manifest = write_raw_year(tmp_path / "2001", three_rows())
    row = json.loads((tmp_path / "2001" / "KR.json").read_text())
    row["groups"].append({"code": "UNKNOWN", "key": "unknown", "name": None, "count": 3})
    (tmp_path / "2001" / "KR.json").write_text(json.dumps(row))
    rows = rows_from_openalex(manifest)
    assert "UNKNOWN" not in rows["KR"].partners
    assert "left out: UNKNOWN" in caplog.text


def test_incomplete_cached_row_is_refused(tmp_path):
    manifest = write_raw_year(tmp_path / "2001", three_rows())
    row = json.loads((tmp_path / "2001" / "KR.json").read_text())
    (tmp_path / "2001" / "KR.json").write_text(json.dumps({**row, "complete": False}))
    with pytest.raises(ValueError, match="KR.json is not a complete row; delete it"):
        rows_from_openalex(manifest)


def test_real_network_round_trips_into_the_tables(real_data):
    network = read_network(real_data / "WrldCo2005.net")
    tables = pair_tables(2005, rows_from_pajek(real_data / "WrldCo2005.net"), "all")
    index = {code: i for i, code in enumerate(network.codes)}
    upper = np.triu(network.matrix, k=1)
    assert len(tables.counts) == np.count_nonzero(upper)
    rebuilt = np.zeros_like(upper)
    for a, b, works in tables.counts[["country_a", "country_b", "works"]].itertuples(index=False):
        rebuilt[min(index[a], index[b]), max(index[a], index[b])] = works
    np.testing.assert_array_equal(rebuilt, upper)
    totals = tables.totals.set_index("country")["intl_works"]
    assert totals["NA"] == network.matrix[index["NA"], index["NA"]] > 0
    assert totals["US"] == network.matrix[index["US"], index["US"]]


def test_real_asymmetries_are_found_and_resolved(real_data):
    tables = pair_tables(2004, rows_from_pajek(real_data / "WrldCo2004.net"), "all")
    assert len(tables.asymmetries) > 0
    assert (tables.asymmetries["kept"] == tables.asymmetries[["works_row_a", "works_row_b"]]
            .max(axis=1)).all()


def test_same_inputs_give_the_same_bytes(real_data, tmp_path):
    outputs = []
    for run in ("first", "second"):
        paths = [tmp_path / run / name for name in ("c.parquet", "t.parquet", "a.parquet")]
        build_year(2010, [real_data / "WrldCo2010.net"], *paths, source="pajek",
                   countries="all", counting="whole")
        combine_years([paths[0]], tmp_path / run / "all.parquet")
        outputs.append([p.read_bytes() for p in (*paths, tmp_path / run / "all.parquet")])
    assert outputs[0] == outputs[1]


def test_synthetic_world_becomes_tables_marked_synthetic(tmp_path):
    config = {"source": "synthetic", "countries": "all", "focal": ["KR", "GB"], "seed": 3,
              "synthetic": {"kind": "null", "n_countries": 60, "volume": 0.05}}
    paths = [tmp_path / name for name in ("c.parquet", "t.parquet", "a.parquet")]
    tables = build_year(2001, [], *paths, **stage_slices(config)["counts"])
    world = year_world(config, 2001)
    linked = [code for code, s in zip(world.codes, simulate.strengths(world.counts)) if s > 0]
    assert tables.totals["country"].tolist() == sorted(linked)
    assert {"KR", "GB"} <= set(linked)
    assert tables.asymmetries.empty
    for path in paths:
        assert pd.read_parquet(path).attrs["bibnet.source"] == "synthetic"
    combined = combine_years([paths[0]], tmp_path / "all.parquet")
    assert pd.read_parquet(tmp_path / "all.parquet").attrs["bibnet.source"] == "synthetic"
    assert combined["works"].sum() == tables.counts["works"].sum()


def test_provenance_records_the_planted_truth_of_the_synthetic_world(tmp_path):
    config = {"source": "synthetic", "countries": "all", "focal": ["KR", "GB"], "seed": 5,
              "years": {"first": 2001, "last": 2002}, "layers": "none",
              "synthetic": {"kind": "hubs", "n_countries": 60, "volume": 0.05,
                            "effects": {"n_centres": 3}, "sphere_of": {"KR": "DE"}}}
    record = write_provenance([], tmp_path / "provenance.json",
                              **stage_slices(config)["provenance"])
    planted = record[PLANTED_KEY]
    assert json.loads((tmp_path / "provenance.json").read_text())[PLANTED_KEY] == planted
    assert (planted["kind"], planted["centres"], planted["regions"]) == (
        "hubs", "several centres", "no regional structure beyond size")
    assert planted["centres_list"] == ["US", "GB", "DE"]
    assert planted["focal"] == {"KR": "sphere of DE", "GB": "centre"}
    assert planted["sphere_of"]["KR"] == "DE" and planted["sphere_of"]["GB"] is None
    assert planted["size_rank"]["GB"] == 2 and "ISO" in planted["labels"]
    assert len(planted["sphere_of"]) == 60
    regional = {**config, "synthetic": {"kind": "regional", "n_countries": 60}}
    truth = write_provenance([], tmp_path / "regional.json",
                             **stage_slices(regional)["provenance"])[PLANTED_KEY]
    assert (truth["centres"], truth["regions"], truth["centres_list"], truth["focal"]) == (
        "no centre beyond size", "regional communities", [], {"KR": "no sphere", "GB": "no sphere"})
