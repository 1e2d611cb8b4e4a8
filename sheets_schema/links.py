"""Answer links: a volunteer's "I'll do it" / "I can't", signed so that one case's link never acts on another.

The sync makes them (in the messages it queues), the web app reads them. A
link names one request, one volunteer, one round of asking and one answer,
signed with the desk's key (desk_db keeps it) by itsdangerous, which Flask
brings; it expires after `max_age` seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_SALT = "helpt answer link"
# A case's answer, the follow-up's, or a volunteer's own choice.
ACTIONS = ("yes", "no", "done", "not_yet", "fell_through", "pause", "stop", "resume")


@dataclass(frozen=True)
class Answer:
    """What a link says: this volunteer's answer to this request, in this round; or, with no request,
    the volunteer's own pause, stop or return."""

    request_id: str
    volunteer_id: str
    round: int
    action: str  # one of ACTIONS


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was not made by this desk, or was altered."""


def make_token(key: str, answer: Answer) -> str:
    return URLSafeTimedSerializer(key, salt=_SALT).dumps(
        [answer.request_id, answer.volunteer_id, answer.round, answer.action])


def read_token(key: str, token: str, max_age: float) -> Answer:
    try:
        request_id, volunteer_id, round_, action = URLSafeTimedSerializer(key, salt=_SALT).loads(
            token, max_age=max_age)
    except SignatureExpired:
        raise LinkExpired() from None
    except (BadSignature, ValueError, TypeError):
        raise LinkInvalid() from None
    if action not in ACTIONS or not isinstance(round_, int):
        raise LinkInvalid()
    return Answer(str(request_id), str(volunteer_id), round_, action)


def answer_url(public_url: str, language: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/{language}/answer/{token}"
