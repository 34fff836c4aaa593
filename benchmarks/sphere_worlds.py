"""Measured table of the sphere worlds (``bibnet.simulate.spheres``) the module docstring quotes.

For each kind: a ``planted`` row (the affinities beyond size of the planted groups in the
structural means, no pair effects), then for each noise shape and volume the Pearson X^2/df of
the gravity null and the same affinities recomputed from the drawn counts (observed over
gravity-expected without self-pairs), each the mean over the world seeds (X^2/df also its range).
A figure is the mean over a kind's groups (its spheres or blocs); the columns are a(c,S),
a(S,S), a(S,S'), a(c,c'), a(C,P), a(C,C), a(B,B), a(B,B'), a(near) and a(far) (``-``: the kind
has no such group).

Run from the repository root::

    python benchmarks/sphere_worlds.py [--seeds 3] [--kinds hubs regional] [--volumes 0.1 1 10]
"""

from __future__ import annotations

import argparse

import numpy as np

from bibnet.simulate import spheres

NOISES = (("lognormal", 1.3), ("lognormal", 2.0), ("gamma", 2.0))
SHORT = {("lognormal", 1.3): "ln1.3", ("lognormal", 2.0): "ln2", ("gamma", 2.0): "gamma"}
#: Short column headings of the figures (``SphereWorld.groups``).
COLUMNS = {"a(c,S)": "cS", "a(S,S)": "SS", "a(S,S')": "SS'", "a(c,c')": "cc'", "a(C,P)": "CP",
           "a(C,C)": "CC", "a(B,B)": "BB", "a(B,B')": "BB'", "a(near)": "near", "a(far)": "far"}


def cells(worlds: list[spheres.SphereWorld], observed: bool) -> list[str]:
    """The affinity cells of one row: each figure's mean over groups, then over worlds."""
    figures = [world.figures(observed) for world in worlds]
    return [f"{np.mean([np.mean(list(f[name].values())) for f in figures]):.2f}"
            if name in figures[0] else "-" for name in COLUMNS]


def show(label: str, dispersion: str, row: list[str]) -> None:
    print(f"{label:<11} {dispersion:>16} " + " ".join(f"{cell:>5}" for cell in row), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--kinds", nargs="*", default=list(spheres.KINDS))
    parser.add_argument("--volumes", type=float, nargs="*", default=[0.1, 1.0, 10.0])
    args = parser.parse_args()
    show("world", "X2/df", list(COLUMNS.values()))
    for kind in args.kinds:
        print(kind)
        planted = [spheres.sphere_world(kind, seed=seed, sigma=0.0) for seed in range(args.seeds)]
        show("planted", "-", cells(planted, observed=False))
        for noise, power in NOISES:
            for volume in args.volumes:
                worlds = [spheres.sphere_world(kind, seed=seed, noise=noise, power=power,
                                               volume=volume) for seed in range(args.seeds)]
                x2 = np.array([world.x2_per_df for world in worlds])
                show(f"{SHORT[noise, power]} x{volume:g}",
                     f"{x2.mean():.1f} ({x2.min():.0f}-{x2.max():.0f})", cells(worlds, True))


if __name__ == "__main__":
    main()
