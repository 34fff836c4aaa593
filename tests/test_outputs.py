"""The output contract: what an output records of its configuration, and how records join."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from bibnet.outputs import (CONFIG_KEY, MadeFromMismatch, check_made_from, config_slice,
                            made_from, nested, recorded_config)


def test_a_slice_is_flat_sorted_and_as_json_gives_it_back():
    settings = config_slice(seed=1, countries=("US", "GB"), hypotheses={"hwang": {"peers": 3}})
    assert settings == {"countries": ["US", "GB"], "hypotheses.hwang": {"peers": 3}, "seed": 1}
    assert list(settings) == sorted(settings)
    assert nested(settings) == {"countries": ["US", "GB"], "hypotheses": {"hwang": {"peers": 3}},
                                "seed": 1}


def test_records_that_disagree_name_every_key_and_file():
    records = {"a.parquet": {"seed": 1, "countries": "all"},
               "b.json": {"seed": 2, "countries": "all"},
               "c.json": {"seed": 2, "countries": ["GB", "KR", "US"]}}
    with pytest.raises(MadeFromMismatch) as error:
        made_from({"countries": "all"}, records)
    message = str(error.value)
    assert 'countries is "all" in the configuration and a.parquet and b.json, ' \
           '["GB", "KR", "US"] in c.json' in message
    assert "seed is 1 in a.parquet, 2 in b.json and c.json" in message
    assert "Fix: run `snakemake` again" in message


def test_an_output_that_records_nothing_is_refused():
    with pytest.raises(MadeFromMismatch, match="old.parquet records no configuration"):
        made_from({}, {"old.parquet": None, "new.json": {"seed": 1}})


def test_a_record_is_read_from_parquet_metadata_and_json(tmp_path):
    frame = pd.DataFrame({"year": [2001]})
    frame.attrs[CONFIG_KEY] = {"seed": 1}
    frame.to_parquet(tmp_path / "t.parquet")
    (tmp_path / "r.json").write_text(json.dumps({CONFIG_KEY: {"seed": 1, "focal": ["KR"]}}))
    (tmp_path / "bare.json").write_text("{}")
    assert recorded_config(tmp_path / "t.parquet") == {"seed": 1}
    assert check_made_from({"seed": 1}, [tmp_path / "t.parquet", tmp_path / "r.json", None]) == {
        "focal": ["KR"], "seed": 1}
    assert recorded_config(tmp_path / "bare.json") is None


def test_the_contract_and_the_report_import_no_stage():
    code = ("import sys, bibnet.outputs, bibnet.report; "
            "print(sorted(m for m in sys.modules if m.startswith(('bibnet.', 'numba'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True,
                                       text=True, check=True).stdout.replace("'", '"'))
    assert not [m for m in loaded if m.startswith(("numba", "bibnet.blockmodels",
                                                   "bibnet.simulate", "bibnet.hypotheses",
                                                   "bibnet.counts", "bibnet.graphs",
                                                   "bibnet.fetch", "bibnet.records"))], loaded
