"""The neighbour card: what it says in two languages, its QR code read back as a phone would,
the print view in headless Chromium, and that nothing typed is kept anywhere."""

from __future__ import annotations

import base64
import io
import logging

import pytest
import zxingcpp
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS
from webhooks import create_app
from webhooks.flusher import WritePace, drain

from .browser import violations
from .servers import serving

TYPED = {"name": "Qzxanne", "address": "Qzxstraat 12", "phone": "0470 99 88 77"}
DESK = {"DESK_PHONE": "016 27 20 00", "DESK_EMAIL": "helpt@leuven.be"}


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), **DESK})


def _post(client, language="nl", **changes):
    form = {**TYPED, "tasks": ["groceries", "pharmacy"], "languages": ["nl", "en"], "action": "pdf", **changes}
    return client.post(f"/{language}/card", data=form)


def _pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


def test_the_pdf_says_it_in_both_languages_with_the_desks_number_and_a_qr_code_to_the_request_form(app):
    reply = _post(app.test_client())
    assert reply.status_code == 200 and reply.mimetype == "application/pdf"
    text = _pdf_text(reply.data)
    assert text.count("Hallo buur! Ik ben Qzxanne, je buur van Qzxstraat 12.") == 4  # four cards on the A4
    assert "Heb je hulp nodig met boodschappen doen of apotheek? Bel of sms me: 0470 99 88 77." in text
    assert "Hello neighbour! I'm Qzxanne, your neighbour at Qzxstraat 12." in text
    assert "Do you need help with groceries or pharmacy? Call or text me: 0470 99 88 77." in text
    assert "de hulplijn van de stad, 016 27 20 00 · helpt@leuven.be" in text
    assert "the city's help desk: 016 27 20 00 · helpt@leuven.be" in text
    [image] = PdfReader(io.BytesIO(reply.data)).pages[0].images
    [code] = zxingcpp.read_barcodes(image.image)
    assert code.text == "http://localhost/nl/request"  # the form in the card's first language


def test_the_card_may_be_in_one_language_and_its_first_language_chooses_the_qr_code(app):
    reply = _post(app.test_client(), language="en", languages=["fr"], address="")
    text = _pdf_text(reply.data)
    assert "Bonjour ! Je suis Qzxanne, votre voisin·e." in text and "Hello" not in text
    [image] = PdfReader(io.BytesIO(reply.data)).pages[0].images
    assert zxingcpp.read_barcodes(image.image)[0].text == "http://localhost/fr/request"


def test_a_card_that_cannot_be_made_says_why_in_the_pages_language_and_keeps_what_was_typed(app):
    reply = _post(app.test_client(), language="fr", phone="12", tasks=[], languages=["nl", "en", "fr"])
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "Indiquez un numéro que vos voisins peuvent appeler" in page
    assert "Cochez au moins une chose" in page and "Cochez une ou deux langues" in page
    assert 'value="Qzxanne"' in page and 'value="12"' in page


def test_making_a_card_leaves_no_trace_in_the_journal_the_spreadsheet_or_the_logs(app, tmp_path, workbook, caplog):
    client = app.test_client()
    with caplog.at_level(logging.DEBUG):
        assert _post(client).status_code == 200
        assert _post(client, action="print").status_code == 200
    journal = app.extensions["helpt.journal"]
    assert journal.counts() == {"pending": 0, "written": 0, "confirmed": 0}
    init_spreadsheet(workbook, TABS)
    assert drain(journal, workbook, WritePace(6000)).appended == 0
    titles = [sheet["properties"]["title"] for sheet in workbook.metadata()["sheets"]]
    cells = str(workbook.values([f"'{title}'" for title in titles]))
    files = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()).decode("latin-1")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in (*TYPED.values(), "0470998877", "+32470998877"):
        assert value not in cells and value not in files and value not in logged, value


def test_the_home_page_and_a_volunteers_thank_you_lead_to_the_card(app):
    client = app.test_client()
    assert 'href="/nl/card"' in client.get("/?lang=nl").get_data(as_text=True)
    assert 'href="/fr/card"' in client.get("/fr/offer/thanks").get_data(as_text=True)


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory):
    app = create_app({"DATA_DIR": str(tmp_path_factory.mktemp("card")), "FORM_RATE_LIMIT": 0, **DESK})
    with serving(app) as url:
        yield url


def _fill(browser, desk_url: str, language: str) -> None:
    browser.get(f"{desk_url}/{language}/card")
    browser.find_element(By.ID, "f-name").send_keys(TYPED["name"])
    browser.find_element(By.ID, "f-address").send_keys(TYPED["address"])
    browser.find_element(By.ID, "f-phone").send_keys(TYPED["phone"])
    browser.find_element(By.ID, "f-tasks-groceries").click()
    browser.find_element(By.ID, "f-tasks-dog_walking").click()
    browser.find_element(By.ID, f"f-languages-{'en' if language == 'nl' else 'nl'}").click()


def test_the_print_view_in_chromium_is_four_cards_and_nothing_else(browser, desk_url, tmp_path):
    _fill(browser, desk_url, "nl")
    browser.find_element(By.CSS_SELECTOR, "button[value=print]").click()
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".card")))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".card")) == 4
    assert violations(browser) == []
    printed = base64.b64decode(browser.print_page())  # Chromium's own print, with the print stylesheet
    text = _pdf_text(printed)
    assert "Hallo buur! Ik ben Qzxanne, je buur van Qzxstraat 12." in text
    assert "Do you need help with groceries or dog walking? Call or text me: 0470 99 88 77." in text
    assert "016 27 20 00" in text and "Druk deze pagina af" not in text  # the page's own hint is not printed
    browser.save_screenshot(str(tmp_path / "card-print-view.png"))


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_card_page_has_no_axe_violations_empty_or_with_errors(browser, desk_url, language):
    browser.get(f"{desk_url}/{language}/card")
    assert violations(browser) == []
    browser.find_element(By.CSS_SELECTOR, "button[value=print]").click()
    WebDriverWait(browser, 20).until(expected_conditions.presence_of_element_located(
        (By.CSS_SELECTOR, ".error-summary a")))
    assert violations(browser) == []
