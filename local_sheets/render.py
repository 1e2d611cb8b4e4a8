"""HTML views and xlsx/CSV exports of a local spreadsheet.

Pure functions over a Sheets API v4 spreadsheet resource and its cell grids:
no I/O, so the server only has to fetch data and send what these return.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlencode

from sheets_schema.a1 import column_letters
from sheets_schema.files import Table, csv_text, xlsx_bytes

from .charts import chart_svg
from .targets import contains
from .words import ROWS, language_of, say, say_n

MAX_ROWS = 2000

_CSS = (
    "body{font-family:system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:1.5rem}"
    "a{color:#0b57d0}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}"
    "nav a{display:block;padding:.3rem .7rem;border:1px solid #767676;"
    "border-bottom-width:4px;text-decoration:none}"
    "nav a[aria-current=page]{background:#1a1a1a;color:#fff;font-weight:bold}"
    ".wrap{overflow:auto}table{border-collapse:collapse}"
    "caption{text-align:left;font-weight:bold;padding:.4rem 0}"
    "th,td{border:1px solid #8c8c8c;padding:.2rem .4rem;vertical-align:top;white-space:pre-wrap}"
    "thead th{background:#e8eaed}th.ref{background:#f1f3f4;color:#3c3c3c;font-weight:normal}"
    "th.noted{text-decoration:underline dotted;cursor:help}"
    "td.num{text-align:right}.locked{background:#fff1d6}th.ref.locked{background:#ffe0a3}"
    "figure.chart{margin:1.5rem 0}"
    ".field{margin:0 0 1rem}.field>label{display:block;font-weight:bold}"
    ".field .help{margin:.1rem 0 .3rem;color:#3c3c3c;font-size:.95rem}"
    ".picker{margin:.4rem 0;border:1px solid #8c8c8c}.save button{font-weight:bold;padding:.4rem 1.2rem}"
    "#status{margin-left:.75rem;font-weight:bold}details.read-only{margin-top:1.5rem}"
    "details.read-only dt{font-weight:bold;margin-top:.4rem}details.read-only dd{margin:0}"
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
)


_SURROGATE = re.compile("[\ud800-\udfff]")


def sendable(text: str) -> str:
    """Text that UTF-8 can carry: a lone surrogate (a cell from before the server refused them) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _url(*parts: str) -> str:
    """Path under /spreadsheets/, each part quoted so a title cannot add segments."""
    return "/spreadsheets/" + "/".join(quote(str(p), safe="") for p in parts)


def _page(title: str, body: str, lang: str = "en") -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def render_signed_out() -> str:
    """The view asks for its link, in the three languages of the desk (it does not know the team's)."""
    body = (
        '<h1 lang="nl">Open de link die helpt gaf</h1>\n'
        '<p lang="nl">Deze spreadsheet bevat persoonsgegevens. Open het adres met <code>?token=</code> dat '
        '<code>make run</code> of <code>helpt serve</code> toonde bij het starten; het werkt één keer en laat '
        'deze browser daarna binnen. Een nieuw adres: <code>helpt view</code>.</p>\n'
        '<h2 lang="en">Open the link helpt gave</h2>\n'
        '<p lang="en">This spreadsheet holds personal data. Open the address with <code>?token=</code> that '
        '<code>make run</code> or <code>helpt serve</code> printed when it started; it works once and lets this '
        'browser in from then on. A new address: <code>helpt view</code>.</p>\n'
        '<h2 lang="fr">Ouvrez le lien donné par helpt</h2>\n'
        '<p lang="fr">Ce tableur contient des données personnelles. Ouvrez l\'adresse avec <code>?token=</code> '
        'affichée par <code>make run</code> ou <code>helpt serve</code> au démarrage ; elle sert une fois et '
        'laisse ensuite entrer ce navigateur. Une nouvelle adresse : <code>helpt view</code>.</p>')
    return _page("helpt", body)


def render_index(spreadsheets: list[dict]) -> str:
    """The list of local spreadsheets, each linking to its view."""
    if not spreadsheets:
        body = ("<p>No spreadsheet exists yet. Run <code>helpt init</code> "
                "to create one.</p>")
    else:
        items = "\n".join(
            f'<li><a href="{_esc(_url(s["id"]))}">{_esc(s.get("title") or s["id"])}</a>'
            f' ({int(s.get("sheet_count", 0))} tabs)</li>' for s in spreadsheets)
        body = f"<ul>\n{items}\n</ul>"
    return _page("helpt — local spreadsheets",
                 f"<h1>Local spreadsheets</h1>\n{body}")


def _sheets_in_order(spreadsheet: dict) -> list[dict]:
    return sorted(spreadsheet.get("sheets", []),
                  key=lambda s: s.get("properties", {}).get("index", 0))


def _hex(color: dict) -> str:
    """Sheets colours are floats 0..1 and omit zero components."""
    rgb = (max(0, min(255, round(float(color.get(k, 0)) * 255)))
           for k in ("red", "green", "blue"))
    return "#" + "".join(f"{v:02x}" for v in rgb)


def _is_dark(color: dict) -> bool:
    """Relative luminance (WCAG) low enough that dark text would be unreadable."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(float(color.get(k, 0))) for k in ("red", "green", "blue"))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.18


def _cell_style(formats: list[dict], row: int, col: int) -> str:
    """Inline CSS for one cell; later formats win, as in a batchUpdate."""
    background, bold = None, None
    for entry in formats:
        if not contains(entry.get("range", {}), row, col):
            continue
        fmt = entry.get("format", {})
        # {} is black (zero components are omitted), so test presence, not truth.
        color = fmt.get("backgroundColor", fmt.get("backgroundColorStyle", {}).get("rgbColor"))
        if color is not None:
            background = color
        if "bold" in fmt.get("textFormat", {}):
            bold = bool(fmt["textFormat"]["bold"])
    css = []
    if background is not None:
        css.append(f"background:{_hex(background)}")
        css.append(f"color:{'#fff' if _is_dark(background) else '#1a1a1a'}")
    if bold is not None:
        css.append(f"font-weight:{'bold' if bold else 'normal'}")
    return ";".join(css)


def _display(value: object) -> str:
    """The text Sheets would show: TRUE/FALSE, 3 rather than 3.0."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def whole_tab_protected(protected_ranges: list[dict]) -> bool:
    """One protection over the whole tab (helpt's intake tabs): nothing in it is edited by hand."""
    return any(set(p.get("range", {})) <= {"sheetId"} for p in protected_ranges)


def lock_note(locks: list[dict], row: int | None, col: int, lang: str = "en") -> str | None:
    """Why a cell (or, with row None, a column) is protected, in words; None when it is not."""
    for lock in locks:
        if contains(lock.get("range", {}), row, col):
            description = lock.get("description") or ""
            if description.startswith("helpt:"):  # helpt's marks name the tab and column, not the reason
                return say(lang, "helpt_column")
            return say(lang, "protected_by", description=description) if description else say(lang, "owner")
    return None


def _cell(tag: str, value: object, row: int, col: int, formats: list, locks: list, lang: str,
          note: str | None = None) -> str:
    attrs = ' scope="col"' if tag == "th" else ""
    classes = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        classes.append("num")
    locked = lock_note(locks, row, col, lang)
    if note:  # a note on a cell (helpt puts each column's help on its header) shows as Google shows it: on hover
        classes.append("noted")
        attrs += f' title="{_esc(note)}"'
    elif locked:
        attrs += f' title="{_esc(locked)}"'
    if locked:
        classes.append("locked")
    if classes:
        attrs += f' class="{" ".join(classes)}"'
    style = _cell_style(formats, row, col)
    if style:
        attrs += f' style="{style}"'
    return f"<{tag}{attrs}>{_esc(_display(value))}</{tag}>"


def _row(index: int, values: list, width: int, formats: list, locks: list, tag: str, edit: str | None,
         lang: str, notes: dict | None = None) -> str:
    padded = list(values) + [None] * (width - len(values))
    cells = "".join(_cell(tag, v, index, c, formats, locks, lang, (notes or {}).get((index, c)))
                    for c, v in enumerate(padded))
    number = str(index + 1)
    if edit is not None:  # the row number opens the row's form
        label = say(lang, "edit_row", n=index + 1)
        number = f'<a href="{_esc(edit)}&amp;row={index + 1}" aria-label="{_esc(label)}">{number}</a>'
    return f'<tr><th scope="row" class="ref">{number}</th>{cells}</tr>'


def _letters_row(width: int, locks: list, lang: str) -> str:
    cells = []
    for col in range(width):
        letter, note = column_letters(col), lock_note(locks, None, col, lang)
        if note:  # shading shows it; screen readers get the word (no emoji: fonts lack it)
            letter = f'{letter} <span class="sr-only">{_esc(say(lang, "protected"))}</span>'
        attrs = f' class="ref locked" title="{_esc(note)}"' if note else ' class="ref"'
        cells.append(f'<th scope="col"{attrs}>{letter}</th>')
    return '<tr><td class="ref"></td>' + "".join(cells) + "</tr>"


def _grid_table(sheet: dict, rows: list[list], formats: list[dict], edit: str | None, lang: str = "en",
                notes: dict | None = None) -> str:
    props = sheet.get("properties", {})
    title = props.get("title", "")
    if not rows:
        return f"<p>{_esc(say(lang, 'empty', title=title))}</p>"
    shown = rows[:MAX_ROWS]
    frozen = min(int(props.get("gridProperties", {}).get("frozenRowCount") or 0), len(shown))
    width = max(len(r) for r in shown)
    locks = sheet.get("protectedRanges", [])
    if whole_tab_protected(locks):
        edit = None
    head = [_letters_row(width, locks, lang)] + [
        _row(i, shown[i], width, formats, locks, "th", None, lang, notes) for i in range(frozen)]
    body = [_row(i, shown[i], width, formats, locks, "td", edit if i else None, lang, notes)
            for i in range(frozen, len(shown))]
    caption = _esc(say_n(lang, ROWS, len(rows), title=title, columns=width))
    table = (f'<div class="wrap"><table>\n<caption>{caption}</caption>\n'
             f"<thead>\n{chr(10).join(head)}\n</thead>\n"
             f"<tbody>\n{chr(10).join(body)}\n</tbody>\n</table></div>")
    hidden = len(rows) - len(shown)
    if hidden:
        table += f'\n<p class="more">{_esc(say(lang, "more_rows", shown=len(shown), hidden=hidden))}</p>'
    return table


def _tab_nav(sheets: list[dict], active: str, lang: str = "en") -> str:
    items = []
    for sheet in sheets:
        props = sheet.get("properties", {})
        title = props.get("title", "")
        attrs = ' aria-current="page"' if title == active else ""
        if props.get("tabColor"):
            attrs += f' style="border-bottom-color:{_hex(props["tabColor"])}"'
        label = _esc(title) + (f" {_esc(say(lang, 'hidden'))}" if props.get("hidden") else "")
        items.append(f'<li><a href="?tab={_esc(quote(title, safe=""))}"{attrs}>{label}</a></li>')
    return f'<nav aria-label="{_esc(say(lang, "tabs"))}">\n<ul>\n{chr(10).join(items)}\n</ul>\n</nav>'


def _cells_of(sheets: list[dict], grids: dict[str, list[list]]):
    """A chart's GridRange -> the cells it covers, from the grids shown (by the range's sheet id)."""
    titles = {s.get("properties", {}).get("sheetId", 0): s.get("properties", {}).get("title", "") for s in sheets}

    def cells(rng: dict) -> list[list]:
        rows = grids.get(titles.get(rng.get("sheetId", 0), ""), [])
        c0, c1 = rng.get("startColumnIndex", 0), rng.get("endColumnIndex")
        return [row[c0:c1] for row in rows[rng.get("startRowIndex", 0):rng.get("endRowIndex")]]
    return cells


def render_spreadsheet(spreadsheet: dict, grids: dict[str, list[list]], active: str | None) -> str:
    """One tab of a spreadsheet as a read-only HTML table, with tab links and exports."""
    sid = str(spreadsheet.get("spreadsheetId", ""))
    title = spreadsheet.get("properties", {}).get("title") or sid
    sheets = _sheets_in_order(spreadsheet)
    titles = [s.get("properties", {}).get("title", "") for s in sheets]
    # An unknown ?tab= falls back to the first tab rather than an empty page.
    current = active if active in titles else (titles[0] if titles else None)
    lang = language_of(spreadsheet.get("properties", {}))
    parts = [f"<h1>{_esc(title)}</h1>", f"<p>{_esc(say(lang, 'intro'))}</p>"]
    downloads = [f'<a href="{_esc(_url(sid, "export.xlsx"))}">{_esc(say(lang, "download"))}</a>']
    if current is None:
        parts.append(f"<p>{_esc(say(lang, 'no_tabs'))}</p>")
    else:
        parts.append(_tab_nav(sheets, current, lang))
        csv_url = _url(sid, "export", current) + ".csv"
        downloads.append(f'<a href="{_esc(csv_url)}">{_esc(say(lang, "csv"))}</a>')
    if current is not None:
        sheet = sheets[titles.index(current)]
        locks = sheet.get("protectedRanges", [])
        if not whole_tab_protected(locks) and lock_note(locks, None, 0) is None and grids.get(current):
            # Rows whose first column (their id) people type themselves, such as Partners, can be added here.
            add = _url(sid, "edit") + "?" + urlencode({"tab": current, "row": "new"})
            downloads.append(f'<a href="{_esc(add)}" class="add">{_esc(say(lang, "add_row"))}</a>')
    parts.append("<p>" + " · ".join(downloads) + "</p>")
    if current is not None:
        formats = spreadsheet.get("_formats", {}).get(current, [])
        edit = _url(sid, "edit") + "?tab=" + quote(current, safe="")
        notes = spreadsheet.get("_notes", {}).get(current, {})
        parts.append(_grid_table(sheet, grids.get(current, []), formats, edit, lang, notes))
        parts.extend(chart_svg(chart, _cells_of(sheets, grids), n) for n, chart in enumerate(sheet.get("charts", [])))
    page_title = f"{current} — {title}" if current else title
    return _page(page_title, "\n".join(parts), lang)


def to_xlsx(spreadsheet: dict, grids: dict[str, list[list]]) -> bytes:
    """All tabs as one xlsx, in tab order, with their frozen rows and hidden tabs; no text becomes a formula."""
    tables = []
    for sheet in _sheets_in_order(spreadsheet):
        props = sheet.get("properties", {})
        grid = props.get("gridProperties", {})
        tables.append(Table(props.get("title", ""), grids.get(props.get("title", ""), []),
                            frozen_rows=int(grid.get("frozenRowCount") or 0),
                            frozen_columns=int(grid.get("frozenColumnCount") or 0), hidden=bool(props.get("hidden"))))
    return xlsx_bytes(tables)


def to_csv(rows: list[list], *, for_people: bool) -> str:
    """RFC 4180 CSV of one tab.

    For people (the view's download), a value a spreadsheet program would run as
    a formula, such as "=HYPERLINK(...)", gets a leading apostrophe, as `helpt
    export` does. The Drive export API keeps values exactly as stored, as Google's does.
    """
    text = csv_text(rows, for_people=for_people)
    # Google's export ends on the last cell, without a line break after it.
    return text if for_people else text.removesuffix("\r\n")
