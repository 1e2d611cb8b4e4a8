"""Fault injection: make the server answer like a Google under load or down."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Faults:
    """Mutable fault settings; read by every API request, set by tests or over HTTP."""

    rate: float = 0.0  # share of requests answered with one of `codes`
    codes: list[int] = field(default_factory=lambda: [429, 503])
    latency_ms: float = 0.0  # added to every API request
    next_count: int = 0  # answer the next N requests with next_code
    next_code: int = 429
    outage_code: int | None = None  # answer every request with this until cleared
    seed: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _random: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}

    def update(self, settings: dict[str, Any]) -> None:
        with self._lock:
            for key, value in settings.items():
                if key.startswith("_") or not hasattr(self, key):
                    raise ValueError(f"unknown fault setting: {key}")
                setattr(self, key, value)
            if "seed" in settings and settings["seed"] is not None:
                self._random.seed(settings["seed"])

    def clear(self) -> None:
        self.update({"rate": 0.0, "latency_ms": 0.0, "next_count": 0, "outage_code": None})

    def fail_next(self, count: int, code: int = 429) -> None:
        self.update({"next_count": count, "next_code": code})

    def pick(self) -> int | None:
        """The error code to answer this request with, if any (also applies latency)."""
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        with self._lock:
            if self.outage_code:
                return self.outage_code
            if self.next_count > 0:
                self.next_count -= 1
                return self.next_code
            if self.rate and self._random.random() < self.rate:
                return self._random.choice(self.codes)
        return None


MESSAGES = {
    429: ("Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' "
          "of service 'sheets.googleapis.com'.", "RESOURCE_EXHAUSTED"),
    503: ("The service is currently unavailable.", "UNAVAILABLE"),
    500: ("Internal error encountered.", "INTERNAL"),
}
