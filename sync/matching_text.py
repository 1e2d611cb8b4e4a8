"""What matching writes for coordinators, in the team's language (nl, en or fr).

Tasks, languages and transport are written in words of the team's language,
as the list columns show them (invariant 9). A suggestion names the volunteer by id, first name and
the initial of the last name only: every coordinator reads these columns, so they carry no more
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
SHORTFALL: dict[str, dict[str, str]] = {
    "en": {"task": "no volunteer offers {tasks}",
           "fitting": "{n} volunteers offer {tasks}", "fitting_1": "1 volunteer offers {tasks}",
           "near": " within {max} km", "speaking": " and speak {languages}", "speaking_1": " and speaks {languages}",
           "distance": "{fitting}, but the nearest lives {km} km away (limit {max} km)",
           "language": "{fitting}, but none speaks {languages}",
           "profile": "{fitting}, but none declared the volunteer profile",
           "transport": "{fitting}, but none travels by {transport}",
           "capacity": "{fitting}, but each already has {capacity} or more open cases (the least busy: {n})"},
    "nl": {"task": "geen enkele vrijwilliger biedt {tasks} aan",
           "fitting": "{n} vrijwilligers bieden {tasks} aan", "fitting_1": "1 vrijwilliger biedt {tasks} aan",
           "near": " binnen {max} km", "speaking": " en spreken {languages}", "speaking_1": " en spreekt {languages}",
           "distance": "{fitting}, maar de dichtstbijzijnde woont op {km} km (grens {max} km)",
           "language": "{fitting}, maar niemand spreekt {languages}",
           "profile": "{fitting}, maar niemand verklaarde het vrijwilligersprofiel",
           "transport": "{fitting}, maar niemand verplaatst zich met {transport}",
           "capacity": "{fitting}, maar elk heeft al {capacity} of meer lopende hulpvragen (de minst drukke: {n})"},
    "fr": {"task": "aucun bénévole ne propose {tasks}",
           "fitting": "{n} bénévoles proposent {tasks}", "fitting_1": "1 bénévole propose {tasks}",
           "near": " à moins de {max} km", "speaking": " et parlent {languages}", "speaking_1": " et parle {languages}",
           "distance": "{fitting}, mais le plus proche habite à {km} km (limite {max} km)",
           "language": "{fitting}, mais aucun ne parle {languages}",
           "profile": "{fitting}, mais aucun n'a déclaré le profil de bénévole",
           "transport": "{fitting}, mais aucun ne se déplace en {transport}",
           "capacity": "{fitting}, mais chacun a déjà {capacity} demandes en cours ou plus (le moins occupé : {n})"},
}


def no_match_text(shortfall: Shortfall, max_km: float, capacity: int, language: str) -> str:
    """"2 volunteers offer dog walking, but the nearest lives 7.4 km away (limit 5 km)": the rule that
    failed, after what the volunteers it left out did meet."""
    say, words = SHORTFALL[language], PHRASES[language]
    tasks = task_text(shortfall.tasks, language, f" {words['and']} ")
    if shortfall.rule == "task":
        return say["task"].format(tasks=tasks)
    one = shortfall.fitting == 1
    fitting = say["fitting_1" if one else "fitting"].format(n=shortfall.fitting, tasks=tasks)
    reached = RULES[: RULES.index(shortfall.rule)]
    limit = km_text(max_km, language, exact=True)
    if shortfall.in_person and "distance" in reached:
        fitting += say["near"].format(max=limit)
    languages = language_text(shortfall.languages, language, f" {words['or']} ")
    if "language" in reached:
        fitting += say["speaking_1" if one else "speaking"].format(languages=languages)
    transport = f" {words['or']} ".join(transport_text(codes, language) for codes in shortfall.transport)
    return say[shortfall.rule].format(
        fitting=fitting, languages=languages, transport=transport, capacity=capacity, max=limit,
        km=km_text(shortfall.nearest_km or 0.0, language), n=shortfall.fewest_cases)


# How well the first suggestion fits, in a word a coordinator can act on, with the score behind it.
FIT: dict[str, tuple[str, str, str, str]] = {
    "nl": ("uitstekend", "goed", "redelijk", "zwak"),
    "en": ("excellent", "good", "fair", "weak"),
    "fr": ("excellent", "bon", "moyen", "faible"),
}


def fit_text(score: int, language: str) -> str:
    """"goed (67/100)": 100 is on the spot, screened and free; 0 is at the edge of every rule."""
    word = FIT[language][0 if score >= 80 else 1 if score >= 60 else 2 if score >= 40 else 3]
    return f"{word} ({score}/100)"


def phrase(language: str, key: str, **values: object) -> str:
    return PHRASES[language][key].format(**values)


def status_label(status: str, language: str) -> str:
    labels = {c.code: c.labels[language].lower() for c in VOLUNTEER_STATUS_CHOICES}
    return labels.get(status, status)
