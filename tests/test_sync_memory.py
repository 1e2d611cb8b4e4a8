"""The sync's memory and the archive: a sync that remembers writes exactly what a sync from scratch writes.

The property test plays random histories on two copies of one desk: submissions
(namesakes, shared phones and addresses, typos), coordinators editing status,
assignments and "same person" answers, sorting an intake tab, deleting rows,
correcting a cell, starting over from scratch. After every step one copy syncs
with its memory and moves older merged intake rows to its archive, the other
syncs from scratch and keeps every row in the sheet, and every cell of
Vrijwilligers, Hulpvragen, Cijfers and Overzicht must be the same.
"""

from __future__ import annotations

import itertools
import json
import tempfile
import uuid
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

import local_sheets
from desk_db import open_database
from desk_db.archive import Archive, Archived
from desk_db.sync_memory import SyncMemory
from helpt.cli import main
from sheets_schema.cases import DUPLICATE_REVIEW_CHOICES, REQUEST_STATUS_CHOICES, SCREENING_CHOICES
from sheets_schema.tabs import INTAKE_TABS, OVERVIEW_TAB, REQUESTS, STATS_TAB, VOLUNTEERS
from sheets_schema.workbook import GOOGLE_CELL_LIMIT, Workbook, open_local
from sync.archive import move_to_archive
from sync.job import Upkeep, run_sync

from .conftest import FAST_RETRY
from .sync_helpers import add, master, spreadsheet, submission

COMPARED = (VOLUNTEERS, REQUESTS, STATS_TAB, OVERVIEW_TAB)
# Few distinct details, so that random submissions often belong to one person, or only look like it.
NAMES = ("An Smets", "AN SMETS", "Jan Peeters", "Jan Peters", "Peeters Jan", "Sofie Dupré", "Marc Janssens")
PHONES = ("0470 00 00 01", "+32 470 00 00 02", "016 22 33 44", "", "12")
EMAILS = ("", "an@example.be", "jan@example.be")
STREETS = ("", "Naamsestraat 12", "naamsestr. 12 ", "Bondgenotenlaan 1")
POSTCODES = ("3000", "3010", "1000")
TASKS = ("groceries", "pharmacy", "letter", "phone_chat")
DAYS = ("2020-03-18T10:00:00+01:00", "2020-03-19T15:30:00+01:00", "2020-03-20T09:00:00+01:00")
MASTERS = (VOLUNTEERS, REQUESTS)


def _days_later() -> datetime:
    """A few days after the submissions: every merged intake row is old enough for the archive."""
    return datetime(2020, 3, 25, 12, 0)


def _labels(choices) -> tuple[str, ...]:
    return tuple(choice.labels["nl"] for choice in choices)


class TwoDesks(RuleBasedStateMachine):
    """The same history on two desks: `remembering` syncs with its memory, `scratch` without."""

    server = None  # set by the test
    # Over every example: the archive, the memory, the quiet mark and Drive's version were at work.
    archived = remembered = quiet = read_nothing = 0

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        database = open_database("", Path(self.folder.name))
        self.memory, self.archive = SyncMemory(database), Archive(database)
        self.desks: list[Workbook] = []
        self.ids = itertools.count(1)
        self.submitted: list[tuple[str, str, dict[str, str]]] = []  # (form, language, row) of every submission

    def teardown(self) -> None:
        self.memory.database.dispose()
        self.folder.cleanup()

    @initialize()
    def open_desks(self) -> None:
        for way in ("remembering", "scratch"):
            workbook = open_local(self.server.url, token=self.server.token, retry=FAST_RETRY,
                                  title=f"memory-{way}-{uuid.uuid4().hex[:6]}")
            spreadsheet(workbook)
            self.desks.append(workbook)

    @rule(form=st.sampled_from(("offer", "request")), language=st.sampled_from(("nl", "en", "fr")),
          name=st.sampled_from(NAMES), phone=st.sampled_from(PHONES), email=st.sampled_from(EMAILS),
          street=st.sampled_from(STREETS), postcode=st.sampled_from(POSTCODES),
          tasks=st.lists(st.sampled_from(TASKS), min_size=1, max_size=2, unique=True), when=st.sampled_from(DAYS),
          copies=st.integers(1, 3))
    def submit(self, form, language, name, phone, email, street, postcode, tasks, when, copies) -> None:
        rows = [(language, submission(f"S-{next(self.ids)}", name, phone=phone, email=email, street=street,
                                      postcode=postcode, tasks=tasks, language=language, when=when))
                for _ in range(copies)]
        self.submitted += [(form, language, row) for _, row in rows]
        for workbook in self.desks:
            add(workbook, **{f"{form}s": rows})

    @rule(pick=st.integers(0, 50), field=st.sampled_from(("phone", "email", "street", "full_name")),
          value=st.sampled_from(PHONES + EMAILS + STREETS + NAMES))
    def submit_again(self, pick, field, value) -> None:
        """Someone who signed up before signs up again with one detail changed: a new phone joins their
        row and may make it look like another person's; a new name may split it."""
        if not self.submitted:
            return
        form, language, before = self.submitted[pick % len(self.submitted)]
        row = {**before, "submission_id": f"S-{next(self.ids)}", field: value}
        self.submitted.append((form, language, row))
        for workbook in self.desks:
            add(workbook, **{f"{form}s": [(language, row)]})

    @rule(tab=st.sampled_from(MASTERS), pick=st.integers(0, 50), column=st.sampled_from(
        ("status", "screening", "assigned_volunteers", "duplicate_review")), value=st.integers(0, 50))
    def coordinator_edits(self, tab, pick, column, value) -> None:
        """A coordinator types in one of their own columns: a status, a screening, an assignment, an answer
        about a flagged pair (which makes "same person" merge the rows)."""
        for workbook in self.desks:
            sheet = workbook.read([tab])[tab.id]
            if not sheet.rows or column not in sheet.positions:
                return
            row = pick % len(sheet.rows)
            if column == "assigned_volunteers":
                volunteers = [r["volunteer_id"] for r in workbook.read([VOLUNTEERS])[VOLUNTEERS.id].records()]
                text = volunteers[value % len(volunteers)] if volunteers else ""
            else:
                labels = {"status": _labels(REQUEST_STATUS_CHOICES), "screening": _labels(SCREENING_CHOICES),
                          "duplicate_review": _labels(DUPLICATE_REVIEW_CHOICES)}[column]
                text = labels[value % len(labels)]
            workbook.write({sheet.cell(row + 2, column): [[text]]})

    @rule(which=st.integers(0, 5), column=st.sampled_from(("full_name", "phone", "timestamp")),
          descending=st.booleans())
    def sort_intake(self, which, column, descending) -> None:
        """Someone sorts an intake tab (by name, phone or time)."""
        tab = INTAKE_TABS[which]
        for workbook in self.desks:
            sheet = workbook.read([tab])[tab.id]
            workbook.batch_update([{"sortRange": {
                "range": {"sheetId": sheet.sheet_id, "startRowIndex": 1},
                "sortSpecs": [{"dimensionIndex": sheet.positions[column],
                               "sortOrder": "DESCENDING" if descending else "ASCENDING"}]}}])

    def _in_both(self, tab, pick: int) -> list[int] | None:
        """The data row (from 0) in each desk of one submission both intake tabs still hold (the remembering
        desk archives older ones), picked by `pick`; None when there is none."""
        sheets = [workbook.read([tab])[tab.id] for workbook in self.desks]
        ids = [[row[sheet.positions["submission_id"]] for row in sheet.rows] for sheet in sheets]
        shared = sorted({sid for sid in ids[0] if sid} & {sid for sid in ids[1] if sid})
        if not shared:
            return None
        chosen = shared[pick % len(shared)]
        return [column.index(chosen) for column in ids]

    @rule(which=st.integers(0, 7), pick=st.integers(0, 50))
    def delete_row(self, which, pick) -> None:
        """Someone deletes a row: of an intake tab, or of a master tab."""
        tab = (*INTAKE_TABS, *MASTERS)[which]
        if tab in MASTERS:
            rows = [len(workbook.read([tab])[tab.id].rows) for workbook in self.desks]
            at = [pick % rows[0]] * 2 if rows[0] else None
        else:
            at = self._in_both(tab, pick)
        if at is None:
            return
        for workbook, n in zip(self.desks, at):
            sheet_id = workbook.read([tab])[tab.id].sheet_id
            workbook.batch_update([{"deleteDimension": {"range": {
                "sheetId": sheet_id, "dimension": "ROWS", "startIndex": n + 1, "endIndex": n + 2}}}])

    @rule(which=st.integers(0, 5), pick=st.integers(0, 50), column=st.sampled_from(("phone", "postcode", "email")),
          value=st.sampled_from(PHONES + POSTCODES + EMAILS))
    def correct_intake(self, which, pick, column, value) -> None:
        """Someone corrects a cell of a submission."""
        tab = INTAKE_TABS[which]
        at = self._in_both(tab, pick)
        if at is None:
            return
        for workbook, n in zip(self.desks, at):
            sheet = workbook.read([tab])[tab.id]
            workbook.write({sheet.cell(2 + n, column): [[value]]})

    @rule()
    def start_from_scratch(self) -> None:
        """`helpt sync --from-scratch`: the remembering desk rebuilds from its sheet and its archive."""
        self.memory.erase_all()

    @rule()
    def nothing_happens(self) -> None:
        """The worker syncs three times with nothing new: the second finds the quiet mark the first left,
        the third the version Drive had when the second read (sync/unchanged.py)."""
        self.remembering_writes_what_scratch_writes()
        self.remembering_writes_what_scratch_writes()

    @invariant()
    def remembering_writes_what_scratch_writes(self) -> None:
        if not self.desks:
            return
        remembering, scratch = self.desks
        result = run_sync(remembering, clock=_days_later, upkeep=Upkeep(
            memory=self.memory, archive=self.archive, archive_after_days=1))
        TwoDesks.archived += result.archived
        TwoDesks.remembered += sum(taken for taken, _ in result.remembered.values())
        TwoDesks.quiet += result.quiet
        TwoDesks.read_nothing += result.read_nothing
        expected_result = run_sync(scratch, clock=_days_later)
        # Every submission counts, those in the archive too.
        assert (result.submissions, result.new_submissions) == (expected_result.submissions,
                                                                expected_result.new_submissions)
        got, expected = (workbook.read(COMPARED) for workbook in self.desks)
        for tab in COMPARED:
            assert got[tab.id].rows == expected[tab.id].rows, tab.id


def test_a_sync_with_memory_writes_what_a_sync_from_scratch_writes(server):
    TwoDesks.server = server
    run_state_machine_as_test(TwoDesks, settings=settings(
        max_examples=15, stateful_step_count=8, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    assert TwoDesks.archived > 0 and TwoDesks.remembered > 0 and TwoDesks.quiet > 0 and TwoDesks.read_nothing > 0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_memory_keeps_what_the_last_sync_used_on_either_database(kind, tmp_path, request):
    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else ""
    database = open_database(url, tmp_path)
    memory = SyncMemory(database)
    many = {f"f{n}": f'"{n}"' for n in range(12_000)}  # more than one statement's worth
    assert memory.keep({"submission": many, "row": {"r1": "{}"}}, {}) == (12_001, 0)
    known = memory.recall()
    assert known == {"submission": many, "row": {"r1": "{}"}}
    used = {"submission": {"f1": "", "new": '"n"'}}  # "": as the memory holds it
    assert memory.keep(used, known) == (1, 12_000)  # the rows no sync used any more go
    assert memory.recall() == {"submission": {"f1": '"1"', "new": '"n"'}}
    assert memory.keep({"submission": {"f1": '"one"', "new": ""}}, memory.recall()) == (1, 1)  # a new value
    assert memory.recall() == {"submission": {"f1": '"one"', "new": '"n"'}}
    assert memory.erase_all() == 2 and memory.recall() == {}
    # A sync asks for its version (its code and language): a memory kept under another is deleted unread.
    memory.keep({"version": {"v1": '"1"'}, "submission": {"f1": '"1"'}}, {})
    assert memory.recall("v1") == {"version": {"v1": '"1"'}, "submission": {"f1": '"1"'}}
    assert memory.recall("v2") == {} and memory.recall() == {}
    memory.add({"submission": {"f1": '"1"'}})
    memory.add({"submission": {"f1": '"other"', "f2": '"2"'}})  # written during a sync: a held one stays
    assert memory.recall() == {"submission": {"f1": '"1"', "f2": '"2"'}}
    database.dispose()


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A desk on a local Sheets server of its own, as `helpt serve` lays it out."""
    data = tmp_path / "data"
    server = local_sheets.start(data)
    for name, value in {"HELPT_DATA_DIR": str(data), "HELPT_SHEETS_URL": server.url, "HELPT_SHEETS_TOKEN": server.token,
                        "HELPT_SPREADSHEET_TITLE": "memory", "HELPT_BACKEND": "local"}.items():
        monkeypatch.setenv(name, value)
    for name in ("DATABASE_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_SMTP_URL"):
        monkeypatch.delenv(name, raising=False)
    assert main(["init"]) == 0
    yield open_local(server.url, token=server.token, title="memory", retry=FAST_RETRY), data
    server.stop()


def _database_files(data) -> bytes:
    """The desk database's files: SQLite's own and its write-ahead log."""
    return b"".join(path.read_bytes() for path in sorted(data.glob("intake-journal.sqlite3*")))


@pytest.mark.parametrize("spill_every", [5000, 1])
def test_helpt_sync_remembers_from_scratch_starts_over_and_forget_leaves_no_copy(desk, capsys, monkeypatch,
                                                                               spill_every):
    """With spill_every=1 each new entry goes to the memory as soon as it is worked out (Recall.spill, which
    at the real size only the biggest syncs reach): the memory must end up the same."""
    monkeypatch.setattr("sync.remember.SPILL_EVERY", spill_every)
    workbook, data = desk
    people = [("Griet Vandamme", "0470 11 22 01"), ("Omar El Idrissi", "0470 11 22 02")]
    add(workbook, offers=[("nl", submission(f"S-{n}", name, phone=phone)) for n, (name, phone) in enumerate(people)])
    database = open_database("", data)
    memory = SyncMemory(database)
    assert main(["sync"]) == 0
    remembered = memory.recall()
    assert len(remembered["submission"]) == 2 and len(remembered["row"]) == 2
    assert all(name.encode() in _database_files(data) for name, _ in people)
    first = master(workbook, "volunteers")
    capsys.readouterr()
    assert main(["sync"]) == 0  # merged, from 2020: out of the sheet, into the archive
    assert "2 oudere intakerijen naar het archief verhuisd" in capsys.readouterr().out
    assert workbook.read([INTAKE_TABS[3]])[INTAKE_TABS[3].id].rows == []
    assert sorted(row.submission_id for row in Archive(database).rows()) == ["S-0", "S-1"]

    assert main(["sync", "--from-scratch"]) == 0  # erased, then rebuilt by the sync, the archive read too
    assert "niets te wijzigen" in capsys.readouterr().out
    rebuilt = memory.recall()
    assert len(rebuilt.pop("quiet")) == 1  # it changed nothing: the next sync that finds the same workbook skips
    assert len(rebuilt.pop("unchanged")) == 1  # and the next one that Drive says finds it, reads nothing
    assert rebuilt == remembered and master(workbook, "volunteers") == first
    assert main(["person", "export", "--phone", people[0][1]]) == 0
    held = json.loads(capsys.readouterr().out)
    assert [entry["values"]["submission_id"] for entry in held if entry["where"].startswith("archive")] == ["S-0"]

    assert main(["person", "forget", "--phone", people[0][1], "--yes"]) == 0
    files = _database_files(data)
    assert people[0][0].encode() not in files and people[1][0].encode() in files
    assert len(memory.recall()["submission"]) == 1
    assert [row.submission_id for row in Archive(database).rows()] == ["S-1"]
    assert list(master(workbook, "volunteers").values())[-1]["full_name"] == people[1][0]
    database.dispose()


def test_a_sort_while_rows_move_to_the_archive_loses_no_row(workbook, tmp_path):
    """A coordinator sorts an intake tab between helpt's read and its delete: the row that slid under the
    delete comes back, the old row moves in the next round, and every submission is still counted."""
    spreadsheet(workbook, offers=[("nl", submission("S-old", "Zoë Aerts", phone="0470 00 00 11",
                                                    when="2020-03-01T10:00:00+01:00"))])
    archive = Archive(open_database("", tmp_path))
    upkeep = Upkeep(archive=archive, archive_after_days=7)
    assert run_sync(workbook, clock=_days_later, upkeep=upkeep).archived == 0  # merged by this sync: not yet
    add(workbook, offers=[("nl", submission("S-new", "Abel Claes", phone="0470 00 00 12",
                                            when="2020-03-24T10:00:00+01:00"))])
    tab = INTAKE_TABS[3]

    def sort_new_first() -> None:
        sheet = workbook.read([tab])[tab.id]
        workbook.batch_update([{"sortRange": {"range": {"sheetId": sheet.sheet_id, "startRowIndex": 1},
                                              "sortSpecs": [{"dimensionIndex": sheet.positions["full_name"]}]}}])

    moved, intake = move_to_archive(workbook, archive, {"S-old"}, datetime(2020, 3, 18), "2020-03-25 12:00:00",
                                    before_delete=sort_new_first)
    assert moved == 1 and [r["submission_id"] for r in intake[tab.id].records()] == ["S-new"]
    assert [r["submission_id"] for r in workbook.read([tab])[tab.id].records()] == ["S-new"]
    assert [row.submission_id for row in archive.rows()] == ["S-old"]
    assert run_sync(workbook, clock=_days_later, upkeep=upkeep).submissions == 2
    assert {row["full_name"]: row["submission_ids"] for row in master(workbook, "volunteers").values()} == {
        "Zoë Aerts": "S-old", "Abel Claes": "S-new"}
    archive.database.dispose()


def test_near_googles_limit_merged_rows_move_however_recent_and_before_the_write(workbook, tmp_path):
    """A national call fills the intake tabs within days. Near Google's limit, merged intake rows move to the
    archive whatever their age, and before the sync's write: the new person's row, which Google would refuse
    for want of room, goes in."""
    people = ["Zoë Aerts", "Abel Claes", "Mila Peeters", "Noah Janssens", "Lina Maes", "Adam Jacobs"]
    spreadsheet(workbook, offers=[("nl", submission(f"S-{n}", name, phone=f"0470 00 01 {n:02d}",
                                                    when="2020-03-24T10:00:00+01:00"))
                                  for n, name in enumerate(people)])
    archive = Archive(open_database("", tmp_path))
    upkeep = Upkeep(archive=archive, archive_after_days=30)
    assert run_sync(workbook, clock=_days_later, upkeep=upkeep).archived == 0  # a day old: they stay
    add(workbook, offers=[("nl", submission("S-new", "Ruben Wouters", phone="0470 00 02 00",
                                            when="2020-03-25T09:00:00+01:00"))])
    offers = INTAKE_TABS[3]
    grids = {sheet["properties"]["sheetId"]: sheet["properties"]["gridProperties"]
             for sheet in workbook.metadata()["sheets"]}
    sheets = workbook.read([offers, VOLUNTEERS])
    intake = grids[sheets[offers.id].sheet_id]
    room = GOOGLE_CELL_LIMIT - sum(g["rowCount"] * g["columnCount"] for g in grids.values())
    # The intake tab grows (empty rows, as in a tab a form filled) until one more Vrijwilligers row would not fit.
    grow = -(-(room - grids[sheets[VOLUNTEERS.id].sheet_id]["columnCount"] + 1) // intake["columnCount"])
    workbook.batch_update([{"updateSheetProperties": {
        "properties": {"sheetId": sheets[offers.id].sheet_id,
                       "gridProperties": {"rowCount": intake["rowCount"] + grow}},
        "fields": "gridProperties.rowCount"}}])

    result = run_sync(workbook, clock=_days_later, upkeep=upkeep)
    assert result.archived == len(people) and result.archive_full
    assert "6 samengevoegde intakerijen naar het archief verhuisd, uit het rekenblad, hoe recent ook" in (
        result.summary())
    assert [row["full_name"] for row in master(workbook, "volunteers").values()] == [*people, "Ruben Wouters"]
    assert sorted(row.submission_id for row in archive.rows()) == [f"S-{n}" for n in range(len(people))]
    archive.database.dispose()


GROWING = {
    # Jan signs up twice; his second sign-up brings the e-mail address of a Jan Peters who signed up alone.
    # The remembered comparisons of Jan's row must not hide the pair that now appears.
    "a row that grows": ([[submission("S-1", "Jan Peeters", phone="0470 00 00 01"),
                           submission("S-2", "Jan Peters", email="jan@example.be", postcode="3010")],
                          [submission("S-3", "Jan Peeters", phone="0470 00 00 01", email="jan@example.be")]],
                         {"S-1, S-3": "", "S-2": "V-000001"}),
    # Two namesakes in one postcode, then a third: the block of their name gains a member, and its
    # remembered pairs (sync/remember.py) must not hide the third's.
    "a block that gains a member": ([[submission("S-1", "An Smets"), submission("S-2", "An Smets")],
                                     [submission("S-3", "An Smets")]],
                                    {"S-1": "", "S-2": "V-000001", "S-3": "V-000001"}),
}


@pytest.mark.parametrize("story", GROWING)
def test_what_grows_is_compared_anew(story, server, tmp_path):
    steps, flags = GROWING[story]
    desks = []
    for way in ("remembering", "scratch"):
        workbook = open_local(server.url, token=server.token, retry=FAST_RETRY,
                              title=f"grows-{way}-{uuid.uuid4().hex[:6]}")
        spreadsheet(workbook)
        desks.append(workbook)
    memory = SyncMemory(open_database("", tmp_path))
    for rows in steps:
        for workbook in desks:
            add(workbook, offers=[("nl", row) for row in rows])
        run_sync(desks[0], clock=_days_later, upkeep=Upkeep(memory=memory))
        run_sync(desks[1], clock=_days_later)
        remembered, expected = (master(workbook, "volunteers") for workbook in desks)
        assert remembered == expected
    assert {row["submission_ids"]: row["duplicate_of"] for row in expected.values()} == flags
    blocks = memory.recall()["duplicate_block"]
    assert run_sync(desks[0], clock=_days_later, upkeep=Upkeep(memory=memory)).remembered["duplicates"] == (2, 0)
    assert memory.recall()["duplicate_block"] == blocks  # a sync that took the whole search keeps its blocks
    memory.database.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_archive_keeps_rows_as_the_sheet_last_held_them_on_either_database(kind, tmp_path, request):
    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else ""
    database = open_database(url, tmp_path)
    archive = Archive(database)
    rows = [Archived(f"S-{n}", "intake_offer_nl", {"submission_id": f"S-{n}", "phone": f"0470 00{n:05d}"}, f"f{n}")
            for n in range(12_000)]  # more than one statement's worth
    archive.add(rows, "2020-04-20 12:00:00")
    archive.add([Archived("S-7", "intake_offer_nl", {"submission_id": "S-7", "phone": "0470 99 99 99"}, "g7")],
                "2020-04-21 12:00:00")  # its delete had failed, and someone corrected the row meanwhile
    kept = archive.rows()
    assert len(kept) == 12_000
    assert {row.submission_id: row for row in kept}["S-7"] == Archived(
        "S-7", "intake_offer_nl", {"submission_id": "S-7", "phone": "0470 99 99 99"}, "g7")
    assert archive.fingerprints() == [(row.submission_id, row.tab_id, row.fingerprint) for row in kept]
    assert archive.records(f"S-{n}" for n in range(0, 12_000, 2)) == {
        row.submission_id: row.record for row in kept if int(row.submission_id[2:]) % 2 == 0}
    assert [row.submission_id for row in archive.holding(lambda record: "99 99" in record["phone"])] == ["S-7"]
    assert archive.forget(lambda record: record["submission_id"] in {"S-1", "S-2"}) == 2
    assert archive.drop([f"S-{n}" for n in range(3, 6000)]) == 5997
    assert archive.erase_all() == 12_000 - 5999 and archive.rows() == []
    database.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_an_archive_from_before_fingerprints_gets_them_and_is_read_whole(kind, tmp_path, request):
    url = request.getfixturevalue("postgres_url") if kind == "postgresql" else ""
    database = open_database(url, tmp_path)
    with database.begin() as db:  # the table as the first archive made it
        db.execute(sa.text("CREATE TABLE intake_archive (submission_id VARCHAR(100) PRIMARY KEY, "
                           "tab_id VARCHAR(40) NOT NULL, record TEXT NOT NULL, archived_at VARCHAR(32) NOT NULL)"))
        db.execute(sa.text("INSERT INTO intake_archive VALUES ('S-1', 'intake_offer_nl', "
                           "'{\"submission_id\": \"S-1\"}', '2020-04-20 12:00:00')"))
    archive = Archive(database)
    assert archive.fingerprints() == [("S-1", "intake_offer_nl", "")]  # "": the sync reads the row itself
    assert archive.rows() == [Archived("S-1", "intake_offer_nl", {"submission_id": "S-1"})]
    archive.add([Archived("S-2", "intake_offer_nl", {"submission_id": "S-2"}, "f2")], "2020-04-21 12:00:00")
    assert Archive(database).fingerprints()[-1] == ("S-2", "intake_offer_nl", "f2")  # a second start: as it is
    database.dispose()


def test_memory_and_archive_cost_no_api_call_until_rows_move(server, tmp_path):
    """The archive looks at the sync's own read first: the Sheets calls stay those of a sync without it, and
    moving rows costs a fresh read, the delete and a check. (The memory adds Drive's version: one call to
    Drive, before the read, sync/unchanged.py.)"""
    database = open_database("", tmp_path)
    upkeep = Upkeep(memory=SyncMemory(database), archive=Archive(database), archive_after_days=1)
    calls = []
    for way in (upkeep, Upkeep()):
        workbook = open_local(server.url, token=server.token, retry=FAST_RETRY, title=f"calls-{uuid.uuid4().hex[:6]}")
        spreadsheet(workbook, offers=[("nl", submission("S-1", "An Smets", phone="0470 00 00 01"))])
        before, drive_before = workbook.api_calls, workbook.api_calls_by_kind().get("drive GET", 0)
        run_sync(workbook, clock=_days_later, upkeep=way)  # merges: nothing to move yet
        calls.append((workbook.api_calls - before, workbook.api_calls_by_kind().get("drive GET", 0) - drive_before))
        if way is upkeep:
            before = workbook.api_calls
            assert run_sync(workbook, clock=_days_later, upkeep=way).archived == 1
            moving = workbook.api_calls - before
    assert calls[0][0] - calls[0][1] == calls[1][0] and calls[0][1] == 1 and calls[1][1] == 0
    # Drive's version; a sync with nothing to change; then a read (metadata, values), delete, read
    assert moving == 1 + 3 + 2 + 1 + 2
    database.dispose()


def test_a_memory_of_other_code_is_deleted_by_a_sync_and_left_by_a_dry_run(workbook, tmp_path):
    """After an upgrade nothing the memory holds can match (every fingerprint covers the code): the sync
    deletes it unread and keeps its own. A dry run writes nothing, that memory included."""
    database = open_database("", tmp_path)
    memory = SyncMemory(database)
    spreadsheet(workbook, offers=[("nl", submission("S-1", "An Smets", phone="0470 00 00 01"))])
    old = {"version": {"other code": '"1"'}, "submission": {"by other code": '"stale"'}}
    memory.keep(old, {})
    run_sync(workbook, dry_run=True, upkeep=Upkeep(memory=memory))
    assert memory.recall() == old
    run_sync(workbook, upkeep=Upkeep(memory=memory))
    kept = memory.recall()
    assert "by other code" not in kept["submission"] and len(kept["submission"]) == 1
    assert list(kept["version"]) != ["other code"] and len(kept["version"]) == 1
    assert memory.recall(next(iter(kept["version"]))) == kept  # the next sync finds its own version
    database.dispose()
