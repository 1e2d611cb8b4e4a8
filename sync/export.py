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
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet program will show as text, never run."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def table(sheet: Sheet) -> tuple[list[str], list[list[str]]]:
    """Header (declared columns by id, then a coordinator's own columns by their header) and rows."""
    declared = [c.id for c in sheet.tab.columns if c.id in sheet.positions]
    indexes = [sheet.positions[c] for c in declared]
    own = [i for i, text in enumerate(sheet.header) if text.strip() and i not in set(indexes)]
    header = declared + [sheet.header[i] for i in own]
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


def write_xlsx(path: Path, tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]]) -> None:
    """Tables as the sheets of one xlsx file (title, header, rows), every cell stored as text."""
    book = ExcelBook()
    book.remove(book.active)
    for title, header, rows in tables:
        worksheet = book.create_sheet(NOT_XML.sub("", title)[:31] or "Sheet")  # Excel's limit on sheet names
        for values in [header, *rows]:
            worksheet.append([NOT_XML.sub("", v) if isinstance(v, str) else v for v in values])
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    # openpyxl turns a string starting with "=" into a formula; force plain text.
                    cell.value = str(cell.value)
                    cell.data_type = TYPE_STRING
    _replace_privately(path, lambda target: book.save(target))


def export_tabs(workbook: Workbook, tabs: Sequence[Tab], fmt: str, out: Path) -> list[Path]:
    """Write each tab to `out` (one CSV per tab, or one xlsx with a sheet per tab); returns the files."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    sheets = workbook.read(tabs)
    if fmt == "csv":
        written = []
        for tab in tabs:
            path = out / f"{tab.id}.csv"
            write_csv(path, *table(sheets[tab.id]))
            written.append(path)
        return written
    path = out / (re.sub(r"[^\w.-]+", "-", workbook.title).strip("-") + ".xlsx")
    write_xlsx(path, [(sheets[tab.id].title, *table(sheets[tab.id])) for tab in tabs])
    return [path]
