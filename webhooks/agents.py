"""The call centre's own door: `/<lang>/agent/...`, behind a sign-in, worded for the agent.

Agents type in phone and e-mail requests and offers. They sign in with their
name and the desk's shared passcode (`HELPT_AGENT_PASSCODE`); the session
lives in the desk's database (desk_db.sessions), its id in Flask's signed
cookie, so the channel and the agent's name go with every call they save,
also after switching language, and signing out ends it everywhere. Their forms speak
to the agent ("Name of the caller", a spoken consent the agent confirms), are
not limited per address (a team works behind one office address), and end on
"next call". Without a passcode the door does not exist (404). The public
forms never carry an agent's channel.
"""

from __future__ import annotations

import hmac
import re

from flask import (
    Blueprint,
    abort,
    current_app,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface

from desk_db.limits import Limits, key
from desk_db.sessions import Sessions, agent_key
from sheets_schema.answers import clean_text, has_control_characters, phone_text
from sheets_schema.choices import AGENT_CHANNELS, CHANNEL_CHOICES
from sheets_schema.fields import LANGUAGES, Form
from sheets_schema.i18n import translate
from sheets_schema.problems import Problem

from .forms import csrf_holds, form_or_404, keep, page, reference_asked, with_csrf
from .texts import AGENT_TITLES, LANGUAGE_NAMES

bp = Blueprint("agents", __name__, url_prefix="/<language>/agent")

CHANNELS = tuple(c for c in CHANNEL_CHOICES if c.code in AGENT_CHANNELS)
SIGN_IN_PER_MINUTE = 10  # attempts per agent name and address
NEW_NAMES_PER_MINUTE = 30  # attempts per address under names that never signed in
_AGENT_PAGE = re.compile(r"/(nl|en|fr)/agent/[a-z_-]{1,40}")


def _door(language: str) -> None:
    """Every agent page exists only when the desk set a passcode; without one, a page in the agent's
    language says so (and how a desk administrator turns it on), with status 404."""
    if language not in LANGUAGES:
        abort(404)
    if not current_app.config["AGENT_PASSCODE"]:
        abort(make_response(render_template("agent_off.html", lang=language, languages=LANGUAGE_NAMES), 404))


class AgentSessionCookie(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS (behind the router too)."""

    def get_cookie_secure(self, app) -> bool:  # type: ignore[override]
        return bool(has_request_context() and request.is_secure) or super().get_cookie_secure(app)


def _sessions() -> Sessions:
    return current_app.extensions["helpt.sessions"]


def _agent(channel: str | None = None) -> dict[str, object] | None:
    """The signed-in agent, with the channel they work on now (kept in the cookie); None once the
    session ended (signed out, or the shift is over), whatever the cookie says."""
    name = _sessions().agent(session.get("sid"))
    if not name:
        session.clear()
        return None
    if channel in {c.code for c in CHANNELS}:
        session["channel"] = channel
    return {"name": name, "channel": session.get("channel", "phone"), "channels": CHANNELS}


def _next(language: str) -> str:
    """Where to go after signing in: only one of our agent pages, never a redirect elsewhere."""
    wanted = request.args.get("next", "")
    if _AGENT_PAGE.fullmatch(wanted) and wanted.startswith(f"/{language}/agent/"):
        return wanted
    return url_for("agents.form", language=language, form_id="request")


def _wait(name: str) -> int:
    """Seconds this sign-in must wait, 0 if it may try now (and is counted).

    Attempts count per agent name and address, so others' guesses never lock
    an agent out; names that never signed in also share one allowance per
    address, so guessing under new names is bounded too.
    """
    limits: Limits = current_app.extensions["helpt.limits"]
    address = request.remote_addr or "?"
    wait = limits.take(key("sign-in", agent_key(name), address), SIGN_IN_PER_MINUTE)
    if not wait and not _sessions().known(name):
        wait = limits.take(key("sign-in-new-name", address), NEW_NAMES_PER_MINUTE)
    return wait


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in(language: str):
    _door(language)
    wrong, wait = False, 0
    if request.method == "POST":
        name = clean_text(request.form.get("name", ""))[:60]
        wait = _wait(name)
        if not wait:
            passcode = request.form.get("passcode", "")
            right = hmac.compare_digest(passcode.encode(), current_app.config["AGENT_PASSCODE"].encode())
            if csrf_holds() and right and name and not has_control_characters(name):
                current_app.extensions["helpt.limits"].clear(
                    key("sign-in", agent_key(name), request.remote_addr or "?"))
                session.clear()
                session.update(sid=_sessions().start(name), channel="phone")
                return redirect(_next(language), 303)
            wrong = True
    response = with_csrf("agent_sign_in.html", 429 if wait else 401 if wrong else 200, lang=language,
                         languages=LANGUAGE_NAMES, wrong=wrong, wait=wait)
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


@bp.post("/sign-out")
def sign_out(language: str):
    _door(language)
    if csrf_holds():
        _sessions().end(session.get("sid"))  # the cookie, wherever it was copied, opens nothing any more
        session.clear()
    return redirect(url_for("agents.sign_in", language=language), 303)


CALL_OUTCOMES = ("reached", "no_answer", "wrong_number")


@bp.route("/calls", methods=["GET", "POST"])
def calls(language: str):
    """Residents to phone back: a volunteer accepted their request and they have no e-mail. Newest need
    first, in the resident's language, with a script to read; the outcome goes back to the request's row
    at the next sync."""
    _door(language)
    agent = _agent()
    if agent is None:
        return redirect(url_for("agents.sign_in", language=language, next=request.path), 303)
    handovers = current_app.extensions["helpt.handovers"]
    if request.method == "POST":
        outcome, call = request.form.get("outcome", ""), request.form.get("call", "")
        if csrf_holds() and outcome in CALL_OUTCOMES and call.isdigit():
            handovers.called(int(call), outcome)
        return redirect(url_for("agents.calls", language=language), 303)
    listed = [{"id": c.id, "name": c.subject, "phone": phone_text(c.address), "dial": c.address.replace(" ", ""),
               "language": LANGUAGE_NAMES.get(c.language, c.language), "language_code": c.language,
               "request_id": c.request_id, "script": c.body.split("\n\n"), "attempts": c.attempts}
              for c in handovers.calls()]
    return with_csrf("agent_calls.html", 200, lang=language, languages=LANGUAGE_NAMES, agent=agent, calls=listed)


@bp.route("/<form_id>", methods=["GET", "POST"])
def form(language: str, form_id: str):
    _door(language)
    the_form = form_or_404(language, form_id, agent=True)
    agent = _agent(request.values.get("channel"))
    if agent is None:
        return redirect(url_for("agents.sign_in", language=language, next=request.path), 303)
    if request.method == "GET":
        return page(the_form, language, [], agent=agent)
    if not csrf_holds():
        return page(the_form, language, [Problem("", "form-expired")], 400, agent=agent)
    if request.form.get("switch"):
        # The language buttons post the call as typed so far: the same page in this language, every
        # field and the channel kept, nothing saved yet.
        return page(the_form, language, [], agent=agent)
    problems, reference = keep(the_form, language, str(agent["channel"]), entered_by=str(agent["name"]))
    if problems:
        return page(the_form, language, problems, 503 if problems[0].code == "journal-unavailable" else 400,
                    agent=agent)
    return redirect(url_for("agents.saved", language=language, form_id=form_id, ref=reference), 303)


def _read_back(the_form: Form, reference: str, agent_name: str, language: str) -> list[tuple[str, str]]:
    """What the journal stored for this call, by question, while it still holds it (until the next sync
    reads it back); only for the agent who entered it."""
    entry = current_app.extensions["helpt.journal"].entry(reference) if reference else None
    if entry is None or entry.record.get("entered_by") != agent_name:
        return []
    return [(q.labels[language], phone_text(value) if q.type == "phone" else value) for q in the_form.questions
            if (value := entry.record.get(q.field_id, "").strip())]


@bp.get("/<form_id>/saved")
def saved(language: str, form_id: str):
    _door(language)
    the_form = form_or_404(language, form_id, agent=True)
    agent = _agent()
    if agent is None:
        return redirect(url_for("agents.sign_in", language=language), 303)
    reference = reference_asked()
    return render_template("agent_saved.html", lang=language, title=translate(language, AGENT_TITLES[form_id]),
                           form=the_form, agent=agent, languages=LANGUAGE_NAMES, reference=reference,
                           stored=_read_back(the_form, reference, str(agent["name"]), language))
