"""Focal-pair work records in OpenAlex's documented Work shape, and a fake of the two queries
that fetch them (the works listing and the baselines' group_by), for the records tests.

A work is built from its authorships, each ``(position, countries, institutions)`` with
``institutions`` as ``(id, name, country_code)``; the shape follows the Work and Authorship
objects of the OpenAlex documentation (``authorships[].author_position``,
``authorships[].countries``, ``authorships[].institutions[].country_code``,
``authorships[].is_corresponding``, ``primary_topic.field`` and ``.domain``, ``fwci``,
``citation_normalized_percentile``).
"""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs, urlsplit


def next_fault(faults: dict, key):
    """The next fault seeded for a request's ``key``, taken off its queue, or None.

    A fault is an exception (raised here, as ``requests`` would) or a ``(status, headers,
    body)`` answer; the fakes answer it as is where it has a body, and otherwise add its
    headers to a normal answer.
    """
    queue = faults.get(key)
    if not queue:
        return None
    fault = queue.pop(0)
    if isinstance(fault, BaseException):
        raise fault
    return fault


OA = "https://openalex.org/"
FIELDS = {17: ("Computer Science", 3), 22: ("Engineering", 3), 31: ("Physics and Astronomy", 3),
          27: ("Medicine", 4), 13: ("Biochemistry, Genetics and Molecular Biology", 1)}
DOMAINS = {1: "Life Sciences", 3: "Physical Sciences", 4: "Health Sciences"}
KAIST = ("I1", "KAIST", "KR")
SNU = ("I2", "Seoul National University", "KR")
OXFORD = ("I3", "University of Oxford", "GB")
UCL = ("I4", "University College London", "GB")
MIT = ("I5", "MIT", "US")


def institution(inst: tuple[str, str, str]) -> dict:
    ident, name, country = inst
    return {"id": OA + ident, "display_name": name, "ror": None, "country_code": country,
            "type": "education", "lineage": [OA + ident]}


def work(number: int, authors, field: int | None = 22, year: int = 2010, fwci=1.0,
         top10: bool | None = False, cited: int = 3, corresponding=None,
         corresponding_ids=None) -> dict:
    """One work; ``authors`` lists ``(position, countries, institutions)``.

    ``countries=None`` leaves an authorship's ``countries`` out (the institutions' codes then
    speak); ``corresponding`` lists the indices of corresponding authors (None: every
    ``is_corresponding`` is false, as OpenAlex gives it where it does not know).
    """
    authorships = []
    for index, (position, countries, institutions) in enumerate(authors):
        authorship = {
            "author_position": position,
            "author": {"id": f"{OA}A{number}{index}", "display_name": f"Author {index}",
                       "orcid": None},
            "institutions": [institution(i) for i in institutions],
            "is_corresponding": index in (corresponding or ()),
            "raw_author_name": f"Author {index}",
            "raw_affiliation_strings": [i[1] for i in institutions],
        }
        if countries is not None:
            authorship["countries"] = list(countries)
        authorships.append(authorship)
    topic = None
    if field is not None:
        name, domain = FIELDS[field]
        topic = {"id": f"{OA}T{field}00", "display_name": f"A topic of {name}", "score": 0.9,
                 "subfield": {"id": f"{OA}subfields/{field}00", "display_name": name},
                 "field": {"id": f"{OA}fields/{field}", "display_name": name},
                 "domain": {"id": f"{OA}domains/{domain}", "display_name": DOMAINS[domain]}}
    percentile = None if top10 is None else {"value": 0.95 if top10 else 0.4,
                                             "is_in_top_1_percent": False,
                                             "is_in_top_10_percent": top10}
    return {"id": f"{OA}W{number:06d}", "publication_year": year, "type": "article",
            "authorships": authorships, "primary_topic": topic, "cited_by_count": cited,
            "fwci": fwci, "citation_normalized_percentile": percentile,
            "corresponding_author_ids": list(corresponding_ids or ())}


def field_groups(counts: dict[int, int]) -> list[dict]:
    """group_by answers for ``primary_topic.field.id``; key 0 stands for OpenAlex's unknown."""
    return [{"key": f"{OA}fields/{f}" if f else "unknown",
             "key_display_name": FIELDS[f][0] if f else "unknown", "count": n}
            for f, n in counts.items()]


def domain_groups(counts: dict[int, int]) -> list[dict]:
    return [{"key": f"{OA}domains/{d}", "key_display_name": DOMAINS[d], "count": n}
            for d, n in counts.items()]


class FakeRecordsAPI:
    """A scripted stand-in for the works listing and the baselines' group_by queries.

    ``works[year]`` lists the pair's works; ``baselines[(CC, year, what)]`` the groups of a
    baseline. ``fail(kind, *faults, cursor=...)`` queues faults for a query kind (``"records"``
    or ``"KR/fields"``): an exception, or ``(status, headers, body)`` with body None for the
    true answer under those headers.
    """

    def __init__(self, works: dict[int, list[dict]], baselines: dict[tuple, list[dict]]):
        self.works, self.baselines = works, baselines
        self.calls: list[dict[str, str]] = []
        self.faults: dict[tuple[str, str], list] = {}
        self.lock = threading.Lock()
        self.repeat_on: str | None = None  # a cursor whose page repeats the first work
        # group_by's meta.count: "works" matched (OpenAlex's documentation now, with
        # groups_count beside it) or "groups" (its earlier documentation)
        self.meta_count = "works"

    def fail(self, kind: str, *faults, cursor: str = "*") -> None:
        self.faults.setdefault((kind, cursor), []).extend(faults)

    def kind(self, params: dict[str, str]) -> str:
        filters = params["filter"].split(",")
        if "group-by" not in params:
            return "records"
        country = filters[0].split(":", 1)[1]
        top10 = any(f.startswith("citation_normalized_percentile") for f in filters)
        what = "domains" if "domain" in params["group-by"] else (
            "fields_top10" if top10 else "fields")
        return f"{country}/{what}"

    def __call__(self, request):
        # "+" is OpenAlex's AND inside one filter, as the real server reads it
        query = urlsplit(request.url).query.replace("+", "%2B")
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        with self.lock:
            self.calls.append(params)
        kind = self.kind(params)
        cursor = params.get("cursor")
        headers = {"X-RateLimit-Remaining": "1000"}
        fault = next_fault(self.faults, (kind, cursor))
        if fault is not None:
            if fault[2] is not None:
                return fault
            headers = {**headers, **fault[1]}
        year = int(dict(f.split(":", 1) for f in params["filter"].split(","))["publication_year"])
        size = int(params.get("per-page", 25))
        start = 0 if cursor in (None, "*") else int(cursor)
        if kind == "records":
            items = self.works.get(year, [])
        else:
            country, what = kind.split("/")
            items = self.baselines.get((country, year, what), [])
            matched = sum(g["count"] for g in items)
            if not params["group-by"].endswith(":include_unknown"):  # hidden unless asked for
                items = [g for g in items if g["key"] != "unknown"]
        page = items[start:start + size]
        if cursor == self.repeat_on:
            page = page + items[:1]
        more = start + size < len(items)
        if kind == "records":
            meta = {"count": len(items)}
        else:
            meta = {"count": matched if self.meta_count == "works" else len(items),
                    "groups_count": len(items)}
        meta.update(per_page=size, next_cursor=str(start + size) if more else None)
        body = ({"meta": meta, "results": page} if kind == "records"
                else {"meta": meta, "results": [], "group_by": page})
        return 200, headers, json.dumps(body)


def year_works(year: int = 2010) -> list[dict]:
    """The hand-computed year of tests/records/test_records.py: five KR-GB works.

    ====  ==========================================  ===========  =====  ====  =====
    work  authors (position: countries [institutions])  corresp.    field  fwci  top10
    ====  ==========================================  ===========  =====  ====  =====
    W1    first KR [KAIST], middle GB [Oxford],          KR (flag)   Eng    2.0   yes
          last GB [UCL]
    W2    first GB [Oxford], last KR [SNU]               KR (ids)    Phys   0.5   no
    W3    first KR+GB [KAIST, Oxford], middle GB [UCL],  none        CS     -     -
          last US [MIT]
    W4    first none [], last GB [UCL]                   GB (flag)   none   1.0   no
    W5    first, alone, no countries [KAIST, Oxford]     none        Eng    3.0   yes
    ====  ==========================================  ===========  =====  ====  =====
    """
    return [
        work(1, [("first", ["KR"], [KAIST]), ("middle", ["GB"], [OXFORD]),
                 ("last", ["GB"], [UCL])], field=22, fwci=2.0, top10=True, corresponding=[0],
             year=year),
        work(2, [("first", ["GB"], [OXFORD]), ("last", ["KR"], [SNU])], field=31, fwci=0.5,
             corresponding_ids=[f"{OA}A21"], year=year),
        work(3, [("first", ["KR", "GB"], [KAIST, OXFORD]), ("middle", ["GB"], [UCL]),
                 ("last", ["US"], [MIT])], field=17, fwci=None, top10=None, year=year),
        work(4, [("first", None, []), ("last", ["GB"], [UCL])], field=None, fwci=1.0,
             corresponding=[1], year=year),
        work(5, [("first", None, [KAIST, OXFORD])], field=22, fwci=3.0, top10=True, year=year),
    ]


def fake_baselines(years, pair=("KR", "GB")) -> dict[tuple, list[dict]]:
    """The same small baselines for every country and year, as `FakeRecordsAPI` takes them."""
    fields = field_groups({22: 100, 31: 300, 17: 50, 27: 530, 0: 20})
    return {(cc, year, what): groups for year in years for cc in pair
            for what, groups in (("fields", fields), ("domains", domain_groups({3: 500})),
                                 ("fields_top10", field_groups({22: 10})))}


def fetch_fake_records(raw_dir, years, pair=("KR", "GB")) -> list:
    """Fetch `year_works` of each year and `fake_baselines` into ``raw_dir`` with the real
    ``bibnet.fetch.fetch_records`` against `FakeRecordsAPI` (no network): the manifests."""
    import os
    from unittest import mock as patch

    import responses

    from bibnet.fetch import API_KEY_ENV, FetchSettings, fetch_records

    fake = FakeRecordsAPI({year: year_works(year) for year in years}, fake_baselines(years, pair))
    with patch.patch.dict(os.environ, {API_KEY_ENV: "dummy"}), responses.RequestsMock() as mock:
        mock.add_callback(responses.GET, "https://api.openalex.org/works", callback=fake)
        return [fetch_records(year, list(pair), raw_dir, FetchSettings(backoff_s=0.0),
                              progress=False) for year in years]
