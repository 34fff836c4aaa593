"""What each counting scheme costs and how close binned fractional counts come, measured.

Draws a SYNTHETIC works corpus (`bibnet.simulate.works`: 40 countries, 3 years, 20,000 works a
year, lognormal country weights), serves it with the OpenAlex emulator's works mode
(``../shared/tools/openalex_emulator.py --works``), and fetches every year under ``whole``,
``capped`` (10) and ``fractional``, each into a fresh raw folder. It prints, per scheme, the
calls the plan predicted before the first call, the calls made (the emulator's count) and their
ratio to ``whole``; for ``fractional``, the counts built from the fetched strata against the
exact fractional counts of the same works: the largest absolute and relative error of a pair, the
summed error as a share of all pair weight, and the largest error as a share of its pair's bound
(binned works x `Stratum.weight_spread`).

Run from the repository root::

    .venv/bin/python benchmarks/counting.py
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

from fetch import EMULATOR, start_emulator

from bibnet.counting import Counting
from bibnet.counts import fractional_tables, strata_from_openalex
from bibnet.fetch import API_KEY_ENV, FetchSettings, fetch_year, plan_fetch
from bibnet.simulate.works import draw_works, pair_matrix, stratum_counts, write_jsonl

COUNTRIES = ["AR", "AT", "AU", "BE", "BR", "CA", "CH", "CL", "CN", "CO", "CZ", "DE", "DK", "EG",
             "ES", "FI", "FR", "GB", "GR", "HU", "IE", "IL", "IN", "IR", "IT", "JP", "KR", "MX",
             "MY", "NL", "NO", "NZ", "PK", "PL", "PT", "RU", "SE", "TR", "US", "ZA"]
YEARS = [2014, 2015, 2016]
WORKS_PER_YEAR = 20000
SCHEMES = [Counting("whole"), Counting("capped", 10), Counting("fractional")]


def list_calls(ready: dict) -> int:
    with urllib.request.urlopen(ready["url"].rstrip("/") + "/__stats") as answer:
        return json.load(answer)["list_calls"]


def binning_errors(works_by_year, raw: Path, manifests: dict[int, Path]) -> dict[str, float]:
    errors, weights, shares, relative = [], 0.0, [], []
    for year, works in works_by_year.items():
        exact, _ = pair_matrix(works, Counting("fractional"))
        tables = fractional_tables(year, strata_from_openalex(manifests[year]), COUNTRIES)
        index = {code: i for i, code in enumerate(works.codes)}
        bound = sum(stratum_counts(works, s) * s.weight_spread
                    for s in Counting("fractional").strata if not s.exact)
        for pair in tables.counts.itertuples(index=False):
            i, j = index[pair.country_a], index[pair.country_b]
            error = abs(pair.works - exact[i, j])
            errors.append(error)
            relative.append(error / exact[i, j])
            if bound[i, j] > 0:
                shares.append(error / bound[i, j])
        weights += exact.sum() / 2
    largest = int(np.argmax(errors))
    return {"largest_abs": errors[largest], "its_relative": relative[largest],
            "largest_relative": max(relative), "summed_share": sum(errors) / weights,
            "largest_share_of_bound": max(shares), "pairs": len(errors)}


def main() -> int:
    if not EMULATOR.is_file():
        print(f"skipped: no emulator at {EMULATOR}")
        return 0
    rng = np.random.default_rng(2016)
    weights = np.sort(rng.lognormal(0.0, 1.5, len(COUNTRIES)))[::-1]
    works = {year: draw_works(COUNTRIES, WORKS_PER_YEAR, seed=year, weights=weights)
             for year in YEARS}
    with tempfile.TemporaryDirectory(prefix="bibnet-counting-") as tmp:
        tmp = Path(tmp)
        corpus = write_jsonl(tmp / "works.jsonl.gz", works)
        process, ready = start_emulator(tmp / "emulator", "--works", str(corpus),
                                        "--latency-ms", "0")
        os.environ.update({"HTTPS_PROXY": ready["https_proxy"],
                           "REQUESTS_CA_BUNDLE": ready["ca_bundle"], API_KEY_ENV: "dummy"})
        try:
            settings = FetchSettings()
            calls = {}
            for counting in SCHEMES:
                raw = tmp / f"raw-{counting.tag}"
                plan = plan_fetch(YEARS, COUNTRIES, raw, settings, counting, budget="not read")
                before = list_calls(ready)
                manifests = {year: fetch_year(year, COUNTRIES, raw, settings, progress=False,
                                              counting=counting) for year in YEARS}
                calls[counting.tag] = made = list_calls(ready) - before
                print(f"{counting.tag}: planned {plan.calls} calls, made {made} "
                      f"(plan off by {abs(plan.calls - made) / made:.1%}); "
                      f"{made / calls['whole']:.1f} x whole")
            errors = binning_errors(works, raw, manifests)
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"fractional from the fetched strata against the exact counts, {errors['pairs']} "
          f"pairs: largest error {errors['largest_abs']:.4f} works "
          f"({errors['its_relative']:.1%} of that pair), largest relative error "
          f"{errors['largest_relative']:.1%}, summed error {errors['summed_share']:.3%} of all "
          f"pair weight, largest error {errors['largest_share_of_bound']:.1%} of its bound")
    return 0


if __name__ == "__main__":
    sys.exit(main())
