"""One sync at a time: the periodic worker and a coordinator's manual run never overlap.

The lock lives in the desk's database (`desk_db.engine`): a lock on a byte of
the SQLite file on one machine, or a PostgreSQL advisory lock shared by every
machine when `DATABASE_URL` is set. Either dies with its holder, so a
crashed sync never leaves a stale lock behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from desk_db import Database
from sheets_schema.errors import HelptError

SYNC_LOCK = "sync"
_LOOK_AGAIN = 0.5  # seconds between two tries of a waiting command


class SyncRunning(HelptError):
    """Another sync holds the lock."""


@contextmanager
def sync_lock(database: Database, wait: float = 0, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the sync lock for the duration of the block, or raise SyncRunning.

    A sync raises at once: the one running does its work. A command that must run (`helpt person
    forget`, `helpt purge`) waits up to `wait` seconds for it to end, telling `waiting` once: the worker
    syncs every minute, and at 100,000 sign-ups a sync takes 10 to 50 s, so such a command would
    otherwise fail one time in five."""
    deadline, told = time.monotonic() + wait, False
    while True:
        with database.lock(SYNC_LOCK) as lock:
            if lock is not None:
                yield
                return
        if time.monotonic() >= deadline:
            raise SyncRunning("another sync is running; this one did nothing")
        if waiting is not None and not told:
            waiting()
            told = True
        time.sleep(_LOOK_AGAIN)
