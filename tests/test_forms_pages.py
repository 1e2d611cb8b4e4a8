"""The public forms as a person uses them: every form in every language, CSRF, honeypot, rate limit, thanks."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from markupsafe import escape

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORM_PRIVACY_NOTICE, FORMS, PARTNER_SHARING_NOTICE
from sheets_schema.tasks import TASKS
from webhooks import create_app
from webhooks.apps_script import apps_script
from webhooks.pages import PAGES as WEB_PAGES

PAGES = [(lang, page_id) for lang in LANGUAGES for page_id in WEB_PAGES]


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "FORM_RATE_LIMIT": 5})


def token(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def valid_offer(csrf: str) -> dict:
    return {"csrf_token": csrf, "full_name": "An Peeters", "phone": "0470 12 34 56", "postcode": "3010",
            "languages": ["nl", "en"], "tasks": ["groceries", "letter"], "consent_privacy": "yes"}


@pytest.mark.parametrize("lang, form_id", PAGES)
def test_every_form_in_every_language_comes_from_the_schema(app, lang, form_id):
    page = app.test_client().get(f"/{lang}/{form_id}").get_data(as_text=True)
    contract, form = WEB_PAGES[form_id]
    assert f'<html lang="{lang}">' in page
    assert escape(form.titles[lang]) in page
    for question in form.questions:
        assert escape(question.labels[lang]) in page
    assert escape(FORM_PRIVACY_NOTICE[lang]) in page
    assert (escape(PARTNER_SHARING_NOTICE[lang]) in page) == (form_id == "offer")
    # Every question the page shows answers a field of its contract form (so of its intake tab).
    assert {q.field_id for q in form.questions} <= {q.field_id for q in FORMS[contract].questions}


def test_a_resident_is_offered_the_residents_tasks_and_an_organisation_the_collective_ones(app):
    client = app.test_client()
    resident = client.get("/nl/request").get_data(as_text=True)
    organisation = client.get("/nl/organisation").get_data(as_text=True)
    collective = [t for t in TASKS if t.collective]
    assert collective and not any(f'value="{t.code}"' in resident for t in collective)
    assert 'name="organisation"' not in resident and 'name="needed_count"' not in resident
    assert all(f'value="{t.code}"' in organisation for t in collective)
    assert not any(f'value="{t.code}"' in organisation for t in TASKS if not t.collective)
    # A collective task posted on the resident's page is refused, as the page never offered it.
    csrf = token(client, "/nl/request")
    refused = client.post("/nl/request", data={"csrf_token": csrf, "full_name": "Jan", "phone": "0470 12 34 56",
                                               "postcode": "3000", "languages": "nl", "tasks": "triage_support",
                                               "consent_privacy": "yes"})
    assert refused.status_code == 400 and app.extensions["helpt.journal"].counts()["pending"] == 0
    # The organisation's page asks for its name, and lands in the request intake tab with its count.
    nameless = client.post("/nl/organisation", data={
        "csrf_token": csrf, "full_name": "Els Wouters", "phone": "016 27 20 00", "postcode": "3000",
        "languages": "nl", "tasks": "triage_support", "needed_count": "6", "consent_privacy": "yes"})
    assert nameless.status_code == 400 and 'id="f-organisation-error"' in nameless.get_data(as_text=True)
    kept = client.post("/nl/organisation", data={
        "csrf_token": csrf, "full_name": "Els Wouters", "phone": "016 27 20 00", "postcode": "3000",
        "languages": "nl", "tasks": "triage_support", "needed_count": "6", "organisation": "Triagepost Gasthuisberg",
        "consent_privacy": "yes"})
    assert kept.status_code == 303 and "/nl/organisation/thanks?ref=S-" in kept.location
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert kept.location.endswith(f"?ref={entry.submission_id}")
    assert entry.tab_id == "intake_request_nl"
    assert (entry.record["organisation"], entry.record["needed_count"]) == ("Triagepost Gasthuisberg", "6")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_offer_page_shows_tasks_as_tiles_with_description_material_and_profile(app, lang):
    page = app.test_client().get(f"/{lang}/offer").get_data(as_text=True)
    assert page.count('class="tile"') == len(TASKS)
    for task in TASKS:
        for text in (task.descriptions[lang], task.material[lang], task.profile[lang]):
            assert escape(text) in page


def test_a_valid_offer_with_several_tasks_is_journalled_once_and_thanked_in_its_language(app):
    client = app.test_client()
    reply = client.post("/fr/offer", data=valid_offer(token(client, "/fr/offer")))
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith(f"/fr/offer/thanks?ref={entry.submission_id}")
    thanks = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Nous avons bien reçu votre offre" in thanks
    assert f'Votre référence : <strong class="reference">{entry.submission_id}</strong>' in thanks
    assert re.fullmatch(r"S-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}", entry.submission_id)
    # Only a reference's shape is ever shown: the address cannot make the page say something else.
    assert "Call" not in client.get("/fr/offer/thanks?ref=Call+0900+now").get_data(as_text=True)
    assert entry.tab_id == "intake_offer_fr"
    assert entry.record["tasks"] == "Faire les courses, Écrire une lettre" and entry.record["channel"] == "web"


def test_errors_are_summarised_and_linked_to_their_fields_and_answers_kept(app):
    client = app.test_client()
    data = {**valid_offer(token(client, "/en/offer")), "phone": "123", "postcode": ""}
    page = client.post("/en/offer", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "<title>Error: I want to help" in text and "There is a problem" in text
    assert 'href="#f-phone"' in text and 'href="#f-postcode"' in text
    assert 'aria-invalid="true"' in text and 'value="An Peeters"' in text
    assert app.extensions["helpt.journal"].counts() == {"pending": 0, "written": 0, "confirmed": 0}


def test_a_post_without_the_csrf_cookie_is_refused(app):
    client = app.test_client()
    data = valid_offer(token(client, "/nl/offer"))
    client.delete_cookie("helpt_csrf")
    reply = client.post("/nl/offer", data=data)
    assert reply.status_code == 400 and "Het formulier was verlopen" in reply.get_data(as_text=True)
    assert app.extensions["helpt.journal"].counts()["pending"] == 0


def test_a_filled_honeypot_gets_thanks_and_stores_nothing(app):
    client = app.test_client()
    reply = client.post("/nl/offer", data={**valid_offer(token(client, "/nl/offer")), "website": "spam"})
    assert reply.status_code == 303
    assert app.extensions["helpt.journal"].counts()["pending"] == 0


def test_the_forms_are_rate_limited_per_client(app):
    client = app.test_client()
    csrf = token(client, "/nl/request")
    codes = [client.post("/nl/request", data={"csrf_token": csrf}).status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]


def test_the_public_form_cannot_claim_the_call_centres_channel(app):
    client = app.test_client()
    csrf = token(client, "/nl/offer?channel=phone")
    assert client.post("/nl/offer?channel=phone", data={**valid_offer(csrf), "channel": "phone"}).status_code == 303
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert entry.record["channel"] == "web"  # only the agents' own door may say phone


def test_unknown_pages_are_404(app):
    client = app.test_client()
    assert client.get("/de/offer").status_code == 404
    assert client.get("/nl/complaint").status_code == 404


def test_the_generated_apps_script_parses_and_asks_every_question(tmp_path):
    script = apps_script("https://desk.example.be")
    for form in FORMS.values():
        for lang in LANGUAGES:
            assert all(q.labels[lang] in script for q in form.questions)
    assert "https://desk.example.be/api/v1/submissions" in script and "HELPT_WEBHOOK_SECRET" in script
    path = tmp_path / "helpt.gs.js"
    path.write_text(script)
    checked = subprocess.run([shutil.which("node") or "node", "--check", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize("accept, asked, lang", [("fr-BE,fr;q=0.9", None, "fr"), ("en-GB", None, "en"),
                                                 ("de", None, "nl"), ("fr", "en", "en")])
def test_the_home_page_speaks_the_visitors_language_and_links_its_forms(tmp_path, accept, asked, lang):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "DESK_PHONE": "016 27 20 00",
                      "DESK_EMAIL": "helpt@leuven.be"})
    page = app.test_client().get("/" + (f"?lang={asked}" if asked else ""),
                                 headers={"Accept-Language": accept}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f'href="/{lang}/request"' in page and f'href="/{lang}/offer"' in page
    assert all(f'href="/?lang={other}"' in page for other in LANGUAGES if other != lang)
    assert 'href="tel:016272000"' in page and "mailto:helpt@leuven.be" in page
    assert "spreadsheets" not in page and "back office" not in page.lower()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_consent_text_stands_below_the_box_whose_label_says_below(app, lang):
    page = app.test_client().get(f"/{lang}/offer").get_data(as_text=True)
    question = FORMS["offer"].question("consent_privacy")
    assert page.index(str(escape(question.labels[lang]))) < page.index(str(escape(question.help[lang])))
