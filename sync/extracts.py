"""Writing partner extracts: only where helpt may write, and never over what the partner typed.

Invariant 12: helpt writes only to its own spreadsheet and to extracts it
created and marked. A Partners row can point anywhere (a copy-paste slip puts
the desk's own link there), so before writing or sharing anything helpt checks
the destination:

- the desk's own spreadsheet: refused, whatever the link looks like;
- a spreadsheet that carries helpt's mark for this desk and this partner
  (developer metadata, invisible to people): written;
- one marked for another partner or desk, or holding a helpt tab: refused;
- an unmarked one: adopted (marked) only when it is entirely empty, as a
  spreadsheet made for the purpose is; refused when it holds anything;
- the word "nieuw" (new, nouveau): helpt makes the spreadsheet and marks it.

A refusal writes and shares nothing: the Partners row says why in words, and
the Log names the partner.

In a spreadsheet the extract is our block of columns on the left of the first
tab (the volunteer id, then the allowed fields); the partner's own columns and
rows are never written. One atomic batchUpdate changes our cells by volunteer
id (never the id cells of rows already there), deletes the rows of volunteers
who may no longer be shared, and appends the new ones; then column A is read
again, and if the partner sorted in that moment, the cells are put right from
a fresh read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheets_schema.errors import HelptError
from sheets_schema.fields import LANGUAGES
from sheets_schema.files import Table, write_csv, write_xlsx_file
from sheets_schema.i18n import translate
from sheets_schema.tabs import PARTNER_FIELD_CHOICES, TABS, VOLUNTEERS
from sheets_schema.workbook import Workbook, quote_title

from .logbook import say
from .partners import KEY, NOTES, Partner, destination, extract_table, fresh_grid, spreadsheet_id

PARTNER_ROLE = "writer"  # the partner adds its own notes columns beside ours
MARK_KEY = "helpt-extract"  # developer metadata: {"desk": desk id, "partner": partner id}
MAX_ROUNDS = 4  # each round: read, write, check; a partner sorting all the time gets a retry next sync

_LABEL_CODES = {label.casefold(): code for code, labels in
                [(KEY, VOLUNTEERS.column(KEY).labels), *((c.code, c.labels) for c in PARTNER_FIELD_CHOICES)]
                for label in labels.values()}
_NOTE_TEXTS = frozenset(translate(language, note) for note in NOTES for language in LANGUAGES)
_VOLUNTEER_ID = re.compile(r"V-\d+")
_DESK_TAB_TITLES = frozenset(name.casefold() for tab in TABS for name in tab.names())


class Refused(HelptError):
    """helpt may not write to this destination; `reason` keys the words for the Partners row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class PartnerReport:
    """What one partner's export did, in words without personal data (a Log row and its Partners row)."""

    partner_id: str
    shared: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    failed: str = ""  # a reason key ("no_destination", "own_desk", ...) or the error
    extract: str = ""  # where the extract is now: a link or a file name
    written: bool = False  # this sync changed the extract (a new partner's first one, new or gone volunteers)

    def _why(self, language: str) -> str:
        try:
            return say(language, self.failed)
        except KeyError:
            return self.failed

    def status(self, language: str) -> str:
        """The Partners row's words: what was shared, or why nothing was."""
        if self.failed:
            return say(language, "extract_refused", why=self._why(language))
        return "; ".join([say(language, "extract_shared", n=self.shared),
                          *(say(language, what, value=value) for what, value in self.problems)])

    def details(self, language: str) -> str:
        if self.failed:
            return say(language, "not_updated", partner=self.partner_id, why=self._why(language))
        text = say(language, "shared", partner=self.partner_id, n=self.shared)
        return "; ".join([text, *(say(language, what, value=value) for what, value in self.problems)])


# --- which spreadsheet -----------------------------------------------------------------

def _mark(desk: Workbook, partner: Partner) -> dict[str, str]:
    return {"desk": desk.spreadsheet_id, "partner": partner.partner_id}


def _marks(extract: Workbook, metadata: Mapping[str, Any]) -> list[object]:
    found = []
    for value in extract.marks(MARK_KEY, metadata):
        try:
            found.append(json.loads(value))
        except ValueError:
            found.append(value)  # someone else's mark under our key: not ours
    return found


def marked_extract(desk: Workbook, spreadsheet: str, partner: Partner) -> Workbook | None:
    """The spreadsheet if it carries helpt's mark for this desk and partner; None otherwise (never adopts)."""
    if spreadsheet == desk.spreadsheet_id:
        return None
    extract = desk.open_other(spreadsheet)
    return extract if _mark(desk, partner) in _marks(extract, extract.metadata()) else None


def _writable_extract(desk: Workbook, kind: str, spreadsheet: str, partner: Partner) -> Workbook:
    """The partner's extract helpt may write to, made or adopted (and marked) when needed; Refused if none."""
    mark = _mark(desk, partner)
    if kind == "new":
        extract = desk.create_other(say(desk.language, "extract_title", name=partner.name or partner.partner_id))
        extract.mark(MARK_KEY, json.dumps(mark))
        return extract
    if spreadsheet == desk.spreadsheet_id:
        raise Refused("own_desk")
    extract = desk.open_other(spreadsheet)
    metadata = extract.metadata()
    marks = _marks(extract, metadata)
    if mark in marks:
        return extract
    if marks:
        raise Refused("other_extract")
    titles = [sheet["properties"]["title"] for sheet in metadata.get("sheets", [])]
    if any(title.casefold() in _DESK_TAB_TITLES for title in titles):
        raise Refused("desk_tabs")
    if any(str(cell).strip() for grid in extract.values([quote_title(t) for t in titles])
           for row in grid for cell in row):
        raise Refused("not_empty")
    extract.mark(MARK_KEY, json.dumps(mark))
    return extract


# --- what to change in it -------------------------------------------------------------

def _cell(value: str) -> dict[str, Any]:
    """A cell written as text, which Sheets never runs as a formula (invariant 3); empty clears it."""
    return {"userEnteredValue": {"stringValue": value}} if value else {}


def _block(header: Sequence[str]) -> list[str]:
    """The codes of our columns as they stand: the run of known headers from column A, id first."""
    codes: list[str] = []
    for text in header:
        code = _LABEL_CODES.get(str(text).strip().casefold())
        if code is None or code in codes or (not codes and code != KEY):
            break
        codes.append(code)
    return codes


@dataclass
class ExtractPlan:
    requests: list[dict[str, Any]]  # one atomic batchUpdate
    ids_after: list[str]  # our rows' first cells, top to bottom, as column A must read after it


def plan_extract(current: Sequence[Sequence[str]], sheet_id: int, ours: list[str], rows: list[list[str]],
                 note: str) -> ExtractPlan:
    """Turn the first tab `current` into the extract, touching only our columns and our rows."""
    width = len(ours)
    header = [str(cell) for cell in current[0]] if current else []
    have = _block(header)
    want = [_LABEL_CODES[label.casefold()] for label in ours]
    same_columns = have == want
    requests: list[dict[str, Any]] = []

    def dimension(request: str, start: int, end: int, what: str, **more: object) -> dict[str, Any]:
        span = {"sheetId": sheet_id, "dimension": what, "startIndex": start, "endIndex": end}
        return {request: {"range": span, **more}}

    if not same_columns:
        doomed = [index for index, code in enumerate(have) if code not in want]
        requests += [dimension("deleteDimension", index, index + 1, "COLUMNS") for index in reversed(doomed)]
        kept = len(have) - len(doomed)
        if kept < width:
            requests.append(dimension("insertDimension", kept, width, "COLUMNS", inheritFromBefore=False))

    def write(row_index: int, cells: Sequence[str], first_column: int) -> None:
        requests.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": row_index, "columnIndex": first_column},
            "rows": [{"values": [_cell(value) for value in cells[first_column:]]}], "fields": "userEnteredValue"}})

    if header[:width] != ours:
        write(0, ours, 0)
    wanted = {row[0]: row for row in rows}
    note_row = [note] + [""] * (width - 1)
    kept: list[str] = []  # our rows that stay, top to bottom
    seen: set[str] = set()
    deletions: list[int] = []
    for index, line in enumerate(current[1:], start=1):
        cells = [str(cell) for cell in line] + [""] * (width - len(line))
        first = cells[0].strip() if have else ""  # without our block, every row is the partner's
        desired = wanted.get(first) or (note_row if first and first == note else None)
        if desired is not None and first not in seen:
            kept.append(first)
            seen.add(first)
            if not same_columns or cells[:width] != desired:
                write(index, desired, 1)  # never the id cell: it keeps the partner's notes beside the right person
        elif first in seen or first in _NOTE_TEXTS or _VOLUNTEER_ID.fullmatch(first):
            # A volunteer who may no longer be shared (the partner's notes on them go too), an old
            # note, or a copy of one of our rows.
            deletions.append(index)
    requests += [dimension("deleteDimension", index, index + 1, "ROWS") for index in reversed(deletions)]
    new = [row for row in rows if row[0] not in seen]
    if note and note not in seen:
        new.append(note_row)
    if new:
        requests.append({"appendCells": {"sheetId": sheet_id, "fields": "userEnteredValue",
                                         "rows": [{"values": [_cell(v) for v in row]} for row in new]}})
    return ExtractPlan(requests, kept + [row[0] for row in new])


def _ours(column_a: Sequence[Sequence[Any]], plan: ExtractPlan) -> list[str]:
    known = set(plan.ids_after)
    return [str(row[0]).strip() for row in column_a[1:] if row and str(row[0]).strip() in known]


def write_extract(extract: Workbook, ours: list[str], rows: list[list[str]], note: str,
                  before_write: Callable[[], None] | None = None) -> int:
    """Bring the extract's first tab up to date; the rounds it took (0: it already was).

    `before_write` runs between the read and the write (tests sort the sheet there, as a partner would).
    """
    for round_ in range(MAX_ROUNDS):
        tab = extract.first_tab()
        plan = plan_extract(tab.rows, tab.sheet_id, ours, rows, note)
        if not plan.requests:
            return round_
        if before_write is not None:
            before_write()
        extract.batch_update(plan.requests)
        [column_a] = extract.values([f"{quote_title(tab.title)}!A:A"])
        if _ours(column_a, plan) == plan.ids_after:
            return round_ + 1
    raise HelptError("the partner's sheet kept moving while helpt wrote it; the next sync tries again")


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


def empty_extract(extract: Workbook) -> None:
    """Nothing left in it and nobody but its owner: an extract helpt no longer writes, or after a purge."""
    tab = extract.first_tab()
    if tab.rows:
        extract.clear([quote_title(tab.title)])
    share_only_with(extract, "")


# --- each partner ------------------------------------------------------------------------

def _write_file(directory: Path, name: str, title: str, grid: list[list[str]]) -> None:
    path = directory / name
    if name.lower().endswith(".csv"):
        write_csv(path, grid[0], grid[1:])
    else:
        write_xlsx_file(path, [Table(title, grid)])


def _retire(desk: Workbook, extracts_dir: Path, partner: Partner, now_at: str) -> None:
    """The extract moved elsewhere: the old one keeps nobody's data and is shared with nobody."""
    old = partner.extract
    if not old or old == now_at:
        return
    old_id = spreadsheet_id(old)
    if old_id and old_id != spreadsheet_id(now_at):
        extract = marked_extract(desk, old_id, partner)
        if extract is not None:
            empty_extract(extract)
    elif not old_id and "/" not in old and (extracts_dir / old).is_file():
        (extracts_dir / old).unlink()


def mirror_partner(desk: Workbook, partner: Partner, volunteers: Sequence[Mapping[str, str]], extracts_dir: Path,
                   language: str) -> PartnerReport:
    """One partner's extract; a failure is reported in the report, never raised."""
    report = PartnerReport(partner.partner_id, problems=list(partner.problems))
    ours, rows, note = extract_table(partner, volunteers, language)
    report.shared = len(rows)
    kind, where = destination(partner)
    try:
        if kind == "file":
            # A file is written whole every time; it counts as a change when it is new or moved.
            report.written = not (extracts_dir / where).is_file() or partner.extract != where
            _write_file(extracts_dir, where, partner.name or partner.partner_id, fresh_grid(ours, rows, note))
            report.extract = where
        elif kind in ("spreadsheet", "new"):
            extract = _writable_extract(desk, kind, where, partner)
            report.extract = extract.link()
            report.written = write_extract(extract, ours, rows, note) > 0
            share_only_with(extract, partner.contact_email if partner.active else "")
        else:
            report.failed = where
        if report.extract:
            _retire(desk, extracts_dir, partner, report.extract)
    except Refused as refused:
        report.failed = refused.reason
    except (HelptError, OSError) as error:
        report.failed = str(error)
    if report.failed and not report.extract:
        report.extract = partner.extract  # keep saying where the last good extract is
    return report


def mirror_partners(desk: Workbook, partners: Sequence[Partner], volunteers: Sequence[Mapping[str, str]],
                    extracts_dir: Path, language: str,
                    progress: Callable[[str], None] = lambda message: None) -> list[PartnerReport]:
    """Each partner's extract, one after the other; one that fails is reported and does not stop the rest."""
    reports = []
    for partner in partners:
        progress(say(language, "step_partner", partner=partner.partner_id))
        reports.append(mirror_partner(desk, partner, volunteers, extracts_dir, language))
    return reports


def partner_cells(reports: Sequence[PartnerReport], language: str) -> dict[str, dict[str, str]]:
    """What each Partners row's system columns must say after this sync."""
    return {report.partner_id: {"extract": report.extract, "extract_status": report.status(language)}
            for report in reports}
