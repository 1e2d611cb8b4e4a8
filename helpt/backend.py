"""Open the Workbook the settings ask for, starting the embedded local Sheets server if needed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

import requests

import local_sheets
from sheets_schema.errors import ConfigError, HelptError
from sheets_schema.settings import Settings
from sheets_schema.workbook import RetryPolicy, Workbook, open_google, open_local


@dataclass(frozen=True)
class Desk:
    """An open spreadsheet, and where a person can look at it."""

    workbook: Workbook
    backend: str
    view_url: str  # where a person sees the back office (the local view wants a link from `view_link`)
    # After a purge, leave no erased page in the local server's files (None on Google,
    # whose storage is Google's).
    compact: Callable[[], None] | None = None
    # An address that opens the view in a browser: the local server's one-time sign-in link.
    view_link: Callable[[], str] | None = None
    # Another connection to the same spreadsheet, for another thread (a Workbook is for one at a time).
    connect: Callable[[], Workbook] | None = None

    def view_address(self) -> str:
        return self.view_link() if self.view_link is not None else self.view_url


def _retry(settings: Settings) -> RetryPolicy:
    return RetryPolicy(attempts=settings.sheets_attempts, timeout=settings.sheets_timeout)


def _admin(url: str, token: str, what: str) -> dict:
    try:
        reply = requests.post(f"{url.rstrip('/')}/_local/{what}", timeout=120,
                              headers={"Authorization": f"Bearer {token}"})
        reply.raise_for_status()
        return reply.json()
    except (requests.RequestException, ValueError) as error:
        raise HelptError(f"the local Sheets server did not answer {what}: {error}") from error


def _compact(url: str, token: str) -> None:
    _admin(url, token, "compact")


def _view_link(url: str, token: str, spreadsheet_id: str) -> str:
    """A one-time link that signs a browser in to the view and opens this spreadsheet."""
    link = _admin(url, token, "view-link")["path"].split("?", 1)[1]
    return f"{url.rstrip('/')}/spreadsheets/{spreadsheet_id}?{link}"


@contextmanager
def _local_server(settings: Settings) -> Iterator[tuple[str, str]]:
    """The local server's address and token: the configured one, the one that owns the data
    folder already (a running `helpt serve`), or one started here and stopped on leaving."""
    if settings.sheets_url:
        token = settings.sheets_token or local_sheets.read_token(settings.data_dir)
        if not token:
            raise ConfigError("HELPT_SHEETS_URL needs HELPT_SHEETS_TOKEN: the token printed by `helpt emulator`")
        yield settings.sheets_url, token
        return
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        server = local_sheets.start(settings.data_dir, port=settings.sheets_port)
    except local_sheets.FolderTaken as taken:
        token = local_sheets.read_token(settings.data_dir)
        if not taken.url or not token:
            raise HelptError(f"{taken}; it is still starting, or its files are damaged: try again") from None
        yield taken.url, token  # another helpt process owns the folder: use its server, never a second copy
        return
    try:
        yield server.url, server.token
    finally:
        server.stop()


@contextmanager
def open_desk(settings: Settings) -> Iterator[Desk]:
    """The configured spreadsheet; a local server started here is stopped on leaving."""
    if settings.resolved_backend == "google":
        google = partial(open_google, settings.spreadsheet_id, settings.credentials_file, language=settings.language,
                         retry=_retry(settings))
        yield Desk(google(), "google", f"https://docs.google.com/spreadsheets/d/{settings.spreadsheet_id}",
                   connect=google)
        return
    with _local_server(settings) as (url, token):
        workbook = open_local(url, token=token, spreadsheet_id=settings.spreadsheet_id or None,
                              title=settings.spreadsheet_title, language=settings.language,
                              retry=_retry(settings))
        yield Desk(workbook, "local", f"{url.rstrip('/')}/spreadsheets/{workbook.spreadsheet_id}",
                   partial(_compact, url, token), partial(_view_link, url, token, workbook.spreadsheet_id),
                   partial(open_local, url, token=token, spreadsheet_id=workbook.spreadsheet_id,
                           language=settings.language, retry=_retry(settings)))
