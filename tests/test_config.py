"""A bad config stops before any call or file, with one message: key, bad value, fix."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from bibnet.config import ConfigError, check_config
from conftest import REPO

SHIPPED = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
TODAY = dt.date(2026, 11, 24)

# (overrides, key named, words the message must contain)
BAD_CONFIGS = {
    "unknown code": ({"countries": ["KR", "GB", "ZZ"]}, "countries", ["'ZZ'", "ISO 3166"]),
    "lower case": ({"countries": ["kr", "GB", "US"]}, "countries", ["'kr'", "'KR'"]),
    "UK for GB": ({"countries": ["KR", "UK", "US"]}, "countries",
                  ["'UK'", "did you mean 'GB' (United Kingdom)?"]),
    "focal EL for GR": ({"focal": ["KR", "EL"]}, "focal", ["'EL'", "did you mean 'GR' (Greece)?"]),
    "focal lower case": ({"focal": ["kr", "GB"]}, "focal", ["'kr'", "'KR'"]),
    "first after last": ({"years": {"first": 2010, "last": 2000}}, "years", ["2010", "2000"]),
    "before 1900": ({"years": {"first": 1850, "last": 2000}}, "years.first", ["1850", "1900"]),
    "future": ({"years": {"first": 2000, "last": 2031}}, "years.last", ["2031", "future"]),
    "focal outside": ({"countries": ["US", "GB", "DE"], "focal": ["KR", "GB"]}, "focal",
                      ["'KR'", "add 'KR' to countries"]),
    "unknown source": ({"source": "scopus"}, "source", ["'scopus'", "openalex"]),
    "negative min_edge": ({"graphs": {"min_edge": -1}}, "graphs.min_edge", ["-1", "minimum"]),
    "missing pajek_dir": ({"source": "pajek", "pajek_dir": None}, "pajek_dir", ["missing"]),
    "pajek_dir not a folder": ({"source": "pajek", "pajek_dir": "/nonexistent/networks"},
                               "pajek_dir", ["/nonexistent/networks", "folder"]),
    "unknown key": ({"yeers": 3}, "(top level)", ["yeers", "known keys"]),
    "bad concurrency": ({"openalex": {"concurrency": 0}}, "openalex.concurrency", ["0"]),
    "unknown counting": ({"counting": "harmonic"}, "counting", ["'harmonic'", "fractional"]),
    "max_countries below 2": ({"counting": "capped", "max_countries": 1}, "max_countries",
                              ["1", "minimum of 2", "2 or more"]),
    "pajek fractional": ({"source": "pajek", "counting": "fractional",
                          "pajek_dir": str(REPO)}, "counting",
                         ["'fractional'", "whole counts only", "set counting: whole"]),
    "bare NO": ({"countries": yaml.safe_load("[US, GB, KR, NO]")}, "countries",
                ["item 4", "boolean false", "NO (Norway)", "quote", "'NO'"]),
    "bare ON in focal": ({"focal": yaml.safe_load("[KR, ON]")}, "focal",
                         ["item 2", "boolean true", "quote"]),
    # the synthetic world: the schema's shapes, then the world itself drawn once
    "synthetic kind typo": ({"source": "synthetic", "synthetic": {"kind": "hub"}},
                            "synthetic.kind", ["'hub'", "did you mean 'hubs'?", "geography"]),
    "sphere of no centre": ({"source": "synthetic", "synthetic": {"sphere_of": {"KR": "FR"}}},
                            "synthetic", ["KR", "FR", "no planted centre", "US, GB"]),
    "a kind without spheres": ({"source": "synthetic",
                                "synthetic": {"kind": "regional", "sphere_of": {"KR": "US"}}},
                               "synthetic", ["regional", "no spheres", "hubs"]),
    "sphere_of lower case": ({"source": "synthetic", "synthetic": {"sphere_of": {"KR": "us"}}},
                             "synthetic.sphere_of", ["'us'", "'US'"]),
    "an effect the kind has not": ({"source": "synthetic",
                                    "synthetic": {"kind": "hubs", "effects": {"n_blocs": 3}}},
                                   "synthetic", ["n_blocs", "hub_tie"]),
    "two at one rank": ({"source": "synthetic", "synthetic": {"size_rank": {"KR": 3, "JP": 3}}},
                        "synthetic", ["KR", "JP", "rank 3"]),
}


def configured(overrides: dict) -> dict:
    config = {**SHIPPED, **overrides}
    return {k: v for k, v in config.items() if v is not None}


def test_shipped_config_is_the_korea_uk_study():
    config = check_config(SHIPPED, today=TODAY)
    assert config["source"] == "openalex"
    assert config["countries"] == "all"
    assert config["focal"] == ["KR", "GB"]
    assert config["years"] == {"first": 1990, "last": 2023}


def test_defaults_are_filled_in():
    config = check_config({k: v for k, v in SHIPPED.items() if k != "openalex"}, today=TODAY)
    assert config["openalex"]["concurrency"] == 8
    assert config["openalex"]["filters"] == {}


@pytest.mark.parametrize("case", BAD_CONFIGS)
def test_bad_config_names_key_value_and_fix(case):
    overrides, key, words = BAD_CONFIGS[case]
    with pytest.raises(ConfigError) as caught:
        check_config(configured(overrides), today=TODAY)
    message = str(caught.value)
    assert caught.value.key == key
    assert message.startswith(f"config key '{key}'")
    assert "Fix: " in message
    for word in words:
        assert word in message


def test_pajek_dir_must_hold_every_year(tmp_path):
    (tmp_path / "WrldCo2000.net").write_text("*vertices 0\n")
    config = configured({"source": "pajek", "pajek_dir": str(tmp_path),
                         "years": {"first": 2000, "last": 2002}})
    with pytest.raises(ConfigError, match="has no network for 2001, 2002"):
        check_config(config, today=TODAY)


def test_numbers_given_as_text_on_the_command_line_are_read_as_numbers():
    config = check_config(configured({"years": {"first": "2003", "last": "2005"}}), today=TODAY)
    assert config["years"] == {"first": 2003, "last": 2005}
    assert check_config(configured({"focal_records": "false"}), today=TODAY)["focal_records"] is False
    with pytest.raises(ConfigError, match="'years.first': 'soon' is not valid"):
        check_config(configured({"years": {"first": "soon", "last": "2005"}}), today=TODAY)


def test_namibia_is_a_country_not_a_missing_value():
    config = check_config(configured({"countries": ["NA", "ZA", "KR", "GB"]}), today=TODAY)
    assert config["countries"][0] == "NA"


@pytest.mark.workflow
@pytest.mark.parametrize("case", ["unknown code", "first after last", "unknown source",
                                  "missing pajek_dir", "unknown counting",
                                  "max_countries below 2", "pajek fractional", "bare NO"])
def test_snakemake_stops_before_writing_anything(workflow, case):
    overrides, key, words = BAD_CONFIGS[case]
    config = configured(overrides)
    workflow.root.joinpath("config", "config.yaml").write_text(yaml.safe_dump(config))
    result = workflow.snakemake()
    assert result.returncode != 0
    assert f"config key '{key}'" in result.stderr
    assert workflow.written() == []


def test_the_synthetic_world_defaults_to_several_centres_and_is_read_only_when_drawn():
    config = check_config(configured({"source": "synthetic", "synthetic": {}}), today=TODAY)
    assert config["synthetic"] == {"kind": "hubs", "n_countries": 120, "volume": 1.0}
    # a placement no world can take is not checked where no world is drawn
    assert check_config(configured({"synthetic": {"sphere_of": {"KR": "FR"}}}), today=TODAY)


def test_the_synthetic_series_runs_on_its_own_years():
    base = {"countries": "all", "focal": ["KR", "GB"], "seed": 1,
            "years": {"first": 1990, "last": 2023},
            "synthetic": {"years": {"first": 2016, "last": 2023}}}
    assert check_config({**base, "source": "synthetic"})["years"] == {"first": 2016, "last": 2023}
    assert check_config({**base, "source": "openalex"})["years"] == {
        "first": 1990, "last": 2023}
