"""Debian's headless Chromium for the page tests, and axe-core's accessibility check inside it.

axe-core comes from npm (tests/data/intake/axe, pinned in its package-lock.json;
`make test` installs it), Chromium and ChromeDriver from apt: test tools cannot
download browsers here. The flags keep Chromium off the network.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.wait import WebDriverWait

AXE = Path(__file__).parent / "data" / "intake" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def start_chromium(profile: Path) -> webdriver.Chrome:
    assert AXE.is_file(), "axe-core is missing: run `npm ci --prefix tests/data/intake/axe` (make test does)"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver.set_script_timeout(60)
    return driver


def violations(browser) -> list[dict]:
    """axe-core's WCAG 2.1 AA violations on the page the browser shows."""
    browser.execute_script(AXE.read_text())
    return browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))));",
        WCAG_21_AA,
    )


def wait_for_text(browser, locator: tuple[str, str], text: str, seconds: float = 20) -> None:
    """Until the element at `locator` holds `text`, as after a click that loads the next page.

    While the old page goes, ChromeDriver may answer a read of its element with a stale element, or with
    "unknown error: ... Node with given id does not belong to the document": both mean "not yet".
    A page that never comes still ends the wait, as a TimeoutException.
    """
    WebDriverWait(browser, seconds, ignored_exceptions=(WebDriverException,)).until(
        lambda b: text in b.find_element(*locator).text)
