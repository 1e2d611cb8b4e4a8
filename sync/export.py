"""`helpt export`: every tab to CSV or xlsx files, safe to open in a spreadsheet program.

Headers and file names in the team's language (or ids, for machines); the
files themselves are written by sheets_schema.files, which keeps a formula a
stranger typed from ever running and the files readable by their owner only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sheets_schema.fields import Tab
from sheets_schema.files import FORMATS, Table, write_csv, write_xlsx_file

if TYPE_CHECKING:
    from sheets_schema.workbook import Sheet, Workbook


def table(sheet: Sheet, language: str | None = None,
          rows: Iterable[list[str]] | None = None) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows: the declared columns, headed in `language` (by id when None), then a
    coordinator's own columns under their own header. `rows` default to the sheet's own."""
    declared = [c for c in sheet.tab.columns if c.id in sheet.positions]
    indexes = [sheet.positions[c.id] for c in declared]
    own = [i for i, text in enumerate(sheet.header) if text.strip() and i not in set(indexes)]
    header = [c.labels[language] if language else c.id for c in declared] + [sheet.header[i] for i in own]
    order = indexes + own
    return header, ([row[i] if i < len(row) else "" for i in order]
                    for row in (sheet.rows if rows is None else rows) if any(cell.strip() for cell in row))


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
    read = {tab.id: workbook.read_rows(tab) for tab in tabs}  # headers now, rows as the files take them
    if fmt == "csv":
        written = []
        for tab in tabs:
            sheet, rows = read[tab.id]
            path = out / f"{tab.id if ids else _file_name(sheet.title)}.csv"
            write_csv(path, *table(sheet, language, rows))
            written.append(path)
        return written
    path = out / (_file_name(workbook.title) + ".xlsx")
    tables = []
    for tab in tabs:
        sheet, rows = read[tab.id]
        header, body = table(sheet, language, rows)
        kinds = [c.type for c in tab.columns if c.id in sheet.positions]
        tables.append(Table(sheet.title, itertools.chain([header], body), kinds))
    write_xlsx_file(path, tables)
    return [path]
