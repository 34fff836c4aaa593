"""The blockmodel stage's file interface: one year's graph in, its descriptive block models out.

The block models describe; the study's answers are `bibnet.hypotheses`' (docs/method.md). For
each year :func:`write_year` fits, to the countries with links:

``size_classes``
    The three-tier layered model *without* degree correction (:class:`Layered`): classes of
    collaboration volume, core / semi-periphery / periphery. A size statement: the gravity
    null (degree only) draws the same classes, so they are named by volume, never as a
    structure beyond size.
``blocs``
    The degree-corrected SBM with ``blockmodels.n_blocs`` blocks (:class:`SBM`): groups of
    countries that share their partners beyond size. Each pair of blocs is named by its
    *affinity*, observed works over those the gravity null without self-pairs expects
    (:func:`bibnet.graphs.gravity.block_affinity`), never by its mean works per pair. Degree
    correction keeps every bloc's strength, so :math:`\\sum_s \\kappa_s a_{rs} = 2W` for every
    bloc r: the blocs can show assortative groups (a_rr > 1), not a core (Kojaku & Masuda
    2018; docs/method.md).

Both are fitted with ``blockmodels.n_starts`` starts from a generator seeded by the
configuration's seed and the year, so a year's output does not depend on which other years
run, nor on the order of the countries (the estimators put them in a canonical order first).

Outputs (`bibnet.outputs`): ``blockmodels/{year}.json`` (``BLOCKMODEL_YEAR``: the countries,
the gravity null's Pearson X²/df, each model's sizes, mean works per pair, affinities and, for
the blocs, their members and X²/df) and ``blockmodels/{year}.classes.parquet``
(``CLASSES_YEAR``, columns ``CLASS_COLUMNS``: each country's strength, size class and bloc),
which the workflow concatenates into ``classes.parquet``.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> size = np.geomspace(1, 40, 30)
>>> A = rng.poisson(np.outer(size, size) / 4).astype(float)
>>> A = np.triu(A, 1); A = A + A.T
>>> found = describe(A, [f"C{i:02d}" for i in range(30)], n_blocs=3, n_starts=2, seed=1)
>>> found["size_classes"]["names"], sum(found["size_classes"]["sizes"])
(['core', 'semi-periphery', 'periphery'], 30)
>>> 0.5 < found["gravity"]["dispersion"] < 2  # Poisson counts around the gravity null
True
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse.csgraph import connected_components

from bibnet.blockmodels.dispersion import pearson_dispersion
from bibnet.blockmodels.estimators import SBM, Layered
from bibnet.counting import Counting
from bibnet.graphs.files import checked_graph
from bibnet.graphs.gravity import block_affinity, gravity_expected
from bibnet.logs import job_entry
from bibnet.outputs import (CLASS_COLUMNS, CONFIG_KEY, COUNTING_KEY, SIZE_CLASS_NAMES,
                            SOURCE_KEY, SYNTHETIC, write_json)
from bibnet.seeds import year_seed

log = logging.getLogger(__name__)

# A year whose network falls into parts gets one log record naming the countries apart
# (:func:`describe`), counted in the job's line and the run's warning summary; the estimators'
# own warning, which names neither the countries nor the year, went to the terminal twice a
# year. Set once at import: warnings.catch_warnings is not thread-safe, and Snakemake runs the
# jobs as threads of one process.
warnings.filterwarnings("ignore", r"count matrix has \d+ disconnected parts", UserWarning)


def _affinities(counts: np.ndarray, expected: np.ndarray, labels: np.ndarray,
                n_blocks: int) -> list[list[float | None]]:
    """Block-by-block affinity beyond size (None where nothing is expected)."""
    members = [np.flatnonzero(labels == r) for r in range(n_blocks)]
    values = [[block_affinity(counts, expected, rows, columns) for columns in members]
              for rows in members]
    return [[None if not np.isfinite(v) else round(v, 6) for v in row] for row in values]


def _blocs_by_strength(labels: np.ndarray, strength: np.ndarray, n_blocks: int) -> np.ndarray:
    """Bloc numbers ordered by the bloc's strongest member (0 holds the strongest country), so
    that bloc numbers do not depend on the search's labels."""
    strongest = [strength[labels == r].max() if np.any(labels == r) else -1.0
                 for r in range(n_blocks)]
    rank = np.empty(n_blocks, dtype=int)
    rank[np.argsort(-np.asarray(strongest), kind="stable")] = np.arange(n_blocks)
    return rank[labels]


def describe(counts: np.ndarray, codes: Sequence[str], *, n_blocs: int, n_starts: int,
             seed) -> dict:
    """Size classes and blocs of one count matrix (every country linked); the record written
    by :func:`write_year` without its provenance (module docstring)."""
    counts = np.asarray(counts, dtype=float)
    _note_parts(counts, codes)
    strength = counts.sum(axis=1)
    expected = gravity_expected(counts)
    classes_rng, blocs_rng = np.random.default_rng(seed).spawn(2)
    classes = Layered(3, degree_corrected=False, n_starts=n_starts,
                      random_state=classes_rng).fit(counts)
    n_blocs = min(int(n_blocs), len(codes))
    blocs = SBM(n_blocs, degree_corrected=True, n_starts=n_starts,
                random_state=blocs_rng).fit(counts)
    bloc_of = _blocs_by_strength(blocs.labels_, strength, n_blocs)
    n_pairs = len(codes) * (len(codes) - 1) // 2
    return {
        "countries": list(codes),
        "strength": [round(float(s), 6) for s in strength],
        "gravity": {"dispersion": pearson_dispersion(counts, expected, len(codes)),
                    "pairs": n_pairs},
        "size_classes": {
            "model": classes.name, "names": list(SIZE_CLASS_NAMES),
            "class_of": [SIZE_CLASS_NAMES[t] for t in classes.tiers_],
            "sizes": [int(np.sum(classes.tiers_ == t)) for t in range(3)],
            "rates": np.round(classes.block_rates_, 6).tolist(),
            "affinity": _affinities(counts, expected, classes.tiers_, 3)},
        "blocs": {
            "model": blocs.name, "n_blocs": n_blocs, "bloc_of": bloc_of.tolist(),
            "sizes": [int(np.sum(bloc_of == r)) for r in range(n_blocs)],
            "members": [[c for c, b in zip(codes, bloc_of) if b == r] for r in range(n_blocs)],
            "affinity": _affinities(counts, expected, bloc_of, n_blocs),
            "dispersion": pearson_dispersion(counts, blocs.expected_counts(),
                                             blocs.n_parameters_)},
    }


def _note_parts(counts: np.ndarray, codes: Sequence[str]) -> None:
    """Log the countries outside the largest connected part, which the block models fit with
    their pairs to the rest as observed zeros (they will likely take a bloc of their own)."""
    n_parts, part = connected_components(counts > 0, directed=False)
    if n_parts > 1:
        largest = np.bincount(part).argmax()
        apart = [code for code, p in zip(codes, part) if p != largest]
        log.warning("%d countries are linked only among themselves, apart from the other %d: "
                    "%s; the block models fit them with their pairs to the rest as observed "
                    "zeros (to leave them out, list the countries to study under `countries` "
                    "in config/config.yaml)", len(apart), len(codes) - len(apart),
                    ", ".join(apart))


def _linked(graph) -> tuple[list[str], np.ndarray, list[str]]:
    """Codes and counts of the countries with links, and the codes of those without."""
    counts = np.asarray(graph.counts)
    keep = counts.sum(axis=1) > 0
    codes = [code for code, kept in zip(graph.codes, keep) if kept]
    return codes, counts[np.ix_(keep, keep)], [c for c, k in zip(graph.codes, keep) if not k]


@job_entry
def write_year(year: int, counts_path: str | Path, totals_path: str | Path,
               json_path: str | Path, classes_path: str | Path, *,
               countries: str | Sequence[str], graphs: Mapping, seed: int,
               blockmodels: Mapping) -> dict:
    """Fit one year's size classes and blocs and write its record and class table.

    Parameters
    ----------
    year : int
    counts_path, totals_path : path
        The year's counts and totals tables.
    json_path, classes_path : path
        Where the year's record and class table go.
    countries, graphs, seed, blockmodels
        The configuration's ``countries``, ``graphs`` (``min_works``, ``min_edge``), ``seed``
        and ``blockmodels`` section (``n_starts``, ``n_blocs``).
    """
    graph, settings = checked_graph(counts_path, totals_path, countries, graphs,
                                    {"countries": countries, "graphs": graphs, "seed": seed,
                                     "blockmodels": blockmodels})
    codes, matrix, unlinked = _linked(graph)
    found = describe(matrix, codes, n_blocs=blockmodels["n_blocs"],
                     n_starts=blockmodels["n_starts"], seed=year_seed(seed, year))
    attrs = pd.read_parquet(counts_path).attrs
    source = str(attrs.get(SOURCE_KEY, ""))
    record = {"year": year, "source": source,
              "counting": Counting.from_tag(str(attrs.get(COUNTING_KEY, "whole"))).record(),
              "synthetic": source == SYNTHETIC, CONFIG_KEY: settings, "unlinked": unlinked,
              **found}
    write_json(record, json_path)
    classes = pd.DataFrame({
        "year": year, "country": codes, "strength": found["strength"],
        "size_class": found["size_classes"]["class_of"], "bloc": found["blocs"]["bloc_of"],
    }).astype(CLASS_COLUMNS)
    classes.attrs.update({SOURCE_KEY: source, CONFIG_KEY: settings})
    classes.to_parquet(classes_path, index=False)
    log.info("%d: %d countries; gravity X2/df %.1f; size classes %s; %d blocs, X2/df %.1f",
             year, len(codes), found["gravity"]["dispersion"],
             dict(zip(SIZE_CLASS_NAMES, found["size_classes"]["sizes"])),
             found["blocs"]["n_blocs"], found["blocs"]["dispersion"])
    return record
