"""Partner extracts: each active partner gets exactly the volunteers it may see, with exactly the fields it may see.

Driven by the Partners tab, which coordinators fill in. A partner sees a
volunteer only when all of these hold (invariant 5):

- screening says approved, and the volunteer is neither withdrawn nor paused;
- the volunteer's latest word on sharing with partners was yes;
- the volunteer lives in one of the partner's areas (postcodes, or area names
  from the Areas tab) and offers one of the partner's tasks.

The columns are the volunteer id (the key) and the partner's allowed fields,
never the street address, headed in the team's language. Deciding is pure
(`read_partners`, `extract_table`, `keep_partner_columns`); `mirror_partners`
does the I/O: a file under the data folder (owner-only), or the first tab of
the partner's spreadsheet, shared with the partner's contact only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheets_schema.answers import cell_codes, choice_code, list_text, looks_like_email, parse_bool, split_list
from sheets_schema.errors import HelptError
from sheets_schema.fields import Labels
from sheets_schema.tabs import PARTNER_FIELD_CHOICES, TASK_CHOICES, VOLUNTEERS
from sheets_schema.workbook import Sheet, Workbook, column_letters, quote_title

from .export import write_csv, write_xlsx
from .logbook import say

EXTRACTS_DIR = "extracts"  # under HELPT_DATA_DIR
KEY = "volunteer_id"
FIELDS = tuple(choice.code for choice in PARTNER_FIELD_CHOICES)
PARTNER_ROLE = "writer"  # the partner adds its own notes columns beside ours
_COLUMN = {column.id: column for column in VOLUNTEERS.columns}
_SHEET_ID = re.compile(r"/spreadsheets/(?:d/)?([A-Za-z0-9_-]{20,})|^([A-Za-z0-9_-]{20,})$")
_FILE = re.compile(r"[\w][\w .-]{0,99}\.(xlsx|csv)", re.IGNORECASE)


def _t(nl: str, en: str, fr: str) -> Labels:
    return {"nl": nl, "en": en, "fr": fr}


INACTIVE = _t("Deze partner is niet actief: helpt deelt geen gegevens meer met deze partner.",
              "This partner is not active: helpt no longer shares any details with it.",
              "Ce partenaire n'est pas actif : helpt ne lui transmet plus aucune donnée.")
NOBODY = _t("Nog geen goedgekeurde vrijwilligers die toestemden, in deze gebieden en taken.",
            "No approved volunteers who agreed to sharing in these areas and tasks yet.",
            "Pas encore de bénévoles approuvés et consentants dans ces zones et tâches.")


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
            tuple(problems)))
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
    note = INACTIVE[language] if not partner.active else "" if rows else NOBODY[language]
    return header(partner, language), rows, note


def keep_partner_columns(ours: list[str], rows: list[list[str]], note: str,
                         current: Sequence[Sequence[str]]) -> list[list[str]]:
    """The partner's tab anew: our columns first, then the partner's own, each still beside the right volunteer.

    Rows keep the order the partner sorted them in; new volunteers come last;
    rows of volunteers who may no longer be shared go, with the partner's notes
    on them (those are about a person the partner may no longer know of).
    """
    old_header = [str(cell) for cell in current[0]] if current else []
    id_column = old_header.index(ours[0]) if ours[0] in old_header else None
    own = [i for i, text in enumerate(old_header) if text.strip() and text not in ours]
    notes: dict[str, list[str]] = {}
    order: list[str] = []
    for row in current[1:]:
        cells = [str(cell) for cell in row] + [""] * (len(old_header) - len(row))
        volunteer_id = cells[id_column].strip() if id_column is not None else ""
        if volunteer_id:
            notes[volunteer_id] = [cells[i] for i in own]
            order.append(volunteer_id)
    ranked = {volunteer_id: n for n, volunteer_id in enumerate(order)}
    ordered = sorted(rows, key=lambda row: (ranked.get(row[0], len(ranked)), row[0]))
    grid = [ours + [old_header[i] for i in own]]
    grid += [row + notes.get(row[0], [""] * len(own)) for row in ordered]
    if note:
        grid.append([note] + [""] * (len(grid[0]) - 1))
    return grid


@dataclass
class PartnerReport:
    """What one partner's export did, in words without personal data (a Log row)."""

    partner_id: str
    shared: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    failed: str = ""  # why the extract could not be written ("no_destination", or the error)

    def details(self, language: str) -> str:
        if self.failed:
            why = say(language, "no_destination") if self.failed == "no_destination" else self.failed
            return say(language, "not_updated", partner=self.partner_id, why=why)
        text = say(language, "shared", partner=self.partner_id, n=self.shared)
        return "; ".join([text, *(say(language, what, value=value) for what, value in self.problems)])


def destination(partner: Partner) -> tuple[str, str]:
    """("file", name), ("spreadsheet", id) or ("none", why)."""
    text = partner.destination
    if _FILE.fullmatch(text):
        return "file", text
    found = _SHEET_ID.search(text)
    if found:
        return "spreadsheet", found.group(1) or found.group(2)
    return "none", "no_destination"


def _write_file(directory: Path, name: str, title: str, grid: list[list[str]]) -> None:
    path = directory / name
    if name.lower().endswith(".csv"):
        write_csv(path, grid[0], grid[1:])
    else:
        write_xlsx(path, [(title, grid[0], grid[1:])])


def _write_spreadsheet(workbook: Workbook, spreadsheet_id: str, partner: Partner, ours: list[str],
                       rows: list[list[str]], note: str) -> None:
    """Read the partner's first tab, rewrite it keyed by volunteer id, and set who may open it."""
    extract = workbook.open_other(spreadsheet_id)
    title, current = extract.first_tab()
    grid = keep_partner_columns(ours, rows, note, current)
    height = max(len(grid), len(current))
    width = max(len(grid[0]), *(len(row) for row in current)) if current else len(grid[0])
    cells = [row + [""] * (width - len(row)) for row in grid] + [[""] * width] * (height - len(grid))
    extract.write({f"{quote_title(title)}!A1:{column_letters(width - 1)}{height}": cells})
    share_only_with(extract, partner.contact_email if partner.active else "")


def share_only_with(extract: Workbook, email: str) -> None:
    """The extract is open to its owner and `email` (if any), nobody else: helpt alone shares it."""
    have = extract.permissions()
    for permission in have:
        if permission.get("role") == "owner":
            continue
        if email and permission.get("emailAddress", "").casefold() == email.casefold() \
                and permission.get("role") == PARTNER_ROLE:
            continue
        extract.unshare(str(permission["id"]))
    if email and not any(p.get("emailAddress", "").casefold() == email.casefold()
                         and p.get("role") == PARTNER_ROLE for p in have):
        extract.share(email, PARTNER_ROLE)


def mirror_partners(workbook: Workbook, partners: Sequence[Partner], volunteers: Sequence[Mapping[str, str]],
                    extracts_dir: Path, language: str,
                    say: Callable[[str], None] = lambda message: None) -> list[PartnerReport]:
    """Each partner's extract, one after the other; one that fails is reported and does not stop the rest."""
    reports = []
    for partner in partners:
        report = PartnerReport(partner.partner_id, problems=list(partner.problems))
        ours, rows, note = extract_table(partner, volunteers, language)
        report.shared = len(rows)
        kind, where = destination(partner)
        say(f"partner {partner.partner_id}: {len(rows)} volunteers")
        try:
            if kind == "file":
                _write_file(extracts_dir, where, partner.name or partner.partner_id,
                            keep_partner_columns(ours, rows, note, []))
            elif kind == "spreadsheet":
                _write_spreadsheet(workbook, where, partner, ours, rows, note)
            else:
                report.failed = where
        except HelptError as error:
            report.failed = str(error)
        reports.append(report)
    return reports
