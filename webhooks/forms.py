"""The public forms: one template renders every form in every language, straight from the schema.

Works without JavaScript; the server validates (the same code as the API) and
shows an error summary linked to the fields. CSRF is a double-submit token: a
random cookie (SameSite=Strict) that the form must echo, which needs no server
secret and so works across gunicorn workers. A honeypot field catches bots that
fill in everything; they get the thank-you page and nothing is stored.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from sheets_schema.database import DatabaseUnavailable
from sheets_schema.fields import LANGUAGES, Form
from sheets_schema.forms import FORMS
from sheets_schema.problems import Problem, message
from sheets_schema.tasks import TASKS

from .intake import journal_submission
from .texts import LANGUAGE_NAMES, texts
from .validation import read_submission

bp = Blueprint("forms", __name__)

CSRF_COOKIE = "helpt_csrf"
HONEYPOT = "website"  # a name bots love to fill in
# The public forms always store channel "web": anyone can add ?channel=phone to a link, so a
# phone or e-mail channel belongs only behind the call centre's own signed-in door.
PUBLIC_CHANNEL = "web"


def _form_or_404(language: str, form_id: str) -> Form:
    if language not in LANGUAGES or form_id not in FORMS:
        abort(404)
    return FORMS[form_id]


def _answers(form: Form) -> dict[str, object]:
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


def _page(form: Form, language: str, problems: list[Problem], status: int = 200, retry_after: int = 0):
    labels = {q.field_id: q.labels[language] for q in form.questions}
    errors = {}
    for problem in problems:
        errors.setdefault(problem.field or "", message(problem, language, labels.get(problem.field, "")))
    token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    html = render_template(
        "form.html", form=form, lang=language, t=texts(language), errors=errors,
        values=request.form if request.method == "POST" else {}, csrf_token=token,
        tasks={task.code: task for task in TASKS}, languages=LANGUAGE_NAMES,
        honeypot=HONEYPOT,
    )
    response = current_app.make_response((html, status))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure)
    return response


@bp.get("/<language>/<form_id>")
def show(language: str, form_id: str):
    return _page(_form_or_404(language, form_id), language, [])


@bp.post("/<language>/<form_id>")
def submit(language: str, form_id: str):
    form = _form_or_404(language, form_id)
    wait = current_app.extensions["helpt.form_rate"].wait(request.remote_addr or "?")
    if wait:
        return _page(form, language, [Problem("", "rate-limited")], 429, retry_after=wait)
    cookie, posted = request.cookies.get(CSRF_COOKIE, ""), request.form.get("csrf_token", "")
    if not cookie or not hmac.compare_digest(cookie.encode(), posted.encode()):
        return _page(form, language, [Problem("", "form-expired")], 400)
    thanks = redirect(url_for("forms.thanks", language=language, form_id=form_id), 303)
    if request.form.get(HONEYPOT):
        return thanks
    envelope = {"form": form_id, "lang": language, "channel": PUBLIC_CHANNEL, "answers": _answers(form)}
    submission, problems, _ = read_submission(envelope, language)
    if submission is None:
        return _page(form, language, problems, 400)
    try:
        journal_submission(submission)
    except DatabaseUnavailable:
        current_app.logger.exception("intake journal unavailable")
        return _page(form, language, [Problem("", "journal-unavailable")], 503)
    return thanks


@bp.get("/<language>/<form_id>/thanks")
def thanks(language: str, form_id: str):
    form = _form_or_404(language, form_id)
    return render_template("thanks.html", form=form, lang=language, t=texts(language),
                           body=texts(language)[f"thanks_{form_id}"])
