"""A quiet desk: a sync that finds the workbook exactly as an earlier sync found it, and that sync had
nothing to change, has nothing to change either (docs/sync.md).

A sync is a pure function of what it reads: every tab but the Log, the
archive, the settings, the code, the day (the handover's clock aside: see
below). So after a sync that wrote nothing, the memory keeps a fingerprint of
all of that: the "quiet mark". The next sync reads the workbook as always,
and when its fingerprint is the mark, it skips normalising, merging, matching
and counting, which would only confirm every cell. A coordinator's edit, a new
submission, a new day or an upgrade changes the fingerprint, and the sync
works everything out again (from the memory, for what did not change).

The handover is the one part that moves with the clock (an ask expires, a
thank-you falls due): a quiet sync still plans it, and finds it idle, or does
the whole sync. The mark keeps what the handover told matching the last time
(who turned a request down, who paused themselves), so that matching is
known to see the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from sheets_schema.fields import Tab
from sheets_schema.workbook import Sheet

KIND = "quiet"  # the mark's kind in the memory


def workbook_state(sheets: Mapping[str, Sheet], *also: object) -> str:
    """A fingerprint of every cell of `sheets`, their titles and headers, and `also`."""
    digest = hashlib.blake2b(digest_size=32)
    digest.update(json.dumps([repr(also), sorted(sheets)]).encode())
    for tab_id in sorted(sheets):
        sheet = sheets[tab_id]
        digest.update(json.dumps([sheet.title, sheet.header, len(sheet.rows)]).encode())
        for row in sheet.rows:  # row by row: no copy of the whole tab as text
            text = "\x1f".join(row)
            if text.count("\x1f") == len(row) - 1:  # (a cell holds no separator): the text says where each cell ends
                digest.update(f"{len(text)}:{text}".encode())
            else:
                text = json.dumps(row)
                digest.update(f"{len(text)}j{text}".encode())
    return digest.hexdigest()


def complete(sheets: Mapping[str, Sheet], tabs: Sequence[Tab]) -> bool:
    """Every column of the master tabs is in the sheet: a quiet sync compares the handover's words with
    the cells, and a sync's decisions on a column the sheet lacks are nowhere to compare."""
    return all(column.id in sheets[tab.id].positions for tab in tabs for column in tab.columns)


@dataclass
class Quiet:
    """What a quiet sync needs from the sync that left the mark."""

    live: dict[str, list[str]]  # master tab -> the ids of its rows that hold submissions, as matching saw them
    turned_down: dict[str, list[str]]  # from the handover: request id -> volunteers out of it
    status: dict[str, str]  # from the handover: volunteer id -> the status they chose themselves
    submissions: int
    unknown_answers: dict[str, int]
    stats_rows: int

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Quiet:
        return cls(**json.loads(text))


def handover_words(turned_down: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """`turned_down` as the mark keeps it."""
    return {request_id: sorted(out) for request_id, out in sorted(turned_down.items()) if out}
