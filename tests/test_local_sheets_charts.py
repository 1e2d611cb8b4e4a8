"""Charts on the local server as Google takes them: addChart, updateChartSpec, deleteEmbeddedObject,
listed with their sheet, kept across a restart, and refused when Google would refuse them."""

from __future__ import annotations

import gspread
import pytest

import local_sheets
from sheets_schema.transport import local_session


def _chart(sheet_id: int, title: str = "Per dag", **extra) -> dict:
    column = {"sheetId": sheet_id, "startRowIndex": 0, "startColumnIndex": 0, "endColumnIndex": 1}
    return {"spec": {"title": title, "basicChart": {
        "chartType": "LINE", "headerCount": 1,
        "domains": [{"domain": {"sourceRange": {"sources": [column]}}}],
        "series": [{"series": {"sourceRange": {"sources": [{**column, "startColumnIndex": 1,
                                                            "endColumnIndex": 2}]}}}]}},
            "position": {"overlayPosition": {"anchorCell": {"sheetId": sheet_id, "rowIndex": 1,
                                                            "columnIndex": 3}}}, **extra}


def test_a_chart_is_added_listed_changed_kept_across_a_restart_and_deleted(tmp_path):
    server = local_sheets.start(tmp_path)
    gc = gspread.Client(auth=None, session=local_session(server.url, server.token))
    sh = gc.create("Charts")
    sheet_id = sh.sheet1.id
    reply = sh.batch_update({"requests": [{"addChart": {"chart": _chart(sheet_id)}}]})
    chart = reply["replies"][0]["addChart"]["chart"]
    assert isinstance(chart["chartId"], int) and chart["spec"]["title"] == "Per dag"
    assert chart["position"]["overlayPosition"]["widthPixels"] == 600  # Google's default size
    sh.batch_update({"requests": [{"updateChartSpec": {"chartId": chart["chartId"], "spec": {
        **chart["spec"], "title": "Per week"}}}]})
    server.stop()
    server = local_sheets.start(tmp_path)
    try:
        gc = gspread.Client(auth=None, session=local_session(server.url, server.token))
        sh = gc.open_by_key(sh.id)
        [listed] = sh.fetch_sheet_metadata()["sheets"][0]["charts"]
        assert (listed["chartId"], listed["spec"]["title"]) == (chart["chartId"], "Per week")
        sh.batch_update({"requests": [{"deleteEmbeddedObject": {"objectId": chart["chartId"]}}]})
        assert "charts" not in sh.fetch_sheet_metadata()["sheets"][0]
    finally:
        server.stop()


@pytest.mark.parametrize("change, message", [
    (lambda c, sid: {**c, "spec": {}}, "chart.spec is required"),
    (lambda c, sid: {**c, "position": {"newSheet": True}}, "overlayPosition"),
    (lambda c, sid: _chart(sid + 1), "No grid with id"),
    (lambda c, sid: {**c, "position": {"overlayPosition": {"anchorCell": {"sheetId": sid, "rowIndex": 5000}}}},
     "outside the grid"),
    (lambda c, sid: {**c, "chartId": 7}, "already exists"),
])
def test_a_chart_google_would_refuse_is_refused_and_nothing_is_kept(server, change, message):
    gc = gspread.Client(auth=None, session=local_session(server.url, server.token))
    sh = gc.create("Refused")
    sheet_id = sh.sheet1.id
    sh.batch_update({"requests": [{"addChart": {"chart": _chart(sheet_id, chartId=7)}}]})
    with pytest.raises(gspread.exceptions.APIError) as refused:
        sh.batch_update({"requests": [{"addChart": {"chart": _chart(sheet_id, "Tweede")}},
                                      {"addChart": {"chart": change(_chart(sheet_id, "Derde"), sheet_id)}}]})
    assert message in str(refused.value)
    assert [c["spec"]["title"] for c in sh.fetch_sheet_metadata()["sheets"][0]["charts"]] == ["Per dag"]
