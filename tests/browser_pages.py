"""Report pages in headless Chromium with the network cut off, for the browser tests.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them); the tests that
use :func:`browser` are skipped without. Screenshots go to ``tests/report/artifacts/``
(git-ignored), which CI keeps as artefacts.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "report" / "artifacts"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
#: Skips a test module without the browser (``pytestmark = needs_chromium``).
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="chromium and chromedriver not on PATH (apt-get install -y chromium chromium-driver; "
           ".ci/run does)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """A headless Chromium that resolves no host and reaches no proxy."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1300,1800",
                 # No network: every host resolves to nothing and any proxy use fails.
                 "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.get("data:text/html,<title>blank</title>")
    driver.get_log("performance")
    yield driver
    driver.quit()


def open_page(driver, path: Path) -> dict:
    """Load ``path``; wait for the figures; return console entries and non-file requests."""
    driver.get(path.as_uri())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = driver.execute_script(
            "return [document.body.getAttribute('data-figures-drawn'),"
            " document.body.getAttribute('data-figures-failed')]")
        if any(state):
            break
        time.sleep(0.1)
    requests = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("file:", "data:", "chrome:", "chrome-extension:")):
                requests.append(url)
    return {"state": state, "console": driver.get_log("browser"), "requests": requests}


def screenshot(driver, name: str, width: int = 1300) -> Path:
    """A full-page screenshot ``name`` in ``tests/report/artifacts/``, the window ``width`` px wide."""
    ARTIFACTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height + 40, 16000))
    time.sleep(0.5)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    driver.set_window_size(1300, 1800)
    print(f"screenshot: {path}")
    return path
