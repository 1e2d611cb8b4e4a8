"""How fast the outbox empties: N queued handover messages sent to a real SMTP server on loopback.

    .venv/bin/python bench/sending.py [-n 10000] [--senders 1|2] [--database-url postgresql://...]

The messages are queued in the desk's database (SQLite in a temporary folder,
or PostgreSQL with --database-url), then `sync.postman.deliver` sends them in
rounds of 200, as the worker does after each sync, through smtplib to aiosmtpd
(a test dependency) on 127.0.0.1. Reported: messages per second, and whether
every message arrived exactly once. A real provider's own rate limit (often
a few per second) is far below these numbers: the outbox is not the bottleneck.
"""

from __future__ import annotations

import argparse
import platform
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from desk_db import open_database  # noqa: E402
from desk_db.handovers import Handovers, Letter  # noqa: E402
from sync.postman import SmtpPostman, deliver  # noqa: E402


class Received:
    def __init__(self) -> None:
        self.subjects: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        subject = next(line for line in envelope.content.decode().splitlines() if line.startswith("Subject:"))
        self.subjects[subject] += 1
        return "250 OK"


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    received = Received()
    with socket.socket() as probe:  # a free loopback port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as folder:
        handovers = Handovers(open_database(args.database_url, Path(folder)))
        body = "Dag Ann,\n\nHet hulploket heeft een hulpvraag die bij jou past.\n\n" + "Ik doe het: http://x/" * 2
        handovers.record([], [Letter(f"R-{i:06d}", "V-000001", 1, "case", "nl", "email", f"v{i}@example.org",
                                     f"Hulpvraag {i}", body) for i in range(args.n)])

        def send() -> None:
            mine = Handovers(open_database(args.database_url, Path(folder)))
            while deliver(mine, SmtpPostman(f"smtp://127.0.0.1:{port}", "helpt@desk.test"), limit=200).sent:
                pass

        started = time.perf_counter()
        threads = [threading.Thread(target=send) for _ in range(args.senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        controller.stop()
        print(f"{platform.processor() or platform.machine()}, {args.senders} sender(s), "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}: {args.n:,} messages in {seconds:.1f} s, "
              f"{args.n / seconds:,.0f} messages/s; {len(received.subjects):,} distinct arrived, "
              f"{sum(received.subjects.values()) - len(received.subjects)} twice")


if __name__ == "__main__":
    main()
