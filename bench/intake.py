"""Benchmark the intake path: N signed submissions, concurrently, to gunicorn on loopback.

Starts a local Sheets server (optionally answering a share of requests with 429),
runs the Procfile's gunicorn command (workers + the single flusher process),
posts N submissions across every form and language, waits until the flusher
has drained the journal into the intake tabs, and reports requests/s, p50/p99
latency, Sheets API write calls, and lost/duplicated rows (must be 0/0).

    .venv/bin/python bench/intake.py -n 5000 [--concurrency 32] [--faults 0.2] [--workers 4]
        [--database-url postgresql://...]

It runs with the desk's default rate limits: signed senders are never limited.

It stops by itself: every wait has a deadline (--timeout), after which it
reports what it saw and exits non-zero.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

import local_sheets
from sheets_schema.fields import LANGUAGES
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import INTAKE_TABS, TABS
from sheets_schema.workbook import open_local
from webhooks.signature import sign

SECRET = "bench-secret"
TITLE = "bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _submission(n: int) -> dict:
    form = "offer" if n % 2 else "request"
    lang = LANGUAGES[n % 3]
    return {"form": form, "lang": lang, "channel": "website", "submission_id": f"bench-{n}",
            "answers": {"full_name": f"Bench Person {n}", "phone": "0470 12 34 56", "postcode": "3000",
                        "languages": ["nl"], "tasks": ["groceries", "letter"], "consent_privacy": True,
                        "details": "=IMPORTRANGE(\"x\", \"A1\")"}}


def _wait(what: str, check, deadline: float, every: float = 0.5):
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)  # a benchmark polling a server, not a test synchronising
    raise TimeoutError(f"gave up waiting for {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=5000, help="submissions to post (default 5000)")
    parser.add_argument("--concurrency", type=int, default=32, help="clients posting at once (default 32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--faults", type=float, default=0.0, help="share of Sheets requests answered 429")
    parser.add_argument("--timeout", type=float, default=600, help="give up after this many seconds")
    parser.add_argument("--database-url", default="",
                        help="journal in this PostgreSQL database (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout

    data = Path(tempfile.mkdtemp(prefix="helpt-bench-"))
    sheets = local_sheets.start(data / "sheets")
    workbook = open_local(sheets.url, token=sheets.token, title=TITLE)
    init_spreadsheet(workbook, TABS)
    port = _free_port()
    # The default limits: a correctly signed sender must never meet a 429.
    env = {**os.environ, "HELPT_SHEETS_URL": sheets.url, "HELPT_SHEETS_TOKEN": sheets.token,
           "HELPT_SPREADSHEET_TITLE": TITLE,
           "HELPT_DATA_DIR": str(data / "desk"), "HELPT_WEBHOOK_SECRET": SECRET,
           "DATABASE_URL": args.database_url}
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:webhooks.gunicorn_conf", "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "webhooks:create_app()"],
        env=env, cwd=data)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait("gunicorn", lambda: _up(url), deadline)
        sheets.app.calls.clear()
        if args.faults:
            sheets.faults.update({"rate": args.faults, "codes": [429], "seed": 1})

        local = threading.local()

        def post(n: int) -> tuple[int, float]:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            raw = json.dumps(_submission(n)).encode()
            started = time.perf_counter()
            reply = session.post(f"{url}/api/v1/submissions", data=raw, timeout=60, headers={
                "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw)})
            return reply.status_code, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(post, range(args.n)))
        elapsed = time.perf_counter() - started
        statuses = Counter(status for status, _ in results)
        latencies = sorted(seconds for _, seconds in results)

        def drained() -> Counter | None:
            # Read with faults off for the check itself, then put them back.
            ids = _ids_in_sheet(workbook)
            return ids if sum(ids.values()) >= statuses[202] else None

        wait_started = time.perf_counter()
        try:
            ids = _wait("the flusher to drain the journal", drained, deadline, every=1.0)
        except TimeoutError:
            ids = _ids_in_sheet(workbook)
        flushed = time.perf_counter() - wait_started
        calls = dict(sheets.app.calls)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=120)
        sheets.faults.clear()
        sheets.stop()

    expected = {f"bench-{n}" for n in range(args.n)}
    lost = len(expected - set(ids))
    duplicated = sum(count - 1 for count in ids.values() if count > 1)
    writes = sum(v for k, v in calls.items() if "append" in k or "batchUpdate" in k or "PUT" in k)
    print(json.dumps({
        "submissions": args.n, "concurrency": args.concurrency, "gunicorn_workers": args.workers,
        "journal": "postgresql" if args.database_url else "sqlite",
        "sheets_429_share": args.faults, "http_statuses": dict(statuses),
        "requests_per_second": round(args.n / elapsed, 1),
        "latency_ms_p50": round(1000 * statistics.median(latencies), 1),
        "latency_ms_p99": round(1000 * latencies[int(len(latencies) * 0.99) - 1], 1),
        "seconds_posting": round(elapsed, 1), "seconds_until_all_rows_in_sheet": round(flushed, 1),
        "sheets_write_calls": writes, "sheets_calls_answered_ok_by_kind": calls,
        "lost": lost, "duplicated": duplicated,
    }, indent=2))
    return 0 if lost == 0 and duplicated == 0 and statuses == Counter({202: args.n}) else 1


def _up(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except requests.ConnectionError:
        return False


def _ids_in_sheet(workbook) -> Counter:
    """Every submission id in every intake tab, counted (a count of 2 is a duplicate)."""
    sheets = workbook.read(INTAKE_TABS)
    return Counter(record["submission_id"] for sheet in sheets.values() for record in sheet.records())


if __name__ == "__main__":
    sys.exit(main())
