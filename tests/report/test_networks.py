"""Each year's network with the study's findings as node attributes (SYNTHETIC sphere world)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from bibnet.outputs import MadeFromMismatch
from bibnet.report.inputs import year_study
from bibnet.report.networks import STUDY_ATTRIBUTES, write_networks
from bibnet.slices import lineage, stage_slices
from report_examples import YEARS, make_processed


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> dict:
    return make_processed(tmp_path_factory.mktemp("networks"), records=False)


def _paths(processed, year):
    folder = processed["processed"]
    return (folder / "counts" / f"{year}.parquet", folder / "country_totals" / f"{year}.parquet",
            folder / "blockmodels" / f"{year}.classes.parquet",
            folder / "hypotheses" / f"{year}.json")


def _settings(processed):
    cfg = processed["config"]
    return {"countries": cfg["countries"], "graphs": cfg["graphs"],
            "made_from": lineage(stage_slices(cfg), "report_network")}


def test_every_country_carries_its_class_bloc_and_sphere(processed, tmp_path):
    year = YEARS[-1]
    outs = [tmp_path / f"{year}.graphml", tmp_path / f"{year}.gexf"]
    write_networks(*_paths(processed, year), outs, **_settings(processed))
    read = nx.read_graphml(outs[0])
    study = year_study(_paths(processed, year)[3])
    classes = pd.read_parquet(_paths(processed, year)[2]).set_index("country")
    for code, node in read.nodes(data=True):
        assert set(STUDY_ATTRIBUTES) <= set(node), code
        assert node["size_class"] == classes.at[code, "size_class"]
        assert node["centre"] == (code in study["centres"]["centres"])
        row = study["sphere_of"].get(code, {})
        assert node["sphere"] == (row.get("sphere") or "")
        assert node["sphere_member"] == bool(row.get("member"))
    assert sum(node["centre"] for _, node in read.nodes(data=True)) == len(
        study["centres"]["centres"])
    gexf = nx.read_gexf(outs[1])
    assert dict(gexf.nodes(data="sphere")) == dict(read.nodes(data="sphere"))
    assert dict(gexf.nodes(data="bloc")) == dict(read.nodes(data="bloc"))


def test_outputs_of_another_configuration_are_refused(processed, tmp_path):
    settings = _settings(processed)
    settings["made_from"] = {**settings["made_from"], "seed": 12345}
    with pytest.raises(MadeFromMismatch, match="seed"):
        write_networks(*_paths(processed, YEARS[0]), [tmp_path / "x.graphml"], **settings)
