"""The sheet and cells a batchUpdate request names, checked as Google checks them."""

from __future__ import annotations

from typing import Any

from . import limits
from .errors import bad_request
from .store import Sheet, Spreadsheet


def sheet_of(ss: Spreadsheet, sheet_id: Any) -> Sheet:
    sheet = ss.sheet_by_id(limits.whole_number(sheet_id or 0, "sheet_id"))
    if sheet is None:
        raise bad_request(f"No grid with id: {sheet_id or 0}")
    return sheet


def echoed(rng: dict[str, Any]) -> dict[str, Any]:
    """A GridRange as Google echoes it: sheetId 0 is a default and is left out."""
    out = {k: v for k, v in rng.items() if v is not None}
    if not out.get("sheetId"):
        out.pop("sheetId", None)
    return out


def dimension_range(ss: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, bool, int, int]:
    """A DimensionRange as (sheet, rows?, start, end); an open end is the grid's edge."""
    sheet = sheet_of(ss, rng.get("sheetId"))
    if rng.get("dimension") not in ("ROWS", "COLUMNS"):
        raise bad_request("Invalid range.dimension: ROWS or COLUMNS.")
    rows = rng["dimension"] == "ROWS"
    limit = sheet.row_count if rows else sheet.col_count
    start = limits.whole_number(rng.get("startIndex", 0), "range.start_index")
    end = limits.whole_number(rng.get("endIndex", limit), "range.end_index")
    if not 0 <= start < end:
        raise bad_request(f"Invalid range: startIndex ({start}) must be less than endIndex ({end}) and not negative.")
    return sheet, rows, start, end


def box(sheet: Sheet, rng: dict[str, Any]) -> tuple[int, int, int, int]:
    """A GridRange as (row0, row1, col0, col1), open ends closed at the grid's edge."""
    r0 = limits.whole_number(rng.get("startRowIndex", 0), "range.start_row_index")
    r1 = limits.whole_number(rng.get("endRowIndex", sheet.row_count), "range.end_row_index")
    c0 = limits.whole_number(rng.get("startColumnIndex", 0), "range.start_column_index")
    c1 = limits.whole_number(rng.get("endColumnIndex", sheet.col_count), "range.end_column_index")
    if not (0 <= r0 <= r1 <= sheet.row_count and 0 <= c0 <= c1 <= sheet.col_count):
        raise bad_request(f"Range ({r0}:{r1}, {c0}:{c1}) exceeds grid limits. Max rows: {sheet.row_count}, "
                          f"max columns: {sheet.col_count}")
    return r0, r1, c0, c1


def contains(rng: dict[str, Any], r: int | None, c: int) -> bool:
    """Whether a GridRange holds cell (r, c); a missing bound is open; r None means any row."""
    rows_ok = r is None or rng.get("startRowIndex", 0) <= r < rng.get("endRowIndex", 1 << 31)
    return rows_ok and rng.get("startColumnIndex", 0) <= c < rng.get("endColumnIndex", 1 << 31)


def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    def span(r: dict[str, Any], key: str) -> tuple[int, float]:
        return r.get(f"start{key}Index", 0), r.get(f"end{key}Index", float("inf"))

    (ar0, ar1), (br0, br1) = span(a, "Row"), span(b, "Row")
    (ac0, ac1), (bc0, bc1) = span(a, "Column"), span(b, "Column")
    return ar0 < br1 and br0 < ar1 and ac0 < bc1 and bc0 < ac1
