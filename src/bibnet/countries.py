"""The country codes bibnet accepts, and their display names.

OpenAlex labels countries with ISO 3166-1 alpha-2 codes, plus two that the standard does not
assign today: ``XK`` (Kosovo, a user-assigned code that OpenAlex and the EU use) and ``AN``
(Netherlands Antilles, withdrawn in 2010 but still carried by older affiliations).

Codes are always text: Namibia is ``"NA"``, which readers that guess missing values turn into NaN.

Examples
--------
>>> is_known("KR"), is_known("kr"), is_known("ZZ")
(True, False, False)
>>> name("NA")
'Namibia'
>>> name("XK")
'Kosovo'
"""

from __future__ import annotations

from functools import cache

import pycountry

#: Codes OpenAlex uses beyond the current ISO 3166-1 list.
EXTRA_CODES = {"XK": "Kosovo", "AN": "Netherlands Antilles"}


@cache
def names() -> dict[str, str]:
    """Map every accepted code to its display name."""
    table = {country.alpha_2: country.name for country in pycountry.countries}
    table.update(EXTRA_CODES)
    return dict(sorted(table.items()))


def is_known(code: str) -> bool:
    """Whether ``code`` is an accepted, upper-case country code."""
    return code in names()


def name(code: str) -> str:
    """The display name of ``code``; the code itself where it is not known."""
    return names().get(code, code)
