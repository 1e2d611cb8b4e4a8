"""Google's limits, enforced before anything is allocated, and the shape every spreadsheet must keep.

A request that would break one gets Google's 400, and `SheetsApp.mutate`
rolls the spreadsheet back, as Google applies a request whole or not at all.
"""

from __future__ import annotations

from .errors import bad_request
from .store import Sheet, Spreadsheet

MAX_CELLS = 10_000_000  # per spreadsheet, all tabs together
MAX_COLUMNS = 18_278  # column ZZZ
# Edits that set cells one by one (a value or note on every cell of a range, a pasted tile, a
# merge per row) stop here. Google goes up to the grid's 10 million cells; this server shares
# its process with the public forms, and a million keeps one request to about a second.
MAX_EDIT_CELLS = 1_000_000
MAX_CELL_CHARACTERS = 50_000  # Google refuses a longer text in one cell
MAX_BODY_BYTES = 10_485_760  # Google refuses a larger request body (its "payload")
BODY_LIMIT_MESSAGE = f"Request payload size exceeds the limit: {MAX_BODY_BYTES} bytes."
CELL_TEXT_MESSAGE = f"Your input contains more than the maximum of {MAX_CELL_CHARACTERS} characters in a single cell."
CELL_LIMIT_MESSAGE = ("This action would increase the number of cells in the workbook above the limit of "
                      f"{MAX_CELLS} cells.")


def check_cell_text(text: str) -> str:
    if len(text) > MAX_CELL_CHARACTERS:
        raise bad_request(CELL_TEXT_MESSAGE)
    return text


def whole_number(value: object, what: str) -> int:
    """An index or count from a request body: a real integer, not a bool, a float or a text."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"Invalid value at '{what}' (TYPE_INT32), {str(value)[:40]}")
    if not -2 ** 31 <= value < 2 ** 31:
        raise bad_request(f"Invalid value at '{what}' (TYPE_INT32), {value}")
    return value


def check_edit(cells: int) -> None:
    if cells > MAX_EDIT_CELLS:
        raise bad_request(f"This request would set {cells} cells one by one; the local server sets at most "
                          f"{MAX_EDIT_CELLS} at a time. Split it into smaller ranges.")


def check_grid_data(cells: int) -> None:
    """Grid data is a JSON object per cell: answered for up to MAX_EDIT_CELLS cells a request."""
    if cells > MAX_EDIT_CELLS:
        raise bad_request(f"Grid data for {cells} cells was asked for; the local server answers at most "
                          f"{MAX_EDIT_CELLS} cells at a time. Ask for smaller ranges.")


def check_growth(ss: Spreadsheet, sheet: Sheet | None, rows: int, cols: int) -> None:
    """Refuse, before allocating, to give `sheet` (or a new sheet) a grid of rows x cols over the limits."""
    others = sum(s.row_count * s.col_count for s in ss.sheets if s is not sheet)
    if rows < 0 or cols < 0 or cols > MAX_COLUMNS or others + rows * cols > MAX_CELLS:
        raise bad_request(CELL_LIMIT_MESSAGE)


def check_shape(ss: Spreadsheet) -> None:
    """What a change must leave: whole-number grids within the limits, and distinct, non-empty titles."""
    titles: set[str] = set()
    total = 0
    for sheet in ss.sheets:
        rows, cols = sheet.grid.get("rowCount", 1000), sheet.grid.get("columnCount", 26)
        if not isinstance(rows, int) or not isinstance(cols, int) or isinstance(rows, bool) or \
                isinstance(cols, bool) or rows < 1 or cols < 1:
            raise bad_request("Invalid gridProperties: rowCount and columnCount must be whole numbers of at least 1.")
        total += rows * cols
        title = sheet.properties.get("title")
        if not isinstance(title, str) or not title.strip():
            raise bad_request("Invalid sheet properties: a sheet's title must be a non-empty text.")
        if title.lower() in titles:
            raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
        titles.add(title.lower())
    if total > MAX_CELLS:
        raise bad_request(CELL_LIMIT_MESSAGE)
    if not isinstance(ss.properties.get("title"), str):
        raise bad_request("Invalid spreadsheet properties: the title must be a text.")
