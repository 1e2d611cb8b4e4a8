"""The HTML view, its row editor and the export downloads (never faulted, never counted)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from .cell_requests import notes_of
from .cells import display
from .resources import spreadsheet_resource
from .store import Sheet, Spreadsheet

if TYPE_CHECKING:
    from .server import SheetsApp

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _value(cell: Any) -> Any:
    """Typed where the type is plain (numbers, booleans), display text otherwise."""
    if cell is None:
        return ""
    return display(cell) if isinstance(cell, dict) else cell


def grid_of(sheet: Sheet) -> list[list[Any]]:
    return [[_value(c) for c in row] for row in sheet.rows]


def view_resource(ss: Spreadsheet) -> dict[str, Any]:
    resource = spreadsheet_resource(ss)
    resource["_formats"] = {s.title: s.extras.get("formats", []) for s in ss.sheets}
    resource["_notes"] = {s.title: notes_of(s) for s in ss.sheets}
    return resource


def export_xlsx(ss: Spreadsheet) -> bytes:
    from . import render

    return render.to_xlsx(spreadsheet_resource(ss), {s.title: grid_of(s) for s in ss.sheets})


def export_csv_rows(sheet: Sheet, *, for_people: bool) -> str:
    from . import render

    return render.sendable(render.to_csv([[display(c) if c is not None else "" for c in row] for row in sheet.rows],
                                         for_people=for_people))


def _html(text: str, status: int = 200) -> Response:
    from .render import sendable

    return Response(sendable(text), status=status, content_type="text/html; charset=utf-8")


def view_signed_out(status: int) -> Response:
    """What someone without the view's link sees: how to get in, and nothing of the spreadsheet."""
    from . import render

    return _html(render.render_signed_out(), status)


def view_routes(app: "SheetsApp", request: Request, path: str) -> Response:
    from . import editing, render

    store = app.store
    parts = [unquote(p) for p in path.strip("/").split("/")] if path.strip("/") else []
    with store.lock:
        if not parts:
            items = [{"id": ss.id, "title": ss.properties["title"], "sheet_count": len(ss.sheets)}
                     for ss in store.spreadsheets.values()]
            return _html(render.render_index(items))
        if parts[0] != "spreadsheets" or len(parts) < 2 or parts[1] not in store.spreadsheets:
            return _html("<h1>Not found</h1>", 404)
        ss = store.spreadsheets[parts[1]]
        if len(parts) == 2:
            grids = {s.title: grid_of(s) for s in ss.sheets}
            return _html(render.render_spreadsheet(view_resource(ss), grids, request.args.get("tab")))
        if parts[2:] == ["edit"]:
            if request.method == "POST":
                return editing.save(app, request, ss)
            return editing.edit_page(app, request, ss)
        if parts[2:] == ["export.xlsx"]:
            return Response(export_xlsx(ss), content_type=XLSX_MIME,
                            headers={"Content-Disposition": 'attachment; filename="spreadsheet.xlsx"'})
        if len(parts) == 4 and parts[2] == "export" and parts[3].endswith(".csv"):
            sheet = ss.sheet_by_title(parts[3][: -len(".csv")])
            if sheet is not None:
                return Response(export_csv_rows(sheet, for_people=True), content_type="text/csv; charset=utf-8")
    return _html("<h1>Not found</h1>", 404)
