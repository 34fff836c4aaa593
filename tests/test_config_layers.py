"""The layers key: OpenAlex fields named right, before any call, or one message with the fix."""

from __future__ import annotations

import pytest

from bibnet.config import ConfigError, check_config
from test_config import TODAY, configured

BAD_LAYERS = {
    "typo": ({"layers": ["Engineering", "Materals Science"]}, "layers",
             ["'Materals Science'", "did you mean 'Materials Science'", "config/README.md"]),
    "a word": ({"layers": "fields"}, "layers", ["'fields'", "none", "domains"]),
    "near a word": ({"layers": "domain"}, "layers", ["did you mean 'domains'"]),
    "one field": ({"layers": "Medicine"}, "layers", ["write [Medicine]"]),
    "a domain": ({"layers": ["Physical Sciences"]}, "layers", ["is a domain", "layers: domains"]),
    "repeated": ({"layers": [27, "Medicine"]}, "layers", ["Medicine listed more than once"]),
    "out of range": ({"layers": ["fields/99"]}, "layers", ["11-36"]),
    "empty": ({"layers": []}, "layers", ["[]"]),
    "pajek": ({"layers": "domains", "source": "pajek", "pajek_dir": "."}, "layers",
              ["all-science networks only", "layers: none"]),
    "own topic filter": ({"layers": "domains",
                          "openalex": {"filters": {"primary_topic.field.id": 17}}},
                         "openalex.filters", ["primary_topic.field.id", "its own topic filter"]),
    "synthetic layer sphere of no centre": ({"layers": "domains", "source": "synthetic",
                                             "synthetic": {"layers": {"Health Sciences": {
                                                 "sphere_of": {"KR": "FR"}}}}},
                                            "synthetic.layers (Health Sciences)",
                                            ["FR", "no planted centre", "US, GB"]),
    "synthetic unknown layer": ({"layers": "domains", "source": "synthetic",
                                 "synthetic": {"layers": {"Helth": {"sphere_of": {"KR": "GB"}}}}},
                                "synthetic.layers", ["'Helth'", "field or domain"]),
    "synthetic bad code": ({"layers": "domains", "source": "synthetic",
                            "synthetic": {"layers": {"Medicine": {"size_rank": {"kr": 3}}}}},
                           "synthetic.layers.Medicine.size_rank", ["'kr'", "'KR'"]),
}


@pytest.mark.parametrize("case", BAD_LAYERS)
def test_bad_layers_name_key_value_and_fix(case):
    overrides, key, words = BAD_LAYERS[case]
    with pytest.raises(ConfigError) as caught:
        check_config(configured(overrides), today=TODAY)
    assert caught.value.key == key
    assert "Fix: " in str(caught.value)
    for word in words:
        assert word in str(caught.value)


def test_layers_default_to_none_and_take_what_the_command_line_gives():
    assert check_config(configured({}), today=TODAY)["layers"] == "none"
    # snakemake --config layers=[22,fields/27,Medicine] gives text items
    assert check_config(configured({"layers": ["22", "fields/25", "Medicine"]}),
                        today=TODAY)["layers"] == ["22", "fields/25", "Medicine"]
    assert check_config(configured({"layers": "domains", "source": "synthetic"}),
                        today=TODAY)["synthetic"]["layers"]["Health Sciences"] == \
        {"sphere_of": {"KR": "GB"}}
