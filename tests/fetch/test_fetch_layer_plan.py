"""The plan of the research-field layers, from the cache alone: calls and dollars per layer,
where a free key's day ends, the cheaper choices; and no layer's files taken for another's."""

from __future__ import annotations

from pathlib import Path

from bibnet.counting import Counting
from bibnet.fetch import FetchSettings, plan_fetch
from bibnet.fetch.cache import CacheJob, is_cached, write_json_atomic
from bibnet.fetch.coverage import coverage_job
from bibnet.fetch.layer_plan import FREE_KEY_CALLS, plan_layers, plan_with_domains
from bibnet.fetch.plan import Budget
from bibnet.fetch.rows import row_job
from bibnet.taxonomy import DOMAIN_LAYERS, FIELD_LAYERS, field_layer

SETTINGS = FetchSettings()
CODES = ["AA", "BB", "CC"]
ENGINEERING, MEDICINE = field_layer("Engineering"), field_layer("Medicine")


def cache(job: CacheJob, partners: list[str]) -> None:
    """Write ``job``'s file as the fetch does, its groups ``partners`` (200 a page)."""
    write_json_atomic(job.path, {
        **job.identity, "query": {**job.record, "url": job.query.url}, "meta": {},
        "pages": max(1, -(-len(partners) // 200)),
        "groups": [{"code": code, "key": code, "name": code, "count": 1} for code in partners],
        "complete": True, "fetched_at": "2026-01-01T00:00:00Z"})


def plan(raw: Path, layers, countries=CODES, years=(2010, 2011), counting=Counting(),
         budget="not read"):
    base = plan_fetch(list(years), countries, raw, SETTINGS, counting, budget=budget)
    return plan_layers(base, layers, countries, raw, SETTINGS)


def test_on_an_empty_cache_each_layer_costs_what_all_science_costs(tmp_path):
    layers = plan(tmp_path, DOMAIN_LAYERS)
    assert layers.base.calls == 6
    assert [layers.layer_calls(i) for i in range(4)] == [6, 6, 6, 6]
    assert layers.coverage == (1, 1) and layers.layers_calls() == 26 and layers.calls == 32
    # each query at least one page, at most two (251 groups), the works by field one
    assert layers.layer_calls(0, "most") == 12 and layers.most == 12 + 4 * 12 + 2
    fractional = plan(tmp_path, [ENGINEERING], counting=Counting("fractional"))
    assert fractional.layer_calls(0) == 3 * 2 * 12 == fractional.base.calls


def test_pages_come_from_the_layer_then_from_all_sciences_row(tmp_path):
    many = [f"{a}{b}" for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:250]
    cache(row_job(tmp_path, 2010, "AA", {}), many)  # all-science: two pages
    cache(row_job(tmp_path, 2010, "BB", {}, layer=ENGINEERING), ["AA"])
    layers = plan(tmp_path, [ENGINEERING, MEDICINE], years=(2010,))
    engineering, medicine = layers.cells[0][0], layers.cells[1][0]
    assert (engineering.cached, engineering.calls) == (1, 2 + 1)  # AA two pages, CC one
    assert (medicine.cached, medicine.calls) == (0, 2 + 1 + 1)
    # AA's layer rows are bounded by its all-science row (250 groups): two pages at the most
    assert (medicine.fewest, medicine.most) == (3, 2 + 2 + 2)
    # the next year takes Engineering's BB from the cached year, AA from nothing of its own
    assert plan(tmp_path, [ENGINEERING], years=(2010, 2011)).cells[0][1].unhinted == 2


def test_a_layers_country_list_and_all_sciences_bound_its_countries(tmp_path):
    cache(row_job(tmp_path, 2010, None, {}), CODES + ["DD"])  # all-science: 4 countries
    cache(row_job(tmp_path, 2010, None, {}, layer=ENGINEERING), ["AA", "BB"])
    layers = plan(tmp_path, [ENGINEERING, MEDICINE], countries="all", years=(2010,))
    engineering, medicine = layers.cells[0][0], layers.cells[1][0]
    assert (engineering.queries, engineering.cached, engineering.calls) == (3, 1, 2)
    assert not engineering.assumed_countries
    assert (medicine.queries, medicine.calls, medicine.assumed_countries) == (5, 5, True)
    assert "an upper bound" in layers.describe()


def test_no_layer_takes_another_layers_file(tmp_path):
    engineering = row_job(tmp_path, 2010, "AA", {}, layer=ENGINEERING)
    medicine = row_job(tmp_path, 2010, "AA", {}, layer=MEDICINE)
    whole = row_job(tmp_path, 2010, "AA", {})
    assert len({engineering.path, medicine.path, whole.path}) == 3
    assert "primary_topic.field.id:22" in engineering.record["filter"]
    cache(medicine, ["BB"])
    medicine.path.parent.parent.joinpath(engineering.path.parent.name).mkdir()
    engineering.path.write_bytes(medicine.path.read_bytes())  # Medicine's rows, misplaced
    assert is_cached(medicine) and not is_cached(engineering)
    layers = plan(tmp_path, [ENGINEERING, MEDICINE], countries=["AA"], years=(2010,))
    assert [cells[0].cached for cells in layers.cells] == [0, 1]


def test_a_cached_years_works_by_field_cost_nothing(tmp_path):
    cache(coverage_job(tmp_path, 2010, {}, Counting().strata[0]), ["17", "UNKNOWN"])
    assert plan(tmp_path, DOMAIN_LAYERS).coverage == (0, 1)
    # capped counting counts what it keeps: its own works by field
    assert plan(tmp_path, DOMAIN_LAYERS, counting=Counting("capped", 10)).coverage == (1, 1)


def test_the_budget_stop_walks_the_years_as_the_fetch_does(tmp_path):
    budget = Budget(remaining_usd=0.0009, limit_usd=1.0, price_usd=0.0001, resets_at=None)
    layers = plan(tmp_path, DOMAIN_LAYERS, budget=budget)
    # 2010: all-science 3, works by field 1, Life Sciences 3: 2 of Social Sciences' 3 are left
    assert layers.stop(9) == (2010, "Social Sciences", 2)
    assert layers.stop(10) == (2010, "Physical Sciences", 0)
    assert layers.stop(layers.calls) is None
    # at the most, every query of an empty cache takes two pages (251 groups)
    assert layers.stop(9, "most") == (2010, "Life Sciences", 2)
    text = layers.describe()
    assert "today's budget ($0.0009, 9 calls) ends, at the most calls, in year 2010 " \
           "(Life Sciences) after 2 of its calls; at the fewest in year 2010 (Social Sciences)" \
        in text
    assert "likely needs 1 day" in text and "cheaper" not in text


def test_the_default_study_with_fields_names_the_cheaper_choices(tmp_path, monkeypatch):
    """The default study (countries: all, 1990-2023, whole counting) on an empty cache: the
    figures config/README.md quotes."""
    monkeypatch.delenv("OPENALEX_API_KEY", raising=False)
    years = list(range(1990, 2024))
    base = plan_fetch(years, "all", tmp_path, SETTINGS, Counting())
    fields = plan_with_domains(base, FIELD_LAYERS, "all", tmp_path, SETTINGS)[0]
    assert (fields.layers_calls(), fields.calls, fields.most) == (211_310, 219_436, 462_706)
    text = fields.describe(plan_with_domains(base, FIELD_LAYERS, "all", tmp_path, SETTINGS)[1])
    assert "likely needs 22 days (at the most calls 47); its first day likely ends in year " \
           "1991 (Immunology and Microbiology)" in text
    fields = text
    assert "- layers: domains (4 layers): 40,664 calls, 5 days" in fields
    assert "- fewer years: 2023 alone takes 6,454 calls" in fields
    domains = plan_layers(base, DOMAIN_LAYERS, "all", tmp_path, SETTINGS)
    assert (domains.calls, domains.free_key_days(), domains.most) == (40_664, 5, 85_714)
    assert domains.stop(FREE_KEY_CALLS)[:2] == (1998, "Life Sciences")
    assert "- fewer years: 2016-2023 (8 years)" in domains.describe()


def test_working_out_the_plan_makes_no_call(tmp_path, monkeypatch):
    def no_call(*args, **kwargs):
        raise AssertionError("the plan called OpenAlex")

    monkeypatch.setattr("requests.Session.request", no_call)
    assert plan(tmp_path, FIELD_LAYERS).describe()
