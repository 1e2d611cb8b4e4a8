"""Open the Workbook the settings ask for, starting the embedded local Sheets server if needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import requests

import local_sheets
from sheets_schema.errors import HelptError
from sheets_schema.workbook import RetryPolicy, Workbook, open_google, open_local

from .config import Settings


@dataclass(frozen=True)
class Desk:
    """An open spreadsheet, and where a person can look at it."""

    workbook: Workbook
    backend: str
    view_url: str  # where a person sees the back office
    # Another Workbook on the same spreadsheet, for a background thread: gspread's
    # HTTP session is not meant to be shared between threads.
    connect: Callable[[], Workbook]
    # After a purge, leave no erased page in the local server's files (None on Google,
    # whose storage is Google's).
    compact: Callable[[], None] | None = None


def _retry(settings: Settings) -> RetryPolicy:
    return RetryPolicy(attempts=settings.sheets_attempts, timeout=settings.sheets_timeout)


def _compact(url: str) -> None:
    try:
        requests.post(f"{url.rstrip('/')}/_local/compact", timeout=120).raise_for_status()
    except requests.RequestException as error:
        raise HelptError(f"the local Sheets server did not compact its files: {error}") from error


@contextmanager
def open_desk(settings: Settings) -> Iterator[Desk]:
    """The configured spreadsheet; a local server started here is stopped on leaving."""
    if settings.resolved_backend == "google":
        connect = partial(open_google, settings.spreadsheet_id, settings.credentials_file,
                          language=settings.language, retry=_retry(settings))
        yield Desk(connect(), "google",
                   f"https://docs.google.com/spreadsheets/d/{settings.spreadsheet_id}", connect)
        return
    server = None
    url = settings.sheets_url
    if not url:
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        server = local_sheets.start(settings.data_dir, port=settings.sheets_port)
        url = server.url
    try:
        workbook = open_local(url, spreadsheet_id=settings.spreadsheet_id or None,
                              title=settings.spreadsheet_title, language=settings.language,
                              retry=_retry(settings))
        connect = partial(open_local, url, spreadsheet_id=workbook.spreadsheet_id,
                          language=settings.language, retry=_retry(settings))
        yield Desk(workbook, "local", f"{url.rstrip('/')}/spreadsheets/{workbook.spreadsheet_id}", connect,
                   partial(_compact, url))
    finally:
        if server is not None:
            server.stop()
