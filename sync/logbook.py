"""The Log tab's words: what each job did, in the team's language, never with personal data.

Every job that touches personal data (sync, partner export, retention,
purge, a person forgotten) leaves one row; the job's name and its details
are English messages translated through the team's catalogue
(sheets_schema.i18n), so a coordinator reads the Log as every other cell
(invariant 9). A count that meets a noun takes the noun's plural form in the
reader's language ("1 rij", "2 rijen"), and numbers are written the reader's
way ("1.575", "25,8 s").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from sheets_schema.clock import TIME_FORMAT
from sheets_schema.i18n import N_, NP_, decimal, number, translate, translate_n
from sheets_schema.workbook import Sheet, Workbook

JOBS: dict[str, str] = {
    "sync": N_("sync"),
    "partner_export": N_("partner export"),
    "retention": N_("retention"),
    "purge": N_("purge"),
    "person_forget": N_("person forgotten"),
    "handover": N_("handover"),
    "size": N_("size warning"),
}
# What each handover message is, for the Log row that lists them by id.
MESSAGE_KINDS: dict[str, str] = {
    "case": N_("case {request} to {volunteer}"),
    "contact": N_("contact details of {request} to {volunteer}"),
    "resident": N_("news to the resident of {request}"),
    "withdrawn": N_("withdrawal of {request} to {volunteer}"),
    "follow_up": N_("follow-up of {request} to {volunteer}"),
    "thanks": N_("thank-you to {volunteer}"),
}

PHRASES: dict[str, str] = {
    "synced": N_("Synced in {s} s"),
    "would_sync": N_("Would sync in {s} s"),
    "nothing": N_("nothing to change"),
    "up_to_date": N_("every row of {tabs} is up to date"),
    "read_nothing": N_("nothing read: Drive's version of the spreadsheet is the one the last sync read"),
    "and": N_("and"),
    "partners": N_("Partner extracts: {items}"),
    "to_add": N_("{title}: {added}, {changed}"),
    "rewrite": N_("rewrite"),
    "unchanged": N_("unchanged"),
    "tab": N_("{title}: {added} added, {changed} updated"),
    "not_updated": N_("{partner}: not updated ({why}); tried again at the next sync"),
    "no_destination": N_("no destination: write 'new', or give the link of a new, empty spreadsheet or a file name "
                         "ending in .xlsx or .csv"),
    "unknown_area": N_("unknown area '{value}'"),
    "unknown_task": N_("unknown task '{value}'"),
    "not_shareable": N_("field '{value}' cannot be shared"),
    "retention": N_("retention ({days}): erased the rows finished before then ({counts}) and {intake}"),
    "purge": N_("{verb}: rows ({rows}); {contacts}; {sheets}; {files}; {journal}"),
    "purge_verb": N_("Erased"),
    "purge_dry": N_("Would erase"),
    "none": N_("none"),
    "purge_failed": N_("Not done, run purge again: {failed}."),
    "forget": N_("a person's data erased on request: {rows} in {tabs}, {journal}; partner extracts follow at "
                 "this sync"),
    "extract_refused": N_("nothing written or shared: {why}"),
    "extract_title": N_("helpt: volunteers for {name}"),
    "own_desk": N_("the destination is this spreadsheet itself, the back office; make a new, empty spreadsheet "
                   "for the partner or write 'new'"),
    "other_extract": N_("that spreadsheet is the extract of another partner or another desk; give a new, empty "
                        "spreadsheet or write 'new'"),
    "desk_tabs": N_("that spreadsheet holds the tabs of a helpt desk; give a new, empty spreadsheet or write 'new'"),
    "step_read": N_("reading every tab in one batch"),
    "step_merge_offers": N_("merging offers and looking for duplicates"),
    "step_merge_requests": N_("merging requests and looking for duplicates"),
    "step_match": N_("suggesting volunteers for open requests"),
    "step_write": N_("writing {changed} and {new}"),
    "step_partners": N_("mirroring approved volunteers to partners"),
    "step_partner": N_("partner {partner}"),
    "step_done": N_("done"),
    "overview": N_("Overview rewritten"),
    "cells_high": N_("The spreadsheet holds {cells} cells, {percent} of Google's limit of 10 million; "
                     "at the limit Google refuses every new row. Make room soon: see 'When the spreadsheet grows' "
                     "in helpt's docs/spreadsheet.md"),
    "cells_critical": N_("The spreadsheet holds {cells} cells, {percent} of Google's limit of 10 million; "
                         "at the limit Google refuses every new row. Make room now: see 'When the spreadsheet "
                         "grows' in helpt's docs/spreadsheet.md"),
    "overview_would": N_("Overview would be rewritten"),
    "not_empty": N_("that spreadsheet already holds data and helpt did not make it; give a new, empty spreadsheet "
                    "or write 'new'"),
}

# Phrases whose count meets a noun: (singular, plural), each with {n}.
PLURALS: dict[str, tuple[str, str]] = {
    "read": NP_("{n} submission read ({new} new)", "{n} submissions read ({new} new)"),
    "joined": NP_("{n} new submission joined an existing row", "{n} new submissions joined an existing row"),
    "flagged": NP_("{n} possible duplicate flagged for review", "{n} possible duplicates flagged for review"),
    "stats": NP_("Stats rewritten ({n} row)", "Stats rewritten ({n} rows)"),
    "stats_would": NP_("Stats would be rewritten ({n} row)", "Stats would be rewritten ({n} rows)"),
    "stats_detail": NP_("Stats: {what} ({n} row)", "Stats: {what} ({n} rows)"),
    "api": NP_("{n} Sheets API call", "{n} Sheets API calls"),
    "rows_to_add": NP_("{n} row to add", "{n} rows to add"),
    "rows_to_update": NP_("{n} row to update", "{n} rows to update"),
    "new_submissions": NP_("{n} new submission", "{n} new submissions"),
    "joined_rows": NP_("{n} joined an existing row", "{n} joined existing rows"),
    "merged": NP_("{n} row merged on review", "{n} rows merged on review"),
    "extracts_written": NP_("{n} partner extract written", "{n} partner extracts written"),
    "rewritten": NP_("{n} row rewritten after the sheet moved", "{n} rows rewritten after the sheet moved"),
    "lost_rows": NP_("{n} acknowledged submission was missing from its intake tab; helpt adds it again",
                  "{n} acknowledged submissions were missing from their intake tab; helpt adds them again"),
    "unknown": NP_("{n} answer with an unknown {field} value was left out",
                "{n} answers with an unknown {field} value were left out"),
    "shared": NP_("{partner}: {n} volunteer shared", "{partner}: {n} volunteers shared"),
    "extract_shared": NP_("up to date: {n} volunteer shared", "up to date: {n} volunteers shared"),
    "exports_removed": NP_("{n} earlier export file removed (make a new export if you need one)",
                        "{n} earlier export files removed (make a new export if you need one)"),
    "days": NP_("{n} day", "{n} days"),
    "intake_rows": NP_("their {n} intake row", "their {n} intake rows"),
    "contacts": NP_("{n} partner contact e-mail", "{n} partner contact e-mails"),
    "partner_sheets": NP_("{n} partner spreadsheet emptied and unshared",
                       "{n} partner spreadsheets emptied and unshared"),
    "files": NP_("{n} extract or export file", "{n} extract and export files"),
    "journal": NP_("{n} intake journal entry", "{n} intake journal entries"),
    "rows": NP_("{n} row", "{n} rows"),
    "step_normalise": NP_("read {n} row; normalising submissions", "read {n} rows; normalising submissions"),
    "changed_rows": NP_("{n} changed row", "{n} changed rows"),
    "new_rows": NP_("{n} new row", "{n} new rows"),
    "tabs": NP_("{n} tab", "{n} tabs"),
    "pending": NP_("{n} pending submission", "{n} pending submissions"),
    "letters": NP_("{n} message for a handover queued", "{n} messages for handovers queued"),
    "more": NP_("and {n} more", "and {n} more"),
    "archived": NP_("{n} older intake row moved to the archive, out of the spreadsheet",
                    "{n} older intake rows moved to the archive, out of the spreadsheet"),
    "archived_full": NP_("{n} merged intake row moved to the archive, out of the spreadsheet, however recent: "
                         "the spreadsheet is near Google's limit",
                         "{n} merged intake rows moved to the archive, out of the spreadsheet, however recent: "
                         "the spreadsheet is near Google's limit"),
}


def _written(language: str, value: object) -> object:
    """Numbers the reader's way: whole numbers grouped, seconds with one decimal."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return number(language, value)
    if isinstance(value, float):
        return decimal(language, value)
    return value


def say(language: str, key: str, **values: object) -> str:
    """A phrase of the tables above in `language`; with `n`, a plural phrase takes the form `n` asks for."""
    written = {name: _written(language, value) for name, value in values.items() if name != "n"}
    if key in PLURALS:
        return translate_n(language, *PLURALS[key], int(values["n"]), **written)  # type: ignore[call-overload]
    return translate(language, PHRASES[key], **written)


def job_name(language: str, job: str) -> str:
    return translate(language, JOBS[job])


def log_rows(workbook: Workbook, sheet: Sheet, now: str, rows: list[Mapping[str, str]]) -> None:
    """Append Log rows in one call; each names its job by key (`job`), written as a word of the team."""
    workbook.append(sheet, _as_written(workbook.language, sheet, now, rows))


def _as_written(language: str, sheet: Sheet, now: str, rows: list[Mapping[str, str]]) -> list[dict[str, str]]:
    return [{c: v for c, v in {**row, "logged_at": now, "job": job_name(language, row["job"])}.items()
             if c in sheet.positions} for row in rows]


SAID_LATELY = timedelta(hours=1)
_OF_THE_MOMENT = ("logged_at", "duration_s", "api_calls")  # what differs between two syncs that did the same
_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")  # TIME_FORMAT: in text order is in time order


def said_lately(language: str, sheet: Sheet, now: str, rows: list[Mapping[str, str]]) -> bool:
    """Whether the Log's newest rows, less than SAID_LATELY before `now`, say what `rows` would say.

    A sync that changes nothing then adds no row: a desk that syncs every minute would otherwise write
    the same words 1,440 times a day (and one more row per partner each time), burying what changed and
    using up Google's cells. Coordinators still see, at least once an hour, that the sync runs.
    Newest by the time in the row, whatever order a coordinator sorted the Log in."""
    at = sheet.positions.get("logged_at")
    if at is None:
        return False
    newest = max((row[at].strip() for row in sheet.rows if _STAMP.fullmatch(row[at].strip())), default="")
    if not newest or not timedelta(0) <= _time(now) - _time(newest) < SAID_LATELY:
        return False
    last = [_words(sheet, sheet.record(n)) for n, row in enumerate(sheet.rows) if row[at].strip() == newest]
    return sorted(last) == sorted(_words(sheet, row) for row in _as_written(language, sheet, now, rows))


def _time(stamp: str) -> datetime:
    return datetime.strptime(stamp, TIME_FORMAT)


def _words(sheet: Sheet, row: Mapping[str, str]) -> list[tuple[str, str]]:
    """A Log row without what belongs to its moment, comparable with another's."""
    return [(c, row.get(c, "").strip()) for c in sorted(sheet.positions) if c not in _OF_THE_MOMENT]
