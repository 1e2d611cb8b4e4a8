"""The periodic sync: `helpt sync --every 300` (the Procfile's worker) and the one inside `helpt serve`."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from desk_db import Database
from sheets_schema.errors import HelptError
from sheets_schema.workbook import Workbook

from .job import Upkeep, run_sync
from .lock import SyncRunning, sync_lock

log = logging.getLogger("helpt.sync")


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cycle collection while a sync builds its million long-lived objects.

    Each time the objects tracked grow by a quarter, CPython rescans them all;
    at 100,000 sign-ups that was a fifth of the sync. A sync makes next to no
    reference cycles, and refcounting still frees everything else. The switch
    is process-wide, so only processes that do nothing but sync use it (`helpt
    sync`, the worker, and `helpt serve`'s periodic sync, a child `helpt sync`);
    run_sync itself leaves the process as it found it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def sync_every(workbook: Workbook, seconds: float, database: Database, stop: threading.Event,
               upkeep: Upkeep | None = None) -> None:
    """Sync, then wait `seconds`, until `stop` is set; each round's summary is a log line.

    A failed sync (Google down, a tab renamed) is logged and tried again at
    the next round: the worker must outlive a bad minute. A round that finds
    another sync running skips.
    """
    upkeep = upkeep or Upkeep()
    while not stop.is_set():
        try:
            with sync_lock(database), collector_paused():
                log.info("%s", run_sync(workbook, upkeep=upkeep).summary())
        except SyncRunning as busy:
            log.info("%s", busy)
        except HelptError as error:
            log.warning("sync failed, trying again in %g s: %s", seconds, error)
        if upkeep.deliver is not None:  # also after a failed sync: what is queued goes out
            try:
                upkeep.deliver()
            except HelptError as error:
                log.warning("messages not sent, trying again in %g s: %s", seconds, error)
        stop.wait(seconds)
