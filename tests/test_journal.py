"""The intake journal and the desk's locks, in SQLite and in a real PostgreSQL: one code path, both databases."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from desk_db import SQLITE_FILE, DatabaseUnavailable, open_database
from desk_db.journal import Journal, content_hash
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS, tab
from sheets_schema.workbook import open_local
from sync.lock import SyncRunning, sync_lock
from webhooks.flusher import WritePace, take_turns

from .conftest import FAST_RETRY

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ROW = {"timestamp": "2026-11-28 10:00:00", "full_name": "Jan Peeters", "phone": "+32470123456",
       "postcode": "3000", "submission_id": "s-1", "channel": "web"}


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else ""
    database = open_database(url, tmp_path)
    assert database.kind == request.param
    yield database
    database.dispose()


def test_a_submission_is_kept_once_and_a_reused_id_with_other_answers_is_a_conflict(database):
    journal = Journal(database)
    assert journal.add("s-1", "intake_offer_nl", ROW, ROW["timestamp"]) == "accepted"
    later = {**ROW, "timestamp": "2026-11-28 10:05:00"}  # the same answers, sent again later
    assert journal.add("s-1", "intake_offer_nl", later, later["timestamp"]) == "duplicate"
    other = {**ROW, "full_name": "Someone Else"}
    assert journal.add("s-1", "intake_offer_nl", other, other["timestamp"]) == "conflict"
    [entry] = journal.pending(10)
    assert (entry.submission_id, entry.tab_id, entry.record) == ("s-1", "intake_offer_nl", ROW)
    assert journal.counts() == {"pending": 1, "written": 0, "confirmed": 0}


def test_pending_comes_oldest_first_and_reading_back_erases_the_personal_data(database):
    journal = Journal(database)
    for n in range(5):
        assert journal.add(f"s-{n}", "intake_request_fr", {**ROW, "submission_id": f"s-{n}"}, ROW["timestamp"]) \
            == "accepted"
    assert [e.submission_id for e in journal.pending(3)] == ["s-0", "s-1", "s-2"]
    journal.mark_written(["s-0", "s-1"], "2026-11-28T09:00:00+00:00")
    assert [e.submission_id for e in journal.pending(10)] == ["s-2", "s-3", "s-4"]
    assert journal.counts() == {"pending": 3, "written": 2, "confirmed": 0}
    awaiting = journal.awaiting_read_back()
    assert awaiting == {"s-0": "intake_request_fr", "s-1": "intake_request_fr"}
    # A sync found s-0 in its tab; s-1 is gone from the sheet (a second server, a restored backup...).
    assert journal.read_back(awaiting, lambda tab_id, sid: sid == "s-0") == (1, 1)
    assert journal.counts() == {"pending": 4, "written": 0, "confirmed": 1}
    assert "s-1" in [e.submission_id for e in journal.pending(10)]  # appended again by the next flush
    with database.engine.connect() as db:
        kept = dict(db.exec_driver_sql("SELECT submission_id, record FROM intake_journal").all())
    assert kept["s-0"] is None and json.loads(kept["s-1"])["submission_id"] == "s-1"
    # Still idempotent without the data: the same answers are a duplicate, others a conflict.
    assert journal.add("s-0", "intake_request_fr", {**ROW, "submission_id": "s-0"}, "later") == "duplicate"
    assert journal.add("s-0", "intake_request_fr", {**ROW, "phone": "+32470999999"}, "later") == "conflict"


def test_many_threads_sending_the_same_submission_store_it_once(database):
    journal = Journal(database)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: journal.add("same", "intake_offer_en", ROW, ROW["timestamp"]), range(32)))
    assert sorted(set(outcomes)) == ["accepted", "duplicate"] and outcomes.count("accepted") == 1
    assert journal.counts() == {"pending": 1, "written": 0, "confirmed": 0}


def _url(database) -> str:
    """What DATABASE_URL would say for `database` ("" for SQLite in its data folder)."""
    return database.engine.url.render_as_string(hide_password=False) if database.kind == "postgresql" else ""


def test_a_lock_is_held_by_one_holder_at_a_time(database):
    with sync_lock(database):
        with pytest.raises(SyncRunning):
            with sync_lock(open_database(_url(database), database.data_dir)):  # another process, say
                pass
        with database.lock("flusher") as other:  # another name is another lock
            assert other is not None and other.held()
    with sync_lock(database):  # released: the next one gets it
        pass
    # The lock is on the database itself: no side file whose deletion would let a second holder in.
    assert [p.name for p in database.data_dir.iterdir() if p.name.endswith(".lock")] == []


_HOLDER = """
import sys
from desk_db import open_database
database = open_database(sys.argv[1], sys.argv[2])
with database.lock("sync") as lock:
    print("held" if lock else "busy", flush=True)
    sys.stdin.read()  # hold it until killed
"""


def test_a_lock_dies_with_its_holder_even_by_sigkill(database):
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, _url(database), str(database.data_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with database.lock("sync") as lock:
            assert lock is None
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    # The server notices the closed connection within moments; a bounded wait for it.
    deadline = time.monotonic() + 10
    while True:
        with database.lock("sync") as lock:
            if lock is not None or time.monotonic() > deadline:
                break
    assert lock is not None


_READER = """
import sys
from pathlib import Path
from desk_db import open_database
from desk_db.journal import Journal
journal = Journal(open_database("", Path(sys.argv[1])))
print(journal.entry(sys.argv[2]) is not None)
"""


def _seen_elsewhere(folder, submission_id: str) -> bool:
    """Whether another process, opening and closing the journal as `helpt sync` does, finds the entry."""
    found = subprocess.run([sys.executable, "-c", _READER, str(folder), submission_id], capture_output=True,
                           text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return found.stdout.strip() == "True"


def test_taking_a_lock_never_hides_later_commits_from_other_processes(tmp_path):
    """helpt serve takes the sync and flusher locks while its web threads write the journal. A lock
    taken by opening and closing the database file dropped SQLite's own locks in that process: the next
    `helpt sync` beside it deleted the write-ahead log, and every submission acknowledged after that went
    to a deleted file, unseen by any other process (found by playing the README's steps)."""
    database = open_database("", tmp_path)
    journal = Journal(database)
    journal.add("S-first", "intake_request_nl", {"full_name": "Ann"}, "2020-03-20 10:00:00")
    for name in ("sync", "flusher", "sync"):
        with database.lock(name) as held:
            assert held is not None
    assert _seen_elsewhere(tmp_path, "S-first")  # that process was the only other one: it closes the log
    journal.add("S-after", "intake_request_nl", {"full_name": "Bob"}, "2020-03-20 10:01:00")
    assert _seen_elsewhere(tmp_path, "S-after")
    database.dispose()


def test_the_sqlite_journal_is_readable_by_its_owner_only(tmp_path):
    Journal(open_database("", tmp_path))
    assert stat.S_IMODE(os.stat(tmp_path / SQLITE_FILE).st_mode) == 0o600


def test_a_journal_from_before_postgresql_support_is_adopted_with_nothing_lost(tmp_path):
    old = sqlite3.connect(tmp_path / SQLITE_FILE)
    old.executescript("""CREATE TABLE submissions (submission_id TEXT PRIMARY KEY, tab_id TEXT NOT NULL,
        record TEXT NOT NULL, received_at TEXT NOT NULL, written_at TEXT)""")
    old.executemany("INSERT INTO submissions VALUES (?, ?, ?, ?, ?)", [
        ("old-1", "intake_offer_nl", json.dumps({**ROW, "submission_id": "old-1"}), "2026-11-27 09:00:00", None),
        ("old-2", "intake_offer_nl", json.dumps({**ROW, "submission_id": "old-2"}), "2026-11-27 08:00:00",
         "2026-11-27T08:00:05+00:00"),
    ])
    old.commit()
    old.close()
    journal = Journal(open_database("", tmp_path))
    assert [(e.submission_id, e.record["full_name"]) for e in journal.pending(10)] == [("old-1", "Jan Peeters")]
    assert journal.counts() == {"pending": 1, "written": 0, "confirmed": 1}
    assert journal.add("old-2", "intake_offer_nl", {**ROW, "submission_id": "old-2"}, "now") == "duplicate"
    assert content_hash("intake_offer_nl", ROW) == content_hash("intake_offer_nl", {**ROW, "timestamp": "x"})


def test_flushers_take_turns_on_one_postgresql_journal_and_the_next_takes_over(postgres_url, tmp_path, workbook,
                                                                              server):
    """Two web instances' flushers: one flushes, the other waits, and takes over when the first stops."""
    init_spreadsheet(workbook, TABS)
    database = open_database(postgres_url, tmp_path)
    journal = Journal(database)

    def submit(ids):
        for sid in ids:
            journal.add(sid, "intake_offer_nl", {**ROW, "submission_id": sid}, ROW["timestamp"])

    def drained(deadline_seconds: float = 30) -> None:
        deadline = time.monotonic() + deadline_seconds
        while journal.counts()["pending"] and time.monotonic() < deadline:
            time.sleep(0.05)  # polling the journal while another thread flushes
        assert journal.counts()["pending"] == 0

    first_pace, second_pace = WritePace(6000), WritePace(6000)
    first = threading.Thread(target=take_turns, args=(database, journal, workbook, first_pace),
                             kwargs={"wait_seconds": 0.1})
    first.start()
    submit([f"a-{n}" for n in range(20)])
    drained()
    second_workbook = open_local(server.url, token=server.token, spreadsheet_id=workbook.spreadsheet_id,
                                 retry=FAST_RETRY)
    second = threading.Thread(target=take_turns, args=(database, journal, second_workbook, second_pace),
                              kwargs={"wait_seconds": 0.1})
    second.start()
    first_pace.stop.set()
    first.join(timeout=60)
    submit([f"b-{n}" for n in range(20)])
    drained()
    second_pace.stop.set()
    second.join(timeout=60)
    ids = [r["submission_id"] for r in workbook.read([tab("intake_offer_nl")])["intake_offer_nl"].records()]
    assert sorted(ids) == sorted([f"a-{n}" for n in range(20)] + [f"b-{n}" for n in range(20)])
    database.dispose()


def test_a_stopping_flusher_writes_what_arrived_before_it_leaves(tmp_path, workbook):
    """SIGTERM: the flusher's loop ends, and it drains what is pending before giving up its turn."""
    init_spreadsheet(workbook, TABS)
    database = open_database("", tmp_path)
    journal = Journal(database)
    pace = WritePace(6000)
    flusher = threading.Thread(target=take_turns, args=(database, journal, workbook, pace))
    journal.add("early", "intake_offer_nl", {**ROW, "submission_id": "early"}, ROW["timestamp"])
    flusher.start()
    deadline = time.monotonic() + 30
    while journal.counts()["pending"] and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the journal while the flusher thread works
    # The loop now idles between cycles; these arrive just as the stop comes.
    for n in range(5):
        journal.add(f"late-{n}", "intake_offer_nl", {**ROW, "submission_id": f"late-{n}"}, ROW["timestamp"])
    pace.stop.set()
    flusher.join(timeout=60)
    assert journal.counts() == {"pending": 0, "written": 6, "confirmed": 0}
    ids = [r["submission_id"] for r in workbook.read([tab("intake_offer_nl")])["intake_offer_nl"].records()]
    assert ids == ["early", *[f"late-{n}" for n in range(5)]]


def test_a_failing_statement_never_puts_personal_data_in_the_error_that_reaches_the_logs(tmp_path):
    journal = Journal(open_database("", tmp_path))
    with journal.database.engine.begin() as db:
        db.exec_driver_sql("DROP TABLE intake_journal")  # the journal breaks under the desk
    with pytest.raises(DatabaseUnavailable) as failed:
        journal.add("s-1", "intake_offer_nl", ROW, ROW["timestamp"])
    assert "Jan Peeters" not in str(failed.value) and "+32470123456" not in str(failed.value)


def test_workers_starting_at_once_on_a_fresh_database_all_come_up(database):
    """Every gunicorn worker creates the journal's table at start; on a new database they race."""
    start = ("import sys; from desk_db import open_database; from desk_db.journal import Journal; "
             "Journal(open_database(sys.argv[1], sys.argv[2]))")
    for _ in range(3):
        with database.engine.begin() as db:
            db.exec_driver_sql("DROP TABLE IF EXISTS intake_journal")
        workers = [subprocess.Popen([sys.executable, "-c", start, _url(database), str(database.data_dir)],
                                    stderr=subprocess.PIPE, text=True) for _ in range(6)]
        failures = [error for worker in workers if (error := worker.communicate()[1]) and worker.returncode]
        assert failures == []


def test_forgetting_a_person_and_erasing_everything_work_in_both_databases(database):
    journal = Journal(database)
    for n, phone in enumerate(["+32470000001", "+32470000002", "+32470000003"]):
        journal.add(f"s-{n}", "intake_offer_nl", {**ROW, "phone": phone, "submission_id": f"s-{n}"}, ROW["timestamp"])
    journal.mark_written(["s-0"], "2026-11-28T09:00:00+00:00")  # in the sheet, not yet read back
    assert [e.submission_id for e in journal.holding(lambda record: record["phone"] == "+32470000001")] == ["s-0"]
    assert journal.forget(lambda record: record["phone"] in ("+32470000001", "+32470000002")) == 2
    assert [e.submission_id for e in journal.pending(10)] == ["s-2"] and journal.awaiting_read_back() == {}
    assert journal.erase_all() == 1
    assert journal.counts() == {"pending": 0, "written": 0, "confirmed": 0}
    if database.kind == "sqlite":
        assert b"Jan Peeters" not in b"".join(p.read_bytes() for p in database.data_dir.glob("intake-journal*"))
