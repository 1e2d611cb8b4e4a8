"""Fault injection: make the server answer like a Google under load or down."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field, fields
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
        # Not asdict(): it would deep-copy the lock and the random generator too, and fail.
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def update(self, settings: dict[str, Any]) -> None:
        kinds = {"rate": (int, float), "codes": list, "latency_ms": (int, float), "next_count": int,
                 "next_code": int, "outage_code": (int, type(None)), "seed": (int, type(None))}
        for key, value in settings.items():
            if key not in kinds:
                raise ValueError(f"unknown fault setting: {key}")
            if not isinstance(value, kinds[key]) or isinstance(value, bool) \
                    or (key == "codes" and not all(isinstance(c, int) for c in value)) \
                    or (key in ("rate", "latency_ms") and not 0 <= value <= (1 if key == "rate" else 60_000)):
                raise ValueError(f"invalid value for {key}: {str(value)[:40]}")
        with self._lock:
            for key, value in settings.items():
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
