"""Reading Pajek networks of country co-authorship.

The format is that of the public OpenAlex country networks (Batagelj 2024): a ``*vertices n``
section whose labels are ISO 3166-1 alpha-2 codes, then ``*arcs`` and/or ``*edges`` lines
``i j weight``; a loop ``i i w`` holds country i's number of internationally co-authored works.
Files may start with a UTF-8 byte-order mark, use CRLF line ends and carry ``%`` comments.
Labels stay text: Namibia's ``NA`` is a code, never a missing value.

A multi-relational network (Pajek's "multiple relations") has several ``*arcs :k "name"`` or
``*edges :k "name"`` sections over the same vertices, one relation ``k`` each (sections without
``:k`` are relation 1); :func:`read_relations` reads every relation, :func:`write_relations`
writes them, and :func:`read_network` refuses a file of more than one relation rather than add
them up.

Examples
--------
>>> import tempfile, pathlib
>>> text = '\\ufeff% demo\\r\\n*vertices 3\\r\\n1 "NA"\\r\\n2 "US"\\r\\n3 "ZA"\\r\\n'
>>> text += '*arcs\\r\\n1 1 5\\r\\n1 2 2\\r\\n2 1 2\\r\\n*edges\\r\\n1 3 1\\r\\n'
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.net"
>>> _ = path.write_text(text, encoding="utf-8")
>>> network = read_network(path)
>>> network.codes
['NA', 'US', 'ZA']
>>> network.matrix.tolist()
[[5.0, 2.0, 1.0], [2.0, 0.0, 0.0], [1.0, 0.0, 0.0]]
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SECTION = re.compile(r'^\*(\w+)(?:\s+(\d+))?(?:\s*:(\d+)(?:\s+"([^"]*)")?)?', re.IGNORECASE)


class PajekFormatError(ValueError):
    """A Pajek file that cannot be read; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class PajekNetwork:
    """A network read from a Pajek ``.net`` file.

    Attributes
    ----------
    codes : list of str
        Vertex labels in vertex order.
    matrix : numpy.ndarray
        ``n x n`` weights: ``matrix[i, j]`` from arc ``i+1 j+1``; an edge sets both directions;
        loops stay on the diagonal.
    """

    codes: list[str]
    matrix: np.ndarray


@dataclass(frozen=True)
class PajekRelations:
    """A multi-relational network: one matrix per relation over the same vertices.

    Attributes
    ----------
    codes : list of str
        Vertex labels in vertex order.
    numbers : tuple of int
        The relation numbers, in increasing order.
    names : tuple of str
        Each relation's name (``""`` where the file gives none).
    matrices : tuple of numpy.ndarray
        Each relation's ``n x n`` weights, as :class:`PajekNetwork` has them.
    """

    codes: list[str]
    numbers: tuple[int, ...]
    names: tuple[str, ...]
    matrices: tuple[np.ndarray, ...]

    def relation(self, name: str) -> np.ndarray:
        """The matrix of the relation called ``name``."""
        if name not in self.names:
            raise KeyError(f"no relation {name!r}; the relations are {', '.join(self.names)}")
        return self.matrices[self.names.index(name)]


def read_network(path: str | Path) -> PajekNetwork:
    """Read a Pajek network whose vertex labels are country codes.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.net`` file.

    Returns
    -------
    PajekNetwork

    Raises
    ------
    PajekFormatError
        Where a line does not fit the format: a missing or short ``*vertices`` section, a
        vertex number out of range, a weight that is not a number, a repeated label; or the
        file holds several relations (read those with :func:`read_relations`).
    """
    relations = read_relations(path)
    if len(relations.numbers) > 1:
        raise PajekFormatError(
            f"{path}: holds {len(relations.numbers)} relations "
            f"({', '.join(repr(name) for name in relations.names)}); read them one by one "
            "with bibnet.pajek.read_relations")
    return PajekNetwork(codes=relations.codes, matrix=relations.matrices[0])


def read_relations(path: str | Path) -> PajekRelations:
    """Read every relation of a Pajek network whose vertex labels are country codes.

    A network without relation numbers is one relation, numbered 1. Raises
    :class:`PajekFormatError` as :func:`read_network` does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> text = '*Vertices 2\\n1 "KR"\\n2 "GB"\\n*Edges :1 "all"\\n1 2 5\\n'
    >>> text += '*Edges :2 "Engineering"\\n1 2 2\\n'
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "layers.net"
    >>> _ = path.write_text(text, encoding="utf-8")
    >>> relations = read_relations(path)
    >>> relations.names, relations.relation("Engineering").tolist()
    (('all', 'Engineering'), [[0.0, 2.0], [2.0, 0.0]])
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    codes: list[str] | None = None
    size = 0
    matrices: dict[int, np.ndarray] = {}
    names: dict[int, str] = {}
    section = relation = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        where = f"{path}, line {number}"
        header = _SECTION.match(line)
        if header:
            section = header.group(1).lower()
            if section == "vertices":
                if header.group(2) is None:
                    raise PajekFormatError(f"{where}: '*vertices' needs the number of vertices")
                codes = []
                size = int(header.group(2))
            elif section in ("arcs", "edges"):
                if codes is None:
                    raise PajekFormatError(f"{where}: '*{section}' comes before '*vertices'")
                relation = int(header.group(3) or 1)
                names.setdefault(relation, header.group(4) or "")
                matrices.setdefault(relation, np.zeros((size, size)))
            continue
        if section == "vertices":
            codes.append(_vertex_label(line, len(codes) + 1, where))
        elif section in ("arcs", "edges"):
            i, j, weight = _link(line, len(codes), where)
            matrix = matrices[relation]
            matrix[i, j] += weight
            if section == "edges" and i != j:
                matrix[j, i] += weight
    if codes is None:
        raise PajekFormatError(f"{path}: no '*vertices' section; is this a Pajek .net file?")
    if len(codes) != size:
        raise PajekFormatError(
            f"{path}: '*vertices {size}' announces {size} vertices "
            f"but {len(codes)} are listed")
    if len(set(codes)) != len(codes):
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        raise PajekFormatError(f"{path}: vertex labels repeat: {', '.join(repeated)}")
    numbers = tuple(sorted(matrices)) or (1,)
    return PajekRelations(codes=codes, numbers=numbers,
                          names=tuple(names.get(k, "") for k in numbers),
                          matrices=tuple(matrices.get(k, np.zeros((size, size)))
                                         for k in numbers))


def _vertex_label(line: str, expected: int, where: str) -> str:
    parts = shlex.split(line, posix=True)
    if len(parts) < 2 or parts[0] != str(expected):
        raise PajekFormatError(f"{where}: expected vertex {expected} with a label, got {line!r}")
    return parts[1]


def _link(line: str, n_vertices: int, where: str) -> tuple[int, int, float]:
    parts = line.split()
    try:
        i, j = int(parts[0]), int(parts[1])
        weight = float(parts[2]) if len(parts) > 2 else 1.0
    except (IndexError, ValueError):
        raise PajekFormatError(f"{where}: expected 'i j weight', got {line!r}") from None
    if not (1 <= i <= n_vertices and 1 <= j <= n_vertices):
        raise PajekFormatError(f"{where}: vertex out of range 1..{n_vertices} in {line!r}")
    return i - 1, j - 1, weight


def write_network(path: str | Path, codes: list[str] | tuple[str, ...], matrix: np.ndarray,
                  comments: tuple[str, ...] = ()) -> None:
    """Write a Pajek network in the format :func:`read_network` reads, as Pajek writes it.

    UTF-8 with a byte-order mark and CRLF line ends; ``%`` comment lines first; vertices
    labelled with their (quoted) codes; a symmetric matrix as ``*edges`` (upper triangle, the
    diagonal as loops), any other as ``*arcs``. Zero cells are left out. Whole weights are
    written as integers, others with as many digits as give back the same float.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.net"
    >>> write_network(path, ["NA", "US"], np.array([[0, 2.5], [2.5, 0]]), ("demo",))
    >>> path.read_bytes()
    b'\\xef\\xbb\\xbf% demo\\r\\n*vertices 2\\r\\n1 "NA"\\r\\n2 "US"\\r\\n*edges\\r\\n1 2 2.5\\r\\n'
    >>> read_network(path).codes
    ['NA', 'US']
    """
    _write(path, codes, [("", matrix)], comments)


def write_relations(path: str | Path, codes: list[str] | tuple[str, ...],
                    relations: list[tuple[str, np.ndarray]], comments: tuple[str, ...] = ()
                    ) -> None:
    """Write a multi-relational Pajek network: one ``*edges :k "name"`` (or ``*arcs``) section
    per ``(name, matrix)`` of ``relations``, numbered from 1 in the order given, as
    :func:`write_network` writes one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "layers.net"
    >>> both = np.array([[0, 3], [3, 0]])
    >>> write_relations(path, ["KR", "GB"], [("all", both), ("Medicine", both // 3)])
    >>> path.read_text(encoding="utf-8-sig").splitlines()[3:]
    ['*edges :1 "all"', '1 2 3', '*edges :2 "Medicine"', '1 2 1']
    """
    if not relations:
        raise ValueError("a multi-relational network needs at least one relation")
    bad = [name for name, _ in relations if '"' in name or not name]
    if bad:
        raise ValueError(f"relation names must be non-empty and hold no double quote: {bad}")
    _write(path, codes, relations, comments)


def _write(path: str | Path, codes: list[str] | tuple[str, ...],
           relations: list[tuple[str, np.ndarray]], comments: tuple[str, ...]) -> None:
    """The writer of both: a relation named ``""`` is written without a relation number."""
    quoted = [code for code in codes if '"' in code]
    if quoted:
        raise ValueError(f"labels cannot hold a double quote: {quoted}")
    lines = [f"% {comment}" for comment in comments]
    lines.append(f"*vertices {len(codes)}")
    lines += [f'{number} "{code}"' for number, code in enumerate(codes, start=1)]
    for number, (name, matrix) in enumerate(relations, start=1):
        matrix = np.asarray(matrix, dtype=np.float64)
        if matrix.shape != (len(codes), len(codes)):
            raise ValueError(f"matrix {matrix.shape} does not fit {len(codes)} codes")
        symmetric = np.array_equal(matrix, matrix.T)
        rows, cols = np.nonzero(np.triu(matrix) if symmetric else matrix)
        lines.append(("*edges" if symmetric else "*arcs") + (f' :{number} "{name}"' if name
                                                             else ""))
        lines += [f"{i + 1} {j + 1} {_weight_text(matrix[i, j])}"
                  for i, j in zip(rows.tolist(), cols.tolist())]
    Path(path).write_text("\ufeff" + "\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")


def _weight_text(weight: float) -> str:
    return str(int(weight)) if weight.is_integer() else repr(float(weight))
