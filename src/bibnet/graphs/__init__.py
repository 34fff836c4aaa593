"""Country collaboration graphs per year: build, normalise, describe, export.

One topic per module:

``build``
    :class:`YearGraph`, the canonical graph of one year, and the country selection.
``normalise``
    Normalised weights, each a pure function of the count matrix.
``stats``
    Descriptive statistics, core numbers and the weighted rich club.
``export``
    GraphML, GEXF, Pajek and VOSviewer JSON files.
``files``
    The stage's file interface: :func:`read_year_graph` (for other stages),
    :func:`write_statistics` and :func:`write_year_exports` (for the rules).
``layers``
    The research-field layers' exports and the multi-relational Pajek network of a year.
"""

from bibnet.graphs.build import Selection, YearGraph, build_year_graph
from bibnet.graphs.export import vosviewer_map, write_exports
from bibnet.graphs.files import read_year_graph, write_statistics, write_year_exports
from bibnet.graphs.normalise import (
    NORMALISATIONS,
    affinity,
    association_strength,
    cosine,
    inclusion,
    jaccard,
)
from bibnet.graphs.stats import graph_statistics, randomise_keeping_strengths

__all__ = [
    "NORMALISATIONS", "Selection", "YearGraph", "affinity", "association_strength",
    "build_year_graph", "cosine", "graph_statistics", "inclusion", "jaccard",
    "randomise_keeping_strengths", "read_year_graph", "vosviewer_map", "write_exports",
    "write_statistics", "write_year_exports",
]
