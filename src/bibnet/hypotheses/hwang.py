r"""Hwang (2008), partner by partner: does Korea lean on a centre and pull others of its own?

Hwang reads South Korea as a "middle or grey area" of world science, neither core nor periphery,
and the UK as a centre. Beyond size that is two relations, read for the focal country ``F``
(Korea by default) each year:

Leaning
    :math:`a(F, c) = A_{Fc}/E_{Fc}`, its affinity with each centre ``c`` beyond size, ranked
    among ``F`` and its size *peers*: the ``p`` non-centre countries next to it by strength on
    each side (fewer at the ends). ``F`` leans on ``c`` where it ranks in the top third of
    those :math:`2p + 1` countries, for each of ``p`` = 5, 10 and 20 (``peers``); where that
    holds for some ``p`` but not all, the leaning is *sensitive* to the peers. Beside it, ``F``'s
    sphere and whether its membership passes (:class:`bibnet.hypotheses.centres.Spheres`).
Pulling
    Who prefers ``F`` beyond size: with ``F`` read as one more centre (``also_centres``), the
    countries whose preferred centre is ``F`` and whose membership passes the test of
    :class:`~bibnet.hypotheses.centres.Spheres` (magnitude and peers, FDR-controlled): for them
    ``F`` is a centre.

``F`` is *middle* where it leans on a centre (for every peer count) and pulls at least one
country; the claim, with the second focal country ``G`` (the UK) a centre (a statement of size:
``G`` is among the centres), is

* ``supported`` where ``F`` is middle and ``G`` a centre;
* ``not supported`` where ``F`` leans on no centre for any peer count and pulls nobody, or
  ``G`` is not a centre, or ``F`` is itself a centre;
* ``undecided`` otherwise (it leans but pulls nobody, pulls but leans on nobody, or its leaning
  is sensitive to the peers), with the reason.

The Korea–UK relation itself is ``F``'s rank among its peers in affinity with ``G``.

Examples
--------
>>> rank_among([3.0, 1.0, 2.0, 5.0], 0)
2
>>> leaning({5: 2, 10: 3, 20: 6}, {5: 11, 10: 21, 20: 41})
'leans'
>>> leaning({5: 2, 10: 9, 20: 30}, {5: 11, 10: 21, 20: 41})
'sensitive'
"""

from __future__ import annotations

import logging

from collections.abc import Mapping, Sequence

import numpy as np

from bibnet.hypotheses.network import Network

log = logging.getLogger(__name__)

#: Peers on each side the leaning is read with.
PEER_COUNTS = (5, 10, 20)


def rank_among(values: Sequence[float], position: int) -> int:
    """Rank (1 = largest) of ``values[position]``; ties share the better rank."""
    values = np.asarray(values, dtype=float)
    return int((values > values[position]).sum()) + 1


def peers_of(network: Network, focal: int, centres: Sequence[int], per_side: int) -> np.ndarray:
    """The ``per_side`` non-centre countries next to ``focal`` by strength on each side (more on
    one side where the other runs out); ``focal`` may be a centre itself."""
    others = np.setdiff1d(np.asarray(centres, dtype=int), [focal])
    candidates = np.setdiff1d(np.arange(len(network.codes)), others)
    order = candidates[np.lexsort((candidates, -network.strength[candidates]))]
    at = int(np.flatnonzero(order == focal)[0])
    below, above = order[at + 1:], order[:at][::-1]
    take_above = min(len(above), max(per_side, 2 * per_side - len(below)))
    take_below = min(len(below), 2 * per_side - take_above)
    return np.concatenate([above[:take_above], below[:take_below]])


def leaning(ranks: Mapping[int, int], group_sizes: Mapping[int, int]) -> str:
    """``leans`` where the rank is in the top third for every peer count, ``does not lean``
    where for none, ``sensitive`` otherwise."""
    top = [ranks[p] <= group_sizes[p] / 3 for p in ranks]
    return "leans" if all(top) else "does not lean" if not any(top) else "sensitive"


def focal_position(network: Network, centres: Sequence[str], focal: str, partner: str,
                   sphere_row: Mapping | None, pulled: Sequence[str],
                   peer_counts: Sequence[int] = PEER_COUNTS) -> dict:
    """Hwang's reading of ``focal`` for one year (rule in the module docstring).

    Parameters
    ----------
    network : Network
    centres : sequence of str
        The year's centres.
    focal, partner : str
        The focal country (Korea) and the one Hwang names a centre (the UK).
    sphere_row : mapping or None
        ``focal``'s row of :attr:`Spheres.countries_` (None where it is a centre or absent).
    pulled : sequence of str
        The countries that prefer ``focal`` beyond size (members of its sphere when it is read
        as one more centre).
    """
    index = network.index(focal)
    if index is None:
        return {"verdict": "undecided", "reason": f"{focal} has no links this year"}
    centre_index = [network.index(c) for c in centres]
    affinity = network.counts[index] / np.where(network.expected[index] > 0,
                                                network.expected[index], np.nan)
    by_centre = {}
    for centre, c in zip(centres, centre_index):
        if c == index:
            continue
        ranks, sizes = {}, {}
        for per_side in peer_counts:
            group = np.concatenate([[index], peers_of(network, index, centre_index, per_side)])
            column = network.counts[group, c] / network.expected[group, c]
            ranks[per_side], sizes[per_side] = rank_among(column, 0), len(group)
        short = {p: sizes[p] - 1 for p in peer_counts if sizes[p] - 1 < 2 * p}
        if short:
            log.warning("%s against %s: fewer size peers than asked (%s); its ranks are among "
                        "those there are", focal, centre,
                        ", ".join(f"{n} for {p} a side" for p, n in short.items()))
        by_centre[centre] = {"affinity": float(affinity[c]), "ranks": ranks, "of": sizes,
                             "leaning": leaning(ranks, sizes)}
    leans_on = [c for c, row in by_centre.items() if row["leaning"] == "leans"]
    sensitive = [c for c, row in by_centre.items() if row["leaning"] == "sensitive"]
    is_centre = focal in centres
    partner_centre = partner in centres
    if is_centre or not partner_centre or (not leans_on and not sensitive and not pulled):
        verdict = "not supported"
        reason = (f"{focal} is itself a centre" if is_centre else
                  f"{partner} is not among the centres" if not partner_centre else
                  f"{focal} leans on no centre and no country prefers it beyond size")
    elif leans_on and pulled and not sensitive:
        verdict = "supported"
        reason = (f"{focal} leans on {', '.join(leans_on)} and {len(pulled)} "
                  f"countr{'y prefers' if len(pulled) == 1 else 'ies prefer'} it beyond size")
    else:
        verdict = "undecided"
        parts = []
        if sensitive:
            parts.append(f"its leaning on {', '.join(sensitive)} depends on the number of peers")
        if not leans_on and not sensitive:
            parts.append("it leans on no centre")
        if not pulled:
            parts.append("no country prefers it beyond size")
        reason = f"{focal}: " + "; ".join(parts)
    return {"verdict": verdict, "reason": reason, "centre": is_centre,
            "partner_centre": partner_centre, "by_centre": by_centre, "leans_on": leans_on,
            "sensitive": sensitive, "pulled": list(pulled),
            "sphere": None if sphere_row is None else sphere_row.get("sphere"),
            "member": None if sphere_row is None else bool(sphere_row.get("member"))}
