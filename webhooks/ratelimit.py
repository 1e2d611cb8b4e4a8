"""A per-client limit on how often one address may post, kept in this process's memory.

It guards the public forms and unsigned or wrongly signed API requests:
cheap, and good enough against a bot hammering a door. Correctly signed API
senders are never counted here. Under gunicorn each worker, and on a platform
each instance, keeps its own count, so the effective limit is the configured
one times their number; a shared store would only make a bot's life harder at
the cost of a database round trip on every post.

Behind a proxy, the client's address is the one `HELPT_TRUSTED_PROXIES` lets
ProxyFix take from `X-Forwarded-For`; without it, every resident would share
the proxy's allowance.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque

WINDOW = 60.0  # seconds
_MAX_CLIENTS = 10_000  # idle clients are forgotten past this many, so memory stays bounded


class RateLimit:
    """At most `per_minute` posts per client in any 60-second window; 0 means no limit."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> int:
        """0 if `client` may post now (the post is counted), else whole seconds until it may."""
        if self.per_minute <= 0:
            return 0
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and times[0] <= now - WINDOW:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, math.ceil(times[0] + WINDOW - now))
            times.append(now)
            if len(self._seen) > _MAX_CLIENTS:
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - WINDOW}
            return 0
