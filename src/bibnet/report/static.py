"""A static block image (PNG) per year, for Snakemake's own report, which embeds images but
not the interactive pages.

The PNG is written by hand (zlib, no time chunk), so the same outputs give the same bytes.

Examples
--------
>>> png = encode_png(np.zeros((2, 3, 3), dtype=np.uint8))
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n", len(png) > 40
(True, True)
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from plotly.colors import hex_to_rgb, sequential

from bibnet.logs import job_entry
from bibnet.outputs import check_made_from
from bibnet.report.inputs import count_matrix, read_year_fit
from bibnet.report.sections import display_order

#: Largest side of the image in pixels (cells are whole pixels).
SIDE = 720
BOUNDARY = (214, 39, 40)


def encode_png(rgb: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of an ``(height, width, 3)`` uint8 array."""
    height, width, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[row].tobytes() for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def colour_cells(matrix: np.ndarray) -> np.ndarray:
    """Viridis on log10 works (white where none), as in the page's block image."""
    stops = np.array([hex_to_rgb(c) for c in sequential.Viridis], dtype=float)
    positive = matrix > 0
    logs = np.log10(np.where(positive, matrix, 1))
    top = max(np.ceil(logs.max()), 1)
    where = logs / top * (len(stops) - 1)
    low = np.floor(where).astype(int).clip(0, len(stops) - 2)
    frac = (where - low)[..., None]
    rgb = stops[low] * (1 - frac) + stops[low + 1] * frac
    rgb[~positive] = 255
    return np.round(rgb).astype(np.uint8)


def block_image_array(matrix: np.ndarray, blocks: np.ndarray) -> np.ndarray:
    """The ordered matrix as pixels, with the block boundaries (red)."""
    n = matrix.shape[0]
    cell = max(1, SIDE // max(n, 1))
    image = np.repeat(np.repeat(colour_cells(matrix), cell, axis=0), cell, axis=1)
    for i in range(1, n):
        if blocks[i] != blocks[i - 1]:
            image[i * cell, :] = BOUNDARY
            image[:, i * cell] = BOUNDARY
    return image


@job_entry(quiet=True)
def block_image_png(counts_path: str | Path, fit_path: str | Path, out_path: str | Path, *,
                    made_from: Mapping) -> Path:
    """Write one year's block image (the best fit's order, as on the year page), of inputs made
    from ``made_from`` (`bibnet.outputs.check_made_from`)."""
    check_made_from(made_from, [counts_path, fit_path])
    fit = read_year_fit(fit_path)
    matrix = count_matrix(pd.read_parquet(counts_path), fit.codes)
    order = display_order(fit, matrix)
    blocks = np.asarray(fit.best_fit.labels)[order]
    image = block_image_array(matrix[np.ix_(order, order)], blocks)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_bytes(encode_png(image))
    return out_path
