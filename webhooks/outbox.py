"""The local mailbox's page, `/outbox`: what a desk without SMTP would have mailed, as people would read it.

With `make run` nobody's mail leaves the machine: the postman puts each
message in the local mailbox (desk_db.handovers) and this page shows them,
newest first, with working links, so a newcomer can play volunteer and
resident on one machine. It holds personal data, so it opens only with the
link `helpt serve` prints (a key the desk database made), which leaves a
cookie for this page alone. With HELPT_SMTP_URL set there is no such page.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from desk_db.handovers import Handovers
from sheets_schema.clock import short_moment
from sheets_schema.plain_html import html_paragraphs

bp = Blueprint("outbox", __name__)
COOKIE = "helpt_outbox"


@bp.get("/outbox")
def outbox():
    if current_app.config["SMTP_URL"]:
        abort(404)
    handovers: Handovers = current_app.extensions["helpt.handovers"]
    key = handovers.key("outbox")
    given = request.args.get("key", "")
    if given:
        if not hmac.compare_digest(given, key):
            abort(404)
        response = redirect(url_for("outbox.outbox"))
        response.set_cookie(COOKIE, key, httponly=True, samesite="Strict", secure=request.is_secure,
                            path=url_for("outbox.outbox"))
        return response
    if not hmac.compare_digest(request.cookies.get(COOKIE, ""), key):
        return render_template("outbox.html", lang=current_app.config["LANGUAGE"], mails=None), 401
    mails = [{"to": m.address, "subject": m.subject, "paragraphs": [Markup(p) for p in html_paragraphs(m.body)],
              "when": short_moment(m.delivered_at)}
             for m in handovers.mailbox()]
    response = current_app.make_response(render_template(
        "outbox.html", lang=current_app.config["LANGUAGE"], mails=mails))
    response.headers["Cache-Control"] = "no-store"
    return response


def outbox_link(handovers: Handovers, base: str) -> str:
    """The link that opens the local mailbox's page (printed by `helpt serve`)."""
    return f"{base.rstrip('/')}/outbox?key={handovers.key('outbox')}"
