"""What matching writes for coordinators, in the team's language (through its catalogue).

Tasks, languages and transport are written in words of the team's language,
as the list columns show them (invariant 9). A suggestion names the volunteer by id, first name and
the initial of the last name only: every coordinator reads these columns, so they carry no more
personal data than it takes to recognise someone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sheets_schema.cases import VOLUNTEER_STATUS_CHOICES
from sheets_schema.choices import TRANSPORT_CHOICES
from sheets_schema.i18n import N_, NP_, decimal, number, translate, translate_n

from .words import language_text, task_text

SEPARATOR = " · "

PHRASES: dict[str, str] = {
    "speaks": N_("speaks {languages}"),
    "screened": N_("screened"), "unscreened": N_("not screened yet"),
    "continuity": N_("helped this requester before"),
    "and": N_("and"), "or": N_("or"),
    "busy": N_("every volunteer who fits ({n}) is first choice for another request"),
    "partial": N_("{found} of {needed} volunteers found"),
    "unknown_postcode": N_("postcode '{postcode}' is unknown, so nobody nearby can be found"),
    "no_task": N_("no known task asked ('{tasks}')"), "no_language": N_("no language given"),
    "w_unknown": N_("{id} does not exist"), "w_rejected": N_("{id} was rejected at screening"),
    "w_unscreened": N_("{id} is not screened yet"), "w_status": N_("{id} is {status}"),
    "w_capacity": N_("{id} has {n} open cases (more than {capacity})"),
    "w_overlap": N_("{id} is also on {other} at the same time"),
}
OPEN_CASES = NP_("{n} open case", "{n} open cases")


def short_name(full_name: str) -> str:
    """"Jan Peeters" -> "Jan P."; "Jan Van den Broeck" -> "Jan V."."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[1][0].upper()}."


def km_text(km: float, language: str, exact: bool = False) -> str:
    """"0.8" or "12" ("0,8" in nl and fr); `exact` for settings such as 5 or 2.5 km."""
    if exact:
        return number(language, km)
    return decimal(language, km) if km < 10 else number(language, km if math.isinf(km) else round(km))


def transport_text(codes: list[str], language: str) -> str:
    labels = {c.code: c.labels[language].lower() for c in TRANSPORT_CHOICES}
    return f" {phrase(language, 'or')} ".join(labels.get(code, code) for code in codes)


@dataclass(frozen=True)
class Reason:
    """Why one volunteer is suggested for one request: the facts a coordinator checks."""

    volunteer_id: str
    name: str
    km: float | None  # None: a postcode is unknown
    tasks: list[str]
    languages: list[str]  # languages shared with the requester
    transport: list[str]  # the transport that meets the task's need; empty if none is needed
    open_cases: int
    screened: bool
    continuity: bool


def suggestion_text(reason: Reason, language: str) -> str:
    """"V-000123 Jan P. · 0.8 km · groceries · speaks Dutch · cargo bike · 0 open cases · screened"."""
    parts = [f"{reason.volunteer_id} {short_name(reason.name)}".strip()]
    if reason.km is not None:
        parts.append(f"{km_text(reason.km, language)} km")
    parts.append(task_text(reason.tasks, language))
    parts.append(phrase(language, "speaks", languages=language_text(reason.languages, language)))
    if reason.transport:
        parts.append(transport_text(reason.transport, language))
    parts.append(translate_n(language, *OPEN_CASES, reason.open_cases))
    parts.append(phrase(language, "screened" if reason.screened else "unscreened"))
    if reason.continuity:
        parts.append(phrase(language, "continuity"))
    return SEPARATOR.join(parts)


# The hard rules in the order matching's diagnosis applies them (see matching.no_match).
RULES = ("task", "distance", "language", "profile", "transport", "capacity")


@dataclass(frozen=True)
class Shortfall:
    """The first hard rule that left nobody, what it was about, and the nearest miss."""

    rule: str  # one of RULES
    tasks: list[str]
    languages: list[str]
    in_person: bool
    transport: list[list[str]]  # per task that needs transport, the codes of which one is needed
    fitting: int = 0  # volunteers who met every rule before the one that failed
    nearest_km: float | None = None  # rule "distance": the closest of them
    fewest_cases: int | None = None  # rule "capacity": the least busy of them


# Why nobody fits, said by the one rule that left nobody, with the nearest miss.
SHORTFALL: dict[str, str] = {
    "task": N_("no volunteer offers {tasks}"),
    "near": N_(" within {max} km"),
    "distance": N_("{fitting}, but the nearest lives {km} km away (limit {max} km)"),
    "language": N_("{fitting}, but none speaks {languages}"),
    "profile": N_("{fitting}, but none declared the volunteer profile"),
    "transport": N_("{fitting}, but none travels by {transport}"),
    "capacity": N_("{fitting}, but each already has {capacity} or more open cases (the least busy: {n})"),
}
FITTING = NP_("{n} volunteer offers {tasks}", "{n} volunteers offer {tasks}")
SPEAKING = NP_(" and speaks {languages}", " and speak {languages}")


def no_match_text(shortfall: Shortfall, max_km: float, capacity: int, language: str) -> str:
    """"2 volunteers offer dog walking, but the nearest lives 7.4 km away (limit 5 km)": the rule that
    failed, after what the volunteers it left out did meet."""
    tasks = task_text(shortfall.tasks, language, f" {phrase(language, 'and')} ")
    if shortfall.rule == "task":
        return translate(language, SHORTFALL["task"], tasks=tasks)
    fitting = translate_n(language, *FITTING, shortfall.fitting, tasks=tasks)
    reached = RULES[: RULES.index(shortfall.rule)]
    limit = km_text(max_km, language, exact=True)
    if shortfall.in_person and "distance" in reached:
        fitting += translate(language, SHORTFALL["near"], max=limit)
    languages = language_text(shortfall.languages, language, f" {phrase(language, 'or')} ")
    if "language" in reached:
        fitting += translate_n(language, *SPEAKING, shortfall.fitting, languages=languages)
    transport = f" {phrase(language, 'or')} ".join(transport_text(codes, language) for codes in shortfall.transport)
    return translate(language, SHORTFALL[shortfall.rule],
                     fitting=fitting, languages=languages, transport=transport, capacity=capacity, max=limit,
                     km=km_text(shortfall.nearest_km or 0.0, language), n=shortfall.fewest_cases)


# How well the first suggestion fits, in a word a coordinator can act on, with the score behind it.
FIT = (N_("excellent"), N_("good"), N_("fair"), N_("weak"))


def fit_text(score: int, language: str) -> str:
    """"goed (67/100)": 100 is on the spot, screened and free; 0 is at the edge of every rule."""
    word = FIT[0 if score >= 80 else 1 if score >= 60 else 2 if score >= 40 else 3]
    return f"{translate(language, word)} ({score}/100)"


def phrase(language: str, key: str, **values: object) -> str:
    return translate(language, PHRASES[key], **values)


def status_label(status: str, language: str) -> str:
    labels = {c.code: c.labels[language].lower() for c in VOLUNTEER_STATUS_CHOICES}
    return labels.get(status, status)
