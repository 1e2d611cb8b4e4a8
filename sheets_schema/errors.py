"""The one exception root of helpt. Errors are raised deep down and shown at the edges."""

from __future__ import annotations


class HelptError(Exception):
    """Anything helpt can explain to the person running it."""


class SheetsUnavailable(HelptError):
    """The Sheets API kept failing (429/5xx/time-outs) after every retry."""


class SpreadsheetNotFound(HelptError):
    """The spreadsheet id is unknown, or not shared with helpt's account."""


class SheetsRequestRejected(HelptError):
    """The Sheets API refused a request that retrying cannot fix (4xx)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class MissingColumn(HelptError):
    """A tab lacks a column helpt needs; names the tab and the column."""


class MissingTab(HelptError):
    """The spreadsheet lacks a tab helpt needs; `helpt init` creates it."""


class ConfigError(HelptError):
    """A setting is missing or wrong."""
