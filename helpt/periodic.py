"""A sync every few seconds, each one a `helpt sync` process of its own: the Procfile's worker
(`helpt sync --every`) and the periodic sync inside `helpt serve`.

A sync of 100,000 sign-ups needs some 900 MiB at its peak. What it frees stays with a process
that lives on (CPython and malloc keep it: some 480 MiB between syncs), and the next sync's
peak lands on what is left: 1,010 MiB in `bench/sync.py --one-process`, against 925 MiB for the
same syncs each in a process of its own. A child gives everything back when it ends, and the
worker waits between syncs at the size of an idle Python. A child reads the same environment
and `.env`; a sync stopped mid-way is safe (the next one writes by id).
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping

log = logging.getLogger("helpt.sync")

# Seconds between the worker's looks while a sync would read nothing: a coordinator's change, a volunteer's
# answer, is taken up within this, not within HELPT_SYNC_EVERY. A look is one call to Drive and a few small
# queries (some 60 ms at 100,000 sign-ups). While changes keep coming, syncs still come at most one every
# HELPT_SYNC_EVERY seconds (Rounds).
LOOK_EVERY = 15.0


def look_every(seconds: float) -> float:
    """The pause between two looks of a worker whose HELPT_SYNC_EVERY is `seconds`."""
    return min(LOOK_EVERY, seconds)


class Rounds:
    """The syncs, one after the other until `stop`, and the one running now (so a stop can end it).

    `needless`, asked before each round, says whether a sync would only find that it has nothing to read
    (sync/unchanged.py: one call to Drive), having done in this process what that sync would have done
    besides (sending what the outbox holds). Then no process starts: starting Python and importing
    helpt costs some 1.5 s of CPU, a sync that reads nothing a fraction of a second. An error there
    starts the sync, which reports it.

    A round looks right after each sync, and every `look_every(seconds)` while it finds nothing to read.
    While rounds find something to read, a sync starts no sooner than `seconds` after the last one ended:
    a busy desk syncs once every `seconds`, as before the looks (and a sync's own writes are read by the
    next, `seconds` later). Once a round finds nothing to read, the desk is calm, and the next change is
    synced at the look that sees it.
    """

    def __init__(self, seconds: float, env: Mapping[str, str], needless: Callable[[], bool] | None = None) -> None:
        self.seconds = seconds
        self.look = look_every(seconds)
        self.env = dict(env)
        self.needless = needless
        self.stop = threading.Event()
        self.command = [sys.executable, "-m", "helpt", "sync", "--quiet"]
        self.clock = time.monotonic
        self._running: subprocess.Popen | None = None

    def _needless(self) -> bool:
        if self.needless is None:
            return False
        try:
            return self.needless()
        except Exception as error:  # whatever it is, the sync will meet it and say it
            log.info("starting the sync (the check before it failed: %s)", error)
            return False

    def run(self, after_failure: Callable[[], None] | None = None) -> None:
        """Sync, log what the sync said, wait; until stopped. `after_failure` runs when a sync failed (one
        that worked has done its own upkeep: `helpt sync` sends what it queued)."""
        ended: float | None = None  # when the last sync ended
        while not self.stop.is_set():
            if self._needless():
                ended = None  # the desk is calm: the next change is synced at the look that sees it
                self.stop.wait(self.look)
                continue
            if ended is not None and self.stop.wait(max(0.0, ended + self.seconds - self.clock())):
                break
            child = subprocess.Popen(self.command, env=self.env, stdout=subprocess.PIPE, text=True)
            self._running = child
            said, _ = child.communicate()
            for line in said.splitlines():
                if line.strip():
                    log.info("%s", line)
            if child.returncode not in (0, -signal.SIGTERM):
                log.warning("sync failed (exit %s), trying again in %g s", child.returncode, self.seconds)
                if after_failure is not None and not self.stop.is_set():
                    after_failure()
            ended = self.clock()  # and the next round looks at once: a sync that calmed the desk ends the wait

    def end(self) -> None:
        """Stop: no next round, and the sync running now ends."""
        self.stop.set()
        child = self._running
        if child is not None and child.poll() is None:
            child.terminate()
