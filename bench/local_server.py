"""The local Sheets server in a process of its own, for a benchmark: so the figures of the process
measured are its own, not the server's."""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import local_sheets

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def local_server() -> Iterator[tuple[str, str]]:
    """(address, token) of a fresh local Sheets server on a free port, stopped on leaving."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = Path(tempfile.mkdtemp(prefix="helpt-bench-"))
    server = subprocess.Popen([sys.executable, "-c", f"import local_sheets; local_sheets.serve({str(data)!r}, "
                               f"'127.0.0.1', {port})"], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)  # waiting for another process to listen; nothing to synchronise on
        yield f"http://127.0.0.1:{port}", local_sheets.read_token(data) or ""
    finally:
        server.terminate()
        server.wait(timeout=60)
