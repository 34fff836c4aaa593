"""Small graphs with answers known by hand, shared by the graphs tests."""

import pandas as pd

from bibnet.graphs import build_year_graph

# Four countries; Namibia ("NA") is one, to check that its code stays text.
#   DE-GB 4, DE-NA 2, GB-NA 1, NA-US 1  ->  strengths DE 6, GB 5, NA 4, US 1; 2W = 16.
CODES = ("DE", "GB", "NA", "US")
PAIRS = [("DE", "GB", 4), ("DE", "NA", 2), ("GB", "NA", 1), ("NA", "US", 1)]
INTL_WORKS = {"DE": 5, "GB": 4, "NA": 3, "US": 1}


def counts_frame(pairs=PAIRS, year=2005) -> pd.DataFrame:
    return pd.DataFrame({"year": year, "country_a": [a for a, _, _ in pairs],
                         "country_b": [b for _, b, _ in pairs],
                         "works": [w for _, _, w in pairs]})


def totals_frame(totals=INTL_WORKS, year=2005) -> pd.DataFrame:
    return pd.DataFrame({"year": year, "country": list(totals), "intl_works": list(totals.values())})


def four_country_graph(**selection):
    return build_year_graph(counts_frame(), totals_frame(), **selection)
