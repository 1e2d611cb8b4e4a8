"""Putting system values on the right rows while coordinators sort, insert and move things.

The Sheets API addresses cells by position, and positions change whenever a
coordinator sorts, filters, inserts or deletes a row or moves a column. So a
sync never trusts the positions of its first read:

1. Just before writing it re-reads, in one `values:batchGet`, the header row
   and the id column of each master tab, and addresses every cell by the row
   where its id is *now* and the column where its header is *now*. A row that
   disappeared is skipped (the next sync sees it gone).
2. It writes only system cells (never a coordinator's), in one `values:batchUpdate`.
3. It re-reads the header rows and id columns. If anything moved in the short
   moment between steps 1 and 2, the rows involved are written again with the
   values that belong to the id now on them (every system value of every row
   is known), and checked again, a bounded number of times. If a column moved
   in that moment, a cell of a coordinator's column that now holds the very
   value we wrote is given back the value it had when the sync read it.

So a change made between the sync's read and its write is always followed,
and one that slips into the round trip of step 2 is repaired before the sync
ends. The API call count stays constant whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sheets_schema.errors import HelptError
from sheets_schema.fields import SYSTEM
from sheets_schema.workbook import Sheet, Workbook, column_letters, find_columns, quote_title

# Each round costs two API calls; a sheet that keeps moving this often is being rebuilt.
MAX_ROUNDS = 4


class SheetKeptMoving(HelptError):
    """Rows or columns kept moving under the sync's write; it stopped rather than guess."""


@dataclass
class Layout:
    """Where things are right now: each master tab's columns, and the row number of each id."""

    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # tab id -> column id -> 0-based index
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # tab id -> row id -> sheet row number
    headers: dict[str, list[str]] = field(default_factory=dict)  # tab id -> header row texts

    def id_at(self, tab_id: str) -> dict[int, str]:
        return {number: row_id for row_id, number in self.rows[tab_id].items()}


def read_layout(workbook: Workbook, sheets: Mapping[str, Sheet], key_columns: Mapping[str, int]) -> Layout:
    """The header row and the id column of each sheet, in one batchGet.

    `key_columns` says where each tab's id column was last seen; if a
    coordinator moved it since, the header shows where and it is read again.
    """
    for _ in range(MAX_ROUNDS):
        ranges = []
        for tab_id, sheet in sheets.items():
            title = quote_title(sheet.title)
            letter = column_letters(key_columns[tab_id])
            ranges += [f"{title}!1:1", f"{title}!{letter}2:{letter}"]
        grids = workbook.values(ranges)
        layout = Layout()
        moved = {}
        for index, (tab_id, sheet) in enumerate(sheets.items()):
            header, ids = grids[2 * index], grids[2 * index + 1]
            layout.headers[tab_id] = [str(v) for v in header[0]] if header else []
            columns = find_columns(sheet.tab, layout.headers[tab_id])
            key = sheet.tab.key
            assert key is not None
            if key not in columns:
                raise HelptError(f"tab '{sheet.title}' lost its id column while the sync was running; "
                                 "give it back its header and sync again")
            if columns[key] != key_columns[tab_id]:
                moved[tab_id] = columns[key]
            layout.columns[tab_id] = columns
            rows: dict[str, int] = {}
            for offset, cells in enumerate(ids):
                row_id = str(cells[0]).strip() if cells else ""
                if row_id:
                    rows.setdefault(row_id, offset + 2)
            layout.rows[tab_id] = rows
        if not moved:
            return layout
        key_columns = {**key_columns, **moved}
    raise SheetKeptMoving("the id columns kept moving while the sync read them; sync again in a moment")


def _ranges(sheets: Mapping[str, Sheet], layout: Layout,
            cells: Mapping[str, Mapping[str, Mapping[str, str]]]
            ) -> tuple[dict[str, list[list[str]]], dict[str, dict[str, int]]]:
    """A1 ranges for `cells` (tab -> row id -> column -> value), one per run of adjacent cells in a row.

    Returns the ranges and, per tab, the row number each written id was addressed at.
    """
    ranges: dict[str, list[list[str]]] = {}
    addressed: dict[str, dict[str, int]] = {}
    for tab_id, by_row in cells.items():
        title = quote_title(sheets[tab_id].title)
        columns = layout.columns[tab_id]
        rows = layout.rows[tab_id]
        addressed[tab_id] = {}
        for row_id, values in by_row.items():
            number = rows.get(row_id)
            if number is None:
                continue  # deleted by a coordinator since the read
            addressed[tab_id][row_id] = number
            placed = sorted((columns[c], v) for c, v in values.items() if c in columns)
            run: list[tuple[int, str]] = []
            for index, value in placed + [(-2, "")]:
                if run and index != run[-1][0] + 1:
                    start, end = column_letters(run[0][0]), column_letters(run[-1][0])
                    ranges[f"{title}!{start}{number}:{end}{number}"] = [[v for _, v in run]]
                    run = []
                run.append((index, value))
    return ranges, addressed


@dataclass
class Placement:
    """How the write went: rounds used, and rows written again because something moved."""

    rounds: int = 0
    rewritten_rows: int = 0


def place(workbook: Workbook, sheets: Mapping[str, Sheet],
          changes: Mapping[str, Mapping[str, Mapping[str, str]]],
          desired: Mapping[str, Mapping[str, Mapping[str, str]]],
          also: Mapping[str, list[list[str]]] | None = None,
          before_write: Callable[[], None] | None = None) -> Placement:
    """Write `changes` (tab -> row id -> system column -> value) on the rows holding those ids.

    `desired` holds every system value of every row, to repair any row a
    moving sheet made us write to by mistake. `also` are ranges that belong
    to no row (the Stats tab), written with the first round. `before_write`
    runs between the check and the write (tests move rows there).
    """
    result = Placement()
    keys = {tab_id: sheet.positions[sheet.tab.key] for tab_id, sheet in sheets.items()  # type: ignore[index]
            if sheet.tab.key}
    layout = read_layout(workbook, sheets, keys)
    pending = {tab_id: dict(rows) for tab_id, rows in changes.items() if rows}
    extra = dict(also or {})
    while pending or extra:
        if result.rounds == MAX_ROUNDS:
            raise SheetKeptMoving("rows kept moving while the sync wrote; sync again in a moment")
        result.rounds += 1
        ranges, addressed = _ranges(sheets, layout, pending)
        if before_write is not None:
            before_write()
        workbook.write({**ranges, **extra})
        extra = {}
        if not ranges:
            break
        after = read_layout(workbook, sheets, {t: layout.columns[t][sheets[t].tab.key] for t in keys})  # type: ignore[index]
        extra = _stray_cells(workbook, sheets, addressed, pending, layout, after)
        pending = _misplaced(addressed, pending, layout, after, desired)
        result.rewritten_rows += sum(len(rows) for rows in pending.values())
        layout = after
    return result


def _misplaced(addressed: Mapping[str, Mapping[str, int]], written: Mapping[str, Mapping[str, Mapping[str, str]]],
               before: Layout, after: Layout,
               desired: Mapping[str, Mapping[str, Mapping[str, str]]]) -> dict[str, dict[str, dict[str, str]]]:
    """Rows to write again: where the id or a written column is no longer where it was addressed.

    Both the row we meant and the row that now sits where we wrote get their
    own full system values back.
    """
    again: dict[str, dict[str, dict[str, str]]] = {}
    for tab_id, rows in addressed.items():
        columns_moved = any(before.columns[tab_id].get(c) != after.columns[tab_id].get(c)
                            for values in written[tab_id].values() for c in values)
        id_at = after.id_at(tab_id)
        for row_id, number in rows.items():
            if not columns_moved and after.rows[tab_id].get(row_id) == number:
                continue
            for affected in (row_id, id_at.get(number)):
                if affected and affected in desired[tab_id] and affected in after.rows[tab_id]:
                    again.setdefault(tab_id, {})[affected] = dict(desired[tab_id][affected])
    return again


def _stray_cells(workbook: Workbook, sheets: Mapping[str, Sheet], addressed: Mapping[str, Mapping[str, int]],
                 written: Mapping[str, Mapping[str, Mapping[str, str]]], before: Layout,
                 after: Layout) -> dict[str, list[list[str]]]:
    """Cells outside the system columns that our write hit because a column moved meanwhile, as they were read.

    Only a cell that still holds exactly what we wrote is put back: if the
    column moved after our write, that cell holds someone else's value, and
    stays. One batchGet, only when a header changed.
    """
    suspects: list[tuple[str, int, int, str]] = []
    for tab_id, rows in addressed.items():
        if before.headers[tab_id] == after.headers[tab_id]:
            continue
        sheet = sheets[tab_id]
        system = {c.id for c in sheet.tab.columns if c.owner == SYSTEM}
        system_at = {index for column, index in after.columns[tab_id].items() if column in system}
        for row_id, number in rows.items():
            for column, value in written[tab_id][row_id].items():
                index = before.columns[tab_id].get(column)
                if index is not None and index not in system_at:
                    suspects.append((tab_id, number, index, value))
    if not suspects:
        return {}
    cells = [f"{quote_title(sheets[t].title)}!{column_letters(i)}{n}" for t, n, i, _ in suspects]
    found = workbook.values(cells)
    restored = {}
    for (tab_id, number, index, value), a1, grid in zip(suspects, cells, found):
        if (str(grid[0][0]) if grid and grid[0] else "") != value:
            continue
        header = after.headers[tab_id]
        restored[a1] = [[_as_read(sheets[tab_id], after.id_at(tab_id).get(number, ""),
                                  header[index] if index < len(header) else "")]]
    return restored


def _as_read(sheet: Sheet, row_id: str, header_text: str) -> str:
    """The cell of row `row_id` under `header_text` as the sync read it ("" if it had none)."""
    if header_text not in sheet.header:
        return ""
    column = sheet.header.index(header_text)
    key = sheet.positions[sheet.tab.key]  # type: ignore[index]
    for row in sheet.rows:
        if row[key].strip() == row_id:
            return row[column]
    return ""
