"""What moves with inserted, deleted and moved rows and columns, as Google moves it.

A coordinator inserts a row above the protected header block, deletes a few
volunteers, drags a column: the protection, the dropdowns, the colours and the
notes must stay on their cells, or our tests of such edits check a behaviour
Google does not have.
"""

from __future__ import annotations

import gspread
from hypothesis import example, given, settings
from hypothesis import strategies as st

from local_sheets import batch
from local_sheets.resources import default_sheet_properties, default_spreadsheet_properties
from local_sheets.store import Sheet, Spreadsheet
from sheets_schema.transport import local_session

ROWS = 30


def _spreadsheet() -> Spreadsheet:
    sheet = Sheet(default_sheet_properties(0, "Sheet1", 0, rows=ROWS, cols=6))
    for r in range(ROWS):
        sheet.set_cell(r, 0, f"r{r}")
    return Spreadsheet("id", default_spreadsheet_properties("t"), [sheet], "", "")


def _rows(start: int, end: int) -> dict:
    return {"sheetId": 0, "startRowIndex": start, "endRowIndex": end, "startColumnIndex": 0, "endColumnIndex": 3}


def _labels(sheet: Sheet) -> list:
    return [sheet.get_cell(r, 0) for r in range(sheet.row_count)]


changes = st.lists(st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 40), st.integers(1, 4)),
    st.tuples(st.just("delete"), st.integers(0, 40), st.integers(1, 4))), min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(start=st.integers(0, ROWS - 2), size=st.integers(1, 6), note_row=st.integers(0, ROWS - 1), steps=changes)
@example(start=0, size=3, note_row=0, steps=[("insert", 0, 1), ("insert", 3, 1), ("delete", 4, 1), ("delete", 0, 3)])
def test_protection_merges_validation_and_notes_stay_on_their_cells(start, size, note_row, steps):
    """Whatever rows are inserted or deleted, each range covers exactly its surviving cells
    (and the rows inserted among them), and a note stays beside its row's value."""
    end = min(start + size, ROWS)
    ss = _spreadsheet()
    batch.batch_update(ss, {"requests": [
        {"addProtectedRange": {"protectedRange": {"range": _rows(start, end), "description": "system"}}},
        {"mergeCells": {"range": _rows(start, end), "mergeType": "MERGE_ROWS"}},
        {"setDataValidation": {"range": _rows(start, end), "rule": {"condition": {"type": "BOOLEAN"}}}},
        {"addConditionalFormatRule": {"rule": {"ranges": [_rows(start, end)], "booleanRule": {}}, "index": 0}},
        {"repeatCell": {"range": _rows(start, end), "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                        "fields": "userEnteredFormat.textFormat.bold"}},
        {"addNamedRange": {"namedRange": {"name": "Block", "range": _rows(start, end)}}},
        {"updateCells": {"range": {"sheetId": 0, "startRowIndex": note_row, "endRowIndex": note_row + 1,
                                   "startColumnIndex": 1, "endColumnIndex": 2},
                         "rows": [{"values": [{"note": "call back"}]}], "fields": "note"}},
    ]})
    sheet = ss.sheets[0]
    covered = {f"r{r}" for r in range(start, end)}
    for kind, at, count in steps:
        rows = sheet.row_count
        if kind == "insert":
            at = min(at, rows)
            request = {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": at,
                                                     "endIndex": at + count}}}
        else:
            if at >= rows or count >= rows:
                continue
            request = {"deleteDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": at,
                                                     "endIndex": min(at + count, rows)}}}
        batch.batch_update(ss, {"requests": [request]})

    labels = _labels(sheet)
    survivors = covered & set(labels)
    extras = sheet.extras
    ranges = [p["range"] for p in extras.get("protectedRanges", [])]
    ranges += [v["range"] for v in extras.get("dataValidation", [])]
    ranges += [r for rule in extras.get("conditionalFormats", []) for r in rule["ranges"]]
    ranges += [f["range"] for f in extras.get("formats", [])]
    ranges += [n["range"] for n in ss.extras.get("namedRanges", [])]
    # With every original row gone, a range lives on only over rows inserted inside it (as in Google).
    assert len(ranges) == 5 if survivors else len(ranges) in (0, 5)
    for rng in ranges:
        inside = labels[rng.get("startRowIndex", 0):rng["endRowIndex"]]
        assert {x for x in inside if x is not None} == survivors and inside
    for merge in extras.get("merges", []):
        assert merge["endRowIndex"] - merge["startRowIndex"] == 1  # a row merge stays on its row
        assert labels[merge["startRowIndex"]] in survivors
    notes = extras.get("notes", [])
    if f"r{note_row}" in labels:
        assert notes == [[labels.index(f"r{note_row}"), 1, "call back"]]
    else:
        assert notes == []


def test_inserting_a_row_above_a_protected_range_moves_it_through_gspread(sheets_server):
    client = gspread.Client(auth=None, session=local_session(sheets_server.url, sheets_server.token))
    spreadsheet = client.create("structure")
    sheet = spreadsheet.sheet1
    sheet.update([["id", "name"], ["R-1", "Anna"], ["R-2", "Bart"]], "A1")
    spreadsheet.batch_update({"requests": [
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 3,
                                                             "startColumnIndex": 0, "endColumnIndex": 1}}}},
        {"addDimensionGroup": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 3}}},
        {"setBasicFilter": {"filter": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 3}}}},
    ]})
    sheet.insert_note("B2", "prefers mornings")
    sheet.insert_rows([["new", "row"]], row=1)  # above everything
    sheet.insert_cols([["x"]], col=1)  # a column before the protected one

    meta = next(s for s in spreadsheet.fetch_sheet_metadata()["sheets"] if s["properties"]["sheetId"] == 0)
    protected = meta["protectedRanges"][0]["range"]
    assert (protected["startRowIndex"], protected["endRowIndex"]) == (2, 4)
    assert (protected["startColumnIndex"], protected["endColumnIndex"]) == (1, 2)
    assert meta["rowGroups"][0]["range"] == {"dimension": "ROWS", "startIndex": 2, "endIndex": 4}
    assert (meta["basicFilter"]["range"]["startRowIndex"], meta["basicFilter"]["range"]["endRowIndex"]) == (1, 4)
    assert sheet.get_note("C3") == "prefers mornings" and sheet.get_note("B2") == ""

    sheet.delete_rows(3, 4)  # both protected rows: the protection goes with them
    meta = next(s for s in spreadsheet.fetch_sheet_metadata()["sheets"] if s["properties"]["sheetId"] == 0)
    assert "protectedRanges" not in meta and "rowGroups" not in meta
    assert sheet.get_notes() == [[]]


def test_moving_rows_and_columns_takes_values_and_notes_along(sheets_server):
    client = gspread.Client(auth=None, session=local_session(sheets_server.url, sheets_server.token))
    spreadsheet = client.create("move")
    sheet = spreadsheet.sheet1
    sheet.update([["a", "b", "c"], ["1", "2", "3"], ["x", "y", "z"]], "A1")
    sheet.insert_note("A3", "row x")
    spreadsheet.batch_update({"requests": [
        {"moveDimension": {"source": {"sheetId": 0, "dimension": "ROWS", "startIndex": 2, "endIndex": 3},
                           "destinationIndex": 0}},
        {"moveDimension": {"source": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
                           "destinationIndex": 3}},
    ]})
    assert sheet.get_all_values()[:3] == [["y", "z", "x"], ["b", "c", "a"], ["2", "3", "1"]]
    assert sheet.get_note("C1") == "row x"


def test_formats_notes_and_named_ranges_read_back_as_google_answers(sheets_server):
    client = gspread.Client(auth=None, session=local_session(sheets_server.url, sheets_server.token))
    spreadsheet = client.create("grid data")
    sheet = spreadsheet.sheet1
    sheet.update([["status", "note"], ["open", "42"]], "A1")
    sheet.format("A1:B1", {"backgroundColor": {"red": 0.5}, "textFormat": {"bold": True}})
    spreadsheet.batch_update({"requests": [{"addNamedRange": {"namedRange": {
        "name": "Header", "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1}}}}]})
    data = spreadsheet.fetch_sheet_metadata({"ranges": "Header", "fields": "sheets.data.rowData.values"})
    first = data["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert first["userEnteredValue"] == {"stringValue": "status"} and first["formattedValue"] == "status"
    assert first["userEnteredFormat"]["backgroundColor"] == {"red": 0.49803922}  # 8 bits, as Google keeps it
    assert first["userEnteredFormat"]["backgroundColorStyle"] == {"rgbColor": {"red": 0.49803922}}
    assert first["effectiveFormat"]["textFormat"]["bold"] is True
    assert first["effectiveFormat"]["textFormat"]["fontFamily"] == "arial,sans,sans-serif"  # the default
    assert sheet.get("Header") == [["status", "note"]]
    sheet.copy_range("A1:B2", "D1")
    sheet.cut_range("D2:E2", "G5")
    assert sheet.get("D1:H5") == [["status", "note"], [], [], [], ["", "", "", "open", "42"]]
    assert spreadsheet.export(gspread.utils.ExportFormat.CSV).endswith(b"open,42")
