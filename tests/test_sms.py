"""SMS for people with only a mobile: Twilio's own SDK against a loopback stand-in of its REST API, and
replies through the webhook, with Twilio's signature computed as Twilio computes it."""

from __future__ import annotations

import secrets
import threading

import pytest
from flask import Flask, jsonify, request
from twilio.request_validator import RequestValidator

from desk_db import open_database
from desk_db.handovers import Handovers
from sheets_schema.links import answer_url, make_token
from sync import letters
from sync.handover import HandoverSettings
from sync.job import Upkeep, run_sync
from sync.postman import LocalPostman, SmsPostman, deliver
from webhooks import create_app
from webhooks.sms import answer_of

from .servers import serving
from .sync_helpers import fixed_clock, master, spreadsheet, submission

SID, TOKEN, FROM = "AC" + "0" * 32, "twilio-test-token", "+3212345678"
DESK = "https://desk.test"


def twilio_stand_in() -> tuple[Flask, list[dict[str, str]]]:
    """What Twilio's Messages endpoint does with a create, as its API reference documents it."""
    app, sent = Flask("twilio-stand-in"), []
    lock = threading.Lock()

    @app.post("/2010-04-01/Accounts/<account>/Messages.json")
    def create(account: str):
        auth = request.authorization
        if account != SID or auth is None or (auth.username, auth.password) != (SID, TOKEN):
            return jsonify(code=20003, message="Authenticate", status=401), 401
        if not request.form["To"].startswith("+32"):
            return jsonify(code=21211, message="The 'To' number is not a valid phone number.", status=400), 400
        with lock:
            sent.append(request.form.to_dict())
        return jsonify(sid="SM" + secrets.token_hex(16), account_sid=SID, to=request.form["To"],
                       body=request.form["Body"], status="queued", **{"from": request.form["From"]}), 201

    return app, sent


@pytest.fixture
def desk(workbook, tmp_path):
    spreadsheet(workbook, offers=[("nl", submission("S-1", "Piet Wouters", phone="0470 33 33 33", profile_ok="Ja",
                                                    transport="Auto"))],
                requests=[("nl", submission("S-2", "Maria Vermeulen", phone="0470 12 34 56",
                                            street="Bondgenotenlaan 1"))])  # both: a mobile, no e-mail
    database = open_database("", tmp_path)
    handovers = Handovers(database)
    key = handovers.link_key()
    upkeep = Upkeep(handovers=handovers, handover=HandoverSettings(sms=True),
                    answer_link=lambda answer, language: answer_url(DESK, language, make_token(key, answer)))
    run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    app = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": "", "TWILIO_AUTH_TOKEN": TOKEN,
                      "PUBLIC_URL": DESK})
    sheet = workbook.read([master_tab("requests")])["requests"]
    workbook.write({sheet.cell(2, "status"): [["Gematcht"]], sheet.cell(2, "assigned_volunteers"): [["V-000001"]]})
    yield workbook, upkeep, app.test_client()
    database.dispose()


def master_tab(tab_id: str):
    from sheets_schema.tabs import tab

    return tab(tab_id)


def _reply(client, body: str, number: str = "+32470333333", signature: str | None = None):
    form = {"From": number, "To": FROM, "Body": body, "MessageSid": "SM1", "AccountSid": SID}
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(f"{DESK}/sms/incoming", form)
    return client.post("/sms/incoming", data=form, headers={"X-Twilio-Signature": signature})


def test_a_volunteer_with_only_a_mobile_gets_the_case_by_sms_and_says_ja(desk):
    workbook, upkeep, client = desk
    twilio, sent = twilio_stand_in()
    with serving(twilio) as api:
        texts = SmsPostman(SID, TOKEN, FROM, api_url=api)
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        assert deliver(upkeep.handovers, LocalPostman(upkeep.handovers), sms=texts).sent == 1
        [case] = sent
        assert case["To"] == "+32470333333" and case["From"] == FROM
        assert "Antwoord JA of NEE binnen 24 uur" in case["Body"]
        for secret in ("Maria", "Vermeulen", "Bondgenotenlaan", "12 34 56"):
            assert secret not in case["Body"]
        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        assert master(workbook, "requests", matching=True)["R-000001"]["handover"].startswith(
            "V-000001: vraag ge-sms't ")

        assert _reply(client, "ja", signature="forged").status_code == 403
        assert client.post("/sms/incoming", data={"From": "+32470333333", "Body": "ja"}).status_code == 403
        unclear = _reply(client, "misschien")
        assert unclear.status_code == 200 and "Antwoord JA of NEE." in unclear.get_data(as_text=True)
        assert "Bedankt!" in _reply(client, "  Ja ").get_data(as_text=True)
        assert upkeep.handovers.get("R-000001", "V-000001").state == "accepted"
        assert "geen hulpvraag" in _reply(client, "nee").get_data(as_text=True)  # nothing open any more

        run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
        deliver(upkeep.handovers, LocalPostman(upkeep.handovers), sms=texts)
        contact, news = sent[1:]
        assert contact["To"] == "+32470333333" and "Maria, 0470 12 34 56, Bondgenotenlaan 1, 3000 Leuven" in contact[
            "Body"]
        assert news["To"] == "+32470123456" and "Piet" in news["Body"] and "Wouters" not in news["Body"]
    assert upkeep.handovers.counts() == {"sent": 3}


def test_a_number_twilio_cannot_text_is_refused_for_good(desk, tmp_path):
    workbook, upkeep, client = desk
    twilio, sent = twilio_stand_in()
    with serving(twilio) as api:
        upkeep.handovers.record([], [letters_letter("+33612345678")])  # Twilio's stand-in texts Belgium only
        report = deliver(upkeep.handovers, LocalPostman(upkeep.handovers), sms=SmsPostman(SID, TOKEN, FROM, api))
    assert (report.sent, report.failed) == (0, 1) and sent == []
    assert upkeep.handovers.letter_states()[("R-000009", "V-000009", 1)]["case"].reason == "Twilio 21211"


def letters_letter(number: str):
    from desk_db.handovers import Letter

    return Letter("R-000009", "V-000009", 1, "case", "nl", "sms", number, "", "x")


@pytest.mark.parametrize("text, meant", [("ja", "accepted"), (" YES!", "accepted"), ("o u i", "accepted"),
                                         ("Nee.", "declined"), ("NON", "declined"), ("no", "declined"),
                                         ("jawel", None), ("", None)])
def test_a_texted_word_is_read_in_any_case_and_spacing(text, meant):
    assert answer_of(text) == meant


def test_without_a_token_there_is_no_sms_door(tmp_path):
    client = create_app({"DATA_DIR": str(tmp_path), "DATABASE_URL": "", "TWILIO_AUTH_TOKEN": ""}).test_client()
    assert client.post("/sms/incoming", data={"Body": "ja"}).status_code == 404


def test_every_sms_reads_whole_in_every_language():
    values = {"tasks": "x", "area": "Leuven", "place": "3000 Leuven", "when": "y", "hours": "24", "resident": "M",
              "phone": "0470", "address": "Straat 1", "volunteer": "Tom"}
    for kind in letters.SMS:
        english = letters.sms(kind, "en", letters.Signature(), **values)
        for language in ("nl", "fr"):
            text = letters.sms(kind, language, letters.Signature(), **values)
            assert "{" not in text and text != english and len(text) <= 320  # two SMS at most
