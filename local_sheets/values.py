"""The spreadsheets.values endpoints: get, update, append, clear and their batch forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import a1
from .cells import CellValueError, from_input, render
from .errors import ApiError, bad_request
from .features import named_range
from .store import Sheet, Spreadsheet


@dataclass
class Box:
    """A resolved range: a sheet and a closed 0-based box (end exclusive)."""

    sheet: Sheet
    row0: int
    row1: int
    col0: int
    col1: int

    def a1(self) -> str:
        return a1.format_range(self.sheet.title, self.row0, self.row1, self.col0, self.col1)


def resolve(ss: Spreadsheet, text: str, clip: bool = True) -> tuple[Box, a1.Span]:
    """A1 text -> (box clipped to the grid, the span as written)."""
    try:
        title, cells = a1.split_sheet(text)
        if title is None and ss.sheet_by_title(cells or "") is not None:
            title, cells = cells, None
        named = named_range(ss, cells) if cells and not a1.is_cells(cells) else None
        if named is not None:  # Google reads 'Sheet1'!Name and Name alike: the name says where
            title, cells = None, None
            sheet = ss.sheet_by_id(named["range"].get("sheetId", 0))
            rng = named["range"]
            span = a1.Span(rng.get("startRowIndex", 0), rng.get("endRowIndex"),
                           rng.get("startColumnIndex", 0), rng.get("endColumnIndex"))
        else:
            sheet = ss.sheet_by_title(title) if title is not None else ss.sheets[0]
            span = a1.parse_cells(cells) if cells else a1.Span(0, None, 0, None)
        if sheet is None:
            raise a1.RangeError(text)
    except a1.RangeError:
        raise bad_request(f"Unable to parse range: {text}") from None
    rows, cols = sheet.row_count, sheet.col_count
    r1 = span.row1 if span.row1 is not None else rows
    c1 = span.col1 if span.col1 is not None else cols
    if clip:
        r1, c1 = min(r1, rows), min(c1, cols)
    return Box(sheet, span.row0, r1, span.col0, c1), span


def read_box(box: Box, option: str, major: str, dates: str = "SERIAL_NUMBER") -> list[list[Any]]:
    """The values in a box, with trailing empties trimmed as Google trims them."""
    out: list[list[Any]] = []
    rows = box.sheet.rows
    for r in range(box.row0, min(box.row1, len(rows))):
        row = rows[r][box.col0:box.col1]
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        out.append([c if type(c) is str else render(c, option, dates) for c in row[:end]])
    while out and not out[-1]:
        out.pop()
    if major == "COLUMNS" and out:
        width = max(len(r) for r in out)
        cols = [[(r[c] if c < len(r) else "") for r in out] for c in range(width)]
        for col in cols:
            while col and col[-1] == "":
                col.pop()
        out = cols
    return out


def value_range(box: Box, option: str, major: str, dates: str = "SERIAL_NUMBER") -> dict[str, Any]:
    result: dict[str, Any] = {"range": box.a1(), "majorDimension": major}
    values = read_box(box, option, major, dates)
    if values:
        result["values"] = values
    return result


def get(ss: Spreadsheet, text: str, params: dict[str, Any]) -> dict[str, Any]:
    box, _ = resolve(ss, text)
    return value_range(box, params.get("valueRenderOption") or "FORMATTED_VALUE",
                       params.get("majorDimension") or "ROWS",
                       params.get("dateTimeRenderOption") or "SERIAL_NUMBER")


def batch_get(ss: Spreadsheet, ranges: list[str], params: dict[str, Any]) -> dict[str, Any]:
    return {"spreadsheetId": ss.id, "valueRanges": [get(ss, r, params) for r in ranges]}


def _check_values(values: Any) -> list[list[Any]]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        raise ApiError(
            400,
            f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), {_json_repr(values)}",
            details=[{
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{
                    "field": "data.values",
                    "description": f"Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), "
                                   f"{_json_repr(values)}",
                }],
            }],
        )
    return values


def _json_repr(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def _as_rows(values: list[list[Any]], major: str) -> list[list[Any]]:
    if major != "COLUMNS" or not values:
        return values
    height = max(len(c) for c in values)
    return [[col[r] if r < len(col) else None for col in values] for r in range(height)]


def _input_option(params: dict[str, Any]) -> bool:
    option = params.get("valueInputOption")
    if option not in ("RAW", "USER_ENTERED"):
        if not option:
            raise bad_request("'valueInputOption' is required but not specified")
        raise bad_request(f"Invalid value at 'value_input_option' "
                          f"(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), \"{option}\"")
    return option == "USER_ENTERED"


def _grid_error(box: Box, r1: int, c1: int) -> ApiError:
    title = box.sheet.title.replace("'", "''")
    cells = a1.format_range(box.sheet.title, box.row0, r1, box.col0, c1).split("!", 1)[1]
    return bad_request(
        f"Range ('{title}'!{cells}) exceeds grid limits. Max rows: {box.sheet.row_count}, max columns: "
        f"{box.sheet.col_count}"
    )


def write(box: Box, span: a1.Span, rows: list[list[Any]], user_entered: bool) -> dict[str, Any]:
    """Write rows at the box's top-left; the response counts as Google counts."""
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    single_cell = span.row1 == (span.row0 or 0) + 1 and span.col1 == (span.col0 or 0) + 1
    if single_cell:  # a single cell is an anchor: the values expand from it
        span = a1.Span(span.row0, None, span.col0, None)
    if span.row1 is not None and box.row0 + height > span.row1:
        raise bad_request(
            f"Requested writing within range [{box.a1()}], but tried writing to row [{box.row0 + height}]"
        )
    if span.col1 is not None and box.col0 + width > span.col1:
        raise bad_request(
            f"Requested writing within range [{box.a1()}], but tried writing to column "
            f"[{a1.column_letters(box.col0 + width - 1)}]"
        )
    if box.row0 + height > box.sheet.row_count or box.col0 + width > box.sheet.col_count:
        raise _grid_error(box, box.row0 + max(height, 1), box.col0 + max(width, 1))
    try:
        converted = [[from_input(v, user_entered) for v in row] for row in rows]
    except CellValueError as err:
        raise bad_request(f"Invalid values[0][0]: {_json_repr(err.args[0])}") from None
    touched_rows: set[int] = set()
    touched_columns: set[int] = set()
    for i, row in enumerate(converted):
        for j, value in enumerate(row):
            if rows[i][j] is None:  # JSON null leaves the cell as it is
                continue
            box.sheet.set_cell(box.row0 + i, box.col0 + j, value)
            touched_rows.add(i)
            touched_columns.add(j)
    written = Box(box.sheet, box.row0, box.row0 + height, box.col0, box.col0 + width)
    result: dict[str, Any] = {"updatedRange": written.a1() if height and width else box.a1()}
    if height and width:
        # Google counts only the rows and columns that received a value, nulls skipped.
        cells = sum(v is not None for row in rows for v in row)
        result.update(updatedRows=len(touched_rows), updatedColumns=len(touched_columns), updatedCells=cells)
    return result


def update(ss: Spreadsheet, text: str, body: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    user_entered = _input_option(params)
    rows = _as_rows(_check_values(body.get("values")), body.get("majorDimension") or "ROWS")
    box, span = resolve(ss, text, clip=False)
    result = {"spreadsheetId": ss.id, **write(box, span, rows, user_entered)}
    _include_values(result, box, rows, params)
    return result


def _include_values(result: dict[str, Any], box: Box, rows: list[list[Any]], params: dict[str, Any]) -> None:
    if str(params.get("includeValuesInResponse", "")).lower() != "true":
        return
    height = len(rows)
    width = max((len(r) for r in rows), default=0)
    written = Box(box.sheet, box.row0, box.row0 + height, box.col0, box.col0 + width)
    result["updatedData"] = value_range(written, params.get("responseValueRenderOption") or "FORMATTED_VALUE", "ROWS")


def batch_update(ss: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    params = {k: body.get(k) for k in ("valueInputOption", "includeValuesInResponse", "responseValueRenderOption")}
    params["includeValuesInResponse"] = str(params["includeValuesInResponse"]).lower()
    responses = [update(ss, d.get("range", ""), d, params) for d in body.get("data") or []]
    result: dict[str, Any] = {"spreadsheetId": ss.id}
    if responses:
        result.update(
            totalUpdatedRows=sum(r.get("updatedRows", 0) for r in responses),
            totalUpdatedColumns=max(r.get("updatedColumns", 0) for r in responses),
            totalUpdatedCells=sum(r.get("updatedCells", 0) for r in responses),
            totalUpdatedSheets=len({r["updatedRange"].rsplit("!", 1)[0] for r in responses}),
            responses=responses,
        )
    return result


def clear(ss: Spreadsheet, text: str) -> dict[str, Any]:
    box, _ = resolve(ss, text)
    rows = box.sheet.rows
    for r in range(box.row0, min(box.row1, len(rows))):
        for c in range(box.col0, min(box.col1, len(rows[r]))):
            if rows[r][c] is not None:
                box.sheet.set_cell(r, c, None)
    return {"spreadsheetId": ss.id, "clearedRange": box.a1()}


def batch_clear(ss: Spreadsheet, ranges: list[str]) -> dict[str, Any]:
    return {"spreadsheetId": ss.id, "clearedRanges": [clear(ss, r)["clearedRange"] for r in ranges]}
