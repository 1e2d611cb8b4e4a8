"""The sync as a job: constant API calls, --dry-run, the lock, the CLI, export."""

from __future__ import annotations

import csv
import gc
import threading
import uuid
from datetime import datetime, timedelta
from functools import partial

import openpyxl
import pytest

from desk_db import open_database
from desk_db.sync_memory import SyncMemory
from helpt.cli import main
from sheets_schema.tabs import LOG_TAB, STATS_TAB, TABS, VOLUNTEERS, tab
from sheets_schema.workbook import open_local
from sync.export import export_tabs
from sync.job import Upkeep, run_sync
from sync.lock import SyncRunning, sync_lock

from .conftest import FAST_RETRY
from .generate import generate, write_intake
from .sync_helpers import add, fixed_clock, master, spreadsheet, submission


def _calls(workbook, action) -> dict[str, int]:
    before = workbook.api_calls_by_kind()
    action()
    return {k: n - before.get(k, 0) for k, n in workbook.api_calls_by_kind().items() if n != before.get(k, 0)}


def test_a_sync_makes_the_same_api_calls_for_ten_times_the_rows(server):
    counts = []
    for people in (30, 300):
        workbook = open_local(server.url, token=server.token, title=f"calls-{people}-{uuid.uuid4().hex[:6]}",
                              retry=FAST_RETRY)
        spreadsheet(workbook)
        write_intake(workbook, generate(volunteers=people, requests=people // 3, seed=people))
        first = _calls(workbook, partial(run_sync, workbook))
        rows = master(workbook, "volunteers")
        add(workbook, offers=[("nl", submission(f"S-new-{n}", row["full_name"], phone=row["phone"],
                                                 email=row["email"], postcode=row["postcode"], tasks=("letter",)))
                              for n, row in enumerate(list(rows.values())[:3])]
            + [("en", submission("S-new-x", "Nora Newcomer", phone="0499 00 00 01", language="en"))])
        second = _calls(workbook, partial(run_sync, workbook))
        counts.append((first, second))
    assert counts[0] == counts[1]
    first, second = counts[0]
    # metadata + batchGet; check, batchUpdate, check (none when only Stats is written);
    # an append per master tab with new rows, and one to Log.
    assert first == {"spreadsheets GET": 1, "values:batchGet": 2, "values:batchUpdate": 1, ":append": 3}
    assert second == {"spreadsheets GET": 1, "values:batchGet": 3, "values:batchUpdate": 1, ":append": 2}


def test_dry_run_says_what_would_change_and_writes_nothing(workbook):
    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Smets", phone="0470 00 00 01"))])
    results = []
    calls = _calls(workbook, lambda: results.append(run_sync(workbook, dry_run=True)))
    assert calls == {"spreadsheets GET": 1, "values:batchGet": 1}
    assert master(workbook, "volunteers") == {}
    assert workbook.read([LOG_TAB])["log"].rows == []
    assert results[0].details().splitlines()[:2] == ["Vrijwilligers: 1 rij toe te voegen, 0 rijen bij te werken",
                                                     "Hulpvragen: 0 rijen toe te voegen, 0 rijen bij te werken"]
    assert results[0].summary().startswith("Zou synchroniseren in ")


def test_two_syncs_never_run_at_once(tmp_path):
    lock = open_database("", tmp_path)
    with sync_lock(lock):
        errors = []

        def second() -> None:
            try:
                with sync_lock(lock):
                    pass
            except SyncRunning as busy:
                errors.append(str(busy))
        thread = threading.Thread(target=second)
        thread.start()
        thread.join()
        # Even a thread of the same process is refused.
        assert len(errors) == 1 and errors[0].startswith("another sync is running")
    with sync_lock(lock):  # released: the next sync runs
        pass


def test_an_erasure_waits_for_the_running_sync_and_a_sync_does_not(tmp_path):
    """`helpt person forget` and `helpt purge` wait for the worker's sync to end (it syncs every minute);
    past their wait they give up as a sync does at once."""
    lock = open_database("", tmp_path)
    waiting, erased, gave_up = threading.Event(), threading.Event(), []

    def erasure() -> None:
        with sync_lock(lock, wait=60, waiting=waiting.set):
            erased.set()

    def impatient() -> None:
        try:
            with sync_lock(lock, wait=0.1):
                pass
        except SyncRunning:
            gave_up.append(True)

    with sync_lock(lock):  # the worker's sync
        thread = threading.Thread(target=erasure)
        thread.start()
        assert waiting.wait(timeout=30)
        assert not erased.is_set()
        other = threading.Thread(target=impatient)
        other.start()
        other.join(timeout=30)
        assert gave_up == [True]
    thread.join(timeout=30)
    assert erased.is_set()


def test_cli_sync_and_export(server, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPT_SHEETS_URL", server.url)
    monkeypatch.setenv("HELPT_SHEETS_TOKEN", server.token)
    title = f"cli-sync-{uuid.uuid4().hex[:6]}"
    monkeypatch.setenv("HELPT_SPREADSHEET_TITLE", title)
    monkeypatch.setenv("HELPT_DATA_DIR", str(tmp_path / "data"))
    assert main(["init"]) == 0
    workbook = open_local(server.url, token=server.token, title=title, retry=FAST_RETRY)
    add(workbook, offers=[("nl", submission("S-1", "=HYPERLINK(\"http://x\")", phone="0470 00 00 02"))])
    capsys.readouterr()

    assert main(["sync", "--dry-run"]) == 0
    out = capsys.readouterr()
    assert "Vrijwilligers: 1 rij toe te voegen" in out.out and "elk tabblad lezen in één keer" in out.err
    assert main(["sync"]) == 0
    assert "Vrijwilligers: 1 toegevoegd, 0 bijgewerkt" in capsys.readouterr().out
    assert main(["sync"]) == 0  # the row came in in 2020: it moves to the archive (HELPT_ARCHIVE_AFTER_DAYS=30)
    assert "1 oudere intakerij naar het archief verhuisd" in capsys.readouterr().out
    assert main(["sync"]) == 0
    assert "niets te wijzigen" in capsys.readouterr().out

    assert main(["export", "--format", "csv", "--out", str(tmp_path / "people")]) == 0
    with open(tmp_path / "people" / "Vrijwilligers.csv", newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle))[:3] == ["Vrijwilliger-id", "Screening", "Status"]  # the team's words
    assert main(["export", "--format", "csv", "--ids", "--out", str(tmp_path / "csv")]) == 0
    with open(tmp_path / "csv" / "volunteers.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["volunteer_id", "screening", "status"]
    assert rows[1][rows[0].index("full_name")] == "'=HYPERLINK(\"http://x\")"
    assert rows[1][rows[0].index("phone")] == "0470 00 00 02"  # as Belgians dial it


def test_xlsx_export_keeps_formulas_as_plain_text(workbook, tmp_path):
    spreadsheet(workbook, offers=[("nl", submission("S-1", "@Sum(1+1)", phone="0470 00 00 03",
                                                    details="=IMPORTRANGE(\"x\";\"A1\")"))])
    run_sync(workbook)
    [path] = export_tabs(workbook, TABS, "xlsx", tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book[workbook.read([TABS[1]])["volunteers"].title]
    header = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(header, sheet[2])}
    assert (row["Naam"].value, row["Naam"].data_type) == ("@Sum(1+1)", "s")
    assert (row["Uitleg"].value, row["Uitleg"].data_type) == ("=IMPORTRANGE(\"x\";\"A1\")", "s")
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)  # no formula anywhere
    # Numbers and dates are typed, so a coordinator can sort and sum them.
    assert (row["Lopende hulpvragen"].value, row["Lopende hulpvragen"].data_type) == (0, "n")
    assert row["Aangemaakt op"].is_date and row["Postcode"].data_type == "s"
    assert STATS_TAB.titles["nl"] in book.sheetnames


@pytest.mark.parametrize("fmt", ["pdf"])
def test_export_refuses_an_unknown_format(workbook, tmp_path, fmt):
    with pytest.raises(ValueError, match="format must be one of csv, xlsx"):
        export_tabs(workbook, TABS, fmt, tmp_path)


def test_the_log_warns_in_words_as_the_spreadsheet_nears_googles_cell_limit(workbook):
    from sheets_schema.tabs import INTAKE_TABS

    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Peeters", phone="0470 11 11 11"))])
    assert run_sync(workbook, clock=fixed_clock).size_warning() == ""
    intake = workbook.read([INTAKE_TABS[3]])[INTAKE_TABS[3].id]  # a tab grown by a form that took off

    def grow(rows: int) -> None:
        workbook.batch_update([{"updateSheetProperties": {
            "properties": {"sheetId": intake.sheet_id, "gridProperties": {"rowCount": rows, "columnCount": 20}},
            "fields": "gridProperties(rowCount,columnCount)"}}])

    grow(365_000)  # 7.3 million cells in this tab alone
    result = run_sync(workbook, clock=fixed_clock)
    assert 7_300_000 <= result.cells < 9_000_000
    warning = result.size_warning()
    assert warning.startswith("De rekenblad bevat") or warning.startswith("Het rekenblad bevat")
    assert "Maak binnenkort ruimte" in warning and warning in result.summary()
    grow(460_000)
    result = run_sync(workbook, clock=fixed_clock)
    assert "Maak nu ruimte" in result.size_warning()
    log = [r for r in workbook.read([tab("log")])["log"].records() if r["job"] == "groottewaarschuwing"]
    assert len(log) == 2 and "% van de grens van Google" in log[-1]["details"]


def test_a_sync_leaves_the_garbage_collector_of_its_process_alone(workbook):
    """Web threads may share the process: only sync-only processes (`helpt sync`, the worker) pause it."""
    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Smets", phone="0470 00 00 01"))])
    seen = []
    run_sync(workbook, progress=lambda step: seen.append(gc.isenabled()))
    assert seen and all(seen) and gc.isenabled()


def test_a_sync_that_changes_nothing_says_so_in_the_log_once_an_hour(workbook):
    """A desk that syncs every minute: every sync that changed something leaves its Log row, the others one
    an hour (after a change, the first one at once), whatever order coordinators sorted the Log in."""
    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Peeters", phone="0470 11 11 11"))])
    start = datetime(2020, 3, 20, 12, 0)

    def sync_at(minutes: int):
        return run_sync(workbook, clock=lambda: start + timedelta(minutes=minutes))

    def logged() -> list[str]:
        return sorted(r["logged_at"] for r in workbook.read([LOG_TAB])["log"].records() if r["job"] == "synchronisatie")

    sync_at(0)  # merges S-1
    said = sync_at(1)
    assert said.changes_nothing and len(logged()) == 2
    again = sync_at(2)
    assert again.changes_nothing and logged() == ["2020-03-20 12:00:00", "2020-03-20 12:01:00"]
    assert again.api_calls == said.api_calls - 1  # no append to the Log
    add(workbook, offers=[("nl", submission("S-2", "Nora Nieuw", phone="0499 00 00 01"))])
    assert not sync_at(3).changes_nothing
    sync_at(4)  # the first after a change says so at once
    sync_at(5)
    assert logged()[-2:] == ["2020-03-20 12:03:00", "2020-03-20 12:04:00"]
    log = workbook.read([LOG_TAB])["log"]
    workbook.write({log.whole_rows(2, len(log.rows) + 1): list(reversed(log.rows))})  # newest on top
    sync_at(63)
    assert logged()[-1] == "2020-03-20 12:04:00"
    sync_at(64)  # an hour after the last row that said so
    assert logged()[-1] == "2020-03-20 13:04:00"


def test_a_sync_reads_nothing_while_drive_says_the_spreadsheet_is_as_a_quiet_sync_read_it(server, workbook, tmp_path):
    """Drive's version, asked before the read, stands for every cell: a sync that finds the version a quiet
    sync found reads nothing (one call to Drive). Any edit, a new slot of five minutes, or Drive that will
    not say, and the sync reads as before."""
    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Peeters", phone="0470 11 11 11"))])
    database = open_database("", tmp_path)
    upkeep = Upkeep(memory=SyncMemory(database))
    start = datetime(2020, 3, 20, 12, 0)
    results = []

    def sync_at(minutes: float) -> dict[str, int]:
        return _calls(workbook, lambda: results.append(run_sync(
            workbook, upkeep=upkeep, clock=lambda: start + timedelta(minutes=minutes))))

    sync_at(0)  # merges S-1
    assert not results[-1].changes_nothing
    read = {"drive GET": 1, "spreadsheets GET": 1, "values:batchGet": 1}
    assert sync_at(1) == {**read, ":append": 1}  # quiet, and the first after a change says so in the Log
    assert sync_at(2) == read and results[-1].quiet and not results[-1].read_nothing
    assert sync_at(3) == {"drive GET": 1}  # as the sync before read it: nothing read
    quiet = results[-1]
    assert quiet.read_nothing and quiet.changes_nothing and quiet.submissions == 1
    assert "niets te wijzigen. Niets gelezen: volgens Drive is de spreadsheet nog zoals de vorige" in quiet.summary()
    assert "(1 oproep naar de Sheets-API)" in quiet.summary()

    volunteers = workbook.read([VOLUNTEERS])[VOLUNTEERS.id]
    workbook.write({volunteers.cell(2, "notes"): [["belt liever 's avonds"]]})  # changes nothing helpt decides
    assert sync_at(3.1) == read and results[-1].changes_nothing  # worked out again (from the memory)
    assert sync_at(3.2) == {"drive GET": 1}
    add(workbook, offers=[("nl", submission("S-2", "Nora Nieuw", phone="0499 00 00 01"))])
    sync_at(3.3)
    assert results[-1].tabs[VOLUNTEERS.id].added == 1  # read, and merged
    assert sync_at(3.4) == {**read, ":append": 1} and sync_at(3.5) == read  # after its own writes, it reads
    assert sync_at(3.6) == {"drive GET": 1}

    assert sync_at(5) == read  # 12:05: a new slot of five minutes, a full look
    assert sync_at(9) == {"drive GET": 1}
    server.faults.fail_next(1, 403)  # Drive refuses (a key without the scope, say): the sync reads
    assert sync_at(9.1) == read and results[-1].quiet
    database.dispose()
