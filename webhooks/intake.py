"""The intake API: `POST /api/v1/submissions`, signed, validated, journalled, then acknowledged.

Status codes: 202 accepted; 200 already had it (same submission_id, same
answers); 400 invalid (every problem at once, in the submission's language);
401 signature; 409 a submission_id reused for other answers; 413 too large;
415 content type; 429 too many unsigned posts (with Retry-After); 503 not
configured or the journal is unavailable. Never a 5xx for anything a client
can send.
"""

from __future__ import annotations

import json
import logging
import re
import secrets

from flask import Blueprint, Response, current_app, jsonify, request

from desk_db import DatabaseUnavailable
from desk_db.journal import Journal, Outcome
from desk_db.limits import Limits, key
from sheets_schema.clock import city_stamp
from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORMS
from sheets_schema.problems import Problem, message

from . import signature
from .shapes import envelope, flat_form
from .validation import Submission, read_submission

bp = Blueprint("intake", __name__, url_prefix="/api/v1")

# The city's clock, as Google Forms would stamp a response for a Belgian form.


def problems_response(problems: list[Problem], language: str, status: int, form_id: str | None = None) -> Response:
    """`{"errors": [{"field", "code", "message"}]}`, messages in `language`."""
    form = FORMS.get(form_id) if isinstance(form_id, str) else None
    labels = {q.field_id: q.labels[language] for q in form.questions} if form else {}
    errors = [{"field": p.field, "code": p.code, "message": message(p, language, labels.get(p.field, p.field))}
              for p in problems]
    response = jsonify(errors=errors)
    response.status_code = status
    return response


def client_language() -> str:
    """The language to explain a refusal in before the body is read: the client's preference."""
    return request.accept_languages.best_match(LANGUAGES) or current_app.config["LANGUAGE"]


def _body(raw: bytes) -> tuple[object, str | None]:
    """The request body as data, or the slug of why it cannot be read."""
    mimetype = request.mimetype
    if mimetype == "application/json":
        try:
            return json.loads(raw.decode("utf-8")), None
        except UnicodeDecodeError:
            return None, "malformed-body"
        except json.JSONDecodeError:
            return None, "malformed-json"
        except (RecursionError, ValueError):  # nested thousands deep; an integer of thousands of digits
            return None, "body-too-complex"
    if mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            return flat_form(request.form), None
        except UnicodeDecodeError:
            return None, "malformed-body"
    return None, "wrong-content-type"


def record(submission: Submission, submission_id: str) -> dict[str, str]:
    """The submission's row for its intake tab, by column id."""
    stamp = city_stamp()
    row = {"timestamp": stamp, **submission.values, "submission_id": submission_id, "channel": submission.channel}
    if submission.entered_by:
        row["entered_by"] = submission.entered_by
    return row


def _journal() -> Journal:
    """The app's journal (one per app, shared by its threads)."""
    return current_app.extensions["helpt.journal"]


# Crockford's base 32: no I, L, O or U, so a reference read out over the phone cannot be misheard
# as another (https://www.crockford.com/base32.html).
_READABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE = re.compile(r"S-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


def new_reference() -> str:
    """A new submission id that is also the reference a person gives when they call: "S-7K4Q-2M9X-HT3B".

    60 random bits: a clash is unlikely even at millions of submissions, and
    journal_submission draws again if one happens.
    """
    groups = ("".join(secrets.choice(_READABLE) for _ in range(4)) for _ in range(3))
    return "S-" + "-".join(groups)


def journal_submission(submission: Submission, submission_id: str | None = None) -> tuple[str, Outcome]:
    """Store the submission durably; its id, and whether it was new, a replay or a conflicting reuse."""
    given = submission.submission_id or submission_id
    while True:
        chosen = given or new_reference()
        row = record(submission, chosen)
        outcome = _journal().add(chosen, submission.tab_id, row, row["timestamp"])
        if given or outcome == "accepted":  # an id we drew that was taken is drawn again, never dropped
            return chosen, outcome


def limited(door: str, per_minute: int) -> int:
    """0 if this client address may knock at `door` now (counted, for every worker), else seconds to wait."""
    limits: Limits = current_app.extensions["helpt.limits"]
    return limits.take(key(door, request.remote_addr or "?"), per_minute)


def rate_limited(problems: list[Problem], language: str, seconds: int) -> Response:
    """A 429 that tells the client when to come back."""
    response = problems_response(problems, language, 429)
    response.headers["Retry-After"] = str(seconds)
    return response


@bp.post("/submissions")
def submissions():
    language = client_language()
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        return problems_response([Problem("", "body-too-large", {"max": limit})], language, 413)
    secret = current_app.config["WEBHOOK_SECRET"]
    if not secret:
        return problems_response([Problem("", "api-not-configured")], language, 503)
    body = request.get_data(cache=True)
    if len(body) > limit or (request.content_length is None and len(body) >= limit):
        # A chunked body has no length up front, and werkzeug stops reading it at the limit
        # without a word: what we hold may be a prefix, which must never be checked or kept.
        # A body of exactly the limit with its length given is allowed, as the message says.
        return problems_response([Problem("", "body-too-large", {"max": limit})], language, 413)
    # The signature first: a correctly signed sender is trusted and never limited. Only
    # requests that fail it count against their address, so junk from an address cannot
    # use up the allowance of a signed sender behind the same address.
    signed = signature.check(secret, request.headers.get(signature.HEADER), body)
    if signed.problem:
        wait = limited("api", current_app.config["API_RATE_LIMIT"])
        if wait:
            return rate_limited([Problem("", "rate-limited")], language, wait)
        return problems_response([Problem("", signed.problem)], language, 401)
    data, slug = _body(body)
    if slug:
        return problems_response([Problem("", slug)], language, 415 if slug == "wrong-content-type" else 400)
    found = envelope(data)
    submission, problems, language = read_submission(found, language)
    if submission is None:
        return problems_response(problems, language, 400, found.get("form") if isinstance(found, dict) else None)
    # Without a submission_id, the signed request itself is the key: replaying it adds no row.
    try:
        submission_id, outcome = journal_submission(submission, f"S-{signed.digest[:32]}")
    except DatabaseUnavailable:
        logging.getLogger("helpt.web").exception("intake journal unavailable")
        return problems_response([Problem("", "journal-unavailable")], language, 503)
    if outcome == "conflict":
        return problems_response([Problem("submission_id", "submission-id-reused")], language, 409)
    return jsonify(submission_id=submission_id, status=outcome), 202 if outcome == "accepted" else 200
