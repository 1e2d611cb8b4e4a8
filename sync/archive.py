"""Moving merged, older intake rows out of the spreadsheet, into the archive (desk_db/archive.py).

Google's limit is 10 million cells per spreadsheet, and the intake tabs keep
one row per submission. A row whose submission a master row already holds,
and that came in more than `HELPT_ARCHIVE_AFTER_DAYS` ago, has done its work
in the sheet: it moves to the archive, which every sync reads as if the row
were still there. Rows move where they are now, never someone else's:

1. choose, from a fresh read of the intake tabs, the rows to move;
2. keep them in the archive (committed before anything leaves the sheet);
3. delete them from their tabs in one batchUpdate, bottom rows first so the
   positions above stay put;
4. read again. A row not chosen that is gone (a sort moved it under the
   delete) is appended again as step 1 read it; a chosen row still there (it
   moved away) is chosen again in the next round.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime

from desk_db.archive import Archive, Archived
from sheets_schema.errors import HelptError
from sheets_schema.tabs import INTAKE_TABS
from sheets_schema.workbook import Sheet, Workbook

from .normalise import parse_time
from .remember import row_fingerprint

MAX_ROUNDS = 4


def movable(sheets: Mapping[str, Sheet], merged: Collection[str], limit: datetime) -> dict[str, list[int]]:
    """Per intake tab, the data rows (from 0) whose submission is in `merged` and older than `limit`.

    A row whose time helpt cannot read stays: it is never guessed old.
    """
    chosen: dict[str, list[int]] = {}
    for tab in INTAKE_TABS:
        sheet = sheets[tab.id]
        if "submission_id" not in sheet.positions or "timestamp" not in sheet.positions:
            continue
        key, time = sheet.positions["submission_id"], sheet.positions["timestamp"]
        rows = []
        for n, row in enumerate(sheet.rows):
            when = parse_time(row[time]) if row[key].strip() in merged else None
            if when is not None and when < limit:
                rows.append(n)
        if rows:
            chosen[tab.id] = rows
    return chosen


def _deletions(sheet: Sheet, rows: list[int]) -> list[dict]:
    """deleteDimension requests for these data rows, in runs of neighbours, the bottom run first."""
    runs: list[list[int]] = []
    for n in sorted(rows):
        if runs and runs[-1][1] == n:
            runs[-1][1] = n + 1
        else:
            runs.append([n, n + 1])
    return [{"deleteDimension": {"range": {"sheetId": sheet.sheet_id, "dimension": "ROWS",
                                           "startIndex": first + 1, "endIndex": end + 1}}}
            for first, end in reversed(runs)]  # + 1: the header is row 0


def _archived_row(sheet: Sheet, n: int, submission_id: str) -> Archived:
    record = sheet.record(n)
    return Archived(submission_id, sheet.tab.id, record, row_fingerprint(sheet.tab.id, record))


def _ids(sheet: Sheet) -> list[str]:
    key = sheet.positions.get("submission_id")
    return [row[key].strip() for row in sheet.rows] if key is not None else []


def move_to_archive(workbook: Workbook, archive: Archive, merged: Collection[str], limit: datetime, now: str,
                    before_delete: Callable[[], None] | None = None) -> tuple[int, dict[str, Sheet]]:
    """Move the intake rows `movable` chooses into `archive`: how many left the spreadsheet, and the intake
    tabs as they read after the move.

    It reads the intake tabs afresh, so a sync asks `movable` on its own read first, to make no call when
    there is nothing to move, and goes on with the read this returns. `before_delete` runs between the
    fresh read and the delete (tests sort the sheet there).
    """
    moved: set[str] = set()
    sheets = workbook.read(INTAKE_TABS)
    for _ in range(MAX_ROUNDS):
        chosen = movable(sheets, merged, limit)
        if not chosen:
            return len(moved), sheets
        ids = {tab_id: _ids(sheets[tab_id]) for tab_id in chosen}
        archive.add((_archived_row(sheets[tab_id], n, ids[tab_id][n])
                     for tab_id, rows in chosen.items() for n in rows), now)
        if before_delete is not None:
            before_delete()
            before_delete = None
        workbook.batch_update([request for tab_id, rows in chosen.items()
                               for request in _deletions(sheets[tab_id], rows)])
        after = workbook.read(INTAKE_TABS)
        given_back = False
        for tab_id, rows in chosen.items():
            still, picked = set(_ids(after[tab_id])), set(rows)
            moved |= {ids[tab_id][n] for n in rows} - still
            lost = [sheets[tab_id].record(n) for n, sid in enumerate(ids[tab_id])
                    if sid and n not in picked and sid not in still]
            if lost:  # a sort moved them under the delete: back they go, as read
                workbook.append(after[tab_id], lost)
                given_back = True
        sheets = workbook.read(INTAKE_TABS) if given_back else after
    raise HelptError("intake rows kept moving while helpt archived them; the next sync tries again")
