"""Erasing rows where they are now, never someone else's: `helpt person forget` and retention.

The Sheets API clears cells by position, and a coordinator may sort at any
moment. So an erasure never trusts an old read (`person forget` asks for
confirmation first, which can take minutes):

1. it reads the tabs and chooses the rows (or cells) to erase from that read;
2. it clears them, in one `values:batchClear`;
3. it reads again. A row it did not choose that lost cells (a sort moved it
   under the clear) gets them back, as step 1 read them, by its id; a chosen
   row that moved away is chosen again in the next round, from the new read.

Copies go too: the files of earlier exports (which hold everyone) are
destroyed by the caller's `after_erasure`, with the local server's old pages.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sheets_schema.errors import HelptError
from sheets_schema.fields import Tab
from sheets_schema.workbook import Sheet, Workbook, column_letters, quote_title

EXPORTS_DIR = "exports"  # under HELPT_DATA_DIR: where `helpt export` writes unless told otherwise
MAX_ROUNDS = 4

# (tab id, data row index from 0, the column ids to clear, or None for the whole row)
Target = tuple[str, int, tuple[str, ...] | None]


@dataclass
class Erasure:
    """What an erasure did: whole rows per tab (id), cells, and cells it had to give back."""

    rows: dict[str, int] = field(default_factory=dict)  # tab id -> rows erased
    titles: dict[str, str] = field(default_factory=dict)  # tab id -> its title in the sheet
    cells: int = 0
    restored: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _ranges(sheets: Mapping[str, Sheet], targets: Sequence[Target]) -> list[str]:
    ranges = []
    for tab_id, index, columns in targets:
        sheet = sheets[tab_id]
        if columns is None:
            ranges.append(sheet.whole_rows(index + 2))
        else:
            ranges += [sheet.cell(index + 2, column) for column in columns if column in sheet.positions]
    return ranges


def _key(sheet: Sheet, row: Sequence[str]) -> str:
    key = sheet.tab.key
    return row[sheet.positions[key]].strip() if key in sheet.positions else ""


def _given_back(before: Mapping[str, Sheet], after: Mapping[str, Sheet],
                targets: Sequence[Target]) -> dict[str, list[list[str]]]:
    """Cells of rows nobody chose that the clear emptied (a sort moved them under it), as they were read."""
    ranges: dict[str, list[list[str]]] = {}
    for tab_id, sheet in before.items():
        whole = {index for t, index, columns in targets if t == tab_id and columns is None}
        cleared_columns = {index: {sheet.positions[c] for c in columns if c in sheet.positions}
                           for t, index, columns in targets if t == tab_id and columns is not None}
        now = after[tab_id]
        where_now = {}
        for n, row in enumerate(now.rows):
            where_now.setdefault(_key(now, row), n)
        free = [n for n in sorted(whole) if n < len(now.rows) and not any(cell.strip() for cell in now.rows[n])]
        title = quote_title(sheet.title)
        for index, row in enumerate(sheet.rows):
            key = _key(sheet, row)
            if not key or index in whole:
                continue
            if key in where_now:  # still there: only the cells it lost, not those we meant to clear
                n = where_now[key]
                have = now.rows[n] + [""] * (len(row) - len(now.rows[n]))
                lost = [i for i, value in enumerate(row) if value.strip() and not have[i].strip()
                        and i not in cleared_columns.get(index, set())]
                for i in lost:
                    ranges[f"{title}!{column_letters(i)}{n + 2}"] = [[row[i]]]
            elif free:  # gone whole: back into one of the rows the clear emptied
                n = free.pop(0)
                ranges[f"{title}!A{n + 2}:{column_letters(max(len(row), 1) - 1)}{n + 2}"] = [list(row)]
    return ranges


def erase(workbook: Workbook, tabs: Sequence[Tab], choose: Callable[[Mapping[str, Sheet]], list[Target]], *,
          before_clear: Callable[[], None] | None = None) -> Erasure:
    """Erase what `choose` picks from a fresh read, check, and repeat until it picks nothing.

    `before_clear` runs between the read and the clear (tests sort the sheet there).
    """
    erasure = Erasure()
    counted: set[tuple[str, str]] = set()
    sheets = workbook.read(tabs)
    for _ in range(MAX_ROUNDS):
        targets = choose(sheets)
        if not targets:
            return erasure
        for tab_id, index, columns in targets:
            sheet = sheets[tab_id]
            key = _key(sheet, sheet.rows[index]) or f"row {index}"
            if (tab_id, key) in counted:
                continue  # chosen again after it moved: counted once
            counted.add((tab_id, key))
            if columns is None:
                erasure.rows[tab_id] = erasure.rows.get(tab_id, 0) + 1
                erasure.titles[tab_id] = sheet.title
            else:
                erasure.cells += len(columns)
        if before_clear is not None:
            before_clear()
            before_clear = None
        workbook.clear(_ranges(sheets, targets))
        after = workbook.read(tabs)
        given_back = _given_back(sheets, after, targets)
        if given_back:
            workbook.write(given_back)
            erasure.restored += len(given_back)
            after = workbook.read(tabs)
        sheets = after
    raise HelptError("rows kept moving while helpt erased them; run it again in a moment")


def remove_exports(data_dir: Path) -> int:
    """Destroy the files of earlier exports (they hold everyone, erased people too); how many there were."""
    return destroy(Path(data_dir) / EXPORTS_DIR)


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


def destroy(folder: Path) -> int:
    """Overwrite each file before deleting it, then the folder: nothing of it left to read back."""
    doomed = files(folder)
    for path in doomed:
        size = path.stat().st_size
        with path.open("r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    return len(doomed)
