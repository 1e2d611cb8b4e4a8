"""Thousands of hostile requests, signed and unsigned, at the intake API and the public forms.

Whatever a client sends, the answer is never a 5xx, and nothing half-stored
reaches the journal: every entry there is a whole row of its intake tab.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlencode

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORMS
from sheets_schema.tabs import tab
from webhooks import create_app
from webhooks.forms import CSRF_COOKIE
from webhooks.signature import sign

SECRET = "hostile-test-secret"
URL = "/api/v1/submissions"
QUESTION_KEYS = sorted({q.field_id for f in FORMS.values() for q in f.questions}
                       | {q.labels[lang] for f in FORMS.values() for q in f.questions for lang in LANGUAGES})
CHOICE_WORDS = sorted({c.labels[lang] for f in FORMS.values() for q in f.questions for c in q.choices
                       for lang in LANGUAGES}
                      | {c.code for f in FORMS.values() for q in f.questions for c in q.choices})

# Text with what breaks naive code: control characters, surrogates' neighbours, formula prefixes, RTL marks.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "=IMPORTRANGE(\"x\",\"A1\")", "+32470123456", "0470 12 34 56", "\x00", "\ufeff",
                     "\u202e", "\uffff", "a" * 5000, "3000", "yes", "oui", "Ja", "-1", "@SUM(1)", "1e999"]),
    st.sampled_from(CHOICE_WORDS),
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10 ** 50, max_value=10 ** 60),
              st.floats(allow_nan=True), nasty_text),
    lambda children: st.one_of(st.lists(children, max_size=5),
                               st.dictionaries(st.one_of(nasty_text, st.sampled_from(QUESTION_KEYS)), children,
                                               max_size=5)),
    max_leaves=20,
)
answers = st.dictionaries(st.sampled_from(QUESTION_KEYS), json_values, max_size=12)
envelopes = st.fixed_dictionaries(
    {},
    optional={"form": st.one_of(st.sampled_from(sorted(FORMS)), json_values),
              "lang": st.one_of(st.sampled_from(LANGUAGES), json_values),
              "channel": st.one_of(st.sampled_from(["web", "phone", "google_form", "website"]), json_values),
              "submission_id": st.one_of(st.text(alphabet="abc-_.:0123", min_size=1, max_size=12), json_values),
              "answers": st.one_of(answers, json_values),
              "namedValues": answers},
)
VALID = [json.loads((Path(__file__).parent / "data" / "intake" / name).read_text())
         for name in ("offer_nl.json", "request_fr.json")]
# A valid submission with one answer replaced: most are refused, some accepted, none half-stored.
almost_valid = st.builds(
    lambda base, key, value, sid: {**base, "submission_id": sid, "answers": {**base["answers"], key: value}},
    st.sampled_from(VALID), st.sampled_from(QUESTION_KEYS), json_values, st.uuids().map(str))
VALID_FORM = [("full_name", "An Peeters"), ("phone", "0470 12 34 56"), ("postcode", "3010"), ("languages", "nl"),
              ("tasks", "groceries"), ("consent_privacy", "yes")]
# A valid submission with hostile free text (formulas, right-to-left marks, emoji): accepted as text.
valid_with_text = st.builds(
    lambda base, text, sid: {**base, "submission_id": sid, "answers": {**base["answers"], "details": text}},
    st.sampled_from(VALID), nasty_text, st.uuids().map(str))
bodies = st.one_of(
    valid_with_text.map(lambda e: json.dumps(e).encode()),
    almost_valid.map(lambda e: json.dumps(e).encode()),
    almost_valid.map(lambda e: {**e, "answers": {k: v for k, v in e["answers"].items() if k != "postcode"}})
    .map(lambda e: json.dumps(e).encode()),
    st.integers(1, 6000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(1, 6000).map(lambda n: b'{"submission_id": ' + b"9" * n + b"}"),
    envelopes.map(lambda e: json.dumps(e).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.lists(st.tuples(st.sampled_from(QUESTION_KEYS + ["form", "lang", "tasks[]", "uuid"]), nasty_text),
             max_size=10).map(lambda pairs: urlencode(pairs).encode()),
)
# Half of the requests are well-formed at the door (JSON, signed), so that validation and the
# journal are reached as often as the door's own refusals.
content_types = st.one_of(st.just("application/json"), st.sampled_from([
    "application/x-www-form-urlencoded", "text/plain", "multipart/form-data", "application/json; charset=latin-1",
    ""]))
signatures = st.one_of(st.just("valid"), st.one_of(
    st.none(), st.text(max_size=80), st.builds(lambda t, v: f"t={t},v1={v}", st.integers(), st.text(max_size=70))))


def _header(text: str) -> str:
    """Any text as an HTTP header can carry it: bytes read as latin-1, no line breaks (HTTP has none)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1").replace("\r", " ").replace("\n", " ")


def _whole_rows_only(app) -> None:
    for entry in app.extensions["helpt.journal"].pending(100_000):
        # Every column of its tab; "entered_by" only for a call-centre agent's entry.
        columns = [column.id for column in tab(entry.tab_id).columns if column.id != "entered_by"]
        assert sorted(entry.record) == sorted(columns), entry
        assert all(isinstance(value, str) for value in entry.record.values()), entry


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(body=bodies, content_type=content_types, signature=signatures,
       language=st.one_of(st.none(), st.text(max_size=20), st.sampled_from(["fr-BE,fr;q=0.9", "nl", "*"])))
def test_the_api_never_answers_5xx_and_stores_only_whole_rows(tmp_path, body, content_type, signature, language):
    app = _app(tmp_path)
    headers = {}
    if signature == "valid":
        headers["X-Helpt-Signature"] = sign(SECRET, body)
    elif signature is not None:
        headers["X-Helpt-Signature"] = _header(signature)
    if language is not None:
        headers["Accept-Language"] = _header(language)
    reply = app.test_client().post(URL, data=body, content_type=content_type, headers=headers)
    event(f"answered {reply.status_code}, signed {signature == 'valid'}")
    assert reply.status_code < 500, (reply.status_code, reply.get_data(as_text=True)[:300])
    assert reply.is_json and reply.json.get("errors") or reply.status_code in (200, 202)
    _whole_rows_only(app)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(language=st.sampled_from([*LANGUAGES * 3, "de", "x" * 50]),
       form_id=st.sampled_from([*sorted(FORMS) * 3, "admin"]),
       fields=st.lists(st.tuples(st.sampled_from(QUESTION_KEYS + ["csrf_token", "website", "channel"]), nasty_text),
                       max_size=15),
       with_token=st.booleans(), base=st.booleans())
def test_the_public_forms_never_answer_5xx_and_store_only_whole_rows(tmp_path, language, form_id, fields,
                                                                     with_token, base):
    app = _app(tmp_path)
    client = app.test_client()
    if base:  # a filled-in form with hostile extras or replacements: some get through
        fields = [*VALID_FORM, *fields]
    if with_token:
        client.set_cookie(CSRF_COOKIE, "token-of-this-browser")
        fields = [*fields, ("csrf_token", "token-of-this-browser")]
    reply = client.post(f"/{language}/{form_id}", data=urlencode(fields).encode(),
                        content_type="application/x-www-form-urlencoded")
    event(f"answered {reply.status_code}")
    assert reply.status_code < 500, reply.status_code
    _whole_rows_only(app)


_APPS: dict[str, object] = {}


def _app(tmp_path):
    """One app per test (hypothesis reruns the body thousands of times): its journal fills up across examples."""
    key = str(tmp_path)
    if key not in _APPS:
        _APPS[key] = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET,
                                 "API_RATE_LIMIT": 0, "FORM_RATE_LIMIT": 0})
    return _APPS[key]
