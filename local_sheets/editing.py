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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from werkzeug.wrappers import Request, Response

from . import a1, values
from .cell_requests import notes_of
from .cells import display
from .errors import ApiError
from .limits import MAX_CELL_CHARACTERS
from .render import _esc, _page, _url, lock_note, sendable, whole_tab_protected
from .store import Sheet, Spreadsheet
from .targets import contains
from .words import SAVED, language_of, say, say_n

if TYPE_CHECKING:
    from .server import SheetsApp

_SCRIPT = """
document.querySelector('form.edit').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target, status = document.getElementById('status');
  status.textContent = form.dataset.saving;
  try {
    const reply = await fetch(form.action, {method: 'POST', body: new FormData(form),
                                            headers: {Accept: 'application/json'}});
    const answer = await reply.json();
    status.textContent = answer.message;
    if (reply.ok) {
      form.elements.row.value = answer.row;
      for (const [column, value] of Object.entries(answer.values)) {
        form.elements['o' + column].value = value;
        form.elements['c' + column].value = value;
      }
      for (const box of form.querySelectorAll('.picker input')) box.checked = false;
    }
  } catch (error) {
    status.textContent = form.dataset.offline;
  }
});
"""


# The page's Content-Security-Policy allows this one inline script by its hash, and no other;
# its words come from the form's data attributes, so one script serves every language.
EDITOR_SCRIPT_HASH = "'sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode() + "'"
# The check `helpt init` puts on a column of ids: =OR(ISBLANK(D2), REGEXMATCH(TO_TEXT(D2), "^ *ITEM( *, *ITEM)* *$"))
_REGEXMATCH = re.compile(r'REGEXMATCH\(TO_TEXT\([A-Z]+[0-9]+\),\s*"((?:[^"]|"")*)"\)')
_LIST_OF = re.compile(r"\^ \*(.+?)\( \*, \*\1\)\* \*\$")


@dataclass
class Field:
    """One column of the row being edited."""

    index: int
    header: str
    value: str
    locked: str | None  # why it cannot be edited here, or None
    choices: list[str] | None
    help: str = ""  # the header's note: the column's help
    pattern: str | None = None  # what the whole value must match, from the column's REGEXMATCH check


def form_token(server_token: str, ss_id: str) -> str:
    """The form's guard against cross-site posts: only a page this server served knows it."""
    return hmac.new(server_token.encode(), f"edit:{ss_id}".encode(), hashlib.sha256).hexdigest()


def _cross_site(request: Request) -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return True
    origin = request.headers.get("Origin")
    return origin is not None and urlsplit(origin).netloc != request.host


def _rule(sheet: Sheet, r: int, c: int) -> dict[str, Any]:
    for validation in reversed(sheet.extras.get("dataValidation", [])):
        if contains(validation["range"], r, c):
            return (validation.get("rule") or {}).get("condition") or {}
    return {}


def _choices(condition: dict[str, Any]) -> list[str] | None:
    if condition.get("type") == "ONE_OF_LIST":
        return [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
    if condition.get("type") == "BOOLEAN":
        return ["TRUE", "FALSE"]
    return None


def _pattern(condition: dict[str, Any]) -> str | None:
    """The regular expression of a REGEXMATCH check, the one kind of custom formula this server reads."""
    if condition.get("type") != "CUSTOM_FORMULA":
        return None
    found = _REGEXMATCH.search(str((condition.get("values") or [{}])[0].get("userEnteredValue", "")))
    return found.group(1).replace('""', '"') if found else None


def fields_of(sheet: Sheet, r: int, lang: str = "en") -> list[Field]:
    header = sheet.rows[0] if sheet.rows else []
    row = sheet.rows[r] if r < len(sheet.rows) else []
    width = min(max(len(header), len(row), 1), sheet.col_count)
    notes = notes_of(sheet)
    fields = []
    for c in range(width):
        condition = _rule(sheet, max(r, 1), c)
        fields.append(Field(
            c, display(header[c]) if c < len(header) and header[c] is not None else a1.column_letters(c),
            display(row[c]) if c < len(row) and row[c] is not None else "",
            lock_note(sheet.extras.get("protectedRanges", []), max(r, 1), c, lang), _choices(condition),
            notes.get((0, c), ""), _pattern(condition)))
    return fields


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
    return r < len(sheet.rows) and any(cell is not None and cell != "" for cell in sheet.rows[r])


def _new_row_allowed(sheet: Sheet) -> bool:
    """A row can be added where people type its first cell (its id) themselves, such as Partners."""
    return tab_is_editable(sheet) and lock_note(sheet.extras.get("protectedRanges", []), 1, 0) is None


def _first_free_row(sheet: Sheet) -> int:
    """The row below the last one that holds anything."""
    last = max((i for i in range(1, len(sheet.rows)) if _has_content(sheet, i)), default=0)
    return last + 1


def edit_url(ss_id: str, title: str, row: int | str, **extra: Any) -> str:
    return _url(ss_id, "edit") + "?" + urlencode({"tab": title, "row": row, **extra})


def _items(field: Field) -> re.Pattern[str] | None:
    """For a list of ids (the shape `helpt init` checks), what one id looks like."""
    found = _LIST_OF.fullmatch(field.pattern or "")
    return re.compile(found.group(1)) if found else None


def _labels(field: Field) -> list[str] | None:
    """For a list of choices (the shape `helpt init` checks, "(?:Boodschappen doen|Apotheek|…)"), the choices."""
    found = _LIST_OF.fullmatch(field.pattern or "")
    if not found or not (found.group(1).startswith("(?:") and found.group(1).endswith(")")):
        return None
    return [re.sub(r"\\(.)", r"\1", label) for label in re.split(r"(?<!\\)\|", found.group(1)[3:-1])]


def _ticks(field: Field, shown: str, labels: list[str]) -> str:
    """A box per choice; an item outside the choices (typed in Google) stays ticked until someone unticks it."""
    have = [item.strip() for item in shown.split(",") if item.strip()]
    options = labels + [item for item in have if item not in labels]
    boxes = "".join(
        f'<div><input type="checkbox" id="m{field.index}-{n}" name="m{field.index}" value="{_esc(option)}"'
        f'{" checked" if option in have else ""}> <label for="m{field.index}-{n}">{_esc(option)}</label></div>'
        for n, option in enumerate(options))
    return f'<input type="hidden" name="c{field.index}" value="">{boxes}'


def _picker(field: Field, fields: list[Field], lang: str) -> str:
    """Ids the row itself suggests for this field (helpt's suggestions name volunteers by id), to tick."""
    item = _items(field)
    if item is None:
        return ""
    have = {m.group(0).upper() for m in item.finditer(field.value)}
    offered: dict[str, str] = {}
    for other in fields:
        if other.index != field.index:
            for found in item.finditer(other.value):
                offered.setdefault(found.group(0).upper(), other.value)
    offered = {key: text for key, text in offered.items() if key not in have}
    if not offered:
        return ""
    boxes = "".join(
        f'<div><input type="checkbox" id="p{field.index}-{n}" name="p{field.index}" value="{_esc(key)}">'
        f' <label for="p{field.index}-{n}">{_esc(text)}</label></div>'
        for n, (key, text) in enumerate(offered.items()))
    return (f'<fieldset class="picker"><legend>{_esc(say(lang, "picker"))}</legend>{boxes}</fieldset>')


def _input(field: Field, shown: str, described: str) -> str:
    name, label_id = f"c{field.index}", f"f{field.index}"
    if field.choices is not None:
        options = [""] + field.choices + ([shown] if shown and shown not in field.choices else [])
        items = "".join(f'<option{" selected" if o == shown else ""}>{_esc(o)}</option>' for o in options)
        return f'<select id="{label_id}" name="{name}"{described}>{items}</select>'
    if field.pattern is not None:  # checked as typed, as Google flags it
        return (f'<input id="{label_id}" name="{name}" value="{_esc(shown)}" size="40" '
                f'pattern="{_esc(field.pattern.strip("^$"))}"{described}>')
    rows = 4 if len(shown) > 60 or "\n" in shown else 2
    return f'<textarea id="{label_id}" name="{name}" rows="{rows}" cols="60"{described}>{_esc(shown)}</textarea>'


def render_form(app: SheetsApp, ss: Spreadsheet, sheet: Sheet, r: int | None, message: str = "",
                typed: dict[int, str] | None = None) -> str:
    """The form for row r (0-based), or a new row when r is None; `typed` keeps what the person entered
    when a save was refused. What can be changed comes first; what helpt writes is folded below."""
    lang = language_of(ss.properties)
    fields = fields_of(sheet, r if r is not None else len(sheet.rows), lang)
    if r is None:
        fields = [Field(f.index, f.header, "", f.locked, f.choices, f.help, f.pattern) for f in fields]
    key = fields[0].value if fields else ""
    heading = say(lang, "row_of", n=r + 1, title=sheet.title) if r is not None else say(lang, "new_row",
                                                                                         title=sheet.title)
    if key:  # whose row it is, by its id
        heading += f": {key}"
    parts = [f"<h1>{_esc(heading)}</h1>",
             f'<p><a href="{_esc(_url(ss.id))}?tab={_esc(quote(sheet.title, safe=""))}">'
             f'{_esc(say(lang, "back"))}</a></p>',
             f'<form class="edit" method="post" action="{_esc(_url(ss.id, "edit"))}" '
             f'data-saving="{_esc(say(lang, "saving"))}" data-offline="{_esc(say(lang, "offline"))}">',
             f'<input type="hidden" name="token" value="{form_token(app.token, ss.id)}">',
             f'<input type="hidden" name="tab" value="{_esc(sheet.title)}">',
             f'<input type="hidden" name="row" value="{"new" if r is None else r + 1}">',
             f'<input type="hidden" name="key" value="{_esc(key)}">', '<div class="fields">']
    for field in fields:
        if field.locked:
            continue
        shown = (typed or {}).get(field.index, field.value)
        help_id = f"h{field.index}"
        described = f' aria-describedby="{help_id}"' if field.help else ""
        labels = _labels(field)
        if labels is not None:  # several choices in one cell: a box per choice
            parts.append(f'<fieldset class="field" id="f{field.index}"{described}><legend>{_esc(field.header)}</legend>'
                         + (f'<p class="help" id="{help_id}">{_esc(field.help)}</p>' if field.help else "")
                         + _ticks(field, shown, labels)
                         + f'<input type="hidden" name="o{field.index}" value="{_esc(field.value)}"></fieldset>')
            continue
        parts.append(f'<div class="field"><label for="f{field.index}">{_esc(field.header)}</label>'
                     + (f'<p class="help" id="{help_id}">{_esc(field.help)}</p>' if field.help else "")
                     + _input(field, shown, described) + _picker(field, fields, lang)
                     + f'<input type="hidden" name="o{field.index}" value="{_esc(field.value)}"></div>')
    parts += ["</div>",
              f'<p class="save"><button type="submit">{_esc(say(lang, "save"))}</button> '
              f'<span id="status" role="status" aria-live="polite">{_esc(message)}</span></p>', "</form>"]
    locked = [f for f in fields if f.locked]
    if locked and r is not None:
        items = "".join(f"<dt>{_esc(f.header)}</dt><dd>{_esc(f.value) or '—'}</dd>" for f in locked)
        parts.append(f'<details class="read-only"><summary>{_esc(say(lang, "read_only"))}</summary>'
                     f'<p class="locked">{_esc(say(lang, "read_only_why"))}</p><dl>{items}</dl></details>')
    parts.append(f"<script>{_SCRIPT}</script>")
    return _page(heading + f" — {sheet.title}", "\n".join(parts), lang)


def _wants_json(request: Request) -> bool:
    """The page's script asks for JSON; a plain form post gets pages."""
    return "application/json" in request.headers.get("Accept", "")


def _answer(request: Request, status: int, message: str, html_page: str | None = None, lang: str = "en",
            **extra: Any) -> Response:
    if _wants_json(request):
        return Response(json.dumps({"message": message, **extra}), status=status, content_type="application/json")
    title = say(lang, "not_saved")
    page = html_page or _page(title, f"<h1>{_esc(title)}</h1><p>{_esc(message)}</p>", lang)
    return Response(sendable(page), status=status, content_type="text/html; charset=utf-8")


def edit_page(app: SheetsApp, request: Request, ss: Spreadsheet) -> Response:
    lang = language_of(ss.properties)
    sheet = ss.sheet_by_title(request.args.get("tab", ""))
    wanted = request.args.get("row", "")
    saved = request.args.get("saved")
    message = say_n(lang, SAVED, int(saved)) if saved and saved.isdigit() else ""
    if sheet is not None and wanted == "new" and _new_row_allowed(sheet):
        return Response(sendable(render_form(app, ss, sheet, None, message)), content_type="text/html; charset=utf-8")
    r = int(wanted) - 1 if wanted.isdigit() else -1
    if sheet is None or not 1 <= r < sheet.row_count or not tab_is_editable(sheet) or not _has_content(sheet, r):
        title = say(lang, "not_found")
        return Response(_page(title, f"<h1>{_esc(title)}</h1>", lang), status=404,
                        content_type="text/html; charset=utf-8")
    return Response(sendable(render_form(app, ss, sheet, r, message)), content_type="text/html; charset=utf-8")


def _checked(field: Field, text: str, lang: str) -> str | None:
    """Why `text` cannot go in `field`, in the team's words; None when it can."""
    if field.choices is not None and text and text not in field.choices:
        return say(lang, "not_a_choice", value=text[:80], column=field.header, choices=", ".join(field.choices))
    if field.pattern is not None and text and not re.fullmatch(field.pattern, text):
        return say(lang, "not_the_shape", value=text[:80], column=field.header, help=field.help)
    if len(text) > MAX_CELL_CHARACTERS:
        return say(lang, "too_long", column=field.header, n=MAX_CELL_CHARACTERS)
    return None


def _with_picked(field: Field, typed: str, picked: list[str]) -> str:
    """The typed value with the ids ticked in the picker added, each once."""
    item = _items(field)
    have = [m.group(0) for m in item.finditer(typed)] if item else []
    new = [p for p in picked if item and item.fullmatch(p) and p.upper() not in {h.upper() for h in have}]
    return ", ".join([typed.strip().rstrip(",").strip(), *new]).strip(", ") if new else typed


def save(app: SheetsApp, request: Request, ss: Spreadsheet) -> Response:
    """Write the changed cells of one row (or a new row), or nothing, with the reason."""
    lang = language_of(ss.properties)
    form = request.form

    def answer(status: int, key: str, **words: object) -> Response:
        return _answer(request, status, say(lang, key, **words), None, lang)

    if _cross_site(request) or not hmac.compare_digest(form.get("token", ""), form_token(app.token, ss.id)):
        return answer(403, "refused")
    sheet = ss.sheet_by_title(form.get("tab", ""))
    if sheet is None or not tab_is_editable(sheet):
        return answer(404, "no_tab")
    adding = form.get("row") == "new"
    if adding:
        if not _new_row_allowed(sheet):
            return answer(404, "no_tab")
        r = _first_free_row(sheet)
        if r >= sheet.row_count:
            return answer(409, "no_room")
    else:
        try:
            asked = int(form.get("row", "")) - 1
        except ValueError:
            return answer(400, "no_row_number")
        found = _find_row(sheet, asked, form.get("key", ""))
        if found is None or not _has_content(sheet, found):
            return answer(409, "row_gone")
        r = found
    fields = fields_of(sheet, r, lang)
    typed: dict[int, str] = {}
    changes: dict[int, str] = {}
    conflicts = []
    for field in fields:
        name = f"c{field.index}"
        if name not in form or field.locked:
            continue
        if _labels(field) is not None:
            text = ", ".join(form.getlist(f"m{field.index}"))
        else:
            text = _with_picked(field, form[name], form.getlist(f"p{field.index}"))
        problem = _checked(field, text, lang)
        if problem:
            return _answer(request, 400, problem, None, lang)
        typed[field.index] = text
        if text == form.get(f"o{field.index}", ""):
            continue
        if field.value != form.get(f"o{field.index}", ""):
            conflicts.append(say(lang, "now_is", column=field.header, value=field.value))
        changes[field.index] = text
    if adding:
        key = typed.get(0, "").strip()
        if not key:
            return answer(400, "needs_key", column=fields[0].header)
        if _find_row(sheet, -1, key) is not None:
            return answer(409, "key_taken", column=fields[0].header, value=key[:80])
    if conflicts:
        message = say(lang, "conflict", changes="; ".join(conflicts))
        return _answer(request, 409, message, render_form(app, ss, sheet, r, message, typed), lang)
    if changes:
        data = [{"range": a1.format_range(sheet.title, r, r + 1, c, c + 1), "values": [[text]]}
                for c, text in sorted(changes.items())]
        try:
            app.mutate(ss.id, lambda spreadsheet: values.batch_update(
                spreadsheet, {"valueInputOption": "RAW", "data": data}))
        except ApiError as error:
            return _answer(request, error.code, f"{say(lang, 'not_saved')}: {error.message}", None, lang)
    current = {f.index: f.value for f in fields_of(sheet, r, lang) if not f.locked}
    if _wants_json(request):
        return _answer(request, 200, say_n(lang, SAVED, len(changes)), None, lang, row=r + 1,
                       values={str(k): v for k, v in current.items()})
    return Response(status=303, headers={"Location": edit_url(ss.id, sheet.title, r + 1, saved=len(changes))})
