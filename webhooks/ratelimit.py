"""A per-client limit on how often one address may post, kept in this process's memory.

Under gunicorn each worker keeps its own count, so the effective limit is the
configured one times the number of workers: good enough against a bot hammering
a form, and it needs no shared store.
"""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimit:
    """At most `per_minute` posts per client in any 60-second window; 0 means no limit."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        if self.per_minute <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            if len(self._seen) > 10_000:  # forget idle clients so memory stays bounded
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - 60}
            return True
