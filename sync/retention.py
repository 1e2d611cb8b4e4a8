"""Retention (`HELPT_RETENTION_DAYS`): a finished case's personal data goes that many days after it finished.

A request is finished when a coordinator closes or cancels it; a volunteer
when withdrawn or rejected. The sync notes when it first saw that
(`closed_at`), and clears it again if the case is reopened. Once `closed_at`
is older than the retention period, the row is erased, and with it the intake
rows of its submissions, so no later sync brings it back. The journal holds
no personal data of submissions already in the sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sheets_schema.answers import choice_code, split_list
from sheets_schema.clock import TIME_FORMAT
from sheets_schema.fields import Tab
from sheets_schema.tabs import INTAKE_TABS, REQUESTS, VOLUNTEERS
from sheets_schema.workbook import Sheet, Workbook

from .erase import Target, erase
from .logbook import say

# Coordinator column -> the values that finish a row, per master tab.
FINISHED: dict[str, dict[str, set[str]]] = {
    REQUESTS.id: {"status": {"closed", "cancelled"}},
    VOLUNTEERS.id: {"status": {"withdrawn"}, "screening": {"rejected"}},
}


def finished(tab: Tab, row: Mapping[str, str]) -> bool:
    return any(choice_code(tab.column(column_id).choices, row.get(column_id, "")) in codes
               for column_id, codes in FINISHED[tab.id].items())


def closed_at(tab: Tab, row: Mapping[str, str], now: str) -> str:
    """What the row's `closed_at` must say: when it was first seen finished, or nothing while it is open."""
    if not finished(tab, row):
        return ""
    return row.get("closed_at", "").strip() or now


@dataclass
class Expiry:
    rows: dict[str, int] = field(default_factory=dict)  # tab title -> finished rows erased
    intake_rows: int = 0
    submission_ids: set[str] = field(default_factory=set)  # of the rows erased: the archive's copies go too

    def details(self, days: int, language: str) -> str:
        counts = ", ".join(f"{title} {n}" for title, n in self.rows.items())
        return say(language, "retention", days=say(language, "days", n=days), counts=counts,
                   intake=say(language, "intake_rows", n=self.intake_rows))


def _expired(limit: datetime, gone: set[str]) -> Callable[[Mapping[str, Sheet]], list[Target]]:
    """Chooses the finished rows older than `limit` and their intake rows, in whatever read it is given.

    Their submissions land in `gone`, across rounds: the master row is empty by then.
    """

    def choose(sheets: Mapping[str, Sheet]) -> list[Target]:
        targets: list[Target] = []
        for tab in (REQUESTS, VOLUNTEERS):
            for n, row in enumerate(sheets[tab.id].records()):
                stamp = row.get("closed_at", "").strip()
                try:
                    when = datetime.strptime(stamp, TIME_FORMAT) if stamp else None
                except ValueError:
                    when = None  # a hand-edited date helpt cannot read: keep the row, never guess
                if when is not None and when < limit and finished(tab, row):
                    targets.append((tab.id, n, None))
                    gone.update(split_list(row.get("submission_ids", "")))
        for tab in INTAKE_TABS:
            targets += [(tab.id, n, None) for n, row in enumerate(sheets[tab.id].records())
                        if row.get("submission_id", "").strip() in gone]
        return targets
    return choose


def expire(workbook: Workbook, sheets: Mapping[str, Sheet], days: int, now: datetime) -> Expiry:
    """Erase every row finished more than `days` ago, with its intake rows, where they are now.

    `sheets` is the sync's own read: when it shows nothing to erase, no call is made.
    """
    gone: set[str] = set()
    if not _expired(now - timedelta(days=days), set())(sheets):
        return Expiry()
    erasure = erase(workbook, [REQUESTS, VOLUNTEERS, *INTAKE_TABS], _expired(now - timedelta(days=days), gone))
    return Expiry({erasure.titles[tab.id]: erasure.rows[tab.id] for tab in (REQUESTS, VOLUNTEERS)
                   if tab.id in erasure.rows},
                  sum(erasure.rows.get(tab.id, 0) for tab in INTAKE_TABS), gone)
