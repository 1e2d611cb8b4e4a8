"""batchUpdate requests on cells: updateCells, repeatCell, copyPaste, cutPaste, mergeCells.

A cell holds a value (in the sheet's rows), a note (in the sheet's notes) and a
format. Formats are kept as an ordered list of (range, format, field mask)
entries, as requests set them: a format set on a whole column stays one entry
instead of a thousand, and moves with inserted rows like any other range.
"""

from __future__ import annotations

import copy
import functools
from typing import Any, Iterator

from . import limits, masks
from .cells import evaluate
from .errors import bad_request
from .store import Sheet, Spreadsheet
from .targets import box, contains, echoed, overlaps, sheet_of

# --- notes -----------------------------------------------------------------------

def notes_of(sheet: Sheet) -> dict[tuple[int, int], str]:
    return {(r, c): text for r, c, text in sheet.extras.get("notes", [])}


def _set_notes(sheet: Sheet, notes: dict[tuple[int, int], str]) -> None:
    if notes:
        sheet.extras["notes"] = [[r, c, text] for (r, c), text in sorted(notes.items())]
    else:
        sheet.extras.pop("notes", None)


# --- values in CellData form -----------------------------------------------------

def stored_value(user_entered: Any) -> Any:
    """An ExtendedValue ({"stringValue": ...}) -> stored cell."""
    if not isinstance(user_entered, dict) or not user_entered:
        return None
    if "formulaValue" in user_entered:
        return {"f": limits.check_cell_text(str(user_entered["formulaValue"]))}
    if "numberValue" in user_entered:
        number = user_entered["numberValue"]
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise bad_request(f"Invalid value at 'numberValue' (TYPE_DOUBLE), {str(number)[:40]}")
        return number
    if "boolValue" in user_entered:
        return bool(user_entered["boolValue"])
    text = user_entered.get("stringValue")
    return limits.check_cell_text(str(text)) if text not in (None, "") else None


def extended_value(cell: Any, *, effective: bool = False) -> dict[str, Any] | None:
    """Stored cell -> ExtendedValue; the effective value of a formula is its result where we can compute it."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return {"boolValue": cell}
    if isinstance(cell, (int, float)):
        return {"numberValue": cell}
    if isinstance(cell, str):
        return {"stringValue": cell}
    if "f" in cell:
        if not effective:
            return {"formulaValue": cell["f"]}
        result = evaluate(cell["f"])
        return {"numberValue": result} if result is not None else {"stringValue": cell["f"]}
    return {"numberValue": cell["v"]}


# --- formats ---------------------------------------------------------------------

def user_format(sheet: Sheet, r: int, c: int, entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The userEnteredFormat of one cell: every format entry over it, applied in order."""
    holder: dict[str, Any] = {}
    for entry in sheet.extras.get("formats", []) if entries is None else entries:
        if contains(entry["range"], r, c):
            masks.assign(holder, {"userEnteredFormat": entry["format"]}, _format_mask(entry["fields"]))
    return holder.get("userEnteredFormat", {})


@functools.lru_cache(maxsize=256)
def _format_mask(fields: str | None) -> masks.Tree:
    """The userEnteredFormat part of a CellData mask.

    Cached: grid data reads it for every cell; callers never change it.
    """
    return _format_mask_of(masks.parse(fields) if fields else masks.EVERYTHING)


def _format_mask_of(tree: masks.Tree) -> masks.Tree:
    if "*" in tree:
        return {"userEnteredFormat": {}}
    return {"userEnteredFormat": tree["userEnteredFormat"]} if "userEnteredFormat" in tree else {}


def _add_format(sheet: Sheet, rng: dict[str, Any], fmt: dict[str, Any], fields: str) -> None:
    sheet.extras.setdefault("formats", []).append({"range": rng, "format": copy.deepcopy(fmt), "fields": fields})


# --- requests --------------------------------------------------------------------

def _cells(r0: int, r1: int, c0: int, c1: int) -> Iterator[tuple[int, int]]:
    for r in range(r0, r1):
        for c in range(c0, c1):
            yield r, c


def _write(sheet: Sheet, r: int, c: int, data: dict[str, Any], tree: masks.Tree,
           notes: dict[tuple[int, int], str]) -> None:
    """Set the masked parts of one cell from CellData (a masked part missing from data is cleared)."""
    everything = "*" in tree
    if everything or "userEnteredValue" in tree:
        sheet.set_cell(r, c, stored_value(data.get("userEnteredValue")))
    if everything or "note" in tree:
        note = data.get("note")
        if note:
            notes[(r, c)] = str(note)
        else:
            notes.pop((r, c), None)


def _clear(sheet: Sheet, r0: int, r1: int, c0: int, c1: int, tree: masks.Tree,
           keep: tuple[int, int] | None = None) -> None:
    """Clear the masked parts of an area, visiting only the cells that hold something."""
    everything = "*" in tree
    if everything or "userEnteredValue" in tree:
        for r in range(r0, min(r1, len(sheet.rows))):
            for c in range(c0, min(c1, len(sheet.rows[r]))):
                if sheet.rows[r][c] is not None and (r, c) != keep:
                    sheet.set_cell(r, c, None)
    if everything or "note" in tree:
        _set_notes(sheet, {k: v for k, v in notes_of(sheet).items()
                           if not (r0 <= k[0] < r1 and c0 <= k[1] < c1) or k == keep})
    if _format_mask_of(tree):
        _add_format(sheet, {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1},
                    {}, "userEnteredFormat")


def update_cells(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """Set the masked fields of each cell from `rows`; with a `range`, the masked fields of
    the range's other cells are cleared, as Google documents."""
    rows = req.get("rows") or []
    fields = req.get("fields")
    if not fields:
        raise bad_request("At least one field must be updated, but none was specified in 'fields'.")
    tree = masks.parse(fields)
    if "range" in req:
        sheet = sheet_of(ss, (req["range"] or {}).get("sheetId"))
        r0, r1, c0, c1 = box(sheet, req["range"] or {})
        _clear(sheet, r0, r1, c0, c1, tree)
    else:
        start = req.get("start") or {}
        sheet = sheet_of(ss, start.get("sheetId"))
        r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
        r1 = r0 + len(rows)
        c1 = c0 + max((len(row.get("values") or []) for row in rows), default=0)
        box(sheet, {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1})
    notes = notes_of(sheet)
    format_mask = _format_mask_of(tree)
    for i, row in enumerate(rows[: r1 - r0]):
        for j, data in enumerate((row.get("values") or [])[: c1 - c0]):
            _write(sheet, r0 + i, c0 + j, data, tree, notes)
            if format_mask:
                r, c = r0 + i, c0 + j
                _add_format(sheet, {"startRowIndex": r, "endRowIndex": r + 1, "startColumnIndex": c,
                                    "endColumnIndex": c + 1}, data.get("userEnteredFormat") or {}, fields)
    _set_notes(sheet, notes)
    return {}


def append_cells(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """Write `rows` below the last row holding a value, growing the grid as Google does."""
    rows = req.get("rows") or []
    fields = req.get("fields")
    if not fields:
        raise bad_request("At least one field must be updated, but none was specified in 'fields'.")
    tree = masks.parse(fields)
    sheet = sheet_of(ss, req.get("sheetId"))
    r0 = next((r + 1 for r in range(len(sheet.rows) - 1, -1, -1) if any(v is not None for v in sheet.rows[r])), 0)
    width = max((len(row.get("values") or []) for row in rows), default=0)
    limits.check_growth(ss, sheet, max(sheet.row_count, r0 + len(rows)), max(sheet.col_count, width))
    limits.check_edit(len(rows) * width)
    sheet.grid["rowCount"] = max(sheet.row_count, r0 + len(rows))
    sheet.grid["columnCount"] = max(sheet.col_count, width)
    notes = notes_of(sheet)
    for i, row in enumerate(rows):
        for j, data in enumerate(row.get("values") or []):
            _write(sheet, r0 + i, j, data, tree, notes)
    _set_notes(sheet, notes)
    return {}


def repeat_cell(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rng = req.get("range") or {}
    sheet = sheet_of(ss, rng.get("sheetId"))
    cell = req.get("cell") or {}
    fields = req.get("fields") or ""
    tree = masks.parse(fields)
    r0, r1, c0, c1 = box(sheet, rng)
    for part in ("userEnteredValue", "note"):
        if "*" not in tree and part not in tree:
            continue
        if cell.get(part):
            limits.check_edit((r1 - r0) * (c1 - c0))
            notes = notes_of(sheet)
            for r, c in _cells(r0, r1, c0, c1):
                _write(sheet, r, c, cell, {part: {}}, notes)
            _set_notes(sheet, notes)
        else:
            _clear(sheet, r0, r1, c0, c1, {part: {}})
    if _format_mask(fields):
        _add_format(sheet, echoed(rng), cell.get("userEnteredFormat") or {}, fields)
    return {}


def _paste(ss: Spreadsheet, source: dict[str, Any], sheet: Sheet, to_row: int, to_col: int,
           rows: int, cols: int, paste_type: str, transpose: bool, cut: bool) -> None:
    """Copy the source block to (to_row, to_col), repeated to fill rows x cols where the source fits whole."""
    if paste_type not in ("PASTE_NORMAL", "PASTE_VALUES", "PASTE_FORMAT", "PASTE_NO_BORDERS", "PASTE_FORMULA",
                          "PASTE_DATA_VALIDATION", "PASTE_CONDITIONAL_FORMATTING"):
        raise bad_request(f"Invalid value at 'paste_type', \"{str(paste_type)[:40]}\"")
    from_sheet = sheet_of(ss, source.get("sheetId"))
    r0, r1, c0, c1 = box(from_sheet, source)
    height, width = (c1 - c0, r1 - r0) if transpose else (r1 - r0, c1 - c0)
    if not height or not width:
        return
    reps_r = rows // height if rows % height == 0 and rows > height else 1
    reps_c = cols // width if cols % width == 0 and cols > width else 1
    box(sheet, {"startRowIndex": to_row, "endRowIndex": to_row + height * reps_r,
                "startColumnIndex": to_col, "endColumnIndex": to_col + width * reps_c})
    limits.check_edit(height * width * reps_r * reps_c)
    values = {(r, c): row[c] for r, row in enumerate(from_sheet.rows[r0:r1], r0) for c in range(c0, min(c1, len(row)))
              if row[c] is not None}
    from_notes = {k: v for k, v in notes_of(from_sheet).items() if r0 <= k[0] < r1 and c0 <= k[1] < c1}
    area = {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    formats = [e for e in from_sheet.extras.get("formats", []) if overlaps(e["range"], area)]
    if cut:
        _clear(from_sheet, r0, r1, c0, c1, masks.EVERYTHING)
    with_values = paste_type in ("PASTE_NORMAL", "PASTE_VALUES", "PASTE_NO_BORDERS", "PASTE_FORMULA")
    with_notes = paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS")
    with_formats = paste_type in ("PASTE_NORMAL", "PASTE_NO_BORDERS", "PASTE_FORMAT")

    def moved(r: int, c: int, top: int, left: int) -> tuple[int, int]:
        i, j = (c - c0, r - r0) if transpose else (r - r0, c - c0)
        return top + i, left + j

    wanted: masks.Tree = {}  # what the paste replaces in the destination
    if with_values:
        wanted["userEnteredValue"] = {}
        if paste_type == "PASTE_VALUES":  # a formula pastes as its result
            values = {k: stored_value(extended_value(v, effective=True)) if isinstance(v, dict) and "f" in v else v
                      for k, v in values.items()}
    if with_notes:
        wanted["note"] = {}
    if with_formats:
        wanted["userEnteredFormat"] = {}
    _clear(sheet, to_row, to_row + height * reps_r, to_col, to_col + width * reps_c, wanted)
    notes = notes_of(sheet)
    for tile_r in range(reps_r):
        for tile_c in range(reps_c):
            top, left = to_row + tile_r * height, to_col + tile_c * width
            if with_values:
                for (r, c), value in values.items():
                    sheet.set_cell(*moved(r, c, top, left), value)
            if with_notes:
                notes.update({moved(r, c, top, left): text for (r, c), text in from_notes.items()})
            for entry in formats if with_formats else []:
                rng = entry["range"]
                a0, a1 = max(rng.get("startRowIndex", 0), r0), min(rng.get("endRowIndex", r1), r1)
                b0, b1 = max(rng.get("startColumnIndex", 0), c0), min(rng.get("endColumnIndex", c1), c1)
                (p0, q0), (p1, q1) = moved(a0, b0, top, left), moved(a1 - 1, b1 - 1, top, left)
                _add_format(sheet, {"startRowIndex": p0, "endRowIndex": p1 + 1, "startColumnIndex": q0,
                                    "endColumnIndex": q1 + 1}, entry["format"], entry["fields"])
    _set_notes(sheet, notes)


def copy_paste(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    destination = req.get("destination") or {}
    sheet = sheet_of(ss, destination.get("sheetId"))
    r0, r1, c0, c1 = box(sheet, destination)
    _paste(ss, req.get("source") or {}, sheet, r0, c0, r1 - r0, c1 - c0, req.get("pasteType") or "PASTE_NORMAL",
           req.get("pasteOrientation") == "TRANSPOSE", cut=False)
    return {}


def cut_paste(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    destination = req.get("destination") or {}
    sheet = sheet_of(ss, destination.get("sheetId"))
    _paste(ss, req.get("source") or {}, sheet, destination.get("rowIndex", 0), destination.get("columnIndex", 0),
           0, 0, req.get("pasteType") or "PASTE_NORMAL", False, cut=True)
    return {}


def merge_cells(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """MERGE_ALL makes one merge, MERGE_COLUMNS one per column, MERGE_ROWS one per row.

    As in Google, a merge keeps only its top-left value, and replaces the merges it overlaps.
    """
    rng = req.get("range") or {}
    sheet = sheet_of(ss, rng.get("sheetId"))
    r0, r1, c0, c1 = box(sheet, rng)
    kind = req.get("mergeType") or "MERGE_ALL"
    limits.check_edit(c1 - c0 if kind == "MERGE_COLUMNS" else r1 - r0 if kind == "MERGE_ROWS" else 1)
    if kind == "MERGE_ALL":
        blocks = [(r0, r1, c0, c1)]
    elif kind == "MERGE_COLUMNS":
        blocks = [(r0, r1, c, c + 1) for c in range(c0, c1)]
    elif kind == "MERGE_ROWS":
        blocks = [(r, r + 1, c0, c1) for r in range(r0, r1)]
    else:
        raise bad_request(f"Invalid value at 'merge_type', \"{str(kind)[:40]}\"")
    merges = [m for m in sheet.extras.get("merges", []) if not overlaps(m, rng)]
    for b0, b1, d0, d1 in blocks:
        if (b1 - b0) * (d1 - d0) < 2:
            continue
        _clear(sheet, b0, b1, d0, d1, {"userEnteredValue": {}}, keep=(b0, d0))
        merges.append(echoed({"sheetId": rng.get("sheetId"), "startRowIndex": b0, "endRowIndex": b1,
                              "startColumnIndex": d0, "endColumnIndex": d1}))
    sheet.extras["merges"] = merges
    return {}


def unmerge_cells(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rng = req.get("range") or {}
    sheet = sheet_of(ss, rng.get("sheetId"))
    sheet.extras["merges"] = [m for m in sheet.extras.get("merges", []) if not overlaps(m, rng)]
    return {}
