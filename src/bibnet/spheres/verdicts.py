r"""The two answers of a year: centres (Wagner & Leydesdorff) and regions (Schott).

Each rule reads only the fitted tests of :class:`bibnet.spheres.centres.Spheres` and
:class:`bibnet.spheres.regions.Regions`, and returns the verdict with the reason in words, so
that ``undecided`` always says why. ``docs/method.md`` states them with their references.

Centres
    With *hubs* the spheres read ``hub`` (tied to their centre beyond selection, and more than
    among themselves: the interval of the hub ratio above 1) and *possible hubs* the spheres
    read ``undetermined`` whose tie is beyond selection with a hub ratio above 1 but an
    interval holding 1:

    * ``several centres``: at least two hubs;
    * ``undecided``: fewer than two hubs, but two or more with the possible hubs; or no hub and
      one possible hub;
    * ``one centre``: exactly one hub; or no sphere structure at all (the global test of
      spheres not significant at ``alpha``) while the centres as a whole are tied to the
      non-centres beyond size (the interval of :math:`a(C,P)` above 1): the periphery attaches
      to the top class as one;
    * ``no centre beyond size``: otherwise (no hub, and the periphery either not tied to the
      centres beyond size or differentiating among them without any sphere organised around
      its centre).

Regions
    * ``regional communities``: the held-out test significant at ``alpha`` and the interval of
      :math:`\rho` above 1;
    * ``no regional structure beyond size``: the test not significant and :math:`\rho` below
      ``1 + min_effect`` (the smallest excess of within-bloc over between-bloc ties worth
      naming);
    * ``undecided``: otherwise.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"kind": ["hub", "none", "undetermined"], "p_sphere": [0.001, 0.4, 0.002],
...                       "hub_ratio": [1.8, 0.9, 1.3], "hub_low": [1.2, 0.5, 0.8],
...                       "hub_high": [2.5, 1.4, 2.0]}, index=["US", "GB", "CN"])
>>> whole = {"a": 1.0, "low": 0.95, "high": 1.05}
>>> centres_verdict(table, whole, {"p_spheres": 0.001}, alpha=0.05)["verdict"]
'undecided'
>>> regions_verdict(2.1, 1.6, 2.8, 0.002, alpha=0.05, min_effect=0.25)["verdict"]
'regional communities'
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

CENTRES_VERDICTS = ("one centre", "several centres", "no centre beyond size", "undecided")
REGIONS_VERDICTS = ("regional communities", "no regional structure beyond size", "undecided")


def _interval(low: float, high: float) -> str:
    return f"[{low:.2f}, {high:.2f}]"


def centres_verdict(table: pd.DataFrame, whole: Mapping, global_tests: Mapping,
                    alpha: float) -> dict:
    """The centres verdict from a :class:`~bibnet.spheres.centres.Spheres` fit's ``table_``,
    ``whole_`` and ``global_`` (rule in the module docstring)."""
    level = alpha / len(table)
    hubs = list(table.index[table["kind"] == "hub"])
    possible = list(table.index[(table["kind"] == "undetermined") & (table["p_sphere"] < level)
                                & (table["hub_ratio"] > 1)])
    spheres = global_tests["p_spheres"] < alpha
    whole_beyond = whole["low"] > 1
    doubt = "; ".join(f"{c}'s hub ratio {table.at[c, 'hub_ratio']:.2f} has the interval "
                      f"{_interval(table.at[c, 'hub_low'], table.at[c, 'hub_high'])}, "
                      "which holds 1" for c in possible)
    if len(hubs) >= 2:
        verdict, reason = "several centres", f"hub-like spheres around {', '.join(hubs)}"
    elif len(hubs) + len(possible) >= 2 or (not hubs and possible):
        verdict = "undecided"
        reason = (f"{len(hubs)} hub-like sphere{'s' * (len(hubs) != 1)}"
                  f"{' (' + ', '.join(hubs) + ')' if hubs else ''}, and possibly more: {doubt}")
    elif hubs:
        verdict, reason = "one centre", f"one hub-like sphere, around {hubs[0]}"
    elif whole_beyond and not spheres:
        verdict = "one centre"
        reason = (f"the centres as one are tied to the other countries beyond size "
                  f"(a(C,P) {whole['a']:.2f} {_interval(whole['low'], whole['high'])}), "
                  "which do not differentiate among them")
    else:
        verdict = "no centre beyond size"
        if spheres:
            reason = "the periphery differentiates among the centres, but no sphere is a hub"
        else:
            reason = (f"no sphere structure and no tie to the centres as one beyond size "
                      f"(a(C,P) {whole['a']:.2f} {_interval(whole['low'], whole['high'])})")
    return {"verdict": verdict, "reason": reason, "hubs": hubs, "possible_hubs": possible,
            "spheres_present": bool(spheres), "whole_beyond_size": bool(whole_beyond)}


def regions_verdict(ratio: float, low: float, high: float, p_value: float, alpha: float,
                    min_effect: float) -> dict:
    """The regions verdict from :class:`~bibnet.spheres.regions.Regions`'s held-out ratio,
    its interval and p-value (rule in the module docstring)."""
    text = f"held-out within/between ratio {ratio:.2f} {_interval(low, high)}, p = {p_value:.3g}"
    if p_value < alpha and low > 1:
        verdict, reason = "regional communities", text
    elif p_value >= alpha and ratio < 1 + min_effect:
        verdict, reason = "no regional structure beyond size", text
    elif p_value < alpha:
        verdict, reason = "undecided", f"{text}: significant, but the interval holds 1"
    else:
        verdict, reason = "undecided", (f"{text}: not significant, but the ratio is at least "
                                        f"{1 + min_effect:.2f}")
    return {"verdict": verdict, "reason": reason}
