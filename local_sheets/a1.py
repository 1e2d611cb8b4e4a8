"""A1 notation: parse ranges the way the Sheets API reads them, and write them back
the way it answers them (`Sheet1!A1:B2`, `'My tab'!A1`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheets_schema.a1 import column_letters

_CELL = re.compile(r"^([A-Za-z]*)(\d*)$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOKS_LIKE_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d+[Cc]\d+|[A-Za-z]{1,3}|true|false)$", re.I)


class RangeError(ValueError):
    """A range the API would refuse to parse."""


@dataclass
class Span:
    """The cell part of a range, 0-based with exclusive ends; None means 'open'."""

    row0: int | None
    row1: int | None
    col0: int | None
    col1: int | None


def col_index(letters: str) -> int:
    value = 0
    for ch in letters.upper():
        value = value * 26 + ord(ch) - 64
    return value - 1


def split_sheet(text: str) -> tuple[str | None, str | None]:
    """'My tab'!A1:B2 -> ("My tab", "A1:B2"); A1:B2 -> (None, "A1:B2"); 'x' -> ("x", None)."""
    if text.startswith("'"):
        end = _closing_quote(text)
        title = text[1:end].replace("''", "'")
        rest = text[end + 1:]
        if not rest:
            return title, None
        if not rest.startswith("!"):
            raise RangeError(text)
        return title, rest[1:] or None
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        return title, cells or None
    return None, text


def _closing_quote(text: str) -> int:
    i = 1
    while i < len(text):
        if text[i] == "'":
            if i + 1 < len(text) and text[i + 1] == "'":
                i += 2
                continue
            return i
        i += 1
    raise RangeError(text)


def parse_cells(cells: str) -> Span:
    """A1, A1:B2, A:C, A2:C, 2:5, A1:1 -> Span."""
    parts = cells.split(":")
    if len(parts) > 2 or not all(parts):
        raise RangeError(cells)
    start = _CELL.match(parts[0].strip())
    if not start or not (start.group(1) or start.group(2)):
        raise RangeError(cells)
    c0 = col_index(start.group(1)) if start.group(1) else None
    r0 = int(start.group(2)) - 1 if start.group(2) else None
    if r0 is not None and r0 < 0:
        raise RangeError(cells)
    if len(parts) == 1:
        if c0 is None or r0 is None:
            raise RangeError(cells)
        return Span(r0, r0 + 1, c0, c0 + 1)
    end = _CELL.match(parts[1].strip())
    if not end or not (end.group(1) or end.group(2)):
        raise RangeError(cells)
    c1 = col_index(end.group(1)) + 1 if end.group(1) else None
    r1 = int(end.group(2)) if end.group(2) else None
    # "A1:B" style ends and reversed corners are normalised as Google does.
    if r0 is not None and r1 is not None and r1 <= r0:
        r0, r1 = r1 - 1, r0 + 1
    if c0 is not None and c1 is not None and c1 <= c0:
        c0, c1 = c1 - 1, c0 + 1
    return Span(r0 or 0, r1, c0 or 0, c1)


def is_cells(text: str) -> bool:
    try:
        parse_cells(text)
    except RangeError:
        return False
    return True


def quote_title(title: str) -> str:
    if _PLAIN_TITLE.match(title) and not _LOOKS_LIKE_CELL.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, row0: int, row1: int, col0: int, col1: int) -> str:
    """Closed 0-based grid box -> Sheet!A1:B2 (a single cell as Sheet!A1)."""
    start = f"{column_letters(col0)}{row0 + 1}"
    end = f"{column_letters(col1 - 1)}{row1}"
    cells = start if (row1 - row0 == 1 and col1 - col0 == 1) else f"{start}:{end}"
    return f"{quote_title(title)}!{cells}"
