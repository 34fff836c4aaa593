r"""The periphery x centre table's statistics, for :class:`bibnet.hypotheses.centres.Spheres`
(``docs/method.md`` section 3 states them with their references).

Preferences
    :func:`independence` the table's cells were rows and columns independent,
    :func:`preference_of` each country's preference for each centre against them,
    :func:`heterogeneity` how unevenly the countries prefer a centre, :func:`shrink` their
    empirical-Bayes posterior means and :func:`preference_weights` the soft weights they give.
Spheres
    :func:`leave_centre_out` the tie's cross-fitted weights and :func:`sphere_statistics` a
    sphere's tie, within and hub ratio under any weights and country multiplicities.
p-values
    :func:`upper_tail` and :func:`upper_tail_where_defined` (Monte Carlo),
    :func:`fisher_combined` and :func:`benjamini_hochberg`.

The table's functions but :func:`leave_centre_out` (read once, on the data) take the countries
on the second last axis, so that a stack of null tables or of resamples is read in one call.
"""

from __future__ import annotations

import numpy as np
from scipy import stats


def fisher_combined(*p_values: np.ndarray) -> np.ndarray:
    """Fisher's combination of independent p-values (elementwise).

    >>> round(float(fisher_combined(np.array(0.05), np.array(0.05))), 4)
    0.0175
    """
    statistic = -2 * sum(np.log(p) for p in p_values)
    return stats.chi2.sf(statistic, 2 * len(p_values))


def benjamini_hochberg(p_values: np.ndarray, rate: float) -> np.ndarray:
    """Which hypotheses the Benjamini–Hochberg rule rejects at false discovery rate ``rate``.

    >>> benjamini_hochberg(np.array([0.001, 0.02, 0.04, 0.5]), 0.05).tolist()
    [True, True, False, False]
    """
    p_values = np.asarray(p_values, dtype=float)
    if not len(p_values):
        return np.zeros(0, dtype=bool)
    order = np.argsort(p_values, kind="stable")
    passing = p_values[order] <= rate * np.arange(1, len(p_values) + 1) / len(p_values)
    rejected = np.zeros(len(p_values), dtype=bool)
    if passing.any():
        rejected[order[: np.flatnonzero(passing).max() + 1]] = True
    return rejected


def upper_tail(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Monte Carlo p-values :math:`(1 + \\#\\{null \\ge obs\\})/(R + 1)` along axis 0 (NaN
    null values never count as exceeding; a NaN observation has p = 1)."""
    exceed = np.nan_to_num(null, nan=-np.inf) >= observed
    p_values = (1 + exceed.sum(axis=0)) / (len(null) + 1)
    # An observed statistic that does not exist (an empty sphere) is no evidence.
    return np.where(np.isnan(observed), 1.0, p_values)


def upper_tail_where_defined(null: np.ndarray, observed: np.ndarray) -> np.ndarray:
    """Monte Carlo p-values along axis 0 among the null values that exist,
    :math:`(1 + \\#\\{null \\ge obs\\})/(1 + \\#\\{null\\ defined\\})`: a statistic that exists
    only where a sphere is found is compared with the null tables that found one (1 where the
    observation does not exist).

    >>> upper_tail_where_defined(np.array([[1.0], [np.nan], [3.0]]), np.array([2.0])).tolist()
    [0.6666666666666666]
    """
    exceed = (np.nan_to_num(null, nan=-np.inf) >= observed).sum(axis=0)
    defined = np.isfinite(null).sum(axis=0)
    return np.where(np.isnan(observed), 1.0, (1 + exceed) / (1 + defined))


def independence(table: np.ndarray) -> np.ndarray:
    """Expected cells of a table (last two axes) whose rows and columns are independent."""
    rows, columns = table.sum(axis=-1), table.sum(axis=-2)
    return rows[..., :, None] * columns[..., None, :] / table.sum(axis=(-2, -1))[..., None, None]


def preference_of(table: np.ndarray, independent: np.ndarray) -> np.ndarray:
    return np.log(table + 0.5) - np.log(independent + 0.5)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean over countries (axis -2), keeping the axis."""
    return (values * weights).sum(axis=-2, keepdims=True) / weights.sum(axis=-2, keepdims=True)


def heterogeneity(preference: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """How unevenly the countries prefer each centre: :math:`Q_c = \\sum_i w_{ic}
    (\\ell_{ic} - \\bar\\ell_c)^2`, each preference's squared departure from the centre's
    weighted mean in units of its noise variance (last axis: the centres)."""
    return (weights * (preference - weighted_mean(preference, weights)) ** 2).sum(axis=-2)


def shrink(values: np.ndarray, variances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical-Bayes posterior means of the true values behind ``values`` (countries x
    centres, or a stack of such tables: countries on the second last axis), each observed with
    noise variance ``variances``.

    For each centre, the true values are taken as drawn around their weighted mean
    :math:`m_c` with variance :math:`\\tau_c^2`, estimated by moments (the weighted spread
    of the observed values less their mean noise variance, at least 0), and each observed
    value is pulled toward :math:`m_c` by :math:`1 - B_{ic}`, :math:`B_{ic} = \\tau_c^2/
    (\\tau_c^2 + v_{ic})` (James & Stein 1961; Efron & Morris 1973). Posterior means do not
    inherit the bias of a selection made on the observed values (Efron 2011), so the
    preference of the countries that chose a centre is read without the lift their choosing
    gave it. Returns the posterior means and the centres' means :math:`m_c`.

    >>> x = np.array([[0.0, 0.0], [0.2, -0.2], [-0.2, 0.2]])
    >>> shrink(x, np.full((3, 2), 0.25))[0].round(3).tolist()  # spread < noise: all pulled in
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]
    >>> shrink(x, np.full((3, 2), 1e-4))[0].round(2).tolist()  # precise: barely pulled
    [[0.0, 0.0], [0.2, -0.2], [-0.2, 0.2]]
    """
    weights = np.broadcast_to(1.0 / variances, np.shape(values))
    mean = weighted_mean(values, weights)
    spread = (weights * (values - mean) ** 2).sum(axis=-2, keepdims=True) / weights.sum(
        axis=-2, keepdims=True)
    noise = values.shape[-2] / weights.sum(axis=-2, keepdims=True)
    signal = np.maximum(spread - noise, 0.0)
    return mean + signal / (signal + variances) * (values - mean), mean[..., 0, :]


def preference_weights(preference: np.ndarray, variances: np.ndarray) -> np.ndarray:
    """Each country's soft weight in each sphere, :math:`s_{ic} = \\max(\\hat\\ell_{ic} -
    \\bar\\ell_c, 0)`: how much more than the average country it prefers the centre (log scale),
    as the empirical-Bayes posterior means of its preferences say (:func:`shrink`; countries
    on the second last axis, so a stack of null tables gets its weights in one call).

    >>> preference_weights(np.array([[0.4, -0.4], [-0.4, 0.4]]), np.full((2, 2), 1e-4)).round(2)
    array([[0.4, 0. ],
           [0. , 0.4]])
    """
    shrunk, means = shrink(preference, variances)
    return np.maximum(shrunk - means[..., None, :], 0.0)


def leave_centre_out(tie_weighted: np.ndarray, tie_weights: np.ndarray,
                     periphery_weighted: np.ndarray, periphery_weights: np.ndarray
                     ) -> np.ndarray:
    """Each country's weight in each centre's sphere from the pairs other than its pair with
    that centre (countries x centres): :math:`t_{ic} = \\max(\\bar d_c - d_{ic}, 0)` with
    :math:`d_{ic} = \\log(\\bar a_{i,C\\setminus c}/\\bar a_{i,P})`, its weighted affinity with the
    other centres over its weighted affinity with the non-centres, and :math:`\\bar d_c` that
    column's mean (:mod:`bibnet.hypotheses.centres`).

    ``tie_weighted``, ``tie_weights`` (countries x centres) and ``periphery_weighted``,
    ``periphery_weights`` (countries x non-centres) are the pairs' weighted affinities
    :math:`w_{ij}a_{ij}` and weights :math:`w_{ij}`.

    >>> w = np.ones((4, 3))
    >>> a = np.array([[2.0, 1, 1], [1, 2, 1], [1, 1, 2], [2, 1, 1]])  # rows 0, 3 lean to 0
    >>> leave_centre_out(a, w, np.ones((4, 5)), np.ones((4, 5))).round(2)[:, 0].tolist()
    [0.2, 0.0, 0.0, 0.2]
    """
    periphery = periphery_weighted.sum(axis=1) / periphery_weights.sum(axis=1)
    others_weighted = tie_weighted.sum(axis=1, keepdims=True) - tie_weighted
    others_weights = tie_weights.sum(axis=1, keepdims=True) - tie_weights
    with np.errstate(divide="ignore", invalid="ignore"):
        lean_away = np.log(others_weighted / others_weights / periphery[:, None])
    # a country with no weight on the other centres or the non-centres has no lean: weight 0
    known = np.isfinite(lean_away)
    lean_away = np.where(known, lean_away, 0.0)
    mean = lean_away.sum(axis=0) / np.maximum(known.sum(axis=0), 1)
    return np.where(known, np.maximum(mean - lean_away, 0.0), 0.0)


def sphere_statistics(soft: np.ndarray, tie_soft: np.ndarray, tie_weighted: np.ndarray,
                      tie_weights: np.ndarray, weighted: np.ndarray, weights: np.ndarray,
                      multiplicity: np.ndarray) -> np.ndarray:
    """Each sphere's ``tie`` (its weighted affinity with its centre), ``within`` (among its
    countries) and their ratio, concatenated: ``3 * K`` values.

    ``soft`` (countries x spheres) weighs the countries into the spheres for ``within`` (the
    preference weights), ``tie_soft`` for ``tie`` (the leave-centre-out weights,
    :func:`leave_centre_out`); ``tie_weighted`` and ``tie_weights`` (countries x centres) are
    each country's inverse-variance weighted affinity with each centre and its weight;
    ``weighted`` and ``weights`` the same among the countries; ``multiplicity`` how often each
    country is drawn (ones for the data, a bootstrap's counts for a replicate), shape
    (countries,) or (replicates, countries) for a row of values each. The weights and the
    tie's affinities may instead carry the leading axis (one table of weights per null table,
    with ``multiplicity`` ones).
    """
    spread = multiplicity[..., :, None] * soft
    leaning = multiplicity[..., :, None] * tie_soft
    with np.errstate(divide="ignore", invalid="ignore"):
        tie = (leaning * tie_weighted).sum(axis=-2) / (leaning * tie_weights).sum(axis=-2)
        within = ((spread * (weighted @ spread)).sum(axis=-2)
                  / (spread * (weights @ spread)).sum(axis=-2))
    return np.concatenate([tie, within, tie / within], axis=-1)
