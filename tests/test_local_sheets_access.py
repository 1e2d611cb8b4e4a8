"""The local Sheets server is safe to leave running: one owner per data folder, loopback names only,
a token on every API call, JSON bodies only; and helpt's commands share the server of a running desk."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time

import pytest
import requests

import local_sheets
from helpt.cli import main
from sheets_schema.tabs import INTAKE_TABS, VOLUNTEERS
from sheets_schema.workbook import open_local
from webhooks.signature import sign

from .conftest import FAST_RETRY
from .desk_process import desk_environment, start_desk


def test_api_calls_need_the_folders_token_and_a_loopback_host(server):
    url = f"{server.url}/drive/v3/files"
    good = {"Authorization": f"Bearer {server.token}"}
    assert requests.get(url, headers=good, timeout=10).status_code == 200
    for headers in ({}, {"Authorization": "Bearer guess"}, {"Authorization": server.token[:-1]}):
        reply = requests.get(url, headers=headers, timeout=10)
        assert reply.status_code == 401 and reply.json()["error"]["status"] == "UNAUTHENTICATED"
    faults = requests.post(f"{server.url}/_local/faults", json={"outage_code": 503}, timeout=10)
    assert faults.status_code == 401 and server.faults.outage_code is None
    # DNS rebinding: a page on evil.example that resolves to 127.0.0.1 still sends its own name.
    for path in ("/drive/v3/files", "/", "/_local/calls"):
        reply = requests.get(server.url + path, headers={**good, "Host": "evil.example:8001"}, timeout=10)
        assert reply.status_code == 403, path
    assert requests.get(server.url + "/", headers={**good, "Host": "localhost:8001"}, timeout=10).status_code == 200


def test_a_cross_site_form_post_is_refused_even_with_the_token(server):
    reply = requests.post(f"{server.url}/v4/spreadsheets", data='{"properties": {"title": "x"}}', timeout=10,
                          headers={"Authorization": f"Bearer {server.token}", "Content-Type": "text/plain"})
    assert reply.status_code == 400 and "application/json" in reply.json()["error"]["message"]


def test_two_servers_cannot_share_a_data_folder_and_a_killed_ones_files_do_not_block(tmp_path):
    first = local_sheets.start(tmp_path)
    try:
        with pytest.raises(local_sheets.FolderTaken) as taken:
            local_sheets.start(tmp_path)
        assert taken.value.url == first.url and local_sheets.running_url(tmp_path) == first.url
    finally:
        first.stop()
    assert local_sheets.running_url(tmp_path) is None
    # A server killed by SIGKILL leaves its address file behind; the lock died with it.
    code = "import sys, local_sheets; s = local_sheets.start(sys.argv[1]); print(s.url, flush=True); input()"
    killed = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    dead_url = killed.stdout.readline().strip()
    assert local_sheets.running_url(tmp_path) == dead_url
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    assert (tmp_path / "local-sheets.json").exists() and local_sheets.running_url(tmp_path) is None
    again = local_sheets.start(tmp_path)
    again.stop()


def test_the_token_and_the_data_are_readable_by_their_owner_only(tmp_path):
    server = local_sheets.start(tmp_path, token="chosen-token")
    try:
        assert server.token == "chosen-token"
        assert (tmp_path / "local-sheets.token").read_text() == "chosen-token"
    finally:
        server.stop()
    for name in ("local-sheets.token", "sheets.sqlite3"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
    again = local_sheets.start(tmp_path)  # kept for the next start
    again.stop()
    assert again.token == "chosen-token"


def test_the_emulator_refuses_a_folder_a_server_owns(tmp_path, capsys):
    server = local_sheets.start(tmp_path)
    try:
        assert main(["emulator", "--data", str(tmp_path), "--port", "0"]) == 1
        assert f"already runs on {tmp_path} at {server.url}" in capsys.readouterr().err
    finally:
        server.stop()


def test_sync_and_export_use_the_running_desks_server_and_lose_nothing(tmp_path):
    """`helpt serve` runs; a coordinator runs `helpt sync` and `helpt export` with the same settings."""
    data = tmp_path / "data"
    settings = {"HELPT_DATA_DIR": str(data), "HELPT_PORT": "0", "HELPT_SHEETS_PORT": "0",
                "HELPT_WEBHOOK_SECRET": "s", "HELPT_SYNC_EVERY": "0", "HELPT_SPREADSHEET_TITLE": "shared"}
    env = desk_environment(settings)

    def helpt(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "helpt.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    desk, url = start_desk([sys.executable, "-m", "helpt.cli", "serve"], tmp_path, settings)
    try:
        for n in range(5):
            body = {"form": "offer", "lang": "nl", "submission_id": f"s-{n}", "answers": {
                "full_name": f"Persoon {n}", "phone": f"0470 00 00 0{n}", "postcode": "3000", "languages": ["nl"],
                "tasks": ["groceries"], "consent_privacy": True}}
            raw = json.dumps(body).encode()
            assert requests.post(url + "api/v1/submissions", data=raw, timeout=10, headers={
                "Content-Type": "application/json", "X-Helpt-Signature": sign("s", raw)}).status_code == 202
        running = open_local(local_sheets.running_url(data), token=local_sheets.read_token(data), title="shared",
                             retry=FAST_RETRY)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the desk's flusher writes them within seconds
            if sum(len(s.records()) for s in running.read(INTAKE_TABS).values()) == 5:
                break
            time.sleep(0.1)  # polling another process's work, with a deadline
        flushed = helpt("flush")  # the desk's flusher holds the journal: said, not a second server
        assert flushed.returncode == 1 and "another helpt process" in flushed.stderr, flushed.stderr
        synced = helpt("sync")
        assert synced.returncode == 0 and "Vrijwilligers: 5 toegevoegd" in synced.stdout, synced.stderr
        exported = helpt("export", "--format", "csv")
        assert exported.returncode == 0, exported.stderr
    finally:
        desk.send_signal(signal.SIGTERM)
        desk.wait(timeout=60)
    server = local_sheets.start(data)  # the desk is gone: read what its server saved
    try:
        workbook = open_local(server.url, token=server.token, title="shared", retry=FAST_RETRY)
        sheets = workbook.read([VOLUNTEERS, *INTAKE_TABS])
        assert sorted(r["submission_id"] for t in INTAKE_TABS for r in sheets[t.id].records()) == \
            [f"s-{n}" for n in range(5)]
        assert sorted(r["full_name"] for r in sheets["volunteers"].records() if r["volunteer_id"]) == \
            [f"Persoon {n}" for n in range(5)]
    finally:
        server.stop()
    assert "Persoon 3" in (data / "exports" / "Vrijwilligers.csv").read_text()
