"""The durable intake journal: every accepted submission is stored before helpt answers 2xx.

It lives in the desk's database: SQLite in the data folder, or PostgreSQL when
`DATABASE_URL` is set, so that every web instance and the flusher share one
journal and a wiped disk loses nothing.

The submission id is unique, which makes a repeated submission a no-op; a
hash of its content tells a harmless replay (200) from an id reused for
other answers (409). An entry goes through three states:

pending      the flusher has still to append it to its intake tab;
written      the Sheets API confirmed the append; the record is kept, because
             a confirmed append can still vanish (a second server on the same
             data folder, a restored backup, a row deleted by mistake);
confirmed    a sync read the row back from the spreadsheet: only the id and
             the hash stay, enough to remain idempotent; the personal data goes.

A written entry a sync does not find is made pending again and appended anew
(invariant 11).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from .engine import Database, DatabaseUnavailable

_metadata = sa.MetaData()
SUBMISSIONS = sa.Table(
    "intake_journal", _metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.String(100), nullable=False, unique=True),
    sa.Column("tab_id", sa.String(40), nullable=False),
    sa.Column("record", sa.Text),  # JSON {column id: cell text}; NULL once a sync read the row back
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
        database.create_tables(_metadata, then=_adopt_legacy_table if database.kind == "sqlite" else None)

    def add(self, submission_id: str, tab_id: str, record: dict[str, str], received_at: str) -> Outcome:
        """Store a submission durably, unless its id is already there (then nothing changes)."""
        digest = content_hash(tab_id, record)
        table = SUBMISSIONS
        insert = self.database.insert(table).values(
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
        """The Sheets API confirmed these rows; keep their records until a sync reads them back."""
        table = SUBMISSIONS
        update = (sa.update(table).where(table.c.submission_id.in_(sa.bindparam("ids", expanding=True)))
                  .values(written_at=written_at))
        with _errors(), self.database.engine.begin() as db:
            db.execute(update, {"ids": list(submission_ids)})

    def written(self, limit: int) -> list[str]:
        """The ids of the last `limit` submissions written to the sheet, read back or not."""
        table = SUBMISSIONS
        query = (sa.select(table.c.submission_id).where(table.c.written_at.is_not(None))
                 .order_by(table.c.seq.desc()).limit(limit))
        with _errors(), self.database.engine.connect() as db:
            return list(db.execute(query).scalars())

    def awaiting_read_back(self) -> dict[str, str]:
        """Submission id -> intake tab id of every entry written but not yet seen in the sheet.

        Take this list *before* reading the sheet: every entry on it was
        appended before the read began, so a read that lacks it means it is gone.
        """
        table = SUBMISSIONS
        query = sa.select(table.c.submission_id, table.c.tab_id).where(
            table.c.written_at.is_not(None), table.c.record.is_not(None))
        with _errors(), self.database.engine.connect() as db:
            return dict(db.execute(query).all())

    def read_back(self, awaiting: Mapping[str, str], in_sheet: Callable[[str, str], bool]) -> tuple[int, int]:
        """Settle what `awaiting_read_back` listed: seen in the sheet (`in_sheet(tab id, submission id)`)
        means confirmed, its personal data erased; missing means pending again. Returns (confirmed, missing)."""
        seen = [sid for sid, tab_id in awaiting.items() if in_sheet(tab_id, sid)]
        missing = [sid for sid in awaiting if sid not in set(seen)]
        table = SUBMISSIONS
        ids = sa.bindparam("ids", expanding=True)
        # Only entries still written and unconfirmed: one forgotten or purged meanwhile stays gone.
        still = table.c.written_at.is_not(None) & table.c.record.is_not(None)
        with _errors(), self.database.engine.begin() as db:
            if seen:
                db.execute(sa.update(table).where(table.c.submission_id.in_(ids), still).values(record=None),
                           {"ids": seen})
            if missing:
                db.execute(sa.update(table).where(table.c.submission_id.in_(ids), still).values(written_at=None),
                           {"ids": missing})
        return len(seen), len(missing)

    def forget(self, matches: Callable[[dict[str, str]], bool]) -> int:
        """Erase every entry still holding a record that `matches` (a person's right to be forgotten); how many."""
        table = SUBMISSIONS
        query = sa.select(table.c.submission_id, table.c.record).where(table.c.record.is_not(None))
        with _errors(), self.database.engine.connect() as db:
            doomed = [sid for sid, record in db.execute(query) if matches(json.loads(record))]
        if doomed:
            with _errors(), self.database.engine.begin() as db:
                db.execute(sa.delete(table).where(table.c.submission_id.in_(sa.bindparam("ids", expanding=True))),
                           {"ids": doomed})
        # Always: records read back and emptied earlier may still sit in older pages of the write-ahead log.
        self.database.leave_no_trace(table.name)
        return len(doomed)

    def entry(self, submission_id: str) -> Entry | None:
        """The submission while the journal still holds its record (until a sync read it back), else None."""
        table = SUBMISSIONS
        query = sa.select(table.c.tab_id, table.c.record).where(
            table.c.submission_id == submission_id, table.c.record.is_not(None))
        with _errors(), self.database.engine.connect() as db:
            found = db.execute(query).first()
        return Entry(submission_id, found[0], json.loads(found[1])) if found else None

    def holding(self, matches: Callable[[dict[str, str]], bool]) -> list[Entry]:
        """Every entry whose record `matches`, pending or not yet read back (a subject access request)."""
        table = SUBMISSIONS
        query = (sa.select(table.c.submission_id, table.c.tab_id, table.c.record)
                 .where(table.c.record.is_not(None)).order_by(table.c.seq))
        with _errors(), self.database.engine.connect() as db:
            entries = [Entry(sid, tab_id, json.loads(record)) for sid, tab_id, record in db.execute(query)]
        return [entry for entry in entries if matches(entry.record)]

    def erase_all(self) -> int:
        """Erase every submission, pending or written (`helpt purge`); how many there were."""
        total = sum(self.counts().values())
        with _errors(), self.database.engine.begin() as db:
            db.execute(sa.delete(SUBMISSIONS))
        self.database.leave_no_trace(SUBMISSIONS.name)
        return total

    def counts(self) -> dict[str, int]:
        """How many entries are pending, written but not yet read back, and confirmed."""
        table = SUBMISSIONS
        query = sa.select(sa.func.count(), sa.func.count(table.c.written_at), sa.func.count(table.c.record))
        with _errors(), self.database.engine.connect() as db:
            total, written, holding = db.execute(query).one()
        pending = total - written
        return {"pending": pending, "written": holding - pending, "confirmed": total - holding}


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
