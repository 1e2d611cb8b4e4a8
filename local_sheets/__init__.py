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

from .access import FolderTaken, Ownership, folder_token, read_token, running_url, take_folder
from .faults import Faults
from .server import SheetsApp
from .store import Store

__all__ = ["RunningServer", "Faults", "FolderTaken", "start", "serve", "read_token", "running_url"]


@dataclass
class RunningServer:
    url: str
    token: str  # every API request presents it as `Authorization: Bearer <token>`
    app: SheetsApp
    _server: BaseWSGIServer
    _thread: threading.Thread
    _ownership: Ownership

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
        self._ownership.release()


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: tests and benchmarks send thousands."""

    def log_request(self, *args, **kwargs) -> None:  # type: ignore[override]
        pass


def _build(data_dir: Path, host: str, port: int, token: str | None) -> tuple[
        SheetsApp, BaseWSGIServer, Ownership, str]:
    """The server for `data_dir`, which it then owns (FolderTaken if another server does)."""
    ownership = take_folder(Path(data_dir))
    try:
        token = folder_token(Path(data_dir), token)
        app = SheetsApp(Store(Path(data_dir)), token=token)
        server = make_server(host, port, app, threaded=True, request_handler=_QuietHandler)
    except BaseException:
        ownership.release()
        raise
    ownership.announce(f"http://{host}:{server.server_port}")
    return app, server, ownership, token


def start(data_dir: Path, host: str = "127.0.0.1", port: int = 0, token: str | None = None) -> RunningServer:
    app, server, ownership, token = _build(data_dir, host, port, token)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="local-sheets",
                              daemon=True)
    thread.start()
    return RunningServer(f"http://{host}:{server.server_port}", token, app, server, thread, ownership)


def serve(data_dir: Path, host: str = "127.0.0.1", port: int = 8085, token: str | None = None) -> None:
    app, server, ownership, token = _build(data_dir, host, port, token)
    print(f"Local Sheets server on http://{host}:{server.server_port}/ (data in {Path(data_dir).resolve()}).\n"
          f"Clients present the token kept in {(Path(data_dir) / 'local-sheets.token').resolve()} "
          "as 'Authorization: Bearer <token>'.", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        app.store.close()
        ownership.release()
