"""Likelihood block models of the country collaboration network.

Families (each with and without Karrer–Newman degree correction), as estimators with
``fit(A) -> self``: :class:`CorePeriphery`, :class:`Layered`, :class:`MultiCorePairs`,
:class:`MultiCoreShared` and the unconstrained reference :class:`SBM`. Model definitions, the
log-likelihood and the selection criterion are documented in
:mod:`bibnet.blockmodels.estimators`; choosing among them, the one-versus-several-centres
test and the tier probabilities in :mod:`bibnet.blockmodels.selection`.
"""

from bibnet.blockmodels.estimators import (
    SBM,
    BlockModel,
    CorePeriphery,
    Layered,
    MultiCorePairs,
    MultiCoreShared,
    check_counts,
)
from bibnet.blockmodels.selection import (
    Selection,
    one_vs_several_centres_test,
    select,
    tier_probabilities,
)

__all__ = ["SBM", "BlockModel", "CorePeriphery", "Layered", "MultiCorePairs",
           "MultiCoreShared", "Selection", "check_counts", "one_vs_several_centres_test",
           "select", "tier_probabilities"]
