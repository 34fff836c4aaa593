"""The reports in headless Chromium with the network cut off: they load without console errors,
every figure draws, nothing is fetched, and a country name made of markup shows as text.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); skipped without
(``browser_pages``). Screenshots go to ``tests/report/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import pytest

from browser_pages import browser, needs_chromium, open_page, screenshot  # noqa: F401 (fixture)
from test_report import BAD_CODE, BAD_NAME, bad_name_report, processed  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, needs_chromium]


def check_figures(driver) -> list[str]:
    """Every figure element has drawn data: its plotly SVG and at least one trace."""
    figures = driver.execute_script("""
        return Array.from(document.querySelectorAll('div.figure')).map(function (div) {
          return [div.id, (div._fullData || []).length,
                  div.querySelectorAll('svg.main-svg').length,
                  div.querySelectorAll('.trace, .choroplethlocation, .sankey-node, path.js-line,'
                                       + ' .heatmaplayer image, .point').length];
        });""")
    assert figures
    for figure_id, traces, svgs, marks in figures:
        assert traces > 0 and svgs > 0 and marks > 0, (figure_id, traces, svgs, marks)
    return [figure[0] for figure in figures]


@pytest.mark.parametrize("page", ["index", "2002"])
def test_page_loads_offline_without_errors_and_draws_every_figure(browser, bad_name_report,
                                                                   page):
    result = open_page(browser, bad_name_report[page])
    assert result["state"][0] and not result["state"][1], result["state"]
    errors = [e for e in result["console"] if e["level"] in ("SEVERE", "ERROR")]
    assert not errors, errors
    assert not result["requests"], result["requests"]
    drawn = check_figures(browser)
    assert int(result["state"][0]) == len(drawn)
    assert browser.find_element("id", "synthetic-banner").text.startswith("SYNTHETIC")
    path = screenshot(browser, f"report_{page}.png")
    assert path.stat().st_size > 10_000


def test_markup_in_a_country_name_renders_as_text(browser, bad_name_report):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    open_page(browser, bad_name_report["2002"])
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert  # noqa: B018 (the alert, if any script ran)
    cells = [cell.text for cell in browser.find_elements(
        By.CSS_SELECTOR, "#table-country-spheres td.name")]
    assert BAD_NAME.strip() in cells
    scripts = browser.execute_script(
        "return Array.from(document.scripts).map(s => [s.type, s.src, s.text.slice(0, 40)])")
    assert all(src or kind == "application/json" or "bibnet" not in text
               for kind, src, text in scripts)
    assert not any(text.lstrip().startswith("alert(") for _, _, text in scripts)
    index = open_page(browser, bad_name_report["index"])
    assert not [e for e in index["console"] if e["level"] == "SEVERE"]
    assert BAD_NAME.strip() in browser.find_element(By.ID, "answers").text
    # The map's hover text carries the name as text too: markup escaped, quotes as they are
    # (plotly turns &lt; back into "<" but would show &quot; as it stands).
    names = browser.execute_script("""
        return document.getElementById('fig-spheres-map')._fullData
          .flatMap(t => (t.customdata || []).map(c => c[0]));""")
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; \"Q'" in names


def test_country_spheres_table_sorts_and_filters(browser, bad_name_report):
    from selenium.webdriver.common.by import By

    open_page(browser, bad_name_report["2002"])
    table = browser.find_element(By.ID, "table-country-spheres")
    rows = lambda: [r for r in table.find_elements(By.CSS_SELECTOR, "tbody tr") if r.is_displayed()]  # noqa: E731
    total = len(rows())
    heads = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    column = heads.index("links to the centres")
    head = table.find_elements(By.CSS_SELECTOR, "thead th")[column]
    head.click()
    values = [float(r.find_elements(By.TAG_NAME, "td")[column].get_attribute("data-sort"))
              for r in rows() if r.find_elements(By.TAG_NAME, "td")[column].get_attribute(
                  "data-sort")]
    assert values == sorted(values)
    search = browser.find_element(By.CSS_SELECTOR, "input[data-table='table-country-spheres']")
    search.send_keys("France")
    assert [r.find_element(By.TAG_NAME, "td").text for r in rows()] == ["FR"]
    search.clear()
    search.send_keys(" ")  # an input event with an empty query shows every row again
    assert len(rows()) == total
    assert BAD_CODE in [r.find_element(By.TAG_NAME, "td").text for r in rows()]


def test_spheres_map_slider_changes_the_year_and_its_title(browser, bad_name_report):
    open_page(browser, bad_name_report["index"])
    steps = browser.execute_script(
        "return document.getElementById('fig-spheres-map').layout.sliders[0].steps"
        ".map(s => [s.label, s.args[1]['title.text']])")
    assert steps == [[str(y), f"Spheres in {y}"] for y in (2001, 2002, 2003)]
    shown = browser.execute_script("""
        var div = document.getElementById('fig-spheres-map');
        var step = div.layout.sliders[0].steps[0];
        return Plotly.update(div, step.args[0], step.args[1]).then(function () {
          return [div._fullData.map(t => t.visible), div._fullLayout.title.text,
                  div.querySelectorAll('.choroplethlocation').length];
        });""")
    assert shown[0] == [True, True, False, False, False, False]
    assert shown[1] == "Spheres in 2001"
    assert shown[2] > 0  # the first year's countries are drawn
