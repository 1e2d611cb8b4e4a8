"""Intake rows as comparable submissions: names, phones, e-mails, postcodes and choices normalised.

Pure functions over the rows read from the six intake tabs. Every answer is
read the way intake wrote it or a Google Form did: choices by code or by label
in any language, phones in any Belgian format, timestamps in ISO or in a
Google Forms locale format.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sheets_schema.answers import choice_code, clean_text, looks_like_email, parse_bool, read_phone, split_list
from sheets_schema.areas import area
from sheets_schema.choices import AVAILABILITY_CHOICES, CHANNEL_CHOICES, LANGUAGE_CHOICES, TRANSPORT_CHOICES
from sheets_schema.clock import CITY_TIME, TIME_FORMAT
from sheets_schema.fields import Choice, Tab
from sheets_schema.tasks import TASK_CHOICES
from sheets_schema.workbook import Sheet

# Lower-case name particles, as Flemish and Walloon surnames write them mid-name.
_PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "du", "des", "la", "le", "d'", "vander"})
# Google Forms writes its timestamp in the spreadsheet's locale; these are the ones Belgian sheets use.
_TIMESTAMP_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M")
_NOT_A_NAME_CHARACTER = re.compile(r"[^\w' -]+")
_POSTCODE = re.compile(r"\b(\d{4})\b")


@dataclass(frozen=True)
class Submission:
    """One form submission (a row of an intake tab), normalised."""

    submission_id: str
    form: str  # "request" or "offer"
    form_language: str
    channel: str  # a code from CHANNEL_CHOICES, or "" when unknown
    submitted_at: datetime | None
    full_name: str  # as shown: trimmed, capitals tidied, accents kept
    name_tokens: tuple[str, ...]  # for comparing: folded, no accents, no punctuation
    phone: str  # E.164 when valid, else the text as typed
    phone_kind: str  # "mobile", "fixed", or "" when not a valid number
    phone_shown: str  # as people read and dial it (0470 12 34 56) when valid, else the text as typed
    email: str
    street: str
    street_key: str
    postcode: str
    area: str
    languages: tuple[str, ...]
    tasks: tuple[str, ...]
    transport: tuple[str, ...]
    availability: tuple[str, ...]
    profile_ok: bool | None
    consent_partners: bool | None
    details: str
    on_behalf_of: str
    organisation: str
    needed_count: str
    unknown_choices: tuple[str, ...] = ()  # answers no choice list knows, for the Log (never personal)

    @property
    def time_text(self) -> str:
        return self.submitted_at.strftime(TIME_FORMAT) if self.submitted_at else ""


def fold(text: str) -> str:
    """Text for comparing: case and accents dropped ("Sofie Dupré" and "SOFIE DUPRE" agree)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Names, streets and dropdown answers repeat across 100,000 rows: each distinct text is worked out once.
@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    return tuple(_NOT_A_NAME_CHARACTER.sub(" ", fold(name)).replace("-", " ").split())


@lru_cache(maxsize=1 << 16)
def display_name(name: str) -> str:
    """A name as typed, tidied: "JAN VAN DEN BROECK" and "jan van den broeck" read "Jan van den Broeck".

    Mixed-case names are left as their owner wrote them ("Anne-Marie DeSmet").
    """
    name = clean_text(name)
    if not name or (not name.isupper() and not name.islower()):
        return name
    words = name.lower().split(" ")
    shown = []
    for index, word in enumerate(words):
        if 0 < index < len(words) - 1 and word in _PARTICLES:
            shown.append(word)
        else:
            shown.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(shown)


def normalise_phone(text: str) -> tuple[str, str, str]:
    """(E.164, "mobile"/"fixed", as shown) for a valid number, Belgian unless it says otherwise;
    else (text, "", text)."""
    text = clean_text(text)
    if not text:
        return "", "", ""
    return read_phone(text) or (text, "", text)


def normalise_email(text: str) -> str:
    email = clean_text(text).lower()
    return email if looks_like_email(email) else ""


@lru_cache(maxsize=1 << 16)
def street_key(street: str) -> str:
    """"Naamsestraat 12", "naamsestr. 12 " and "NAAMSESTRAAT 12" compare equal."""
    folded = fold(street).replace("straat", "str").replace("str.", "str")
    return "".join(ch for ch in folded if ch.isalnum())


@lru_cache(maxsize=5000)
def _area_name(postcode: str, language: str) -> str:
    try:
        return area(postcode).labels[language]
    except KeyError:
        return ""


def parse_time(text: str) -> datetime | None:
    """A submission time as the city's wall-clock time, from ISO 8601 or a Google Forms timestamp."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in _TIMESTAMP_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(CITY_TIME).replace(tzinfo=None)
    return moment.replace(microsecond=0)


_CHOICES: dict[str, tuple[Choice, ...]] = {
    "languages": LANGUAGE_CHOICES, "tasks": TASK_CHOICES, "transport": TRANSPORT_CHOICES,
    "availability": AVAILABILITY_CHOICES,
}


@lru_cache(maxsize=100_000)
def _cell_codes(field_id: str, text: str) -> tuple[tuple[str, ...], bool]:
    """The codes in one list cell, in choice order, and whether some item was unknown.

    Cached: the same few answers ("Nederlands, Engels") fill most of 100,000 rows.
    """
    choices = _CHOICES[field_id]
    found: list[str] = []
    unknown = False
    for item in split_list(text):
        code = choice_code(choices, item)
        if code is None:
            unknown = True
        elif code not in found:
            found.append(code)
    order = {choice.code: n for n, choice in enumerate(choices)}
    return tuple(sorted(found, key=order.__getitem__)), unknown


def _codes(text: str, unknown: list[str], field_id: str) -> tuple[str, ...]:
    codes, any_unknown = _cell_codes(field_id, text)
    if any_unknown:
        unknown.append(field_id)
    return codes


def _fallback_id(tab: Tab, record: Mapping[str, str]) -> str:
    """A stable id for a row a Google Form wrote without the Apps Script's submission id."""
    seed = "|".join([tab.id, *(record.get(k, "") for k in ("timestamp", "full_name", "phone", "email"))])
    return "G-" + hashlib.sha256(seed.encode()).hexdigest()[:12]


def normalise_record(tab: Tab, record: Mapping[str, str], team_language: str) -> Submission:
    """One intake row (column id -> cell text) as a Submission."""
    language = tab.language or team_language
    unknown: list[str] = []
    phone, phone_kind, phone_shown = normalise_phone(record.get("phone", ""))
    match = _POSTCODE.search(record.get("postcode", ""))
    postcode = match.group(1) if match else clean_text(record.get("postcode", ""))
    street = clean_text(record.get("street", ""))
    name = display_name(record.get("full_name", ""))
    channel = _channel(record.get("channel", ""))
    return Submission(
        submission_id=clean_text(record.get("submission_id", "")) or _fallback_id(tab, record),
        form=tab.form or "",
        form_language=language,
        channel=channel,
        submitted_at=parse_time(record.get("timestamp", "")),
        full_name=name,
        name_tokens=name_tokens(name),
        phone=phone,
        phone_kind=phone_kind,
        phone_shown=phone_shown,
        email=normalise_email(record.get("email", "")),
        street=street,
        street_key=street_key(street),
        postcode=postcode,
        area=_area_name(postcode, team_language),
        languages=_codes(record.get("languages", ""), unknown, "languages"),
        tasks=_codes(record.get("tasks", ""), unknown, "tasks"),
        transport=_codes(record.get("transport", ""), unknown, "transport"),
        availability=_codes(record.get("availability", ""), unknown, "availability"),
        profile_ok=_bool(tab, record, "profile_ok"),
        consent_partners=_bool(tab, record, "consent_partners"),
        details=clean_text(record.get("details", ""), multiline=True),
        on_behalf_of=clean_text(record.get("on_behalf_of", "")),
        organisation=clean_text(record.get("organisation", "")),
        needed_count=clean_text(record.get("needed_count", "")),
        unknown_choices=tuple(unknown),
    )


@lru_cache(maxsize=256)
def _channel(text: str) -> str:
    return choice_code(CHANNEL_CHOICES, text) or ""


def _bool(tab: Tab, record: Mapping[str, str], field_id: str) -> bool | None:
    if field_id not in record:
        return None
    return _yes_no(record[field_id], tuple(tab.column(field_id).labels.values()))


@lru_cache(maxsize=1024)
def _yes_no(text: str, labels: tuple[str, ...]) -> bool | None:
    return parse_bool(text, labels)


def blank(record: Mapping[str, str]) -> bool:
    """A row with no cell filled in: no submission, whatever tab or archive it is in."""
    return not any(value.strip() for value in record.values())


def normalise_intake(sheets: Mapping[str, Sheet], intake_tabs: Sequence[Tab], team_language: str,
                     normalise: Callable[[Tab, Mapping[str, str], str], Submission] | None = None,
                     archived: Sequence[tuple[str, Mapping[str, str] | Submission]] = ()) -> list[Submission]:
    """Every submission of every intake tab, and of the archive; a submission id seen twice counts once
    (the first).

    `normalise` reads one row (normalise_record, or the same answered from the sync's memory);
    `archived` holds (intake tab id, row) of the rows moved out of the sheet (sync/archive.py), or
    (intake tab id, submission) for a row the sync's memory had normalised already.
    """
    normalise = normalise or normalise_record
    moved: dict[str, list[Mapping[str, str] | Submission]] = {}
    for tab_id, record in archived:
        moved.setdefault(tab_id, []).append(record)
    seen: set[str] = set()
    submissions = []
    for tab in intake_tabs:
        for record in [*sheets[tab.id].records(), *moved.get(tab.id, ())]:
            if isinstance(record, Submission):
                submission = record
            elif blank(record):
                continue  # a blank row a coordinator left
            else:
                submission = normalise(tab, record, team_language)
            if submission.submission_id not in seen:
                seen.add(submission.submission_id)
                submissions.append(submission)
    return submissions


def union_codes(choices: tuple[Choice, ...], lists: Iterable[Iterable[str]]) -> tuple[str, ...]:
    """Every code in any of the lists, in the choice list's order."""
    present = {code for codes in lists for code in codes}
    return tuple(choice.code for choice in choices if choice.code in present)
