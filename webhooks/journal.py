"""The durable intake journal: every accepted submission is on disk before helpt answers 2xx.

SQLite in WAL mode with `synchronous=FULL`: a commit returns only once the
write-ahead log is fsync'd, so neither a crash nor a power cut loses an
acknowledged submission. The submission id is the primary key, which makes a
repeated submission a no-op. The flusher later copies rows to the spreadsheet
and marks them written; it is the only reader.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g

FILE_NAME = "intake-journal.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    submission_id TEXT PRIMARY KEY,
    tab_id TEXT NOT NULL,
    record TEXT NOT NULL,           -- JSON {column id: cell text}, ready to append
    received_at TEXT NOT NULL,
    written_at TEXT                 -- NULL until the spreadsheet confirmed the row
);
CREATE INDEX IF NOT EXISTS pending ON submissions (written_at, received_at) WHERE written_at IS NULL;
"""


@dataclass(frozen=True)
class Entry:
    """One journalled submission waiting for its intake tab."""

    submission_id: str
    tab_id: str
    record: dict[str, str]


class Journal:
    """The journal file at `path`; one instance per thread (SQLite connections are not shared)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit: every statement is its own transaction, committed (and fsync'd) when it returns.
        self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add(self, submission_id: str, tab_id: str, record: dict[str, str], received_at: str) -> bool:
        """Store a submission durably; False if its id was already there (nothing changes then)."""
        cursor = self._db.execute(
            "INSERT INTO submissions (submission_id, tab_id, record, received_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (submission_id) DO NOTHING",
            (submission_id, tab_id, json.dumps(record, ensure_ascii=False), received_at),
        )
        return cursor.rowcount == 1

    def pending(self, limit: int) -> list[Entry]:
        """The oldest submissions not yet confirmed in the spreadsheet."""
        rows = self._db.execute(
            "SELECT submission_id, tab_id, record FROM submissions WHERE written_at IS NULL "
            "ORDER BY received_at, rowid LIMIT ?", (limit,),
        ).fetchall()
        return [Entry(sid, tab_id, json.loads(record)) for sid, tab_id, record in rows]

    def mark_written(self, submission_ids: Sequence[str], written_at: str) -> None:
        with self._transaction():
            self._db.executemany("UPDATE submissions SET written_at = ? WHERE submission_id = ?",
                                 [(written_at, sid) for sid in submission_ids])

    def counts(self) -> dict[str, int]:
        pending, written = self._db.execute(
            "SELECT COUNT(*) - COUNT(written_at), COUNT(written_at) FROM submissions").fetchone()
        return {"pending": pending, "written": written}

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


@contextmanager
def flusher_lock(path: Path) -> Iterator[bool]:
    """Whether this process may flush the journal at `path`: only one flusher per journal at a time.

    An advisory lock held for the flusher's life; the kernel drops it when the
    process dies, even by SIGKILL, so a restarted flusher takes over at once.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_suffix(".flusher.lock"), os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def get_journal() -> Journal:
    """This request's journal connection, opened on first use (flaskr's get_db)."""
    if "journal" not in g:
        g.journal = Journal(current_app.config["JOURNAL_PATH"])
    return g.journal


def close_journal(_error: BaseException | None = None) -> None:
    journal = g.pop("journal", None)
    if journal is not None:
        journal.close()
