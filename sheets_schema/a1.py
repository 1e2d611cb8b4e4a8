"""A1 notation, the one way: column letters and quoted tab titles, for the Workbook, files and the local server."""

from __future__ import annotations


def column_letters(index: int) -> str:
    """Column letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_title(title: str) -> str:
    """A tab title as A1 notation wants it: in single quotes, quotes doubled."""
    return "'" + title.replace("'", "''") + "'"
