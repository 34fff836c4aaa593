"""Each branch of the two verdict rules, with the reason it gives."""

import pandas as pd
import pytest

from bibnet.hypotheses.verdicts import centres_verdict, regions_verdict

QUIET = {"a": 1.0, "low": 0.96, "high": 1.04, "p_value": 0.5}
TIED = {"a": 1.2, "low": 1.15, "high": 1.25, "p_value": 0.001}


QUIET_CENTRE = (1.0, 0.9, 1.1, 0.5)  # a(c,P), its interval and p-value: within the noise
TIED_CENTRE = (1.25, 1.1, 1.4, 0.001)
TIED_AT_ALPHA_ONLY = (1.25, 1.02, 1.4, 0.04)  # two centres: alpha / n_centres is 0.025


def table(*rows):
    """Spheres of centres C0, C1, ... given as (kind, p_sphere, hub_low), (kind, p_sphere,
    hub_low, (periphery, periphery_low, periphery_high, p_periphery)) or with p_hub (the hub
    ratio beyond selection's p-value, 0.5 where not given) and then that ratio (1.2 where not
    given) after that."""
    return pd.DataFrame([{"kind": kind, "p_sphere": p, "hub_ratio": low + 0.2, "hub_low": low,
                          "hub_high": low + 0.4, "p_hub": rest[1] if len(rest) > 1 else 0.5,
                          "hub_beyond_selection": rest[2] if len(rest) > 2 else 1.2,
                          **dict(zip(("periphery", "periphery_low", "periphery_high",
                                      "p_periphery"), rest[0] if rest else QUIET_CENTRE))}
                         for kind, p, low, *rest in rows],
                        index=[f"C{i}" for i in range(len(rows))])


@pytest.mark.parametrize("rows, whole, spheres, verdict", [
    ([("hub", 0.001, 1.2), ("hub", 0.002, 1.1), ("none", 0.5, 0.8)], QUIET, 0.001,
     "several centres"),
    ([("hub", 0.001, 1.2), ("none", 0.03, 1.1), ("none", 0.5, 0.8)], QUIET, 0.001,
     "undecided"),
    ([("hub", 0.001, 1.2), ("none", 0.03, 0.9), ("none", 0.5, 0.8)], QUIET, 0.001,
     "one centre"),
    # the cross-fitted interval above 1, but the ratio beyond selection not above 1: the two
    # readings disagree (a smooth geography's neighbourhood), no second centre
    ([("hub", 0.001, 1.2), ("none", 0.03, 1.1, QUIET_CENTRE, 0.7, 0.95), ("none", 0.5, 0.8)],
     QUIET, 0.001, "one centre"),
    ([("hub", 0.001, 1.2), ("none", 0.03, 1.1, QUIET_CENTRE, 0.7, float("nan")),
      ("none", 0.5, 0.8)], QUIET, 0.001, "one centre"),
    # a second sphere hub-like beyond its selection at alpha only: not excluded
    ([("hub", 0.001, 1.2), ("undetermined", 0.001, 0.9, QUIET_CENTRE, 0.02),
      ("none", 0.5, 0.8)], QUIET, 0.001, "undecided"),
    ([("hub", 0.001, 1.2), ("undetermined", 0.001, 0.9, QUIET_CENTRE, 0.2),
      ("none", 0.5, 0.8)], QUIET, 0.001, "one centre"),
    # the centres as one are reported, not read: no centre tied, no centre beyond size
    ([("none", 0.3, 0.9), ("none", 0.5, 0.8)], TIED, 0.4, "no centre beyond size"),
    # a centre tied with no hub-like sphere, whether or not the periphery differentiates
    ([("community", 0.3, 0.5, TIED_CENTRE), ("none", 0.5, 0.8)], TIED, 0.001, "one centre"),
    ([("none", 0.3, 0.9), ("none", 0.5, 0.8)], QUIET, 0.4, "no centre beyond size"),
    # one hub tied to every country alike: no sphere, the centres as one within the noise
    ([("none", 0.3, 0.9, TIED_CENTRE), ("none", 0.5, 0.8)], QUIET, 0.4, "one centre"),
    ([("none", 0.3, 0.9, TIED_CENTRE), ("none", 0.5, 0.8)], QUIET, 0.001, "one centre"),
    ([("none", 0.3, 0.9, TIED_AT_ALPHA_ONLY), ("none", 0.5, 0.8)], QUIET, 0.4,
     "no centre beyond size"),
    # a centre tied through a sphere of its own that is not a hub (a smooth geography's
    # centre far from the others): its neighbourhood's tie, not the periphery's as a whole
    ([("undetermined", 0.001, 0.9, TIED_CENTRE), ("none", 0.5, 0.8)], QUIET, 0.001,
     "no centre beyond size"),
    ([("community", 0.001, 0.5, TIED_CENTRE), ("none", 0.5, 0.8)], QUIET, 0.001,
     "no centre beyond size"),
])
def test_centres_rule(rows, whole, spheres, verdict):
    found = centres_verdict(table(*rows), whole, {"p_spheres": spheres}, alpha=0.05)
    assert found["verdict"] == verdict
    assert found["reason"]


def test_a_centre_tied_to_the_periphery_alone_is_named_with_its_tie():
    found = centres_verdict(table(("none", 0.3, 0.9), ("none", 0.5, 0.8, TIED_CENTRE)), QUIET,
                            {"p_spheres": 0.4}, alpha=0.05)
    assert found["tied_centres"] == ["C1"]
    assert "C1 (a(c,P) 1.25 [1.10, 1.40])" in found["reason"]


def test_a_centre_tied_through_its_own_sphere_is_named_but_not_a_centre():
    found = centres_verdict(table(("undetermined", 0.001, 0.9, TIED_CENTRE),
                                  ("none", 0.5, 0.8)), QUIET, {"p_spheres": 0.001}, alpha=0.05)
    assert found["tied_centres"] == []
    assert "through a sphere of its own" in found["reason"]
    assert "C0 (a(c,P) 1.25 [1.10, 1.40])" in found["reason"]


def test_an_undecided_centres_verdict_names_the_doubtful_sphere():
    found = centres_verdict(table(("hub", 0.001, 1.2), ("none", 0.03, 1.1)), QUIET,
                            {"p_spheres": 0.001}, alpha=0.05)
    assert "C1" in found["reason"] and "0.03" in found["reason"]


@pytest.mark.parametrize("ratio, low, high, p, verdict", [
    (1.5, 1.2, 1.8, 0.002, "regional communities"),
    (1.05, 0.95, 1.15, 0.4, "no regional structure beyond size"),
    (1.3, 0.9, 1.7, 0.2, "undecided"),
    (1.2, 0.97, 1.5, 0.01, "undecided"),
])
def test_regions_rule(ratio, low, high, p, verdict):
    found = regions_verdict(ratio, low, high, p, alpha=0.05, min_effect=0.25)
    assert found["verdict"] == verdict
    assert f"{ratio:.2f}" in found["reason"]
