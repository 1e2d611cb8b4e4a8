"""The durable intake journal: every accepted submission is stored before helpt answers 2xx.

It lives in the desk's database (`sheets_schema.database`): SQLite in the data
folder, or PostgreSQL when `DATABASE_URL` is set, so that every web instance
and the flusher share one journal and a wiped disk loses nothing.

The submission id is unique, which makes a repeated submission a no-op; a
hash of its content tells a harmless replay (200) from an id reused for
other answers (409). The flusher copies pending rows to the spreadsheet and
marks them written; marking also erases the row's personal data, since from
then on only the id and the hash are needed to stay idempotent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from flask import current_app

from sheets_schema.database import Database, DatabaseUnavailable

_metadata = sa.MetaData()
SUBMISSIONS = sa.Table(
    "intake_journal", _metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(100), nullable=False, unique=True),
    sa.Column("tab_id", sa.String(40), nullable=False),
    sa.Column("record", sa.Text),  # JSON {column id: cell text}; NULL once the sheet holds the row
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("received_at", sa.String(32), nullable=False),
    sa.Column("written_at", sa.String(32)),  # NULL until the spreadsheet confirmed the row
    sa.Index("intake_journal_pending", "seq", sqlite_where=sa.text("written_at IS NULL"),
             postgresql_where=sa.text("written_at IS NULL")),
)

# What `add` found: a new submission, the same one again, or its id with other content.
Outcome = Literal["accepted", "duplicate", "conflict"]


@dataclass(frozen=True)
class Entry:
    """One journalled submission waiting for its intake tab."""

    submission_id: str
    tab_id: str
    record: dict[str, str]


def content_hash(tab_id: str, record: dict[str, str]) -> str:
    """What makes two submissions the same: their tab and answers, not when they arrived."""
    answers = {key: value for key, value in record.items() if key not in ("timestamp", "submission_id")}
    canonical = json.dumps([tab_id, answers], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


class Journal:
    """The journal in `database`; safe to share between threads (the engine pools connections)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        # Every gunicorn worker of every instance does this at start. Two that find no table at
        # once both create it, and one fails; a second look then finds the winner's table.
        for attempt in range(3):
            try:
                with _errors(), database.engine.begin() as db:
                    _metadata.create_all(db)
                    if database.kind == "sqlite":
                        _adopt_legacy_table(db)
                return
            except DatabaseUnavailable:
                if attempt == 2:
                    raise

    def add(self, submission_id: str, tab_id: str, record: dict[str, str], received_at: str) -> Outcome:
        """Store a submission durably, unless its id is already there (then nothing changes)."""
        digest = content_hash(tab_id, record)
        table = SUBMISSIONS
        insert = _insert(self.database)(table).values(
            submission_id=submission_id, tab_id=tab_id, record=json.dumps(record, ensure_ascii=False),
            content_hash=digest, received_at=received_at,
        ).on_conflict_do_nothing(index_elements=["submission_id"]).returning(table.c.seq)
        with _errors(), self.database.engine.begin() as db:
            if db.execute(insert).first() is not None:  # a row comes back only when it was inserted
                return "accepted"
            known = db.execute(sa.select(table.c.content_hash).where(table.c.submission_id == submission_id))
            return "duplicate" if known.scalar() == digest else "conflict"

    def pending(self, limit: int) -> list[Entry]:
        """The oldest submissions not yet confirmed in the spreadsheet."""
        table = SUBMISSIONS
        query = (sa.select(table.c.submission_id, table.c.tab_id, table.c.record)
                 .where(table.c.written_at.is_(None)).order_by(table.c.seq).limit(limit))
        with _errors(), self.database.engine.connect() as db:
            return [Entry(sid, tab_id, json.loads(record)) for sid, tab_id, record in db.execute(query)]

    def mark_written(self, submission_ids: Sequence[str], written_at: str) -> None:
        """The sheet holds these rows now: keep their ids and hashes, erase their personal data."""
        table = SUBMISSIONS
        update = (sa.update(table).where(table.c.submission_id.in_(sa.bindparam("ids", expanding=True)))
                  .values(written_at=written_at, record=None))
        with _errors(), self.database.engine.begin() as db:
            db.execute(update, {"ids": list(submission_ids)})

    def forget(self, matches: Callable[[dict[str, str]], bool]) -> int:
        """Erase the pending submissions whose row `matches` (a person's right to be forgotten); how many."""
        table = SUBMISSIONS
        doomed = [entry.submission_id for entry in self.pending(1_000_000) if matches(entry.record)]
        if doomed:
            with _errors(), self.database.engine.begin() as db:
                db.execute(sa.delete(table).where(table.c.submission_id.in_(sa.bindparam("ids", expanding=True))),
                           {"ids": doomed})
            self._leave_no_trace()
        return len(doomed)

    def erase_all(self) -> int:
        """Erase every submission, pending or written (`helpt purge`); how many there were."""
        total = sum(self.counts().values())
        with _errors(), self.database.engine.begin() as db:
            db.execute(sa.delete(SUBMISSIONS))
        self._leave_no_trace()
        return total

    def _leave_no_trace(self) -> None:
        """What was deleted must not linger in the database's files either.

        SQLite zeroes deleted content (secure_delete) but its write-ahead log
        keeps older page images until checkpointed and cut. PostgreSQL keeps
        dead rows until a vacuum; VACUUM FULL writes the table anew. (Its WAL
        and backups are the platform's: see the README.)
        """
        with _errors(), self.database.engine.connect() as db:
            db = db.execution_options(isolation_level="AUTOCOMMIT")
            if self.database.kind == "sqlite":
                db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                db.exec_driver_sql("VACUUM")
                db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                db.exec_driver_sql("VACUUM FULL intake_journal")

    def counts(self) -> dict[str, int]:
        table = SUBMISSIONS
        query = sa.select(sa.func.count(), sa.func.count(table.c.written_at))
        with _errors(), self.database.engine.connect() as db:
            total, written = db.execute(query).one()
        return {"pending": total - written, "written": written}


def _insert(database: Database):
    """INSERT with ON CONFLICT: the same SQL in both databases, but each dialect spells it in SQLAlchemy."""
    if database.kind == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


@contextmanager
def _errors() -> Iterator[None]:
    """Turn any database failure into DatabaseUnavailable, which the edges explain."""
    try:
        yield
    except sa.exc.SQLAlchemyError as error:
        raise DatabaseUnavailable(f"the intake journal is unavailable: {error}") from error


def _adopt_legacy_table(db: sa.Connection) -> None:
    """Move a journal from before PostgreSQL support (table `submissions`, SQLite) into this one, once."""
    if "submissions" not in sa.inspect(db).get_table_names():
        return
    old = db.execute(sa.text("SELECT submission_id, tab_id, record, received_at, written_at "
                             "FROM submissions ORDER BY received_at, rowid")).all()
    if old:
        db.execute(sa.insert(SUBMISSIONS), [
            {"submission_id": sid, "tab_id": tab_id, "content_hash": content_hash(tab_id, json.loads(record)),
             "received_at": received_at, "written_at": written_at, "record": None if written_at else record}
            for sid, tab_id, record, received_at, written_at in old])
    db.execute(sa.text("DROP TABLE submissions"))


def get_journal() -> Journal:
    """The app's journal (one per app, shared by its threads)."""
    return current_app.extensions["helpt.journal"]
