"""One year's reading: centres and spheres, regions, Hwang, and how they move with the number
of centres.

:func:`read_year` runs :class:`~bibnet.hypotheses.centres.Spheres`,
:class:`~bibnet.hypotheses.regions.Regions` and :func:`~bibnet.hypotheses.hwang.focal_position` on one
network and returns a JSON-ready record: the verdicts with their reasons
(:mod:`bibnet.hypotheses.verdicts`), each sphere's tests, each country's sphere, and the verdict and
spheres with every number of centres from ``robustness[0]`` to ``robustness[1]``. Every random
step takes a child of ``numpy.random.SeedSequence([seed, year])``, so a year's record does not
depend on which other years run, and the network is in canonical order
(:class:`~bibnet.hypotheses.network.Network`), so neither does it depend on the countries' order.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(2)
>>> n = 60; size = rng.lognormal(0, 1, n); size[:4] = [30, 25, 20, 18]
>>> mean = np.outer(size, size) * 4; np.fill_diagonal(mean, 0)
>>> A = np.triu(rng.poisson(mean), 1); A = A + A.T
>>> codes = ["US", "GB", "DE", "FR"] + [f"Z{i:02d}" for i in range(4, n - 1)] + ["KR"]
>>> settings = dict(SETTINGS, n_centres=4, robustness=[3, 4], min_links=20, replicates=200,
...                 bootstrap=200, robustness_replicates=100)
>>> record = read_year(Network.from_counts(A, codes), settings, focal=("KR", "GB"), seed=1,
...                    year=2000)
>>> record["centres"]["verdict"], record["regions"]["verdict"]
('no centre beyond size', 'no regional structure beyond size')
>>> sorted(record["robustness"])
['3', '4']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from bibnet.countries import continents
from bibnet.hypotheses.centres import Spheres
from bibnet.hypotheses.hwang import focal_position
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.noise import fit_noise
from bibnet.hypotheses.regions import Regions
from bibnet.hypotheses.verdicts import centres_verdict, regions_verdict

#: The configuration's ``spheres`` section with its defaults (config/README.md explains them).
SETTINGS = {
    "n_centres": 5,
    "robustness": [3, 8],
    "min_links": 50,
    "replicates": 1000,
    "bootstrap": 999,
    "robustness_replicates": 200,
    "alpha": 0.05,
    "fdr": 0.05,
    "regions": {"n_splits": 5, "n_starts": 5, "search_countries": 80, "min_effect": 0.25},
}


def _seeds(seed: int, year: int, count: int) -> list[int]:
    children = np.random.SeedSequence([seed, year]).spawn(count)
    return [int(child.generate_state(1)[0]) for child in children]


def _spheres(settings: Mapping, n_centres: int, replicates: int, bootstrap: int, seed: int,
             noise, also_centres: Sequence[str] = ()) -> Spheres:
    return Spheres(n_centres=n_centres, min_links=settings["min_links"], replicates=replicates,
                   bootstrap=bootstrap, alpha=settings["alpha"], fdr=settings["fdr"],
                   random_state=seed, also_centres=also_centres, noise=noise)


def year_noise(network: Network, settings: Mapping, focal: Sequence[str] = ()):
    """The year's gravity null and pair noise (:func:`bibnet.hypotheses.noise.fit_noise`), fitted
    once on the pairs that no fit of the year reads as a centre's: those among the countries
    outside the most centres any fit takes (and outside the focal pair, read as one more centre
    for Hwang), so every fit of the year reads the same noise."""
    most = max(settings["n_centres"], settings["robustness"][1])
    if len(network.codes) < most + 3:
        raise ValueError(
            f"{len(network.codes)} linked countries are too few for {most} centres and a "
            "periphery; lower n_centres and robustness, or select more countries")
    centres = set(network.largest(most).tolist())
    centres |= {i for i in (network.index(code) for code in focal) if i is not None}
    pool = np.ones(network.counts.shape, dtype=bool)
    pool[sorted(centres), :] = pool[:, sorted(centres)] = False
    return fit_noise(network.counts, pool, start=network.expected)


def _finite(value):
    """JSON has no NaN: missing numbers are null."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _records(frame) -> dict:
    return {str(index): {key: _finite(value.item() if hasattr(value, "item") else value)
                         for key, value in row.items()}
            for index, row in frame.to_dict(orient="index").items()}


def _centres_record(fit: Spheres, alpha: float) -> dict:
    verdict = centres_verdict(fit.table_, fit.whole_, fit.global_, alpha)
    return {**verdict, "centres": list(fit.centres_), "spheres": _records(fit.table_),
            "whole": {k: _finite(v) for k, v in fit.whole_.items()},
            "global": {k: _finite(v) for k, v in fit.global_.items()}}


def read_answers(network: Network, settings: Mapping, seed: int, year: int,
                 noise=None) -> tuple[dict, Spheres]:
    """The year's two answers (centres and regions) with their evidence, and the spheres fit
    they rest on; ``noise`` from :func:`year_noise` (fitted here where not given)."""
    seeds = _seeds(seed, year, 2)
    noise = year_noise(network, settings) if noise is None else noise
    main = _spheres(settings, settings["n_centres"], settings["replicates"],
                    settings["bootstrap"], seeds[0], noise).fit(network)
    regions = Regions(n_splits=settings["regions"]["n_splits"],
                      n_starts=settings["regions"]["n_starts"],
                      search_countries=settings["regions"]["search_countries"],
                      replicates=settings["replicates"], bootstrap=settings["bootstrap"],
                      random_state=seeds[1])
    regions.fit(network, exclude=[network.index(c) for c in main.centres_],
                noise=(main.expected_, main.noise_), continents=continents())
    record = {"countries": len(network.codes),
              "centres": _centres_record(main, settings["alpha"]),
              "regions": {
                  **regions_verdict(regions.ratio_, regions.low_, regions.high_,
                                    regions.p_value_, settings["alpha"],
                                    settings["regions"]["min_effect"]),
                  "ratio": regions.ratio_, "low": _finite(regions.low_),
                  "high": _finite(regions.high_), "p_value": regions.p_value_,
                  "split_ratios": regions.split_ratios_,
                  "split_p_values": regions.split_p_values_,
                  "blocs": {code: int(label) for code, label in zip(regions.countries_,
                                                                    regions.blocs_[0])},
                  "continents": {k: _finite(v) for k, v in regions.continents_.items()}},
              "sphere_of": _records(main.countries_)}
    return record, main


def read_year(network: Network, settings: Mapping, focal: Sequence[str], seed: int,
              year: int) -> dict:
    """The year's record (module docstring); ``settings`` is the ``spheres`` configuration
    (:data:`SETTINGS` for its keys), ``focal`` the pair of the case study."""
    noise = year_noise(network, settings, focal)
    record, main = read_answers(network, settings, seed, year, noise)
    first, last = settings["robustness"]
    seeds = _seeds(seed, year, 4 + last - first + 1)
    record["robustness"] = {}
    for offset, n_centres in enumerate(range(first, last + 1)):
        fit = _spheres(settings, n_centres, settings["robustness_replicates"],
                       settings["robustness_replicates"], seeds[4 + offset], noise).fit(network)
        verdict = centres_verdict(fit.table_, fit.whole_, fit.global_, settings["alpha"])
        members = fit.countries_[fit.countries_["member"]]
        record["robustness"][str(n_centres)] = {
            "centres": list(fit.centres_), "verdict": verdict["verdict"],
            "hubs": verdict["hubs"], "kinds": fit.table_["kind"].to_dict(),
            "sphere_of": members["sphere"].to_dict()}

    record["hwang"] = _hwang(network, main, settings, focal, seeds[2], noise)
    return record


def _hwang(network: Network, main: Spheres, settings: Mapping, focal: Sequence[str],
           seed: int, noise) -> dict:
    country, partner = focal
    pulled = []
    if network.index(country) is not None and country not in main.centres_:
        fit = _spheres(settings, settings["n_centres"], settings["replicates"],
                       settings["robustness_replicates"], seed, noise,
                       also_centres=[country]).fit(network)
        rows = fit.countries_
        pulled = sorted(rows.index[rows["member"] & (rows["sphere"] == country)])
    row = (main.countries_.loc[country].to_dict()
           if country in main.countries_.index else None)
    return focal_position(network, main.centres_, country, partner, row, pulled)
