"""The intake API as a client sees it: status codes, signatures, shapes, and every kind of bad input."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from sheets_schema.i18n import translate
from sheets_schema.problems import MESSAGES
from webhooks import create_app
from webhooks.signature import sign

from .servers import serving

DATA = Path(__file__).parent / "data" / "intake"
SECRET = "test-secret-not-for-production"
URL = "/api/v1/submissions"


def payload(name: str) -> dict:
    return json.loads((DATA / name).read_text())


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET})


@pytest.fixture
def client(app):
    return app.test_client()


def post(client, body: bytes | dict, content_type: str = "application/json", secret: str = SECRET,
         timestamp: int | None = None, headers: dict | None = None):
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    signed = {"X-Helpt-Signature": sign(secret, raw, timestamp)} if secret else {}
    return client.post(URL, data=raw, content_type=content_type, headers={**signed, **(headers or {})})


def journalled(app) -> int:
    return sum(app.extensions["helpt.journal"].counts().values())


def test_a_signed_submission_is_accepted_and_journalled(app, client):
    reply = post(client, payload("offer_nl.json"))
    assert reply.status_code == 202
    assert reply.json["status"] == "accepted" and reply.json["submission_id"].startswith("S-")
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert entry.tab_id == "intake_offer_nl"
    assert {k: v for k, v in entry.record.items() if k != "timestamp"} == {
        "full_name": "An Peeters", "phone": "+32470123456", "email": "an.peeters@example.be",
        "street": "", "postcode": "3010", "languages": "Nederlands, Engels, Frans",
        "tasks": "Boodschappen doen, Apotheek, De hond uitlaten", "transport": "Fiets, Bakfiets",
        "availability": "", "profile_ok": "Ja", "consent_privacy": "Ja", "consent_partners": "Ja",
        "details": "", "submission_id": reply.json["submission_id"], "channel": "website",
    }


def test_the_same_submission_id_again_is_200_with_the_same_id_and_no_second_entry(app, client):
    body = {**payload("request_fr.json"), "submission_id": "web-123"}
    first, again = post(client, body), post(client, body)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json["submission_id"] == again.json["submission_id"] == "web-123"
    assert journalled(app) == 1


def test_google_form_named_values_are_read_by_question_title(app, client):
    reply = post(client, payload("google_form_en.json"))
    assert reply.status_code == 202, reply.json
    assert reply.json["submission_id"] == "2_ABaOnudAbCdEf123"
    [entry] = app.extensions["helpt.journal"].pending(10)
    assert entry.record["tasks"] == "Phone chat, Write a letter"
    assert entry.record["consent_privacy"] == "Yes" and entry.record["channel"] == "google_form"


def test_drupal_webform_remote_post_as_json_and_as_form_encoding(app, client):
    drupal = payload("drupal_webform_nl.json")
    assert post(client, drupal).status_code == 202
    fields = [(k, v) for k, v in drupal.items() if not isinstance(v, list) and v is not None]
    fields += [("tasks[]", "pharmacy"), ("tasks[]", "groceries"), ("languages[0]", "nl")]
    fields = [(k, "other-uuid" if k == "uuid" else v) for k, v in fields]
    reply = post(client, urlencode(fields).encode(), "application/x-www-form-urlencoded")
    assert reply.status_code == 202, reply.json
    assert reply.json["submission_id"] == "other-uuid"
    entries = {e.submission_id: e for e in app.extensions["helpt.journal"].pending(10)}
    assert entries["other-uuid"].record["tasks"] == "Apotheek, Boodschappen doen"
    assert entries[drupal["uuid"]].tab_id == "intake_request_nl"


@pytest.mark.parametrize("headers, secret, skew, code", [
    ({}, None, None, "missing-signature"),
    ({"X-Helpt-Signature": "t=abc,v1=00"}, None, None, "missing-signature"),
    ({}, "the-wrong-secret", None, "bad-signature"),
    ({}, SECRET, -400, "stale-signature"),
    ({}, SECRET, +400, "stale-signature"),
])
def test_unsigned_wrongly_signed_and_stale_requests_get_401(app, client, headers, secret, skew, code):
    timestamp = None if skew is None else int(time.time()) + skew
    reply = post(client, payload("offer_nl.json"), secret=secret, timestamp=timestamp, headers=headers)
    assert reply.status_code == 401
    assert [e["code"] for e in reply.json["errors"]] == [code]
    assert journalled(app) == 0


def test_a_tampered_body_does_not_verify(client):
    raw = json.dumps(payload("offer_nl.json")).encode()
    reply = client.post(URL, data=raw.replace(b"An Peeters", b"Eve Peeters"), content_type="application/json",
                        headers={"X-Helpt-Signature": sign(SECRET, raw)})
    assert reply.status_code == 401 and reply.json["errors"][0]["code"] == "bad-signature"


def test_without_a_secret_the_api_refuses_and_says_why(tmp_path, monkeypatch):
    monkeypatch.delenv("HELPT_WEBHOOK_SECRET", raising=False)
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path)}).test_client()
    reply = post(client, payload("offer_nl.json"), headers={"Accept-Language": "en"})
    assert reply.status_code == 503
    assert "HELPT_WEBHOOK_SECRET is not set" in reply.json["errors"][0]["message"]


def test_a_signed_sender_is_never_limited_however_fast_it_posts(tmp_path):
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET,
                         "API_RATE_LIMIT": 3}).test_client()
    codes = {post(client, {**payload("offer_nl.json"), "submission_id": f"x{n}"}).status_code for n in range(50)}
    assert codes == {202}


def test_unsigned_junk_is_limited_per_address_without_touching_signed_senders_there(tmp_path):
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET,
                         "API_RATE_LIMIT": 3}).test_client()
    accepted = post(client, {**payload("offer_nl.json"), "submission_id": "kept-1"})
    junk = [post(client, payload("offer_nl.json"), secret="guess") for _ in range(5)]
    assert [reply.status_code for reply in junk] == [401, 401, 401, 429, 429]
    assert 1 <= int(junk[-1].headers["Retry-After"]) <= 60
    assert junk[-1].json["errors"][0]["code"] == "rate-limited"
    # The same address, signed: a new submission and a replay both get through.
    assert post(client, {**payload("offer_nl.json"), "submission_id": "kept-2"}).status_code == 202
    replay = post(client, {**payload("offer_nl.json"), "submission_id": "kept-1"})
    assert (accepted.status_code, replay.status_code) == (202, 200)
    # Another address is not affected by the first one's junk.
    other = post(client, payload("offer_nl.json"), secret="guess", headers={"X-Forwarded-For": "203.0.113.9"})
    assert other.status_code == 429  # no proxy is trusted: X-Forwarded-For is ignored, same address


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(tmp_path):
    client = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET,
                         "API_RATE_LIMIT": 1, "TRUSTED_PROXIES": 1}).test_client()

    def junk(address: str) -> int:
        return post(client, payload("offer_nl.json"), secret="guess",
                    headers={"X-Forwarded-For": f"198.51.100.7, {address}"}).status_code
    assert [junk("203.0.113.1"), junk("203.0.113.2"), junk("203.0.113.1")] == [401, 401, 429]


def test_a_signed_request_without_submission_id_is_kept_once_when_replayed(app, client):
    raw = json.dumps(payload("offer_nl.json")).encode()
    headers = {"X-Helpt-Signature": sign(SECRET, raw)}
    first = client.post(URL, data=raw, content_type="application/json", headers=headers)
    again = client.post(URL, data=raw, content_type="application/json", headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json["submission_id"] == again.json["submission_id"]
    assert journalled(app) == 1


def test_reusing_a_submission_id_for_other_answers_is_a_409_in_the_submitters_language(app, client):
    body = {**payload("request_fr.json"), "submission_id": "form-42"}
    assert post(client, body).status_code == 202
    other = copy.deepcopy(body)
    other["answers"]["details"] = "Autre chose"
    reply = post(client, other)
    assert reply.status_code == 409
    [error] = reply.json["errors"]
    assert error["code"] == "submission-id-reused"
    assert error["message"] == translate("fr", MESSAGES["submission-id-reused"])
    assert journalled(app) == 1


@pytest.mark.parametrize("header", [
    "t=١٧٠٠٠٠٠٠٠٠,v1=" + "0" * 64,  # digits, but not ASCII ones
    "t=1700000000,v1=" + "é" * 64,
    "t=" + "9" * 5000 + ",v1=" + "0" * 64,  # more digits than Python turns into an int
    "t=1700000000,v1=" + "a" * 100_000,
    ",".join(["t=1"] * 10_000),
], ids=["non-ASCII digits", "non-ASCII digest", "5000-digit timestamp", "overlong digest", "10000 parts"])
def test_hostile_signature_headers_get_401(app, client, header):
    raw = json.dumps(payload("offer_nl.json")).encode()
    reply = client.post(URL, data=raw, content_type="application/json",
                        headers={"X-Helpt-Signature": header.encode("utf-8").decode("latin-1")})
    assert reply.status_code == 401 and reply.json["errors"][0]["code"] == "missing-signature"


@pytest.mark.parametrize("raw", [
    b"[" * 5000 + b"]" * 5000,
    b'{"form": "request", "lang": "fr", "answers": {"postcode": ' + b"7" * 5000 + b"}}",
    b'{"answers": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3000 + b"}",
], ids=["nested 5000 deep", "5000-digit integer", "answers nested 3000 deep"])
def test_bodies_too_complex_to_read_get_400_not_500(app, client, raw):
    reply = client.post(URL, data=raw, content_type="application/json",
                        headers={"X-Helpt-Signature": sign(SECRET, raw), "Accept-Language": "nl"})
    assert reply.status_code == 400
    assert reply.json["errors"][0]["code"] == "body-too-complex"
    assert journalled(app) == 0


def _answers(change):
    def edit(body):
        change(body["answers"])
    return edit


def _set(key, value):
    def edit(body):
        body[key] = value
    return edit


def _answer(key, value):
    return _answers(lambda answers: answers.__setitem__(key, value))


def _drop(*keys):
    return _answers(lambda answers: [answers.pop(k, None) for k in keys])


# (case, edit of a valid French request, status, code). Each is its own kind of bad input.
BAD = [
    ("missing name", _drop("Nom de la personne qui a besoin d'aide"), 400, "required"),
    ("missing postcode", _drop("postcode"), 400, "required"),
    ("missing languages", _drop("languages"), 400, "required"),
    ("missing tasks", _drop("tasks"), 400, "required"),
    ("no phone and no e-mail", _drop("phone"), 400, "contact-required"),
    ("no consent", _answer("consent_privacy", False), 400, "consent-required"),
    ("consent missing", _drop("consent_privacy"), 400, "consent-required"),
    ("name is an object", _answer("street", {"a": 1}), 400, "wrong-type"),
    ("name is a boolean", _answer("street", True), 400, "wrong-type"),
    ("text as a list of two", _answer("street", ["a", "b"]), 400, "wrong-type"),
    ("tasks as a number", _answer("tasks", 7), 400, "wrong-type"),
    ("tasks holding a number", _answer("tasks", ["groceries", 3]), 400, "wrong-type"),
    ("huge name", _answer("street", "x" * 151), 400, "too-long"),
    ("huge details", _answer("details", "bla " * 5000), 400, "too-long"),
    ("NUL in text", _answer("street", "Naamsestraat\x00 22"), 400, "invalid-characters"),
    ("escape sequence", _answer("details", "\x1b[31mred"), 400, "invalid-characters"),
    ("invalid phone", _answer("phone", "12345"), 400, "invalid-phone"),
    ("letters for a phone", _answer("phone", "call me"), 400, "invalid-phone"),
    ("invalid e-mail", _answer("email", "marie@"), 400, "invalid-email"),
    ("five-digit postcode", _answer("postcode", "30000"), 400, "invalid-postcode"),
    ("letters for a postcode", _answer("postcode", "abcd"), 400, "invalid-postcode"),
    ("unknown task", _answer("tasks", ["juggling"]), 400, "unknown-task"),
    ("unknown spoken language", _answer("languages", ["klingon"]), 400, "unknown-choice"),
    ("too many choices", _answer("languages", ["nl"] * 40), 400, "too-many-values"),
    ("yes/no that is neither", _answer("consent_privacy", "peut-être"), 400, "invalid-boolean"),
    ("unknown question", _answer("favourite colour", "blue"), 400, "unknown-field"),
    ("same question twice", _answer("full_name", "Marie"), 400, "duplicate-answer"),
    ("count without organisation", _answer("needed_count", "5"), 400, "organisation-required"),
    ("count that is no number", _answer("needed_count", "many"), 400, "invalid-number"),
    ("unknown form language", _set("lang", "de"), 400, "unknown-language"),
    ("unknown form", _set("form", "complaint"), 400, "unknown-form"),
    ("form as a list", _set("form", ["request"]), 400, "unknown-form"),
    ("unknown channel", _set("channel", "fax"), 400, "unknown-channel"),
    ("submission id with spaces", _set("submission_id", "a b"), 400, "invalid-submission-id"),
    ("submission id too long", _set("submission_id", "a" * 101), 400, "invalid-submission-id"),
    ("submission id with a newline", _set("submission_id", "abc\n"), 400, "invalid-submission-id"),
    ("answers not an object", _set("answers", ["Marie"]), 400, "not-an-object"),
]


@pytest.mark.parametrize("case, edit, status, code", BAD, ids=[case for case, *_ in BAD])
def test_bad_input_gets_4xx_with_a_message_in_the_submissions_language_and_no_entry(
        app, client, case, edit, status, code):
    body = copy.deepcopy(payload("request_fr.json"))
    edit(body)
    reply = post(client, body)
    assert reply.status_code == status
    errors = reply.json["errors"]
    assert code in [e["code"] for e in errors]
    error = next(e for e in errors if e["code"] == code)
    french = translate("fr", MESSAGES[code])
    assert error["message"] and "{" not in error["message"]
    if code != "unknown-language":  # that one falls back to the client's language
        assert french.split("{")[0] in error["message"]
    assert journalled(app) == 0


@pytest.mark.parametrize("body, content_type, status, code", [
    (b'{"form": "request", "lang": ', "application/json", 400, "malformed-json"),
    (b"[1, 2, 3]", "application/json", 400, "not-an-object"),
    (b"null", "application/json", 400, "not-an-object"),
    (b'{"form": "\xff\xfe"}', "application/json", 400, "malformed-body"),
    (b"form=request", "text/plain", 415, "wrong-content-type"),
    (b"<submission/>", "application/xml", 415, "wrong-content-type"),
    (b"x" * (65 * 1024), "application/json", 413, "body-too-large"),
], ids=["malformed JSON", "JSON array", "JSON null", "invalid UTF-8", "text/plain", "XML", "too large"])
def test_unreadable_bodies_get_4xx_in_the_clients_language(app, client, body, content_type, status, code):
    reply = post(client, body, content_type, headers={"Accept-Language": "fr-BE,fr;q=0.9"})
    assert reply.status_code == status
    [error] = reply.json["errors"]
    assert error["code"] == code and translate("fr", MESSAGES[code]).split("{")[0] in error["message"]
    assert journalled(app) == 0


def test_other_methods_get_json_errors_not_html(client):
    reply = client.get(URL)
    assert reply.status_code == 405 and reply.json["errors"][0]["code"] == "http-405"


def test_the_agents_wording_of_a_question_exists_in_every_language():
    """(Messages and page words are in the catalogues: tests/test_translations.py.)"""
    from sheets_schema.fields import LANGUAGES
    from webhooks.texts import AGENT_WORDING

    for page_id, wording in AGENT_WORDING.items():
        for key, (label, help_) in wording.items():
            for labels in (label, help_ or label):
                assert sorted(labels) == sorted(LANGUAGES) and all(v.strip() for v in labels.values()), (page_id, key)


def test_a_chunked_body_over_the_limit_is_413_not_a_truncated_body_checked_against_its_signature(app):
    with serving(app) as desk:
        raw = json.dumps({**payload("offer_nl.json"), "padding": "x" * 100_000}).encode()
        limit = app.config["MAX_CONTENT_LENGTH"]
        chunks = (raw[i:i + 8192] for i in range(0, len(raw), 8192))  # a generator: sent chunked
        # Signed over the first `limit` bytes: a server that truncated would find it valid.
        reply = requests.post(desk + URL, data=chunks, timeout=10, headers={
            "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw[:limit])})
    assert reply.status_code == 413 and reply.json()["errors"][0]["code"] == "body-too-large"
    assert journalled(app) == 0
