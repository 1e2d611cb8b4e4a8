"""batchUpdate requests on what lies over the cells: named ranges, row and column
groups, basic filters, and row and column sizes."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from . import masks
from .cells import display
from .errors import bad_request
from .store import Sheet, Spreadsheet
from .targets import box, dimension_range, echoed, sheet_of

ROW_PIXELS = 21  # Google's default row height
COLUMN_PIXELS = 100  # and column width
# Autosize estimate: Arial 10 at Google's rendering, about 8.5 px a character plus padding.
# Google answers 8691 for 1,024 capitals; this gives the same.
_PIXELS_PER_CHARACTER, _PADDING = 8.48, 7


# --- named ranges ----------------------------------------------------------------

def _named(ss: Spreadsheet) -> list[dict[str, Any]]:
    return ss.extras.setdefault("namedRanges", [])


def _check_name(ss: Spreadsheet, name: Any, except_id: str | None = None) -> str:
    if not isinstance(name, str) or not name or not (name[0].isalpha() or name[0] == "_") \
            or not all(ch.isalnum() or ch in "_." for ch in name):
        raise bad_request(f"Invalid name for a named range: {str(name)[:60]}")
    if any(n["name"].lower() == name.lower() and n["namedRangeId"] != except_id for n in _named(ss)):
        raise bad_request(f"A named range with the name \"{name}\" already exists.")
    return name


def add_named_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    given = req.get("namedRange") or {}
    rng = given.get("range") or {}
    box(sheet_of(ss, rng.get("sheetId")), rng)
    named = {"namedRangeId": str(given.get("namedRangeId") or secrets.randbelow(2_000_000_000) + 1),
             "name": _check_name(ss, given.get("name")), "range": echoed(rng)}
    _named(ss).append(named)
    return {"addNamedRange": {"namedRange": copy.deepcopy(named)}}


def _named_by_id(ss: Spreadsheet, named_id: Any) -> dict[str, Any]:
    for named in _named(ss):
        if named["namedRangeId"] == str(named_id):
            return named
    raise bad_request(f"No named range with id {str(named_id)[:40]}.")


def delete_named_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    _named(ss).remove(_named_by_id(ss, req.get("namedRangeId")))
    if not ss.extras["namedRanges"]:
        del ss.extras["namedRanges"]
    return {}


def update_named_range(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    given = req.get("namedRange") or {}
    named = _named_by_id(ss, given.get("namedRangeId"))
    new = copy.deepcopy(named)
    masks.assign(new, given, masks.parse(req.get("fields") or ""))
    new["namedRangeId"] = named["namedRangeId"]
    _check_name(ss, new.get("name"), except_id=named["namedRangeId"])
    rng = new.get("range") or {}
    box(sheet_of(ss, rng.get("sheetId")), rng)
    new["range"] = echoed(rng)
    named.clear()
    named.update(new)
    return {}


def named_range(ss: Spreadsheet, name: str) -> dict[str, Any] | None:
    return next((n for n in ss.extras.get("namedRanges", []) if n["name"].lower() == name.lower()), None)


# --- developer metadata (on the spreadsheet itself) -------------------------------

_VISIBILITIES = ("DOCUMENT", "PROJECT")


def _metadata(ss: Spreadsheet) -> list[dict[str, Any]]:
    return ss.extras.setdefault("developerMetadata", [])


def create_developer_metadata(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """A key and value an application leaves on the spreadsheet (helpt marks its partner extracts).

    Only the spreadsheet as location: rows, columns and sheets are not kept here.
    """
    given = req.get("developerMetadata") or {}
    key, value = given.get("metadataKey"), given.get("metadataValue", "")
    if not isinstance(key, str) or not key:
        raise bad_request("Invalid requests[0].createDeveloperMetadata: metadataKey is required.")
    if not isinstance(value, str):
        raise bad_request("Invalid requests[0].createDeveloperMetadata: metadataValue must be a string.")
    if given.get("visibility") not in _VISIBILITIES:
        raise bad_request("Invalid requests[0].createDeveloperMetadata: visibility must be DOCUMENT or PROJECT.")
    if (given.get("location") or {}).get("spreadsheet") is not True:
        raise bad_request("The local server keeps developer metadata on the spreadsheet only "
                          "(location: {\"spreadsheet\": true}).")
    wanted = given.get("metadataId")
    taken = {m["metadataId"] for m in _metadata(ss)}
    if wanted is not None and (not isinstance(wanted, int) or wanted <= 0 or wanted in taken):
        raise bad_request(f"Invalid metadataId {str(wanted)[:20]}: a positive number not yet used.")
    metadata = {"metadataId": wanted or max(taken, default=0) + secrets.randbelow(1000) + 1,
                "metadataKey": key, "metadataValue": value,
                "location": {"locationType": "SPREADSHEET", "spreadsheet": True},
                "visibility": given["visibility"]}
    _metadata(ss).append(metadata)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(metadata)}}


def delete_developer_metadata(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """Delete what a `developerMetadataLookup` data filter (by id or key) finds."""
    lookup = ((req.get("dataFilter") or {}).get("developerMetadataLookup")) or {}
    if not lookup:
        raise bad_request("Invalid requests[0].deleteDeveloperMetadata: a developerMetadataLookup is required.")
    doomed = [m for m in _metadata(ss)
              if lookup.get("metadataId", m["metadataId"]) == m["metadataId"]
              and lookup.get("metadataKey", m["metadataKey"]) == m["metadataKey"]]
    ss.extras["developerMetadata"] = [m for m in _metadata(ss) if m not in doomed]
    if not ss.extras["developerMetadata"]:
        del ss.extras["developerMetadata"]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": copy.deepcopy(doomed)}}


# --- row and column groups -------------------------------------------------------

def _group_range(ss: Spreadsheet, rng: dict[str, Any]) -> tuple[Sheet, str, dict[str, Any]]:
    """A DimensionRange wholly inside the grid, with the key of the sheet's groups along it."""
    sheet, rows, start, end = dimension_range(ss, rng)
    limit = sheet.row_count if rows else sheet.col_count
    if end > limit:
        raise bad_request(f"Invalid dimension range {start}:{end} for a grid of {limit}.")
    dimension = "ROWS" if rows else "COLUMNS"
    span = {"dimension": dimension, "startIndex": start, "endIndex": end}
    return sheet, "rowGroups" if rows else "columnGroups", span


def _listed(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(copy.deepcopy(groups), key=lambda g: (g["range"]["startIndex"], g["depth"]))


def add_dimension_group(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """A group inside (or equal to) existing groups sits one level deeper than the deepest of them."""
    sheet, key, rng = _group_range(ss, req.get("range") or {})
    groups = sheet.extras.setdefault(key, [])
    around = [g["depth"] for g in groups
              if g["range"]["startIndex"] <= rng["startIndex"] and rng["endIndex"] <= g["range"]["endIndex"]]
    if len(around) >= 8:
        raise bad_request("Groups can be nested at most 8 levels deep.")
    groups.append({"range": rng, "depth": max(around, default=0) + 1})
    return {"addDimensionGroup": {"dimensionGroups": _listed(groups)}}


def delete_dimension_group(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet, key, rng = _group_range(ss, req.get("range") or {})
    groups = sheet.extras.get(key, [])
    same = [g for g in groups
            if g["range"]["startIndex"] == rng["startIndex"] and g["range"]["endIndex"] == rng["endIndex"]]
    if not same:
        raise bad_request(f"No group over {rng['dimension'].lower()} {rng['startIndex']}:{rng['endIndex']}.")
    groups.remove(max(same, key=lambda g: g["depth"]))
    if not groups:
        sheet.extras.pop(key, None)
    reply = {"dimensionGroups": _listed(groups)} if groups else {}
    return {"deleteDimensionGroup": reply}


# --- basic filter ----------------------------------------------------------------

def set_basic_filter(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    given = copy.deepcopy(req.get("filter") or {})
    rng = given.get("range") or {}
    sheet = sheet_of(ss, rng.get("sheetId"))
    r0, r1, c0, c1 = box(sheet, rng)  # Google stores the range closed at the grid's edge
    given["range"] = echoed({"sheetId": rng.get("sheetId"), "startRowIndex": r0, "endRowIndex": r1,
                             "startColumnIndex": c0, "endColumnIndex": c1})
    sheet.extras["basicFilter"] = given
    return {}


def clear_basic_filter(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    sheet_of(ss, req.get("sheetId")).extras.pop("basicFilter", None)
    return {}


# --- row and column sizes --------------------------------------------------------

def update_dimension_properties(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    rng = req.get("range") or {}
    sheet, _, checked = _group_range(ss, rng)
    sheet.extras.setdefault("dimensionProperties", []).append(
        {"range": {**checked, **({"sheetId": rng["sheetId"]} if rng.get("sheetId") else {})},
         "properties": copy.deepcopy(req.get("properties") or {}), "fields": req.get("fields") or ""})
    return {}


def auto_resize_dimensions(ss: Spreadsheet, req: dict[str, Any]) -> dict[str, Any]:
    """Columns widen to their longest text; rows keep Google's default height (one line)."""
    rng = req.get("dimensions") or {}
    sheet, _, checked = _group_range(ss, rng)
    if checked["dimension"] == "ROWS":
        return {}
    for c in range(checked["startIndex"], checked["endIndex"]):
        longest = max((len(display(row[c])) for row in sheet.rows if c < len(row) and row[c] is not None), default=0)
        if longest:
            update_dimension_properties(ss, {
                "range": {**rng, "startIndex": c, "endIndex": c + 1},
                "properties": {"pixelSize": round(longest * _PIXELS_PER_CHARACTER + _PADDING)}, "fields": "pixelSize"})
    return {}


def dimension_metadata(sheet: Sheet, rows: bool, start: int, end: int) -> list[dict[str, Any]]:
    """rowMetadata or columnMetadata of grid data: each index's size and whether it is hidden."""
    out = [{"pixelSize": ROW_PIXELS if rows else COLUMN_PIXELS} for _ in range(start, end)]
    for entry in sheet.extras.get("dimensionProperties", []):
        rng = entry["range"]
        if (rng.get("dimension") == "ROWS") != rows:
            continue
        tree = masks.parse(entry["fields"]) if entry["fields"] else masks.EVERYTHING
        for i in range(max(rng.get("startIndex", 0), start), min(rng.get("endIndex", end), end)):
            masks.assign(out[i - start], entry["properties"], tree)
    return out
