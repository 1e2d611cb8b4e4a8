"""Partners: who each partner may see, with which fields, and where its extract goes. Pure decisions.

Driven by the Partners tab, which coordinators fill in. A partner sees a
volunteer only when all of these hold (invariant 5):

- screening says approved, and the volunteer is neither withdrawn nor paused;
- the volunteer's latest word on sharing with partners was yes;
- the volunteer lives in one of the partner's areas (postcodes, or area names
  from the Areas tab) and offers one of the partner's tasks.

The columns are the volunteer id (the key) and the partner's allowed fields,
never the street address, headed in the team's language. `extracts.py`
writes them: a file under the data folder, or a spreadsheet helpt marked as
this partner's extract.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sheets_schema.answers import cell_codes, choice_code, list_text, looks_like_email, parse_bool, split_list
from sheets_schema.i18n import N_, translate
from sheets_schema.tabs import PARTNER_FIELD_CHOICES, TASK_CHOICES, VOLUNTEERS
from sheets_schema.workbook import Sheet

EXTRACTS_DIR = "extracts"  # under HELPT_DATA_DIR
KEY = "volunteer_id"
FIELDS = tuple(choice.code for choice in PARTNER_FIELD_CHOICES)
_COLUMN = {column.id: column for column in VOLUNTEERS.columns}
_SHEET_ID = re.compile(r"/spreadsheets/(?:d/)?([A-Za-z0-9_-]{20,})|^([A-Za-z0-9_-]{20,})$")
_FILE = re.compile(r"[\w][\w .-]{0,99}\.(xlsx|csv)", re.IGNORECASE)
# A destination that asks helpt to make the partner's spreadsheet itself.
NEW_WORDS = frozenset({"nieuw", "nieuwe", "new", "nouveau", "nouvelle"})


INACTIVE = N_("This partner is not active: helpt no longer shares any details with it.")
NOBODY = N_("No approved volunteers who agreed to sharing in these areas and tasks yet.")


@dataclass(frozen=True)
class Partner:
    """One row of the Partners tab, read: codes and postcodes, plus what could not be understood."""

    partner_id: str
    name: str
    postcodes: frozenset[str]
    tasks: frozenset[str]
    fields: tuple[str, ...]
    destination: str
    contact_email: str
    active: bool
    problems: tuple[tuple[str, str], ...] = ()  # (what, value): ("unknown_area", "Heverle")
    extract: str = ""  # where helpt last wrote this partner's extract (its system column)


def _area_postcodes(areas: Sheet) -> dict[str, set[str]]:
    """Area name (any case) -> its postcodes, from the Areas tab."""
    found: dict[str, set[str]] = {}
    for row in areas.records():
        if row.get("postcode") and row.get("name"):
            found.setdefault(row["name"].strip().casefold(), set()).add(row["postcode"].strip())
    return found


def read_partners(sheet: Sheet, areas: Sheet | None = None) -> list[Partner]:
    """Every partner row with an id, as codes; an unknown area, task or field is left out and named.

    Without the Areas tab, only postcodes are understood as areas (enough to find destinations).
    """
    names = _area_postcodes(areas) if areas is not None else {}
    partners = []
    for row in sheet.records():
        partner_id = row.get("partner_id", "").strip()
        if not partner_id:
            continue
        problems: list[tuple[str, str]] = []
        postcodes: set[str] = set()
        for area in split_list(row.get("areas", "")):
            if re.fullmatch(r"[1-9][0-9]{3}", area):
                postcodes.add(area)
            elif area.casefold() in names:
                postcodes |= names[area.casefold()]
            else:
                problems.append(("unknown_area", area))
        tasks = set()
        for task in split_list(row.get("tasks", "")):
            code = choice_code(TASK_CHOICES, task)
            if code is None:
                problems.append(("unknown_task", task))
            else:
                tasks.add(code)
        fields = set()
        for name in split_list(row.get("fields", "")):
            code = choice_code(PARTNER_FIELD_CHOICES, name)
            if code is None:
                problems.append(("not_shareable", name))  # the street, or a typo
            else:
                fields.add(code)
        contact = row.get("contact_email", "").strip()
        partners.append(Partner(
            partner_id, row.get("name", "").strip(), frozenset(postcodes), frozenset(tasks),
            tuple(code for code in FIELDS if code in fields), row.get("destination", "").strip(),
            contact if looks_like_email(contact) else "", parse_bool(row.get("active", "")) is True,
            tuple(problems), row.get("extract", "").strip()))
    return partners


def is_eligible(volunteer: Mapping[str, str], partner: Partner) -> bool:
    """Whether `partner` may see `volunteer` at all (invariant 5)."""
    if not partner.active or not volunteer.get(KEY, "").strip():
        return False
    if choice_code(_COLUMN["screening"].choices, volunteer.get("screening", "")) != "approved":
        return False
    if choice_code(_COLUMN["status"].choices, volunteer.get("status", "")) in ("withdrawn", "paused"):
        return False
    if parse_bool(volunteer.get("consent_partners", "")) is not True:
        return False
    if volunteer.get("postcode", "").strip() not in partner.postcodes:
        return False
    return bool(set(cell_codes(TASK_CHOICES, volunteer.get("tasks", ""))) & partner.tasks)


def header(partner: Partner, language: str) -> list[str]:
    labels = {choice.code: choice.labels[language] for choice in PARTNER_FIELD_CHOICES}
    return [_COLUMN[KEY].labels[language], *(labels[code] for code in partner.fields)]


def _words(field_id: str, text: str, language: str) -> str:
    """A cell as the partner reads it: choices (codes or labels in any language) in the team's language."""
    column = _COLUMN.get(field_id)
    if column is None or not column.choices:
        return text
    return list_text(column.choices, cell_codes(column.choices, text), language)


def extract_table(partner: Partner, volunteers: Sequence[Mapping[str, str]], language: str) -> tuple[
        list[str], list[list[str]], str]:
    """The header, the rows (by volunteer id) and, when there are none, a line saying why."""
    rows = [[volunteer[KEY].strip(), *(_words(code, volunteer.get(code, ""), language) for code in partner.fields)]
            for volunteer in volunteers if is_eligible(volunteer, partner)]
    rows.sort(key=lambda row: row[0])
    note = translate(language, INACTIVE) if not partner.active else "" if rows else translate(language, NOBODY)
    return header(partner, language), rows, note


NOTES = (INACTIVE, NOBODY)


def fresh_grid(ours: list[str], rows: list[list[str]], note: str) -> list[list[str]]:
    """An extract file: the header, the rows and the line that says why there are none."""
    return [ours, *rows, *([[note] + [""] * (len(ours) - 1)] if note else [])]


def spreadsheet_id(text: str) -> str:
    """The spreadsheet id in a link or an id as typed; "" when there is none."""
    found = _SHEET_ID.search(text.strip())
    return (found.group(1) or found.group(2)) if found else ""


def destination(partner: Partner) -> tuple[str, str]:
    """Where the extract goes: ("file", name), ("spreadsheet", id), ("new", "") for a spreadsheet helpt
    makes (once: then the id it left in the extract column), or ("none", why)."""
    text = partner.destination
    if _FILE.fullmatch(text):
        return "file", text
    if text.casefold() in NEW_WORDS:
        made = spreadsheet_id(partner.extract)
        return ("spreadsheet", made) if made else ("new", "")
    found = spreadsheet_id(text)
    if found:
        return "spreadsheet", found
    return "none", "no_destination"
