"""Coordinators keep working while a sync runs: nothing may land on another person's row.

A second gspread client (another coordinator) sorts, inserts, deletes, moves a
column or edits a cell between the sync's read and its write, and even in the
moment between the sync's last check and its write. Every row must end up with
its own system values, and every coordinator value must stay with its person.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sheets_schema.answers import cell_codes, list_text
from sheets_schema.tabs import VOLUNTEERS
from sheets_schema.tasks import TASK_CHOICES
from sheets_schema.workbook import Workbook, column_letters, open_local, quote_title
from sync.job import run_sync
from sync.normalise import union_codes

from .conftest import FAST_RETRY
from .generate import generate, write_intake
from .sync_helpers import add, fixed_clock, master, spreadsheet, submission


def _ready(workbook: Workbook) -> tuple[dict[str, dict[str, str]], set[str]]:
    """40 people synced, a coordinator's note on each row, and new submissions for four of them."""
    spreadsheet(workbook)
    write_intake(workbook, generate(volunteers=40, requests=5, seed=11))
    run_sync(workbook, clock=fixed_clock)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.write({sheet.cell(n, "notes"): [[f"note for {r['volunteer_id']}"]]
                    for n, r in enumerate(sheet.records(), start=2)})
    rows = master(workbook, "volunteers")
    later = [rows[f"V-{n:06d}"] for n in (3, 12, 25, 38)]
    add(workbook, offers=[("nl", submission(f"S-late-{n}", row["full_name"], phone=row["phone"], email=row["email"],
                                            postcode=row["postcode"], tasks=("letter",),
                                            profile_ok=row["profile_ok"], consent_partners=row["consent_partners"],
                                            when="2020-04-01T10:00:00+02:00"))
                          for n, row in enumerate(later)])
    return rows, {row["volunteer_id"] for row in later}


def _coordinator(workbook: Workbook, server) -> Workbook:
    return open_local(server.url, token=server.token, spreadsheet_id=workbook.spreadsheet_id, retry=FAST_RETRY)


def _sort(other: Workbook) -> None:
    sheet = other.read([VOLUNTEERS])["volunteers"]
    other.batch_update([{"sortRange": {
        "range": {"sheetId": sheet.sheet_id, "startRowIndex": 1},
        "sortSpecs": [{"dimensionIndex": sheet.positions["full_name"], "sortOrder": "DESCENDING"}]}}])


def _insert(other: Workbook) -> None:
    sheet = other.read([VOLUNTEERS])["volunteers"]
    other.batch_update([{"insertDimension": {"range": {"sheetId": sheet.sheet_id, "dimension": "ROWS",
                                                       "startIndex": index, "endIndex": index + 1}}}
                        for index in (1, 6)])


def _delete(other: Workbook) -> None:
    sheet = other.read([VOLUNTEERS])["volunteers"]
    other.batch_update([{"deleteDimension": {"range": {"sheetId": sheet.sheet_id, "dimension": "ROWS",
                                                       "startIndex": 2, "endIndex": 3}}}])


def _move_column(other: Workbook) -> None:
    """Cut the Notes column and paste it where Tasks was, and Tasks where Notes was."""
    sheet = other.read([VOLUNTEERS])["volunteers"]
    a, b = sheet.positions["notes"], sheet.positions["tasks"]
    grid = [list(sheet.header), *sheet.rows]
    for row in grid:
        row[a], row[b] = row[b], row[a]
    other.write({f"{quote_title(sheet.title)}!A1:{column_letters(len(sheet.header) - 1)}{len(grid)}": grid})


def _edit_note(other: Workbook) -> None:
    sheet = other.read([VOLUNTEERS])["volunteers"]
    number = next(n for n, r in enumerate(sheet.records(), start=2) if r["volunteer_id"] == "V-000012")
    other.write({sheet.cell(number, "notes"): [["note for V-000012, edited during the sync"]]})


def _once(action: Callable[[Workbook], None], other: Workbook) -> Callable[[], None]:
    done = []

    def hook() -> None:
        if not done:
            done.append(True)
            action(other)
    return hook


CHANGES = {"sort": _sort, "insert rows": _insert, "delete a row": _delete, "move a column": _move_column,
           "edit a coordinator cell": _edit_note}


@pytest.mark.parametrize("when", ["before_write", "in_write_window"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_coordinator_changing_the_sheet_during_a_sync_never_shifts_a_value(workbook, server, change, when):
    before, updated = _ready(workbook)
    other = _coordinator(workbook, server)

    result = run_sync(workbook, clock=lambda: fixed_clock().replace(day=21),
                      **{when: _once(CHANGES[change], other)})

    after = master(workbook, "volunteers")
    if change == "delete a row":
        deleted = set(before) - set(after)
        assert len(deleted) == 1
    else:
        assert set(after) == set(before)
    for row_id, row in after.items():
        note = f"note for {row_id}" + (", edited during the sync" if change == "edit a coordinator cell"
                                       and row_id == "V-000012" else "")
        expected = {**before[row_id], "notes": note}
        if row_id in updated:
            expected["tasks"] = list_text(TASK_CHOICES, union_codes(
                TASK_CHOICES, [cell_codes(TASK_CHOICES, before[row_id]["tasks"]), ["letter"]]), "nl")
            assert row["submission_ids"].startswith(before[row_id]["submission_ids"] + ", S-late-")
            assert row["synced_at"] == "2020-03-21 12:00:00"
            had_letter = "letter" in cell_codes(TASK_CHOICES, before[row_id]["tasks"])
            assert row["last_change"].endswith(
                "NL-formulier: niets nieuws" if had_letter else "NL-formulier: taken toegevoegd (Een brief schrijven)")
            expected.update({k: row[k] for k in ("submission_ids", "updated_at", "synced_at", "form_language",
                                                 "last_change")})
        assert row == expected, row_id
    if when == "in_write_window" and change in {"sort", "insert rows", "delete a row", "move a column"}:
        assert result.rewritten_rows > 0  # the write went astray, was detected and put right
    # A later sync finds every system value where it belongs (a deleted person's row comes back).
    again = run_sync(workbook)
    assert (again.changed, again.added) == (0, 1 if change == "delete a row" else 0)
