"""Coverage of the study's intervals on planted sphere worlds.

For each world, the 95 % BCa interval from resampling countries is compared with the planted
value of the same statistic: the same weights (and, for the hub ratio, the same sphere weights;
for regions, the same blocs and test pairs) applied to the world's structural means, its counts
without pair effects or Poisson noise (``SphereWorld.structural_mean``). Prints, per statistic,
how many intervals hold the planted value.

Usage: ``python benchmarks/coverage.py [--worlds N]``.
"""

from __future__ import annotations

import argparse
from collections import Counter

import numpy as np

from bibnet.graphs.gravity import gravity_expected, quasi_gravity_expected
from bibnet.simulate.spheres import KINDS, sphere_world
from bibnet.hypotheses.centres import Spheres
from bibnet.hypotheses.preferences import sphere_statistics
from bibnet.hypotheses.network import Network
from bibnet.hypotheses.regions import Regions, held_out_ratio

LEVEL = 0.8  # benchmarks/calibrate.py's RESIDUAL_LEVEL


def _structural(world, network):
    """The world's structural means in the network's order."""
    order = [world.codes.index(code) for code in network.codes]
    return world.structural_mean[np.ix_(order, order)]


def _beyond_size(mean, plain, fit):
    """Affinities of structural means beyond size against the same kind of null the fit reads
    the counts against: the gravity null fitted by quasi-likelihood with the fit's variance
    function, from the plain gravity null ``plain``."""
    expected = quasi_gravity_expected(mean, fit.noise_.variance, start=plain)
    return np.divide(mean, expected, out=np.zeros_like(mean), where=expected > 0)


def _hub_ratios(fit, centres, affinity):
    """The planted hub ratio of each sphere: the fit's statistics (its sphere weights, its
    pair weights) on the structural affinities."""
    weights = fit.noise_.weights(fit.expected_)
    eligible = fit.eligible_
    among, block = np.ix_(eligible, eligible), np.ix_(eligible, centres)
    values = sphere_statistics(fit.soft_, fit.tie_soft_, weights[block] * affinity[block],
                               weights[block],
                               weights[among] * affinity[among], weights[among],
                               np.ones(len(eligible)))
    return values.reshape(3, len(centres))[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=56)
    args = parser.parse_args()
    held, total = Counter(), Counter()
    for index in range(args.worlds):
        kind = KINDS[index % len(KINDS)]
        world = sphere_world(kind, seed=2000 + index, sigma=LEVEL)
        network = Network.from_counts(world.counts, list(world.codes))
        fit = Spheres(random_state=index).fit(network)
        mean = _structural(world, network)
        plain = gravity_expected(mean)
        affinity = _beyond_size(mean, plain, fit)
        centres = [network.index(c) for c in fit.centres_]
        others = np.setdiff1d(np.arange(len(network.codes)), centres)
        block = np.ix_(others, centres)
        # the centres' ties with the periphery are ratios of sums against the
        # strength-preserving null (Spheres._whole)
        works, expected = mean[block], plain[block]
        planted = works.sum() / expected.sum()
        total["a(C,P)"] += 1
        held["a(C,P)"] += fit.whole_["low"] <= planted <= fit.whole_["high"]
        for centre, value in zip(fit.centres_, works.sum(axis=0) / expected.sum(axis=0)):
            total["a(c,P)"] += 1
            held["a(c,P)"] += (fit.table_.at[centre, "periphery_low"] <= value
                               <= fit.table_.at[centre, "periphery_high"])
        hubs = []
        for (centre, row), value in zip(fit.table_.iterrows(), _hub_ratios(fit, centres, affinity)):
            if np.isfinite(row["hub_low"]) and np.isfinite(value):
                total["hub ratio"] += 1
                held["hub ratio"] += row["hub_low"] <= value <= row["hub_high"]
                hubs.append(f"{centre} {row['hub_low']:.2f}-{row['hub_high']:.2f} "
                            f"planted {value:.2f}")
        regions = Regions(random_state=index).fit(network, exclude=centres,
                                                 noise=(fit.expected_, fit.noise_))
        w = fit.noise_.weights(fit.expected_[np.ix_(others, others)])
        planted_affinity = affinity[np.ix_(others, others)]
        pairs = ~np.eye(len(others), dtype=bool)
        planted_rho = float(np.median([held_out_ratio(w * planted_affinity, w, pairs, labels)
                                       for labels in regions.blocs_]))
        total["rho"] += 1
        held["rho"] += regions.low_ <= planted_rho <= regions.high_
        print(kind, index, f"a(C,P) {fit.whole_['low']:.3f}-{fit.whole_['high']:.3f} "
              f"planted {planted:.3f}; rho {regions.low_:.3f}-{regions.high_:.3f} planted "
              f"{planted_rho:.3f}; hub ratios: {'; '.join(hubs)}", flush=True)
    for name in total:
        print(f"{name}: {held[name]} of {total[name]} intervals hold the planted value "
              f"({held[name] / total[name]:.0%})")


if __name__ == "__main__":
    main()
