r"""The multilayered centre–periphery (Hwang 2008): every country's place in each research-field
layer beside all-science, and the focal country nearer the centre in applied or in basic fields.

Each layer goes through the study as all-science does (its own centres, spheres and regions,
``docs/method.md``); this module reads the layers side by side.

Place of a country in a layer (:func:`layer_places`)
    its strength (pair-links) and rank in the layer, its class of collaboration volume
    (`bibnet.blockmodels`), whether it is a centre (one of the layer's ``n_centres`` largest:
    a size statement) and its sphere (the centre whose sphere's membership test it passes).

Position of the focal country in a layer (:func:`applied_against_basic`)
    .. math:: z_L = \log(\kappa_{f,L} / \kappa_{t_L,L}),

    its strength against that of :math:`t_L`, the layer's ``n_centres``-th largest country
    (the smallest centre): :math:`z_L \ge 0` where it is a centre, and the nearer 0 from below
    the nearer it is to the centre class. Strength, not a rank: a rank moves in steps, so its
    resampling distribution is too lumpy for a BCa interval.

Applied against basic fields
    .. math:: D = \overline{z}_{\text{applied}} - \overline{z}_{\text{basic}},

    the mean position over the configured layers among ``records.applied_fields`` (engineering,
    computer science, materials, chemical engineering, energy) minus the mean over
    `BASIC_FIELDS` (physics, chemistry, biochemistry, mathematics: Hwang's "basic research").
    Its 95 % interval is BCa over resamples of the partner countries
    (`bibnet.hypotheses.intervals`): a country's strength is a sum over its partners,
    :math:`\kappa_{i,L}(m) = \sum_j m_j A_{L,ij}`, so a resample reweights every layer's
    strengths at once (the layers share their countries' errors). The focal country and each
    layer's :math:`t_L` stay in every resample (they define the question). The reading:
    ``nearer the centre in applied fields`` where the interval lies above 0, ``nearer the
    centre in basic fields`` where it lies below, ``no difference shown`` where it holds 0, and
    ``not measured`` without an applied and a basic layer (the four domains mix both: a
    domain is neither) or where the focal country has no tie in one of them.

Examples
--------
Forty countries of sizes 1 to 40 with Poisson counts; the focal country "F" (the first) has the
links of the largest in the applied layer and half of them in the basic one, so it is nearer the
centre in applied fields; with half in both it is not:

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> def layer(focal_size):
...     size = np.arange(1.0, 41.0)
...     size[0] = focal_size
...     upper = np.triu(rng.poisson(np.outer(size, size)), 1)
...     return upper + upper.T
>>> codes = ["F"] + [f"C{i:02d}" for i in range(1, 40)]
>>> found = applied_against_basic({"Engineering": layer(40), "Physics and Astronomy": layer(20)},
...                               codes, "F", n_centres=5, applied={"Engineering"},
...                               basic={"Physics and Astronomy"}, replicates=299, rng=rng)
>>> found["reading"], round(found["statistic"], 1)
('nearer the centre in applied fields', 0.6)
>>> applied_against_basic({"Engineering": layer(20), "Physics and Astronomy": layer(20)},
...                       codes, "F", n_centres=5, applied={"Engineering"},
...                       basic={"Physics and Astronomy"}, replicates=299, rng=rng)["reading"]
'no difference shown'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

import numpy as np
import pandas as pd

from bibnet.hypotheses.intervals import country_interval

#: Hwang's "basic research" as OpenAlex fields (the applied ones are ``records.applied_fields``).
BASIC_FIELDS = ("Physics and Astronomy", "Chemistry",
                "Biochemistry, Genetics and Molecular Biology", "Mathematics")
#: The readings of the focal country's place in applied against basic fields.
LAYER_READINGS = ("nearer the centre in applied fields", "nearer the centre in basic fields",
                  "no difference shown", "not measured")


def layer_places(year: int, layer: str, classes: pd.DataFrame, found: Mapping) -> list[dict]:
    """Every country's place in one layer and year: strength, rank (1 the strongest; ties by
    code), class of volume, centre or not, and sphere ("" where it is in none).

    Parameters
    ----------
    classes : DataFrame
        The layer's classes of volume of the year (`bibnet.outputs.CLASS_COLUMNS`).
    found : mapping
        The layer's study of the year, one variant (`bibnet.hypotheses.study.read_year`).
    """
    centres = set(found["centres"]["centres"])
    spheres = found["sphere_of"]
    ranked = classes.sort_values(["strength", "country"], ascending=[False, True],
                                 kind="stable")
    return [{"year": year, "layer": layer, "country": row.country,
             "strength": float(row.strength), "rank": rank,
             "size_class": row.size_class, "centre": row.country in centres,
             "sphere": (spheres.get(row.country, {}).get("sphere") or ""
                        if spheres.get(row.country, {}).get("member") else "")}
            for rank, row in enumerate(ranked.itertuples(index=False), start=1)]


def _threshold(counts: np.ndarray, n_centres: int) -> int:
    """The index of the ``n_centres``-th largest country by strength (ties by index)."""
    strength = counts.sum(axis=1)
    order = np.lexsort((np.arange(len(strength)), -strength))
    return int(order[min(n_centres, len(strength)) - 1])


def applied_against_basic(layers: Mapping[str, np.ndarray], codes: Sequence[str], focal: str, *,
                          n_centres: int, applied: Set[str], basic: Set[str], replicates: int,
                          rng: np.random.Generator) -> dict:
    """The focal country's position in each layer and :math:`D` with its BCa interval and
    reading (module docstring).

    Parameters
    ----------
    layers : mapping of layer name to array
        Each layer's symmetric pair counts of the year over ``codes`` (zeros where a country
        has no tie in the layer); a layer neither applied nor basic (all-science, a domain)
        gets its position only.
    codes : sequence of str
        The countries of the matrices, in their order.
    focal : str
    n_centres : int
        The number of centres: :math:`t_L` is the layer's ``n_centres``-th largest country.
    applied, basic : set of str
        Which layer names are applied and which basic fields.
    replicates : int
        Bootstrap resamples of the partner countries.
    rng : numpy.random.Generator
    """
    names = sorted(layers)
    applied_layers = [name for name in names if name in applied]
    basic_layers = [name for name in names if name in basic]
    result = {"applied": applied_layers, "basic": basic_layers, "position": {},
              "statistic": None, "low": None, "high": None}
    if focal not in codes:
        return {**result, "reading": "not measured",
                "why": f"{focal} is in none of the layers' networks"}
    # canonical order (by code) before any random step: the same counts in another order
    # resample the same countries and give the same interval
    order = np.argsort(np.asarray(codes, dtype=str), kind="stable")
    codes = [codes[i] for i in order]
    f = codes.index(focal)
    matrices = {name: np.asarray(layers[name], dtype=float)[np.ix_(order, order)]
                for name in names}
    thresholds = {name: _threshold(matrices[name], n_centres) for name in names}
    for name in names:
        strengths = matrices[name].sum(axis=1)
        if strengths[f] > 0:
            result["position"][name] = float(np.log(strengths[f] / strengths[thresholds[name]]))
    if not applied_layers or not basic_layers:
        return {**result, "reading": "not measured",
                "why": "the layers hold no applied field or no basic field: configure fields, "
                       f"e.g. layers: [Engineering, {BASIC_FIELDS[0]}] (a domain is neither)"}
    missing = [name for name in applied_layers + basic_layers if name not in result["position"]]
    if missing:
        return {**result, "reading": "not measured",
                "why": f"{focal} has no tie in {', '.join(missing)}"}
    fixed = sorted({f, *thresholds.values()})
    free = np.setdiff1d(np.arange(len(codes)), fixed)
    rows = {name: matrices[name][[f, thresholds[name]]] for name in names}

    def difference(multiplicity: np.ndarray) -> np.ndarray:
        """D of each resample (a row of ``multiplicity``); NaN where the focal country or a
        threshold country is left without ties."""
        weights = np.ones((len(multiplicity), len(codes)))
        weights[:, free] = multiplicity
        z = {}
        for name in applied_layers + basic_layers:
            focal_strength, threshold_strength = rows[name] @ weights.T
            with np.errstate(divide="ignore", invalid="ignore"):
                z[name] = np.where((focal_strength > 0) & (threshold_strength > 0),
                                   np.log(focal_strength / threshold_strength), np.nan)
        return (np.mean([z[n] for n in applied_layers], axis=0)
                - np.mean([z[n] for n in basic_layers], axis=0))

    statistic = difference(np.ones((1, len(free))))[0]
    low, high = country_interval(difference, len(free), replicates, rng)
    low, high = float(low), float(high)
    if not (np.isfinite(low) and np.isfinite(high)):
        reading, why = "not measured", "the resamples left the interval undefined"
    elif low > 0:
        reading, why = LAYER_READINGS[0], "D's interval lies above 0"
    elif high < 0:
        reading, why = LAYER_READINGS[1], "D's interval lies below 0"
    else:
        reading, why = LAYER_READINGS[2], "D's interval holds 0"
    return {**result, "statistic": float(statistic), "low": low, "high": high,
            "reading": reading, "why": why}


def differing_layers(verdicts: Mapping[str, Mapping[str, str]]) -> dict[str, list[str]]:
    """For each question (``centres``, ``regions``), the layers whose verdict is not
    all-science's (``verdicts[layer][question]``, all-science under ``"all"``).

    >>> differing_layers({"all": {"centres": "one centre", "regions": "undecided"},
    ...                   "Engineering": {"centres": "several centres", "regions": "undecided"}})
    {'centres': ['Engineering'], 'regions': []}
    """
    questions = ("centres", "regions")
    return {question: sorted(layer for layer, found in verdicts.items()
                             if layer != "all" and found[question] != verdicts["all"][question])
            for question in questions}
