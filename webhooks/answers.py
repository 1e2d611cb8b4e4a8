"""A volunteer's answer to a case: `/<lang>/answer/<token>`, the links in the handover's first message.

Mail scanners open every link, so opening one only shows a page with a button;
only the button's POST records the answer. The token (sheets_schema.links)
names one request, one volunteer, one round and one answer, signed with the
desk's key, so a link for one case never acts on another. A second click
says what was recorded the first time. The answer waits in the desk's
database; the next sync sends the contact details and tells the resident.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for

from desk_db.handovers import Handovers
from sheets_schema.clock import short_moment
from sheets_schema.fields import LANGUAGES
from sheets_schema.links import Answer, LinkExpired, LinkInvalid, make_token, read_token

bp = Blueprint("answers", __name__)

# A link older than this says so. A case's own answer expires much sooner (HELPT_HANDOVER_WAIT_HOURS,
# kept by the handover's state); a volunteer may pause or stop long after their thank-you.
LINK_DAYS = 180
STATE = {"yes": "accepted", "no": "declined"}
CHOICE = {"pause": "paused", "stop": "withdrawn", "resume": "active"}
OUTCOMES = ("done", "not_yet", "fell_through")


def _handovers() -> Handovers:
    return current_app.extensions["helpt.handovers"]


@bp.route("/<language>/answer/<token>", methods=["GET", "POST"])
def answer(language: str, token: str):
    if language not in LANGUAGES:
        abort(404)
    handovers = _handovers()
    try:
        said = read_token(handovers.link_key(), token, max_age=LINK_DAYS * 24 * 3600)
    except (LinkExpired, LinkInvalid) as problem:
        return render_template("answer.html", lang=language, outcome="expired" if isinstance(
            problem, LinkExpired) else "invalid", said=None, when=""), 404
    if said.action in CHOICE:
        return _own_choice(language, said.volunteer_id, said.action, handovers)
    if said.action in OUTCOMES:
        return _follow_up(language, said, handovers)
    taken = False
    if request.method == "POST":
        taken, now = handovers.answer(said.request_id, said.volunteer_id, said.round, STATE[said.action])
    else:
        now = handovers.get(said.request_id, said.volunteer_id)
    if now is None or now.round != said.round:
        outcome = "gone"  # forgotten, or asked again since: this link's round is over
    elif taken:
        outcome = f"taken_{said.action}"
    elif now.state == "offered":
        outcome = f"confirm_{said.action}"
    elif now.state in ("accepted", "declined"):
        outcome = f"already_{'yes' if now.state == 'accepted' else 'no'}"
    else:
        outcome = "closed"  # withdrawn or expired before the answer
    return _page("answer.html", language, outcome=outcome, said=said,
                 when=short_moment(now.answered_at if now else None))


def _page(template: str, language: str, **context):
    response = current_app.make_response(render_template(template, lang=language, **context))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


def _follow_up(language: str, said: Answer, handovers: Handovers):
    """The volunteer's answer to "did the help happen?": a page with a button, the POST records it once."""
    taken, now = (handovers.report(said.request_id, said.volunteer_id, said.round, said.action)
                  if request.method == "POST" else (False, handovers.get(said.request_id, said.volunteer_id)))
    if now is None or now.round != said.round or now.state != "accepted":
        state = "gone"
    elif taken:
        state = "taken"
    elif now.outcome:
        state = "already"
    else:
        state = "confirm"
    return _page("follow_up.html", language, state=state, said=said, recorded=now.outcome if now else None,
                 when=short_moment(now.outcome_at if now else None))


def _own_choice(language: str, volunteer_id: str, action: str, handovers: Handovers):
    """A volunteer pauses, stops or comes back: a page with a button, the POST records it."""
    done = request.method == "POST"
    if done:
        handovers.choose(volunteer_id, CHOICE[action])
    back = make_token(handovers.link_key(), Answer("", volunteer_id, 0, "resume"))
    return _page("own_choice.html", language, action=action, done=done,
                 back=url_for("answers.answer", language=language, token=back))
