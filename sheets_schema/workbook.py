"""The Workbook: helpt's one door to the spreadsheet, and the only module that imports gspread.

A job reads every tab it needs in one `values:batchGet`, decides with pure
functions, and writes back in one `values:batchUpdate` (plus appends). Every
value is written RAW, so text a stranger typed into a form never runs as a
formula. Columns are found by their header, never by position.
"""

from __future__ import annotations

import functools
import json
import math
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import gspread
import requests
from gspread.exceptions import APIError
from gspread.urls import DRIVE_FILES_API_V3_URL, SPREADSHEETS_API_V4_BASE_URL
from gspread.utils import rowcol_to_a1

from .a1 import column_letters, quote_title
from .errors import (
    HelptError,
    MissingColumn,
    MissingTab,
    SheetsRequestRejected,
    SheetsUnavailable,
    SpreadsheetNotFound,
)
from .fields import Tab
from .transport import local_session

# Google refuses request bodies over 10,485,760 bytes; this leaves room for the envelope.
MAX_REQUEST_BYTES = 8_000_000

# Statuses worth retrying: Google's quota (429), its own hiccups (5xx) and time-outs (408).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Calls that change something each time they are sent (rows appended, tabs added,
# files created), unlike reads and value writes, which land the same way twice.
NOT_REPEATABLE = frozenset({":append", ":batchUpdate", "drive POST", "spreadsheets POST"})

GOOGLE_LINKS = "https://docs.google.com/spreadsheets/d/"

GOOGLE_SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
    # The version of the spreadsheet, which coordinators made (drive.file reaches only files helpt made):
    # a sync that finds it unchanged reads nothing (sync/unchanged.py). Metadata only, never a cell.
    "https://www.googleapis.com/auth/drive.metadata.readonly",
)


@dataclass(frozen=True)
class RetryPolicy:
    """How long to keep trying before telling the person the Sheets API is down.

    gspread 6.2.1's BackOffHTTPClient can retry for ever; a webhook or a sync
    must give up within a known time, so the waits here are finite.
    """

    attempts: int = 6
    first_delay: float = 1.0
    max_delay: float = 30.0
    timeout: float = 30.0  # seconds for one HTTP request

    def delays(self) -> list[float]:
        """The waits between attempts: exponential, capped, with jitter against herds."""
        waits = []
        for n in range(self.attempts - 1):
            wait = min(self.max_delay, self.first_delay * 2**n)
            waits.append(wait * random.uniform(0.8, 1.0))
        return waits

    def worst_case_seconds(self) -> float:
        """An upper bound on the time one call can take, every attempt timing out."""
        waits = sum(min(self.max_delay, self.first_delay * 2**n) for n in range(self.attempts - 1))
        return waits + self.attempts * self.timeout


def _call_kind(method: str, url: str) -> str:
    """A short name for an API call, to count calls per kind ("values:batchGet", ...)."""
    path = url.split("?", 1)[0]
    method = method.upper()  # gspread says "post", other callers "POST"
    if "/drive/" in path:
        return f"drive {method}"
    match = re.search(r"(values:\w+|:\w+)$", path)
    if match:
        return match.group(1)
    if "/values/" in path:
        return f"values {method}"
    return f"spreadsheets {method}"


class _CountingHTTPClient(gspread.HTTPClient):
    """gspread's HTTP client with a bounded retry and a count of every request sent."""

    def __init__(self, auth: Any, session: requests.Session | None = None, *,
                 retry: RetryPolicy, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(auth, session)
        self.retry = retry
        self.sleep = sleep
        self.calls: Counter[str] = Counter()
        self.seconds = 0.0  # spent waiting for answers, retries' waits not included
        self.set_timeout(retry.timeout)

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> requests.Response:
        waits = self.retry.delays()
        kind = _call_kind(method, endpoint)
        for attempt in range(self.retry.attempts):
            self.calls[kind] += 1
            sent = time.perf_counter()
            try:
                return super().request(method, endpoint, *args, **kwargs)
            except APIError as error:
                # An error answer means the request was refused, not applied: safe to resend.
                if error.response.status_code not in RETRYABLE_STATUSES or attempt == len(waits):
                    raise
            except (requests.Timeout, requests.ConnectionError) as error:
                # No answer at all: the server may have applied the request. Resending an
                # append would add the rows twice, so only the caller, who can check, may retry.
                maybe_applied = not isinstance(error, requests.ConnectTimeout)
                if attempt == len(waits) or (maybe_applied and kind in NOT_REPEATABLE):
                    raise
            finally:
                self.seconds += time.perf_counter() - sent
            self.sleep(waits[attempt])
        raise AssertionError("unreachable: the last attempt returns or raises")


@contextmanager
def _translated_errors(what: str) -> Iterator[None]:
    """Turn gspread and HTTP errors into helpt's own, saying what was being done."""
    try:
        yield
    except HelptError:
        raise
    except gspread.SpreadsheetNotFound as error:
        raise SpreadsheetNotFound(f"{what}: spreadsheet not found or not shared with helpt") from error
    except APIError as error:
        status = error.response.status_code
        message = error.error.get("message", str(error)) if isinstance(error.error, dict) else str(error)
        if status == 404:
            raise SpreadsheetNotFound(f"{what}: {message}") from error
        if status in RETRYABLE_STATUSES:
            raise SheetsUnavailable(
                f"{what}: the Sheets API kept answering {status} ({message}); gave up after retrying"
            ) from error
        raise SheetsRequestRejected(f"{what}: the Sheets API refused: {status} {message}", status) from error
    except (requests.Timeout, requests.ConnectionError) as error:
        raise SheetsUnavailable(f"{what}: the Sheets API could not be reached ({error})") from error


def _header_key(text: str) -> str:
    """Headers match whatever the case and spacing a coordinator typed."""
    return " ".join(str(text).split()).casefold()


@dataclass
class Sheet:
    """One tab as read: where each declared column is, and the data rows below the header."""

    tab: Tab
    title: str
    sheet_id: int
    header: list[str]
    positions: dict[str, int]  # column id -> 0-based column index in this sheet, as found now
    rows: list[list[str]] = field(default_factory=list)  # each padded to the header's width

    def records(self) -> list[dict[str, str]]:
        """Each data row as {column id: value}, for the declared columns present."""
        return [self.record(n) for n in range(len(self.rows))]

    def record(self, n: int) -> dict[str, str]:
        """Data row `n` (from 0) as {column id: value}, for the declared columns present."""
        row = self.rows[n]
        return {cid: row[i] for cid, i in self.positions.items()}

    def cell(self, row_number: int, column_id: str) -> str:
        """The A1 address of one cell; row_number is the sheet's own (header is row 1)."""
        return f"{quote_title(self.title)}!{rowcol_to_a1(row_number, self.positions[column_id] + 1)}"

    def whole_rows(self, first: int, last: int | None = None) -> str:
        """The A1 address of rows `first` to `last` (the sheet's own numbers) across every column,
        a coordinator's own columns included: what erasing a person's rows must reach."""
        width = max([len(self.header), 1, *(len(row) for row in self.rows)])
        return f"{quote_title(self.title)}!A{first}:{column_letters(width - 1)}{last or first}"


GOOGLE_CELL_LIMIT = 10_000_000  # cells in one spreadsheet, every tab's grid counted, empty cells too


def grid_cells(metadata: dict[str, Any]) -> int:
    """How many cells the spreadsheet's grids hold: what Google counts against its limit."""
    total = 0
    for sheet in metadata.get("sheets", []):
        grid = sheet.get("properties", {}).get("gridProperties", {})
        total += grid.get("rowCount", 0) * grid.get("columnCount", 0)
    return total


def within_request_limit(items: list[Any]) -> list[list[Any]]:
    """`items` (rows, or ranges of a batchUpdate) in as few pieces as keep each request under Google's limit.

    Google refuses a request body over 10 MB ("Request payload size exceeds the
    limit: 10485760 bytes"). A first sync of a big desk appends some 30 MB of
    volunteers, so a sync's call count is constant per 8 MB written, not
    whatever the size (invariant 4, as Google allows it). Sized as requests
    encodes it: JSON with non-ASCII escaped.
    """
    size = len(json.dumps(items))
    if size <= MAX_REQUEST_BYTES or len(items) < 2:
        return [items]
    step = math.ceil(len(items) / math.ceil(size / MAX_REQUEST_BYTES))
    return [piece for start in range(0, len(items), step)
            for piece in within_request_limit(items[start:start + step])]


@dataclass(frozen=True)
class FirstTab:
    """A spreadsheet's first tab, as a partner extract is read."""

    title: str
    sheet_id: int
    rows: list[list[str]]


def find_columns(tab: Tab, header: Sequence[str]) -> dict[str, int]:
    """Where each declared column of `tab` sits in `header` (any label, any language, or the id).

    A header nobody declared is a coordinator's own column: it is simply not
    returned, so helpt never touches it. If a header appears twice, the first wins.
    """
    wanted: dict[str, str] = {}
    for column in tab.columns:
        for text in column.headers():
            wanted.setdefault(_header_key(text), column.id)
    positions: dict[str, int] = {}
    for index, text in enumerate(header):
        column_id = wanted.get(_header_key(text))
        if column_id and column_id not in positions:
            positions[column_id] = index
    return positions


def _require_columns(tab: Tab, title: str, positions: Mapping[str, int], language: str) -> None:
    missing = [c for c in tab.columns if c.required and c.id not in positions]
    if missing:
        names = ", ".join(f"'{c.labels.get(language, c.id)}' ({c.id})" for c in missing)
        raise MissingColumn(
            f"tab '{title}' has no column {names}; run `helpt init` to add it, "
            "or give the column back its header"
        )


def lay_out(records: Sequence[Mapping[str, Any]], positions: Mapping[str, int], width: int,
            blank: Any) -> list[list[Any]]:
    """Records of {column id: value} as rows of cells, each value where its column is now.

    Cells no record names hold `blank`: "" to write empty cells, or None, which
    the API reads as "leave this cell as it is".
    """
    rows = []
    for record in records:
        row = [blank] * width
        for column_id, value in record.items():
            row[positions[column_id]] = value
        rows.append(row)
    return rows


class Workbook:
    """The spreadsheet, as helpt's jobs see it. Build one with `open_google` or `open_local`."""

    def __init__(self, spreadsheet: gspread.Spreadsheet, http: _CountingHTTPClient,
                 language: str = "nl", links: str = GOOGLE_LINKS) -> None:
        self._spreadsheet = spreadsheet
        self._http = http
        self.language = language
        self._links = links  # where a person opens a spreadsheet of this backend, by id
        self.grid_cells = 0  # the spreadsheet's cells at the last `read` (Google's limit counts them)

    # -- what it is --------------------------------------------------------
    @property
    def spreadsheet_id(self) -> str:
        return self._spreadsheet.id

    @property
    def title(self) -> str:
        return self._spreadsheet.title

    def link(self) -> str:
        """The address a person opens this spreadsheet at."""
        return self._links + self.spreadsheet_id

    @property
    def api_calls(self) -> int:
        """Every HTTP request sent to the Sheets/Drive API so far, retries included."""
        return sum(self._http.calls.values())

    @property
    def api_seconds(self) -> float:
        """Time spent so far waiting for the API's answers (sending, the server's work, receiving)."""
        return self._http.seconds

    @property
    def writes(self) -> int:
        """Calls so far that may have changed the spreadsheet: every call but a read."""
        return sum(n for kind, n in self._http.calls.items() if kind != "values:batchGet" and not kind.endswith(" GET"))

    def api_calls_by_kind(self) -> dict[str, int]:
        return dict(self._http.calls)

    # -- reading -----------------------------------------------------------
    def version(self) -> str | None:
        """Drive's version of the spreadsheet: "a monotonically increasing version number for the file",
        which "reflects every change made to the file on the server" (Drive API v3, File.version). One
        small call. None when Drive will not say (the Drive API off, a key without the scope): the caller
        then reads the spreadsheet, as if it had changed."""
        try:
            with _translated_errors("asking Drive for the spreadsheet's version"):
                reply = self._http.request("get", f"{DRIVE_FILES_API_V3_URL}/{self.spreadsheet_id}",
                                           params={"fields": "version", "supportsAllDrives": True})
        except HelptError:
            return None
        version = reply.json().get("version")
        return str(version) if version is not None else None

    def metadata(self) -> dict[str, Any]:
        """The spreadsheet resource: tab titles, ids, sizes, protected ranges (one call)."""
        with _translated_errors("reading the spreadsheet's tabs"):
            return self._spreadsheet.fetch_sheet_metadata()

    def first_rows(self, titles: Sequence[str]) -> dict[str, list[list[dict[str, Any]]]]:
        """Rows 1 and 2 of these tabs as cells with their shown value, note and data validation (one call):
        what `helpt init` reads to find the headers and check their notes and the columns' checks."""
        if not titles:
            return {}
        with _translated_errors("reading the spreadsheet's header notes"):
            found = self._spreadsheet.fetch_sheet_metadata(params={
                "ranges": [f"{quote_title(t)}!1:2" for t in titles],
                "fields": "sheets(properties(title),data(rowData(values(formattedValue,note,dataValidation))))"})
        rows: dict[str, list[list[dict[str, Any]]]] = {}
        for sheet in found.get("sheets", []):
            data = (sheet.get("data") or [{}])[0]
            rows[sheet["properties"]["title"]] = [row.get("values", []) for row in data.get("rowData", [])]
        return rows

    def find_tab(self, tab: Tab, metadata: Mapping[str, Any]) -> dict[str, Any] | None:
        """The sheet properties of `tab` in `metadata`, found by any of its titles or its id."""
        names = {_header_key(n) for n in tab.names()}
        for sheet in metadata.get("sheets", []):
            if _header_key(sheet["properties"]["title"]) in names:
                return sheet
        return None

    def read(self, tabs: Iterable[Tab]) -> dict[str, Sheet]:
        """Every row of every tab asked for, in two calls whatever the row count.

        Raises MissingTab or MissingColumn, naming the tab and column, when the
        spreadsheet no longer has what helpt needs.
        """
        tabs = list(tabs)
        metadata = self.metadata()
        self.grid_cells = grid_cells(metadata)
        found = []
        for tab in tabs:
            sheet = self.find_tab(tab, metadata)
            if sheet is None:
                raise MissingTab(
                    f"the spreadsheet has no tab '{tab.title(self.language)}'; run `helpt init`"
                )
            found.append((tab, sheet["properties"]))
        grids = self.values([quote_title(props["title"]) for _, props in found])
        sheets = {}
        for (tab, props), grid in zip(found, grids):
            header = [str(v) for v in grid[0]] if grid else []
            positions = find_columns(tab, header)
            _require_columns(tab, props["title"], positions, self.language)
            width = max([len(header), *(len(r) for r in grid)]) if grid else 0
            rows = [[str(v) for v in row] + [""] * (width - len(row)) for row in grid[1:]]
            sheets[tab.id] = Sheet(tab, props["title"], props["sheetId"], header, positions, rows)
        return sheets

    def read_rows(self, tab: Tab, piece: int = 10_000) -> tuple[Sheet, Iterator[list[str]]]:
        """A tab's header (a Sheet without rows) and its data rows, read `piece` rows per call as they
        are used: a file of 100,000 rows is written without the whole tab in memory at once."""
        metadata = self.metadata()
        found = self.find_tab(tab, metadata)
        if found is None:
            raise MissingTab(f"the spreadsheet has no tab '{tab.title(self.language)}'; run `helpt init`")
        props = found["properties"]
        title = quote_title(props["title"])
        [header_grid] = self.values([f"{title}!1:1"])
        header = [str(v) for v in header_grid[0]] if header_grid else []
        positions = find_columns(tab, header)
        _require_columns(tab, props["title"], positions, self.language)
        grid = props.get("gridProperties", {})
        last = column_letters(max(grid.get("columnCount", 26), len(header), 1) - 1)

        def rows() -> Iterator[list[str]]:
            for start in range(2, grid.get("rowCount", 1000) + 1, piece):
                [part] = self.values([f"{title}!A{start}:{last}{start + piece - 1}"])
                for row in part:
                    yield [str(v) for v in row] + [""] * (len(header) - len(row))

        return Sheet(tab, props["title"], props["sheetId"], header, positions), rows()

    def values(self, ranges: Sequence[str], render: str = "FORMATTED_VALUE") -> list[list[list[Any]]]:
        """The values of several A1 ranges in one `values:batchGet`; by default as the sheet shows them."""
        if not ranges:
            return []
        with _translated_errors("reading the spreadsheet"):
            reply = self._spreadsheet.values_batch_get(list(ranges), params={"valueRenderOption": render})
        return [value_range.get("values", []) for value_range in reply.get("valueRanges", [])]

    # -- writing -----------------------------------------------------------
    def write(self, ranges: Mapping[str, list[list[Any]]]) -> None:
        """Write several A1 ranges in one `values:batchUpdate` (one per 8 MB), RAW: text stays text."""
        if not ranges:
            return
        data = [{"range": a1, "majorDimension": "ROWS", "values": rows} for a1, rows in ranges.items()]
        for piece in within_request_limit(data):
            with _translated_errors("writing to the spreadsheet"):
                self._spreadsheet.values_batch_update({"valueInputOption": "RAW", "data": piece})

    def append(self, sheet: Sheet, records: Sequence[Mapping[str, Any]]) -> None:
        """Add rows below a tab's last row in one `values:append` (one per 8 MB), RAW.

        Each record maps column ids to values; it is laid out by where the
        columns are in this sheet now, and columns it does not name stay empty.
        Refusals (429/5xx) are retried; a lost answer is not, since the rows may
        have landed: it raises SheetsUnavailable, and the caller checks the tab
        (e.g. for its submission ids) before trying again.
        """
        if not records:
            return
        missing = sorted({column for record in records for column in record} - set(sheet.positions))
        if missing:
            raise MissingColumn(f"tab '{sheet.title}' has no column {', '.join(missing)}; run `helpt init` to add it")
        for rows in within_request_limit(lay_out(records, sheet.positions, len(sheet.header), blank="")):
            self._append_rows(sheet, rows)

    def _append_rows(self, sheet: Sheet, rows: list[list[Any]]) -> None:
        with _translated_errors(f"adding rows to '{sheet.title}'"):
            # Column A as the range in which the API looks for its "table": every row helpt
            # writes starts there (a timestamp or an id), so the table's first column, where
            # the API starts writing, is A. With the whole tab as range, a row emptied by an
            # erasure cuts the table off from the header, and the API takes the last run of
            # filled cells of the last row for the table: the new row then lands columns to
            # the right, each answer under another question.
            self._spreadsheet.values_append(
                f"{quote_title(sheet.title)}!A:A",
                params={"valueInputOption": "RAW", "insertDataOption": "INSERT_ROWS"},
                body={"majorDimension": "ROWS", "values": rows},
            )

    def clear(self, ranges: Sequence[str]) -> None:
        """Empty several A1 ranges in one `values:batchClear`."""
        if not ranges:
            return
        with _translated_errors("clearing cells"):
            self._spreadsheet.values_batch_clear(body={"ranges": list(ranges)})

    # -- other spreadsheets and their sharing (partner extracts) ------------
    def open_other(self, spreadsheet_id: str) -> Workbook:
        """Another spreadsheet through the same account and connection (one metadata call)."""
        with _translated_errors(f"opening spreadsheet {spreadsheet_id!r}"):
            return Workbook(gspread.Spreadsheet(self._http, {"id": spreadsheet_id}), self._http, self.language,
                            self._links)

    def create_other(self, title: str) -> Workbook:
        """A new spreadsheet owned by helpt's account (spreadsheets.create, then its metadata)."""
        with _translated_errors(f"creating spreadsheet {title!r}"):
            reply = self._http.request("post", SPREADSHEETS_API_V4_BASE_URL, json={"properties": {"title": title}})
        return self.open_other(reply.json()["spreadsheetId"])

    def first_tab(self) -> FirstTab:
        """The first tab: its title, its id and every value in it (one metadata and one values call)."""
        sheets = self.metadata().get("sheets", [])
        if not sheets:
            raise MissingTab("the spreadsheet has no tab")
        properties = min((sheet["properties"] for sheet in sheets), key=lambda p: p.get("index", 0))
        [grid] = self.values([quote_title(properties["title"])])
        return FirstTab(properties["title"], properties["sheetId"], [[str(v) for v in row] for row in grid])

    def marks(self, key: str, metadata: Mapping[str, Any] | None = None) -> list[str]:
        """The values of the spreadsheet's developer metadata under `key` (helpt's marks on what it owns)."""
        found = (metadata or self.metadata()).get("developerMetadata", [])
        return [str(m.get("metadataValue", "")) for m in found if m.get("metadataKey") == key]

    def mark(self, key: str, value: str) -> None:
        """Leave a mark on the spreadsheet that its users see nowhere and helpt finds again."""
        self.batch_update([{"createDeveloperMetadata": {"developerMetadata": {
            "metadataKey": key, "metadataValue": value, "location": {"spreadsheet": True},
            "visibility": "DOCUMENT"}}}])

    def permissions(self) -> list[dict[str, Any]]:
        """Who may open this spreadsheet (Drive permissions: id, type, role, emailAddress)."""
        with _translated_errors("listing who the spreadsheet is shared with"):
            return self._spreadsheet.list_permissions()

    def share(self, email: str, role: str) -> None:
        """Share with one person (Google e-mails them the link)."""
        with _translated_errors(f"sharing the spreadsheet as {role}"):
            self._spreadsheet.share(email, perm_type="user", role=role, notify=True)

    def unshare(self, permission_id: str) -> None:
        with _translated_errors("removing access to the spreadsheet"):
            self._http.remove_permission(self.spreadsheet_id, permission_id)

    def batch_update(self, requests_: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Structural changes (tabs, protection, validation, formats) in one `:batchUpdate`."""
        if not requests_:
            return []
        with _translated_errors("changing the spreadsheet's layout"):
            return self._spreadsheet.batch_update({"requests": requests_}).get("replies", [])


def _client(retry: RetryPolicy, auth: Any = None, session: requests.Session | None = None,
            sleep: Callable[[float], None] = time.sleep) -> tuple[gspread.Client, _CountingHTTPClient]:
    # gspread builds its HTTP client from the class it is handed; a partial hands it ours,
    # with our retry and counter, without touching gspread's internals.
    client = gspread.Client(
        auth, session=session,
        http_client=functools.partial(_CountingHTTPClient, retry=retry, sleep=sleep),  # type: ignore[arg-type]
    )
    return client, client.http_client  # type: ignore[return-value]


def open_google(spreadsheet_id: str, credentials_file: str, *, language: str = "nl",
                retry: RetryPolicy = RetryPolicy()) -> Workbook:
    """The production spreadsheet, through a google-auth service account."""
    from google.oauth2.service_account import Credentials

    try:
        credentials = Credentials.from_service_account_file(credentials_file, scopes=GOOGLE_SCOPES)
    except (OSError, ValueError) as error:
        raise HelptError(f"cannot read the service account key {credentials_file!r}: {error}") from error
    client, http = _client(retry, auth=credentials)
    with _translated_errors(f"opening spreadsheet {spreadsheet_id}"):
        spreadsheet = client.open_by_key(spreadsheet_id)
    return Workbook(spreadsheet, http, language)


def open_local(base_url: str, *, token: str, spreadsheet_id: str | None = None, title: str = "helpt",
               language: str = "nl", retry: RetryPolicy = RetryPolicy(),
               sleep: Callable[[float], None] = time.sleep) -> Workbook:
    """A spreadsheet on the local Sheets server at base_url, through the very same gspread.

    Without an id, opens the spreadsheet called `title`, creating it the first time.
    """
    client, http = _client(retry, session=local_session(base_url, token), sleep=sleep)
    with _translated_errors(f"opening spreadsheet {spreadsheet_id or title!r} on {base_url}"):
        if spreadsheet_id:
            spreadsheet = client.open_by_key(spreadsheet_id)
        else:
            try:
                spreadsheet = client.open(title)
            except gspread.SpreadsheetNotFound:
                spreadsheet = client.create(title)
    return Workbook(spreadsheet, http, language, links=f"{base_url.rstrip('/')}/spreadsheets/")
