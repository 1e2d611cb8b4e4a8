"""Invariant 6 and a person's rights: after `helpt purge` no personal value is left anywhere helpt wrote,
and `helpt person export|forget` finds, and erases, one person among many.

Distinctive values go in through every intake path (public form, signed API,
Google Apps Script shape, call centre), through the flusher, the sync, partner
extracts (file and spreadsheet) and exports. Then every byte of the data
folder (SQLite files, write-ahead logs included) and every spreadsheet on the
local server is searched for them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import local_sheets
from desk_db import open_database
from desk_db.journal import Journal
from desk_db.served import OtherSpreadsheet, move, serve_only, served
from helpt.cli import main
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import (
    INTAKE_TABS,
    PARTNER_FIELD_CHOICES,
    PARTNERS_TAB,
    REQUESTS,
    STATS_TAB,
    TABS,
    VOLUNTEERS,
    tab,
)
from sheets_schema.workbook import open_local
from webhooks import create_app
from webhooks.flusher import WritePace, drain
from webhooks.signature import sign

from .conftest import FAST_RETRY

SECRET = "privacy-test-secret"
TITLE = "privacy"


def _someone(n: int) -> dict[str, str]:
    """A person whose every detail is unmistakable in a byte search."""
    return {"name": f"Qzxname{n} Purgeperson", "phone": f"+3247099{n:04d}", "local_phone": f"047099{n:04d}",
            "email": f"qzx{n}@purge.example", "street": f"Qzxstraat {n}", "details": f"Qzxdetail{n} secret"}


def _answers(who: dict[str, str], form: str) -> dict[str, object]:
    answers = {"full_name": who["name"], "phone": who["phone"], "email": who["email"], "street": who["street"],
               "postcode": "3000", "languages": ["nl"], "tasks": ["groceries"], "details": who["details"],
               "consent_privacy": True}
    if form == "offer":
        answers["consent_partners"] = True
    return answers


@pytest.fixture
def desk(tmp_path, monkeypatch):
    """A desk on its own local Sheets server and journal, both in one data folder, as `helpt serve` lays it out."""
    data = tmp_path / "data"
    server = local_sheets.start(data)
    monkeypatch.chdir(tmp_path)
    for name, value in {"HELPT_DATA_DIR": str(data), "HELPT_SHEETS_URL": server.url, "HELPT_SHEETS_TOKEN": server.token,
                        "HELPT_SPREADSHEET_TITLE": TITLE, "HELPT_WEBHOOK_SECRET": SECRET,
                        "HELPT_BACKEND": "local"}.items():
        monkeypatch.setenv(name, value)
    for name in ("DATABASE_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["init"]) == 0
    app = create_app({"TESTING": True, "DATA_DIR": str(data), "WEBHOOK_SECRET": SECRET, "FORM_RATE_LIMIT": 0})
    workbook = open_local(server.url, token=server.token, title=TITLE, retry=FAST_RETRY)
    yield app, workbook, server, data
    server.stop()


def _post(client, body: dict) -> None:
    raw = json.dumps(body).encode()
    reply = client.post("/api/v1/submissions", data=raw, content_type="application/json",
                        headers={"X-Helpt-Signature": sign(SECRET, raw)})
    assert reply.status_code == 202, reply.json


def _seed(app, workbook, server, people: list[dict[str, str]]) -> None:
    """Each person in through another door, most flushed to the sheet, one left pending in the journal."""
    client = app.test_client()
    doors = ["form", "api", "apps_script", "call_centre"]
    for n, who in enumerate(people):
        door, form = doors[n % 4], ("offer" if n % 2 == 0 else "request")
        if door == "form":
            page = client.get(f"/nl/{form}").get_data(as_text=True)
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            fields = {k: v for k, v in _answers(who, form).items() if not isinstance(v, (bool, list))}
            fields.update({"csrf_token": csrf, "languages": "nl", "tasks": "groceries", "consent_privacy": "yes"})
            if form == "offer":
                fields["consent_partners"] = "yes"
            assert client.post(f"/nl/{form}", data=fields).status_code == 303
        elif door == "apps_script":  # what the generated script posts: titles as keys, namedValues
            _post(client, {"form": form, "lang": "nl", "channel": "google_form", "submission_id": f"2_gf{n}",
                           "answers": _answers(who, form)})
        else:
            _post(client, {"form": form, "lang": "nl", "channel": "phone" if door == "call_centre" else "website",
                           "answers": _answers(who, form)})
        if n < len(people) - 1:
            drain(app.extensions["helpt.journal"], workbook, WritePace(6000))


def _approve_all_and_add_partners(workbook, server, data: Path) -> object:
    extract = open_local(server.url, token=server.token, title="partner-extract", retry=FAST_RETRY)
    fields = ", ".join(c.labels["nl"] for c in PARTNER_FIELD_CHOICES)
    partners = workbook.read([PARTNERS_TAB])["partners"]
    workbook.append(partners, [
        {"partner_id": "P-file", "name": "Netwerk", "areas": "3000", "tasks": "Boodschappen doen", "fields": fields,
         "destination": "netwerk.xlsx", "contact_email": "contact@netwerk.example", "active": "Ja"},
        {"partner_id": "P-sheet", "name": "Jeugd", "areas": "3000", "tasks": "Boodschappen doen", "fields": fields,
         "destination": extract.spreadsheet_id, "contact_email": "leiding@jeugd.example", "active": "Ja"}])
    assert main(["sync"]) == 0
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.write({sheet.cell(n + 2, "screening"): [["Goedgekeurd"]] for n in range(len(sheet.rows))})
    assert main(["sync"]) == 0
    return extract


def _hand_over(app, workbook) -> None:
    """A coordinator matches the first request with the first volunteer, who says yes: the local mailbox
    then holds the case, the resident's contact details for the volunteer and the resident's news."""
    requests, volunteers = (workbook.read([REQUESTS, VOLUNTEERS])[t.id] for t in (REQUESTS, VOLUNTEERS))
    row = 2 + next(n for n, r in enumerate(requests.records()) if r["request_id"])
    volunteer = next(r["volunteer_id"] for r in volunteers.records() if r["volunteer_id"])
    workbook.write({requests.cell(row, "status"): [["Gematcht"]],
                    requests.cell(row, "assigned_volunteers"): [[volunteer]]})
    assert main(["sync"]) == 0  # no HELPT_SMTP_URL: `helpt sync` delivers to the local mailbox
    mailbox = app.extensions["helpt.handovers"].mailbox
    [case] = mailbox()
    answer = re.search(r"http://[^/]+(/nl/answer/\S+)", case.body).group(1)
    assert app.test_client().post(answer).status_code == 200
    assert main(["sync"]) == 0
    assert len(mailbox()) == 3


def _every_byte(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


def _every_cell(server) -> str:
    """Every value of every tab of every spreadsheet on the local server, through the Sheets API."""
    cells = []
    for ss in list(server.app.store.spreadsheets.values()):
        workbook = open_local(server.url, token=server.token, spreadsheet_id=ss.id, retry=FAST_RETRY)
        titles = [s.title for s in ss.sheets]
        cells += [str(grid) for grid in workbook.values([f"'{t}'" for t in titles])]
    return "\n".join(cells)


def _traces(who: dict[str, str], haystack: str) -> list[str]:
    return [value for key, value in who.items() if value in haystack]


def test_after_purge_no_personal_value_is_left_anywhere_helpt_wrote_and_stats_still_count(desk, capsys):
    app, workbook, server, data = desk
    people = [_someone(n) for n in range(8)]
    _seed(app, workbook, server, people)
    extract = _approve_all_and_add_partners(workbook, server, data)
    _hand_over(app, workbook)
    assert main(["export", "--format", "xlsx"]) == 0 and main(["export", "--format", "csv"]) == 0
    readable_by_others = [str(p.relative_to(data)) for p in data.rglob("*") if p.stat().st_mode & 0o077]
    assert readable_by_others == []  # journal, local server, locks, extracts, exports: owner only
    before = _every_byte(data).decode("latin-1") + _every_cell(server)
    assert all(_traces(who, before) for who in people)  # the search does find them before
    assert (data / "extracts" / "netwerk.xlsx").is_file() and extract.first_tab().rows[1:]

    assert main(["purge", "--dry-run"]) == 0
    assert "Zou wissen" in capsys.readouterr().out and _traces(people[0], _every_cell(server))
    assert main(["purge", "--yes"]) == 0
    output = capsys.readouterr().out
    assert "Gewist:" in output and "8 inzendingen in het intakejournaal" in output  # written and pending

    after = _every_byte(data).decode("latin-1") + _every_cell(server)
    for who in people:
        assert _traces(who, after) == [], who["name"]
    for contact in ("contact@netwerk.example", "leiding@jeugd.example"):
        assert contact not in after
    assert not (data / "extracts").exists() and not (data / "exports").exists()
    assert [p["role"] for p in extract.permissions()] == ["owner"]
    assert app.extensions["helpt.journal"].counts() == {"pending": 0, "written": 0, "confirmed": 0}
    assert app.extensions["helpt.handovers"].mailbox() == [] and app.extensions["helpt.handovers"].counts() == {}
    # The anonymous counts stay, through the next sync too; Log says what happened.
    assert main(["sync"]) == 0
    stats = workbook.read([STATS_TAB])["stats"].records()
    assert sum(int(r["value"]) for r in stats if r["value"].isdigit()) > 0
    log = workbook.read([tab("log")])["log"].records()
    assert [r["job"] for r in log if r["job"] == "alles gewist"] == ["alles gewist"]


def test_purge_refuses_while_the_desk_is_running_and_asks_before_it_erases(desk, capsys):
    app, workbook, server, data = desk
    from desk_db import open_database

    database = open_database("", data)
    with database.lock("flusher"):  # a running desk's flusher
        assert main(["purge", "--yes"]) == 1
    assert "stop it, then purge" in capsys.readouterr().err
    assert main(["purge"]) == 1  # no terminal to ask, and no --yes
    assert "add --yes" in capsys.readouterr().err


def test_person_export_and_forget_find_one_person_under_any_spelling_and_leave_the_others(desk, capsys):
    app, workbook, server, data = desk
    people = [_someone(n) for n in range(6)]
    _seed(app, workbook, server, people)
    extract = _approve_all_and_add_partners(workbook, server, data)
    target, others = people[2], people[:2] + people[3:]
    capsys.readouterr()
    assert main(["person", "export", "--phone", "0470 99 00 02"]) == 0
    found = json.loads(capsys.readouterr().out)
    places = {f["where"] for f in found}
    assert places == {"Hulpaanbod NL (formulier)", "Vrijwilligers", "partner P-file", "partner P-sheet"}
    assert all(target["name"] in f["values"].values() for f in found)
    assert main(["person", "export", "--email", target["email"].upper()]) == 0
    assert json.loads(capsys.readouterr().out) == found
    before = _every_cell(server)

    assert main(["person", "forget", "--phone", target["phone"], "--yes"]) == 0
    capsys.readouterr()
    after = _every_cell(server) + _every_byte(data / "extracts").decode("latin-1")
    assert _traces(target, after) == []
    for who in others:
        assert _traces(who, after) == _traces(who, before + _every_byte(data / "extracts").decode("latin-1"))
    assert main(["person", "export", "--phone", target["phone"]]) == 0
    assert json.loads(capsys.readouterr().out) == []
    log = workbook.read([tab("log")])["log"].records()
    forgotten = [r for r in log if r["job"] == "persoon vergeten"]
    assert len(forgotten) == 1 and target["phone"] not in str(forgotten) and target["name"] not in str(forgotten)
    assert extract.first_tab().rows

    # The resident of a handover: the details mailed to their volunteer go with them.
    _hand_over(app, workbook)
    matched = next(r for r in workbook.read([REQUESTS])["requests"].records() if r["status"] == "Gematcht")
    resident = next(who for who in people if who["name"] == matched["full_name"])
    handovers = app.extensions["helpt.handovers"]
    capsys.readouterr()
    assert main(["person", "export", "--phone", resident["phone"]]) == 0  # their right of access reaches it too
    held = json.loads(capsys.readouterr().out)
    places = {f["where"] for f in held}
    assert {"handovers (the desk's database)", "outbox (the desk's database)",
            "local mailbox (the desk's database)"} <= places
    assert any(resident["street"] in f["values"].get("body", "") for f in held)  # the details their volunteer got
    assert main(["person", "forget", "--phone", resident["phone"], "--yes"]) == 0
    assert handovers.mailbox() == [] and handovers.known() == {}
    assert _traces(resident, _every_byte(data).decode("latin-1")) == []


def test_a_pending_submission_is_forgotten_from_the_journal_too(desk, capsys):
    app, workbook, server, data = desk
    people = [_someone(n) for n in range(2)]
    _seed(app, workbook, server, people)  # the last one stays pending in the journal
    journal = app.extensions["helpt.journal"]
    assert journal.counts()["pending"] == 1
    assert main(["person", "forget", "--email", people[1]["email"], "--yes"]) == 0
    assert journal.counts()["pending"] == 0
    assert people[1]["name"].encode() not in (data / "intake-journal.sqlite3").read_bytes()
    assert _traces(people[0], _every_cell(server))


def test_a_person_is_asked_for_by_something_that_can_find_them(capsys):
    assert main(["person", "export", "--phone", "12"]) == 1
    assert "not a valid phone number" in capsys.readouterr().err
    assert main(["person", "export"]) == 1
    assert "give --phone or --email" in capsys.readouterr().err


def test_forget_and_retention_leave_no_copy_in_exports_or_write_ahead_logs(desk, capsys, monkeypatch):
    """Issue 16: after `helpt export`, forgetting one person and retention leave none of their bytes in the
    data folder (exports, the journal, the local server, their write-ahead logs); the others stay."""
    app, workbook, server, data = desk
    people = [_someone(n) for n in range(6)]
    _seed(app, workbook, server, people)
    drain(app.extensions["helpt.journal"], workbook, WritePace(6000))
    _approve_all_and_add_partners(workbook, server, data)
    assert main(["export", "--format", "xlsx"]) == 0 and main(["export", "--format", "csv"]) == 0
    target, others = people[0], people[1:]
    assert _traces(target, _every_byte(data).decode("latin-1"))  # the scan finds them before

    assert main(["person", "forget", "--phone", target["phone"], "--yes"]) == 0
    assert "1 exportbestanden" not in capsys.readouterr().out  # the Log says how many: all of them went
    scanned = _every_byte(data).decode("latin-1") + _every_cell(server)
    assert _traces(target, scanned) == []
    assert not (data / "exports").exists()
    for who in others:
        assert who["name"] in _every_cell(server)

    # Retention: a request closed long ago goes with its intake row, its exports and its old pages.
    assert main(["export", "--format", "csv"]) == 0
    requester = next(who for n, who in enumerate(people) if n % 2 == 1)
    requests = workbook.read([tab("requests")])["requests"]
    row = next(n + 2 for n, r in enumerate(requests.records()) if r["full_name"] == requester["name"])
    workbook.write({requests.cell(row, "status"): [["Afgesloten"]],
                    requests.cell(row, "closed_at"): [["2020-01-01 09:00:00"]]})
    monkeypatch.setenv("HELPT_RETENTION_DAYS", "30")
    assert main(["sync"]) == 0
    assert "exportbestanden van vroeger verwijderd" in capsys.readouterr().out
    scanned = _every_byte(data).decode("latin-1") + _every_cell(server)
    assert _traces(requester, scanned) == []
    assert all(who["name"] in _every_cell(server) for who in others if who is not requester)


def test_a_sort_during_an_erasure_never_erases_someone_else(desk):
    """The coordinator sorts Volunteers between helpt's read and its clear: the right row still goes."""
    from sync.person import forget, person

    app, workbook, server, data = desk
    people = [_someone(n) for n in range(8)]
    _seed(app, workbook, server, people)
    drain(app.extensions["helpt.journal"], workbook, WritePace(6000))
    assert main(["sync"]) == 0
    volunteers = workbook.read([VOLUNTEERS])["volunteers"]
    sheet_id, name_column = volunteers.sheet_id, volunteers.positions["full_name"]
    before = {r["full_name"]: r for r in volunteers.records() if r["full_name"]}
    target = people[2]

    def coordinator_sorts():
        workbook.batch_update([{"sortRange": {"range": {"sheetId": sheet_id, "startRowIndex": 1},
                                              "sortSpecs": [{"dimensionIndex": name_column,
                                                             "sortOrder": "DESCENDING"}]}}])

    forget(workbook, person(target["phone"], None), 0, "2026-11-29 12:00:00", before_clear=coordinator_sorts)
    after = {r["full_name"]: r for r in workbook.read([VOLUNTEERS])["volunteers"].records() if r["full_name"]}
    assert target["name"] in before and target["name"] not in after
    assert after == {name: row for name, row in before.items() if name != target["name"]}


def test_forgetting_by_a_second_number_erases_every_submission_of_that_person(desk, capsys):
    """Qzx gave a mobile on the web form and later, calling, a landline: one row, two numbers. Asked for by
    the landline, helpt finds the row and through it the first submission too, though it never had that number."""
    app, workbook, server, data = desk
    who, other = _someone(7), _someone(8)
    client = app.test_client()
    _post(client, {"form": "offer", "lang": "nl", "channel": "website", "answers": _answers(who, "offer")})
    _post(client, {"form": "offer", "lang": "nl", "channel": "phone",
                   "answers": {**_answers(who, "offer"), "phone": "016 99 00 07"}})
    _post(client, {"form": "offer", "lang": "nl", "channel": "website", "answers": _answers(other, "offer")})
    drain(app.extensions["helpt.journal"], workbook, WritePace(6000))
    assert main(["sync"]) == 0
    [row] = [r for r in workbook.read([VOLUNTEERS])["volunteers"].records() if r["email"] == who["email"]]
    assert {row["phone"], row["other_phones"]} == {"0470 99 00 07", "016 99 00 07"}  # same second: either first
    capsys.readouterr()

    assert main(["person", "export", "--phone", "016 99 00 07"]) == 0
    places = sorted(f["where"] for f in json.loads(capsys.readouterr().out))
    assert places == ["Hulpaanbod NL (formulier)", "Hulpaanbod NL (formulier)", "Vrijwilligers"]
    assert main(["person", "forget", "--phone", "016 99 00 07", "--yes"]) == 0
    left = _every_cell(server)
    assert _traces(who, left) == [] and "016 99 00 07" not in left and "+3216990007" not in left
    assert _traces(other, left)


def test_helpt_view_prints_where_the_unsent_mail_is(desk, capsys):
    app, workbook, server, data = desk
    capsys.readouterr()
    assert main(["view"]) == 0
    view, mail = capsys.readouterr().out.strip().splitlines()
    assert view.startswith(server.url)
    key = app.extensions["helpt.handovers"].key("outbox")
    assert mail == f"mail (no HELPT_SMTP_URL): http://127.0.0.1:8000/outbox?key={key}"
    client = app.test_client()
    assert client.get("/outbox").status_code == 401  # the page holds personal data: the key opens it
    assert client.get(f"/outbox?key={key}").status_code == 302 and client.get("/outbox").status_code == 200


def test_a_desk_given_another_desks_database_writes_none_of_its_people_until_told_it_moved(desk, capsys,
                                                                                           monkeypatch):
    """A staging desk pointed at production's database by mistake: no command of it moves production's
    journal (or archive) into its own sheet, until `helpt init --move` says the desk really moved."""
    app, workbook, server, data = desk
    people = [_someone(n) for n in range(3)]
    _seed(app, workbook, server, people)  # the last one is still pending in the journal
    monkeypatch.setenv("HELPT_SPREADSHEET_TITLE", "staging")  # the same data folder, so the same database
    capsys.readouterr()
    for command in (["init"], ["init", "--dry-run"], ["flush"], ["sync"], ["purge", "--dry-run"],
                    ["person", "export", "--email", people[0]["email"]]):
        assert main(command) == 1, command
        assert f"serves spreadsheet {workbook.spreadsheet_id}, not " in capsys.readouterr().err, command
    assert not _traces(people[-1], _every_cell(server))
    assert Journal(open_database("", data)).counts()["pending"] == 1

    assert main(["init", "--move"]) == 1  # to a new, empty spreadsheet: the handovers' ids would name others
    assert "holds none of the 2 submissions" in capsys.readouterr().err
    staging = open_local(server.url, token=server.token, title="staging", retry=FAST_RETRY)
    init_spreadsheet(staging, TABS)  # a copy of the production spreadsheet, as File > Make a copy makes one
    copied = staging.read(INTAKE_TABS)
    for tab_id, sheet in workbook.read(INTAKE_TABS).items():
        staging.append(copied[tab_id], sheet.records())
    assert main(["init", "--move", "--dry-run"]) == 0
    assert "Would move the desk" in capsys.readouterr().out
    assert main(["flush"]) == 1  # a dry run moves nothing
    assert main(["init", "--move"]) == 0
    assert f"its database served spreadsheet {workbook.spreadsheet_id}" in capsys.readouterr().out
    assert main(["flush"]) == 0
    assert people[-1]["email"] in _every_cell(server)
    monkeypatch.setenv("HELPT_SPREADSHEET_TITLE", TITLE)  # now the old spreadsheet is the other one
    assert main(["sync"]) == 1
    assert "helpt init --move" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_database_serves_the_first_spreadsheet_that_claims_it_and_moves_only_when_told(kind, request, tmp_path):
    database = open_database(request.getfixturevalue("postgres_url") if kind == "postgresql" else "", tmp_path)
    serve_only(database, "sheet-a")
    serve_only(database, "sheet-a")
    with pytest.raises(OtherSpreadsheet, match="serves spreadsheet sheet-a, not sheet-b"):
        serve_only(database, "sheet-b")
    assert served(database) == "sheet-a"
    move(database, "sheet-b")
    assert served(database) == "sheet-b"
    serve_only(database, "sheet-b")
    with pytest.raises(OtherSpreadsheet):
        serve_only(database, "sheet-a")
    database.dispose()


def test_after_the_old_desk_ended_its_database_may_serve_a_new_spreadsheet(desk, capsys, monkeypatch):
    """A desk that starts again: once `helpt purge` erased the old desk's people (its handovers too), no id
    in the database can name anyone, and the move to a new, empty spreadsheet goes."""
    app, workbook, server, data = desk
    _seed(app, workbook, server, [_someone(n) for n in range(2)])
    assert main(["purge", "--yes"]) == 0
    monkeypatch.setenv("HELPT_SPREADSHEET_TITLE", "second wave")
    assert main(["sync"]) == 1
    assert main(["init", "--move"]) == 0
    assert main(["sync"]) == 0


def test_forget_waits_for_the_running_sync_then_erases(desk, capsys, monkeypatch):
    """The worker syncs every minute: `helpt person forget` waits for its sync to end, then erases."""
    import threading

    import helpt.commands
    from sync.lock import sync_lock

    app, workbook, server, data = desk
    people = [_someone(n) for n in range(3)]
    _seed(app, workbook, server, people)  # the first two in the sheet, the last one pending
    assert main(["sync"]) == 0
    waiting, done = threading.Event(), []
    monkeypatch.setattr(helpt.commands, "_say_waiting", waiting.set)
    worker = open_database("", data)
    with sync_lock(worker):  # the worker's sync
        erasure = threading.Thread(target=lambda: done.append(
            main(["person", "forget", "--email", people[0]["email"], "--yes"])))
        erasure.start()
        assert waiting.wait(timeout=60)
        assert _traces(people[0], _every_cell(server)) and not done
    erasure.join(timeout=120)
    assert done == [0]
    assert not _traces(people[0], _every_cell(server)) and _traces(people[1], _every_cell(server))
    worker.dispose()
