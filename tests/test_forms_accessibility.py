"""axe-core in a real headless Chromium (Debian's) against every served form page in every language.

axe-core comes from npm (tests/data/intake/axe, pinned in its package-lock.json;
`make test` installs it), Chromium and chromedriver from apt: test tools cannot
download browsers here. The pages are served over loopback by the real app.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORMS
from webhooks import create_app

AXE = Path(__file__).parent / "data" / "intake" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory):
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("a11y")), "FORM_RATE_LIMIT": 0,
                      "DESK_PHONE": "016 27 20 00", "DESK_EMAIL": "helpt@leuven.be"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    assert AXE.is_file(), "axe-core is missing: run `npm ci --prefix tests/data/intake/axe` (make test does)"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options,
                              service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def violations(browser) -> list[dict]:
    browser.execute_script(AXE.read_text())
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))}))));",
        WCAG_21_AA,
    )
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("form_id", FORMS)
def test_every_form_page_has_no_axe_violations(browser, desk_url, lang, form_id):
    browser.get(f"{desk_url}/{lang}/{form_id}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
    assert violations(browser) == []
    # The same page after a send with nothing filled in: the error summary and invalid fields.
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, ".error-summary a")))
    assert violations(browser) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_thank_you_and_home_pages_have_no_axe_violations(browser, desk_url, lang):
    for path in (f"/{lang}/request/thanks", f"/{lang}/offer/thanks", f"/?lang={lang}"):
        browser.get(desk_url + path)
        assert violations(browser) == [], path
