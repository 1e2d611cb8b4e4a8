"""spreadsheets:batchUpdate — one small handler per request kind."""

from __future__ import annotations

import copy
import secrets
from typing import Any, Callable

from . import cell_requests, charts, features, grid, limits, masks, structure
from .colours import colour
from .errors import ApiError, bad_request
from .resources import ACCOUNT, default_sheet_properties
from .store import Sheet, Spreadsheet
from .targets import dimension_range, echoed, sheet_of

Handler = Callable[[Spreadsheet, dict[str, Any]], dict[str, Any]]
# Fields Google leaves out of a resource when they hold their default value.
_OMIT_WHEN_FALSY = {"hidden", "frozenRowCount", "frozenColumnCount", "hideGridlines", "rightToLeft"}


def _prune(props: dict[str, Any]) -> None:
    for key in list(props):
        if key in _OMIT_WHEN_FALSY and not props[key]:
            del props[key]
        elif isinstance(props[key], dict) and key == "gridProperties":
            _prune(props[key])


def add_sheet(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    props = copy.deepcopy(req.get("properties") or {})
    title = props.get("title") or _next_title(ss)
    if ss.sheet_by_title(title):
        raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
    sheet_id = props.get("sheetId", ss.new_sheet_id())
    gp = props.get("gridProperties") or {}
    full = default_sheet_properties(sheet_id, title, len(ss.sheets), gp.get("rowCount", 1000),
                                    gp.get("columnCount", 26))
    full["gridProperties"].update({k: v for k, v in gp.items() if k not in ("rowCount", "columnCount")})
    for key, value in props.items():
        if key not in ("sheetId", "title", "index", "gridProperties", "sheetType"):
            full[key] = value
    _prune(full)
    index = props.get("index")
    sheet = Sheet(full, rewrite=True)
    if index is not None and index < len(ss.sheets):
        for other in ss.sheets:
            if other.properties["index"] >= index:
                other.properties["index"] += 1
        full["index"] = index
    ss.sheets.append(sheet)
    ss.reindex()
    return {"addSheet": {"properties": copy.deepcopy(full)}}


def _next_title(ss: Spreadsheet) -> str:
    n = len(ss.sheets) + 1
    while ss.sheet_by_title(f"Sheet{n}"):
        n += 1
    return f"Sheet{n}"


def delete_sheet(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet = sheet_of(ss, req.get("sheetId"))
    if len(ss.sheets) == 1:
        raise bad_request("You can't remove all the sheets in a document.")
    ss.sheets.remove(sheet)
    ss.reindex()
    return {}


def _settle_tab_colour(props: dict[str, Any], fields: str) -> None:
    """tabColor and tabColorStyle are one setting: whichever the mask names wins, both are kept."""
    masked = [f.strip() for f in fields.split(",")]
    if any(f.startswith("tabColorStyle") for f in masked):
        rgb = (props.get("tabColorStyle") or {}).get("rgbColor")
    elif any(f.startswith("tabColor") for f in masked) or fields.strip() == "*":
        rgb = props.get("tabColor")
    else:
        return
    if rgb:
        props["tabColor"] = colour(rgb)
        props["tabColorStyle"] = {"rgbColor": colour(rgb)}
    else:
        props.pop("tabColor", None)
        props.pop("tabColorStyle", None)


def update_sheet_properties(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    props = req.get("properties") or {}
    sheet = sheet_of(ss, props.get("sheetId"))
    new = copy.deepcopy(sheet.properties)
    masks.assign(new, props, masks.parse(req.get("fields", "")))
    title = new.get("title")
    if title != sheet.title and ss.sheet_by_title(title):
        raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
    if new.get("hidden") and all(s.properties.get("hidden") for s in ss.sheets if s is not sheet):
        raise bad_request("You can't hide all the sheets in a document.")
    _settle_tab_colour(new, req.get("fields", ""))
    gp = new.setdefault("gridProperties", {})
    gp.setdefault("rowCount", sheet.row_count)
    gp.setdefault("columnCount", sheet.col_count)
    grid.resize(sheet, gp["rowCount"], gp["columnCount"])
    _prune(new)
    old_index = sheet.properties["index"]
    new_index = new.get("index", old_index)
    sheet.properties = new
    if new_index != old_index:
        _move(ss, sheet, old_index, new_index)
    return {}


def _move(ss: Spreadsheet, sheet: Sheet, old: int, new: int) -> None:
    others = [s for s in ss.sheets if s is not sheet]
    others.insert(min(new, len(others)), sheet)
    for i, s in enumerate(others):
        s.properties["index"] = i
    ss.reindex()


def update_spreadsheet_properties(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    masks.assign(ss.properties, req.get("properties") or {}, masks.parse(req.get("fields", "")))
    return {}


def insert_dimension(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, rows, start, end = dimension_range(ss, req.get("range") or {})
    count = end - start
    limits.check_growth(ss, sheet, sheet.row_count + count if rows else sheet.row_count,
                        sheet.col_count if rows else sheet.col_count + count)
    (grid.insert_rows if rows else grid.insert_cols)(sheet, start, count)
    structure.apply(ss, sheet, rows, structure.inserted(start, count))
    return {}


def delete_dimension(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, rows, start, end = dimension_range(ss, req.get("range") or {})
    end = min(end, sheet.row_count if rows else sheet.col_count)
    (grid.delete_rows if rows else grid.delete_cols)(sheet, start, end)
    structure.apply(ss, sheet, rows, structure.deleted(start, end))
    return {}


def move_dimension(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, rows, start, end = dimension_range(ss, req.get("source") or {})
    limit = sheet.row_count if rows else sheet.col_count
    destination = limits.whole_number(req.get("destinationIndex", 0), "destination_index")
    if end > limit or not 0 <= destination <= limit:
        raise bad_request(f"Invalid moveDimension: the source and destinationIndex ({destination}) must lie within "
                          f"the grid (0-{limit}).")
    if start <= destination <= end:
        return {}  # moving a block onto itself changes nothing
    grid.move(sheet, rows, start, end, destination)
    structure.apply(ss, sheet, rows, structure.moved(start, end, destination))
    return {}


def append_dimension(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet = sheet_of(ss, req.get("sheetId"))
    key = "rowCount" if req.get("dimension") == "ROWS" else "columnCount"
    length = limits.whole_number(req.get("length", 0), "length")
    if length < 1:
        raise bad_request("Invalid length: it must be at least 1.")
    limits.check_growth(ss, sheet, sheet.row_count + (length if key == "rowCount" else 0),
                        sheet.col_count + (length if key == "columnCount" else 0))
    sheet.grid[key] = sheet.grid.get(key, 0) + length
    return {}


def _add_extra(sheet: Sheet, key: str, item: Any) -> None:
    sheet.extras.setdefault(key, []).append(item)


def set_data_validation(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rng = req.get("range") or {}
    _add_extra(sheet_of(ss, rng.get("sheetId")), "dataValidation", {"range": echoed(rng), "rule": req.get("rule")})
    return {}


def add_protected_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    given = req.get("protectedRange") or {}
    rng = given.get("range") or {}
    sheet = sheet_of(ss, rng.get("sheetId"))
    protected: dict[str, Any] = {"protectedRangeId": given.get("protectedRangeId")
                                 or secrets.randbelow(2_000_000_000) + 1,
                                 "range": echoed(rng)}
    if given.get("description"):
        protected["description"] = given["description"]
    if given.get("warningOnly"):
        protected["warningOnly"] = True
    protected["requestingUserCanEdit"] = True
    protected["editors"] = {k: v for k, v in (given.get("editors") or {}).items() if v}
    reply = copy.deepcopy(protected)
    # Google answers with the editors as asked, but stores the account that made the
    # protection among them (it can always edit its own protected range).
    users = protected["editors"].setdefault("users", [])
    if ACCOUNT not in users:
        users.insert(0, ACCOUNT)
    _add_extra(sheet, "protectedRanges", protected)
    return {"addProtectedRange": {"protectedRange": reply}}


def delete_protected_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    wanted = int(req.get("protectedRangeId", -1))
    for sheet in ss.sheets:
        kept = [p for p in sheet.extras.get("protectedRanges", []) if p["protectedRangeId"] != wanted]
        if len(kept) != len(sheet.extras.get("protectedRanges", [])):
            sheet.extras["protectedRanges"] = kept
            return {}
    raise bad_request(f"No protected range with id: {wanted}")


def add_conditional_format_rule(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rule = copy.deepcopy(req.get("rule") or {})
    ranges = rule.get("ranges") or [{}]
    sheet = sheet_of(ss, ranges[0].get("sheetId"))
    rule["ranges"] = [echoed(r) for r in ranges]
    rules = sheet.extras.setdefault("conditionalFormats", [])
    rules.insert(min(int(req.get("index", len(rules))), len(rules)), rule)
    return {}


def sort_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rng = req.get("range") or {}
    grid.sort_range(sheet_of(ss, rng.get("sheetId")), rng, req.get("sortSpecs") or [])
    return {}


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "moveDimension": move_dimension,
    "setDataValidation": set_data_validation,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "addConditionalFormatRule": add_conditional_format_rule,
    "sortRange": sort_range,
    "updateCells": cell_requests.update_cells,
    "appendCells": cell_requests.append_cells,
    "repeatCell": cell_requests.repeat_cell,
    "copyPaste": cell_requests.copy_paste,
    "cutPaste": cell_requests.cut_paste,
    "mergeCells": cell_requests.merge_cells,
    "unmergeCells": cell_requests.unmerge_cells,
    "addNamedRange": features.add_named_range,
    "createDeveloperMetadata": features.create_developer_metadata,
    "deleteDeveloperMetadata": features.delete_developer_metadata,
    "deleteNamedRange": features.delete_named_range,
    "updateNamedRange": features.update_named_range,
    "addDimensionGroup": features.add_dimension_group,
    "deleteDimensionGroup": features.delete_dimension_group,
    "setBasicFilter": features.set_basic_filter,
    "clearBasicFilter": features.clear_basic_filter,
    "updateDimensionProperties": features.update_dimension_properties,
    "autoResizeDimensions": features.auto_resize_dimensions,
    "addChart": charts.add_chart,
    "updateChartSpec": charts.update_chart_spec,
    "deleteEmbeddedObject": charts.delete_embedded_object,
}


def batch_update(ss: Spreadsheet, body: dict[str, Any]) -> dict[str, Any]:
    """Apply every request in order; the caller rolls back if one fails."""
    replies = []
    requests_ = body.get("requests") or []
    if not isinstance(requests_, list) or not all(isinstance(r, dict) and len(r) == 1 for r in requests_):
        raise bad_request("Invalid JSON payload received. 'requests' must be a list of objects, one kind each.")
    for i, request in enumerate(requests_):
        kind = next(iter(request), "")
        handler = HANDLERS.get(kind)
        if handler is None:
            raise bad_request(f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{i}]': Cannot "
                              f"find field.")
        if not isinstance(request[kind] or {}, dict):
            raise bad_request(f"Invalid value at 'requests[{i}].{kind}': expected an object.")
        try:
            replies.append(handler(ss, request[kind] or {}))
        except ApiError as err:
            raise bad_request(f"Invalid requests[{i}].{kind}: {err.message}") from None
    return {"spreadsheetId": ss.id, "replies": replies}
