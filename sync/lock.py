"""One sync at a time: the periodic worker and a coordinator's manual run never overlap.

The lock lives in the desk's database (`desk_db.engine`): a lock on a byte of
the SQLite file on one machine, or a PostgreSQL advisory lock shared by every
machine when `DATABASE_URL` is set. Either dies with its holder, so a
crashed sync never leaves a stale lock behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from desk_db import Database
from sheets_schema.errors import HelptError

SYNC_LOCK = "sync"


class SyncRunning(HelptError):
    """Another sync holds the lock."""


@contextmanager
def sync_lock(database: Database) -> Iterator[None]:
    """Hold the sync lock for the duration of the block, or raise SyncRunning at once."""
    with database.lock(SYNC_LOCK) as lock:
        if lock is None:
            raise SyncRunning("another sync is running; this one did nothing")
        yield
