"""Retention: a finished case's personal data goes HELPT_RETENTION_DAYS after it finished, and stays gone."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sheets_schema.tabs import INTAKE_TABS, REQUESTS, VOLUNTEERS, tab
from sheets_schema.workbook import open_local
from sync.job import Upkeep, run_sync

from .conftest import FAST_RETRY
from .sync_helpers import master, spreadsheet, submission

DAY0 = datetime(2020, 3, 20, 12, 0, 0)


def _label(tab_, column_id: str, code: str) -> str:
    return next(c.labels["nl"] for c in tab_.column(column_id).choices if c.code == code)


def _set(workbook, tab_, name: str, **cells) -> None:
    sheet = workbook.read([tab_])[tab_.id]
    number = next(n + 2 for n, row in enumerate(sheet.records()) if row["full_name"] == name)
    workbook.write({sheet.cell(number, column): [[value]] for column, value in cells.items()})


def _sync(workbook, day: int):
    return run_sync(workbook, clock=lambda: DAY0 + timedelta(days=day), upkeep=Upkeep(retention_days=30))


def _names(workbook, tab_id: str) -> set[str]:
    return {row["full_name"] for row in master(workbook, tab_id).values()}


def test_finished_rows_go_after_the_retention_period_with_their_submissions_and_open_ones_stay(server):
    workbook = open_local(server.url, token=server.token, title=f"retention-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    spreadsheet(workbook, offers=[("nl", submission("S-v1", "Vera Volunteer", phone="0470 10 10 10")),
                                  ("nl", submission("S-v2", "Wim Willing", phone="0470 20 20 20"))],
                requests=[("nl", submission("S-r1", "Rita Request", phone="016 10 10 10")),
                          ("nl", submission("S-r2", "Otto Open", phone="016 20 20 20")),
                          ("nl", submission("S-r3", "Rob Reopened", phone="016 30 30 30"))])
    _sync(workbook, 0)
    _set(workbook, REQUESTS, "Rita Request", status=_label(REQUESTS, "status", "closed"))
    _set(workbook, REQUESTS, "Rob Reopened", status=_label(REQUESTS, "status", "cancelled"))
    _set(workbook, VOLUNTEERS, "Vera Volunteer", status=_label(VOLUNTEERS, "status", "withdrawn"))
    _sync(workbook, 1)
    closed = {row["full_name"]: row["closed_at"] for row in master(workbook, "requests").values()}
    assert closed == {"Rita Request": "2020-03-21 12:00:00", "Otto Open": "", "Rob Reopened": "2020-03-21 12:00:00"}
    _set(workbook, REQUESTS, "Rob Reopened", status=_label(REQUESTS, "status", "in_progress"))  # reopened
    _sync(workbook, 20)
    assert master(workbook, "requests")[next(k for k, r in master(workbook, "requests").items()
                                             if r["full_name"] == "Rob Reopened")]["closed_at"] == ""
    assert _names(workbook, "requests") == {"Rita Request", "Otto Open", "Rob Reopened"}  # not yet 30 days

    result = _sync(workbook, 32)
    assert _names(workbook, "requests") == {"Otto Open", "Rob Reopened"}
    assert _names(workbook, "volunteers") == {"Wim Willing"}
    intake = workbook.read(INTAKE_TABS)
    ids = {row["submission_id"] for sheet in intake.values() for row in sheet.records() if row["submission_id"]}
    assert ids == {"S-v2", "S-r2", "S-r3"}
    every_cell = str([sheet.rows for sheet in workbook.read([REQUESTS, VOLUNTEERS, *INTAKE_TABS]).values()])
    assert "Rita" not in every_cell and "Vera" not in every_cell and "+3216101010" not in every_cell
    assert "bewaartermijn (30 dagen)" in result.summary().lower()
    log = [row for row in workbook.read([tab("log")])["log"].records() if row["job"] == "bewaartermijn"]
    assert len(log) == 1 and "Rita" not in log[0]["details"] and "Hulpvragen 1" in log[0]["details"]
    _sync(workbook, 33)  # nothing comes back
    assert _names(workbook, "requests") == {"Otto Open", "Rob Reopened"}
    assert _names(workbook, "volunteers") == {"Wim Willing"}
