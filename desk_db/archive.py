"""The intake archive: submissions moved out of the spreadsheet to keep it under Google's cell limit.

Google holds at most 10 million cells in a spreadsheet. An intake row that a
master row has merged, and that is older than `HELPT_ARCHIVE_AFTER_DAYS`,
moves here (sync/archive.py): each sync still reads it, so every master row,
count and suggestion stays as if it had never moved, and a sync from scratch
rebuilds from the sheet and this table together. `helpt person export|forget`,
retention and `helpt purge` reach it like the sheet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import islice

import sqlalchemy as sa

from .engine import Database

_metadata = sa.MetaData()
ARCHIVE = sa.Table(
    "intake_archive", _metadata,
    sa.Column("submission_id", sa.String(100), primary_key=True),
    sa.Column("tab_id", sa.String(40), nullable=False),
    sa.Column("record", sa.Text, nullable=False),  # JSON {column id: cell text}, as the sheet held it
    sa.Column("archived_at", sa.String(32), nullable=False),
    # What the sync's memory files the row's normalised form under (sync/remember.py, row_fingerprint),
    # so that a sync finds it there without reading the row; "" for rows archived before this column.
    sa.Column("fingerprint", sa.String(64), nullable=False, server_default=""),
)
_BATCH = 5000  # rows per statement: PostgreSQL takes at most 65,535 parameters in one
_ORDER = (ARCHIVE.c.archived_at, ARCHIVE.c.submission_id)


@dataclass(frozen=True)
class Archived:
    submission_id: str
    tab_id: str
    record: dict[str, str]
    fingerprint: str = ""


def _add_fingerprints(db: sa.Connection) -> None:
    """An archive made before the fingerprint column gets it (its rows: "", read whole by the next sync)."""
    if "fingerprint" not in {column["name"] for column in sa.inspect(db).get_columns(ARCHIVE.name)}:
        db.execute(sa.text(f"ALTER TABLE {ARCHIVE.name} ADD COLUMN fingerprint VARCHAR(64) NOT NULL DEFAULT ''"))


class Archive:
    """The archive in `database`; the sync moves rows in, under the sync lock."""

    def __init__(self, database: Database) -> None:
        self.database = database
        database.create_tables(_metadata, then=_add_fingerprints)

    def add(self, rows: Iterable[Archived], now: str) -> None:
        """Keep `rows`, all or none. A submission kept before (its row's delete failed, and a coordinator
        may have corrected it since) is kept as the sheet holds it now.

        `rows` is taken one batch at a time, as text: 100,000 rows weigh some 200 MB as dicts and 100 MB
        as text, so a caller that makes them as they are asked for never holds them all.
        """
        insert = self.database.insert(ARCHIVE)
        upsert = insert.on_conflict_do_update(index_elements=["submission_id"], set_={
            "tab_id": insert.excluded.tab_id, "record": insert.excluded.record,
            "fingerprint": insert.excluded.fingerprint})
        rows = iter(rows)
        with self.database.begin() as db:
            while batch := [{"submission_id": r.submission_id, "tab_id": r.tab_id, "archived_at": now,
                             "record": json.dumps(r.record, ensure_ascii=False), "fingerprint": r.fingerprint}
                            for r in islice(rows, _BATCH)]:
                db.execute(upsert, batch)

    def rows(self) -> list[Archived]:
        """Everything archived, oldest archive first."""
        query = sa.select(ARCHIVE.c.submission_id, ARCHIVE.c.tab_id, ARCHIVE.c.record, ARCHIVE.c.fingerprint).order_by(
            *_ORDER)
        with self.database.begin() as db:
            return [Archived(sid, tab_id, json.loads(record), fingerprint)
                    for sid, tab_id, record, fingerprint in db.execute(query)]

    def fingerprints(self) -> list[tuple[str, str, str]]:
        """(submission id, tab id, fingerprint) of everything archived, in the order of `rows`: what a sync
        with memory reads instead of the rows themselves."""
        query = sa.select(ARCHIVE.c.submission_id, ARCHIVE.c.tab_id, ARCHIVE.c.fingerprint).order_by(*_ORDER)
        with self.database.begin() as db:
            return [tuple(row) for row in db.execute(query)]  # type: ignore[misc]

    def records(self, submission_ids: Iterable[str]) -> dict[str, dict[str, str]]:
        """The rows of these submissions as the sheet held them, by submission id."""
        ids, found = sorted(set(submission_ids)), {}
        with self.database.begin() as db:
            for start in range(0, len(ids), _BATCH):
                found.update((sid, json.loads(record)) for sid, record in db.execute(
                    sa.select(ARCHIVE.c.submission_id, ARCHIVE.c.record).where(
                        ARCHIVE.c.submission_id.in_(ids[start:start + _BATCH]))))
        return found
    def state(self) -> str:
        """How many rows, and the latest move: what a sync compares to know the archive is as it left it
        (every change between two syncs erases rows: forget, retention, purge)."""
        with self.database.begin() as db:
            count, latest = db.execute(sa.select(sa.func.count(), sa.func.max(ARCHIVE.c.archived_at))).one()
        return f"{count} {latest or ''}"

    def holding(self, matches: Callable[[dict[str, str]], bool]) -> list[Archived]:
        """Every archived row that `matches` (a subject access request)."""
        return [row for row in self.rows() if matches(row.record)]

    def forget(self, matches: Callable[[dict[str, str]], bool]) -> int:
        """Erase every archived row that `matches` (a person's right to be forgotten); how many."""
        return self.drop(row.submission_id for row in self.holding(matches))

    def drop(self, submission_ids: Iterable[str]) -> int:
        """Erase these submissions (retention), leaving no copy in the database's files; how many."""
        ids = sorted(set(submission_ids))
        erased = 0
        with self.database.begin() as db:
            for start in range(0, len(ids), _BATCH):
                erased += db.execute(sa.delete(ARCHIVE).where(ARCHIVE.c.submission_id.in_(
                    ids[start:start + _BATCH]))).rowcount
        if erased:
            self.database.leave_no_trace(ARCHIVE.name)
        return erased

    def erase_all(self) -> int:
        """Erase the whole archive (`helpt purge`); how many rows there were."""
        with self.database.begin() as db:
            erased = db.execute(sa.delete(ARCHIVE)).rowcount
        self.database.leave_no_trace(ARCHIVE.name)
        return erased
