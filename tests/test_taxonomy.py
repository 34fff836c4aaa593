"""OpenAlex's taxonomy and the layers a configuration names."""

from __future__ import annotations

import pytest

from bibnet.taxonomy import (ALL_SCIENCE, DOMAIN_LAYERS, DOMAINS, FIELD_LAYERS, FIELDS, Layer,
                             field_layer, layer_by_name, layers_from_spec)


def test_the_taxonomy_is_openalexs_4_domains_and_26_fields():
    assert sorted(DOMAINS) == [1, 2, 3, 4] and sorted(FIELDS) == list(range(11, 37))
    assert {domain for _, domain in FIELDS.values()} == set(DOMAINS)
    assert len({layer.tag for layer in (*FIELD_LAYERS, *DOMAIN_LAYERS, ALL_SCIENCE)}) == 31
    assert field_layer(33).domain == "Social Sciences" == layer_by_name("domains/2").name


@pytest.mark.parametrize("written", [22, "22", "fields/22", "https://openalex.org/fields/22",
                                     "Engineering", "engineering", " ENGINEERING "])
def test_a_field_may_be_written_by_id_short_id_url_or_name(written):
    assert field_layer(written) == Layer("field", 22)


@pytest.mark.parametrize(("written", "words"), [
    ("Enginering", ["not an OpenAlex field", "did you mean 'Engineering'"]),
    ("Physics", ["did you mean 'Physics and Astronomy'"]),
    ("Comp Sci", ["did you mean 'Computer Science'"]),
    ("Health Sciences", ["is a domain", "layers: domains"]),
    (3, ["is a domain (Physical Sciences)"]),
    ("domains/4", ["is a domain"]),
    ("fields/40", ["not an OpenAlex field id", "11-36"]),
    ("Quantum Basket Weaving", ["not an OpenAlex field"]),
    (True, ["not an OpenAlex field"]),
])
def test_a_wrong_field_is_refused_with_the_nearest_names(written, words):
    with pytest.raises(ValueError) as caught:
        field_layer(written)
    for word in words:
        assert word in str(caught.value)


def test_layer_specs():
    assert layers_from_spec("none") == (ALL_SCIENCE,)
    assert layers_from_spec("domains") == (ALL_SCIENCE, *DOMAIN_LAYERS)
    assert [layer.name for layer in layers_from_spec(["Medicine", 31])] == \
        ["all", "Medicine", "Physics and Astronomy"]
    for spec, words in [("domain", ["did you mean 'domains'"]),
                        ("Engineering", ["one field, not a list", "[Engineering]"]),
                        (["Medicine", "fields/27"], ["Medicine listed more than once"]),
                        ([], ["empty"])]:
        with pytest.raises(ValueError) as caught:
            layers_from_spec(spec)
        for word in words:
            assert word in str(caught.value)


def test_social_sciences_is_a_field_and_a_domain_and_must_be_told_apart():
    assert field_layer("Social Sciences") == Layer("field", 33)
    with pytest.raises(ValueError, match="domains/2 or fields/33"):
        layer_by_name("Social Sciences")
    assert layer_by_name("fields/33") != layer_by_name("domains/2")


def test_tags_name_one_layer_each_and_read_back():
    for layer in (ALL_SCIENCE, *DOMAIN_LAYERS, *FIELD_LAYERS):
        assert Layer.from_tag(layer.tag) == layer
    assert Layer("domain", 2).tag != Layer("field", 33).tag
    with pytest.raises(ValueError, match="not a layer tag"):
        Layer.from_tag("field-22-medicine")
    assert field_layer("Medicine").filter == {"primary_topic.field.id": 27}
    assert DOMAIN_LAYERS[3].record() == {"layer": "Health Sciences", "tag": DOMAIN_LAYERS[3].tag,
                                         "kind": "domain", "id": 4,
                                         "filter": "primary_topic.domain.id:4"}
