"""The call centre's door: signed-in agents, their wording, their channel and name on every call, next call."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from webhooks import create_app

from .browser import violations
from .servers import serving

PASSCODE = "callcentre-2026"


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "AGENT_PASSCODE": PASSCODE,
                       "FORM_RATE_LIMIT": 2})


def _token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _sign_in(client, name: str = "Els (callcenter)", language: str = "nl") -> None:
    csrf = _token(client, f"/{language}/agent/sign-in")
    reply = client.post(f"/{language}/agent/sign-in", data={"csrf_token": csrf, "name": name, "passcode": PASSCODE})
    assert reply.status_code == 303, reply.get_data(as_text=True)[:300]


def _request(csrf: str, **extra: str) -> dict:
    return {"csrf_token": csrf, "full_name": "Godelieve Wuyts", "phone": "016 12 34 56", "postcode": "3000",
            "languages": "nl", "tasks": "groceries", "consent_privacy": "yes", **extra}


def test_without_a_passcode_there_is_no_agent_door_and_a_page_in_the_agents_language_says_why(tmp_path):
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}).test_client()
    for path, words in (("/nl/agent/request", "De ingang voor het callcenter staat uit"),
                        ("/fr/agent/sign-in", "L'accès du centre d'appel est fermé"),
                        ("/en/agent/offer", "The call centre's door is off")):
        reply = client.get(path)
        assert reply.status_code == 404 and words in reply.get_data(as_text=True), path
        assert "HELPT_AGENT_PASSCODE" in reply.get_data(as_text=True)
    assert client.post("/nl/agent/request", data=_request("x")).status_code == 404
    assert client.get("/de/agent/request").status_code == 404


def test_an_agent_must_sign_in_with_the_passcode_and_a_name(app):
    client = app.test_client()
    away = client.get("/nl/agent/offer")
    assert away.status_code == 303 and away.location.endswith("/nl/agent/sign-in?next=/nl/agent/offer")
    csrf = _token(client, "/nl/agent/sign-in")
    wrong = client.post("/nl/agent/sign-in", data={"csrf_token": csrf, "name": "Els", "passcode": "guess"})
    assert wrong.status_code == 401 and "Die naam of toegangscode klopt niet." in wrong.get_data(as_text=True)
    nameless = client.post("/nl/agent/sign-in", data={"csrf_token": csrf, "name": " ", "passcode": PASSCODE})
    assert nameless.status_code == 401
    forged = client.post("/nl/agent/sign-in", data={"csrf_token": "other", "name": "Els", "passcode": PASSCODE})
    assert forged.status_code == 401
    right = client.post("/nl/agent/sign-in?next=/nl/agent/offer",
                        data={"csrf_token": csrf, "name": "Els", "passcode": PASSCODE})
    assert right.status_code == 303 and right.location.endswith("/nl/agent/offer")


def test_a_sign_in_never_sends_the_agent_elsewhere(app):
    client = app.test_client()
    csrf = _token(client, "/nl/agent/sign-in")
    for target in ("https://evil.example/nl/agent/x", "//evil.example/", "/nl/request"):
        reply = client.post(f"/nl/agent/sign-in?next={target}",
                            data={"csrf_token": csrf, "name": "Els", "passcode": PASSCODE})
        assert reply.location.endswith("/nl/agent/request"), target


def test_guessing_the_passcode_is_limited_per_address(app):
    client = app.test_client()
    csrf = _token(client, "/nl/agent/sign-in")
    codes = [client.post("/nl/agent/sign-in", data={"csrf_token": csrf, "name": "x", "passcode": str(n)}).status_code
             for n in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_an_agents_call_keeps_its_channel_and_name_in_any_language_and_is_not_limited(app):
    client = app.test_client()
    _sign_in(client, "Els")
    page = client.get("/nl/agent/request?channel=email").get_data(as_text=True)
    assert "Naam van wie de hulp nodig heeft" in page and "De beller gaat mondeling akkoord" in page
    assert "zodat we je kunnen bereiken" not in page  # help for the agent, not the resident's
    assert 'value="email" checked' in page and "Aangemeld als Els." in page
    french = client.get("/fr/agent/request").get_data(as_text=True)  # the channel stays with the agent
    assert escape("Nom de la personne qui a besoin d'aide") in french and 'value="email" checked' in french
    offer = client.get("/nl/agent/offer").get_data(as_text=True)
    assert "Naam van de vrijwilliger (de beller)" in offer and "Telefoonnummer van de vrijwilliger" in offer
    assert "Wat wil je doen?" not in offer and "zodat we je kunnen bereiken" not in offer
    csrf = _token(client, "/fr/agent/request")
    references = []
    for n in range(5):  # a team behind one office address: no per-address limit (the public one is 2)
        reply = client.post("/fr/agent/request", data=_request(csrf, full_name=f"Appelant {n}", channel="email"))
        assert reply.status_code == 303 and "/fr/agent/request/saved?ref=S-" in reply.location
        references.append(reply.location.rsplit("=", 1)[1])
    saved = client.get(f"/fr/agent/request/saved?ref={references[-1]}").get_data(as_text=True)
    assert "Appel suivant" in saved and references[-1] in saved and "Appelant 4" in saved
    entries = app.extensions["helpt.journal"].pending(10)
    assert sorted(e.submission_id for e in entries) == sorted(references)
    assert len(entries) == 5 and {(e.tab_id, e.record["channel"], e.record["entered_by"]) for e in entries} == {
        ("intake_request_fr", "email", "Els")}
    # Another agent never reads this call back, even with its reference.
    other = app.test_client()
    _sign_in(other, "Jef")
    assert "Appelant 4" not in other.get(f"/fr/agent/request/saved?ref={references[-1]}").get_data(as_text=True)


def test_the_public_form_stores_web_whatever_the_link_says(app):
    client = app.test_client()
    csrf = _token(client, "/nl/request?channel=phone")
    assert client.post("/nl/request?channel=phone", data=_request(csrf, channel="phone")).status_code == 303
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert entry.record["channel"] == "web" and "entered_by" not in entry.record


@pytest.fixture
def desk_url(app):
    with serving(app) as url:
        yield url


def _fill(browser, values: dict[str, str]) -> None:
    for field_id, value in values.items():
        element = browser.find_element(By.ID, f"f-{field_id}")
        element.clear()
        element.send_keys(value)


def test_an_agent_types_a_call_in_dutch_switches_to_french_loses_nothing_and_reads_back_the_reference(
        browser, desk_url, app):
    browser.delete_all_cookies()
    browser.get(f"{desk_url}/nl/agent/sign-in")
    assert violations(browser) == []
    _fill(browser, {"name": "Els Peeters", "passcode": PASSCODE})
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/nl/agent/request"))
    assert browser.find_element(By.ID, "f-channel-phone").is_selected()
    assert violations(browser) == []
    # The call comes in by e-mail; the agent starts typing in Dutch.
    browser.find_element(By.ID, "f-channel-email").click()
    typed = {"full_name": "Marie Dubois", "phone": "016 27 20 00", "postcode": "3000",
             "details": "Boodschappen voor vrijdag"}
    _fill(browser, typed)
    for box in ("f-languages-fr", "f-tasks-groceries"):
        browser.find_element(By.ID, box).click()
    # The caller turns out to speak French: the agent switches language mid-call.
    browser.find_element(By.CSS_SELECTOR, 'button.language[lang="fr"]').click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/fr/agent/request"))
    assert "Connecté en tant que Els Peeters." in browser.page_source
    assert {field: browser.find_element(By.ID, f"f-{field}").get_attribute("value") for field in typed} == typed
    assert browser.find_element(By.ID, "f-channel-email").is_selected()
    assert all(browser.find_element(By.ID, box).is_selected() for box in ("f-languages-fr", "f-tasks-groceries"))
    assert app.extensions["helpt.journal"].counts()["pending"] == 0  # switching saved nothing
    assert violations(browser) == []
    browser.find_element(By.ID, "f-consent_privacy").click()
    browser.find_element(By.CSS_SELECTOR, "form#call > button[type=submit]").click()
    WebDriverWait(browser, 20).until(expected_conditions.url_contains("/fr/agent/request/saved"))
    assert violations(browser) == []
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert browser.find_element(By.ID, "reference").text == entry.submission_id
    read_back = browser.find_element(By.CSS_SELECTOR, "dl.read-back").text
    assert "Marie Dubois" in read_back and "016 27 20 00" in read_back and "Faire les courses" in read_back
    browser.find_element(By.ID, "next-call").click()  # the next call: an empty form, same channel
    WebDriverWait(browser, 20).until(expected_conditions.url_matches(r"/fr/agent/request$"))
    assert browser.find_element(By.ID, "f-full_name").get_attribute("value") == ""
    assert browser.find_element(By.ID, "f-channel-email").is_selected()
    assert (entry.tab_id, entry.record["full_name"], entry.record["channel"], entry.record["entered_by"]) == (
        "intake_request_fr", "Marie Dubois", "email", "Els Peeters")
    assert entry.record["details"] == "Boodschappen voor vrijdag"
