"""What the research-field layers cost, before any call: calls and dollars per layer, where a
free key's day ends, how many days the fetch takes, and the cheaper choices.

Each layer (`bibnet.taxonomy.Layer`) costs what all-science costs (`bibnet.fetch.plan`): one
query per country and year in each stratum of the counting scheme, plus, with ``countries:
all``, the layer's country list; and every year one more call, the works by field that say how
many works have no primary topic (`bibnet.fetch.coverage`). So 26 fields cost 26 times
all-science, the 4 domains 4 times.

The calls still needed are worked out from the cache alone, as for all-science. A layer's
countries are its cached country list of the year; without one, the all-science list of the
year (every country with works in a layer has international works: an upper bound), else as
many as the nearest year's list, else `ASSUMED_COUNTRIES`. A query's pages are those of the same
query in the nearest cached year of the layer, else of the all-science row of the same country
(a layer's partners are among all-science's: an upper bound), else one page.

The fetch runs year by year (all-science, the works by field, then each layer in the configured
order), so the plan can say in which year and layer a budget runs out: today's, as
``GET /rate-limit`` gives it, and a fresh free key's ($1.00 a day, 10,000 calls). Where the
whole fetch needs more than one day of a free key, the plan names the cheaper choices: the 4
domains instead of fields, the most recent years that fit one day, or about how many countries
do.

Examples
--------
>>> from bibnet.counting import Counting
>>> from bibnet.fetch.plan import FetchPlan, YearPlan
>>> from bibnet.taxonomy import DOMAIN_LAYERS
>>> base = FetchPlan(Counting(), [YearPlan(2010, 239, 0, 239), YearPlan(2011, 239, 0, 239)],
...                  "not read")
>>> cells = tuple((YearPlan(2010, 239, 0, 239), YearPlan(2011, 239, 0, 239))
...               for _ in DOMAIN_LAYERS)
>>> plan = LayerPlan(base, DOMAIN_LAYERS, cells, coverage=(1, 1))
>>> plan.calls, plan.total_calls, plan.free_key_days
(1914, 2392, 1)
>>> plan.stop(1000)
(2010, 'Health Sciences', 43)
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bibnet.counting import WHOLE_STRATUM, Counting, Stratum
from bibnet.fetch.cache import is_cached, read_cached
from bibnet.fetch.client import PER_PAGE
from bibnet.fetch.coverage import coverage_job, coverage_stratum
from bibnet.fetch.errors import CALL_PRICE_USD
from bibnet.fetch.plan import ASSUMED_COUNTRIES, Budget, FetchPlan, YearPlan
from bibnet.fetch.rows import COUNTRY_LIST, row_job, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.taxonomy import ALL_SCIENCE, DOMAIN_LAYERS, Layer

#: A free key's daily budget (OpenAlex, 2026).
FREE_KEY_USD = 1.00
FREE_KEY_CALLS = int(round(FREE_KEY_USD / CALL_PRICE_USD))
COVERAGE_LABEL = "works by field"


class CacheIndex:
    """The raw cache as the plan reads it: each folder listed once, each file's pages read once
    (the plan of 26 layers x 34 years x 240 countries looks up some 200,000 queries, so no
    path is built for a file that is not there)."""

    def __init__(self, raw_dir: Path):
        self.raw_dir = Path(raw_dir)
        self._folders: dict[tuple[int, Stratum, Layer], tuple[Path, frozenset[str]]] = {}
        self._pages: dict[Path, int | None] = {}
        self._listed: dict[tuple[int, Layer], list[str] | None] = {}

    def _folder(self, year: int, stratum: Stratum, layer: Layer) -> tuple[Path, frozenset[str]]:
        key = (year, stratum, layer)
        if key not in self._folders:
            folder = row_path(self.raw_dir, year, None, stratum, layer).parent
            try:
                names = frozenset(os.listdir(folder))
            except (FileNotFoundError, NotADirectoryError):
                names = frozenset()
            self._folders[key] = (folder, names)
        return self._folders[key]

    def holds_any(self, year: int, stratum: Stratum, layer: Layer) -> bool:
        """Whether the cache holds any query of a year, stratum and layer."""
        return bool(self._folder(year, stratum, layer)[1])

    def cached_path(self, year: int, country: str | None, stratum: Stratum,
                    layer: Layer) -> Path | None:
        """The file of a query (`row_path`) if the cache holds one, else None."""
        folder, names = self._folder(year, stratum, layer)
        name = f"{country or COUNTRY_LIST}.json"
        return folder / name if name in names else None

    def pages(self, path: Path) -> int | None:
        """Pages the cached query at ``path`` took; None if it is not readable."""
        if path not in self._pages:
            try:
                self._pages[path] = max(1, math.ceil(len(read_cached(path)["groups"])
                                                     / PER_PAGE))
            except ValueError:
                self._pages[path] = None
        return self._pages[path]

    def listed(self, year: int, layer: Layer) -> list[str] | None:
        """The countries of a cached country list of a year in a layer, or None."""
        if (year, layer) not in self._listed:
            path = self.cached_path(year, None, WHOLE_STRATUM, layer)
            codes = None
            if path is not None:
                try:
                    codes = sorted(g["code"] for g in read_cached(path)["groups"]
                                   if len(g["code"]) == 2 and g["code"].isalpha())
                except ValueError:
                    pass
            self._listed[(year, layer)] = codes
        return self._listed[(year, layer)]


def _dollars(amount: float) -> str:
    return f"${amount:.4f}"


def _nearest(year: int, years: Sequence[int]) -> list[int]:
    return sorted(years, key=lambda other: (abs(other - year), other))


def _layer_countries(index: CacheIndex, year: int, layer: Layer, years: Sequence[int]
                     ) -> tuple[list[str] | None, int, bool]:
    """A layer's countries of a year (None where unknown), how many, and whether assumed."""
    own = index.listed(year, layer)
    if own is not None:
        return own, len(own), False
    superset = index.listed(year, ALL_SCIENCE)
    if superset is not None:
        return superset, len(superset), True
    for source in (layer, ALL_SCIENCE):
        for other in _nearest(year, years):
            codes = index.listed(other, source)
            if codes is not None:
                return None, len(codes), True
    return None, ASSUMED_COUNTRIES, True


def _query_pages(index: CacheIndex, year: int, country: str | None, stratum: Stratum,
                 layer: Layer, nearest: Sequence[int]) -> int | None:
    """Pages a layer's query should take: the layer's nearest cached year (``nearest``: the
    years by distance that hold any of its queries), else all-science's row of the country
    (see the module docstring); None where the cache cannot tell."""
    candidates = [(other, stratum, layer) for other in nearest]
    candidates += [(year, s, ALL_SCIENCE) for s in (stratum, WHOLE_STRATUM)]
    for other, part, source in candidates:
        path = index.cached_path(other, country, part, source)
        pages = None if path is None else index.pages(path)
        if pages is not None:
            return pages
    return None


def plan_layer_year(year: int, layer: Layer, countries: Sequence[str] | str, raw_dir: Path,
                    settings: FetchSettings, counting: Counting, years: Sequence[int] = (),
                    index: CacheIndex | None = None) -> YearPlan:
    """The queries of one year in one layer, how many are cached, and the calls the rest should
    take (the works by field not included: `coverage_calls`)."""
    index = index or CacheIndex(raw_dir)
    years = sorted(set(years) | {year})
    queries = cached = calls = unhinted = 0
    assumed = False
    jobs: list[tuple[str | None, Stratum]] = []
    if countries == "all":
        jobs.append((None, WHOLE_STRATUM))
        codes, n_codes, assumed = _layer_countries(index, year, layer, years)
        if codes is None:  # countries not known yet: one page for each of their queries
            queries = calls = unhinted = n_codes * len(counting.strata)
            codes = []
    else:
        codes = sorted(set(countries))
    jobs += [(code, stratum) for code in codes for stratum in counting.strata]
    nearest = {stratum: [other for other in _nearest(year, years)
                         if index.holds_any(other, stratum, layer)]
               for stratum in {stratum for _, stratum in jobs}}
    for code, stratum in jobs:
        queries += 1
        if index.cached_path(year, code, stratum, layer) and is_cached(
                row_job(index.raw_dir, year, code, settings.filters, stratum, layer)):
            cached += 1
            continue
        pages = _query_pages(index, year, code, stratum, layer, nearest[stratum])
        calls += pages or 1
        unhinted += pages is None
    return YearPlan(year, queries, cached, calls, assumed, unhinted)


def coverage_calls(year: int, raw_dir: Path, settings: FetchSettings, counting: Counting) -> int:
    """1 if the year's works by field are still to fetch, else 0."""
    return int(not is_cached(coverage_job(raw_dir, year, settings.filters,
                                          coverage_stratum(counting))))


@dataclass(frozen=True)
class LayerPlan:
    """The plan of the layers beside the all-science plan ``base`` (`bibnet.fetch.plan`).

    ``cells[i][t]`` is layer ``layers[i]`` in year ``base.years[t]``; ``coverage[t]`` the calls
    of that year's works by field; ``listed`` whether each year and layer has a country list
    (``countries: all``)."""

    base: FetchPlan
    layers: tuple[Layer, ...]
    cells: tuple[tuple[YearPlan, ...], ...]
    coverage: tuple[int, ...]
    listed: bool = True  # countries: all, so every year of every layer has a country list

    def layer_calls(self, position: int) -> int:
        return sum(year.calls for year in self.cells[position])

    @property
    def calls(self) -> int:
        """The calls of the layers and the works by field (all-science's not included)."""
        return sum(map(self.layer_calls, range(len(self.layers)))) + sum(self.coverage)

    @property
    def total_calls(self) -> int:
        return self.base.calls + self.calls

    @property
    def free_key_days(self) -> int:
        """Days of a free key's budget the whole fetch (all-science too) needs."""
        return math.ceil(self.total_calls / FREE_KEY_CALLS)

    def steps(self) -> Iterator[tuple[int, str, int]]:
        """``(year, what, calls)`` in the order the fetch makes them."""
        for t, year in enumerate(self.base.years):
            yield year.year, "all-science", year.calls
            yield year.year, COVERAGE_LABEL, self.coverage[t]
            for layer, cells in zip(self.layers, self.cells):
                yield year.year, layer.name, cells[t].calls

    def stop(self, calls_left: int) -> tuple[int, str, int] | None:
        """``(year, what, calls made in it)`` where ``calls_left`` run out, or None."""
        for year, what, calls in self.steps():
            if calls > calls_left:
                return year, what, calls_left
            calls_left -= calls
        return None

    def year_calls(self) -> dict[int, int]:
        """Every year's calls, all-science's and the layers'."""
        totals: dict[int, int] = {}
        for year, _, calls in self.steps():
            totals[year] = totals.get(year, 0) + calls
        return totals

    def describe(self, domains: LayerPlan | None = None) -> str:
        """The plan as printed; ``domains`` is the same fetch with the 4 domains as layers,
        named as the cheaper choice when the layers are fields."""
        price = self.base.cost_usd(1)
        years = self.base.years
        lines = [f"Layers: {len(self.layers)} beside all-science, years {years[0].year}-"
                 f"{years[-1].year}, each fetched as all-science is (counting "
                 f"{self.base.counting.tag}):",
                 f"  {'layer':<44} {'queries':>8} {'cached':>8} {'calls':>8} {'cost':>10}"]
        for position, layer in enumerate(self.layers):
            queries = sum(y.queries for y in self.cells[position])
            cached = sum(y.cached for y in self.cells[position])
            calls = self.layer_calls(position)
            lines.append(f"  {layer.name:<44} {queries:>8,} {cached:>8,} {calls:>8,} "
                         f"{_dollars(calls * price):>10}")
        coverage = sum(self.coverage)
        lines.append(f"  {COVERAGE_LABEL + ' (1 a year)':<44} {len(self.coverage):>8,} "
                     f"{len(self.coverage) - coverage:>8,} {coverage:>8,} "
                     f"{_dollars(coverage * price):>10}")
        lines.append("  (the works by field count the works without a primary topic, which are "
                     "in all-science only)")
        lines.append(f"  layers: {self.calls:,} calls, ${self.calls * price:.4f}; with "
                     f"all-science's {self.base.calls:,}: {self.total_calls:,} calls, "
                     f"${self.total_calls * price:.4f}")
        if any(y.assumed_countries for cells in self.cells for y in cells):
            lines.append("  (a layer without a cached country list is counted with the year's "
                         "all-science countries, an upper bound)")
        lines.append(self._budget_text())
        if self.total_calls > FREE_KEY_CALLS:
            lines += self._cheaper(domains)
        return "\n".join(lines)

    def _budget_text(self) -> str:
        days = self.free_key_days
        text = (f"  a free key (${FREE_KEY_USD:.2f}, {FREE_KEY_CALLS:,} calls a day) needs "
                f"{days} day{'s' if days != 1 else ''}")
        stop = self.stop(FREE_KEY_CALLS)
        if stop:
            text += f"; its first day ends in year {stop[0]} ({stop[1]})"
        budget = self.base.budget
        if isinstance(budget, Budget):
            stop = self.stop(budget.remaining_calls)
            text += (f"\n  today's budget (${budget.remaining_usd:.4f}, {budget.remaining_calls:,} "
                     "calls) " + (f"ends in year {stop[0]} ({stop[1]}), after {stop[2]:,} of "
                                  "its calls" if stop else "covers the whole fetch"))
        return text

    def _cheaper(self, domains: LayerPlan | None) -> list[str]:
        lines = ["  cheaper choices, each within one day of a free key where it says so:"]
        if domains is not None and domains.total_calls < self.total_calls:
            lines.append(f"  - layers: domains (4 layers): {domains.total_calls:,} calls, "
                         f"{domains.free_key_days} day{'s' if domains.free_key_days != 1 else ''}")
        recent, total = [], 0
        for year, calls in sorted(self.year_calls().items(), reverse=True):
            if total + calls > FREE_KEY_CALLS:
                break
            recent.append(year)
            total += calls
        if recent:
            span = f"{min(recent)}-{max(recent)} ({len(recent)} years) take" if len(recent) > 1 \
                else f"{recent[0]} alone takes"
            lines.append(f"  - fewer years: {span} {total:,} calls, within one day")
        else:
            lines.append("  - fewer years: even the last year alone takes more than one day")
        countries = self._countries_in_a_day()
        if countries:
            lines.append(f"  - fewer countries: about {countries} (a list of those with most "
                         "international works) fit one day over all the years")
        return lines

    def _countries_in_a_day(self) -> int:
        """About how many countries fit one free day over every year and layer: the calls
        that are not the works by field or country lists, per country of an average year."""
        strata = len(self.base.counting.strata)
        n_lists = len(self.base.years) * (len(self.layers) + 1) if self.listed else 0
        countries = sum((y.queries - self.listed) / strata for y in self.base.years) / len(
            self.base.years)
        per_country = (self.total_calls - sum(self.coverage) - n_lists) / countries
        room = FREE_KEY_CALLS - sum(self.coverage) - n_lists
        return int(room // per_country) if per_country > 0 and room > 0 else 0


def plan_layers(base: FetchPlan, layers: Sequence[Layer], countries: Sequence[str] | str,
                raw_dir: Path, settings: FetchSettings, index: CacheIndex | None = None
                ) -> LayerPlan:
    """The plan of fetching ``layers`` (fields or domains, not all-science) over the years of
    the all-science plan ``base``, with its counting scheme and budget; no call is made."""
    index = index or CacheIndex(raw_dir)
    counting = base.counting
    years = [year.year for year in base.years]
    cells = tuple(tuple(plan_layer_year(year, layer, countries, raw_dir, settings, counting,
                                        years, index) for year in years) for layer in layers)
    coverage = tuple(coverage_calls(year, raw_dir, settings, counting) for year in years)
    return LayerPlan(base, tuple(layers), cells, coverage, countries == "all")


def describe_layers(base: FetchPlan, layers: Sequence[Layer], countries: Sequence[str] | str,
                    raw_dir: Path, settings: FetchSettings) -> str:
    """The printed plan of the layers, with the 4 domains' figures as the cheaper choice when
    the layers are fields."""
    index = CacheIndex(raw_dir)
    plan = plan_layers(base, layers, countries, raw_dir, settings, index)
    domains = None
    if tuple(layers) != DOMAIN_LAYERS and plan.total_calls > FREE_KEY_CALLS:
        domains = plan_layers(base, DOMAIN_LAYERS, countries, raw_dir, settings, index)
    return plan.describe(domains)
