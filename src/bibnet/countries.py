"""The country codes bibnet accepts, and their display names.

OpenAlex labels countries with ISO 3166-1 alpha-2 codes, plus two that the standard does not
assign today: ``XK`` (Kosovo, a user-assigned code that OpenAlex and the EU use) and ``AN``
(Netherlands Antilles, withdrawn in 2010 but still carried by older affiliations).

Codes are always text: Namibia is ``"NA"``, which readers that guess missing values turn into NaN.

Continents follow the UN M49 regions (United Nations Statistics Division, "Standard country or
area codes for statistical use"), with the Americas split as Pajek's ``continents.clu`` does:
North America is M49's Northern America, Central America and Caribbean; South America is M49's
South America; Antarctica has no M49 region. ``XK`` goes with Serbia (Europe) and ``AN`` with its
Caribbean successors (North America). The table ``data/continents.csv`` was generated from the
M49 columns of the UN OCHA "Countries & Territories Taxonomy" (as shipped by hdx-python-country
4.2.5); where Pajek's ``continents.clu`` differs (the Caucasus, Cyprus, Turkey and Kazakhstan in
Europe, sub-Antarctic islands in Antarctica), M49 is kept.

Examples
--------
>>> is_known("KR"), is_known("kr"), is_known("ZZ")
(True, False, False)
>>> name("NA")
'Namibia'
>>> name("XK")
'Kosovo'
>>> name("KR"), name("TW"), name("CD")
('South Korea', 'Taiwan', 'DR Congo')
>>> continent("NA"), continent("MX"), continent("BR"), continent("AQ")
('Africa', 'North America', 'South America', 'Antarctica')
>>> meant("UK"), meant("el"), meant("ZZ")
('GB', 'GR', None)
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import pycountry

#: Codes OpenAlex uses beyond the current ISO 3166-1 list.
EXTRA_CODES = {"XK": "Kosovo", "AN": "Netherlands Antilles"}
#: Display names for ISO 3166-1 short names written inverted for sorting ("Korea, Republic
#: of") that pycountry gives no common name for; the others take its ``common_name`` ("South
#: Korea", "Taiwan", "Vietnam"), so a sentence can name a country as its readers do.
UNINVERTED = {"CD": "DR Congo", "FM": "Micronesia", "PS": "Palestine",
              "VG": "British Virgin Islands", "VI": "U.S. Virgin Islands"}
#: Codes in common use that ISO 3166-1 gives another country's code or none: the European
#: Union writes the United Kingdom UK and Greece EL (Interinstitutional Style Guide, 7.1).
COMMON_MISTAKES = {"UK": "GB", "EL": "GR"}


@cache
def names() -> dict[str, str]:
    """Map every accepted code to its display name."""
    table = {country.alpha_2: getattr(country, "common_name", country.name)
             for country in pycountry.countries}
    table.update(EXTRA_CODES)
    table.update(UNINVERTED)
    return dict(sorted(table.items()))


def is_known(code: str) -> bool:
    """Whether ``code`` is an accepted, upper-case country code."""
    return code in names()


def meant(code: str) -> str | None:
    """The accepted code a user most likely meant by a two-letter ``code`` that is not one (the
    configuration's schema lets only two letters through); None where there is none."""
    return COMMON_MISTAKES.get(code.upper())


def name(code: str) -> str:
    """The display name of ``code``; the code itself where it is not known."""
    return names().get(code, code)


@cache
def continents() -> dict[str, str]:
    """Map every accepted code to its continent (see the module notes for the source)."""
    text = resources.files("bibnet").joinpath("data", "continents.csv").read_text(encoding="utf-8")
    return {row["code"]: row["continent"] for row in csv.DictReader(text.splitlines())}


def continent(code: str) -> str:
    """The continent of ``code``: Africa, Antarctica, Asia, Europe, North America, Oceania or
    South America; ``""`` where the code is not known."""
    return continents().get(code, "")
