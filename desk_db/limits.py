"""How often someone may knock: counts shared by every web worker and instance.

In-memory counts gave each gunicorn worker its own allowance, so passcode
guesses went 2.5 to 4 times faster than the stated limit. Here each allowed
attempt is a row (key, time) in the desk's database; an attempt is allowed
when fewer than the limit were allowed in the last 60 seconds, decided in
one transaction:

- SQLite: the insert comes first, so the transaction holds the database's
  one write lock before it counts; two workers cannot both take the last slot.
- PostgreSQL: a transaction-level advisory lock on the key serialises
  attempts on the same key only.

Rows older than the window are deleted as the key is used, and the whole
table is swept now and then, so it stays at about (keys in use x limit) rows.
Keys hold client addresses and agent names as a hash only.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

import sqlalchemy as sa

from .engine import Database, DatabaseUnavailable

WINDOW = 60.0  # seconds

_metadata = sa.MetaData()
ATTEMPTS = sa.Table(
    "rate_attempts", _metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(64), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
    sa.Index("rate_attempts_key", "key", "at"),
)


def key(*parts: str) -> str:
    """A limit's key: what it counts (its first part) and whom, hashed (addresses and names are personal)."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=24).hexdigest()


class Limits:
    """Shared attempt counts; `clock` is seconds since the epoch (every instance must agree on it)."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock
        self._sweeps = 0
        database.create_tables(_metadata)

    def take(self, name: str, per_minute: int) -> int:
        """0 if an attempt on `name` (a key()) is allowed now, and count it; else whole seconds to wait."""
        if per_minute <= 0:
            return 0
        now = self.clock()
        table = ATTEMPTS
        try:
            with self.database.engine.begin() as db:
                if self.database.kind == "postgresql":
                    db.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_number(name)})
                db.execute(sa.insert(table).values(key=name, at=now))
                db.execute(sa.delete(table).where(table.c.key == name, table.c.at <= now - WINDOW))
                times = sorted(db.execute(sa.select(table.c.at).where(table.c.key == name)).scalars())
                if len(times) > per_minute:
                    db.rollback()  # not allowed: this attempt does not count
                    return max(1, math.ceil(times[-per_minute - 1] + WINDOW - now))
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error
        self._sweep(now)
        return 0

    def clear(self, name: str) -> None:
        """Forget the attempts on `name` (an agent who signed in starts afresh)."""
        try:
            with self.database.engine.begin() as db:
                db.execute(sa.delete(ATTEMPTS).where(ATTEMPTS.c.key == name))
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    def erase_all(self) -> None:
        """`helpt purge`: no trace of who knocked."""
        try:
            with self.database.engine.begin() as db:
                db.execute(sa.delete(ATTEMPTS))
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error
        self.database.leave_no_trace(ATTEMPTS.name)

    def _sweep(self, now: float) -> None:
        """Now and then, delete the old attempts of keys nobody uses any more."""
        self._sweeps += 1
        if self._sweeps % 500:
            return
        with self.database.engine.begin() as db:
            db.execute(sa.delete(ATTEMPTS).where(ATTEMPTS.c.at <= now - WINDOW))


def _lock_number(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(f"helpt:limit:{name}".encode(), digest_size=8).digest(), "big",
                          signed=True)
