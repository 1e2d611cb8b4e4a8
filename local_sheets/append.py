"""values:append — find the table in the range as Google does and write after it."""

from __future__ import annotations

from typing import Any

from . import grid, limits
from .store import Sheet, Spreadsheet
from .values import Box, _as_rows, _check_values, _include_values, _input_option, resolve, write


def _filled(row: list[Any], c: int) -> bool:
    return c < len(row) and row[c] is not None


def find_table(sheet: Sheet, box: Box) -> Box | None:
    """The table Google would append to: start from the last row holding data in the
    range, take the last run of filled cells in it, and grow it upward through the
    rows connected to it (widening when a row above spans more columns)."""
    rows = sheet.rows
    last = min(box.row1, len(rows)) - 1
    while last >= box.row0 and not any(_filled(rows[last], c) for c in range(box.col0, min(box.col1, len(rows[last])))):
        last -= 1
    if last < box.row0:
        return None
    row = rows[last]
    c_end = min(box.col1, len(row)) - 1
    while not _filled(row, c_end):
        c_end -= 1
    c_start = c_end
    while c_start - 1 >= box.col0 and _filled(row, c_start - 1):
        c_start -= 1
    top = last
    while top - 1 >= box.row0:
        above = rows[top - 1]
        if not any(_filled(above, c) for c in range(c_start, c_end + 1)):
            break
        top -= 1
        if _filled(above, c_start):
            while c_start - 1 >= box.col0 and _filled(above, c_start - 1):
                c_start -= 1
        if _filled(above, c_end):
            while c_end + 1 < box.col1 and _filled(above, c_end + 1):
                c_end += 1
    return Box(sheet, top, last + 1, c_start, c_end + 1)


def append(ss: Spreadsheet, text: str, body: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    user_entered = _input_option(params)
    rows = _as_rows(_check_values(body.get("values")), body.get("majorDimension") or "ROWS")
    box, _ = resolve(ss, text)
    sheet = box.sheet
    table = find_table(sheet, box)
    start_row = table.row1 if table else box.row0
    start_col = table.col0 if table else box.col0
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    # Before the grid grows: a range far down the sheet must be refused, not allocated.
    limits.check_growth(ss, sheet, max(sheet.row_count, start_row) + height, max(sheet.col_count, start_col + width))
    if params.get("insertDataOption") == "INSERT_ROWS":
        grid.insert_rows(sheet, min(start_row, sheet.row_count), height)
    elif start_row + height > sheet.row_count:
        sheet.grid["rowCount"] = start_row + height  # append grows the grid
    if start_col + width > sheet.col_count:
        sheet.grid["columnCount"] = start_col + width
    target = Box(sheet, start_row, start_row + height, start_col, start_col + width)
    updates = {"spreadsheetId": ss.id, **write(target, _open_span(), rows, user_entered)}
    _include_values(updates, target, rows, params)
    result: dict[str, Any] = {"spreadsheetId": ss.id}
    if table:
        result["tableRange"] = table.a1()
    result["updates"] = updates
    return result


def _open_span():
    from .a1 import Span

    return Span(0, None, 0, None)
