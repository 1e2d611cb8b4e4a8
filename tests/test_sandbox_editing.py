"""The local spreadsheet as a sandbox: a coordinator's job done in the browser, taken in by the next sync.

Someone trying helpt without a Google account opens the local server's view,
screens a volunteer, assigns the suggested one and answers a duplicate
question. Each save is a values:batchUpdate (RAW) on the spreadsheet, and the
next sync acts on it as it would on an edit in Google Sheets.
"""

from __future__ import annotations

import re

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from local_sheets.editing import form_token
from sheets_schema.tabs import PARTNERS_TAB
from sync.job import run_sync

from .browser import violations
from .servers import view_link
from .sync_helpers import fixed_clock, master, spreadsheet, submission
from .test_sync_merge import OFFERS, REQUESTS

# Godelieve's two requests are a duplicate question; Maria's groceries can be matched.
MARIA = submission("S-12", "Maria Claes", phone="016 55 66 77", street="Brusselsestraat 4",
                   when="2020-03-19T17:00:00+01:00")


def _open_row(browser, view: str, tab: str, key: str) -> None:
    """From the tab's page, follow the row number of the row whose first cell is `key`."""
    browser.get(f"{view}?tab={tab}")
    row = browser.find_element(By.XPATH, f"//tbody/tr[td[1][normalize-space()='{key}']]")
    row.find_element(By.CSS_SELECTOR, "th a").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.edit"))


def _field(browser, label: str):
    return browser.find_element(By.ID, browser.find_element(By.XPATH, f"//label[.='{label}']").get_attribute("for"))


def _save_with_script(browser) -> str:
    browser.find_element(By.CSS_SELECTOR, "form.edit button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "status").text.startswith(("Bewaard", "Niet")))
    return browser.find_element(By.ID, "status").text


def test_a_coordinator_screens_assigns_and_answers_a_duplicate_in_the_browser(browser, workbook, server):
    spreadsheet(workbook, OFFERS, [*REQUESTS, ("nl", MARIA)])
    run_sync(workbook, clock=fixed_clock)
    cases = master(workbook, "requests", matching=True)
    first = next(r for r in cases.values() if r["suggestion_1"])
    twin = next(r for r in cases.values() if r["duplicate_of"])
    suggested = re.match(r"V-\d+", first["suggestion_1"]).group(0)
    assert master(workbook, "volunteers", matching=True)[suggested]["screen_first_for"]  # not screened yet
    view = f"{server.url}/spreadsheets/{workbook.spreadsheet_id}"
    browser.get(view_link(server.url, server.token))  # the link `make run` prints, spent here

    # Screen the suggested volunteer: a dropdown, saved without leaving the page.
    _open_row(browser, view, "Vrijwilligers", suggested)
    assert violations(browser) == []
    # In the team's language: what can be changed first, with each column's help; what helpt writes is
    # folded away below the Save button, explained once.
    assert "helpt schrijft deze kolommen bij elke synchronisatie" in browser.page_source
    assert browser.page_source.count("helpt schrijft") == 1
    assert not browser.find_elements(By.XPATH, "//label[.='Vrijwilliger-id']")  # and are no field
    assert "Kies 'Geen dubbel' of 'Zelfde persoon'" in browser.find_element(By.CSS_SELECTOR, "form.edit").text
    Select(_field(browser, "Screening")).select_by_visible_text("Goedgekeurd")
    assert _save_with_script(browser) == "Bewaard: 1 wijziging."

    # Assign them to the request with the picker the suggestions feed, and mark it matched.
    _open_row(browser, view, "Hulpvragen", first["request_id"])
    picker = browser.find_element(By.CSS_SELECTOR, "fieldset.picker")
    assert picker.find_element(By.TAG_NAME, "legend").text == "Voorstellen in deze rij: aanvinken om toe te voegen"
    box = picker.find_element(By.CSS_SELECTOR, f"input[value='{suggested}']")
    assert first["suggestion_1"] in picker.text  # the suggestion's reason, as the coordinator read it in the row
    box.click()
    Select(_field(browser, "Status")).select_by_visible_text("Gematcht")
    assert _save_with_script(browser) == "Bewaard: 2 wijzigingen."
    assert _field(browser, "Toegewezen vrijwilligers").get_attribute("value") == suggested  # shown as saved
    # A typo is refused as typed, in Dutch, naming the column and its help.
    _field(browser, "Toegewezen vrijwilligers").send_keys(", TOM")
    browser.execute_script("document.querySelector('form.edit').noValidate = true")  # past the browser's own check
    refused = _save_with_script(browser)
    assert refused.startswith(f"Niet bewaard: “{suggested}, TOM” past niet in Toegewezen vrijwilligers.")
    assert "bv. V-000456" in refused

    # Answer the duplicate question as a plain form post (what a browser without JavaScript does).
    _open_row(browser, view, "Hulpvragen", twin["request_id"])
    Select(_field(browser, "Dubbel nagekeken")).select_by_visible_text("Zelfde persoon")
    browser.execute_script("document.querySelector('form.edit').submit()")  # skips the script's handler
    WebDriverWait(browser, 10).until(lambda b: "saved=1" in b.current_url)
    assert browser.find_element(By.ID, "status").text == "Bewaard: 1 wijziging."

    result = run_sync(workbook, clock=lambda: fixed_clock().replace(hour=14))

    volunteer = master(workbook, "volunteers", matching=True)[suggested]
    assert (volunteer["screening"], volunteer["screen_first_for"], volunteer["open_cases"]) == ("Goedgekeurd", "", "1")
    cases = master(workbook, "requests", matching=True)
    assert (cases[first["request_id"]]["status"], cases[first["request_id"]]["assigned_volunteers"]) == (
        "Gematcht", suggested)
    # "Same person": the twin's submissions join the older request, and the twin row is emptied.
    assert cases[twin["duplicate_of"]]["submission_ids"] == "S-10, S-11"
    assert cases[twin["request_id"]]["submission_ids"] == "" and result.merged_rows == 1


@pytest.fixture
def row_form(workbook, server):
    spreadsheet(workbook, OFFERS, [*REQUESTS, ("nl", MARIA)])
    run_sync(workbook, clock=fixed_clock)
    url = f"{server.url}/spreadsheets/{workbook.spreadsheet_id}/edit"
    SIGNED_IN.get(view_link(server.url, server.token), timeout=10).raise_for_status()  # the coordinator's browser
    return url, form_token(server.token, workbook.spreadsheet_id), _volunteers(workbook)


def _volunteers(workbook) -> list[list[str]]:
    """The Volunteers tab as the sheet holds it, header first."""
    return workbook.values(["Vrijwilligers"])[0]


SIGNED_IN = requests.Session()  # a browser that came in through the view's one-time link


def _post(url: str, form: dict, **headers: str) -> requests.Response:
    return SIGNED_IN.post(url, data=form, headers={"Accept": "application/json", **headers}, timeout=10)


def test_a_save_lands_on_its_row_even_after_a_sort_and_never_over_someone_elses_edit(row_form, workbook):
    url, token, volunteers = row_form
    key = volunteers[1][0]  # the first volunteer, row 2
    screening = volunteers[0].index("Screening")
    form = {"token": token, "tab": "Vrijwilligers", "row": "2", "key": key,
            f"c{screening}": "Afgewezen", f"o{screening}": "Te screenen"}
    # Someone sorts the tab so that this volunteer is no longer on row 2.
    sheet_id = next(s["properties"]["sheetId"] for s in workbook.metadata()["sheets"]
                    if s["properties"]["title"] == "Vrijwilligers")
    workbook.batch_update([{"sortRange": {"range": {"sheetId": sheet_id, "startRowIndex": 1},
                                          "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}}])
    reply = _post(url, form)
    assert reply.status_code == 200, reply.text
    moved_to = reply.json()["row"]
    assert moved_to != 2 and _volunteers(workbook)[moved_to - 1][screening] == "Afgewezen"

    # Another coordinator changed it meanwhile: nothing is written, and the answer says what they chose.
    stale = {**form, f"c{screening}": "Goedgekeurd", f"o{screening}": "Te screenen"}
    reply = _post(url, stale)
    assert reply.status_code == 409 and "Afgewezen" in reply.json()["message"]
    assert _volunteers(workbook)[moved_to - 1][screening] == "Afgewezen"


def test_the_row_form_refuses_cross_site_posts_and_protected_columns(row_form, workbook):
    url, token, volunteers = row_form
    key = volunteers[1][0]
    form = {"token": token, "tab": "Vrijwilligers", "row": "2", "key": key, "c0": "V-999999", "o0": key}
    assert _post(url, {**form, "token": "0" * 64}).status_code == 403
    assert _post(url, form, Origin="http://evil.example").status_code == 403
    assert _post(url, form, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    reply = _post(url, form)  # column A (the id) is protected: the post is answered, the id is left alone
    assert reply.status_code == 200 and reply.json()["message"] == "Bewaard: 0 wijzigingen."
    assert _volunteers(workbook)[1][0] == key
    intake = SIGNED_IN.get(url, params={"tab": "Hulpaanbod NL (formulier)", "row": "2"}, timeout=10)
    assert intake.status_code == 404  # a whole protected tab (intake) has no row editor
    assert SIGNED_IN.get(url, params={"tab": "Vrijwilligers", "row": "2"}, timeout=10).status_code == 200
    assert requests.get(url, params={"tab": "Vrijwilligers", "row": "2"}, timeout=10).status_code == 401
    empty = SIGNED_IN.get(url, params={"tab": "Vrijwilligers", "row": "900"}, timeout=10)
    assert empty.status_code == 404  # nor has an empty row: saving there would make a row without an id
    assert _post(url, {**form, "row": "900", "key": ""}).status_code == 409


def test_a_coordinator_adds_a_partner_row_in_the_view(browser, workbook, server):
    spreadsheet(workbook, OFFERS, REQUESTS)
    run_sync(workbook, clock=fixed_clock)
    view = f"{server.url}/spreadsheets/{workbook.spreadsheet_id}"
    browser.get(view_link(server.url, server.token))
    browser.get(f"{view}?tab=Hulpvragen")
    assert not browser.find_elements(By.CSS_SELECTOR, "a.add")  # ids there are helpt's: no rows by hand
    browser.get(f"{view}?tab=Partners")
    browser.find_element(By.CSS_SELECTOR, "a.add").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.edit"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Een nieuwe rij in Partners"
    assert violations(browser) == []
    _field(browser, "Naam").send_keys("KSA Heverlee")
    assert _save_with_script(browser) == "Niet bewaard: een nieuwe rij heeft eerst een Partner-id nodig."
    _field(browser, "Partner-id").send_keys("P-ksa-heverlee")
    _field(browser, "Bestemming").send_keys("nieuw")
    assert _save_with_script(browser) == "Bewaard: 3 wijzigingen."
    [partner] = workbook.read([PARTNERS_TAB])["partners"].records()
    assert (partner["partner_id"], partner["name"], partner["destination"]) == ("P-ksa-heverlee", "KSA Heverlee",
                                                                                "nieuw")
    # The same id again is refused; the row is found in the tab and edited from there.
    browser.get(f"{view}?tab=Partners")
    browser.find_element(By.CSS_SELECTOR, "a.add").click()
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.CSS_SELECTOR, "form.edit"))
    _field(browser, "Partner-id").send_keys("P-ksa-heverlee")
    assert _save_with_script(browser) == "Niet bewaard: er is al een rij met Partner-id “P-ksa-heverlee”."
    _open_row(browser, view, "Partners", "P-ksa-heverlee")
    assert "Uittreksel" in browser.find_element(By.CSS_SELECTOR, "details.read-only").get_attribute("textContent")
