"""The local Sheets server under hostile requests: Google's errors, never a 500, never half a change.

It is the back office of anyone trying helpt offline and runs beside the
public forms in `helpt serve`: one bad request must neither crash it, nor
fill its memory, nor leave part of a refused change behind.
"""

from __future__ import annotations

import json
import resource
import time
from urllib.parse import quote

import gspread
import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sheets_schema.transport import local_session

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2 ** 63, 2 ** 63), st.floats(allow_nan=True),
              st.text(max_size=20), st.sampled_from(["Sheet1", "A1", "ROWS", "COLUMNS", "RAW", "USER_ENTERED"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=15,
)
numbers = st.one_of(st.integers(-5, 30), st.integers(-2 ** 40, 2 ** 40), st.just(None), st.text(max_size=3))
grid_ranges = st.fixed_dictionaries({}, optional={
    "sheetId": st.one_of(st.just(0), numbers), "startRowIndex": numbers, "endRowIndex": numbers,
    "startColumnIndex": numbers, "endColumnIndex": numbers})
REQUEST_KINDS = ["addSheet", "deleteSheet", "updateSheetProperties", "insertDimension", "deleteDimension",
                 "appendDimension", "updateDimensionProperties", "repeatCell", "updateCells", "sortRange",
                 "addProtectedRange", "deleteProtectedRange", "setDataValidation", "mergeCells",
                 "addConditionalFormatRule", "updateSpreadsheetProperties", "moveDimension", "copyPaste",
                 "cutPaste", "unmergeCells", "addNamedRange", "deleteNamedRange", "updateNamedRange",
                 "addDimensionGroup", "deleteDimensionGroup", "setBasicFilter", "clearBasicFilter",
                 "autoResizeDimensions", "unknownRequest"]
dimension_ranges = st.fixed_dictionaries({}, optional={
    "sheetId": st.one_of(st.just(0), numbers), "dimension": st.sampled_from(["ROWS", "COLUMNS", "X"]),
    "startIndex": numbers, "endIndex": numbers})
batch_requests = st.lists(st.builds(
    lambda kind, body: {kind: body}, st.sampled_from(REQUEST_KINDS),
    st.one_of(json_values, st.fixed_dictionaries({}, optional={
        "range": grid_ranges, "properties": st.fixed_dictionaries({}, optional={
            "title": st.one_of(st.none(), st.text(max_size=10), st.integers()), "sheetId": numbers,
            "index": numbers, "gridProperties": st.dictionaries(
                st.sampled_from(["rowCount", "columnCount", "frozenRowCount"]), numbers)}),
        "fields": st.one_of(st.just("*"), st.text(max_size=15)), "sheetId": numbers,
        "dimension": st.sampled_from(["ROWS", "COLUMNS", "DIAGONAL"]), "length": numbers,
        "inheritFromBefore": st.booleans(), "sortSpecs": json_values, "cell": json_values,
        "rows": json_values, "protectedRangeId": numbers, "rule": json_values,
        "source": st.one_of(grid_ranges, dimension_ranges), "destination": st.one_of(grid_ranges, json_values),
        "destinationIndex": numbers, "dimensions": dimension_ranges, "start": json_values,
        "pasteType": st.sampled_from(["PASTE_NORMAL", "PASTE_VALUES", "PASTE_FORMAT", "X"]),
        "pasteOrientation": st.sampled_from(["NORMAL", "TRANSPOSE"]),
        "mergeType": st.sampled_from(["MERGE_ALL", "MERGE_ROWS", "MERGE_COLUMNS", "X"]),
        "namedRange": st.one_of(json_values, st.fixed_dictionaries({}, optional={
            "name": st.one_of(st.text(max_size=8), st.just("Named")), "range": grid_ranges,
            "namedRangeId": numbers})),
        "namedRangeId": numbers, "filter": st.one_of(json_values, st.fixed_dictionaries({"range": grid_ranges}))}))),
    max_size=4)
a1_ranges = st.one_of(st.sampled_from(["Sheet1", "Sheet1!A1", "A1:B2", "Sheet1!A:A", "'Sheet1'!1:1",
                                       "A100000000000", "Sheet1!ZZZZZZ1", "Sheet1!A1:A99999999999", "'unclosed",
                                       "Nope!A1", "R1C1", "!", "Sheet1!B2:A1", ""]), st.text(max_size=15))
value_bodies = st.one_of(json_values, st.fixed_dictionaries({}, optional={
    "values": st.one_of(json_values, st.lists(st.lists(json_values, max_size=3), max_size=3)),
    "range": a1_ranges, "majorDimension": st.sampled_from(["ROWS", "COLUMNS", "X", None]),
    "data": json_values, "ranges": st.one_of(st.lists(a1_ranges, max_size=3), json_values),
    "valueInputOption": st.sampled_from(["RAW", "USER_ENTERED", "X"])}))
params = st.dictionaries(st.sampled_from(["valueInputOption", "majorDimension", "valueRenderOption",
                                          "insertDataOption", "includeValuesInResponse", "fields", "ranges",
                                          "dateTimeRenderOption", "mimeType", "q", "includeGridData"]),
                         st.one_of(st.text(max_size=12), st.sampled_from(["RAW", "USER_ENTERED", "ROWS", "COLUMNS",
                                                                          "FORMULA", "INSERT_ROWS", "true",
                                                                          "sheets.data.rowData.values.note",
                                                                          "sheets(data(rowData,columnMetadata))",
                                                                          "Named", "Sheet1!A1:C3"])),
                         max_size=4)


def _calls(ss_id: str):
    """(method, path, body) for every route, with hostile parts."""
    base = f"/v4/spreadsheets/{ss_id}"
    return st.one_of(
        st.tuples(st.just("POST"), st.just(base + ":batchUpdate"),
                  st.one_of(st.fixed_dictionaries({"requests": batch_requests}), json_values)),
        st.tuples(st.sampled_from(["GET", "PUT", "POST"]), a1_ranges.map(lambda r: f"{base}/values/{quote(r)}"),
                  value_bodies),
        st.tuples(st.just("POST"), a1_ranges.map(lambda r: f"{base}/values/{quote(r)}:append"), value_bodies),
        st.tuples(st.just("POST"), a1_ranges.map(lambda r: f"{base}/values/{quote(r)}:clear"), value_bodies),
        st.tuples(st.sampled_from(["GET", "POST"]), st.sampled_from(
            [f"{base}/values:batchGet", f"{base}/values:batchUpdate", f"{base}/values:batchClear", base,
             "/v4/spreadsheets", "/v4/spreadsheets/nope", "/drive/v3/files", f"/drive/v3/files/{ss_id}",
             f"/drive/v3/files/{ss_id}/permissions", f"/drive/v3/files/{ss_id}/export", "/_local/faults",
             "/_local/calls"]), value_bodies),
        st.tuples(st.just("DELETE"), st.sampled_from([f"/drive/v3/files/{ss_id}/permissions/0",
                                                      f"/drive/v3/files/{ss_id}/permissions/" + "0" * 20,
                                                      "/drive/v3/files/nope"]), st.none()),
    )


@pytest.fixture(scope="module")
def target(sheets_server):
    client = gspread.Client(auth=None, session=local_session(sheets_server.url, sheets_server.token))
    spreadsheet = client.create("hostile")
    spreadsheet.sheet1.update([["kept", "1"], ["also", "2"]], "A1")
    return sheets_server, spreadsheet.id


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                     HealthCheck.too_slow])
@given(data=st.data(), query=params)
def test_no_hostile_request_gets_a_500_and_the_server_still_answers(target, data, query):
    server, ss_id = target
    method, path, body = data.draw(_calls(ss_id))
    headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}
    raw = None if body is None else json.dumps(body)
    reply = requests.request(method, server.url + path, params=query, data=raw, headers=headers, timeout=30)
    event(f"{method} {reply.status_code}")
    assert reply.status_code < 500, (method, path, body, reply.text[:500])
    if reply.status_code >= 400 and path.startswith("/v4/"):
        assert set(reply.json()["error"]) >= {"code", "message", "status"}
    server.faults.clear()  # a hostile /_local/faults post must not fail the next example


def test_the_server_still_serves_after_the_onslaught(target):
    server, ss_id = target
    client = gspread.Client(auth=None, session=local_session(server.url, server.token))
    spreadsheet = client.open_by_key(ss_id)  # its title may be anything now: a hostile request may rename it
    assert spreadsheet.id == ss_id and spreadsheet.sheet1.get_all_values() is not None


def test_a_huge_append_is_refused_at_once_and_allocates_nothing(target):
    server, ss_id = target
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    reply = requests.post(f"{server.url}/v4/spreadsheets/{ss_id}/values/{quote('A100000000000')}:append",
                          params={"valueInputOption": "RAW"}, json={"values": [["x"]]}, timeout=30,
                          headers={"Authorization": f"Bearer {server.token}"})
    assert 400 <= reply.status_code < 500 and time.monotonic() - started < 1.0, reply.text[:300]
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB: no grid was built


def test_a_refused_batch_update_changes_nothing(target):
    server, _ = target
    client = gspread.Client(auth=None, session=local_session(server.url, server.token))
    spreadsheet = client.create("atomic")
    spreadsheet.sheet1.update([["kept", "1"], ["also", "2"]], "A1")
    before = spreadsheet.fetch_sheet_metadata()
    with pytest.raises(gspread.exceptions.APIError) as refused:
        spreadsheet.batch_update({"requests": [
            {"addSheet": {"properties": {"title": "half-done"}}},
            {"updateSheetProperties": {"properties": {"sheetId": 0, "title": None}, "fields": "title"}}]})
    assert refused.value.response.status_code == 400
    assert spreadsheet.fetch_sheet_metadata() == before
    assert spreadsheet.sheet1.get_all_values()[:2] == [["kept", "1"], ["also", "2"]]
