"""What moves with the grid when rows or columns are inserted, deleted or moved.

Google keeps merges, protected ranges, data validation, conditional formats,
formats, notes, filters, groups, sizes and named ranges attached to their
cells: inserting a row above a protected range moves it down, inserting inside
it makes it taller, deleting rows shrinks it and deleting all of it removes it.
Each change is a function from an old boundary index to a new one, applied to
every range a sheet holds.
"""

from __future__ import annotations

from typing import Any, Callable

from .store import Sheet, Spreadsheet

# (start boundary, end boundary, point) -> new index, or None for a point that is gone.
Boundary = Callable[[int], int]


class Change:
    """One structural change along one dimension of one sheet."""

    def __init__(self, start: Boundary, end: Boundary, point: Callable[[int], int | None]) -> None:
        self.start, self.end, self.point = start, end, point


def inserted(at: int, count: int) -> Change:
    # A range starting at the insertion point moves; one ending there does not grow.
    return Change(lambda x: x + count if x >= at else x,
                  lambda x: x + count if x > at else x,
                  lambda x: x + count if x >= at else x)


def deleted(start: int, end: int) -> Change:
    def boundary(x: int) -> int:
        return x - min(max(x - start, 0), end - start)

    return Change(boundary, boundary, lambda x: None if start <= x < end else boundary(x))


def moved(start: int, end: int, destination: int) -> Change:
    """moveDimension: [start, end) goes to `destination`, counted before the block is taken out."""
    count = end - start
    target = destination - count if destination > end else destination
    gone, back = deleted(start, end), inserted(target, count)

    def point(x: int) -> int:
        if start <= x < end:
            return target + x - start
        return back.point(gone.point(x))  # type: ignore[arg-type]

    def range_start(x: int) -> int:
        return target + x - start if start <= x < end else back.start(gone.start(x))

    def range_end(x: int) -> int:
        return target + x - start if start < x <= end else back.end(gone.end(x))

    return Change(range_start, range_end, point)


def _grid_range(rng: dict[str, Any], rows: bool, change: Change) -> bool:
    """Move one GridRange in place; False when nothing of it is left."""
    lo, hi = ("startRowIndex", "endRowIndex") if rows else ("startColumnIndex", "endColumnIndex")
    start = change.start(rng.get(lo, 0))
    if start:
        rng[lo] = start
    elif lo in rng:
        rng[lo] = 0
    if hi in rng:
        rng[hi] = change.end(rng[hi])
        return rng[hi] > start
    return True


def _dimension_range(rng: dict[str, Any], rows: bool, change: Change) -> bool:
    if (rng.get("dimension") == "ROWS") != rows:
        return True
    rng["startIndex"] = change.start(rng.get("startIndex", 0))
    if "endIndex" in rng:
        rng["endIndex"] = change.end(rng["endIndex"])
        return rng["endIndex"] > rng["startIndex"]
    return True


def _keep(items: list[Any], still_there: Callable[[Any], bool]) -> list[Any]:
    return [item for item in items if still_there(item)]


def _conditional_rule(rule: dict[str, Any], rows: bool, change: Change) -> bool:
    rule["ranges"] = _keep(rule.get("ranges") or [], lambda r: _grid_range(r, rows, change))
    return bool(rule["ranges"])


def apply(ss: Spreadsheet, sheet: Sheet, rows: bool, change: Change) -> None:
    """Move everything attached to `sheet`'s cells along with a structural change."""
    extras = sheet.extras
    extras["merges"] = _keep(extras.get("merges", []), lambda r: _grid_range(r, rows, change))
    for key in ("protectedRanges", "dataValidation", "formats"):
        extras[key] = _keep(extras.get(key, []), lambda item: _grid_range(item["range"], rows, change))
    extras["conditionalFormats"] = _keep(extras.get("conditionalFormats", []),
                                         lambda rule: _conditional_rule(rule, rows, change))
    for key in ("rowGroups", "columnGroups", "dimensionProperties"):
        extras[key] = _keep(extras.get(key, []), lambda item: _dimension_range(item["range"], rows, change))
    if extras.get("basicFilter") and not _grid_range(extras["basicFilter"]["range"], rows, change):
        del extras["basicFilter"]
    notes = []
    for r, c, text in extras.get("notes", []):
        moved_to = change.point(r if rows else c)
        if moved_to is not None:
            notes.append([moved_to, c, text] if rows else [r, moved_to, text])
    extras["notes"] = notes
    for key in [k for k, v in extras.items() if v in ([], None)]:
        del extras[key]
    named = ss.extras.get("namedRanges", [])
    ss.extras["namedRanges"] = _keep(
        named, lambda n: n["range"].get("sheetId", 0) != sheet.sheet_id or _grid_range(n["range"], rows, change))
    if not ss.extras["namedRanges"]:
        del ss.extras["namedRanges"]
