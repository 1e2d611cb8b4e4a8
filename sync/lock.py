"""One sync at a time: the periodic worker and a coordinator's manual run never overlap.

An exclusive, non-blocking `flock` on a file in the data folder. The operating
system releases it when the holder exits, even after a crash, so a dead sync
never leaves a stale lock behind. It covers every sync started on this
machine (the worker, `helpt serve`, a manual `helpt sync`).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sheets_schema.errors import HelptError


class SyncRunning(HelptError):
    """Another sync holds the lock."""


@contextmanager
def sync_lock(path: Path) -> Iterator[None]:
    """Hold the sync lock at `path` for the duration of the block, or raise SyncRunning at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SyncRunning(f"another sync is running ({holder}); this one did nothing") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()
