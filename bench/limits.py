"""What a shared rate limit costs per request: `desk_db.limits.Limits.take` against an in-memory count.

    .venv/bin/python bench/limits.py [-n 2000] [--threads 1|4] [--database-url postgresql://...]

Every public form post and every unsigned API post asks the limit once; before,
the count lived in each worker's memory (and each worker had its own
allowance). Reported per call: p50 and p99 in milliseconds and calls per
second, for an in-memory sliding window (what there was), SQLite in a
temporary folder (one machine) and, with --database-url, PostgreSQL.
Each caller is a different client address, as on a busy desk; nobody is refused.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_db import open_database  # noqa: E402
from desk_db.limits import Limits, key  # noqa: E402


class InMemory:
    """What the desk had: one sliding window per client in this process."""

    def __init__(self) -> None:
        self.seen: dict[str, deque[float]] = {}
        self.lock = threading.Lock()

    def take(self, name: str, per_minute: int) -> int:
        now = time.monotonic()
        with self.lock:
            times = self.seen.setdefault(name, deque())
            while times and times[0] <= now - 60:
                times.popleft()
            if len(times) >= per_minute:
                return 1
            times.append(now)
            return 0


def measure(limiter, n: int, threads: int) -> tuple[float, float, float]:
    def one(i: int) -> float:
        started = time.perf_counter()
        assert limiter.take(key("form", f"198.51.100.{i % 250}", str(i)), 10) == 0
        return time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        seconds = sorted(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    return statistics.median(seconds) * 1000, seconds[int(len(seconds) * 0.99) - 1] * 1000, n / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    contenders = {"in memory (before)": InMemory(),
                  "SQLite": Limits(open_database("", Path(tempfile.mkdtemp(prefix="helpt-limits-"))))}
    if args.database_url:
        contenders["PostgreSQL"] = Limits(open_database(args.database_url, Path(tempfile.mkdtemp())))
    print(f"{args.n} calls, {args.threads} thread(s), each a new client address")
    for name, limiter in contenders.items():
        p50, p99, rate = measure(limiter, args.n, args.threads)
        print(f"  {name:<20} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms   {rate:9.0f} calls/s")


if __name__ == "__main__":
    main()
