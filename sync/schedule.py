"""The periodic sync: `helpt sync --every 300` (the Procfile's worker) and the one inside `helpt serve`."""

from __future__ import annotations

import threading
from collections.abc import Callable

from desk_db import Database
from sheets_schema.errors import HelptError
from sheets_schema.workbook import Workbook

from .job import Upkeep, run_sync
from .lock import SyncRunning, sync_lock


def sync_every(workbook: Workbook, seconds: float, database: Database, stop: threading.Event,
               report: Callable[[str], None], upkeep: Upkeep = Upkeep()) -> None:
    """Sync, then wait `seconds`, until `stop` is set.

    A failed sync (Google down, a tab renamed) is reported and tried again at
    the next round: the worker must outlive a bad minute. A round that finds
    another sync running skips.
    """
    while not stop.is_set():
        try:
            with sync_lock(database):
                report(run_sync(workbook, upkeep=upkeep).summary())
        except SyncRunning as busy:
            report(str(busy))
        except HelptError as error:
            report(f"sync failed, trying again in {seconds:g} s: {error}")
        stop.wait(seconds)
