"""Nobody waits in silence: one thank-you to every volunteer who has no case yet, and their own pause.

Leuven had 1,000 offers in a day against 7 requests: most volunteers are never
needed, and without a word they "sit in limbo". So a volunteer with no case a
day after signing up gets one thank-you, once per person (their row, not each
sign-up or task): what happens next, a link to the neighbour card, and two
signed links to pause or stop themselves. Their choice is recorded by the web
app (desk_db.handovers) and written here in the Volunteers row's system
column `own_choice`; matching, the partner extracts and Overzicht then count
them as paused or withdrawn. The coordinator's `status` cell is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from desk_db.handovers import Handover, Letter, LetterState
from sheets_schema.answers import cell_codes, choice_code, list_text
from sheets_schema.cases import SCREENING_CHOICES, VOLUNTEER_STATUS_CHOICES
from sheets_schema.clock import CITY_TIME, TIME_FORMAT, short_moment
from sheets_schema.i18n import N_, translate
from sheets_schema.links import Answer
from sheets_schema.tasks import TASK_CHOICES

from . import letters
from .handover import HandoverSettings, language_of
from .matching_people import split_codes

THANKS_AFTER_HOURS = 24.0
OWN_CHOICE = {
    "paused": N_("Paused at their own request ({when})"),
    "withdrawn": N_("Stopped at their own request ({when})"),
    "active": N_("Available again at their own request ({when})"),
}


@dataclass
class PoolPlan:
    letters: list[Letter] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)  # volunteer id -> own_choice, in words
    status: dict[str, str] = field(default_factory=dict)  # volunteer id -> the status their choice means


def _created(row: Mapping[str, str]) -> float | None:
    try:
        return datetime.strptime(row.get("created_at", "").strip(), TIME_FORMAT).replace(
            tzinfo=CITY_TIME).timestamp()
    except ValueError:
        return None


def plan_pool(volunteers: Mapping[str, Mapping[str, str]], requests: Iterable[Mapping[str, str]],
              known: Iterable[Handover], sent: Mapping[tuple[str, str, int], Mapping[str, LetterState]],
              choices: Mapping[str, tuple[str, float]], now: float, settings: HandoverSettings,
              link: Callable[[Answer, str], str], language: str) -> PoolPlan:
    """The thank-yous due now, and each volunteer's own choice in words (in the team's `language`)."""
    plan = PoolPlan()
    busy = {h.volunteer_id for h in known}
    busy |= {v.upper() for row in requests for v in split_codes(row.get("assigned_volunteers", ""))}
    for volunteer_id, row in volunteers.items():
        choice = choices.get(volunteer_id)
        if choice is not None:
            plan.cells[volunteer_id] = translate(language, OWN_CHOICE[choice[0]], when=short_moment(choice[1]))
            plan.status[volunteer_id] = choice[0]
        if ("thanks" in sent.get(("", volunteer_id, 0), {}) or volunteer_id in busy
                or not row.get("email", "").strip() or not _in_pool(row, choice)):
            continue
        created = _created(row)  # (parsed last: most volunteers were thanked long ago)
        if created is None or now - created < THANKS_AFTER_HOURS * 3600:
            continue
        reader = language_of(row, language)
        subject, body = letters.letter(
            "thanks", reader, settings.desk, name=letters.first_name(row),
            tasks=letters.task_words(row.get("tasks", ""), reader) or translate(reader, letters.ANYTIME),
            card_link=f"{settings.public_url.rstrip('/')}/{reader}/card",
            pause_link=link(Answer("", volunteer_id, 0, "pause"), reader),
            stop_link=link(Answer("", volunteer_id, 0, "stop"), reader))
        plan.letters.append(Letter("", volunteer_id, 0, "thanks", reader, "email", row["email"].strip(), subject,
                                   body))
    return plan


def _in_pool(row: Mapping[str, str], choice: tuple[str, float] | None) -> bool:
    """Screened out, stopped or paused (by a coordinator or themselves): no thank-you for the pool."""
    screening = choice_code(SCREENING_CHOICES, row.get("screening", "")) or "to_screen"
    status = choice[0] if choice else choice_code(VOLUNTEER_STATUS_CHOICES, row.get("status", "")) or "active"
    return screening != "rejected" and status == "active" and bool(cell_codes(TASK_CHOICES, row.get("tasks", "")))


def status_word(code: str, language: str) -> str:
    """The status a volunteer chose, as the status column writes it."""
    return list_text(VOLUNTEER_STATUS_CHOICES, [code], language)
