"""Spreadsheets in memory, persisted to SQLite row by row.

Reads are served from memory; each mutation writes only the rows it touched
(or, after a structural change such as inserting rows, that one sheet's rows).
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FILE_NAME = "sheets.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS spreadsheets (id TEXT PRIMARY KEY, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    ss TEXT NOT NULL, sheet INTEGER NOT NULL, r INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (ss, sheet, r)) WITHOUT ROWID;
"""


def now_iso() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%03dZ" % int(t % 1 * 1000)


@dataclass
class Sheet:
    """One tab: its API properties, its cells, and the extras the API lists per sheet."""

    properties: dict[str, Any]
    rows: list[list[Any]] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)
    dirty_rows: set[int] = field(default_factory=set)
    rewrite: bool = False

    @property
    def sheet_id(self) -> int:
        return self.properties["sheetId"]

    @property
    def title(self) -> str:
        return self.properties["title"]

    @property
    def grid(self) -> dict[str, Any]:
        return self.properties.setdefault("gridProperties", {})

    @property
    def row_count(self) -> int:
        return self.grid.get("rowCount", 1000)

    @property
    def col_count(self) -> int:
        return self.grid.get("columnCount", 26)

    def set_cell(self, r: int, c: int, value: Any) -> None:
        while len(self.rows) <= r:
            self.rows.append([])
        row = self.rows[r]
        if len(row) <= c:
            if value is None:
                return
            row.extend([None] * (c + 1 - len(row)))
        row[c] = value
        self.dirty_rows.add(r)

    def get_cell(self, r: int, c: int) -> Any:
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def restructure(self) -> None:
        """Mark that row positions moved, so the whole sheet is written at the next save."""
        self.rewrite = True


@dataclass
class Spreadsheet:
    id: str
    properties: dict[str, Any]
    sheets: list[Sheet]
    created: str
    modified: str
    extras: dict[str, Any] = field(default_factory=dict)
    version: int = 1  # Drive's file version: one more at every change that is saved

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def sheet_by_title(self, title: str) -> Sheet | None:
        return next((s for s in self.sheets if s.title == title), None)

    def reindex(self) -> None:
        self.sheets.sort(key=lambda s: s.properties["index"])
        for i, s in enumerate(self.sheets):
            s.properties["index"] = i

    def new_sheet_id(self) -> int:
        taken = {s.sheet_id for s in self.sheets}
        while True:
            candidate = secrets.randbelow(2_000_000_000) + 1
            if candidate not in taken:
                return candidate


def new_id() -> str:
    return secrets.token_urlsafe(33)[:44]


class Store:
    """All spreadsheets of one data directory. Callers hold `lock` around mutations."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.lock = threading.RLock()
        path = data_dir / FILE_NAME
        if not path.exists():  # the spreadsheets hold personal data: readable by their owner only
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        self.db = sqlite3.connect(str(path), check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA secure_delete=ON")  # what is deleted or overwritten is zeroed, not left behind
        self.db.executescript(_SCHEMA)
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self._load()

    def close(self) -> None:
        """Checkpoint and close: no write-ahead log, with its older page images, is left on disk."""
        with self.lock:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()

    def compact(self) -> None:
        """Leave no old page on disk: after a purge, nothing erased may be found in the files.

        secure_delete zeroes freed content in the database file; the write-ahead
        log still holds earlier page images until it is checkpointed and cut.
        """
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("VACUUM")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reload(self, ss_id: str) -> None:
        """Drop unsaved changes to one spreadsheet (a failed request is not applied)."""
        self.spreadsheets.pop(ss_id, None)
        self._load(ss_id)

    def _load(self, only: str | None = None) -> None:
        query = "SELECT id, meta FROM spreadsheets" + (" WHERE id = ?" if only else "")
        for ss_id, meta in self.db.execute(query, (only,) if only else ()).fetchall():
            data = json.loads(meta)
            sheets = [Sheet(s["properties"], [], s.get("extras", {})) for s in data["sheets"]]
            ss = Spreadsheet(ss_id, data["properties"], sheets, data["created"], data["modified"],
                             data.get("extras", {}), data.get("version", 1))
            by_id = {s.sheet_id: s for s in sheets}
            for sheet_id, r, row in self.db.execute(
                "SELECT sheet, r, data FROM rows WHERE ss = ? ORDER BY sheet, r", (ss_id,)
            ):
                sheet = by_id.get(sheet_id)
                if sheet is None:
                    continue
                while len(sheet.rows) < r:
                    sheet.rows.append([])
                sheet.rows.append(json.loads(row))
            self.spreadsheets[ss_id] = ss

    def create(self, title: str) -> Spreadsheet:
        from .resources import default_sheet_properties, default_spreadsheet_properties

        stamp = now_iso()
        ss = Spreadsheet(new_id(), default_spreadsheet_properties(title),
                         [Sheet(default_sheet_properties(0, "Sheet1", 0))], stamp, stamp)
        self.spreadsheets[ss.id] = ss
        ss.sheets[0].rewrite = True
        self.save(ss)
        return ss

    def delete(self, ss_id: str) -> None:
        self.spreadsheets.pop(ss_id, None)
        with self.db:
            self.db.execute("DELETE FROM spreadsheets WHERE id = ?", (ss_id,))
            self.db.execute("DELETE FROM rows WHERE ss = ?", (ss_id,))

    def save(self, ss: Spreadsheet) -> None:
        """Write the metadata and the rows touched since the last save."""
        ss.modified = now_iso()
        ss.version += 1
        meta = {
            "properties": ss.properties,
            "sheets": [{"properties": s.properties, "extras": s.extras} for s in ss.sheets],
            "created": ss.created,
            "modified": ss.modified,
            "extras": ss.extras,
            "version": ss.version,
        }
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO spreadsheets (id, meta) VALUES (?, ?)", (ss.id, json.dumps(meta)))
            ids = [s.sheet_id for s in ss.sheets]
            self.db.execute(
                f"DELETE FROM rows WHERE ss = ? AND sheet NOT IN ({','.join('?' * len(ids))})", (ss.id, *ids)
            )
            for sheet in ss.sheets:
                self._save_rows(ss.id, sheet)

    def _save_rows(self, ss_id: str, sheet: Sheet) -> None:
        if sheet.rewrite:
            self.db.execute("DELETE FROM rows WHERE ss = ? AND sheet = ?", (ss_id, sheet.sheet_id))
            targets = range(len(sheet.rows))
        else:
            self.db.execute(
                "DELETE FROM rows WHERE ss = ? AND sheet = ? AND r >= ?", (ss_id, sheet.sheet_id, len(sheet.rows))
            )
            targets = sorted(r for r in sheet.dirty_rows if r < len(sheet.rows))
        self.db.executemany(
            "INSERT OR REPLACE INTO rows (ss, sheet, r, data) VALUES (?, ?, ?, ?)",
            ((ss_id, sheet.sheet_id, r, json.dumps(sheet.rows[r]))
             for r in targets if sheet.rows[r] or not sheet.rewrite),
        )
        sheet.rewrite = False
        sheet.dirty_rows.clear()
