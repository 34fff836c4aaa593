"""What the research-field layers cost, before any call: calls and dollars per layer, where a
free key's day ends, how many days the fetch takes, and the cheaper choices.

Each layer (`bibnet.taxonomy.Layer`) costs what all-science costs (`bibnet.fetch.plan`): one
query per country and year in each stratum of the counting scheme, plus, with ``countries:
all``, the layer's country list; and every year one more call, the works by field that say how
many works have no primary topic (`bibnet.fetch.coverage`). So 26 fields cost 26 times
all-science, the 4 domains 4 times.

The calls still needed are worked out from the cache alone, with the three figures of the
all-science plan (fewest, likely, most). A layer's countries are its cached country list of the
year; without one, the all-science list of the year (every country with works in a layer has
international works: an upper bound), else as many as the nearest year's list, else
`ASSUMED_COUNTRIES` (at the most `UNIVERSE`). A query takes at least one page; likely, the pages
of the same query in the nearest cached year of the layer, else of the all-science row of the
same country and year, else one; at the most the pages of the fewest groups that bound it: the
all-science row of the same country and year (a layer's partners are among all-science's), the
year's all-science country list, the layer's own row of another year plus `PARTNER_GROWTH` a
year, else `UNIVERSE` (two pages). The works by field are one page (27 groups at the most).

The fetch runs year by year (all-science and the focal records, the works by field, then each
layer in the configured order), so the plan can say in which year and layer a budget runs out:
today's, as ``GET /rate-limit`` gives it (decided on the most calls, as all-science's plan
decides), and a fresh free key's ($1.00 a day, 10,000 calls, on the likely calls). Where the
whole fetch likely needs more than one day of a free key, the plan names the cheaper choices:
the 4 domains instead of fields, the most recent years that fit one day, or about how many
countries do.

Examples
--------
>>> from bibnet.counting import Counting
>>> from bibnet.fetch.plan import FetchPlan, YearPlan
>>> from bibnet.taxonomy import DOMAIN_LAYERS
>>> base = FetchPlan(Counting(), [YearPlan(2010, 239, 0, 239), YearPlan(2011, 239, 0, 239)],
...                  "not read")
>>> cells = tuple((YearPlan(2010, 239, 0, 239, most=478), YearPlan(2011, 239, 0, 239))
...               for _ in DOMAIN_LAYERS)
>>> plan = LayerPlan(base, DOMAIN_LAYERS, cells, coverage=(1, 1))
>>> plan.layers_calls(), (plan.fewest, plan.calls, plan.most), plan.free_key_days()
(1914, (2392, 2392, 3348), 1)
>>> plan.stop(1000), plan.stop(1000, "most")
((2010, 'Health Sciences', 43), (2010, 'Social Sciences', 282))
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
from bibnet.fetch.errors import CALL_PRICE_USD, FetchError
from bibnet.fetch.plan import (ASSUMED_COUNTRIES, PARTNER_GROWTH, UNIVERSE, Budget, End,
                               FetchPlan, YearPlan)
from bibnet.fetch.rows import COUNTRY_LIST, row_job, row_path
from bibnet.fetch.settings import FetchSettings
from bibnet.taxonomy import ALL_SCIENCE, DOMAIN_LAYERS, Layer, layers_from_spec

#: A free key's daily budget (OpenAlex, 2026).
FREE_KEY_USD = 1.00
FREE_KEY_CALLS = int(round(FREE_KEY_USD / CALL_PRICE_USD))
COVERAGE_LABEL = "works by field"


class CacheIndex:
    """The raw cache as the plan reads it: each folder listed once, each file's groups read once
    (the plan of 26 layers x 34 years x 240 countries looks up some 200,000 queries, so no
    path is built for a file that is not there)."""

    def __init__(self, raw_dir: Path):
        self.raw_dir = Path(raw_dir)
        self._folders: dict[tuple[int, Stratum, Layer], tuple[Path, frozenset[str]]] = {}
        self._groups: dict[Path, list[dict] | None] = {}

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

    def groups(self, year: int, country: str | None, stratum: Stratum,
               layer: Layer) -> list[dict] | None:
        """The groups of a cached query; None if it is not cached or not readable."""
        path = self.cached_path(year, country, stratum, layer)
        if path is None:
            return None
        if path not in self._groups:
            try:
                self._groups[path] = read_cached(path)["groups"]
            except ValueError:
                self._groups[path] = None
        return self._groups[path]

    def listed(self, year: int, layer: Layer) -> list[str] | None:
        """The countries of a cached country list of a year in a layer, or None."""
        groups = self.groups(year, None, WHOLE_STRATUM, layer)
        if groups is None:
            return None
        return sorted(g["code"] for g in groups if len(g["code"]) == 2 and g["code"].isalpha())


def _dollars(amount: float) -> str:
    return f"${amount:.4f}"


def _pages(groups: int) -> int:
    return max(1, math.ceil(groups / PER_PAGE))


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


def _query_range(index: CacheIndex, year: int, country: str | None, stratum: Stratum,
                 layer: Layer, nearest: Sequence[int]) -> tuple[int, int | None, int]:
    """Fewest, likely (None where the cache cannot tell) and most pages of a layer's query
    (the module docstring says from what); ``nearest``: the years by distance that hold any
    query of the layer and stratum."""
    likely, most = None, UNIVERSE
    for other in nearest:
        groups = index.groups(other, country, stratum, layer)
        if groups is not None:
            likely = _pages(len(groups))
            if country is not None:  # a country list only bounds itself
                most = min(most, len(groups) + abs(other - year) * PARTNER_GROWTH)
            break
    bounds = [(country, stratum), (country, WHOLE_STRATUM), (None, WHOLE_STRATUM)]
    for code, part in bounds:  # all-science's of the same year: its partners bound the layer's
        groups = index.groups(year, code, part, ALL_SCIENCE)
        if groups is not None:
            likely = _pages(len(groups)) if likely is None else likely
            most = min(most, len(groups))
    return 1, likely, _pages(most)


def plan_layer_year(year: int, layer: Layer, countries: Sequence[str] | str, raw_dir: Path,
                    settings: FetchSettings, counting: Counting, years: Sequence[int] = (),
                    index: CacheIndex | None = None) -> YearPlan:
    """The queries of one year in one layer, how many are cached, and the calls the rest take
    (the works by field not included: `coverage_calls`)."""
    index = index or CacheIndex(raw_dir)
    years = sorted(set(years) | {year})
    queries = cached = calls = unhinted = fewest = most = 0
    assumed = False
    jobs: list[tuple[str | None, Stratum]] = []
    if countries == "all":
        jobs.append((None, WHOLE_STRATUM))
        codes, n_codes, assumed = _layer_countries(index, year, layer, years)
        if codes is None:  # countries not known yet: one page each, at most two
            queries = calls = unhinted = fewest = n_codes * len(counting.strata)
            most = UNIVERSE * len(counting.strata) * _pages(UNIVERSE)
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
        low, likely, high = _query_range(index, year, code, stratum, layer, nearest[stratum])
        calls += likely or low
        unhinted += likely is None
        fewest += low
        most += high
    return YearPlan(year, queries, cached, calls, assumed, unhinted, fewest, most)


def coverage_calls(year: int, raw_dir: Path, settings: FetchSettings, counting: Counting) -> int:
    """1 if the year's works by field are still to fetch (one page: 27 groups at the most),
    else 0."""
    return int(not is_cached(coverage_job(raw_dir, year, settings.filters,
                                          coverage_stratum(counting))))


@dataclass(frozen=True)
class LayerPlan:
    """The plan of a run with layers: the all-science plan ``base`` (`bibnet.fetch.plan`, rows
    and focal records) and the layers'.

    ``cells[i][t]`` is layer ``layers[i]`` in year ``base.years[t]``; ``coverage[t]`` the calls
    of that year's works by field; ``listed`` whether each year and layer has a country list
    (``countries: all``). ``fewest``, ``calls`` (likely) and ``most`` are the whole run's."""

    base: FetchPlan
    layers: tuple[Layer, ...]
    cells: tuple[tuple[YearPlan, ...], ...]
    coverage: tuple[int, ...]
    listed: bool = True

    def layer_calls(self, position: int, end: End = "calls") -> int:
        return sum(getattr(year, end) for year in self.cells[position])

    def layers_calls(self, end: End = "calls") -> int:
        """The calls of the layers and the works by field (all-science's not included)."""
        return sum(self.layer_calls(i, end) for i in range(len(self.layers))) + sum(self.coverage)

    @property
    def fewest(self) -> int:
        return self.base.fewest + self.layers_calls("fewest")

    @property
    def calls(self) -> int:
        return self.base.calls + self.layers_calls("calls")

    @property
    def most(self) -> int:
        return self.base.most + self.layers_calls("most")

    @property
    def blocker(self) -> FetchError | None:
        """What stops every call before the run starts (`FetchPlan.blocker`)."""
        return self.base.blocker

    def calls_text(self) -> str:
        """The whole run's calls still needed, as a range with the likely figure, and their
        cost (as `FetchPlan.calls_text`)."""
        price = self.base.cost_usd(1)
        return (f"{self.fewest:,} to {self.most:,} calls, likely {self.calls:,} "
                f"({_dollars(self.fewest * price)} to {_dollars(self.most * price)})")

    def free_key_days(self, end: End = "calls") -> int:
        """Days of a free key's budget the whole run needs."""
        return math.ceil(getattr(self, end) / FREE_KEY_CALLS)

    def steps(self, end: End = "calls") -> Iterator[tuple[int, str, int]]:
        """``(year, what, calls)`` in the order the fetch makes them."""
        rows = {year.year: year for year in self.base.years}
        records = {year.year: year for year in self.base.records}
        for year in sorted(set(rows) | set(records)):
            if year in rows:
                yield year, "all-science", getattr(rows[year], end)
            if year in records:
                yield year, "focal records", getattr(records[year], end)
            if year in rows:
                t = list(rows).index(year)
                yield year, COVERAGE_LABEL, self.coverage[t]
                for layer, cells in zip(self.layers, self.cells):
                    yield year, layer.name, getattr(cells[t], end)

    def stop(self, calls_left: int, end: End = "calls") -> tuple[int, str, int] | None:
        """``(year, what, calls made in it)`` where ``calls_left`` run out if every query takes
        its ``end`` of pages, or None."""
        for year, what, calls in self.steps(end):
            if calls > calls_left:
                return year, what, calls_left
            calls_left -= calls
        return None

    def year_calls(self) -> dict[int, int]:
        """Every year's likely calls, all-science's and the layers'."""
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
                 f"  {'layer':<44} {'queries':>8} {'cached':>8} {'likely':>8} "
                 f"{'fewest-most':>17} {'cost':>10}"]
        for position, layer in enumerate(self.layers):
            cells = self.cells[position]
            calls = self.layer_calls(position)
            span = f"{self.layer_calls(position, 'fewest'):,}-{self.layer_calls(position, 'most'):,}"
            lines.append(f"  {layer.name:<44} {sum(y.queries for y in cells):>8,} "
                         f"{sum(y.cached for y in cells):>8,} {calls:>8,} {span:>17} "
                         f"{_dollars(calls * price):>10}")
        coverage = sum(self.coverage)
        lines.append(f"  {COVERAGE_LABEL + ' (1 a year)':<44} {len(self.coverage):>8,} "
                     f"{len(self.coverage) - coverage:>8,} {coverage:>8,} "
                     f"{f'{coverage:,}-{coverage:,}':>17} {_dollars(coverage * price):>10}")
        lines.append("  (the works by field count the works without a primary topic, which are "
                     "in all-science only)")
        fewest, likely, most = (self.layers_calls(end) for end in ("fewest", "calls", "most"))
        lines.append(f"  layers: {fewest:,} to {most:,} calls, likely {likely:,} "
                     f"({_dollars(likely * price)}); the whole run with all-science's "
                     f"{self.base.calls:,}: {self.calls_text()}")
        if any(y.assumed_countries for cells in self.cells for y in cells):
            lines.append("  (a layer without a cached country list is counted with the year's "
                         "all-science countries, an upper bound)")
        lines += self._budget_lines()
        if self.calls > FREE_KEY_CALLS:
            lines += self._cheaper(domains)
        return "\n".join(lines)

    def _budget_lines(self) -> list[str]:
        days, most = self.free_key_days(), self.free_key_days("most")
        text = (f"  a free key (${FREE_KEY_USD:.2f}, {FREE_KEY_CALLS:,} calls a day) likely "
                f"needs {days} day{'s' if days != 1 else ''} (at the most calls {most})")
        stop = self.stop(FREE_KEY_CALLS)
        if stop:
            text += f"; its first day likely ends in year {stop[0]} ({stop[1]})"
        lines = [text]
        budget = self.base.budget
        if isinstance(budget, Budget):
            left = budget.remaining_calls
            stop, fewest = self.stop(left, "most"), self.stop(left, "fewest")
            head = f"  today's budget ({_dollars(budget.remaining_usd)}, {left:,} calls)"
            if stop is None:
                lines.append(f"{head} covers the whole run even at its most calls")
            else:
                lines.append(f"{head} ends, at the most calls, in year {stop[0]} ({stop[1]}) "
                             f"after {stop[2]:,} of its calls; "
                             + ("at the fewest it covers the run" if fewest is None else
                                f"at the fewest in year {fewest[0]} ({fewest[1]})"))
        return lines

    def _cheaper(self, domains: LayerPlan | None) -> list[str]:
        lines = ["  cheaper choices (likely calls), each within one day of a free key where it "
                 "says so:"]
        if domains is not None and domains.calls < self.calls:
            days = domains.free_key_days()
            lines.append(f"  - layers: domains (4 layers): {domains.calls:,} calls, {days} "
                         f"day{'s' if days != 1 else ''}")
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
        """About how many countries fit one free day over every year and layer: the rows'
        likely calls (not the works by field, country lists or focal records), per country of
        an average year."""
        strata = len(self.base.counting.strata)
        n_lists = len(self.base.years) * (len(self.layers) + 1) if self.listed else 0
        fixed = sum(self.coverage) + n_lists + sum(y.calls for y in self.base.records)
        countries = sum((y.queries - self.listed) / strata for y in self.base.years) / len(
            self.base.years)
        per_country = (self.calls - fixed) / countries
        room = FREE_KEY_CALLS - fixed
        return int(room // per_country) if per_country > 0 and room > 0 else 0


def plan_layers(base: FetchPlan, layers: Sequence[Layer], countries: Sequence[str] | str,
                raw_dir: Path, settings: FetchSettings, index: CacheIndex | None = None
                ) -> LayerPlan:
    """The plan of fetching ``layers`` (fields or domains, not all-science) over the row years
    of the all-science plan ``base``, with its counting scheme and budget; no call is made."""
    index = index or CacheIndex(raw_dir)
    counting = base.counting
    years = [year.year for year in base.years]
    cells = tuple(tuple(plan_layer_year(year, layer, countries, raw_dir, settings, counting,
                                        years, index) for year in years) for layer in layers)
    coverage = tuple(coverage_calls(year, raw_dir, settings, counting) for year in years)
    return LayerPlan(base, tuple(layers), cells, coverage, countries == "all")


def plan_with_domains(base: FetchPlan, layers: Sequence[Layer], countries: Sequence[str] | str,
                      raw_dir: Path, settings: FetchSettings) -> tuple[LayerPlan, LayerPlan | None]:
    """The plan of the layers and, where they are fields that take more than a free key's day,
    the same run's plan with the 4 domains instead (the cheaper choice `LayerPlan.describe`
    names)."""
    index = CacheIndex(raw_dir)
    plan = plan_layers(base, layers, countries, raw_dir, settings, index)
    domains = None
    if tuple(layers) != DOMAIN_LAYERS and plan.calls > FREE_KEY_CALLS:
        domains = plan_layers(base, DOMAIN_LAYERS, countries, raw_dir, settings, index)
    return plan, domains


def configured_layer_plan(layers: str | Sequence[int | str], base: FetchPlan,
                          countries: Sequence[str] | str, settings: FetchSettings,
                          raw_dir: Path) -> tuple[LayerPlan, LayerPlan | None] | None:
    """`plan_with_domains` of the configured ``layers`` (the configuration's setting,
    `bibnet.taxonomy.layers_from_spec`) over the all-science plan ``base``; None without layers
    (or without row years to fetch)."""
    every_layer = layers_from_spec(layers)[1:]
    if not every_layer or not base.years:
        return None
    return plan_with_domains(base, every_layer, countries, raw_dir, settings)
