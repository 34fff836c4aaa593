"""What can be asserted of the report's layout, measured in headless Chromium at 1400 and 1024 px
on the index and two year pages of every source the tests build: a small planted world
(2001-2003), a planted world over 34 years (1990-2023: long year axes, sliders and strips) and
the real Pajek networks of 2019-2021 where ../shared holds them.

``layout_checks.js`` measures the drawn boxes: nothing in plotly's toolbar region, no text
outside its figure (a clipped axis title or slider label), no tick label twice on an axis, no
two texts over each other, no table wider than its container without a scroll container. Each
page is saved as ``tests/report/artifacts/{page}-{source}-{width}.png`` (CI artefacts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_pages import browser, needs_chromium, open_page, screenshot  # noqa: F401 (fixture)
from conftest import REAL_DATA
from report_examples import (REAL_YEARS, YEARS, build_reports, make_processed,
                             make_real_processed)

pytestmark = [pytest.mark.browser, needs_chromium]

CHECKS = (Path(__file__).parent / "layout_checks.js").read_text(encoding="utf-8")
WIDTHS = (1400, 1024)
LONG_YEARS = list(range(1990, 2024))
#: The pages measured of each source: the index and two year pages.
PAGES = {"synthetic": ("index", str(YEARS[0]), str(YEARS[-1])),
         "synthetic-34-years": ("index", str(LONG_YEARS[0]), str(LONG_YEARS[-1])),
         "pajek": ("index", str(REAL_YEARS[1]), str(REAL_YEARS[-1]))}


def long_synthetic(root: Path) -> dict[str, Path]:
    """The planted sphere world over 34 years, without the work records (about a minute), and
    its index and two year pages."""
    made = make_processed(root, LONG_YEARS, records=False)
    return build_reports(made["processed"], root / "reports", made["made_from"],
                         years=LONG_YEARS, page_years=[LONG_YEARS[0], LONG_YEARS[-1]])


@pytest.fixture(scope="module", params=list(PAGES))
def source(request, tmp_path_factory) -> tuple[str, dict[str, Path]]:
    """A source's name and its report pages, built once for the module."""
    name = request.param
    root = tmp_path_factory.mktemp(name)
    if name == "synthetic":
        made = make_processed(root)
        return name, build_reports(made["processed"], root / "reports", made["made_from"])
    if name == "synthetic-34-years":
        return name, long_synthetic(root)
    if not REAL_DATA.is_dir():
        pytest.skip(f"real OpenAlex networks not found at {REAL_DATA} (../shared is only beside "
                    "the project on the developers' and CI machines)")
    made = make_real_processed(root, REAL_DATA)
    return name, build_reports(made["processed"], root / "reports", made["made_from"],
                               years=list(REAL_YEARS))


def measure(driver, path: Path, width: int) -> list[str]:
    """Open ``path`` in a window ``width`` px wide and return its layout defects."""
    driver.set_window_size(width, 1200)
    state = open_page(driver, path)["state"]
    assert state[0] and not state[1], (path, state)
    return driver.execute_script(CHECKS)


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_have_no_layout_defects(browser, source, width):
    name, pages = source
    defects = []
    for page in PAGES[name]:
        defects += [f"{page}: {defect}" for defect in measure(browser, pages[page], width)]
        shot = screenshot(browser, f"{page}-{name}-{width}.png", width=width)
        assert shot.stat().st_size > 10_000
    assert not defects, "\n".join(defects)


def test_figures_with_nothing_to_zoom_have_no_toolbar(browser, source):
    name, pages = source
    measure(browser, pages["index"], 1400)
    bars = browser.execute_script("""
        return Array.from(document.querySelectorAll('div.figure')).map(
          div => [div.id, div.querySelector('.modebar') !== null]);""")
    toolbars = dict(bars)
    assert toolbars["fig-verdicts"] is False and toolbars["fig-robustness"] is False
    # zoomable: on hover only where the device hovers (headless Chromium does not, so plotly
    # shows it always: the band kept free for it is what test_pages_have_no_layout_defects
    # measures)
    assert toolbars["fig-sphere-series"] is True


def test_the_answers_are_on_the_first_screen(browser, source):
    """The index's first screen (1024 x 768) holds both questions' answers."""
    name, pages = source
    browser.set_window_size(1024, 768)
    open_page(browser, pages["index"])
    bottoms = browser.execute_script("""
        return ['answer-centres', 'answer-regions', 'answer-hwang'].map(
          id => document.getElementById(id).getBoundingClientRect().bottom);""")
    assert max(bottoms) <= browser.execute_script("return window.innerHeight"), bottoms


def test_the_country_spheres_table_fits_and_filters(browser, source):
    from selenium.webdriver.common.by import By

    name, pages = source
    page = pages[PAGES[name][1]]
    measure(browser, page, 1400)
    table_width, room = browser.execute_script("""
        var table = document.getElementById('table-country-spheres');
        return [table.getBoundingClientRect().width,
                table.closest('.table-scroll').clientWidth];""")
    assert table_width <= room  # nothing hidden to the right at 1400 px
    field = browser.find_element(By.CSS_SELECTOR, "input[data-table='table-country-spheres']")
    field.send_keys("Nowhere at all")
    shown = browser.execute_script("""
        return Array.from(document.querySelectorAll('#table-country-spheres tbody tr')).filter(
          tr => tr.getBoundingClientRect().height > 0).length;""")
    assert shown == 0
