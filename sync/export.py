"""`helpt export`: every tab to CSV or xlsx files, safe to open in a spreadsheet program.

A cell a stranger typed as "=HYPERLINK(...)" or "+1+1" must not run when a
partner opens the file. In CSV, where every cell is typed anew by the program
reading it, such values get a leading apostrophe (OWASP's advice for CSV
injection). In xlsx each cell is stored as text, which no program evaluates,
so the value stays exactly as it was.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook as ExcelBook
from openpyxl.cell.cell import TYPE_STRING

from sheets_schema.fields import Tab
from sheets_schema.workbook import Sheet, Workbook

FORMATS = ("csv", "xlsx")
# What makes Excel, LibreOffice or Sheets read a typed cell as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0, and so xlsx, cannot hold (U+FFFF, control characters...): one such character
# a stranger typed would make the whole file unreadable, so it is dropped from the file.
_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet program will show as text, never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def table(sheet: Sheet, language: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and rows: the declared columns, headed in `language` (by id when None), then a
    coordinator's own columns under their own header."""
    declared = [c for c in sheet.tab.columns if c.id in sheet.positions]
    indexes = [sheet.positions[c.id] for c in declared]
    own = [i for i, text in enumerate(sheet.header) if text.strip() and i not in set(indexes)]
    header = [c.labels[language] if language else c.id for c in declared] + [sheet.header[i] for i in own]
    order = indexes + own
    rows = [[row[i] if i < len(row) else "" for i in order] for row in sheet.rows if any(cell.strip() for cell in row)]
    return header, rows


def _replace_privately(path: Path, write: Callable[[Path], None]) -> None:
    """Write `path` through a temporary file readable by its owner only, then swap it in whole.

    A partner's or a coordinator's copy is never seen half-written, and never
    readable by other users of the machine: it holds personal data.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=path.suffix)  # mode 0600
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """One table as CSV, formula-looking cells neutralised."""
    def write(target: Path) -> None:
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([neutralise(cell) for cell in row] for row in rows)
    _replace_privately(path, write)


def _typed(kind: str, text: str) -> object:
    """A cell as a spreadsheet program should hold it: numbers as numbers, dates as dates, the rest text."""
    try:
        if kind == "number" and _NUMBER.fullmatch(text):
            return float(text) if "." in text else int(text)
        if kind == "datetime" and text:
            return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        pass
    return text


def write_xlsx(path: Path, tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]],
               kinds: Sequence[Sequence[str]] = ()) -> None:
    """Tables as the sheets of one xlsx file (title, header, rows). Text is stored as text, never a
    formula; a column whose kind (per table, per column) is number or datetime gets typed values."""
    book = ExcelBook()
    book.remove(book.active)
    for n, (title, header, rows) in enumerate(tables):
        worksheet = book.create_sheet(NOT_XML.sub("", title)[:31] or "Sheet")  # Excel's limit on sheet names
        columns = list(kinds[n]) if n < len(kinds) else []
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values, start=1):
                text = NOT_XML.sub("", value) if isinstance(value, str) else str(value)
                typed = _typed(columns[c - 1], text) if r and c - 1 < len(columns) else text
                cell = worksheet.cell(row=r + 1, column=c, value=typed)
                if isinstance(typed, str):
                    cell.data_type = TYPE_STRING  # openpyxl would turn "=..." into a formula
                elif isinstance(typed, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
    _replace_privately(path, lambda target: book.save(target))


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.() -]+", "-", text).strip(" -") or "export"


def export_tabs(workbook: Workbook, tabs: Sequence[Tab], fmt: str, out: Path, *, ids: bool = False) -> list[Path]:
    """Write each tab to `out` (one CSV per tab, or one xlsx with a sheet per tab); returns the files.

    For people (the default), headers and file names are in the team's language; `ids` gives the
    machine-readable form: column ids as headers, tab ids as file names.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    language = None if ids else workbook.language
    sheets = workbook.read(tabs)
    if fmt == "csv":
        written = []
        for tab in tabs:
            path = out / f"{tab.id if ids else _file_name(sheets[tab.id].title)}.csv"
            write_csv(path, *table(sheets[tab.id], language))
            written.append(path)
        return written
    path = out / (_file_name(workbook.title) + ".xlsx")
    kinds = [[c.type for c in tab.columns if c.id in sheets[tab.id].positions] for tab in tabs]
    write_xlsx(path, [(sheets[tab.id].title, *table(sheets[tab.id], language)) for tab in tabs], kinds)
    return [path]
