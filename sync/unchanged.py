"""A sync that reads nothing: Drive says the spreadsheet is as a quiet sync found it (docs/sync.md).

Drive keeps a version number for every file: "a monotonically increasing
version number for the file. This reflects every change made to the file on
the server, even those not visible to the user" (Drive API v3, File.version).
A sync asks for it before it reads (one small call). When a sync that read
everything had nothing to change (sync/quiet.py), the memory keeps a mark
under that version and everything else the sync's decisions depend on: the
code, the team's language, the matching settings, the archive, the
handover's memory. The next sync that finds the same mark knows the
workbook is the one that sync read, and reads nothing.

The version is asked for *before* the read: an edit made while the quiet sync
read or worked has a later version, so the mark cannot hide it.

What moves with the clock (an ask that expires, a thank-you that falls due,
retention, the archive's age limit, the day in the Stats tab) is decided by a
sync that reads: the mark holds for one slot of `MARK_HOLDS` seconds only.
So a desk whose spreadsheet nobody touches still gets a full look every five
minutes, the pace of earlier versions, and Drive saying nothing changed when
something did (which its documentation rules out) would cost at most that
delay, never an edit.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

KIND = "unchanged"  # the mark's kind in the memory
MARK_HOLDS = 300  # seconds: the longest a mark holds


@dataclass
class Unchanged:
    """What a sync that reads nothing says, from the quiet sync that left the mark."""

    submissions: int
    unknown_answers: dict[str, int]
    stats_rows: int
    cells: int

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Unchanged:
        return cls(**json.loads(text))


def slot(seconds: float) -> int:
    """Which slot of `MARK_HOLDS` seconds a moment (seconds since the epoch) falls in."""
    return int(seconds // MARK_HOLDS)


def mark_key(version: str, *inputs: object) -> str:
    """The mark's fingerprint: Drive's version and everything else the sync depends on (`inputs`, the
    slots of its clocks among them)."""
    return hashlib.blake2b(json.dumps([version, repr(inputs)]).encode(), digest_size=32).hexdigest()
