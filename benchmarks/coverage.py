"""Coverage of the study's intervals on planted sphere worlds.

For each world, the 95 % BCa interval from resampling countries is compared with the planted
value of the same statistic: the same weights (and, for the hub ratio, the same soft spheres;
for regions, the same blocs and test pairs) applied to the world's structural means, its counts
without pair effects or Poisson noise (``SphereWorld.structural_mean``). Prints, per statistic,
how many intervals hold the planted value.

Usage: ``python benchmarks/coverage.py [--worlds N]``.
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from bibnet.graphs.gravity import gravity_expected
from bibnet.simulate.spheres import KINDS, sphere_world
from bibnet.hypotheses.centres import Spheres
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.regions import Regions, held_out_ratio

LEVEL = 0.8  # benchmarks/calibrate.py's RESIDUAL_LEVEL


def _structural(world, network):
    order = [world.codes.index(code) for code in network.codes]
    mean = world.structural_mean[np.ix_(order, order)]
    return mean, gravity_expected(mean)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=56)
    args = parser.parse_args()
    held = Counter()
    total = Counter()
    for index in range(args.worlds):
        kind = KINDS[index % len(KINDS)]
        world = sphere_world(kind, seed=2000 + index, sigma=LEVEL)
        network = Network.from_counts(world.counts, list(world.codes))
        mean, expected = _structural(world, network)
        fit = Spheres(random_state=index).fit(network)
        weights = fit.noise_.weights(network.expected)
        centres = [network.index(c) for c in fit.centres_]
        others = np.setdiff1d(np.arange(len(network.codes)), centres)
        block = np.ix_(others, centres)
        planted = ((weights[block] * np.divide(mean[block], expected[block])).sum()
                   / weights[block].sum())
        total["a(C,P)"] += 1
        held["a(C,P)"] += fit.whole_["low"] <= planted <= fit.whole_["high"]
        regions = Regions(random_state=index).fit(network, exclude=centres, noise=fit.noise_)
        keep = others
        w = fit.noise_.weights(network.expected[np.ix_(keep, keep)])
        s_mean, s_exp = mean[np.ix_(keep, keep)], expected[np.ix_(keep, keep)]
        upper = np.triu(np.ones(w.shape, bool), 1)
        ratios = []
        rng = np.random.default_rng([2000 + index])
        del rng
        for labels in regions.blocs_:
            ratios.append(held_out_ratio(w * s_mean / np.where(s_exp > 0, s_exp, 1), w,
                                         (upper | upper.T), labels))
        planted_rho = float(np.median(ratios))
        total["rho"] += 1
        held["rho"] += regions.low_ <= planted_rho <= regions.high_
        print(kind, index, f"a(C,P) {fit.whole_['low']:.3f}-{fit.whole_['high']:.3f} "
              f"planted {planted:.3f}; rho {regions.low_:.3f}-{regions.high_:.3f} planted "
              f"{planted_rho:.3f}", flush=True)
    for name in total:
        print(f"{name}: {held[name]} of {total[name]} intervals hold the planted value")


if __name__ == "__main__":
    main()
