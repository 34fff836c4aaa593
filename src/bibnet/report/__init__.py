"""HTML reports an analyst reads in a browser, offline: the study at a glance and every year.

Made from the processed outputs alone (no refitting), by jinja2 templates (autoescaped) with
plotly figures; plotly.js and the world geometry ship beside the pages, so nothing is fetched.

``inputs``
    Readers of the processed outputs.
``figures``
    Plotly figures, each a pure function of processed tables.
``sections``
    Page sections, each a function of one processed input.
``work_records``
    The figures and sections of the focal pair's work records.
``pages``
    The pages and their assets: the functions the workflow's rules call.
"""

from bibnet.report.pages import build_index, build_year_page, write_assets

__all__ = ["build_index", "build_year_page", "write_assets"]
