"""The neighbour card: `/<lang>/card`, for a volunteer to help the people next door first.

The volunteer types what the card says (first name, where they live, phone,
what they can help with, one or two languages); the desk answers with four
A6 cards on an A4 to print (a page with a print stylesheet) or a PDF, each
with the desk's own phone and e-mail for anything else and a QR code to the
request form in the card's first language.

Nothing typed is kept: not in the journal, not in the spreadsheet, not in a
log line. The form is posted (so the values are in no address and no access
log), turned into a page or a PDF, and forgotten. The page works without
JavaScript: printing is the browser's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from sheets_schema.answers import clean_text, has_control_characters, parse_phone, phone_text
from sheets_schema.fields import LANGUAGES
from sheets_schema.i18n import N_, translate
from sheets_schema.problems import Problem, message
from sheets_schema.tasks import TASKS

from .intake import limited
from .texts import LANGUAGE_NAMES

bp = Blueprint("card", __name__)

# What a neighbour may need from a volunteer next door: the residents' own tasks.
CARD_TASKS = tuple(task for task in TASKS if not task.collective)
MAX_NAME, MAX_ADDRESS = 40, 80

PROBLEMS = {
    "name": N_("Please fill in your first name."),
    "phone": N_("Please give a phone number neighbours can call or text, for example 0470 12 34 56."),
    "tasks": N_("Tick at least one thing you can help with."),
    "languages": N_("Tick one or two languages for the card."),
}
CARD_WORDS = {
    "greeting": N_("Hello neighbour! I'm {name}, your neighbour at {address}."),
    "greeting_nameonly": N_("Hello neighbour! I'm {name}, from next door."),
    "offer": N_("Do you need help with {tasks}? Call or text me: {phone}."),
    "desk": N_("For anything else, the city's help desk: {contact}."),
    "online": N_("Or ask for help online:"),
}


@dataclass(frozen=True)
class Card:
    name: str
    address: str
    phone: str  # as neighbours dial it
    tasks: tuple[str, ...]  # task codes, in the task list's order
    languages: tuple[str, ...]  # one or two, the first one's form behind the QR code


@dataclass(frozen=True)
class CardSide:
    """One language's words on a card."""

    language: str
    greeting: str
    offer: str
    desk: str
    online: str
    form_url: str


def read_card(form, page_language: str) -> tuple[Card | None, dict[str, str]]:
    """The card the posted form asks for, or the problems, each said in the page's language."""
    problems: dict[str, str] = {}
    name = clean_text(form.get("name", ""))[:MAX_NAME]
    address = clean_text(form.get("address", ""))[:MAX_ADDRESS]
    if not name or has_control_characters(name):
        problems["name"] = translate(page_language, PROBLEMS["name"])
    parsed = parse_phone(form.get("phone", ""))
    if parsed is None:
        problems["phone"] = translate(page_language, PROBLEMS["phone"])
    offered = {task.code for task in CARD_TASKS}
    tasks = tuple(task.code for task in CARD_TASKS if task.code in set(form.getlist("tasks")) & offered)
    if not tasks:
        problems["tasks"] = translate(page_language, PROBLEMS["tasks"])
    languages = tuple(language for language in form.getlist("languages") if language in LANGUAGES)
    if not 1 <= len(languages) <= 2 or len(set(languages)) != len(languages):
        problems["languages"] = translate(page_language, PROBLEMS["languages"])
    if problems:
        return None, problems
    return Card(name, address, phone_text(parsed[0]), tasks, languages), {}  # type: ignore[index]


def _tasks_text(codes: tuple[str, ...], language: str) -> str:
    labels = {task.code: task.labels[language] for task in CARD_TASKS}
    words = [labels[code][0].lower() + labels[code][1:] for code in codes]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {translate(language, 'or')} {words[-1]}"


def sides(card: Card) -> list[CardSide]:
    """The card's words in each of its languages."""
    config = current_app.config
    contact = " · ".join(text for text in (phone_text(config["DESK_PHONE"]), config["DESK_EMAIL"]) if text)
    result = []
    for language in card.languages:
        if card.address:
            greeting = translate(language, CARD_WORDS["greeting"], name=card.name, address=card.address)
        else:
            greeting = translate(language, CARD_WORDS["greeting_nameonly"], name=card.name)
        result.append(CardSide(
            language, greeting,
            translate(language, CARD_WORDS["offer"], tasks=_tasks_text(card.tasks, language), phone=card.phone),
            translate(language, CARD_WORDS["desk"], contact=contact) if contact else "",
            translate(language, CARD_WORDS["online"]),
            url_for("forms.show", language=language, form_id="request", _external=True)))
    return result


def _page(language: str, status: int = 200, problems: dict[str, str] | None = None) -> Response:
    """The card's form, with what was typed and any problem beside its field."""
    return current_app.make_response((render_template(
        "card.html", lang=language, languages=LANGUAGE_NAMES, tasks=CARD_TASKS, problems=problems or {},
        values=request.form if request.method == "POST" else None), status))


@bp.route("/<language>/card", methods=["GET", "POST"])
def card(language: str):
    if language not in LANGUAGES:
        abort(404)
    if request.method == "GET":
        return _page(language)
    wait = limited("card", current_app.config["FORM_RATE_LIMIT"] * 3)  # a card is often made twice: page, PDF
    if wait:
        response = _page(language, 429, {"": message(Problem("", "rate-limited"), language)})
        response.headers["Retry-After"] = str(wait)
        return response
    made, problems = read_card(request.form, language)
    if made is None:
        return _page(language, 400, problems)
    if request.form.get("action") == "pdf":
        from .card_pdf import card_pdf

        return Response(card_pdf(sides(made), _qr_png(sides(made)[0].form_url)), content_type="application/pdf",
                        headers={"Content-Disposition": 'attachment; filename="helpt-card.pdf"',
                                 "Cache-Control": "no-store"})
    words = sides(made)
    response = current_app.make_response(render_template(
        "card_print.html", lang=language, sides=words, qr=_qr_svg(words[0].form_url)))
    response.headers["Cache-Control"] = "no-store"  # a card holds a phone number: no copy in a shared cache
    return response


def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, title=url, omitsize=True)  # sized by the stylesheet


def _qr_png(url: str) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()
