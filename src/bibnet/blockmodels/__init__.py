"""Likelihood block models of the country collaboration network, read beyond size.

Families (each with and without Karrer–Newman degree correction), as estimators with
``fit(A) -> self``: :class:`CorePeriphery`, :class:`Layered` (B tiers), :class:`MultiCorePairs`,
:class:`MultiCoreShared`, :class:`Regional` and the unconstrained reference :class:`SBM`. Model
definitions and the log-likelihood are documented in :mod:`bibnet.blockmodels.estimators`; the
overdispersion in :mod:`bibnet.blockmodels.dispersion`; the effect sizes of each reading (one
centre, several centres, regional communities) and the centre check in
:mod:`bibnet.blockmodels.readings`; the reference scan, bootstrap, jackknife and tier
probabilities in :mod:`bibnet.blockmodels.uncertainty`.
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
from bibnet.blockmodels.readings import StructureBeyondSize, centre_check, centre_dependence
from bibnet.blockmodels.uncertainty import reference_scan, resample

__all__ = ["SBM", "BlockModel", "CorePeriphery", "Layered", "MultiCorePairs",
           "MultiCoreShared", "Regional", "StructureBeyondSize", "centre_check",
           "centre_dependence", "check_counts", "reference_scan", "resample"]
