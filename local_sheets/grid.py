"""Structural changes to a sheet's grid: insert/delete rows and columns, sort."""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any

from .cells import plain
from .errors import bad_request
from .store import Sheet


def insert_rows(sheet: Sheet, start: int, count: int) -> None:
    if start > sheet.row_count:
        raise bad_request(f"range.startIndex ({start}) must be <= the sheet's row count ({sheet.row_count})")
    if start < len(sheet.rows):
        sheet.rows[start:start] = [[] for _ in range(count)]
        sheet.restructure()
    sheet.grid["rowCount"] = sheet.row_count + count


def delete_rows(sheet: Sheet, start: int, end: int) -> None:
    end = min(end, sheet.row_count)
    if end - start >= sheet.row_count:
        raise bad_request("You can't delete all the rows on the sheet.")
    if start < len(sheet.rows):
        del sheet.rows[start:end]
        sheet.restructure()
    sheet.grid["rowCount"] = sheet.row_count - (end - start)


def insert_cols(sheet: Sheet, start: int, count: int) -> None:
    for row in sheet.rows:
        if start < len(row):
            row[start:start] = [None] * count
    sheet.restructure()
    sheet.grid["columnCount"] = sheet.col_count + count


def delete_cols(sheet: Sheet, start: int, end: int) -> None:
    end = min(end, sheet.col_count)
    if end - start >= sheet.col_count:
        raise bad_request("You can't delete all the columns on the sheet.")
    for row in sheet.rows:
        del row[start:end]
    sheet.restructure()
    sheet.grid["columnCount"] = sheet.col_count - (end - start)


def move(sheet: Sheet, rows: bool, start: int, end: int, destination: int) -> None:
    """moveDimension's cells: the block [start, end) lands at destination (counted before it is taken out)."""
    target = destination - (end - start) if destination > end else destination

    def shuffle(items: list[Any], filler: Any) -> None:
        while len(items) < max(end, destination):
            items.append(filler())
        block = items[start:end]
        del items[start:end]
        items[target:target] = block

    if rows:
        shuffle(sheet.rows, list)
    else:
        for row in sheet.rows:
            if len(row) > min(start, destination):
                shuffle(row, lambda: None)
                while row and row[-1] is None:
                    row.pop()
    while sheet.rows and not sheet.rows[-1]:
        sheet.rows.pop()
    sheet.restructure()


def resize(sheet: Sheet, rows: int | None, cols: int | None) -> None:
    """Shrinking the grid drops the cells outside it, as Google does."""
    if rows is not None and rows < len(sheet.rows):
        del sheet.rows[rows:]
        sheet.restructure()
    if cols is not None:
        for i, row in enumerate(sheet.rows):
            if len(row) > cols:
                del row[cols:]
                sheet.dirty_rows.add(i)


def _sort_key(cell: Any) -> tuple[int, Any]:
    # Google orders numbers before text before booleans, and empty cells last.
    value = plain(cell)
    if value is None or value == "":
        return (3, 0)
    if isinstance(value, bool):
        return (2, value)
    if isinstance(value, (int, float)):
        return (0, value)
    return (1, str(value).lower())


def sort_range(sheet: Sheet, rng: dict[str, Any], specs: list[dict[str, Any]]) -> None:
    r0, r1 = rng.get("startRowIndex", 0), min(rng.get("endRowIndex", sheet.row_count), sheet.row_count)
    c0, c1 = rng.get("startColumnIndex", 0), rng.get("endColumnIndex", sheet.col_count)
    while len(sheet.rows) < r1:
        sheet.rows.append([])
    block = [(row + [None] * (c1 - len(row)))[c0:c1] for row in sheet.rows[r0:r1]]

    def compare(a: list[Any], b: list[Any]) -> int:
        for spec in specs:
            i = spec.get("dimensionIndex", 0) - c0
            ka, kb = _sort_key(a[i]), _sort_key(b[i])
            if ka == kb:
                continue
            if ka[0] == 3 or kb[0] == 3:  # empties stay last whatever the order
                return 1 if ka[0] == 3 else -1
            result = -1 if ka < kb else 1
            return -result if spec.get("sortOrder") == "DESCENDING" else result
        return 0

    block.sort(key=cmp_to_key(compare))
    for offset, values in enumerate(block):
        for j, value in enumerate(values):
            sheet.set_cell(r0 + offset, c0 + j, value)
    # Trim padding that set_cell may have left as trailing Nones.
    for r in range(r0, r1):
        row = sheet.rows[r]
        while row and row[-1] is None:
            row.pop()
