"""The sandbox's row editor: someone trying helpt offline does a coordinator's job in the browser.

A row's form offers the columns nobody protected: a dropdown where the sheet's
data validation lists choices, text elsewhere. Protected columns (what helpt
writes) are shown with the reason they cannot be changed here. Saving goes
through the Sheets API's values:batchUpdate with RAW input, as a person typing
in Google Sheets would; it works as a plain form post and, with JavaScript,
without leaving the page.

Two guards keep an edit from landing on the wrong cells: the row is found
again by its first cell (its id) in case a sync or a sort moved it, and a cell
someone else changed since the form was opened is not overwritten.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from werkzeug.wrappers import Request, Response

from . import a1, values
from .cells import display
from .errors import ApiError
from .limits import MAX_CELL_CHARACTERS
from .render import _esc, _page, _url, lock_note, sendable, whole_tab_protected
from .store import Sheet, Spreadsheet
from .targets import contains

if TYPE_CHECKING:
    from .server import SheetsApp

_SCRIPT = """
document.querySelector('form.edit').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target, status = document.getElementById('status');
  status.textContent = 'Saving…';
  try {
    const reply = await fetch(form.action, {method: 'POST', body: new FormData(form),
                                            headers: {Accept: 'application/json'}});
    const answer = await reply.json();
    status.textContent = answer.message;
    if (reply.ok) {
      form.elements.row.value = answer.row;
      for (const [column, value] of Object.entries(answer.values)) form.elements['o' + column].value = value;
    }
  } catch (error) {
    status.textContent = 'Not saved: the local server did not answer. Try again.';
  }
});
"""


# The page's Content-Security-Policy allows this one inline script by its hash, and no other.
EDITOR_SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode() + "'"


@dataclass
class Field:
    """One column of the row being edited."""

    index: int
    header: str
    value: str
    locked: str | None  # why it cannot be edited here, or None
    choices: list[str] | None


def form_token(server_token: str, ss_id: str) -> str:
    """The form's guard against cross-site posts: only a page this server served knows it."""
    return hmac.new(server_token.encode(), f"edit:{ss_id}".encode(), hashlib.sha256).hexdigest()


def _cross_site(request: Request) -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def _choices(sheet: Sheet, r: int, c: int) -> list[str] | None:
    for validation in reversed(sheet.extras.get("dataValidation", [])):
        if contains(validation["range"], r, c):
            condition = (validation.get("rule") or {}).get("condition") or {}
            if condition.get("type") == "ONE_OF_LIST":
                return [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
            if condition.get("type") == "BOOLEAN":
                return ["TRUE", "FALSE"]
            return None
    return None


def fields_of(sheet: Sheet, r: int) -> list[Field]:
    header = sheet.rows[0] if sheet.rows else []
    row = sheet.rows[r] if r < len(sheet.rows) else []
    width = min(max(len(header), len(row), 1), sheet.col_count)
    return [Field(c, display(header[c]) if c < len(header) and header[c] is not None else a1.column_letters(c),
                  display(row[c]) if c < len(row) and row[c] is not None else "",
                  lock_note(sheet.extras.get("protectedRanges", []), r, c), _choices(sheet, r, c))
            for c in range(width)]


def tab_is_editable(sheet: Sheet) -> bool:
    return not whole_tab_protected(sheet.extras.get("protectedRanges", []))


def _find_row(sheet: Sheet, r: int, key: str) -> int | None:
    """Where the row with this first cell is now: where it was, or wherever a sync or a sort moved it."""
    def first(i: int) -> str:
        cells = sheet.rows[i] if i < len(sheet.rows) else []
        return display(cells[0]) if cells and cells[0] is not None else ""

    if 1 <= r < sheet.row_count and first(r) == key:
        return r
    if not key:
        return None
    return next((i for i in range(1, len(sheet.rows)) if first(i) == key), None)


def _has_content(sheet: Sheet, r: int) -> bool:
    """Only rows that hold something are edited: a form on an empty row would make a row without an id."""
    return r < len(sheet.rows) and any(cell is not None for cell in sheet.rows[r])


def edit_url(ss_id: str, title: str, row: int, **extra: Any) -> str:
    return _url(ss_id, "edit") + "?" + urlencode({"tab": title, "row": row, **extra})


def _input(field: Field, shown: str) -> str:
    name, label_id = f"c{field.index}", f"f{field.index}"
    if field.choices is not None:
        options = [""] + field.choices + ([shown] if shown and shown not in field.choices else [])
        items = "".join(f'<option{" selected" if o == shown else ""}>{_esc(o)}</option>' for o in options)
        return f'<select id="{label_id}" name="{name}">{items}</select>'
    if len(shown) > 60 or "\n" in shown:
        return f'<textarea id="{label_id}" name="{name}" rows="4" cols="60">{_esc(shown)}</textarea>'
    return f'<input id="{label_id}" name="{name}" value="{_esc(shown)}" size="40">'


def render_form(app: SheetsApp, ss: Spreadsheet, sheet: Sheet, r: int, message: str = "",
                typed: dict[int, str] | None = None) -> str:
    """The form for row r (0-based); `typed` keeps what the person entered when a save was refused."""
    fields = fields_of(sheet, r)
    key = fields[0].value if fields else ""
    parts = [f"<h1>Row {r + 1} of {_esc(sheet.title)}</h1>",
             f'<p><a href="{_esc(_url(ss.id))}?tab={_esc(quote(sheet.title, safe=""))}">Back to the tab</a></p>',
             f'<p id="status" role="status" aria-live="polite">{_esc(message)}</p>',
             f'<form class="edit" method="post" action="{_esc(_url(ss.id, "edit"))}">',
             f'<input type="hidden" name="token" value="{form_token(app.token, ss.id)}">',
             f'<input type="hidden" name="tab" value="{_esc(sheet.title)}">',
             f'<input type="hidden" name="row" value="{r + 1}">',
             f'<input type="hidden" name="key" value="{_esc(key)}">', "<dl>"]
    for field in fields:
        if field.locked:
            parts.append(f"<dt>{_esc(field.header)}</dt><dd><span>{_esc(field.value) or '—'}</span>"
                         f'<br><small class="locked">{_esc(field.locked)}</small></dd>')
            continue
        shown = (typed or {}).get(field.index, field.value)
        parts.append(f'<dt><label for="f{field.index}">{_esc(field.header)}</label></dt>'
                     f"<dd>{_input(field, shown)}"
                     f'<input type="hidden" name="o{field.index}" value="{_esc(field.value)}"></dd>')
    parts += ["</dl>", '<p><button type="submit">Save</button></p>', "</form>", f"<script>{_SCRIPT}</script>"]
    return _page(f"Row {r + 1} — {sheet.title}", "\n".join(parts))


def _wants_json(request: Request) -> bool:
    """The page's script asks for JSON; a plain form post gets pages."""
    return "application/json" in request.headers.get("Accept", "")


def _answer(request: Request, status: int, message: str, html_page: str | None = None, **extra: Any) -> Response:
    if _wants_json(request):
        return Response(json.dumps({"message": message, **extra}), status=status, content_type="application/json")
    return Response(sendable(html_page or _page("Not saved", f"<h1>Not saved</h1><p>{_esc(message)}</p>")),
                    status=status, content_type="text/html; charset=utf-8")


def edit_page(app: SheetsApp, request: Request, ss: Spreadsheet) -> Response:
    sheet = ss.sheet_by_title(request.args.get("tab", ""))
    try:
        r = int(request.args.get("row", "")) - 1
    except ValueError:
        r = -1
    if sheet is None or not 1 <= r < sheet.row_count or not tab_is_editable(sheet) or not _has_content(sheet, r):
        return Response(_page("Not found", "<h1>Not found</h1><p>No such row to edit.</p>"), status=404,
                        content_type="text/html; charset=utf-8")
    saved = request.args.get("saved")
    message = f"Saved: {saved} change(s)." if saved else ""
    return Response(sendable(render_form(app, ss, sheet, r, message)), content_type="text/html; charset=utf-8")


def save(app: SheetsApp, request: Request, ss: Spreadsheet) -> Response:
    """Write the changed cells of one row, or nothing, with the reason."""
    form = request.form
    if _cross_site(request) or not hmac.compare_digest(form.get("token", ""), form_token(app.token, ss.id)):
        return _answer(request, 403, "Refused: this form did not come from this server's own page.")
    sheet = ss.sheet_by_title(form.get("tab", ""))
    if sheet is None or not tab_is_editable(sheet):
        return _answer(request, 404, "Not saved: that tab no longer exists or cannot be edited here.")
    try:
        asked = int(form.get("row", "")) - 1
    except ValueError:
        return _answer(request, 400, "Not saved: the form has no row number.")
    r = _find_row(sheet, asked, form.get("key", ""))
    if r is None or not _has_content(sheet, r):
        return _answer(request, 409, "Not saved: this row is no longer in the tab (it was removed, or its id "
                                     "changed). Reload the tab to find it.")
    typed: dict[int, str] = {}
    changes: dict[int, str] = {}
    conflicts = []
    for field in fields_of(sheet, r):
        name = f"c{field.index}"
        if name not in form or field.locked:
            continue
        if field.choices is not None and form[name] and form[name] not in field.choices:
            return _answer(request, 400, f"Not saved: “{form[name][:80]}” is not one of the choices of "
                                         f"{field.header} ({', '.join(field.choices)}).")
        if len(form[name]) > MAX_CELL_CHARACTERS:
            return _answer(request, 400, f"Not saved: {field.header} holds more than {MAX_CELL_CHARACTERS} "
                                         "characters, the most one cell can hold.")
        typed[field.index] = form[name]
        if form[name] == form.get(f"o{field.index}", ""):
            continue
        if field.value != form.get(f"o{field.index}", ""):
            conflicts.append(f"{field.header} is now “{field.value}”")
        changes[field.index] = form[name]
    if conflicts:
        message = ("Not saved: someone changed this row while you were editing (" + "; ".join(conflicts)
                   + "). The form now shows their values beside yours; save again to keep yours.")
        return _answer(request, 409, message, render_form(app, ss, sheet, r, message, typed))
    if changes:
        data = [{"range": a1.format_range(sheet.title, r, r + 1, c, c + 1), "values": [[text]]}
                for c, text in sorted(changes.items())]
        try:
            app.mutate(ss.id, lambda spreadsheet: values.batch_update(
                spreadsheet, {"valueInputOption": "RAW", "data": data}))
        except ApiError as error:
            return _answer(request, error.code, f"Not saved: {error.message}")
    current = {f.index: f.value for f in fields_of(sheet, r) if not f.locked}
    if _wants_json(request):
        return _answer(request, 200, f"Saved: {len(changes)} change(s) to row {r + 1}.", row=r + 1,
                       values={str(k): v for k, v in current.items()})
    return Response(status=303, headers={"Location": edit_url(ss.id, sheet.title, r + 1, saved=len(changes))})
