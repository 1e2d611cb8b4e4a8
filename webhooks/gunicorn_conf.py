"""gunicorn settings for the Procfile: the intake flusher runs once per server, not once per worker.

gunicorn forks N workers that all take submissions into the shared journal;
the flusher must be a single writer to the spreadsheet. The master starts it
as a process of its own (`helpt flush --follow`) when it is ready, and stops
it on exit. The flusher also holds a lock on the journal, so a second server
on the same data directory waits instead of flushing twice.
"""

from __future__ import annotations

import subprocess
import sys

_flusher: subprocess.Popen | None = None


def when_ready(server) -> None:  # gunicorn hook, in the master
    global _flusher
    _flusher = subprocess.Popen([sys.executable, "-m", "helpt.cli", "flush", "--follow"])
    server.log.info("intake flusher started (pid %s)", _flusher.pid)


def on_exit(server) -> None:  # gunicorn hook, in the master
    if _flusher is not None and _flusher.poll() is None:
        _flusher.terminate()
        _flusher.wait(timeout=90)
