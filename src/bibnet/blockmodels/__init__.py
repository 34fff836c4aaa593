"""Likelihood block models of the country collaboration network: the study's descriptive layer.

Families (each with and without Karrer–Newman degree correction), as estimators with
``fit(A) -> self``: :class:`CorePeriphery`, :class:`Layered` (B tiers), :class:`MultiCorePairs`,
:class:`MultiCoreShared`, :class:`Regional` and the unconstrained :class:`SBM`. Model
definitions and the log-likelihood are in :mod:`bibnet.blockmodels.estimators` (the search's
starts in :mod:`bibnet.blockmodels.starts`), the overdispersion in
:mod:`bibnet.blockmodels.dispersion`. The stage (:mod:`bibnet.blockmodels.files`) fits each
year's classes of collaboration volume and its degree-corrected blocs, named by their
affinities beyond size; the study's answers are :mod:`bibnet.hypotheses`'.
"""

from bibnet.blockmodels.estimators import (
    SBM,
    BlockModel,
    CorePeriphery,
    Layered,
    MultiCorePairs,
    MultiCoreShared,
    Regional,
    check_counts,
)

__all__ = ["SBM", "BlockModel", "CorePeriphery", "Layered", "MultiCorePairs",
           "MultiCoreShared", "Regional", "check_counts"]
