"""The messages a handover sends to people, in the reader's own language, as plain text.

Each is an English message in the team's catalogues (sheets_schema/locale),
so a translator edits it as any other text. Placeholders are named; what
fills them comes from the request and volunteer rows, turned into words of
the reader's language (tasks, day parts). The first message to a volunteer
carries no name, street or phone of the resident (invariant 10): only what,
the postcode and area, and when.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sheets_schema.answers import cell_codes, list_text
from sheets_schema.choices import AVAILABILITY_CHOICES
from sheets_schema.i18n import N_, translate
from sheets_schema.tasks import TASK_CHOICES, TASKS

SUBJECTS = {
    "case": N_("A request for help near you: {tasks} in {area}"),
    "contact": N_("Thank you! Who to contact for request {request_id}"),
    "resident": N_("A volunteer will contact you"),
    "withdrawn": N_("The request in {area} is no longer needed"),
    "thanks": N_("Thank you for signing up: what happens next"),
    "follow_up": N_("Did the help happen? Request {request_id}"),
}

BODIES = {
    "case": N_(
        "Hello {name},\n\n"
        "The help desk has a request that suits you.\n\n"
        "What: {tasks}\n"
        "Where: {place}\n"
        "When: {when}\n\n"
        "Can you do it? Please answer within {hours} hours.\n\n"
        "I'll do it: {yes_link}\n\n"
        "I can't: {no_link}\n\n"
        "Only after your yes do you receive the name, address and phone number of the person who needs help.\n\n"
        "Thank you,\n{desk}"),
    "contact": N_(
        "Hello {name},\n\n"
        "Thank you for saying yes. Please contact {resident} soon, to agree on the help.\n\n"
        "Name: {resident}\n"
        "Phone: {phone}\n"
        "Address: {address}\n"
        "What: {tasks}\n"
        "When: {when}\n"
        "{details}\n"
        "Good to know:\n{tips}\n\n"
        "Keep these details to yourself, and delete this message once the help is done. "
        "Something wrong? Call the desk.\n\n"
        "Thank you,\n{desk}"),
    "resident": N_(
        "Hello {name},\n\n"
        "Good news: {volunteer}, a volunteer of the help desk, will contact you soon about your request "
        "({tasks}).\n\n"
        "Has your request changed, or did nobody contact you within two days? Please call the desk.\n\n"
        "Kind regards,\n{desk}"),
    "withdrawn": N_(
        "Hello {name},\n\n"
        "The request we asked you about ({tasks} in {area}) is no longer needed: you do not have to do "
        "anything. Thank you for being ready to help; you stay in our pool of volunteers.\n\n"
        "Kind regards,\n{desk}"),
    "thanks": N_(
        "Hello {name},\n\n"
        "Thank you for offering your help ({tasks}). You are in our pool of volunteers.\n\n"
        "What happens next: when someone near you needs help that suits you, we mail you the request, "
        "without their address. You answer yes or no with one click, and only after your yes do you get "
        "their details. It may take a while, or not happen at all: many people offered help, and that is "
        "good news. Until then you do not have to do anything.\n\n"
        "Meanwhile you can help the people next door: print a card for their letterboxes at {card_link}\n\n"
        "Away for a while? Pause: {pause_link}\n\n"
        "Want to stop? {stop_link}\n\n"
        "Thank you,\n{desk}"),
    "follow_up": N_(
        "Hello {name},\n\n"
        "A few days ago you said yes to help {resident} ({tasks}). Did the help happen?\n\n"
        "Yes, it happened: {done_link}\n\n"
        "Not yet: {not_yet_link}\n\n"
        "It fell through: {fell_through_link}\n\n"
        "Thank you for helping,\n{desk}"),
    "call": N_(
        "Good morning, this is the city's help desk. May I speak to {name}?\n\n"
        "Good news about your request ({tasks}): {volunteer}, a volunteer, will contact you soon to agree on "
        "the help.\n\n"
        "Has your request changed, or has nobody contacted you within two days? Then call us back at "
        "{desk_phone}."),
}
# The same messages by SMS, for people with only a mobile: short, and answered with a word.
SMS = {
    "case": N_("{desk}: a request near you: {tasks} in {place}, {when}. Can you do it? Reply YES or NO within "
               "{hours} hours. The address follows after your yes."),
    "contact": N_("{desk}: thank you! Please contact {resident}, {phone}, {address}, for {tasks} ({when}). "
                  "Delete this message once the help is done."),
    "resident": N_("{desk}: good news. {volunteer}, a volunteer, will contact you soon about your request "
                   "({tasks})."),
    "withdrawn": N_("{desk}: the request ({tasks} in {area}) is no longer needed. Thank you for being ready to "
                    "help."),
}
DETAILS = N_("What they wrote: {details}\n")
DESK = N_("The help desk")
DESK_PHONE = N_("The help desk, {phone}")
ANYTIME = N_("to agree together")
OUR_NUMBER = N_("the desk's number")


@dataclass(frozen=True)
class Signature:
    """How the messages sign: the desk's phone (HELPT_DESK_PHONE), if any."""

    phone: str = ""


def first_name(row: Mapping[str, str]) -> str:
    return (row.get("full_name", "").split() or [""])[0]


def task_words(cell: str, language: str) -> str:
    return list_text(TASK_CHOICES, cell_codes(TASK_CHOICES, cell), language)


def when_words(cell: str, language: str) -> str:
    return list_text(AVAILABILITY_CHOICES, cell_codes(AVAILABILITY_CHOICES, cell), language) or translate(
        language, ANYTIME)


def tips(cell: str, language: str, reworded: Mapping[str, Mapping[str, str]]) -> str:
    """The practical tips of the request's tasks, one paragraph per task: the Tasks tab's words
    (`reworded`: code -> tips_<language> -> text) where a coordinator left some, the city's otherwise."""
    wanted = set(cell_codes(TASK_CHOICES, cell))
    texts = [reworded.get(task.code, {}).get(f"tips_{language}", "").strip() or task.tips[language]
             for task in TASKS if task.code in wanted]
    return "\n".join(f"- {text}" for text in dict.fromkeys(texts))


def place(row: Mapping[str, str]) -> str:
    return " ".join(part for part in (row.get("postcode", "").strip(), row.get("area", "").strip()) if part)


def sms(kind: str, language: str, desk: Signature, **values: str) -> str:
    """The SMS of one message in `language`."""
    return translate(language, SMS[kind], desk=translate(language, DESK), **values)


def letter(kind: str, language: str, desk: Signature, **values: str) -> tuple[str, str]:
    """(subject, body) of one message in `language`."""
    signature = translate(language, DESK_PHONE, phone=desk.phone) if desk.phone else translate(language, DESK)
    number = desk.phone or translate(language, OUR_NUMBER)
    body = translate(language, BODIES[kind], desk=signature, desk_phone=number, **values)
    # A call's "subject" is who to ask for, shown on the call centre's list.
    subject = values["name"] if kind == "call" else translate(language, SUBJECTS[kind], **values)
    return subject, body
