"""`helpt init`: make the spreadsheet match the contract, and change nothing when it already does.

Missing tabs are created, missing columns are added at the right end of their
tab (a coordinator's column order and own columns are left alone), headers
are frozen and carry their column's help as a note, system columns get a
grey background and warning-only protection, coordinator columns with allowed
values get a dropdown and id columns a check as typed, report tabs get their
charts, the spreadsheet takes the team's locale, and empty reference tabs
(Tasks, Areas) get their starting rows.

Planning is a pure function over what was read; the Workbook does the I/O:
at most five API calls (tabs, first rows, notes and checks, one layout batch,
one values write).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .answers import bool_text
from .fields import SYSTEM, Choice, Column, Tab
from .reference import reference_rows
from .workbook import Workbook, column_letters, find_columns, lay_out, quote_title

# Light grey: "helpt writes this, your edits are overwritten at the next sync".
SYSTEM_BACKGROUND = {"red": 0.9, "green": 0.9, "blue": 0.9}
PROTECTION_MARK = "helpt:"  # description prefix of the protected ranges helpt owns
DEFAULT_SHEET_TITLES = frozenset({"Sheet1", "Blad1", "Feuille 1", "Feuille1"})
NEW_TAB_ROWS = 1000
SHEET_LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}  # the team's language, as a Belgian sheet locale
CHART_COLUMNS = 8  # empty columns a report tab gets beside its tables, for its charts
CHART_ROWS = 20  # rows between one chart's top and the next (a chart is 371 pixels, rows 21)


@dataclass
class InitPlan:
    """What init will do: structural requests, cells to write (A1 -> rows), and a summary."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    values: dict[str, list[list[Any]]] = field(default_factory=dict)
    tabs_added: list[str] = field(default_factory=list)
    columns_added: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changes_nothing(self) -> bool:
        return not self.requests and not self.values

    def summary(self) -> str:
        if self.changes_nothing:
            return "The spreadsheet already matches the contract; nothing changed."
        parts = []
        if self.tabs_added:
            parts.append(f"added tabs: {', '.join(self.tabs_added)}")
        for title, columns in self.columns_added.items():
            if title not in self.tabs_added:
                parts.append(f"added to '{title}': {', '.join(columns)}")
        parts.append(f"{len(self.requests)} layout changes")
        return "; ".join(parts) + "."


def new_sheet_id(tab: Tab, taken: set[int]) -> int:
    """A sheet id that stays the same for a tab across spreadsheets, unless already taken."""
    sheet_id = zlib.crc32(tab.id.encode()) & 0x7FFFFFFF
    while sheet_id in taken:
        sheet_id = (sheet_id + 1) & 0x7FFFFFFF
    return sheet_id


def _column_range(sheet_id: int, index: int, first_row: int = 0) -> dict[str, int]:
    return {"sheetId": sheet_id, "startRowIndex": first_row,
            "startColumnIndex": index, "endColumnIndex": index + 1}


def _column_look(sheet_id: int, index: int, column: Column) -> list[dict[str, Any]]:
    """Bold header for every column; a grey body for system columns."""
    looks: list[dict[str, Any]] = [{"repeatCell": {
        "range": {**_column_range(sheet_id, index), "endRowIndex": 1},
        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
        "fields": "userEnteredFormat.textFormat.bold",
    }}]
    if column.owner == SYSTEM:
        looks.append({"repeatCell": {
            "range": _column_range(sheet_id, index, first_row=1),
            "cell": {"userEnteredFormat": {"backgroundColor": SYSTEM_BACKGROUND}},
            "fields": "userEnteredFormat.backgroundColor",
        }})
    return looks


def _dropdown(sheet_id: int, index: int, column: Column, language: str) -> dict[str, Any]:
    # Not strict: a coordinator may still type something else and gets a warning,
    # because blocking input in a crisis costs more than a stray value.
    values = [{"userEnteredValue": choice.labels[language]} for choice in column.choices]
    return {"setDataValidation": {
        "range": _column_range(sheet_id, index, first_row=1),
        "rule": {"condition": {"type": "ONE_OF_LIST", "values": values},
                 "strict": False, "showCustomUi": True},
    }}


def _pattern_rule(sheet_id: int, index: int, column: Column, language: str, item: str) -> dict[str, Any]:
    """A list of items, each matching `item`, separated by commas: Google flags anything else as it is
    typed (a warning, not a block, like the dropdowns), and the local view's editor refuses it."""
    first_cell = f"{column_letters(index)}2"
    formula = f'=OR(ISBLANK({first_cell}), REGEXMATCH(TO_TEXT({first_cell}), "^ *{item}( *, *{item})* *$"))'
    return {"setDataValidation": {
        "range": _column_range(sheet_id, index, first_row=1),
        "rule": {"condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
                 "inputMessage": column.help[language], "strict": False},
    }}


def _literal(text: str) -> str:
    """`text` matched as it is, in the regular expressions both Google (RE2) and Python read."""
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", text)


def _checks(sheet_id: int, index: int, column: Column, language: str) -> dict[str, Any] | None:
    """What a coordinator column checks as it is typed: its dropdown, or its id pattern; None if nothing."""
    if column.owner == SYSTEM:
        return None
    if column.type == "list" and column.choices:
        # Several choices in one cell ("Boodschappen doen, Apotheek"): a dropdown would flag every list.
        labels = "|".join(_literal(choice.labels[language]).replace('"', '""') for choice in column.choices)
        return _pattern_rule(sheet_id, index, column, language, f"(?:{labels})")
    if column.choices:
        return _dropdown(sheet_id, index, column, language)
    if column.type == "bool":
        words = (Choice("yes", {language: bool_text(True, language)}),
                 Choice("no", {language: bool_text(False, language)}))
        return _dropdown(sheet_id, index, replace(column, choices=words), language)
    if column.pattern:
        return _pattern_rule(sheet_id, index, column, language, column.pattern)
    return None


def _header_note(sheet_id: int, index: int, text: str) -> dict[str, Any]:
    return {"updateCells": {"range": {**_column_range(sheet_id, index), "endRowIndex": 1},
                            "rows": [{"values": [{"note": text}]}], "fields": "note"}}


def _protect(sheet_id: int, description: str, index: int | None) -> dict[str, Any]:
    grid = {"sheetId": sheet_id} if index is None else _column_range(sheet_id, index)
    return {"addProtectedRange": {"protectedRange": {
        "range": grid, "description": description, "warningOnly": True,
    }}}


def _protections(sheet: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """helpt's own protected ranges on a sheet, by description."""
    if not sheet:
        return {}
    return {p["description"]: p for p in sheet.get("protectedRanges", [])
            if p.get("description", "").startswith(PROTECTION_MARK)}


def plan_tab(tab: Tab, sheet: Mapping[str, Any] | None, header: Sequence[str], *,
             language: str, sheet_id: int, index: int, seed: Sequence[Mapping[str, Any]] = (),
             has_rows: bool = False, first_rows: Sequence[Sequence[Mapping[str, Any]]] = ()) -> InitPlan:
    """What one tab needs. `sheet` is its current sheet resource, or None when it is missing.

    `seed` rows are written below the header only when the tab has no rows yet.
    `first_rows` are rows 1 and 2 as cells with their note and data validation:
    each header gets its column's help as a note, and each coordinator column
    its dropdown or id check, where they are missing or differ.
    """
    plan = InitPlan()
    header_language = tab.language or language
    title = sheet["properties"]["title"] if sheet else tab.title(language)
    header = list(header)
    while header and not str(header[-1]).strip():
        header.pop()  # trailing blank header cells are free space, not columns
    if sheet is None:
        plan.tabs_added.append(title)
        plan.requests.append({"addSheet": {"properties": {
            "sheetId": sheet_id, "title": title, "index": index,
            "gridProperties": {"rowCount": max(NEW_TAB_ROWS, len(seed) + 1),
                               "columnCount": len(tab.columns) + (CHART_COLUMNS if tab.charts else 0),
                               "frozenRowCount": 1},
        }}})
    elif sheet["properties"].get("gridProperties", {}).get("frozenRowCount", 0) != 1:
        plan.requests.append({"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {"frozenRowCount": 1}},
            "fields": "gridProperties.frozenRowCount",
        }})

    positions = find_columns(tab, header)
    missing = [c for c in tab.columns if c.id not in positions]
    if missing:
        start = len(header)
        plan.columns_added[title] = [c.labels[header_language] for c in missing]
        plan.values[f"{quote_title(title)}!{column_letters(start)}1"] = [
            [c.labels[header_language] for c in missing]
        ]
        width = start + len(missing)
        if sheet is not None and width > sheet["properties"]["gridProperties"]["columnCount"]:
            plan.requests.append({"appendDimension": {
                "sheetId": sheet_id, "dimension": "COLUMNS",
                "length": width - sheet["properties"]["gridProperties"]["columnCount"],
            }})
        for offset, column in enumerate(missing):
            positions[column.id] = start + offset
            plan.requests.extend(_column_look(sheet_id, start + offset, column))
    plan.requests.extend(_plan_help(tab, positions, sheet_id, language, header_language, first_rows))
    plan.requests.extend(_plan_protection(tab, sheet, positions, sheet_id, fresh={c.id for c in missing}))
    if tab.charts:
        plan.requests.extend(_plan_charts(tab, sheet, positions, sheet_id, language, header_language))
    if seed and not has_rows:
        _plan_seed(plan, title, sheet, sheet_id, positions, seed)
    return plan


def _plan_help(tab: Tab, positions: Mapping[str, int], sheet_id: int, language: str, header_language: str,
               first_rows: Sequence[Sequence[Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Header notes and checks as typed, where the sheet lacks them (a coordinator may have removed one)."""
    def cell(row: int, index: int) -> Mapping[str, Any]:
        cells = first_rows[row] if row < len(first_rows) else []
        return cells[index] if index < len(cells) else {}

    requests_: list[dict[str, Any]] = []
    for column in tab.columns:
        index = positions[column.id]
        note = column.help[header_language]
        if cell(0, index).get("note", "") != note:
            requests_.append(_header_note(sheet_id, index, note))
        check = _checks(sheet_id, index, column, language)
        have = (cell(1, index).get("dataValidation") or {}).get("condition")
        if check is not None and have != check["setDataValidation"]["rule"]["condition"]:
            requests_.append(check)  # missing, or made for another language or an older contract
    return requests_


def _plan_charts(tab: Tab, sheet: Mapping[str, Any] | None, positions: Mapping[str, int], sheet_id: int,
                 language: str, header_language: str) -> list[dict[str, Any]]:
    """The tab's charts that are not there yet (found by their title in any language), to the right of
    its columns, one below the other. A chart a coordinator deleted comes back at the next init."""
    present = {c.get("spec", {}).get("title") for c in (sheet or {}).get("charts", [])}
    anchor = max(positions.values()) + 2  # one empty column between the tables and the charts
    requests_: list[dict[str, Any]] = []
    columns = sheet["properties"]["gridProperties"]["columnCount"] if sheet else len(tab.columns) + CHART_COLUMNS
    if anchor >= columns:
        requests_.append({"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                              "length": anchor + 1 - columns}})

    def whole_column(column_id: str) -> dict[str, Any]:
        return {"sources": [_column_range(sheet_id, positions[column_id])]}

    for n, chart in enumerate(tab.charts):
        if present & set(chart.titles.values()):
            continue
        requests_.append({"addChart": {"chart": {
            "spec": {"title": chart.titles[language], "basicChart": {
                "chartType": chart.kind, "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
                "axis": [{"position": "BOTTOM_AXIS", "title": tab.column(chart.domain).labels[header_language]}],
                "domains": [{"domain": {"sourceRange": whole_column(chart.domain)}}],
                "series": [{"series": {"sourceRange": whole_column(column_id)}, "targetAxis": "LEFT_AXIS"}
                           for column_id in chart.series],
            }},
            "position": {"overlayPosition": {
                "anchorCell": {"sheetId": sheet_id, "rowIndex": 1 + n * CHART_ROWS, "columnIndex": anchor},
                "widthPixels": 600, "heightPixels": 371}},
        }}})
    return requests_


def _plan_seed(plan: InitPlan, title: str, sheet: Mapping[str, Any] | None, sheet_id: int,
               positions: Mapping[str, int], seed: Sequence[Mapping[str, Any]]) -> None:
    if sheet is not None:
        rows_now = sheet["properties"]["gridProperties"]["rowCount"]
        if len(seed) + 1 > rows_now:
            plan.requests.append({"appendDimension": {
                "sheetId": sheet_id, "dimension": "ROWS", "length": len(seed) + 1 - rows_now}})
    # None leaves a coordinator's own columns alone.
    rows = lay_out(seed, positions, max(positions.values()) + 1, blank=None)
    plan.values[f"{quote_title(title)}!A2"] = rows


def _plan_protection(tab: Tab, sheet: Mapping[str, Any] | None, positions: Mapping[str, int],
                     sheet_id: int, fresh: set[str]) -> list[dict[str, Any]]:
    """Warning-only protection: the whole tab for intake tabs, each system column elsewhere.

    A protection that no longer sits on its column (someone changed its range
    by hand) is replaced, and the column greyed again.
    """
    existing = _protections(sheet)
    if tab.kind == "intake":
        mark = f"{PROTECTION_MARK}{tab.id}"
        return [] if mark in existing else [_protect(sheet_id, mark, None)]
    requests_: list[dict[str, Any]] = []
    for column in tab.columns:
        if column.owner != SYSTEM:
            continue
        mark = f"{PROTECTION_MARK}{tab.id}:{column.id}"
        index = positions[column.id]
        current = existing.get(mark)
        if current and current["range"].get("startColumnIndex") == index:
            continue
        if current:
            requests_.append({"deleteProtectedRange": {"protectedRangeId": current["protectedRangeId"]}})
            if column.id not in fresh:
                requests_.extend(_column_look(sheet_id, index, column)[1:])
        requests_.append(_protect(sheet_id, mark, index))
    return requests_


def plan_init(tabs: Sequence[Tab], metadata: Mapping[str, Any], sheets: Mapping[str, Any],
              headers: Mapping[str, Sequence[str]], language: str,
              empty_default_sheets: Sequence[int] = (),
              filled: frozenset[str] = frozenset(),
              first_rows: Mapping[str, Sequence[Sequence[Mapping[str, Any]]]] | None = None) -> InitPlan:
    """The whole plan: `sheets` maps tab id -> its sheet resource (or None), `headers` tab id -> row 1,
    `filled` holds the ids of tabs that already have rows below the header, `first_rows` tab id ->
    rows 1 and 2 with their notes and checks."""
    plan = InitPlan()
    locale = SHEET_LOCALES[language]
    if metadata.get("properties", {}).get("locale") != locale:
        # The team's locale: Google writes dates and decimals as they read them, and the local
        # view speaks their language.
        plan.requests.append({"updateSpreadsheetProperties": {"properties": {"locale": locale},
                                                              "fields": "locale"}})
    taken = {s["properties"]["sheetId"] for s in metadata.get("sheets", [])}
    for index, tab in enumerate(tabs):
        sheet = sheets.get(tab.id)
        sheet_id = sheet["properties"]["sheetId"] if sheet else new_sheet_id(tab, taken)
        taken.add(sheet_id)
        part = plan_tab(tab, sheet, headers.get(tab.id, []), language=language,
                        sheet_id=sheet_id, index=index, seed=reference_rows(tab, language),
                        has_rows=tab.id in filled, first_rows=(first_rows or {}).get(tab.id, ()))
        plan.requests.extend(part.requests)
        plan.values.update(part.values)
        plan.tabs_added.extend(part.tabs_added)
        plan.columns_added.update(part.columns_added)
    if plan.tabs_added:
        # A brand-new spreadsheet comes with an empty "Sheet1"; it only confuses people.
        plan.requests.extend({"deleteSheet": {"sheetId": sid}} for sid in empty_default_sheets)
    return plan


def init_spreadsheet(workbook: Workbook, tabs: Sequence[Tab], *, dry_run: bool = False) -> InitPlan:
    """Bring the spreadsheet up to the contract; returns what was (or would be) done."""
    metadata = workbook.metadata()
    sheets = {tab.id: workbook.find_tab(tab, metadata) for tab in tabs}
    present = [(tab.id, s["properties"]["title"]) for tab in tabs if (s := sheets[tab.id])]
    ours = {title for _, title in present}
    defaults = [s["properties"] for s in metadata.get("sheets", [])
                if s["properties"]["title"] in DEFAULT_SHEET_TITLES and s["properties"]["title"] not in ours]
    cells = workbook.first_rows([title for _, title in present])
    first_rows = {tab_id: cells.get(title, []) for tab_id, title in present}
    headers = {tab_id: [str(c.get("formattedValue", "")) for c in (rows[0] if rows else [])]
               for tab_id, rows in first_rows.items()}
    filled = frozenset(tab_id for tab_id, rows in first_rows.items()
                       if len(rows) > 1 and any(c.get("formattedValue", "") != "" for c in rows[1]))
    # A new spreadsheet's own first tab goes once helpt's are there, if nothing was typed in it anywhere.
    grids = workbook.values([quote_title(p["title"]) for p in defaults]) if defaults else []
    empty_defaults = [p["sheetId"] for p, grid in zip(defaults, grids) if not grid]
    plan = plan_init(tabs, metadata, sheets, headers, workbook.language, empty_defaults, filled, first_rows)
    if not dry_run:
        workbook.batch_update(plan.requests)
        workbook.write(plan.values)
    return plan
