"""The flusher: copies journalled submissions to their intake tabs, in batches, within the Sheets quota.

One cycle reads the intake tabs that have pending rows (two API calls whatever
their size), appends to each tab only the submissions its `submission_id`
column does not already hold (one `values:append` per tab), and marks them
written only after the sheet confirmed. A crash between append and mark is
therefore harmless: the next cycle finds the ids in the sheet and only marks.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from desk_db import Database
from desk_db.journal import Journal
from sheets_schema.errors import HelptError
from sheets_schema.tabs import tab
from sheets_schema.workbook import Workbook

FLUSHER_LOCK = "flusher"

log = logging.getLogger("helpt.flusher")

BATCH_SIZE = 500  # rows per append: one request stays well under the API's 10 MB payload limit


class WritePace:
    """At most `per_minute` write calls per minute, evenly spaced: Google allows about 60 per minute."""

    def __init__(self, per_minute: int, stop: threading.Event | None = None) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.interval = 60.0 / per_minute
        self.stop = stop or threading.Event()
        self._next = 0.0

    def take(self) -> None:
        """Wait for the next write slot (returns early if the flusher is being stopped)."""
        now = time.monotonic()
        if self._next > now:
            self.stop.wait(self._next - now)
        self._next = max(now, self._next) + self.interval


@dataclass(frozen=True)
class FlushReport:
    appended: int  # rows added to the sheet in this cycle
    already_there: int  # pending rows the sheet already held (a crash after append)
    write_calls: int


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def flush_once(journal: Journal, workbook: Workbook, pace: WritePace, batch_size: int = BATCH_SIZE) -> FlushReport:
    """One cycle: up to `batch_size` pending submissions per intake tab. Raises SheetsUnavailable & co."""
    by_tab: dict[str, list] = defaultdict(list)
    for entry in journal.pending(limit=batch_size * 6):
        if len(by_tab[entry.tab_id]) < batch_size:
            by_tab[entry.tab_id].append(entry)
    if not by_tab:
        return FlushReport(0, 0, 0)
    sheets = workbook.read(tab(tab_id) for tab_id in by_tab)
    appended = already = calls = 0
    for tab_id, entries in by_tab.items():
        sheet = sheets[tab_id]
        in_sheet = {record.get("submission_id") for record in sheet.records()}
        fresh = [entry for entry in entries if entry.submission_id not in in_sheet]
        if fresh:
            pace.take()
            workbook.append(sheet, [entry.record for entry in fresh])
            calls += 1
        journal.mark_written([entry.submission_id for entry in entries], _now())
        appended += len(fresh)
        already += len(entries) - len(fresh)
    return FlushReport(appended, already, calls)


def drain(journal: Journal, workbook: Workbook, pace: WritePace, batch_size: int = BATCH_SIZE) -> FlushReport:
    """Flush until nothing is pending (`helpt flush`); the first Sheets failure is raised."""
    total = FlushReport(0, 0, 0)
    while True:
        report = flush_once(journal, workbook, pace, batch_size)
        if report == FlushReport(0, 0, 0):
            return total
        total = FlushReport(total.appended + report.appended, total.already_there + report.already_there,
                            total.write_calls + report.write_calls)


def run(journal: Journal, workbook: Workbook, pace: WritePace, *, still_ours: Callable[[], bool] = lambda: True,
        idle_seconds: float = 1.0, max_backoff: float = 60.0) -> None:
    """Flush until `pace.stop` is set or `still_ours()` turns False; on trouble wait longer, then try again.

    The Workbook already retried each call; this outer backoff is for outages
    that last minutes. Nothing is lost meanwhile: rows stay pending in the journal.
    """
    backoff = idle_seconds
    while not pace.stop.is_set() and still_ours():
        try:
            report = flush_once(journal, workbook, pace)
        except HelptError as error:
            log.warning("flusher: %s; trying again in %.0f s", error, backoff)
            pace.stop.wait(backoff)
            backoff = min(max_backoff, backoff * 2)
            continue
        backoff = idle_seconds
        if report.appended or report.already_there:
            log.info("flusher: %d rows added, %d already there, %d write calls",
                     report.appended, report.already_there, report.write_calls)
        else:
            pace.stop.wait(idle_seconds)


def take_turns(database: Database, journal: Journal, workbook: Workbook, pace: WritePace, *,
               wait_seconds: float = 5.0, drain_seconds: float = 20.0) -> None:
    """Be the journal's one flusher whenever no other process is, until `pace.stop` is set.

    Every web instance runs one of these; the database's lock lets exactly one
    flush at a time, and passes the turn when its holder stops or dies. On the
    way out (SIGTERM), the holder drains what it can within `drain_seconds`,
    inside the platform's grace period; what is left stays pending for the next.
    """
    said_waiting = False
    while not pace.stop.is_set():
        with database.lock(FLUSHER_LOCK) as lock:
            if lock is None:
                if not said_waiting:
                    log.info("flusher: another process flushes the journal; waiting for the turn")
                    said_waiting = True
                pace.stop.wait(wait_seconds)
                continue
            log.info("flusher: flushing the journal in %s", database.describe())
            run(journal, workbook, pace, still_ours=lock.held)
            if lock.held():
                _drain_before_leaving(journal, workbook, drain_seconds)


def _drain_before_leaving(journal: Journal, workbook: Workbook, seconds: float) -> None:
    """Flush what arrived while stopping, for at most `seconds`; the journal keeps the rest."""
    end = time.monotonic() + seconds
    pace = WritePace(60)  # its own pace: the stopped one no longer waits between writes
    try:
        while time.monotonic() < end:
            if flush_once(journal, workbook, pace) == FlushReport(0, 0, 0):
                return
    except HelptError as error:
        log.warning("flusher: stopped with rows still pending (%s); the next flusher writes them", error)
