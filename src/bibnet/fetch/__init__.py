"""Fetching the country x country rows of OpenAlex, one cached JSON file per row.

One row of a year's matrix is one ``group_by`` query: the works of year ``Y`` with an author in
country ``CC`` and authors in more than one country, grouped by their authors' countries::

    works?filter=authorships.countries:CC,publication_year:Y,countries_distinct_count:>1
         &group-by=authorships.countries&cursor=*&per-page=200

paged on with ``meta.next_cursor`` until it is null, so a row with more than 200 partners is
complete. Each finished row is written atomically to ``raw_dir/{year}/{CC}.json``; a re-run reads
it back and makes no call for it. With ``countries: all`` the year's country list is one more
such query without the country filter, cached as ``raw_dir/{year}/_countries.json``. A year's
``manifest.json`` is written last, once every row of the year is present.

A row file holds ``year``, ``country`` (None for the country list), ``query`` (``filter`` as
sent, ``group_by`` and the first page's ``url``; never the key), ``meta`` (the first page's,
with ``count``, the works matched), ``pages`` (pages read), ``groups`` (every group of every page,
sorted by ``code``: ``{"code": "DE", "key": "https://openalex.org/countries/DE", "name": ...,
"count": ...}``), ``complete`` (always true: an incomplete row is never written) and
``fetched_at`` (UTC, ISO 8601). A present file that does not parse, is not complete, or was
fetched with other filters is fetched again, with a warning.

The focal pair's work records (`fetch_records`) are cached the same way, one file per query
written when complete: every work of year ``Y`` with authors from both focal countries
(`records_query`, a cursor-paged listing of 200 works a page with only `RECORD_FIELDS`) in
``raw_dir/records/{A}-{B}/{Y}.json``, and each focal country's international output grouped by
field, by domain, and by field among its top-10%-cited works (`baseline_query`) in
``raw_dir/records/baselines/{CC}/{Y}.{what}.json``. Rows, records and baselines are all a
`CacheJob`, fetched by one engine.

Modules: `errors` (what stops a fetch), `settings` (the ``openalex:`` section and the report),
`client` (calls, retries, rate limits and the pool of workers), `cache` (the files), `rows` (the
country rows in the strata of a counting scheme), `plan` (calls, cost and budget before the first
call), `year` (one year's fetch and manifest) and `focal` (the focal pair's records and
baselines).

Examples
--------
>>> settings = FetchSettings.from_config({"concurrency": 4, "filters": {"type": "article"}})
>>> settings.concurrency, settings.retries, dict(settings.filters)
(4, 8, {'type': 'article'})
>>> row_query(2010, "DE", settings.filters).url
'https://api.openalex.org/works?filter=authorships.countries:DE,publication_year:2010,countries_distinct_count:%3E1,type:article&group-by=authorships.countries'
"""

from bibnet.fetch.cache import CacheJob, read_cached, write_json_atomic
from bibnet.fetch.errors import (API_KEY_ENV, BudgetExhaustedError, FetchError, KeyRejectedError,
                                 MissingKeyError, TransientGiveUp)
from bibnet.fetch.focal import (BASELINES, RECORD_FIELDS, baseline_path, baseline_query,
                                fetch_records, records_jobs, records_manifest_path, records_path,
                                records_query)
from bibnet.fetch.plan import plan_fetch, print_plan
from bibnet.fetch.rows import (country_list, fetch_rows, manifest_path, read_row, row_job,
                               row_path, row_query)
from bibnet.fetch.settings import FetchReport, FetchSettings
from bibnet.fetch.year import fetch_configured_year, fetch_year

__all__ = ["API_KEY_ENV", "BASELINES", "RECORD_FIELDS", "BudgetExhaustedError", "CacheJob",
           "FetchError", "FetchReport", "FetchSettings", "KeyRejectedError", "MissingKeyError",
           "TransientGiveUp", "baseline_path", "baseline_query", "country_list", "fetch_records",
           "fetch_configured_year", "fetch_rows", "fetch_year", "manifest_path", "plan_fetch",
           "print_plan", "read_cached", "read_row", "records_jobs",
           "records_manifest_path", "records_path", "records_query", "row_job", "row_path",
           "row_query", "write_json_atomic"]
