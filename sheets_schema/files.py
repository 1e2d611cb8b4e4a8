"""The files people open: CSV and xlsx, safe whatever a cell holds, readable by their owner only.

One writer for `helpt export`, partner extract files and the local server's
downloads. A cell a stranger typed as "=HYPERLINK(...)" or "+1+1" must not
run when someone opens the file: in CSV, where every cell is typed anew by
the program reading it, such values get a leading apostrophe (OWASP's
advice for CSV injection); in xlsx each cell is stored as text, which no
program evaluates. xlsx is written in openpyxl's write-only mode, row by row,
so a 100,000-row export holds no cell objects in memory.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from .a1 import column_letters

FORMATS = ("csv", "xlsx")
# What makes Excel, LibreOffice or Sheets read a typed cell as a formula (or DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What XML 1.0, and so xlsx, cannot hold (U+FFFF, control characters, lone surrogates): one
# such character a stranger typed would make the whole file unreadable, so it is dropped there.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,10})?")
_TITLE_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
_TITLE_MAX = 31  # Excel's limit on a sheet's name
_WIDEST = 60  # characters: a column is never made wider than this


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet program will show as text, never run."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def csv_text(rows: Iterable[Sequence[Any]], *, for_people: bool = True) -> str:
    """RFC 4180 CSV; for people, formula-looking cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([neutralise(cell) for cell in row] if for_people else row for row in rows)
    return out.getvalue()


def write_private(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write `path` through a temporary file readable by its owner only, then swap it in whole.

    A partner's or a coordinator's copy is never seen half-written, and never
    readable by other users of the machine: it holds personal data.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=path.suffix)  # mode 0600
    try:
        with os.fdopen(handle, "wb") as target:
            write(target)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """One table as a CSV file for people, written as the rows come."""
    def write(target: IO[bytes]) -> None:
        text = io.TextIOWrapper(target, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
        text.flush()
        text.detach()
    write_private(path, write)


@dataclass
class Table:
    """One sheet of an xlsx file: its title, its rows (the header first) and how to show them."""

    title: str
    rows: Iterable[Sequence[Any]]  # may be a generator: the file is written as they come
    kinds: Sequence[str] = ()  # per column: "number" and "datetime" cells are typed, the rest stay text
    frozen_rows: int = 1  # the header stays in view
    frozen_columns: int = 0
    hidden: bool = False
    widths: Sequence[float] = field(default=())  # per column, in characters; empty: from the first rows


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


def excel_title(title: str, taken: set[str]) -> str:
    """A worksheet title Excel accepts, unique case-insensitively as Excel requires."""
    base = (NOT_XML.sub("", title).translate(_TITLE_FORBIDDEN).strip("'") or "Sheet")[:_TITLE_MAX]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[:_TITLE_MAX - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _widths(rows: Sequence[Sequence[Any]]) -> list[float]:
    """Column widths a reader needs: the longest of the header and the first hundred rows, capped."""
    widths: list[float] = []
    for row in rows:
        for c, value in enumerate(row):
            text = "" if value is None else str(value)
            longest = max((len(line) for line in text.splitlines()), default=0)
            if c == len(widths):
                widths.append(0)
            widths[c] = max(widths[c], min(_WIDEST, longest + 2))
    return widths


def write_xlsx(target: IO[bytes], tables: Sequence[Table]) -> None:
    """Tables as the sheets of one xlsx file, streamed row by row (write-only mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    taken = {"history"}  # reserved by Excel, which refuses a workbook using it
    any_visible = any(not table.hidden for table in tables)
    for table in tables:
        sheet = book.create_sheet(excel_title(table.title, taken))
        rows = iter(table.rows)
        first = list(itertools.islice(rows, 101))  # the header and a hundred rows set the widths
        for c, width in enumerate(table.widths or _widths(first)):
            sheet.column_dimensions[column_letters(c)].width = max(width, 4)
        if table.frozen_rows or table.frozen_columns:
            sheet.freeze_panes = f"{column_letters(table.frozen_columns)}{table.frozen_rows + 1}"
        if table.hidden and any_visible:  # Excel needs one visible sheet
            sheet.sheet_state = "hidden"
        for r, values in enumerate(itertools.chain(first, rows)):
            row = []
            for c, value in enumerate(values):
                if isinstance(value, str):
                    value = NOT_XML.sub("", value)  # only in the file: the sheet keeps what it holds
                    if r and c < len(table.kinds):
                        value = _typed(table.kinds[c], value)
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"  # openpyxl would write "=..." as a formula: public text stays text
                    value = cell
                elif isinstance(value, datetime):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                    value = cell
                row.append(value)
            sheet.append(row)
    if not tables:
        book.create_sheet("Sheet")
    book.save(target)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    out = io.BytesIO()
    write_xlsx(out, tables)
    return out.getvalue()


def write_xlsx_file(path: Path, tables: Sequence[Table]) -> None:
    write_private(path, lambda target: write_xlsx(target, tables))
