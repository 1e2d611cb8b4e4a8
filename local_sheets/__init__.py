"""local_sheets: the project's own Sheets-API-v4-compatible server.

gspread talks to it over HTTP exactly as to Google (see sheets_schema.transport).
`start()` runs it in a background thread (tests, the embedded desk); `serve()`
runs it in the foreground (`helpt emulator`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .faults import Faults
from .server import SheetsApp
from .store import Store

__all__ = ["RunningServer", "Faults", "start", "serve"]


@dataclass
class RunningServer:
    url: str
    app: SheetsApp
    _server: BaseWSGIServer
    _thread: threading.Thread

    @property
    def faults(self) -> Faults:
        return self.app.faults

    @property
    def calls(self) -> dict[str, int]:
        return dict(self.app.calls)

    def stop(self) -> None:
        """Stop answering, wait for the thread, close the database."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self.app.store.close()


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: tests and benchmarks send thousands."""

    def log_request(self, *args, **kwargs) -> None:  # type: ignore[override]
        pass


def _build(data_dir: Path, host: str, port: int) -> tuple[SheetsApp, BaseWSGIServer]:
    app = SheetsApp(Store(Path(data_dir)))
    return app, make_server(host, port, app, threaded=True, request_handler=_QuietHandler)


def start(data_dir: Path, host: str = "127.0.0.1", port: int = 0) -> RunningServer:
    app, server = _build(data_dir, host, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="local-sheets", daemon=True)
    thread.start()
    return RunningServer(f"http://{host}:{server.server_port}", app, server, thread)


def serve(data_dir: Path, host: str = "127.0.0.1", port: int = 8085) -> None:
    app, server = _build(data_dir, host, port)
    print(f"local Sheets server on http://{host}:{server.server_port} (data in {data_dir})", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        app.store.close()
