"""The desk's clock: the city's time zone, and how a moment is written in a cell.

Intake stamps submissions with it, the sync stamps rows (synced_at,
closed_at) and the Log; one definition keeps every cell comparable.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

CITY_TIME = ZoneInfo("Europe/Brussels")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"  # as a coordinator reads it, and sorts it


def city_now() -> datetime:
    """Now in the city, to the second, without a time zone (as cells hold it)."""
    return datetime.now(CITY_TIME).replace(tzinfo=None, microsecond=0)


def city_stamp() -> str:
    return city_now().strftime(TIME_FORMAT)


def short_moment(seconds: float | None) -> str:
    """A moment (seconds since the epoch) as people read it in a row, a page or a message: "20/03 14:02"
    in the city's time; empty for none."""
    return datetime.fromtimestamp(seconds, CITY_TIME).strftime("%d/%m %H:%M") if seconds else ""
