"""Trust under misuse: careless and hostile actions that used to lose or leak a person's data.

Each test is one case of issue 16, run against real servers where the case
has one: the desk as its own process, the local Sheets server, PostgreSQL.
"""

from __future__ import annotations

import http.client
import json
import resource
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import requests

import local_sheets
from desk_db import open_database
from desk_db.journal import Journal
from local_sheets.editing import form_token
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import INTAKE_TABS, LOG_TAB, PARTNERS_TAB, REQUESTS, TABS, VOLUNTEERS, tab
from sheets_schema.workbook import open_local
from sync.job import Upkeep, run_sync
from sync.partners import spreadsheet_id
from sync.purge import purge
from webhooks import create_app
from webhooks.flusher import WritePace, drain
from webhooks.signature import sign

from .conftest import FAST_RETRY
from .desk_process import desk_environment, start_desk
from .servers import free_port, view_link
from .sync_helpers import fixed_clock, spreadsheet, submission

SECRET = "misuse-secret"


def _offer(n: int) -> dict:
    return {"form": "offer", "lang": "nl", "submission_id": f"m-{n}", "answers": {
        "full_name": f"Persoon {n}", "phone": f"0470 00 {n // 100:02d} {n % 100:02d}", "postcode": "3000",
        "languages": ["nl"], "tasks": ["groceries"], "consent_privacy": True}}


def _post_signed(url: str, body: dict) -> int:
    raw = json.dumps(body).encode()
    return requests.post(url + "api/v1/submissions", data=raw, timeout=10, headers={
        "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw)}).status_code


def _eventually(what: str, check, seconds: float = 60) -> None:
    """Wait for another process's work, with a deadline (no fixed sleep stands in for it)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


# --- 2. one owner per data folder, and the journal as defence in depth --------------------------

def test_a_row_the_sheet_lost_after_its_append_is_appended_again_and_only_then_forgotten(workbook, tmp_path):
    """Invariant 11: the journal keeps a record until a sync has read its row back from the sheet."""
    init_spreadsheet(workbook, TABS)
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET})
    client, journal = app.test_client(), app.extensions["helpt.journal"]
    for n in range(3):
        raw = json.dumps(_offer(n)).encode()
        assert client.post("/api/v1/submissions", data=raw, content_type="application/json",
                           headers={"X-Helpt-Signature": sign(SECRET, raw)}).status_code == 202
    assert drain(journal, workbook, WritePace(6000)).appended == 3
    # The append was confirmed, then the row vanished (a second server's save, a restored copy).
    sheet = workbook.read([tab("intake_offer_nl")])["intake_offer_nl"]
    lost = next(n for n, r in enumerate(sheet.records()) if r["submission_id"] == "m-1") + 2
    workbook.clear([sheet.whole_rows(lost)])
    upkeep = Upkeep(journal=journal)

    first = run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    assert first.lost_rows == 1 and journal.counts() == {"pending": 1, "written": 0, "confirmed": 2}
    log = workbook.read([LOG_TAB])[LOG_TAB.id].records()
    assert "1 ontvangen inzending ontbrak in haar formuliertabblad" in log[-1]["details"]
    assert drain(journal, workbook, WritePace(6000)).appended == 1
    second = run_sync(workbook, clock=fixed_clock, upkeep=upkeep)
    assert second.lost_rows == 0 and journal.counts() == {"pending": 0, "written": 0, "confirmed": 3}
    names = sorted(r["full_name"] for r in workbook.read([VOLUNTEERS])["volunteers"].records() if r["full_name"])
    assert names == ["Persoon 0", "Persoon 1", "Persoon 2"]
    # Read back: only ids and hashes stay in the journal's files.
    journal.database.leave_no_trace("intake_journal")
    assert b"Persoon 1" not in b"".join(p.read_bytes() for p in tmp_path.glob("intake-journal*"))


def test_deleting_files_in_the_data_folder_never_lets_a_second_server_in(tmp_path):
    """The issue's case: with the desk running, its lock and address files deleted, a second emulator
    started on the same folder, 50 signed submissions posted, and a sync: all 50 in the sheet."""
    data = tmp_path / "data"
    settings = {"HELPT_DATA_DIR": str(data), "HELPT_PORT": "0", "HELPT_SHEETS_PORT": "0",
                "HELPT_WEBHOOK_SECRET": SECRET, "HELPT_SYNC_EVERY": "0", "HELPT_SPREADSHEET_TITLE": "desk"}
    env = desk_environment(settings)
    desk, url = start_desk([sys.executable, "-m", "helpt.cli", "serve"], tmp_path, settings)
    try:
        owner = local_sheets.running_url(data)
        for path in data.iterdir():
            if path.suffix in (".lock", ".json"):
                path.unlink()
        second = subprocess.run([sys.executable, "-m", "helpt.cli", "emulator", "--data", str(data), "--port", "0"],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1 and f"already runs on {data}" in second.stderr, second.stderr
        _eventually("the desk's server leaves its address again", lambda: local_sheets.running_url(data) == owner)
        assert all(_post_signed(url, _offer(n)) == 202 for n in range(50))
        workbook = open_local(owner, token=local_sheets.read_token(data), title="desk", retry=FAST_RETRY)
        _eventually("the flusher wrote all 50", lambda: sum(
            len(s.records()) for s in workbook.read(INTAKE_TABS).values()) == 50)
        synced = subprocess.run([sys.executable, "-m", "helpt.cli", "sync"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
        assert synced.returncode == 0 and "Vrijwilligers: 50 toegevoegd" in synced.stdout, synced.stderr
    finally:
        desk.send_signal(signal.SIGTERM)
        desk.wait(timeout=60)
    server = local_sheets.start(data)
    try:
        workbook = open_local(server.url, token=server.token, title="desk", retry=FAST_RETRY)
        volunteers = workbook.read([VOLUNTEERS])["volunteers"].records()
        assert sorted(r["full_name"] for r in volunteers if r["volunteer_id"]) == \
            sorted(f"Persoon {n}" for n in range(50))
    finally:
        server.stop()
    journal = Journal(open_database("", data))
    assert journal.counts() == {"pending": 0, "written": 0, "confirmed": 50}


# --- 1. a Partners row can never write over the back office, nor share it ----------------------

def _partner(partner_id: str, destination: str, contact: str = "contact@netwerk.be") -> dict[str, str]:
    return {"partner_id": partner_id, "name": f"Netwerk {partner_id}", "areas": "3000", "tasks": "Boodschappen doen",
            "fields": "Naam, Telefoon", "destination": destination, "contact_email": contact, "active": "Ja"}


def _desk_with_approved_volunteers(workbook, extracts) -> None:
    spreadsheet(workbook, offers=[("nl", submission(f"S-{n}", f"Vrijwilliger {n}", phone=f"0470 10 10 1{n}",
                                                    consent_partners="Ja")) for n in range(3)],
                requests=[("nl", submission(f"Q-{n}", f"Bewoner {n}", phone=f"016 20 20 2{n}")) for n in range(5)])
    run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    workbook.write({sheet.cell(n + 2, "screening"): [["Goedgekeurd"]] for n in range(3)})


def _set_partners(workbook, rows) -> None:
    sheet = workbook.read([PARTNERS_TAB])["partners"]
    workbook.clear([f"'{sheet.title}'!A2:Z1000"])
    workbook.append(sheet, rows)


def test_a_partner_row_pointing_at_the_desk_itself_writes_nothing_and_shares_nothing(workbook, server, tmp_path):
    extracts = tmp_path / "extracts"
    _desk_with_approved_volunteers(workbook, extracts)
    another_desk = open_local(server.url, token=server.token, title=f"other-desk-{uuid.uuid4().hex[:6]}",
                              retry=FAST_RETRY)
    init_spreadsheet(another_desk, TABS)  # someone else's back office, shared with helpt's account
    in_use = open_local(server.url, token=server.token, title=f"in-use-{uuid.uuid4().hex[:6]}", retry=FAST_RETRY)
    in_use.write({"Sheet1!A1:B2": [["Onze leden", "Telefoon"], ["Lid 1", "0470 99 99 99"]]})
    _set_partners(workbook, [
        _partner("P-desk", workbook.link().replace("/spreadsheets/", "/spreadsheets/d/") + "/edit#gid=0"),
        _partner("P-id", workbook.spreadsheet_id),
        _partner("P-other", another_desk.link()),
        _partner("P-used", in_use.link())])
    before = {t.id: workbook.read([t])[t.id].rows for t in (REQUESTS, VOLUNTEERS)}
    shared_before = workbook.permissions()

    result = run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))
    result = run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))  # and again: still nothing
    assert [r.failed for r in result.partners] == ["own_desk", "own_desk", "desk_tabs", "not_empty"]
    after = {t.id: workbook.read([t])[t.id].rows for t in (REQUESTS, VOLUNTEERS)}
    assert [r[:20] for r in after["requests"]] == [r[:20] for r in before["requests"]]
    assert len(after["volunteers"]) == 3 and workbook.permissions() == shared_before
    assert another_desk.permissions() == [p for p in another_desk.permissions() if p["role"] == "owner"]
    assert in_use.first_tab().rows == [["Onze leden", "Telefoon"], ["Lid 1", "0470 99 99 99"]]
    assert in_use.marks("helpt-extract") == [] and another_desk.marks("helpt-extract") == []
    rows = {r["partner_id"]: r for r in workbook.read([PARTNERS_TAB])["partners"].records()}
    assert rows["P-desk"]["extract_status"] == (
        "niets geschreven of gedeeld: de bestemming is deze spreadsheet zelf, de backoffice; maak een nieuwe, "
        "lege spreadsheet voor de partner of schrijf 'nieuw'")
    assert rows["P-used"]["extract_status"].startswith("niets geschreven of gedeeld: die spreadsheet bevat al")
    log = [r["details"] for r in workbook.read([LOG_TAB])[LOG_TAB.id].records() if r["job"] == "partnerexport"]
    assert log[-4].startswith("P-desk: niet bijgewerkt (de bestemming is deze spreadsheet zelf")

    # helpt purge never empties or unshares a spreadsheet it did not mark as an extract: the desk least of all.
    report = purge(workbook, tmp_path, dry_run=False, erase_journal=lambda: 0, count_journal=lambda: 0,
                   compact=None, now="2020-03-21 09:00:00")
    assert report.partner_sheets == 0 and workbook.permissions() == shared_before
    assert in_use.first_tab().rows[1] == ["Lid 1", "0470 99 99 99"]


def test_new_makes_a_marked_extract_and_a_changed_destination_empties_the_old_one(workbook, server, tmp_path):
    extracts = tmp_path / "extracts"
    _desk_with_approved_volunteers(workbook, extracts)
    _set_partners(workbook, [_partner("P-1", "nieuw")])
    run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))
    row = workbook.read([PARTNERS_TAB])["partners"].records()[0]
    made = workbook.open_other(spreadsheet_id(row["extract"]))
    assert made.title == "helpt: vrijwilligers voor Netwerk P-1" and len(made.first_tab().rows) == 4
    assert [json.loads(m) for m in made.marks("helpt-extract")] == [{"desk": workbook.spreadsheet_id,
                                                                       "partner": "P-1"}]
    assert {p["emailAddress"] for p in made.permissions() if p["role"] == "writer"} == {"contact@netwerk.be"}
    run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))  # the same one, not a second
    assert workbook.read([PARTNERS_TAB])["partners"].records()[0]["extract"] == row["extract"]

    # The coordinator moves the partner to a file: the spreadsheet keeps nobody and is shared with nobody.
    sheet = workbook.read([PARTNERS_TAB])["partners"]
    workbook.write({sheet.cell(2, "destination"): [["netwerk.xlsx"]]})
    run_sync(workbook, clock=fixed_clock, upkeep=Upkeep(extracts_dir=extracts))
    assert made.first_tab().rows == [] and [p["role"] for p in made.permissions()] == ["owner"]
    assert (extracts / "netwerk.xlsx").is_file()


# --- 4 and 5. limits that protect without locking out, and sessions that end --------------------

PASSCODE = "callcentre-2026"


def _sign_in_post(client, name: str, passcode: str, path: str = "/nl/agent/sign-in"):
    client.set_cookie("helpt_csrf", "c")  # the double-submit token: any value, the same in cookie and form
    return client.post(path, data={"csrf_token": "c", "name": name, "passcode": passcode})


def test_ten_empty_sign_ins_from_the_call_centre_never_lock_out_an_agent(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "AGENT_PASSCODE": PASSCODE})
    client = app.test_client()
    for _ in range(10):
        assert _sign_in_post(client, "", "").status_code == 401
    assert _sign_in_post(client, "Els", PASSCODE).status_code == 303
    # Els's own typos lock only Els, for a minute, and say when to come back.
    other = app.test_client()
    replies = [_sign_in_post(other, "Els", "typo").status_code for _ in range(11)]
    assert replies == [401] * 10 + [429]
    locked = _sign_in_post(other, "Els", PASSCODE)
    assert locked.status_code == 429 and 1 <= int(locked.headers["Retry-After"]) <= 60
    assert "Probeer opnieuw over" in locked.get_data(as_text=True)
    assert _sign_in_post(other, "Jan", PASSCODE).status_code == 303  # a colleague at the same address


def test_a_copied_session_cookie_is_worth_nothing_after_sign_out_or_after_the_shift(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "AGENT_PASSCODE": PASSCODE,
                      "AGENT_SESSION_HOURS": 12})
    agent = app.test_client()
    assert _sign_in_post(agent, "Els", PASSCODE).status_code == 303
    cookie = agent.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/nl/agent/request").status_code == 200  # a copy works while the session lasts...
    agent.set_cookie("helpt_csrf", "c")
    assert agent.post("/nl/agent/sign-out", data={"csrf_token": "c"}).status_code == 303
    assert thief.get("/nl/agent/request").status_code == 303  # ...and not after sign-out, on any worker
    # After a shift the session ends by itself.
    sessions = app.extensions["helpt.sessions"]
    assert _sign_in_post(agent, "Els", PASSCODE).status_code == 303
    assert agent.get("/nl/agent/request").status_code == 200
    started = time.time()
    sessions.clock = lambda: started + 12 * 3600 + 1
    assert agent.get("/nl/agent/request").status_code == 303


def test_the_session_cookie_is_secure_behind_https_and_a_broken_next_is_no_500(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "AGENT_PASSCODE": PASSCODE, "TRUSTED_PROXIES": 1})
    client = app.test_client()
    client.set_cookie("helpt_csrf", "c")
    reply = client.post("/nl/agent/sign-in", data={"csrf_token": "c", "name": "Els", "passcode": PASSCODE},
                        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    cookie = reply.headers["Set-Cookie"]
    assert reply.status_code == 303 and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    for next_ in ("/nl/agent/offer\r\nSet-Cookie: x=y", "/nl/agent/\n", "//evil.example/nl/agent/x",
                  "/nl/agent/offer?x=\u2028"):
        reply = _sign_in_post(app.test_client(), "Els", PASSCODE, "/nl/agent/sign-in?next=" + quote(next_))
        assert reply.status_code == 303 and reply.location in ("/nl/agent/request", "/nl/agent/offer"), next_


def test_limits_are_shared_by_every_instance_and_every_429_says_when_to_come_back(tmp_path):
    """Two web instances on one journal database share one allowance per address."""
    apps = [create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "FORM_RATE_LIMIT": 3, "API_RATE_LIMIT": 3,
                        "WEBHOOK_SECRET": SECRET}) for _ in range(2)]
    clients = [app.test_client() for app in apps]
    for client in clients:
        client.set_cookie("helpt_csrf", "c")
    forms = [clients[n % 2].post("/nl/request", data={"csrf_token": "c", "full_name": ""}) for n in range(6)]
    assert [r.status_code for r in forms] == [400, 400, 400, 429, 429, 429]
    api = [clients[n % 2].post("/api/v1/submissions", data=b"{}", content_type="application/json",
                               headers={"X-Helpt-Signature": "t=1,v1=00"}) for n in range(5)]
    assert [r.status_code for r in api] == [401, 401, 401, 429, 429]
    for reply in forms[3:] + api[3:]:
        assert 1 <= int(reply.headers["Retry-After"]) <= 60


def test_passcode_guesses_against_four_gunicorn_workers_pass_at_most_the_limit(tmp_path, request):
    """80 guesses at once against gunicorn's 4 workers (16 threads), one shared count in PostgreSQL."""
    database = request.getfixturevalue("postgres_url")
    port = free_port()
    env = desk_environment({"HELPT_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": database,
                            "HELPT_AGENT_PASSCODE": PASSCODE, "HELPT_WEBHOOK_SECRET": SECRET})
    web = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "4", "-k", "gthread",
                            "--threads", "4", "-b", f"127.0.0.1:{port}", "webhooks:create_app()"],
                           cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/nl/agent/sign-in"
    try:
        _eventually("gunicorn answers", lambda: _answers(url))

        def guess(n: int) -> int:
            return requests.post(url, cookies={"helpt_csrf": "c"}, timeout=30, data={
                "csrf_token": "c", "name": "Els", "passcode": f"guess-{n}"}).status_code

        with ThreadPoolExecutor(16) as pool:
            replies = list(pool.map(guess, range(80)))
        assert sorted(set(replies)) == [401, 429] and replies.count(401) == 10, replies
        signed_in = requests.post(url, cookies={"helpt_csrf": "c"}, allow_redirects=False, timeout=30,
                                  data={"csrf_token": "c", "name": "Jan", "passcode": PASSCODE})
        assert signed_in.status_code == 303
    finally:
        web.terminate()
        web.wait(timeout=60)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


# --- 5. bounded and valid --------------------------------------------------------------------------

def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_huge_cell_or_body_and_a_lone_surrogate_are_refused_at_the_door(server, workbook):
    init_spreadsheet(workbook, TABS)
    api = f"{server.url}/v4/spreadsheets/{workbook.spreadsheet_id}"
    headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}
    peak = _rss_mb()

    def huge_body():  # 100 MB, streamed (chunked): the server must stop reading, not hold it
        yield b'{"valueInputOption": "RAW", "data": [{"range": "Sheet1!A1", "values": [["'
        for _ in range(100):
            yield b"x" * 1_000_000
        yield b'"]]}]}'

    reply = requests.post(f"{api}/values:batchUpdate", data=huge_body(), headers=headers, timeout=60)
    assert reply.status_code == 400 and "10485760 bytes" in reply.json()["error"]["message"]
    # 100 MB with its length announced: refused before a byte of the body is read (none is sent).
    connection = http.client.HTTPConnection(*server.url.removeprefix("http://").split(":"), timeout=60)
    connection.putrequest("POST", f"/v4/spreadsheets/{workbook.spreadsheet_id}/values:batchUpdate")
    for name, value in {**headers, "Content-Length": str(100_000_000)}.items():
        connection.putheader(name, value)
    connection.endheaders()
    sized = connection.getresponse()
    assert sized.status == 400 and "10485760 bytes" in json.loads(sized.read())["error"]["message"]
    connection.close()
    assert _rss_mb() - peak < 50  # the server never held the 100 MB
    long_cell = {"valueInputOption": "RAW", "data": [{"range": "'Logboek'!A5", "values": [["y" * 50_001]]}]}
    reply = requests.post(f"{api}/values:batchUpdate", json=long_cell, headers=headers, timeout=60)
    assert reply.status_code == 400 and "50000 characters" in reply.json()["error"]["message"]
    surrogate = b'{"valueInputOption": "RAW", "data": [{"range": "\'Logboek\'!A5", "values": [["a\\ud800b"]]}]}'
    reply = requests.post(f"{api}/values:batchUpdate", data=surrogate, headers=headers, timeout=60)
    assert reply.status_code == 400 and "surrogate" in reply.json()["error"]["message"]
    assert workbook.values(["'Logboek'!A5"]) == [[]]  # nothing of any of them was written

    # A tab that holds one anyway (written before the door was shut) still reads, renders and exports.
    with server.app.store.lock:
        sheet = server.app.store.spreadsheets[workbook.spreadsheet_id].sheet_by_title("Logboek")
        sheet.set_cell(4, 0, "a\ud800b")
    view = {"Authorization": f"Bearer {server.token}"}
    assert workbook.values(["'Logboek'!A5"]) == [[["a\ud800b"]]]
    page = requests.get(f"{server.url}/spreadsheets/{workbook.spreadsheet_id}", params={"tab": "Logboek"},
                        headers=view, timeout=10)
    assert page.status_code == 200 and "a\ufffdb" in page.text
    csv_file = requests.get(f"{server.url}/spreadsheets/{workbook.spreadsheet_id}/export/Logboek.csv",
                            headers=view, timeout=10)
    assert csv_file.status_code == 200 and "a\ufffdb" in csv_file.text


def test_the_row_editor_saves_only_a_dropdowns_choices_and_bounded_text(server, workbook):
    spreadsheet(workbook, offers=[("nl", submission("S-1", "Vera Volunteer", phone="0470 10 10 10"))])
    run_sync(workbook, clock=fixed_clock)
    volunteers = workbook.values(["Vrijwilligers"])[0]
    screening, notes = volunteers[0].index("Screening"), volunteers[0].index("Notities")
    url = f"{server.url}/spreadsheets/{workbook.spreadsheet_id}/edit"
    browser = requests.Session()
    browser.get(view_link(server.url, server.token), timeout=10).raise_for_status()
    form = {"token": form_token(server.token, workbook.spreadsheet_id), "tab": "Vrijwilligers", "row": "2",
            "key": volunteers[1][0], f"o{screening}": volunteers[1][screening], f"o{notes}": ""}
    invented = browser.post(url, data={**form, f"c{screening}": "Heel goed"}, timeout=10)
    assert invented.status_code == 400 and "is geen keuze van Screening" in invented.text
    too_long = browser.post(url, data={**form, f"c{notes}": "n" * 50_001}, timeout=10)
    assert too_long.status_code == 400 and "50000 tekens" in too_long.text
    huge = browser.post(url, data={**form, f"c{notes}": "n" * 20_000_000}, timeout=60)
    assert huge.status_code == 413
    assert workbook.values(["Vrijwilligers"])[0][1][screening] == volunteers[1][screening]
    fine = browser.post(url, data={**form, f"c{screening}": "Goedgekeurd"}, timeout=10,
                        headers={"Accept": "application/json"})
    assert fine.status_code == 200 and workbook.values(["Vrijwilligers"])[0][1][screening] == "Goedgekeurd"


def test_a_write_larger_than_google_takes_goes_in_pieces_and_lands_whole(workbook):
    """Google refuses bodies over 10 MB; a first sync of a big desk appends some 30 MB."""
    init_spreadsheet(workbook, TABS)
    sheet = workbook.read([VOLUNTEERS])["volunteers"]
    before = workbook.api_calls_by_kind().get(":append", 0)
    rows = [{"volunteer_id": f"V-{n:06d}", "notes": "é" * 2000} for n in range(2000)]  # ~24 MB as JSON
    workbook.append(sheet, rows)
    assert workbook.api_calls_by_kind()[":append"] - before == 4
    ids = [r["volunteer_id"] for r in workbook.read([VOLUNTEERS])["volunteers"].records()]
    assert ids == [f"V-{n:06d}" for n in range(2000)]


def test_a_body_of_exactly_the_limit_is_taken_and_one_byte_more_is_not(tmp_path):
    """The 413 says 'at most 65536 bytes': a body of exactly that many must be accepted."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "WEBHOOK_SECRET": SECRET})
    client = app.test_client()
    raw = json.dumps(_offer(1)).encode()
    for size, status in ((65_536, 202), (65_537, 413)):
        body = raw[:-1] + b" " * (size - len(raw)) + b"}"
        assert len(body) == size
        reply = client.post("/api/v1/submissions", data=body, content_type="application/json",
                            headers={"X-Helpt-Signature": sign(SECRET, body)})
        assert reply.status_code == status, reply.get_data(as_text=True)[:200]
    assert "65536" in reply.json["errors"][0]["message"]
