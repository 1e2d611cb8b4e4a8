"""spreadsheets.get with grid data: `includeGridData`, `ranges` and field masks such as
`sheets.data.rowData.values.note`, answered in Google's GridData shape."""

from __future__ import annotations

import copy
from typing import Any

from werkzeug.datastructures import MultiDict

from . import limits, masks
from .cell_requests import extended_value, notes_of, user_format
from .cells import display
from .colours import colour
from .features import dimension_metadata
from .resources import spreadsheet_resource
from .store import Sheet, Spreadsheet
from .targets import contains, overlaps
from .values import resolve


def spreadsheet_get(ss: Spreadsheet, params: MultiDict[str, str]) -> dict[str, Any]:
    """The spreadsheet resource as spreadsheets.get answers for these query parameters.

    A field mask decides alone whether grid data is included (Google ignores
    includeGridData then). `ranges` limit the answer to the sheets they name,
    with one GridData per range.
    """
    fields = params.get("fields")
    tree = masks.parse(fields) if fields else None
    if tree is not None:
        with_data = masks.names(tree, "sheets.data")
    else:
        with_data = str(params.get("includeGridData", "")).lower() == "true"
    resource = spreadsheet_resource(ss)
    ranges = params.getlist("ranges")
    if ranges:
        wanted: dict[int, list[tuple[int, int, int, int]]] = {}
        for text in ranges:
            box, _ = resolve(ss, text)
            wanted.setdefault(box.sheet.sheet_id, []).append((box.row0, box.row1, box.col0, box.col1))
        resource["sheets"] = [s for s in resource["sheets"] if s["properties"]["sheetId"] in wanted]
    if with_data:
        cells = sum((b[1] - b[0]) * (b[3] - b[2]) for boxes in wanted.values() for b in boxes) if ranges else \
            sum(s.row_count * s.col_count for s in ss.sheets
                if any(e["properties"]["sheetId"] == s.sheet_id for e in resource["sheets"]))
        limits.check_grid_data(cells)
        for entry in resource["sheets"]:
            sheet = ss.sheet_by_id(entry["properties"]["sheetId"])
            assert sheet is not None
            boxes = wanted[sheet.sheet_id] if ranges else [(0, sheet.row_count, 0, sheet.col_count)]
            default = ss.properties.get("defaultFormat") or {}
            entry["data"] = [grid_data(sheet, *b, default) for b in boxes]
    if tree is None:
        return resource
    selected = masks.select(resource, tree)
    for entry in selected.get("sheets", []):
        for data in entry.get("data", []):
            _trim(data)
    return selected


def _trim(data: dict[str, Any]) -> None:
    """After a mask, cells left empty at the end of a row, and rows at the end, go, as in Google's answers."""
    rows = data.get("rowData")
    if rows is None:
        return
    for row in rows:
        values = row.get("values")
        if values is not None:
            while values and not values[-1]:
                values.pop()
            if not values:
                del row["values"]
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        del data["rowData"]


def grid_data(sheet: Sheet, r0: int, r1: int, c0: int, c1: int, default_format: dict[str, Any]) -> dict[str, Any]:
    area = {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    formats = [e for e in sheet.extras.get("formats", []) if overlaps(e["range"], area)]
    notes = {k: v for k, v in notes_of(sheet).items() if r0 <= k[0] < r1 and c0 <= k[1] < c1}
    rules = [v for v in sheet.extras.get("dataValidation", []) if overlaps(v["range"], area) and v.get("rule")]
    last = max([len(sheet.rows), *(r + 1 for r, _ in notes),
                *(e["range"].get("endRowIndex", r1) for e in [*formats, *rules])])
    rows = []
    for r in range(r0, min(r1, last)):
        values = [_cell_data(sheet.get_cell(r, c), user_format(sheet, r, c, formats) if formats else {},
                             notes.get((r, c)), default_format, _rule_at(rules, r, c)) for c in range(c0, c1)]
        while values and not values[-1]:
            values.pop()
        rows.append({"values": values} if values else {})
    while rows and not rows[-1]:
        rows.pop()
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    if rows:
        data["rowData"] = rows
    data["rowMetadata"] = dimension_metadata(sheet, True, r0, r1)
    data["columnMetadata"] = dimension_metadata(sheet, False, c0, c1)
    return data


def _rule_at(rules: list[dict[str, Any]], r: int, c: int) -> dict[str, Any] | None:
    """The data validation a cell has: the last one set over it (a later setDataValidation replaces it)."""
    return next((v["rule"] for v in reversed(rules) if contains(v["range"], r, c)), None)


def _cell_data(cell: Any, fmt: dict[str, Any], note: str | None, default_format: dict[str, Any],
               rule: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cell is not None:
        out["userEnteredValue"] = extended_value(cell)
        out["effectiveValue"] = extended_value(cell, effective=True)
        out["formattedValue"] = display(cell)
    if fmt:
        out["userEnteredFormat"] = _styled(fmt)
    if cell is not None or fmt:
        out["effectiveFormat"] = _merged(default_format, out.get("userEnteredFormat", {}))
    if note:
        out["note"] = note
    if rule:
        out["dataValidation"] = copy.deepcopy(rule)
    return out


def _styled(fmt: dict[str, Any]) -> dict[str, Any]:
    """Google answers every colour twice, as `xColor` and `xColorStyle.rgbColor`, at 8 bits a component."""
    out: dict[str, Any] = {}
    for key, value in fmt.items():
        if (key.endswith("Color") or key == "color") and isinstance(value, dict):
            out[key] = colour(value)
            out[key + "Style"] = {"rgbColor": colour(value)}
        elif (key.endswith("ColorStyle") or key == "colorStyle") and isinstance(value, dict):
            if "rgbColor" in value:
                out[key[: -len("Style")]] = colour(value["rgbColor"])
                out[key] = {"rgbColor": colour(value["rgbColor"])}
            else:
                out[key] = copy.deepcopy(value)
        elif isinstance(value, dict):
            out[key] = _styled(value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
