"""The handover: from a coordinator's assignment to a volunteer at the door.

A coordinator names a volunteer in `assigned_volunteers` and sets the status
to Gematcht; that act, never a suggestion, starts a handover. Each sync then
moves every handover one step, decided here by a pure function of the rows
and of what the desk's database remembers (desk_db.handovers):

- assigned, Gematcht, never asked: the case goes to the volunteer, without the
  resident's name, street or phone, with a yes and a no link;
- the volunteer said yes (on the link's page): the contact details and the
  task's tips go to the volunteer, and the resident hears who will call;
- no answer within HELPT_HANDOVER_WAIT_HOURS: the handover expires;
- the volunteer left the cell, or the request left Gematcht before an answer,
  or was cancelled: the case is withdrawn (the volunteer is told, if asked).

The coordinator's cell is never changed (invariant 2): a volunteer who said no
or did not answer stays where the coordinator typed them, but counts as not
assigned, is never suggested for that request again, and the row's
`handover` column says so in words. Taken out of the cell and typed in again,
a volunteer is asked anew.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from desk_db.handovers import FINISHED, Handover, Letter, LetterState, reply_key
from sheets_schema.answers import choice_code, parse_phone
from sheets_schema.cases import REQUEST_STATUS_CHOICES
from sheets_schema.choices import FORM_LANGUAGE_CHOICES
from sheets_schema.clock import short_moment
from sheets_schema.i18n import N_, translate
from sheets_schema.links import Answer

from . import letters
from .matching_people import split_codes

LetterStates = Mapping[str, LetterState]  # kind -> where that message of one handover round stands
_NOT_YET = LetterState("queued", None, "", "email", 0)

WORDS = {
    "queued": N_("{volunteer}: request ready to be mailed"),
    "asked": N_("{volunteer}: request mailed {sent}, waiting for an answer until {deadline}"),
    "asked_sms": N_("{volunteer}: request texted {sent}, waiting for an answer until {deadline}"),
    "failed": N_("{volunteer}: the mail could not be sent ({reason}); phone the volunteer"),
    "accepted": N_("{volunteer}: request mailed {sent} · accepted {answered}"),
    "accepted_sms": N_("{volunteer}: request texted {sent} · accepted {answered}"),
    "details_sent": N_("contact details mailed {sent}"),
    "details_queued": N_("contact details ready to be mailed"),
    "resident_told": N_("resident told {sent}"),
    "resident_queued": N_("resident ready to be told"),
    "resident_call": N_("the resident has no e-mail: on the call centre's list"),
    "resident_called": N_("resident phoned {sent}"),
    "resident_no_answer": N_("resident not reached ({n}x), on the list again"),
    "resident_wrong_number": N_("resident's number is wrong: find another and phone them"),
    "followed_up": N_("asked whether the help happened {sent}"),
    "done": N_("the help happened, says the volunteer ({when}): close the request"),
    "not_yet": N_("not happened yet, says the volunteer ({when}): phone them"),
    "fell_through": N_("it fell through, says the volunteer ({when}): choose another suggestion"),
    "resident_unreachable": N_("the resident has no e-mail and no phone: how do we reach them?"),
    "declined": N_("{volunteer}: cannot do it ({answered}); choose another suggestion"),
    "expired": N_("{volunteer}: no answer within {hours} h ({when}); choose another suggestion"),
    "withdrawn": N_("{volunteer}: no longer needed ({when})"),
    "withdrawn_told": N_("{volunteer}: no longer needed, told {sent}"),
    "unreachable": N_("{volunteer}: has no e-mail address; phone them"),
}


@dataclass(frozen=True)
class HandoverSettings:
    """The desk's HELPT_HANDOVER_WAIT_HOURS and how its messages sign."""

    wait_hours: float = 24.0
    desk: letters.Signature = letters.Signature()
    follow_up_days: float = 3.0
    sms: bool = False  # the desk sends SMS (Twilio is configured): people with only a mobile are texted
    public_url: str = "http://127.0.0.1:8000"  # where the desk's pages are (the neighbour card)


@dataclass
class HandoverPlan:
    """What one sync does to the handovers."""

    handovers: list[Handover] = field(default_factory=list)  # new or changed
    letters: list[Letter] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # request id -> the `handover` column, in words
    turned_down: dict[str, set[str]] = field(default_factory=dict)  # request id -> out of this case
    # Requests no longer in the sheet (erased by retention, forgotten, deleted): their handovers go too.
    gone: list[str] = field(default_factory=list)


def _status(row: Mapping[str, str]) -> str:
    return choice_code(REQUEST_STATUS_CHOICES, row.get("status", "")) or "new"


def _assigned(row: Mapping[str, str]) -> list[str]:
    return list(dict.fromkeys(code.upper() for code in split_codes(row.get("assigned_volunteers", ""))))


def language_of(row: Mapping[str, str], fallback: str) -> str:
    return choice_code(FORM_LANGUAGE_CHOICES, row.get("form_language", "")) or fallback


def plan_handovers(requests: Sequence[Mapping[str, str]], volunteers: Mapping[str, Mapping[str, str]],
                   known: Mapping[tuple[str, str], Handover],
                   sent: Mapping[tuple[str, str, int], LetterStates], now: float, settings: HandoverSettings,
                   link: Callable[[Answer, str], str], reworded_tips: Mapping[str, Mapping[str, str]],
                   language: str) -> HandoverPlan:
    """Every handover one step further; the letters to queue and the row texts, in the team's `language`."""
    plan = HandoverPlan()
    by_request: dict[str, list[Handover]] = {}
    for handover in known.values():
        by_request.setdefault(handover.request_id, []).append(handover)
    for row in requests:
        request_id = row.get("request_id", "").strip()
        if not request_id:
            continue
        status, assigned = _status(row), _assigned(row)
        mine = {h.volunteer_id: h for h in by_request.get(request_id, [])}
        first_letter = len(plan.letters)
        for volunteer_id in assigned:
            if volunteer_id not in mine or (mine[volunteer_id].state in (*FINISHED, "unreachable")
                                            and mine[volunteer_id].released):
                volunteer = volunteers.get(volunteer_id)
                if status != "matched" or volunteer is None:
                    continue  # no handover without the coordinator's Gematcht; an unknown id is warned of elsewhere
                previous = mine.get(volunteer_id)
                mine[volunteer_id] = _ask(plan, row, volunteer, previous.round + 1 if previous else 1, now,
                                          settings, link, language)
        for volunteer_id, handover in list(mine.items()):
            mine[volunteer_id] = _step(plan, handover, row, volunteers.get(volunteer_id, {}), status,
                                       volunteer_id in assigned, now, settings, reworded_tips, language, link)
        queued_now = {}  # what this sync queues reads as "ready to go" in the row at once
        for letter in plan.letters[first_letter:]:
            queued_now.setdefault(letter.volunteer_id, {})[letter.kind] = LetterState(
                "queued", None, "", letter.channel, 0)
        lines = [_words(h, {**sent.get((request_id, h.volunteer_id, h.round), {}), **queued_now.get(v, {})}, row,
                        settings, language) for v, h in sorted(mine.items())]
        plan.cells[request_id] = "\n".join(lines)
        out = {v for v, h in mine.items() if h.state in ("declined", "expired", "withdrawn")
               or h.outcome == "fell_through"}
        if out:
            plan.turned_down[request_id] = out
    present = {row.get("request_id", "").strip() for row in requests}
    plan.gone = sorted(set(by_request) - present)
    return plan


def _ask(plan: HandoverPlan, request: Mapping[str, str], volunteer: Mapping[str, str], round_: int, now: float,
         settings: HandoverSettings, link: Callable[[Answer, str], str], team: str) -> Handover:
    """A new handover: the case to the volunteer, or a note that they cannot be reached."""
    handover = Handover(request["request_id"].strip(), volunteer["volunteer_id"].strip().upper(), round_, "offered",
                        now)
    case = _write(plan, "case", handover, volunteer, request, settings, team, {}, link)
    if case is None:
        handover = replace(handover, state="unreachable")
    elif case.channel == "sms":  # a reply by SMS finds this case by the number it came from
        handover = replace(handover, reply_to=reply_key(case.address), language=case.language)
    plan.handovers.append(handover)
    return handover


def _step(plan: HandoverPlan, handover: Handover, request: Mapping[str, str], volunteer: Mapping[str, str],
          status: str, still_assigned: bool, now: float, settings: HandoverSettings,
          reworded_tips: Mapping[str, Mapping[str, str]], team: str, link: Callable[[Answer, str], str]) -> Handover:
    """One handover one step further (at most one step per sync)."""
    changed = handover

    def write(kind: str) -> Letter | None:
        return _write(plan, kind, handover, volunteer, request, settings, team, reworded_tips, link)

    if handover.state in (*FINISHED, "unreachable"):
        if not still_assigned and not handover.released:
            changed = replace(handover, released=True)  # typed in again later: asked anew
    elif not still_assigned or status == "cancelled" or (handover.state == "offered" and status != "matched"):
        changed = replace(handover, state="withdrawn", answered_at=now)
        write("withdrawn")
    elif handover.state == "offered" and now - handover.offered_at > settings.wait_hours * 3600:
        changed = replace(handover, state="expired", answered_at=now)
    elif (handover.state == "accepted" and handover.told_at is not None and handover.asked_at is None
          and now - handover.told_at >= settings.follow_up_days * 86400):
        changed = replace(handover, asked_at=now)  # "did the help happen?", once
        write("follow_up")
    elif handover.state == "accepted" and handover.told_at is None:
        changed = replace(handover, told_at=now)
        write("contact")
        if not write("resident") and request.get("phone", "").strip():
            write("call")  # no e-mail and no mobile to text: the call centre phones them
    if changed is not handover:
        plan.handovers.append(changed)
    return changed


def _reach(reader: Mapping[str, str], kind: str, sms: bool) -> tuple[str, str] | None:
    """How a message reaches its reader: (channel, address), or None when it cannot.

    By e-mail when they gave one; else by SMS to a mobile, when the desk sends SMS and the message
    has an SMS form; a call on the call centre's list is to whatever number they gave.
    """
    phone = reader.get("phone", "").strip()
    if kind == "call":
        return ("phone", phone) if phone else None
    email = reader.get("email", "").strip()
    if email:
        return "email", email
    parsed = parse_phone(phone) if phone and sms and kind in letters.SMS else None
    if parsed is not None and parsed[1] == "mobile":
        return "sms", parsed[0]
    return None


def _write(plan: HandoverPlan, kind: str, handover: Handover, volunteer: Mapping[str, str],
           request: Mapping[str, str], settings: HandoverSettings, team: str,
           reworded_tips: Mapping[str, Mapping[str, str]], link: Callable[[Answer, str], str]) -> Letter | None:
    """Queue one message of this handover, to the volunteer or the resident (by mail or SMS, or a call on
    the call centre's list, kept as the resident's message); None when it cannot reach them."""
    to_resident = kind in ("resident", "call")
    reader = request if to_resident else volunteer
    reach = _reach(reader, kind, settings.sms)
    if reach is None:
        return None
    channel, address = reach
    language = language_of(reader, team)
    ids = (handover.request_id, handover.volunteer_id, handover.round)
    values = {"name": letters.first_name(reader), "tasks": letters.task_words(request.get("tasks", ""), language),
              "area": request.get("area", "").strip() or request.get("postcode", "").strip(),
              "place": letters.place(request), "request_id": handover.request_id,
              "when": letters.when_words(request.get("availability", ""), language)}
    if kind == "case":
        values.update(hours=f"{settings.wait_hours:g}", **{
            f"{answer}_link": link(Answer(*ids, answer), language) for answer in ("yes", "no")})
    elif kind == "contact":
        details = request.get("details", "").strip()
        values.update(resident=letters.first_name(request), phone=request.get("phone", "").strip(),
                      address=", ".join(p for p in (request.get("street", "").strip(), values["place"]) if p),
                      details=translate(language, letters.DETAILS, details=details) if details else "",
                      tips=letters.tips(request.get("tasks", ""), language, reworded_tips))
    elif to_resident:
        values["volunteer"] = letters.first_name(volunteer)
    elif kind == "follow_up":
        values.update(resident=letters.first_name(request), **{
            f"{outcome}_link": link(Answer(*ids, outcome), language)
            for outcome in ("done", "not_yet", "fell_through")})
    if channel == "sms":
        subject, body = "", letters.sms(kind, language, settings.desk, **values)
    else:
        subject, body = letters.letter(kind, language, settings.desk, **values)
    letter = Letter(*ids, "resident" if to_resident else kind, language, channel, address, subject, body)
    plan.letters.append(letter)
    return letter


def _words(handover: Handover, sent: LetterStates, request: Mapping[str, str], settings: HandoverSettings,
           language: str) -> str:
    """Where one handover stands, in the team's words."""
    def say(key: str, **values: object) -> str:
        return translate(language, WORDS[key], volunteer=handover.volunteer_id, **values)

    case_state, case_sent, reason, channel, _ = sent.get("case", _NOT_YET)
    by_sms = "_sms" if channel == "sms" else ""
    if handover.state == "unreachable":
        return say("unreachable")
    if handover.state == "declined":
        return say("declined", answered=short_moment(handover.answered_at))
    if handover.state == "expired":
        return say("expired", hours=f"{settings.wait_hours:g}", when=short_moment(handover.answered_at))
    if handover.state == "withdrawn":
        told = sent.get("withdrawn", _NOT_YET)
        return say("withdrawn_told", sent=short_moment(told.sent_at)) if told.state == "sent" else say(
            "withdrawn", when=short_moment(handover.answered_at))
    if case_state == "failed":
        return say("failed", reason=reason)
    if handover.state == "offered":
        if case_state != "sent":
            return say("queued")
        return say("asked" + by_sms, sent=short_moment(case_sent),
                   deadline=short_moment(handover.offered_at + settings.wait_hours * 3600))
    parts = [say("accepted" + by_sms, sent=short_moment(case_sent), answered=short_moment(handover.answered_at))]
    contact = sent.get("contact")
    if contact is not None:
        parts.append(translate(language, WORDS["details_sent"], sent=short_moment(contact.sent_at))
                     if contact.state == "sent" else translate(language, WORDS["details_queued"]))
    resident = sent.get("resident")
    if resident is not None:
        parts.append(_resident_words(resident, language))
    elif handover.told_at is not None:
        parts.append(translate(language, WORDS["resident_unreachable"]))
    follow_up = sent.get("follow_up")
    if follow_up is not None and follow_up.state == "sent" and not handover.outcome:
        parts.append(translate(language, WORDS["followed_up"], sent=short_moment(follow_up.sent_at)))
    if handover.outcome:
        parts.append(translate(language, WORDS[handover.outcome], when=short_moment(handover.outcome_at)))
    return " · ".join(parts)


def _resident_words(resident: LetterState, language: str) -> str:
    """How the resident heard (or is to hear) the news: by mail, or by the call centre."""
    if resident.channel in ("email", "sms"):
        return (translate(language, WORDS["resident_told"], sent=short_moment(resident.sent_at))
                if resident.state == "sent" else translate(language, WORDS["resident_queued"]))
    if resident.state == "sent":
        return translate(language, WORDS["resident_called"], sent=short_moment(resident.sent_at))
    if resident.state == "failed":
        return translate(language, WORDS["resident_wrong_number"])
    if resident.attempts:
        return translate(language, WORDS["resident_no_answer"], n=resident.attempts)
    return translate(language, WORDS["resident_call"])
