"""Replies by SMS: `POST /sms/incoming`, where Twilio posts what a volunteer texted back.

A volunteer with only a mobile gets their case by SMS and answers with a
word: JA/NEE, YES/NO, OUI/NON, in any case and spacing. The request must
carry Twilio's signature (X-Twilio-Signature, made with TWILIO_AUTH_TOKEN over
the address Twilio was given, HELPT_PUBLIC_URL/sms/incoming, and the posted
fields); anything unsigned or wrongly signed is refused with 403. The reply
answers the newest open case texted to that number, and Twilio texts our
answer back (TwiML) in the volunteer's language. Without a token there is
no such door (404).
"""

from __future__ import annotations

import re

from flask import Blueprint, Response, abort, current_app, request

from desk_db.handovers import Handovers
from sheets_schema.answers import phone_e164
from sheets_schema.i18n import N_, translate

bp = Blueprint("sms", __name__)

REPLIES = {
    "accepted": N_("Thank you! The contact details follow in a few minutes."),
    "declined": N_("Thank you for letting us know. The desk will ask someone else."),
    "unknown": N_("Please reply YES or NO."),
    "nothing_open": N_("There is no request waiting for your answer. Questions? Call the desk."),
}
_WORDS = {"ja": "accepted", "yes": "accepted", "oui": "accepted", "nee": "declined", "neen": "declined",
          "no": "declined", "non": "declined"}


def answer_of(text: str) -> str | None:
    """accepted or declined from a texted word ("Ja", " YES!", "o u i"), or None."""
    return _WORDS.get(re.sub(r"[\W_]+", "", text).casefold())


@bp.post("/sms/incoming")
def incoming():
    from twilio.request_validator import RequestValidator
    from twilio.twiml.messaging_response import MessagingResponse

    token = current_app.config["TWILIO_AUTH_TOKEN"]
    if not token:
        abort(404)
    url = current_app.config["PUBLIC_URL"].rstrip("/") + request.path
    if not RequestValidator(token).validate(url, request.form.to_dict(),
                                            request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    handovers: Handovers = current_app.extensions["helpt.handovers"]
    number = phone_e164(request.form.get("From", "")) or ""
    case = handovers.replied(number) if number else None
    language = (case.language if case else handovers.last_language(number)) or current_app.config["LANGUAGE"]
    said = answer_of(request.form.get("Body", ""))
    if case is None:
        text = REPLIES["nothing_open"]
    elif said is None:
        text = REPLIES["unknown"]
    else:
        handovers.answer(case.request_id, case.volunteer_id, case.round, said)
        text = REPLIES[said]
    reply = MessagingResponse()
    reply.message(translate(language, text))
    return Response(str(reply), mimetype="text/xml")
