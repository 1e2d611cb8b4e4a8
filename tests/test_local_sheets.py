"""local_sheets driven by real gspread over HTTP, as helpt drives Google."""

from __future__ import annotations

import io
import threading

import gspread
import openpyxl
import pytest
import requests

import local_sheets
from sheets_schema.transport import local_session


@pytest.fixture
def server(tmp_path):
    running = local_sheets.start(tmp_path / "data")
    yield running
    running.stop()


@pytest.fixture
def gc(server):
    return gspread.Client(auth=None, session=local_session(server.url, server.token))


def test_raw_values_stay_text(gc):
    ws = gc.create("Test").sheet1
    risky = ['=IMPORTRANGE("x","y")', "+32 470", "-1", "@x", "=1+1"]
    ws.update([risky], "A1", raw=True)
    assert ws.get_all_values() == [risky]
    assert ws.get_all_values(value_render_option="FORMULA") == [risky]


def test_user_entered_parses_numbers_and_formulas(gc):
    ws = gc.create("Test").sheet1
    ws.update([["=1+1", "42", "TRUE", "text"]], "A1", raw=False)
    assert ws.get_all_values() == [["2", "42", "TRUE", "text"]]
    assert ws.get_all_values(value_render_option="FORMULA") == [["=1+1", 42, True, "text"]]


def test_worksheets_add_and_delete(gc):
    sh = gc.create("Test")
    ws = sh.add_worksheet("My 'tab", rows=10, cols=3)
    ws.update([["a", "b"]], "A1")
    assert sh.values_get("'My ''tab'!A:B")["values"] == [["a", "b"]]
    sh.del_worksheet(ws)
    assert [w.title for w in sh.worksheets()] == ["Sheet1"]


def test_append_twice_lands_rows_after_each_other(gc):
    ws = gc.create("Test").sheet1
    ws.update([["id", "name"]], "A1")
    ws.append_row(["1", "a"])
    ws.append_row(["2", "b"])
    assert ws.get_all_values() == [["id", "name"], ["1", "a"], ["2", "b"]]


def test_batch_get_update_and_clear(gc):
    ws = gc.create("Test").sheet1
    ws.batch_update([{"range": "A1:B1", "values": [["x", "y"]]}, {"range": "A3", "values": [["z"]]}])
    assert ws.batch_get(["A1:B1", "A3"]) == [[["x", "y"]], [["z"]]]
    ws.batch_clear(["A3"])
    ws.clear()
    assert "values" not in ws.spreadsheet.values_get("Sheet1")


def test_insert_and_delete_rows(gc):
    ws = gc.create("Test").sheet1
    ws.update([["1"], ["2"], ["3"]], "A1")
    ws.insert_rows([["new"]], 2)
    assert ws.col_values(1) == ["1", "new", "2", "3"]
    ws.delete_rows(1)
    assert ws.col_values(1) == ["new", "2", "3"]


def test_writing_beyond_grid_is_refused(gc):
    ws = gc.create("Test").sheet1
    with pytest.raises(gspread.exceptions.APIError) as err:
        ws.update([["x"]], "A1001")
    assert "exceeds grid limits" in str(err.value)


def test_freeze_protection_validation_and_format(gc, server):
    sh = gc.create("Test")
    ws = sh.sheet1
    ws.freeze(rows=1)
    ws.add_protected_range("A1:B2", warning_only=True)
    ws.format("A1:B1", {"backgroundColor": {"red": 1}})
    sh.batch_update({"requests": [{"setDataValidation": {
        "range": {"sheetId": ws.id, "startRowIndex": 1, "endRowIndex": 5, "startColumnIndex": 0, "endColumnIndex": 1},
        "rule": {"condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": "Nieuw"}]}}}}]})
    meta = sh.fetch_sheet_metadata()["sheets"][0]
    assert meta["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert meta["protectedRanges"][0]["warningOnly"] is True
    html = requests.get(f"{server.url}/spreadsheets/{sh.id}", headers=_view(server), timeout=10).text
    assert "background" in html


def test_data_survives_restart(tmp_path):
    first = local_sheets.start(tmp_path)
    gc = gspread.Client(auth=None, session=local_session(first.url, first.token))
    sh = gc.create("Persist")
    sh.sheet1.update([["kept", "1"]], "A1")
    first.stop()
    second = local_sheets.start(tmp_path)
    try:
        gc = gspread.Client(auth=None, session=local_session(second.url, second.token))
        assert gc.open_by_key(sh.id).sheet1.get_all_values() == [["kept", "1"]]
    finally:
        second.stop()


def test_drive_version_grows_with_every_change_and_survives_a_restart(tmp_path):
    """Drive's File.version, as a sync asks for it (sync/unchanged.py): a read leaves it, every write,
    sort or sharing adds to it, and a restart keeps it (a smaller one would pass for an older state)."""
    first = local_sheets.start(tmp_path)
    gc = gspread.Client(auth=None, session=local_session(first.url, first.token))
    sh = gc.create("Versions")

    def version() -> int:
        return int(gc.http_client.request("get", f"{gspread.urls.DRIVE_FILES_API_V3_URL}/{sh.id}",
                                          params={"fields": "version"}).json()["version"])

    seen = [version()]
    sh.sheet1.get_all_values()
    seen.append(version())
    sh.sheet1.update([["b"], ["a"]], "A1")
    seen.append(version())
    sh.sheet1.sort((1, "asc"))
    seen.append(version())
    sh.share("someone@example.org", perm_type="user", role="reader", notify=False)
    seen.append(version())
    first.stop()
    second = local_sheets.start(tmp_path)
    try:
        gc = gspread.Client(auth=None, session=local_session(second.url, second.token))
        seen.append(version())
    finally:
        second.stop()
    assert seen[0] == seen[1] < seen[2] < seen[3] < seen[4] == seen[5]


def _api(server) -> requests.Session:
    """A client of the API by hand, presenting the data folder's token as helpt's clients do."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {server.token}"
    return session


def test_fault_next_then_success(server, gc):
    sh = gc.create("Test")
    url = f"{server.url}/v4/spreadsheets/{sh.id}"
    api = _api(server)
    server.faults.fail_next(1, 429)
    first = api.get(url)
    assert first.status_code == 429 and first.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert api.get(url).status_code == 200


def test_outage_mode_over_http(server, gc):
    sh = gc.create("Test")
    url = f"{server.url}/v4/spreadsheets/{sh.id}"
    api = _api(server)
    api.post(f"{server.url}/_local/faults", json={"outage_code": 503})
    assert api.get(url).status_code == 503
    # views are never faulted
    assert requests.get(f"{server.url}/", headers=_view(server), timeout=10).status_code == 200
    api.post(f"{server.url}/_local/faults", json={"outage_code": None})
    assert api.get(url).status_code == 200
    assert api.get(f"{server.url}/_local/calls").json()["total"] >= 1


def test_concurrent_appends_lose_nothing(server, gc):
    sh = gc.create("Test")
    ws = sh.sheet1
    ws.update([["n"]], "A1")

    def worker(start: int) -> None:
        client = gspread.Client(auth=None, session=local_session(server.url, server.token))
        w = client.open_by_key(sh.id).sheet1
        for i in range(10):
            w.append_row([f"{start}-{i}"])

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    values = ws.col_values(1)
    assert len(values) == 51 and len(set(values)) == 51


def _view(server) -> dict[str, str]:
    """Scripts and tests read the view with the server's token; people come in through a one-time link."""
    return {"Authorization": f"Bearer {server.token}"}


def test_html_view_and_exports(server, gc):
    sh = gc.create("Test")
    sh.sheet1.update([["<b>x</b>", "2"]], "A1")
    page = requests.get(f"{server.url}/spreadsheets/{sh.id}", headers=_view(server), timeout=10)
    assert page.status_code == 200 and "&lt;b&gt;x&lt;/b&gt;" in page.text
    xlsx = requests.get(f"{server.url}/spreadsheets/{sh.id}/export.xlsx", headers=_view(server), timeout=10)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.worksheets[0]["A1"].value == "<b>x</b>"
    csv_text = requests.get(f"{server.url}/spreadsheets/{sh.id}/export/Sheet1.csv", headers=_view(server),
                            timeout=10).text
    assert csv_text.startswith("<b>x</b>,2")
    assert gc.export(sh.id, gspread.utils.ExportFormat.CSV).decode().startswith("<b>x</b>,2")


def test_a_character_xml_cannot_hold_never_breaks_an_export(server, gc, tmp_path):
    """A resident's name with U+FFFF (a public form accepted it) made every xlsx export unreadable."""
    sh = gc.create("Noncharacters \uffff")
    sh.sheet1.update([["An\uffff Peeters", "x\ufffe\x01y", "=HYPERLINK(\"https://evil.example\")"]], "A1",
                     raw=True)
    view = requests.get(f"{server.url}/spreadsheets/{sh.id}/export.xlsx", headers=_view(server), timeout=10)
    drive = gc.export(sh.id, gspread.utils.ExportFormat.EXCEL)
    for content in (view.content, drive):
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert [c.value for c in book.worksheets[0][1]] == ["An Peeters", "xy", "=HYPERLINK(\"https://evil.example\")"]
        assert book.worksheets[0]["C1"].data_type == "s"  # text, never a formula
    # The view's CSV is for people: the formula-looking cell is neutralised; the Drive API's stays raw.
    people = requests.get(f"{server.url}/spreadsheets/{sh.id}/export/Sheet1.csv", headers=_view(server),
                          timeout=10).text
    assert people.rstrip("\r\n").endswith(',"\'=HYPERLINK(""https://evil.example"")"')
    assert gc.export(sh.id, gspread.utils.ExportFormat.CSV).decode().rstrip().endswith(
        '"=HYPERLINK(""https://evil.example"")"')


def test_helpt_export_writes_a_valid_xlsx_whatever_a_cell_holds(workbook, tmp_path):
    from sheets_schema.layout import init_spreadsheet
    from sheets_schema.tabs import TABS, VOLUNTEERS
    from sync.export import export_tabs

    init_spreadsheet(workbook, TABS)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.append(sheet, [{"volunteer_id": "V-000001", "full_name": "An\uffff Peeters", "notes": "a\x02b"}])
    [path] = export_tabs(workbook, [VOLUNTEERS], "xlsx", tmp_path)
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:1] == ("V-000001",) and "An Peeters" in rows[1] and "ab" in rows[1]
