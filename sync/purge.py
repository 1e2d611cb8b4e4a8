"""`helpt purge`: after the crisis, destroy every person's data helpt wrote, and keep the anonymous counts.

What goes: every row of the intake tabs, Requests and Volunteers (a
coordinator's own columns there included), the partners' contact e-mails,
every partner extract (spreadsheets emptied and unshared, files deleted),
the exports folder and, through the caller, the intake journal and the local
server's free pages. What stays: the tabs and their headers, Tasks, Areas,
Stats (counts only) and Log, which never hold personal data, plus one Log row
saying what was purged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sheets_schema.errors import HelptError
from sheets_schema.tabs import INTAKE_TABS, LOG_TAB, PARTNERS_TAB, REQUESTS, STATS_TAB, VOLUNTEERS
from sheets_schema.workbook import Sheet, Workbook

from .erase import EXPORTS_DIR, destroy, files
from .extracts import empty_extract, marked_extract
from .logbook import log_rows, say
from .partners import EXTRACTS_DIR, destination, read_partners

PERSONAL_TABS = (REQUESTS, VOLUNTEERS, *INTAKE_TABS)


@dataclass
class PurgeReport:
    rows: dict[str, int] = field(default_factory=dict)  # tab title -> rows erased
    contacts: int = 0  # partner contact e-mails erased
    partner_sheets: int = 0  # partner spreadsheets emptied and unshared
    files: int = 0  # extract and export files deleted
    journal: int = 0  # journal entries erased
    failed: list[str] = field(default_factory=list)

    def summary(self, dry_run: bool, language: str) -> str:
        rows = ", ".join(f"{title} {n}" for title, n in self.rows.items() if n) or say(language, "none")
        text = say(language, "purge", verb=say(language, "purge_dry" if dry_run else "purge_verb"), rows=rows,
                   contacts=say(language, "contacts", n=self.contacts),
                   sheets=say(language, "partner_sheets", n=self.partner_sheets),
                   files=say(language, "files", n=self.files), journal=say(language, "journal", n=self.journal)) + "."
        if self.failed:
            text += " " + say(language, "purge_failed", failed="; ".join(self.failed))
        return text


def _data_rows(sheet: Sheet) -> int:
    return sum(1 for row in sheet.rows if any(cell.strip() for cell in row))


def purge(workbook: Workbook, data_dir: Path, *, dry_run: bool, erase_journal: Callable[[], int],
          count_journal: Callable[[], int], compact: Callable[[], None] | None, now: str) -> PurgeReport:
    """Erase every person's data (or, with `dry_run`, count what would go)."""
    report = PurgeReport()
    sheets = workbook.read([*PERSONAL_TABS, PARTNERS_TAB, LOG_TAB, STATS_TAB])
    clear = []
    for tab in PERSONAL_TABS:
        sheet = sheets[tab.id]
        report.rows[sheet.title] = _data_rows(sheet)
        if sheet.rows:
            clear.append(sheet.whole_rows(2, len(sheet.rows) + 1))
    partners_sheet = sheets[PARTNERS_TAB.id]
    contacts = [n for n, row in enumerate(partners_sheet.records()) if row.get("contact_email", "").strip()]
    report.contacts = len(contacts)
    clear += [partners_sheet.cell(n + 2, "contact_email") for n in contacts]
    partner_sheets = [(where, partner) for partner in read_partners(partners_sheet)
                      for kind, where in [destination(partner)] if kind == "spreadsheet"]
    report.files = len(files(data_dir / EXTRACTS_DIR) + files(data_dir / EXPORTS_DIR))
    if dry_run:
        report.partner_sheets = len(partner_sheets)
        report.journal = count_journal()
        return report
    # The journal first: its flusher must have nothing left to put back in the tabs.
    report.journal = erase_journal()
    workbook.clear(clear)
    for spreadsheet_id, partner in partner_sheets:
        try:
            extract = marked_extract(workbook, spreadsheet_id, partner)
            if extract is None:
                continue  # not an extract helpt made: never emptied or unshared by helpt (invariant 12)
            empty_extract(extract)
            report.partner_sheets += 1
        except HelptError as error:
            report.failed.append(f"partner spreadsheet {spreadsheet_id[:8]}…: {error}")
    destroy(data_dir / EXTRACTS_DIR)
    destroy(data_dir / EXPORTS_DIR)
    if compact is not None:
        compact()
    log_rows(workbook, sheets[LOG_TAB.id], now, [{
        "job": "purge", "rows_changed": str(sum(report.rows.values())),
        "details": report.summary(dry_run=False, language=workbook.language)}])
    return report
