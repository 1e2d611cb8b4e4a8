"""The public forms: one template renders every form in every language, straight from the schema.

Works without JavaScript; the server validates (the same code as the API) and
shows an error summary linked to the fields. CSRF is a double-submit token: a
random cookie (SameSite=Strict) that the form must echo, which needs no server
secret and so works across gunicorn workers. A honeypot field catches bots that
fill in everything; they get the thank-you page and nothing is stored.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from desk_db import DatabaseUnavailable
from sheets_schema.fields import LANGUAGES, Form
from sheets_schema.forms import FORMS
from sheets_schema.i18n import translate
from sheets_schema.problems import Problem, message
from sheets_schema.tasks import TASKS

from .intake import REFERENCE, journal_submission, limited, new_reference
from .pages import AGENT_PAGES, PAGES
from .texts import AGENT_TITLES, LANGUAGE_NAMES, THANKS
from .validation import read_submission

bp = Blueprint("forms", __name__)

CSRF_COOKIE = "helpt_csrf"
HONEYPOT = "website"  # a name bots love to fill in
# The public forms always store channel "web": anyone can add ?channel=phone to a link, so a
# phone or e-mail channel belongs only behind the call centre's own signed-in door.
PUBLIC_CHANNEL = "web"


def form_or_404(language: str, page_id: str, agent: bool = False) -> Form:
    """The form a page shows (see pages.py), as an agent reads it if `agent`, or 404."""
    if language not in LANGUAGES or page_id not in PAGES:
        abort(404)
    return AGENT_PAGES[page_id] if agent else PAGES[page_id][1]


def answers(form: Form) -> dict[str, object]:
    """The posted form as the API's answers: lists for checkboxes, booleans for single ticks."""
    answers: dict[str, object] = {}
    for question in form.questions:
        if question.type == "list":
            answers[question.field_id] = request.form.getlist(question.field_id)
        elif question.type == "bool":
            answers[question.field_id] = request.form.get(question.field_id) == "yes"
        else:
            answers[question.field_id] = request.form.get(question.field_id, "")
    return answers


def with_csrf(template: str, status: int, **context: Any):
    """A page holding a form: rendered with the browser's CSRF token, which it also gets as a cookie."""
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = current_app.make_response((render_template(template, csrf_token=token, **context), status))
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure)
    return response


def page(form: Form, language: str, problems: list[Problem], status: int = 200, retry_after: int = 0,
         agent: Mapping[str, Any] | None = None):
    """The form page, with every problem shown at its field; `agent` words it for the call centre."""
    labels = {q.field_id: q.labels[language] for q in form.questions}
    errors = {}
    for problem in problems:
        errors.setdefault(problem.field or "", message(problem, language, labels.get(problem.field, "")))
    response = with_csrf(
        "form.html", status, form=form, lang=language, errors=errors,
        values=request.form if request.method == "POST" else {},
        tasks={task.code: task for task in TASKS}, languages=LANGUAGE_NAMES,
        honeypot=HONEYPOT, agent=agent,
        title=translate(language, AGENT_TITLES[form.id]) if agent else form.titles[language],
    )
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


def csrf_holds() -> bool:
    """The double-submit check: the posted token is the browser's own cookie."""
    cookie, posted = request.cookies.get(CSRF_COOKIE, ""), request.form.get("csrf_token", "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), posted.encode())


def keep(form: Form, language: str, channel: str, entered_by: str = "") -> tuple[list[Problem], str]:
    """Validate the posted page and journal it: the problems, or none and its reference once it is stored.

    The page may ask less than its contract form (fewer tasks, an organisation
    required): what it does not offer is refused here, as the page would.
    """
    posted = answers(form)
    offered = {c.code for c in form.question("tasks").choices}
    problems = [Problem("tasks", "unknown-task", {"value": task[:60]})
                for task in posted.get("tasks", []) if task not in offered]  # type: ignore[union-attr]
    contract = FORMS[PAGES[form.id][0]]
    problems += [Problem(q.field_id, "required") for q in form.questions  # required here, not in the contract
                 if q.required and not contract.question(q.field_id).required
                 and not str(posted.get(q.field_id, "")).strip()]
    envelope = {"form": contract.id, "lang": language, "channel": channel, "answers": posted}
    submission, found, _ = read_submission(envelope, language)
    problems += found
    if submission is None or problems:
        return problems, ""
    try:
        reference, _ = journal_submission(replace(submission, entered_by=entered_by))
    except DatabaseUnavailable:
        logging.getLogger("helpt.web").exception("intake journal unavailable")
        return [Problem("", "journal-unavailable")], ""
    return [], reference


@bp.get("/<language>/<form_id>")
def show(language: str, form_id: str):
    return page(form_or_404(language, form_id), language, [])


@bp.post("/<language>/<form_id>")
def submit(language: str, form_id: str):
    form = form_or_404(language, form_id)
    wait = limited("form", current_app.config["FORM_RATE_LIMIT"])
    if wait:
        return page(form, language, [Problem("", "rate-limited")], 429, retry_after=wait)
    if not csrf_holds():
        return page(form, language, [Problem("", "form-expired")], 400)
    reference = new_reference()  # a bot's, so it cannot tell it was caught
    if not request.form.get(HONEYPOT):  # a bot gets its thank-you page and nothing is stored
        problems, reference = keep(form, language, PUBLIC_CHANNEL)
        if problems:
            status = 503 if problems[0].code == "journal-unavailable" else 400
            return page(form, language, problems, status)
    return redirect(url_for("forms.thanks", language=language, form_id=form_id, ref=reference), 303)


@bp.get("/<language>/<form_id>/thanks")
def thanks(language: str, form_id: str):
    form = form_or_404(language, form_id)
    return render_template("thanks.html", form=form, lang=language, body=translate(language, THANKS[form_id]),
                           reference=reference_asked())


def reference_asked() -> str:
    """The reference in the page's address, if it has a reference's shape (so no other text is ever shown)."""
    reference = request.args.get("ref", "")
    return reference if REFERENCE.fullmatch(reference) else ""
