"""axe-core in a real headless Chromium (Debian's) against every served form page in every language.

axe-core comes from npm (tests/data/intake/axe, pinned in its package-lock.json;
`make test` installs it), Chromium and chromedriver from apt: test tools cannot
download browsers here. The pages are served over loopback by the real app.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from sheets_schema.fields import LANGUAGES
from webhooks import create_app
from webhooks.pages import PAGES

from .browser import violations
from .servers import serving


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory):
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("a11y")), "FORM_RATE_LIMIT": 0,
                      "DESK_PHONE": "016 27 20 00", "DESK_EMAIL": "helpt@leuven.be"})
    with serving(app) as url:
        yield url


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("form_id", PAGES)
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


@pytest.fixture
def phone(browser):
    """The browser as a 375x812 phone (Chrome's device mode), for as long as the test runs."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 375, "height": 812, "deviceScaleFactor": 3, "mobile": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("lang", LANGUAGES)
def test_on_a_phone_the_request_form_is_at_most_three_screens_to_send(phone, desk_url, lang):
    """Someone who cannot go out asks on a phone: the tasks come first and the Send button is within three
    screens; what is optional or long (other languages, when, on whose behalf, the full privacy text) folds
    away and opens with one tap, already open once answered. (bench/form_length.py measures every page.)"""
    phone.get(f"{desk_url}/{lang}/request")
    screen = phone.execute_script("return window.innerHeight")
    assert screen == 812
    first_question = phone.find_element(By.CSS_SELECTOR, "main form[novalidate] fieldset:not(.honeypot)")
    assert first_question.get_attribute("id") == "f-tasks"
    send = phone.execute_script("const b = document.querySelector('main form[novalidate] > button[type=submit]');"
                                "return b.getBoundingClientRect().bottom + window.scrollY;")
    assert send <= 3 * screen, send / screen
    assert "016 27 20 00" in phone.find_element(By.CSS_SELECTOR, "main > p").text  # the desk's phone, up front
    other = phone.find_element(By.ID, "f-languages-ar")
    assert not other.is_displayed()
    phone.find_element(By.CSS_SELECTOR, "#f-languages details.more > summary").click()
    assert other.is_displayed()
    other.click()
    phone.find_element(By.CSS_SELECTOR, "main form[novalidate] > button[type=submit]").click()
    WebDriverWait(phone, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR,
                                                                                     ".error-summary")))
    # Sent back with errors, the other language ticked stays in sight and ticked.
    assert phone.find_element(By.ID, "f-languages-ar").is_displayed()
    assert phone.find_element(By.ID, "f-languages-ar").is_selected()
    assert violations(phone) == []
