"""The desk deployed the way the Procfile runs it: honcho starts `web` and `worker`, behind nginx, on PostgreSQL.

Real servers only: Debian's nginx in front (appending X-Forwarded-For as a
platform's router does), Debian's PostgreSQL holding the journal and the
locks, the local Sheets server standing in for Google. Then what production
meets: 50 residents from 50 addresses post a form each (none may be refused),
and a burst of signed posts arrives while the web process is SIGKILLed and
restarted on a wiped disk, with the worker syncing meanwhile. Afterwards every
acknowledged submission is in the spreadsheet exactly once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from desk_db import open_database
from desk_db.journal import Journal
from sheets_schema.tabs import tab
from sheets_schema.workbook import open_local
from webhooks.signature import sign

from .conftest import FAST_RETRY
from .desk_process import desk_environment
from .servers import free_port, nginx

SOURCE = Path(__file__).resolve().parent.parent
SECRET = "production-test-secret"
REQUEST = json.loads((SOURCE / "tests" / "data" / "intake" / "request_fr.json").read_text())
BURST = 150


class _From(HTTPAdapter):
    """Connections from one loopback address: each resident is a different client to nginx."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        return super().init_poolmanager(*args, **kwargs)


def _resident(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _From(address))
    return session


def _honcho(process: str, env: dict[str, str], root: Path, port: int) -> subprocess.Popen:
    """One Procfile process under honcho, as a platform's dyno runs it."""
    (root / "empty.env").touch()  # honcho would otherwise read a developer's .env
    with open(root / f"{process}.log", "a") as log:  # read it when the test fails
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "honcho"), "start", "-f", str(SOURCE / "Procfile"), "-d", str(root),
             "-e", str(root / "empty.env"), "-p", str(port), process],
            cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill_dyno(honcho: subprocess.Popen) -> None:
    """SIGKILL everything honcho started, top down (the dyno crashes), then honcho itself."""
    tree, pending = [], [honcho.pid]
    while pending:
        pid = pending.pop(0)
        children = Path(f"/proc/{pid}/task/{pid}/children")
        found = [int(child) for child in children.read_text().split()] if children.exists() else []
        tree += found
        pending += found
    for pid in tree:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    honcho.kill()
    honcho.wait(timeout=30)


def _eventually(what: str, check, seconds: float = 120.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)  # polling servers in other processes for a state, with a deadline
    raise AssertionError(f"gave up waiting for {what}")


def _up(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def _post_until_acknowledged(url: str, submission_id: str, acknowledged: list[str], refused: list[int],
                             deadline: float) -> None:
    """A signed sender that keeps its promise: the same submission again until a 2xx (as the Apps Script does)."""
    body = {**REQUEST, "submission_id": submission_id,
            "answers": {**REQUEST["answers"], "Nom de la personne qui a besoin d'aide": f"Burst {submission_id}",
                        "phone": f"+3247{int(submission_id.split('-')[1]):07d}"}}
    raw = json.dumps(body).encode()
    while time.monotonic() < deadline:
        try:
            reply = requests.post(url + "/api/v1/submissions", data=raw, timeout=10, headers={
                "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw)})
        except requests.RequestException:
            refused.append(0)
            continue  # the desk is down: try again
        assert reply.status_code < 500 or reply.status_code in (502, 503, 504), reply.text
        if reply.status_code >= 500:
            refused.append(reply.status_code)  # nginx: no web process behind it right now
        assert reply.status_code != 429, "a signed sender was limited"
        if reply.status_code in (200, 202):
            acknowledged.append(submission_id)
            return
    raise AssertionError(f"{submission_id} was never acknowledged")


def test_the_procfile_behind_nginx_on_postgresql_loses_nothing_doubles_nothing_refuses_no_resident(
        postgres_url, server, tmp_path):
    title = f"prod-{uuid.uuid4().hex[:8]}"
    web_port = free_port()
    settings = {
        "DATABASE_URL": postgres_url, "HELPT_SHEETS_URL": server.url, "HELPT_SHEETS_TOKEN": server.token,
        "HELPT_SPREADSHEET_TITLE": title,
        "HELPT_WEBHOOK_SECRET": SECRET, "HELPT_TRUSTED_PROXIES": "1", "HELPT_SYNC_EVERY": "2",
        "HELPT_FLUSH_WRITES_PER_MINUTE": "600", "HELPT_SHEETS_ATTEMPTS": "2",
        "WEB_CONCURRENCY": "2",  # the rate limits are shared by both
        "HELPT_DATA_DIR": str(tmp_path / "dyno-1"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    env = desk_environment(settings)
    subprocess.run([str(Path(sys.executable).parent / "helpt"), "init"], env=env, cwd=tmp_path, check=True,
                   capture_output=True)  # the release step: tabs exist before the first flush
    with nginx(web_port) as proxy_port:
        url = f"http://127.0.0.1:{proxy_port}"
        worker = _honcho("worker", env, tmp_path, free_port())
        web = _honcho("web", env, tmp_path, web_port)
        try:
            _eventually("the web process behind nginx", lambda: _up(url))

            # 50 residents, each from their own address, through the proxy: nobody is refused.
            thanked = []
            for n in range(50):
                resident = _resident(f"127.0.0.{10 + n}")
                page = resident.get(url + "/nl/request", timeout=10).text
                csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
                reply = resident.post(url + "/nl/request", timeout=10, data={
                    "csrf_token": csrf, "full_name": f"Bewoner {n}", "phone": f"0470 55 {n:02d} 00",
                    "postcode": "3000", "languages": "nl", "tasks": "groceries", "consent_privacy": "yes"})
                thanked.append("/nl/request/thanks?ref=S-" in reply.url and reply.status_code == 200)
            assert all(thanked), thanked.count(False)
            # ... while one address posting fast is still limited, with Retry-After.
            pest = _resident("127.0.0.200")
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', pest.get(url + "/nl/request").text).group(1)
            codes = [pest.post(url + "/nl/request", data={"csrf_token": csrf}, timeout=10, allow_redirects=False)
                     for _ in range(11)]
            assert [c.status_code for c in codes[:10]] == [400] * 10 and codes[10].status_code == 429
            assert int(codes[10].headers["Retry-After"]) > 0

            # A burst of signed posts; the web dyno is SIGKILLed in the middle and restarts on a wiped disk.
            acknowledged: list[str] = []
            refused: list[int] = []
            deadline = time.monotonic() + 180
            ids = [f"burst-{n}" for n in range(BURST)]
            senders = [threading.Thread(target=lambda chunk=ids[k::8]: [
                _post_until_acknowledged(url, sid, acknowledged, refused, deadline) for sid in chunk])
                for k in range(8)]
            for sender in senders:
                sender.start()
            _eventually("a third of the burst acknowledged", lambda: len(acknowledged) >= BURST // 3)
            _kill_dyno(web)
            env["HELPT_DATA_DIR"] = str(tmp_path / "dyno-2")
            web = _honcho("web", env, tmp_path, web_port)
            for sender in senders:
                sender.join()
            assert sorted(acknowledged) == sorted(ids)
            assert refused, "the kill came too late to meet any post"

            journal = Journal(open_database(postgres_url, tmp_path / "reader"))
            _eventually("the journal drained", lambda: journal.counts()["pending"] == 0)
            workbook = open_local(server.url, token=server.token, title=title, retry=FAST_RETRY)
            intake = workbook.read([tab("intake_request_fr"), tab("intake_request_nl")])
            burst_rows = [r["submission_id"] for r in intake["intake_request_fr"].records()]
            assert sorted(burst_rows) == sorted(ids)  # every one, none twice
            assert len(intake["intake_request_nl"].records()) == 50
            # The worker kept syncing: every acknowledged submission reaches one Requests row.
            def synced():
                rows = workbook.read([tab("requests")])["requests"].records()
                return sorted(s.strip() for r in rows for s in r["submission_ids"].split(",") if s.strip())
            _eventually("the worker's sync of every submission",
                        lambda: [s for s in synced() if s.startswith("burst-")] == sorted(ids))
            assert len(synced()) == len(set(synced())) == BURST + 50
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)  # honcho passes it on, as a platform's shutdown
            for process in (web, worker):
                process.wait(timeout=60)
    # The platform's log: the flusher (a process gunicorn's master started) and the worker say what they
    # did, with time and level; no line names a person.
    web_log, worker_log = (tmp_path / "web.log").read_text(), (tmp_path / "worker.log").read_text()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}"
    assert re.search(stamp + r" INFO helpt\.flusher: flusher: \d+ rows added", web_log), web_log[-2000:]
    assert re.search(stamp + r" INFO helpt\.sync: ", worker_log), worker_log[-2000:]
    for seeded in ("Bewoner", "Marie Dubois", "Naamsestraat", "0470 55"):
        assert seeded not in web_log + worker_log
