"""`helpt person export | forget`: a person's rights, found by the phone number or e-mail address they give.

A person asking "what do you hold on me?" or "forget me" gives a phone
number or an e-mail address, typed any way (`0470 12 34 56`, `+32470123456`,
any case). Everything helpt wrote about them is found by it: intake rows,
Requests and Volunteers rows, a partner contact, and the rows partner
extracts hold for their volunteer ids. The journal's entries are the caller's.
Forgetting erases whole rows where they are at that moment (erase.py); the
sync that follows rewrites the partner extracts without them, and the
caller destroys the files of earlier exports, which hold everyone.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from sheets_schema.answers import looks_like_email, phone_e164, split_list
from sheets_schema.errors import HelptError
from sheets_schema.fields import Tab
from sheets_schema.tabs import LOG_TAB, PARTNERS_TAB, REQUESTS, VOLUNTEERS
from sheets_schema.workbook import Sheet, Workbook, column_letters

from .erase import Target, erase
from .extracts import marked_extract
from .logbook import log_rows, say
from .partners import EXTRACTS_DIR, KEY, destination, read_partners
from .purge import PERSONAL_TABS


@dataclass(frozen=True)
class Person:
    """Who is asked about: a phone number in E.164 and/or an e-mail address, compared case-blind."""

    phone: str = ""
    email: str = ""

    def matches(self, record: Mapping[str, str]) -> bool:
        phones = [record.get("phone", ""), *record.get("other_phones", "").split(",")]
        if self.phone and any(p.strip() and phone_e164(p.strip()) == self.phone for p in phones):
            return True
        emails = (record.get("email", ""), record.get("contact_email", ""))
        return bool(self.email) and any(e.strip().casefold() == self.email for e in emails)


def person(phone: str | None, email: str | None) -> Person:
    """The Person behind what was typed; HelptError when it cannot be a phone number or an e-mail address."""
    if not phone and not email:
        raise HelptError("give --phone or --email: how the person can be found")
    found = Person()
    if phone:
        e164 = phone_e164(phone)
        if e164 is None:
            raise HelptError(f"{phone!r} is not a valid phone number")
        found = Person(phone=e164)
    if email:
        if not looks_like_email(email.strip()):
            raise HelptError(f"{email!r} is not an e-mail address")
        found = Person(found.phone, email.strip().casefold())
    return found


@dataclass
class Found:
    """One row that holds the person: where, which row, and its non-empty cells by header."""

    where: str
    row: int
    values: dict[str, str]


@dataclass
class Holdings:
    rows: list[Found] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)  # whole rows to erase in the desk's spreadsheet
    volunteer_ids: set[str] = field(default_factory=set)
    request_ids: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)  # every address their rows give (the handover mailed them)
    submission_ids: set[str] = field(default_factory=set)  # every submission their master rows merged
    sheets: dict[str, Sheet] = field(default_factory=dict)


def _row_values(header: Sequence[str], row: Sequence[str]) -> dict[str, str]:
    return {(header[i] if i < len(header) and header[i] else column_letters(i)): value
            for i, value in enumerate(row) if value.strip()}


def _their_rows(who: Person, sheets: Mapping[str, Sheet]) -> list[tuple[Tab, int, Mapping[str, str]]]:
    """The person's rows (tab, index among the data rows, cells by column id).

    A Requests or Volunteers row names every submission merged into it, also those
    given with another number or address than the one asked for: their intake
    rows are the person's too (the master tabs are read first for this).
    """
    theirs: set[str] = set()
    rows = []
    for tab in (*PERSONAL_TABS, PARTNERS_TAB):
        for n, record in enumerate(sheets[tab.id].records()):
            submission_id = record.get("submission_id", "").strip()
            if who.matches(record) or (submission_id and submission_id in theirs):
                theirs.update(split_list(record.get("submission_ids", "")))
                rows.append((tab, n, record))
    return rows


def find(workbook: Workbook, data_dir: Path, who: Person) -> Holdings:
    """Every row in the desk's spreadsheet and in the partner extracts that holds `who`."""
    held = Holdings(sheets=workbook.read([*PERSONAL_TABS, PARTNERS_TAB, LOG_TAB]))
    for tab, n, record in _their_rows(who, held.sheets):
        sheet = held.sheets[tab.id]
        held.rows.append(Found(sheet.title, n + 2, _row_values(sheet.header, sheet.rows[n])))
        held.ranges.append(sheet.cell(n + 2, "contact_email") if tab is PARTNERS_TAB else sheet.whole_rows(n + 2))
        if tab is VOLUNTEERS and record.get(KEY, "").strip():
            held.volunteer_ids.add(record[KEY].strip())
        if tab is REQUESTS and record.get("request_id", "").strip():
            held.request_ids.add(record["request_id"].strip())
        if tab in (REQUESTS, VOLUNTEERS) and record.get("email", "").strip():
            held.emails.add(record["email"].strip())
        if tab in (REQUESTS, VOLUNTEERS):
            held.submission_ids.update(split_list(record.get("submission_ids", "")))
    if held.volunteer_ids:
        held.rows += _in_extracts(workbook, data_dir, held.sheets[PARTNERS_TAB.id], held.volunteer_ids)
    return held


def _in_extracts(workbook: Workbook, data_dir: Path, partners: Sheet, ids: set[str]) -> list[Found]:
    found = []
    for partner in read_partners(partners):
        kind, where = destination(partner)
        try:
            if kind == "file":
                grid = _read_file(data_dir / EXTRACTS_DIR / where)
            elif kind == "spreadsheet" and (extract := marked_extract(workbook, where, partner)) is not None:
                grid = extract.first_tab().rows
            else:
                continue
        except (HelptError, OSError):
            continue  # an unreachable extract holds nothing helpt can show; the sync reports it
        header = grid[0] if grid else []
        found += [Found(f"partner {partner.partner_id}", n + 2, _row_values(header, row))
                  for n, row in enumerate(grid[1:]) if row and row[0].strip() in ids]
    return found


def _read_file(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return [row for row in csv.reader(handle)]
    book = load_workbook(path, read_only=True)
    return [["" if cell is None else str(cell) for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)]


def in_archive(who: Person, held: Holdings) -> Callable[[Mapping[str, str]], bool]:
    """Which archived intake rows are the person's: theirs by phone or e-mail, or merged into their rows."""
    return lambda record: who.matches(record) or record.get("submission_id", "").strip() in held.submission_ids


def _chosen(who: Person) -> Callable[[Mapping[str, Sheet]], list[Target]]:
    """The person's whole rows in the personal tabs, and the contact e-mail cell of a Partners row."""
    def choose(sheets: Mapping[str, Sheet]) -> list[Target]:
        return [(tab.id, n, ("contact_email",) if tab is PARTNERS_TAB else None)
                for tab, n, _ in _their_rows(who, sheets)]
    return choose


def forget(workbook: Workbook, who: Person, journal_entries: int, now: str, exports_removed: int = 0,
           before_clear: Callable[[], None] | None = None) -> str:
    """Erase the person's rows where they are now (never by an old row number), and log it without saying who."""
    erasure = erase(workbook, [*PERSONAL_TABS, PARTNERS_TAB], _chosen(who), before_clear=before_clear)
    rows = erasure.total_rows + (1 if erasure.cells else 0)
    language = workbook.language
    details = say(language, "forget", rows=say(language, "rows", n=rows),
                  tabs=say(language, "tabs", n=len(erasure.rows) + (1 if erasure.cells else 0)),
                  journal=say(language, "pending", n=journal_entries))
    if exports_removed:
        details += "; " + say(workbook.language, "exports_removed", n=exports_removed)
    log = workbook.read([LOG_TAB])[LOG_TAB.id]
    log_rows(workbook, log, now, [{"job": "person_forget", "rows_changed": str(rows), "details": details}])
    return details
