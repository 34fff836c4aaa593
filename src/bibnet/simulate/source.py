"""The synthetic source: the sphere world (`bibnet.simulate.spheres`) a configuration asks for,
a year at a time, and the truth planted in it.

``source: synthetic`` draws one world from ``seed`` and the ``synthetic`` section: its countries,
sizes, centres, spheres and pair effects are the same every year, and each year's counts are a
new Poisson draw with the year's seed (`~bibnet.simulate.spheres.SphereWorld.year`). The section
says

``kind``
    the sphere-world kind (`~bibnet.simulate.planted.KINDS`; default `DEFAULT_KIND`, several
    centres each with its own sphere);
``n_countries``, ``volume``
    the countries drawn and the multiplier of every mean (scale and noise below);
``effects``
    the kind's effect sizes and group counts over its defaults
    (`~bibnet.simulate.planted.EFFECTS`), e.g. ``{n_centres: 3}``;
``size_rank``, ``sphere_of``
    where countries are planted: at a strength rank (``{KR: 3}``, 1 the largest; the planted
    centres are the largest countries, so a rank among them makes a centre), or in a planted
    centre's sphere (``{KR: US}``).

Scale and noise: at volume 1 a world of ``n`` countries has ``1.5e6 * (n / 220)^2`` pair-links
(`links`), the pairs of a 220-country world at the real 2015 scale, so a smaller world keeps the
real pair sizes (null worlds at the default pair-effect level, seeds 0-2: X^2/df 70-97 with 50
countries, 76-106 with 120, 66-84 with 220; with 1.5 million links whatever the size, 1353-1876
and 240-346 with 50 and 120). The pair effects are at
`~bibnet.simulate.dispersion.RESIDUAL_LEVEL`, the level at which the noise the study reads off
a structured world matches the real networks' (X^2/df 26-29 with 120 countries, seed 20080101:
in the real networks most of the X^2/df is structure). At that level the study reads the demo's
world (120 countries, three hubs) as "several centres" and "no regional structure beyond size"
in 2016; at the null worlds' level (`~bibnet.simulate.dispersion.DEFAULT_LEVELS`) it found "no
centre beyond size" in the same world, at 120 and at 220 countries.

The focal countries (and a configured country list) are always in the world. The largest
countries carry the codes of the largest real ones (US, GB, DE, FR, CN ...), so the UK is a centre
by size in every kind; the others carry random real codes. The codes are labels on planted nodes
so that every later step and the report's maps can place them; nothing drawn is those
countries' data.

Examples
--------
>>> cfg = {"seed": 7, "focal": ["KR", "GB"], "countries": "all",
...        "synthetic": {"kind": "hubs", "n_countries": 60, "volume": 0.05,
...                      "sphere_of": {"KR": "US"}}}
>>> world = configured_world(cfg)
>>> world.centres, world.sphere_of["KR"], world.truth["centres"]
(('US', 'GB'), 'US', 'several centres')
>>> planted_record(world, cfg["focal"])["focal"]
{'KR': 'sphere of US', 'GB': 'centre'}
>>> bool((year_world(cfg, 2001).counts != year_world(cfg, 2002).counts).any())
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from bibnet.simulate.dispersion import RESIDUAL_LEVEL
from bibnet.simulate.pair_effects import TOTAL_LINKS
from bibnet.simulate.spheres import SphereWorld, sphere_world

#: The kind drawn when ``synthetic.kind`` is unset: several centres, each with its own sphere.
DEFAULT_KIND = "hubs"
#: Countries drawn when ``synthetic.n_countries`` is unset (the offline demo's size).
DEFAULT_COUNTRIES = 120
#: Countries of a world of ``TOTAL_LINKS`` pair-links at volume 1 (the real 2015 scale).
REFERENCE_COUNTRIES = 220
#: What the planted record says of the codes.
LABELS = ("real ISO 3166-1 codes label the planted countries (the largest carry the codes of "
          "the largest real countries) so that maps can place them; nothing drawn is those "
          "countries' data")


def links(n_countries: int) -> float:
    """Pair-links of a world of ``n_countries`` at volume 1: the real pair sizes (module docs).

    >>> links(220), links(110)
    (1500000.0, 375000.0)
    """
    return TOTAL_LINKS * (n_countries / REFERENCE_COUNTRIES) ** 2


def configured_world(config: Mapping) -> SphereWorld:
    """The world of ``config["seed"]`` and ``config["synthetic"]`` (module docs), with the focal
    countries and a configured country list in it; its counts are not any year's."""
    spec = config.get("synthetic", {})
    include = list(config.get("focal", []))
    if config.get("countries", "all") != "all":
        include += list(config["countries"])
    n_countries = spec.get("n_countries", DEFAULT_COUNTRIES)
    return sphere_world(spec.get("kind", DEFAULT_KIND), seed=config["seed"],
                        n_countries=n_countries, total_links=links(n_countries),
                        sigma=RESIDUAL_LEVEL,
                        volume=spec.get("volume", 1.0), include=include,
                        size_rank=spec.get("size_rank"), sphere_of=spec.get("sphere_of"),
                        **spec.get("effects", {}))


def year_world(config: Mapping, year: int) -> SphereWorld:
    """The configured world with the year's counts."""
    return configured_world(config).year(year)


def placement(world: SphereWorld, code: str) -> str:
    """Where ``code`` is planted: ``centre``, ``sphere of XX`` or ``no sphere``."""
    if code in world.centres:
        return "centre"
    return f"sphere of {world.sphere_of[code]}" if world.sphere_of[code] else "no sphere"


def planted_record(world: SphereWorld, focal: Sequence[str]) -> dict:
    """What provenance records of the planted truth (`bibnet.outputs.PLANTED_KEY` documents
    the structure)."""
    order = np.argsort(-world.strengths, kind="stable")
    rank = {world.codes[i]: r + 1 for r, i in enumerate(order)}
    return {"kind": world.kind, **world.truth, "centres_list": list(world.centres),
            "sphere_of": dict(world.sphere_of),
            "focal": {code: placement(world, code) for code in focal},
            "size_rank": {code: rank[code] for code in focal}, "labels": LABELS}
