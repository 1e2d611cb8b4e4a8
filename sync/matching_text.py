"""What matching writes for coordinators, in the team's language (nl, en or fr).

Tasks, languages and transport are written in words of the team's language,
as the list columns show them (invariant 9). A suggestion names the volunteer by id, first name and the initial of the last
name only: every coordinator reads these columns, so they carry no more
personal data than it takes to recognise someone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheets_schema.cases import VOLUNTEER_STATUS_CHOICES
from sheets_schema.choices import TRANSPORT_CHOICES

from .words import language_text, task_text

SEPARATOR = " · "

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "speaks": "speaks {languages}", "open_cases": "{n} open cases", "open_case": "1 open case",
        "screened": "screened", "unscreened": "not screened yet", "continuity": "helped this requester before",
        "none": "no volunteer for {tasks}", "within": "within {km} km", "who": "who",
        "who_speaks": "speaks {languages}", "who_profile": "declared the volunteer profile",
        "who_transport": "travels by {transport}", "who_capacity": "has fewer than {capacity} open cases",
        "and": "and", "or": "or",
        "busy": "every volunteer who fits ({n}) is first choice for another request",
        "partial": "{found} of {needed} volunteers found",
        "unknown_postcode": "postcode '{postcode}' is unknown, so nobody nearby can be found",
        "no_task": "no known task asked ('{tasks}')", "no_language": "no language given",
        "w_unknown": "{id} does not exist", "w_rejected": "{id} was rejected at screening",
        "w_unscreened": "{id} is not screened yet", "w_status": "{id} is {status}",
        "w_capacity": "{id} has {n} open cases (more than {capacity})",
        "w_overlap": "{id} is also on {other} at the same time",
    },
    "nl": {
        "speaks": "spreekt {languages}", "open_cases": "{n} lopende hulpvragen", "open_case": "1 lopende hulpvraag",
        "screened": "gescreend", "unscreened": "nog niet gescreend", "continuity": "hielp deze persoon al eerder",
        "none": "geen vrijwilliger voor {tasks}", "within": "binnen {km} km", "who": "die",
        "who_speaks": "{languages} spreekt", "who_profile": "het vrijwilligersprofiel verklaarde",
        "who_transport": "zich verplaatst met {transport}", "who_capacity": "minder dan {capacity} lopende hulpvragen heeft",
        "and": "en", "or": "of",
        "busy": "elke passende vrijwilliger ({n}) is eerste keuze voor een andere hulpvraag",
        "partial": "{found} van {needed} vrijwilligers gevonden",
        "unknown_postcode": "postcode '{postcode}' is onbekend, dus niemand in de buurt te vinden",
        "no_task": "geen gekende taak gevraagd ('{tasks}')", "no_language": "geen taal opgegeven",
        "w_unknown": "{id} bestaat niet", "w_rejected": "{id} werd afgewezen bij de screening",
        "w_unscreened": "{id} is nog niet gescreend", "w_status": "{id} is {status}",
        "w_capacity": "{id} heeft {n} lopende hulpvragen (meer dan {capacity})",
        "w_overlap": "{id} staat op hetzelfde moment ook op {other}",
    },
    "fr": {
        "speaks": "parle {languages}", "open_cases": "{n} demandes en cours", "open_case": "1 demande en cours",
        "screened": "vérifié", "unscreened": "pas encore vérifié", "continuity": "a déjà aidé cette personne",
        "none": "aucun bénévole pour {tasks}", "within": "à moins de {km} km", "who": "qui",
        "who_speaks": "parle {languages}", "who_profile": "a déclaré le profil de bénévole",
        "who_transport": "se déplace en {transport}", "who_capacity": "a moins de {capacity} demandes en cours",
        "and": "et", "or": "ou",
        "busy": "chaque bénévole qui convient ({n}) est premier choix pour une autre demande",
        "partial": "{found} bénévoles trouvés sur {needed}",
        "unknown_postcode": "code postal '{postcode}' inconnu : impossible de trouver quelqu'un à proximité",
        "no_task": "aucune tâche connue demandée ('{tasks}')", "no_language": "aucune langue indiquée",
        "w_unknown": "{id} n'existe pas", "w_rejected": "{id} a été refusé à la vérification",
        "w_unscreened": "{id} n'est pas encore vérifié", "w_status": "{id} est {status}",
        "w_capacity": "{id} a {n} demandes en cours (plus de {capacity})",
        "w_overlap": "{id} est aussi sur {other} au même moment",
    },
}


def short_name(full_name: str) -> str:
    """"Jan Peeters" -> "Jan P."; "Jan Van den Broeck" -> "Jan V."."""
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[1][0].upper()}."


def km_text(km: float, language: str, exact: bool = False) -> str:
    """"0.8" or "12" ("0,8" in nl and fr); `exact` for settings such as 5 or 2.5 km."""
    text = f"{km:g}" if exact else f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return text if language == "en" else text.replace(".", ",")


def transport_text(codes: list[str], language: str) -> str:
    labels = {c.code: c.labels[language].lower() for c in TRANSPORT_CHOICES}
    return f" {PHRASES[language]['or']} ".join(labels.get(code, code) for code in codes)


def _and(parts: list[str], language: str) -> str:
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {PHRASES[language]['and']} {parts[-1]}"


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
    say = PHRASES[language]
    parts = [f"{reason.volunteer_id} {short_name(reason.name)}".strip()]
    if reason.km is not None:
        parts.append(f"{km_text(reason.km, language)} km")
    parts.append(task_text(reason.tasks, language))
    parts.append(say["speaks"].format(languages=language_text(reason.languages, language)))
    if reason.transport:
        parts.append(transport_text(reason.transport, language))
    cases = say["open_case"] if reason.open_cases == 1 else say["open_cases"].format(n=reason.open_cases)
    parts.append(cases)
    parts.append(say["screened"] if reason.screened else say["unscreened"])
    if reason.continuity:
        parts.append(say["continuity"])
    return SEPARATOR.join(parts)


# The hard rules in the order matching's diagnosis applies them (see matching.no_match).
RULES = ("task", "distance", "language", "profile", "transport", "capacity")


@dataclass(frozen=True)
class Shortfall:
    """The first hard rule that left nobody, and what it was about."""

    rule: str  # one of RULES
    tasks: list[str]
    languages: list[str]
    in_person: bool
    transport: list[list[str]]  # per task that needs transport, the codes of which one is needed


def no_match_text(shortfall: Shortfall, max_km: float, capacity: int, language: str) -> str:
    """"no volunteer for dog walking within 5 km who speaks English": every rule up to the one that failed."""
    say = PHRASES[language]
    reached = RULES[: RULES.index(shortfall.rule) + 1]
    text = say["none"].format(tasks=task_text(shortfall.tasks, language, f" {say['and']} "))
    if shortfall.in_person and "distance" in reached:
        text += " " + say["within"].format(km=km_text(max_km, language, exact=True))
    who = []
    if "language" in reached:
        who.append(say["who_speaks"].format(languages=language_text(shortfall.languages, language, f" {say['or']} ")))
    if "profile" in reached and shortfall.in_person:
        who.append(say["who_profile"])
    if "transport" in reached:
        who.extend(say["who_transport"].format(transport=transport_text(codes, language))
                   for codes in shortfall.transport)
    if "capacity" in reached:
        who.append(say["who_capacity"].format(capacity=capacity))
    if who:
        text += f" {say['who']} {_and(who, language)}"
    return text


def phrase(language: str, key: str, **values: object) -> str:
    return PHRASES[language][key].format(**values)


def status_label(status: str, language: str) -> str:
    labels = {c.code: c.labels[language].lower() for c in VOLUNTEER_STATUS_CHOICES}
    return labels.get(status, status)
