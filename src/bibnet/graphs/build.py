"""One country collaboration graph per year, built from the tidy counts tables.

The canonical form is :class:`YearGraph`: countries sorted by code, and a dense symmetric matrix
of works per pair with a zero diagonal. Everything downstream (normalisations, statistics,
exports, the blockmodels) takes this one object, so the country selection is applied once, here.

Selection, in this order:

1. ``countries``: ``"all"`` or a list of codes; other countries and their pairs are dropped.
2. ``min_works``: countries with fewer international works are dropped, with their pairs.
3. ``min_edge``: pairs with fewer works are dropped; their countries stay (as isolates if need be).

Examples
--------
>>> import pandas as pd
>>> counts = pd.DataFrame({"year": 2005, "country_a": ["GB", "GB", "KR"],
...                        "country_b": ["KR", "US", "US"], "works": [5, 30, 1]})
>>> totals = pd.DataFrame({"year": 2005, "country": ["GB", "KR", "NA", "US"],
...                        "intl_works": [50, 20, 0, 70]})
>>> graph = build_year_graph(counts, totals, min_edge=2)
>>> graph.codes
('GB', 'KR', 'US')
>>> graph.counts.tolist()
[[0.0, 5.0, 30.0], [5.0, 0.0, 0.0], [30.0, 0.0, 0.0]]
>>> graph.selection.dropped_countries, graph.selection.dropped_pairs
(('NA',), (('KR', 'US'),))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from bibnet import countries as country_info
from bibnet.outputs import COUNTING_KEY, LAYER_KEY
from bibnet.taxonomy import ALL


@dataclass(frozen=True)
class Selection:
    """What the country selection kept and removed from one year's tables.

    Attributes
    ----------
    countries : "all" or tuple of str
        The configured country list.
    min_works : int
        The configured threshold on a country's international works.
    min_edge : int or float
        The configured threshold on a pair's works, in the counting scheme's units.
    dropped_countries : tuple of str
        Countries in the totals table that are not in the graph (not listed, or below min_works).
    dropped_pairs : tuple of (str, str)
        Pairs in the counts table that are not in the graph (a dropped country, or below
        min_edge).
    """

    countries: str | tuple[str, ...]
    min_works: int
    min_edge: int | float
    dropped_countries: tuple[str, ...]
    dropped_pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class YearGraph:
    """The country collaboration graph of one year.

    Attributes
    ----------
    year : int
    codes : tuple of str
        ISO 3166-1 alpha-2 codes, sorted; position ``i`` is node ``i`` everywhere.
    names, continents : tuple of str
        Display name and continent of each code (``bibnet.countries``).
    intl_works : numpy.ndarray
        Each country's number of internationally co-authored works (int64).
    counts : numpy.ndarray
        ``n x n`` float64, symmetric, zero diagonal: works co-authored by each pair, counted by
        ``counting`` (fractions under ``fractional``).
    selection : Selection
    counting : str
        The counting scheme's tag (`bibnet.counting.Counting.tag`), from the counts table's
        Parquet metadata.
    layer : str
        The research-field layer (`bibnet.taxonomy`): ``all`` or a field's or domain's name,
        from the counts table's Parquet metadata.

    :func:`build_year_graph` makes both arrays read-only: the graph is shared, not edited.
    """

    year: int
    codes: tuple[str, ...]
    names: tuple[str, ...]
    continents: tuple[str, ...]
    intl_works: np.ndarray
    counts: np.ndarray
    selection: Selection
    counting: str = "whole"
    layer: str = ALL

    @property
    def strengths(self) -> np.ndarray:
        """Each country's strength: the sum of the works of its pairs."""
        return self.counts.sum(axis=1)

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """Node indices ``(i, j)`` of the linked pairs, ``i < j``, in row-major order."""
        return np.nonzero(np.triu(self.counts, k=1))

    def node_attributes(self) -> list[dict]:
        """Per node: code, name, continent, intl_works, strength (plain Python values)."""
        return [{"code": code, "name": name, "continent": continent,
                 "intl_works": int(works), "strength": _number(strength)}
                for code, name, continent, works, strength
                in zip(self.codes, self.names, self.continents, self.intl_works, self.strengths)]

    def to_networkx(self, weights: np.ndarray | None = None) -> nx.Graph:
        """An undirected networkx graph: nodes are codes; edges carry ``works`` and ``weight``.

        ``weight`` is ``weights[i, j]`` where given (a normalisation of ``counts``), else the
        works. Graph attributes: ``year`` and the selection thresholds.
        """
        weights = self.counts if weights is None else weights
        graph = nx.Graph(year=self.year, min_works=self.selection.min_works,
                         min_edge=self.selection.min_edge, counting=self.counting)
        graph.add_nodes_from((attrs["code"], attrs) for attrs in self.node_attributes())
        rows, cols = self.pairs()
        graph.add_edges_from(
            (self.codes[i], self.codes[j], {"works": _number(self.counts[i, j]),
                                            "weight": float(weights[i, j])})
            for i, j in zip(rows.tolist(), cols.tolist()))
        return graph

    def to_igraph(self, weights: np.ndarray | None = None) -> ig.Graph:
        """An undirected igraph graph, vertices in code order, with the same attributes as
        :meth:`to_networkx` (the vertex attribute ``name`` is the code, ``label`` the name)."""
        weights = self.counts if weights is None else weights
        rows, cols = self.pairs()
        graph = ig.Graph(n=len(self.codes), edges=list(zip(rows.tolist(), cols.tolist())))
        graph["year"] = self.year
        graph["counting"] = self.counting
        attrs = self.node_attributes()
        graph.vs["name"] = list(self.codes)
        for key in ("name", "continent", "intl_works", "strength"):
            graph.vs["label" if key == "name" else key] = [a[key] for a in attrs]
        graph.es["works"] = [_number(value) for value in self.counts[rows, cols]]
        graph.es["weight"] = weights[rows, cols].tolist()
        return graph


def _number(value: float) -> int | float:
    """A count as an int where it is whole (whole and capped counting), else a float."""
    return int(value) if float(value).is_integer() else float(value)


def build_year_graph(counts: pd.DataFrame, totals: pd.DataFrame,
                     countries: str | Sequence[str] = "all", min_works: int = 1,
                     min_edge: int | float = 1) -> YearGraph:
    """Build one year's :class:`YearGraph` from its counts and country totals tables.

    Parameters
    ----------
    counts : pandas.DataFrame
        ``year, country_a, country_b, works`` for one year (``country_a < country_b``).
    totals : pandas.DataFrame
        ``year, country, intl_works`` for the same year.
    countries : "all" or sequence of str
        Countries to keep.
    min_works : int
        Keep countries with at least this many international works.
    min_edge : int or float
        Keep pairs with at least this many works (fractional under fractional counting; 0
        keeps every pair).

    Raises
    ------
    ValueError
        If the tables hold more than one year, a pair names a country without a total, or
        pairs repeat or are not ordered ``country_a < country_b``.
    """
    years = set(counts["year"].tolist()) | set(totals["year"].tolist())
    if len(years) != 1:
        raise ValueError(f"a graph is built from one year's tables; these hold years {sorted(years)}")
    unknown = (set(counts["country_a"]) | set(counts["country_b"])) - set(totals["country"])
    if unknown:
        raise ValueError(f"pairs name countries without a total: {', '.join(sorted(unknown))}")
    unordered = counts[(counts["country_a"] >= counts["country_b"])
                       | counts.duplicated(["country_a", "country_b"])]
    if len(unordered):
        first = unordered.iloc[0]
        raise ValueError(f"pairs must be unique with country_a < country_b; "
                         f"{len(unordered)} are not, e.g. {first['country_a']}-{first['country_b']}")
    listed = set(totals["country"]) if countries == "all" else set(countries)
    keep_country = totals["country"].isin(listed) & (totals["intl_works"] >= min_works)
    kept_totals = totals[keep_country].sort_values("country")
    codes = tuple(str(code) for code in kept_totals["country"])
    index = {code: i for i, code in enumerate(codes)}
    keep_pair = (counts["country_a"].isin(codes) & counts["country_b"].isin(codes)
                 & (counts["works"] >= min_edge))
    kept = counts[keep_pair]
    rows = kept["country_a"].map(index).to_numpy(dtype=np.int64)
    cols = kept["country_b"].map(index).to_numpy(dtype=np.int64)
    matrix = np.zeros((len(codes), len(codes)))
    matrix[rows, cols] = kept["works"].to_numpy(dtype=np.float64)
    matrix[cols, rows] = matrix[rows, cols]
    intl_works = kept_totals["intl_works"].to_numpy(dtype=np.int64)
    for array in (matrix, intl_works):  # one graph object is shared by every later step
        array.flags.writeable = False
    dropped = counts[~keep_pair].sort_values(["country_a", "country_b"])
    selection = Selection(
        countries=countries if countries == "all" else tuple(countries),
        min_works=min_works, min_edge=min_edge,
        dropped_countries=tuple(sorted(str(c) for c in totals.loc[~keep_country, "country"])),
        dropped_pairs=tuple(zip(dropped["country_a"].astype(str), dropped["country_b"].astype(str))))
    return YearGraph(
        year=int(years.pop()), codes=codes,
        names=tuple(country_info.name(code) for code in codes),
        continents=tuple(country_info.continent(code) for code in codes),
        intl_works=intl_works, counts=matrix,
        selection=selection, counting=str(counts.attrs.get(COUNTING_KEY, "whole")),
        layer=str(counts.attrs.get(LAYER_KEY, ALL)))
