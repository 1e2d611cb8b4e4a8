"""The call centre's own door: `/<lang>/agent/...`, behind a sign-in, worded for the agent.

Agents type in phone and e-mail requests and offers. They sign in with their
name and the desk's shared passcode (`HELPT_AGENT_PASSCODE`); Flask's signed
session cookie keeps who they are, so the channel and the agent's name go
with every call they save, also after switching language. Their forms speak
to the agent ("Name of the caller", a spoken consent the agent confirms), are
not limited per address (a team works behind one office address), and end on
"next call". Without a passcode the door does not exist (404). The public
forms never carry an agent's channel.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from sheets_schema.answers import clean_text, has_control_characters
from sheets_schema.choices import CHANNEL_CHOICES
from sheets_schema.fields import LANGUAGES
from sheets_schema.problems import Problem

from .forms import csrf_holds, form_or_404, keep, page, with_csrf
from .texts import LANGUAGE_NAMES, texts

bp = Blueprint("agents", __name__, url_prefix="/<language>/agent")

CHANNELS = tuple(c for c in CHANNEL_CHOICES if c.code in ("phone", "email"))


def _door(language: str) -> None:
    if language not in LANGUAGES or not current_app.config["AGENT_PASSCODE"]:
        abort(404)


def _agent(channel: str | None = None) -> dict[str, object] | None:
    """The signed-in agent, with the channel they work on now (kept in the session)."""
    name = session.get("agent")
    if not name:
        return None
    if channel in {c.code for c in CHANNELS}:
        session["channel"] = channel
    return {"name": name, "channel": session.get("channel", "phone"), "channels": CHANNELS}


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in(language: str):
    _door(language)
    wrong = False
    if request.method == "POST":
        wait = current_app.extensions["helpt.sign_in_rate"].wait(request.remote_addr or "?")
        if wait:
            abort(429)
        name = clean_text(request.form.get("name", ""))[:60]
        passcode = request.form.get("passcode", "")
        right = hmac.compare_digest(passcode.encode(), current_app.config["AGENT_PASSCODE"].encode())
        if csrf_holds() and right and name and not has_control_characters(name):
            session.clear()
            session.update(agent=name, channel="phone")
            wanted = request.args.get("next", "")
            # Only a path of this site: never a redirect elsewhere.
            if not (wanted.startswith(f"/{language}/agent/") and not urlsplit(wanted).netloc):
                wanted = url_for("agents.form", language=language, form_id="request")
            return redirect(wanted, 303)
        wrong = True
    return with_csrf("agent_sign_in.html", 401 if wrong else 200, lang=language, t=texts(language),
                     languages=LANGUAGE_NAMES, wrong=wrong)


@bp.post("/sign-out")
def sign_out(language: str):
    _door(language)
    if csrf_holds():
        session.clear()
    return redirect(url_for("agents.sign_in", language=language), 303)


@bp.route("/<form_id>", methods=["GET", "POST"])
def form(language: str, form_id: str):
    _door(language)
    the_form = form_or_404(language, form_id)
    agent = _agent(request.values.get("channel"))
    if agent is None:
        return redirect(url_for("agents.sign_in", language=language, next=request.path), 303)
    if request.method == "GET":
        return page(the_form, language, [], agent=agent)
    if not csrf_holds():
        return page(the_form, language, [Problem("", "form-expired")], 400, agent=agent)
    problems = keep(the_form, language, str(agent["channel"]), entered_by=str(agent["name"]))
    if problems:
        return page(the_form, language, problems, 503 if problems[0].code == "journal-unavailable" else 400,
                    agent=agent)
    return redirect(url_for("agents.saved", language=language, form_id=form_id), 303)


@bp.get("/<form_id>/saved")
def saved(language: str, form_id: str):
    _door(language)
    the_form = form_or_404(language, form_id)
    agent = _agent()
    if agent is None:
        return redirect(url_for("agents.sign_in", language=language), 303)
    return render_template("agent_saved.html", lang=language, t=texts(language), form=the_form, agent=agent,
                           languages=LANGUAGE_NAMES)
