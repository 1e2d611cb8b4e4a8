"""gunicorn settings for the Procfile: threads per worker, a graceful stop, and one intake flusher per instance.

gunicorn forks WEB_CONCURRENCY workers (the platform sets it; default 1) that
all take submissions into the shared journal. Threaded workers keep a slow
client from holding a whole worker, since a platform's router does not
buffer requests the way nginx does.

On SIGTERM (a deploy, a restart, a scale-down) gunicorn stops accepting,
lets requests in progress finish for up to `graceful_timeout`, inside the
30 seconds platforms allow before SIGKILL. Nothing depends on this: a
request cut short was never acknowledged, and its sender tries again.

The master starts the intake flusher as a process of its own (`helpt flush
--follow`) and stops it on exit. With DATABASE_URL, flushers of all instances
take turns through a lock in PostgreSQL, so exactly one writes to the sheet.
"""

from __future__ import annotations

import subprocess
import sys

worker_class = "gthread"
threads = 4
graceful_timeout = 25

_flusher: subprocess.Popen | None = None


def when_ready(server) -> None:  # gunicorn hook, in the master
    global _flusher
    _flusher = subprocess.Popen([sys.executable, "-m", "helpt.cli", "flush", "--follow"])
    server.log.info("intake flusher started (pid %s)", _flusher.pid)


def on_exit(server) -> None:  # gunicorn hook, in the master
    if _flusher is not None and _flusher.poll() is None:
        _flusher.terminate()  # it drains for at most 20 s, then leaves the rest pending
        try:
            _flusher.wait(timeout=25)
        except subprocess.TimeoutExpired:
            _flusher.kill()
