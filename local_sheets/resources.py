"""The JSON resources the API returns: Google's fixed defaults for a new
spreadsheet, and the spreadsheet resource built from the store."""

from __future__ import annotations

import copy
from typing import Any

from .store import Spreadsheet

# The identity every request acts as: the local stand-in for a service account.
ACCOUNT = "helpt@local-sheets.iam.gserviceaccount.com"

_WHITE = {"red": 1, "green": 1, "blue": 1}

_DEFAULT_FORMAT = {
    "backgroundColor": _WHITE,
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": _WHITE},
}

_THEME_COLORS = [
    ("TEXT", {}),
    ("BACKGROUND", _WHITE),
    ("ACCENT1", {"red": 0.25882354, "green": 0.52156866, "blue": 0.95686275}),
    ("ACCENT2", {"red": 0.91764706, "green": 0.2627451, "blue": 0.20784314}),
    ("ACCENT3", {"red": 0.9843137, "green": 0.7372549, "blue": 0.015686275}),
    ("ACCENT4", {"red": 0.20392157, "green": 0.65882355, "blue": 0.3254902}),
    ("ACCENT5", {"red": 1, "green": 0.42745098, "blue": 0.003921569}),
    ("ACCENT6", {"red": 0.27450982, "green": 0.7411765, "blue": 0.7764706}),
    ("LINK", {"red": 0.06666667, "green": 0.33333334, "blue": 0.8}),
]


def default_spreadsheet_properties(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "locale": "en_US",
        "autoRecalc": "ON_CHANGE",
        "timeZone": "Etc/GMT",
        "defaultFormat": copy.deepcopy(_DEFAULT_FORMAT),
        "spreadsheetTheme": {
            "primaryFontFamily": "Arial",
            "themeColors": [{"colorType": t, "color": {"rgbColor": dict(c)}} for t, c in _THEME_COLORS],
        },
    }


def default_sheet_properties(sheet_id: int, title: str, index: int, rows: int = 1000, cols: int = 26) -> dict[str, Any]:
    return {
        "sheetId": sheet_id,
        "title": title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": rows, "columnCount": cols},
    }


# Per-sheet extras stored by batchUpdate, listed in the order Google lists them.
SHEET_EXTRA_KEYS = ("merges", "conditionalFormats", "protectedRanges", "basicFilter", "charts", "rowGroups",
                    "columnGroups")


def spreadsheet_resource(ss: Spreadsheet) -> dict[str, Any]:
    sheets = []
    for sheet in ss.sheets:
        entry: dict[str, Any] = {"properties": copy.deepcopy(sheet.properties)}
        for key in SHEET_EXTRA_KEYS:
            if sheet.extras.get(key):
                entry[key] = copy.deepcopy(sheet.extras[key])
        sheets.append(entry)
    resource: dict[str, Any] = {
        "spreadsheetId": ss.id,
        "properties": copy.deepcopy(ss.properties),
        "sheets": sheets,
    }
    if ss.extras.get("namedRanges"):
        resource["namedRanges"] = copy.deepcopy(ss.extras["namedRanges"])
    if ss.extras.get("developerMetadata"):
        resource["developerMetadata"] = copy.deepcopy(ss.extras["developerMetadata"])
    resource["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{ss.id}/edit"
    return resource


def drive_file(ss: Spreadsheet, fields: str | None) -> dict[str, Any]:
    full = {
        "kind": "drive#file",
        "id": ss.id,
        "name": ss.properties["title"],
        "mimeType": "application/vnd.google-apps.spreadsheet",
        "createdTime": ss.created,
        "modifiedTime": ss.modified,
        "version": str(ss.version),  # int64, which Drive sends as a string
    }
    if not fields:
        return {k: full[k] for k in ("kind", "id", "name", "mimeType")}
    wanted = [f.strip() for f in fields.split(",")]
    return {k: full[k] for k in wanted if k in full}

