"""Sphere worlds: SYNTHETIC networks with centres, spheres and regions planted beyond size.

The worlds the study of centres and their spheres (issue 18) is calibrated and tested on. For
each pair ``i < j``

.. math::

    A_{ij} \\sim \\mathrm{Poisson}(v\\,\\theta_i\\theta_j\\,\\alpha_{ij}\\,\\varepsilon_{ij})

with ``v`` the volume, ``alpha`` the planted affinity (the structure beyond size), ``eps`` a fixed
pair effect of mean 1 (the noise shape, its spread set by the pair's size with ``alpha`` in, as a
variance function :math:`V(\\mu)` of the mean has it: a structured pair is as noisy as an
unstructured one of its mean; the first version set it by the size without ``alpha``, which made
a hub's pairs as noisy as pairs a third their size) and ``theta`` solved, with ``alpha`` and ``eps`` in, so
that every country's expected strength is its heavy-tailed target (lognormal, the largest
country 13.9 % of all links, :data:`~bibnet.simulate.REAL_2015`). The
largest countries carry the codes of the largest real ones in their 2015 order
(:data:`LARGEST_2015`: US GB DE FR CN ...), the others random real codes. Four random streams
come from ``seed``: strengths and roster, pair effects, structure (spheres, blocs, positions)
and the Poisson draw (or ``noise_seed``, or :meth:`SphereWorld.year`'s seed). So one seed gives
the same countries, sizes and pair effects in every kind and at every volume: the volume
changes only the Poisson noise, the kind only ``alpha``.

Beyond size
-----------
A pair's affinity beyond size is observed over gravity-expected, ``a_ij = A_ij / E_ij`` with
``E_ij = t_i t_j`` (``i != j``) and ``sum_j E_ij`` each country's strength (fixed point,
:func:`bibnet.graphs.gravity.gravity_expected`); a set of pairs has ``a = sum A / sum E``
(:func:`group_affinity`). Degree parameters absorb any ``alpha_ij = f_i f_j`` (``theta_i f_i``
is just another degree parameter), so only what is not a product of country factors is
structure beyond size. :attr:`SphereWorld.affinity` is the planted ``alpha`` in that form: the
means ``alpha`` gives without pair effects over their own gravity expectation, i.e. what the
counts show beyond size on average. Every country's affinities average 1 weighted by its
gravity-expected links (the mean-1 normalisation).

Kinds
-----
The planted structures, their truth and default effect sizes: :mod:`bibnet.simulate.planted`.

Noise shapes and levels
-----------------------
``lognormal`` pair effects with variance power 1.3 (default) or 2, or ``gamma`` ones (power 2),
at a level ``sigma`` given directly or set for a target X^2/df of the gravity null
(``dispersion``): :mod:`bibnet.simulate.dispersion`, with the levels for the real series'
range. The default level gives null worlds at volume 1 the real 2015 X^2/df (71.6).

Measured table
--------------
``benchmarks/sphere_worlds.py`` at the defaults (220 countries, 1.5 million links at volume
1, default levels), seeds 0-2: X^2/df of the gravity null, mean (range), and the planted
groups' affinities beyond size (:meth:`SphereWorld.groups`; mean over a kind's spheres or blocs,
then over seeds) recomputed from the drawn counts; ``planted``: the same from the structural
means (no pair effects). Columns: cS a(c,S), SS a(S,S), SS' a(S,S'), cc' a(c,c'), CP a(C,P)
and CC a(C,C) (the five largest countries with the others, among themselves), BB a(B,B), BB'
a(B,B'), near a(near), far a(far); ``-``: the kind has no such group. ``ln1.3``, ``ln2``:
lognormal pair effects of power 1.3, 2::

    world                  X2/df    cS    SS   SS'   cc'    CP    CC    BB   BB'  near   far
    null
    planted                    -     -     -     -     -  1.00  1.00     -     -     -     -
    ln1.3 x0.1        9.0 (8-10)     -     -     -     -  1.01  0.99     -     -     -     -
    ln1.3 x1        76.7 (66-84)     -     -     -     -  1.01  0.99     -     -     -     -
    ln1.3 x10    752.7 (639-824)     -     -     -     -  1.01  0.99     -     -     -     -
    ln2 x0.1           8.6 (7-9)     -     -     -     -  1.03  0.95     -     -     -     -
    ln2 x1          73.5 (61-82)     -     -     -     -  1.03  0.95     -     -     -     -
    ln2 x10      728.2 (606-814)     -     -     -     -  1.03  0.95     -     -     -     -
    gamma x0.1         8.3 (8-8)     -     -     -     -  0.89  1.20     -     -     -     -
    gamma x1        69.9 (67-71)     -     -     -     -  0.89  1.20     -     -     -     -
    gamma x10    688.1 (666-701)     -     -     -     -  0.89  1.20     -     -     -     -
    one_hub
    planted                    -  1.25  0.90     -     -  1.12  0.79     -     -     -     -
    ln1.3 x0.1         8.7 (8-9)  1.25  0.90     -     -  1.13  0.79     -     -     -     -
    ln1.3 x1        72.8 (61-79)  1.25  0.90     -     -  1.13  0.78     -     -     -     -
    ln1.3 x10    714.6 (601-773)  1.25  0.90     -     -  1.13  0.78     -     -     -     -
    ln2 x0.1          8.4 (7-10)  1.23  0.89     -     -  1.14  0.76     -     -     -     -
    ln2 x1          74.9 (59-87)  1.23  0.89     -     -  1.14  0.76     -     -     -     -
    ln2 x10      727.4 (577-849)  1.23  0.89     -     -  1.14  0.76     -     -     -     -
    gamma x0.1         8.3 (8-9)  1.09  0.98     -     -  1.02  0.97     -     -     -     -
    gamma x1        71.5 (66-78)  1.09  0.98     -     -  1.02  0.97     -     -     -     -
    gamma x10    705.5 (649-771)  1.09  0.98     -     -  1.02  0.97     -     -     -     -
    centre_as_one
    planted                    -     -     -     -  0.53  1.28  0.53     -     -     -     -
    ln1.3 x0.1         8.3 (7-9)     -     -     -  0.53  1.28  0.53     -     -     -     -
    ln1.3 x1        70.1 (61-75)     -     -     -  0.53  1.27  0.53     -     -     -     -
    ln1.3 x10    688.7 (597-741)     -     -     -  0.53  1.27  0.53     -     -     -     -
    ln2 x0.1          8.7 (7-10)     -     -     -  0.53  1.27  0.53     -     -     -     -
    ln2 x1          76.5 (64-85)     -     -     -  0.53  1.27  0.53     -     -     -     -
    ln2 x10      756.1 (626-850)     -     -     -  0.53  1.27  0.53     -     -     -     -
    gamma x0.1         8.4 (8-9)     -     -     -  0.74  1.16  0.74     -     -     -     -
    gamma x1        73.0 (70-77)     -     -     -  0.74  1.16  0.74     -     -     -     -
    gamma x10    717.6 (683-766)     -     -     -  0.74  1.16  0.74     -     -     -     -
    hubs
    planted                    -  1.66  0.97  0.97  0.31  1.04  0.93     -     -     -     -
    ln1.3 x0.1        9.8 (9-10)  1.61  0.98  0.96  0.34  1.05  0.92     -     -     -     -
    ln1.3 x1        83.6 (73-90)  1.61  0.99  0.96  0.34  1.05  0.92     -     -     -     -
    ln1.3 x10    823.5 (726-875)  1.61  0.98  0.96  0.34  1.05  0.92     -     -     -     -
    ln2 x0.1          9.6 (8-11)  1.53  0.99  0.96  0.35  1.07  0.87     -     -     -     -
    ln2 x1          83.7 (68-93)  1.53  0.99  0.96  0.34  1.07  0.87     -     -     -     -
    ln2 x10      819.1 (661-903)  1.53  0.99  0.96  0.34  1.07  0.87     -     -     -     -
    gamma x0.1         9.1 (9-9)  1.46  0.90  1.05  0.55  0.94  1.11     -     -     -     -
    gamma x1        75.4 (74-76)  1.46  0.90  1.05  0.54  0.94  1.11     -     -     -     -
    gamma x10    740.3 (727-749)  1.46  0.90  1.05  0.54  0.94  1.11     -     -     -     -
    regional
    planted                    -     -     -     -     -  1.04  0.92  1.71  0.87     -     -
    ln1.3 x0.1       10.0 (9-11)     -     -     -     -  1.05  0.92  1.66  0.88     -     -
    ln1.3 x1        84.4 (72-91)     -     -     -     -  1.05  0.92  1.65  0.88     -     -
    ln1.3 x10    822.2 (684-898)     -     -     -     -  1.05  0.92  1.65  0.88     -     -
    ln2 x0.1          9.4 (8-10)     -     -     -     -  1.07  0.88  1.66  0.88     -     -
    ln2 x1          81.1 (69-88)     -     -     -     -  1.07  0.88  1.66  0.88     -     -
    ln2 x10      794.7 (681-870)     -     -     -     -  1.07  0.88  1.66  0.88     -     -
    gamma x0.1         8.9 (8-9)     -     -     -     -  0.92  1.15  1.47  0.92     -     -
    gamma x1        77.0 (73-83)     -     -     -     -  0.92  1.15  1.47  0.92     -     -
    gamma x10    750.9 (716-809)     -     -     -     -  0.92  1.15  1.47  0.92     -     -
    community_spheres
    planted                    -  1.25  1.89  0.63  1.10  0.99  1.02  1.89  0.63     -     -
    ln1.3 x0.1       10.4 (9-12)  1.18  1.79  0.67  1.05  1.00  1.00  1.79  0.67     -     -
    ln1.3 x1       88.5 (76-103)  1.19  1.78  0.67  1.04  1.00  1.00  1.78  0.67     -     -
    ln1.3 x10   868.9 (732-1012)  1.19  1.78  0.67  1.04  1.00  1.00  1.78  0.67     -     -
    ln2 x0.1          9.7 (9-10)  1.12  1.69  0.70  1.00  1.03  0.95  1.69  0.70     -     -
    ln2 x1          82.7 (75-91)  1.12  1.70  0.70  1.00  1.03  0.95  1.70  0.70     -     -
    ln2 x10      809.9 (736-900)  1.12  1.70  0.70  1.00  1.03  0.95  1.70  0.70     -     -
    gamma x0.1      10.4 (10-11)  0.86  1.87  0.71  1.48  0.87  1.23  1.87  0.71     -     -
    gamma x1        88.3 (85-94)  0.87  1.87  0.71  1.48  0.88  1.23  1.87  0.71     -     -
    gamma x10    872.0 (836-929)  0.87  1.87  0.71  1.48  0.88  1.23  1.87  0.71     -     -
    geography
    planted                    -     -     -     -     -  1.02  0.95     -     -  1.63  0.67
    ln1.3 x0.1      10.9 (10-12)     -     -     -     -  1.03  0.94     -     -  1.61  0.67
    ln1.3 x1       92.3 (82-103)     -     -     -     -  1.04  0.94     -     -  1.61  0.67
    ln1.3 x10   899.4 (789-1014)     -     -     -     -  1.03  0.94     -     -  1.61  0.67
    ln2 x0.1          9.9 (9-11)     -     -     -     -  1.05  0.91     -     -  1.54  0.66
    ln2 x1          86.1 (77-97)     -     -     -     -  1.05  0.90     -     -  1.54  0.66
    ln2 x10      847.3 (763-937)     -     -     -     -  1.05  0.90     -     -  1.54  0.66
    gamma x0.1        9.9 (9-11)     -     -     -     -  0.93  1.13     -     -  1.45  0.69
    gamma x1        87.4 (80-97)     -     -     -     -  0.93  1.13     -     -  1.45  0.69
    gamma x10    860.1 (793-957)     -     -     -     -  0.93  1.13     -     -  1.44  0.69

Reading it: X^2/df grows tenfold with each tenfold volume, and the structure adds up to a
fifth to the null's; the affinities do not move with the volume (the pair effects are fixed,
and even at 0.1x the Poisson part of a group's sum is small). Pair effects of power 2 (``ln2``,
``gamma``) at the real level give the biggest pairs a large relative noise, so figures that
rest on a few big pairs follow those pairs' effects rather than the plant (``a(c,c')``, the two
hubs' single pair: 0.54 under gamma against 0.31 planted; ``a(C,C)``, ten pairs: 1.20 in null
worlds under gamma) and contrasts shrink: over seeds 0-9 at 10x, a community sphere's tie to
its centre (a(c,S), planted 1.25) ranges 0.67-1.58 between worlds under gamma, a hub's (1.65)
1.28-1.85 under lognormal 2. Under lognormal 1.3 every headline figure of seeds 0-9 is within
13 % of the plant (``tests/simulate/test_sphere_worlds.py`` checks each kind and noise shape).

Examples
--------
>>> small = {"seed": 4, "n_countries": 60, "total_links": 50_000}
>>> w = sphere_world("community_spheres", **small)
>>> w.truth
{'centres': 'no centre beyond size', 'regions': 'regional communities'}
>>> w.centres, w.bloc_of["US"], w.sphere_of[w.codes[40]] in w.centres
(('US', 'GB', 'DE'), None, True)

A hub tied at 3 to every other country is a product of country factors: the degree
parameters absorb it, and nothing shows beyond size:

>>> theta, factor = np.array([5.0, 3.0, 2.0, 1.0, 1.0]), np.array([3.0, 1, 1, 1, 1])
>>> means = np.outer(theta * factor, theta * factor)
>>> np.fill_diagonal(means, 0)
>>> bool(np.allclose(beyond_size(means) + np.eye(5), 1))
True

A yearly series (new Poisson noise, the same pair effects), and the same world in another
order:

>>> series = w.series([2014, 2015])
>>> bool((series[2014].counts != series[2015].counts).any())
True
>>> shuffled = w.permuted(seed=1)
>>> order = [w.codes.index(code) for code in shuffled.codes]
>>> bool((shuffled.counts == w.counts[np.ix_(order, order)]).all())
True
>>> bool((shuffled.year(2015).counts == series[2015].counts[np.ix_(order, order)]).all())
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from bibnet import countries
from bibnet.seeds import year_seed
from bibnet.simulate import REAL_2015, _roster, _solve_theta, _target_strengths
from bibnet.graphs.gravity import gravity_expected
from bibnet.simulate.dispersion import degree_only_dispersion, noise_level, noise_power
from bibnet.simulate.pair_effects import TOTAL_LINKS, draw_pair_effects
from bibnet.simulate.planted import (BUILDERS, KINDS, TOP, TRUTH, Structure, checked_effects,
                                     great_circle)

#: The 25 largest countries by strength in the real 2015 network, largest first: the codes of
#: the planted worlds' largest countries (re-measured by the tests where the data are present).
LARGEST_2015 = ("US", "GB", "DE", "FR", "CN", "IT", "ES", "CA", "AU", "NL", "CH", "JP", "BR",
                "BE", "SE", "IN", "DK", "RU", "KR", "AT", "PL", "PT", "NO", "CZ", "FI")
@dataclass(frozen=True, eq=False)
class SphereWorld:
    """One SYNTHETIC sphere world: counts, the planted truth and how they were drawn.

    Attributes
    ----------
    kind : str
        One of :data:`~bibnet.simulate.planted.KINDS`.
    codes : tuple of str
        ISO 3166-1 alpha-2 codes; the largest countries carry the codes of the largest real
        ones (:data:`LARGEST_2015`).
    counts : numpy.ndarray
        Symmetric ``int64`` works per pair, zero diagonal.
    strengths : numpy.ndarray
        Expected strengths (works summed over partners) at this volume: the heavy-tailed targets.
    centres : tuple of str
        The planted hubs (or community centres), largest first; none for null, regional and
        geography.
    sphere_of : dict
        Each country's planted centre (a code) or None.
    bloc_of : dict
        Each country's planted bloc (``"bloc 1"`` ...) or None.
    affinity : numpy.ndarray
        The planted affinity beyond size (module docs), zero diagonal.
    truth : dict
        ``{"centres": ..., "regions": ...}`` in the study's words.
    seed, noise_seed : int, int or None
        The world's seed, and the seed of the Poisson draw (None: derived from ``seed``).
    volume : float
        Multiplier of every mean.
    noise : str
        Shape of the pair effects: ``lognormal`` or ``gamma``.
    power, sigma : float
        Variance power and level of the pair effects.
    x2_per_df : float
        Pearson X^2/df of the gravity null measured on ``counts``
        (:func:`~bibnet.simulate.dispersion.degree_only_dispersion`).
    effects : dict
        The planted effect sizes and group counts.
    pair_effects, mean : numpy.ndarray
        The fixed pair effects (mean 1) and the Poisson means the counts were drawn from.
    structural_mean : numpy.ndarray
        The means the planted structure gives without pair effects, at this volume:
        ``affinity`` is these over their gravity expectation.
    positions : numpy.ndarray or None
        Points on the unit sphere (geography only).
    synthetic : bool
        Always True.
    """

    kind: str
    codes: tuple[str, ...]
    counts: np.ndarray
    strengths: np.ndarray
    centres: tuple[str, ...]
    sphere_of: dict
    bloc_of: dict
    affinity: np.ndarray
    truth: dict
    seed: int
    noise_seed: int | None
    volume: float
    noise: str
    power: float
    sigma: float
    x2_per_df: float
    effects: dict
    pair_effects: np.ndarray
    mean: np.ndarray
    structural_mean: np.ndarray
    positions: np.ndarray | None = None
    synthetic: bool = True

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(countries.name(code) for code in self.codes)

    def redraw(self, noise_seed: int) -> SphereWorld:
        """The same world (structure, pair effects, means) with new Poisson counts."""
        counts = _draw_counts(self.mean, self.codes, np.random.default_rng(noise_seed))
        return replace(self, counts=counts, noise_seed=noise_seed,
                       x2_per_df=degree_only_dispersion(counts)[0])

    def year(self, year: int) -> SphereWorld:
        """One year of a series: new counts drawn with :func:`~bibnet.simulate.year_seed`."""
        return self.redraw(int(year_seed(self.seed, year).generate_state(1)[0]))

    def series(self, years: Iterable[int]) -> dict[int, SphereWorld]:
        """A yearly series: the same structure and pair effects, new Poisson noise each year."""
        return {year: self.year(year) for year in years}

    def groups(self) -> dict[str, dict[str, np.ndarray]]:
        """The planted groups' pairs (boolean n x n masks), by figure and group.

        ``a(C,P)``, ``a(C,C)``: the :data:`~bibnet.simulate.planted.TOP` largest countries with
        the others and among themselves (every kind); ``a(c,S)``, ``a(S,S)``: each planted
        centre with its sphere and the sphere within itself; ``a(S,S')``: pairs of members of different spheres;
        ``a(c,c')``: pairs of planted centres; ``a(B,B)``, ``a(B,B')``: within each bloc and
        between blocs; ``a(near)``, ``a(far)`` (geography): the fifth of the pairs nearest
        each other and the half farthest apart.
        """
        top = np.zeros(len(self.codes), dtype=bool)
        top[np.argsort(-self.strengths, kind="stable")[:TOP]] = True
        groups = {"a(C,P)": {"top": _between(top, ~top)}, "a(C,C)": {"top": _between(top, top)}}
        sphere = np.array([self.sphere_of[code] or "" for code in self.codes])
        if (sphere != "").any():
            code = np.array(self.codes)
            groups["a(c,S)"] = {c: _between(code == c, sphere == c) for c in self.centres
                                if (sphere == c).any()}
            groups["a(S,S)"] = {c: _between(sphere == c, sphere == c) for c in groups["a(c,S)"]}
            if len(groups["a(S,S)"]) > 1:
                groups["a(S,S')"] = {"between": _apart(sphere)}
        if len(self.centres) > 1:
            centre = np.isin(self.codes, self.centres)
            groups["a(c,c')"] = {"centres": _between(centre, centre)}
        bloc = np.array([self.bloc_of[code] or "" for code in self.codes])
        if (bloc != "").any():
            names = sorted(set(bloc) - {""}, key=lambda name: int(name.split()[-1]))
            groups["a(B,B)"] = {b: _between(bloc == b, bloc == b) for b in names}
            groups["a(B,B')"] = {"between": _apart(bloc)}
        if self.positions is not None:
            distance = great_circle(self.positions)
            upper = distance[np.triu_indices(len(distance), 1)]
            groups["a(near)"] = {"nearest fifth": distance <= np.quantile(upper, 0.2)}
            groups["a(far)"] = {"farthest half": distance >= np.quantile(upper, 0.5)}
        return groups

    def figures(self, observed: bool = True) -> dict[str, dict[str, float]]:
        """The planted groups' affinities beyond size (:meth:`groups`, :func:`group_affinity`):
        from the drawn counts, or (``observed=False``) from the structural means, i.e. what
        the counts show on average without pair effects."""
        matrix = self.counts if observed else self.structural_mean
        expected = gravity_expected(matrix)
        return {figure: {name: _affinity(matrix, expected, pairs)
                         for name, pairs in groups.items()}
                for figure, groups in self.groups().items()}

    def permuted(self, seed: int) -> SphereWorld:
        """The same world with its countries in another (random) order; counts included."""
        order = np.random.default_rng(seed).permutation(len(self.codes))
        pairs = np.ix_(order, order)
        return replace(self, codes=tuple(np.array(self.codes)[order].tolist()),
                       counts=self.counts[pairs], strengths=self.strengths[order],
                       affinity=self.affinity[pairs], pair_effects=self.pair_effects[pairs],
                       mean=self.mean[pairs], structural_mean=self.structural_mean[pairs],
                       positions=None if self.positions is None else self.positions[order])


def _between(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The pairs with one country in ``rows`` and the other in ``cols`` (both ways)."""
    pairs = rows[:, None] & cols[None, :]
    return pairs | pairs.T


def _apart(groups: np.ndarray) -> np.ndarray:
    """The pairs of two members ('' = none) of different groups."""
    member = groups != ""
    return member[:, None] & member[None, :] & (groups[:, None] != groups[None, :])


def _draw_counts(mean: np.ndarray, codes: tuple[str, ...], rng: np.random.Generator) -> np.ndarray:
    """Symmetric Poisson counts, drawn pair by pair in the order of the codes so that a world
    with its countries in another order draws the same counts."""
    order = np.argsort(codes)
    upper = np.triu_indices(len(codes), 1)
    drawn = np.zeros((len(codes), len(codes)), dtype=np.int64)
    drawn[upper] = rng.poisson(mean[np.ix_(order, order)][upper])
    counts = np.empty_like(drawn)
    counts[np.ix_(order, order)] = drawn + drawn.T
    return counts


def sphere_world(kind: str, *, seed: int, n_countries: int = 220,
                 total_links: float = TOTAL_LINKS, volume: float = 1.0, noise: str = "lognormal",
                 power: float | None = None, sigma: float | None = None,
                 dispersion: float | None = None, include: Iterable[str] = (),
                 size_rank: Mapping[str, int] | None = None,
                 sphere_of: Mapping[str, str] | None = None,
                 noise_seed: int | None = None, **effects) -> SphereWorld:
    """A SYNTHETIC world of one kind: planted affinities beyond size, fixed pair effects and
    Poisson counts at real scale (module docs).

    Parameters
    ----------
    kind : str
        One of :data:`~bibnet.simulate.planted.KINDS`.
    seed : int
        Seeds four separate streams: strengths and roster, pair effects, structure and (unless
        ``noise_seed``) the Poisson draw.
    n_countries : int
        Countries in the world (at least 20); the largest carry :data:`LARGEST_2015`'s codes.
    total_links : float
        Expected pair-links (works summed over pairs) at ``volume=1``.
    volume : float
        Multiplies every mean: the same world (pair effects included) with more or fewer links.
    noise : {"lognormal", "gamma"}
        Shape of the fixed pair effects (mean 1).
    power : float, optional
        Variance power of lognormal pair effects (1..2; default
        :data:`~bibnet.simulate.pair_effects.POWER`, 1.3); gamma pair effects have power 2.
    sigma : float, optional
        Level of the pair effects: log-sd of a pair of average size (lognormal) or sd of every
        pair effect (gamma). Default: :data:`~bibnet.simulate.dispersion.DEFAULT_LEVELS`, the
        real 2015 X^2/df.
    dispersion : float, optional
        Instead of ``sigma``: the X^2/df of the gravity null that null worlds of this size have
        at volume 1 (:func:`~bibnet.simulate.dispersion.level_for_dispersion`), e.g. 15 to 134
        as the real 1995-2023 series.
    include : iterable of str
        Countries that must be in the world (e.g. the focal ones).
    size_rank : mapping of str to int, optional
        Countries put at a strength rank (1 = the largest), e.g. ``{"KR": 3}``: the code
        changes places with the one at that rank, so the sizes and the structure stay as drawn.
        The planted centres are the largest countries, so a rank among them makes a centre.
    sphere_of : mapping of str to str, optional
        Countries put in a planted centre's sphere (kinds with spheres), e.g. ``{"KR": "US"}``:
        the code changes places with the member of that sphere nearest it in strength rank
        (after ``size_rank``).
    noise_seed : int, optional
        A separate seed for the Poisson draw: the same world with new counts.
    **effects
        The kind's effect sizes and group counts (defaults
        :data:`~bibnet.simulate.planted.EFFECTS`): ``hub_tie``, ``cross``, ``within``,
        ``reach``, ``n_centres``, ``n_blocs``, ``centre_class``, ``orientation``.

    Returns
    -------
    SphereWorld

    Examples
    --------
    >>> w = sphere_world("hubs", seed=1, n_countries=60, total_links=50_000, n_centres=3)
    >>> w.codes[:5], w.centres, w.truth["centres"]
    (('US', 'GB', 'DE', 'FR', 'CN'), ('US', 'GB', 'DE'), 'several centres')
    >>> sorted(set(w.sphere_of.values()) - {None}), w.sphere_of["US"]
    (['DE', 'GB', 'US'], None)
    >>> bool((w.counts == w.counts.T).all()), int(w.counts.trace()), w.counts.dtype
    (True, 0, dtype('int64'))
    >>> big = sphere_world("hubs", seed=1, n_countries=60, total_links=50_000, n_centres=3,
    ...                    volume=10)
    >>> bool((big.pair_effects == w.pair_effects).all()), bool((big.affinity == w.affinity).all())
    (True, True)
    """
    if kind not in KINDS:
        raise ValueError(f"unknown sphere-world kind {kind!r}; use one of {', '.join(KINDS)}")
    if not (volume > 0 and total_links > 0 and n_countries >= 20):
        raise ValueError(f"volume ({volume}) and total_links ({total_links}) must be positive "
                         f"and n_countries ({n_countries}) at least 20")
    effects = checked_effects(kind, effects, n_countries)
    power = noise_power(noise, power)
    sigma = noise_level(noise, power, sigma, dispersion, n_countries, total_links)
    world_rng, pair_rng, structure_rng = (np.random.default_rng([seed, stream])
                                          for stream in (0, 1, 3))
    target = _target_strengths(n_countries, REAL_2015.top_share, world_rng)
    target *= 2 * total_links / target.sum()
    size_rank, sphere_of = dict(size_rank or {}), dict(sphere_of or {})
    codes = _big_first(n_countries, world_rng, [*include, *size_rank, *sphere_of])
    structure = BUILDERS[kind](n_countries, structure_rng, effects)
    both = sorted(set(size_rank) & set(sphere_of))
    if both:
        raise ValueError(f"{', '.join(both)} given both a size_rank and a sphere_of; a sphere "
                         f"is reached by changing places with a member, so give one of them")
    codes = _in_spheres(_at_ranks(codes, size_rank), structure, sphere_of, kind,
                        fixed=set(size_rank))

    eps = draw_pair_effects(target, sigma, pair_rng, noise=noise, power=power,
                            structure=structure.alpha)
    rate = structure.alpha * eps
    theta = _solve_theta(target, rate)
    mean = volume * np.outer(theta, theta) * rate
    np.fill_diagonal(mean, 0.0)
    structured = _structural_mean(target, structure.alpha)
    counts = _draw_counts(mean, codes, np.random.default_rng(
        [seed, 2] if noise_seed is None else noise_seed))
    return SphereWorld(
        kind=kind, codes=codes, counts=counts, strengths=volume * target,
        centres=tuple(codes[c] for c in structure.centres),
        sphere_of=_named(codes, structure.sphere, lambda c: codes[c]),
        bloc_of=_named(codes, structure.bloc, lambda b: f"bloc {b + 1}"),
        affinity=beyond_size(structured),
        truth=dict(zip(("centres", "regions"), TRUTH[kind])), seed=seed, noise_seed=noise_seed,
        volume=float(volume), noise=noise, power=float(power), sigma=float(sigma),
        x2_per_df=degree_only_dispersion(counts)[0], effects=effects, pair_effects=eps,
        mean=mean, structural_mean=volume * structured, positions=structure.positions)


def _structural_mean(target: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """The means the planted affinities alone give each pair (no pair effects) at volume 1,
    with every country's expected strength on target: what the counts show beyond size on
    average."""
    theta = _solve_theta(target, alpha)
    structured = np.outer(theta, theta) * alpha
    np.fill_diagonal(structured, 0.0)
    return structured


def beyond_size(counts: np.ndarray) -> np.ndarray:
    """Observed over gravity-expected for every pair (:func:`gravity_expected`), zero diagonal
    and zero for countries without links.

    Examples
    --------
    >>> A = np.array([[0, 9, 1, 1], [9, 0, 1, 1], [1, 1, 0, 9], [1, 1, 9, 0]])
    >>> beyond_size(A)[0].round(2).tolist()
    [0.0, 2.45, 0.27, 0.27]
    """
    expected = gravity_expected(counts)
    return np.divide(counts, expected, out=np.zeros(expected.shape), where=expected > 0)


def group_affinity(counts: np.ndarray, pairs: np.ndarray) -> float:
    """Affinity beyond size of a set of pairs: ``a = sum A_ij / sum E_ij`` over the pairs
    (``pairs``: a boolean n x n mask; the diagonal never counts), ``E`` the gravity expectation.

    Examples
    --------
    >>> A = np.array([[0, 9, 1, 1], [9, 0, 1, 1], [1, 1, 0, 9], [1, 1, 9, 0]])
    >>> bloc = np.array([0, 0, 1, 1])
    >>> round(group_affinity(A, bloc[:, None] == bloc[None, :]), 2)
    2.45
    """
    return _affinity(counts, gravity_expected(counts), pairs)


def _affinity(counts: np.ndarray, expected: np.ndarray, pairs: np.ndarray) -> float:
    pairs = np.asarray(pairs, dtype=bool) & ~np.eye(len(expected), dtype=bool)
    return float(np.asarray(counts)[pairs].sum() / expected[pairs].sum())


def _named(codes: tuple[str, ...], groups: np.ndarray | None,
           name: Callable[[int], str]) -> dict:
    if groups is None:
        return {code: None for code in codes}
    return {code: None if g < 0 else name(g) for code, g in zip(codes, groups)}


def _big_first(n: int, rng: np.random.Generator, include: Iterable[str]) -> tuple[str, ...]:
    """``n`` real codes: the largest real countries first (:data:`LARGEST_2015`), in their
    order, then ``include`` and random others."""
    largest = LARGEST_2015[:n]
    roster = _roster(n, rng, [*largest, *include])
    return (*largest, *(code for code in roster if code not in largest))


def _at_ranks(codes: tuple[str, ...], size_rank: Mapping[str, int]) -> tuple[str, ...]:
    """``codes`` with each ranked code swapped onto its strength rank (1 = the largest)."""
    codes = list(codes)
    for code, rank in size_rank.items():
        if not (int(rank) == rank and 1 <= rank <= len(codes)):
            raise ValueError(f"size_rank of {code} must be a whole number from 1 (the largest) "
                             f"to {len(codes)}, got {rank}")
        if codes[rank - 1] in size_rank:
            raise ValueError(f"size_rank puts {code} and {codes[rank - 1]} both at rank {rank}; "
                             f"give each country a rank of its own")
        i, j = codes.index(code), rank - 1
        codes[i], codes[j] = codes[j], codes[i]
    return tuple(codes)


def _in_spheres(codes: tuple[str, ...], structure: Structure, sphere_of: Mapping[str, str],
                kind: str, fixed: set[str]) -> tuple[str, ...]:
    """``codes`` with each placed code swapped with the member of its centre's sphere nearest
    it in strength rank (placed codes and the ``fixed`` ones stay put)."""
    if not sphere_of:
        return codes
    if structure.sphere is None:
        raise ValueError(f"{kind} worlds have no spheres to put {', '.join(sphere_of)} in; "
                         f"sphere_of needs one_hub, hubs or community_spheres")
    codes = list(codes)
    centres = [codes[c] for c in structure.centres]
    for code, centre in sphere_of.items():
        if centre not in centres:
            raise ValueError(f"sphere_of puts {code} in the sphere of {centre}, which is no "
                             f"planted centre of this {kind} world; its centres are "
                             f"{', '.join(centres)}")
        i = codes.index(code)
        if i in structure.centres:
            raise ValueError(f"{code} is a planted centre (size rank {i + 1}) and has no "
                             f"sphere; take it out of sphere_of or give it a lower size_rank")
        target = structure.centres[centres.index(centre)]
        if structure.sphere[i] == target:
            continue
        spots = [j for j in np.flatnonzero(structure.sphere == target)
                 if codes[j] not in sphere_of and codes[j] not in fixed]
        if not spots:
            raise ValueError(f"no free member of {centre}'s sphere to swap {code} with")
        j = min(spots, key=lambda j: (abs(j - i), j))
        codes[i], codes[j] = codes[j], codes[i]
    return tuple(codes)
