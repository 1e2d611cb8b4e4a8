"""A pytest plugin that points gspread's own test suite at a running `helpt emulator`.

gspread's tests talk to Google through VCR recordings. Loaded with `-p gspread_live`
and run with `--disable-vcr`, every request they make goes to the local Sheets
server instead, with its bearer token: a live check that the server answers as
Google does. scripts/gspread-live does the setup; gspread's code stays in its own
checkout and is never copied here. The adapter mirrors sheets_schema.transport's:
this plugin runs in gspread's test environment, where helpt is not installed.

Settings, from the environment:
  HELPT_SHEETS_URL    the emulator's address, e.g. http://127.0.0.1:8765
  HELPT_SHEETS_TOKEN  its token
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import gspread.http_client
from requests.adapters import HTTPAdapter

_HOSTS = ("https://sheets.googleapis.com/", "https://www.googleapis.com/")


class _ToEmulator(HTTPAdapter):
    def __init__(self, base_url: str, token: str) -> None:
        super().__init__()
        self._base = urlsplit(base_url.rstrip("/"))
        self._token = token

    def send(self, request, **kwargs):  # type: ignore[override]
        parts = urlsplit(request.url)
        request.url = urlunsplit((self._base.scheme, self._base.netloc, parts.path, parts.query, ""))
        # gspread's dummy credentials set their own placeholder; the emulator wants its token.
        request.headers["Authorization"] = f"Bearer {self._token}"
        return super().send(request, **kwargs)


def pytest_configure(config) -> None:  # noqa: ANN001 - pytest's hook signature
    base_url, token = os.environ["HELPT_SHEETS_URL"], os.environ["HELPT_SHEETS_TOKEN"]
    original_init = gspread.http_client.HTTPClient.__init__

    def init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        original_init(self, *args, **kwargs)
        adapter = _ToEmulator(base_url, token)
        for host in _HOSTS:
            self.session.mount(host, adapter)

    gspread.http_client.HTTPClient.__init__ = init
