"""The generated Apps Script, run in Node.js with fakes of Google's services, against the real app on loopback.

Google Forms responses reach the desk through this script only, so it must
keep its promise: accepted when the desk is up, and when the desk is down,
answering 5xx or unreachable, every response is kept and delivered once the
desk is back, exactly once. See tests/apps_script/run.js for the fakes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from helpt.cli import main
from webhooks import create_app
from webhooks.apps_script import apps_script, unreachable_for_google

from .servers import free_port

RUN = Path(__file__).parent / "apps_script" / "run.js"
SECRET = "apps-script-test-secret"
CONSENT = "I agree to my data being processed as described below"
# What Google hands the script for a checkbox item: the ticked labels, in a list.
OFFER_EN = {"Name": "Alex Morgan", "Phone number": "0470 11 22 33", "Postcode": "3000",
            "Which languages do you speak?": ["English"], "What would you like to do?": ["Groceries", "Phone chat"],
            CONSENT: [CONSENT]}


class Desk:
    """The real Flask app, served on one fixed loopback port that can be taken down and brought back."""

    def __init__(self, app, port: int) -> None:
        self.app, self.port, self._server, self._thread = app, port, None, None

    def up(self, app=None) -> None:
        self._server = make_server("127.0.0.1", self.port, app or self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever)
        self._thread.start()

    def down(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def submission_ids(self) -> list[str]:
        journal = self.app.extensions["helpt.journal"]
        return sorted(entry.submission_id for entry in journal.pending(1000))


class Google:
    """Where the script runs: its state (properties, triggers, forms) persists between runs, as at Google."""

    def __init__(self, script: Path, state: Path) -> None:
        self.script, self.state = script, state

    def run(self, *action: str) -> list[str]:
        done = subprocess.run([shutil.which("node") or "node", str(RUN), str(self.script), str(self.state), *action],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])["log"]

    @property
    def properties(self) -> dict[str, str]:
        return json.loads(self.state.read_text())["properties"]

    def waiting(self) -> list[str]:
        return sorted(key.split(":", 1)[1] for key in self.properties if key.startswith("pending:"))


@pytest.fixture
def desk(tmp_path):
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "desk"), "WEBHOOK_SECRET": SECRET})
    desk = Desk(app, free_port())
    desk.up()
    yield desk
    if desk._server is not None and desk._thread.is_alive():
        desk.down()


@pytest.fixture
def google(desk, tmp_path):
    script = tmp_path / "Code.gs"
    script.write_text(apps_script(f"http://127.0.0.1:{desk.port}"))
    google = Google(script, tmp_path / "google-state.json")
    google.run("create")
    google.run("set-property", "HELPT_WEBHOOK_SECRET", SECRET)
    return google


def _response(log: list[str]) -> str:
    return next(line.split(" ", 1)[1] for line in log if line.startswith("response "))


def test_create_makes_every_form_a_submit_trigger_each_and_one_resend_trigger(google):
    state = json.loads(google.state.read_text())
    assert len(state["forms"]) == 6
    kinds = sorted((t["kind"], t["handler"]) for t in state["triggers"])
    assert kinds == [("clock", "resendPending")] + [("formSubmit", "onHelptSubmit")] * 6
    google.run("create")  # a second run makes new forms, but never a second resend trigger
    assert sum(t["kind"] == "clock" for t in json.loads(google.state.read_text())["triggers"]) == 1


def test_a_response_is_accepted_when_the_desk_is_up(desk, google):
    response = _response(google.run("submit", "offer", "en", json.dumps(OFFER_EN)))
    assert desk.submission_ids() == [response]
    [entry] = desk.app.extensions["helpt.journal"].pending(10)
    assert entry.record["channel"] == "google_form" and entry.record["full_name"] == "Alex Morgan"
    assert entry.record["tasks"] == "Groceries, Phone chat"
    assert google.waiting() == []


def test_responses_during_an_outage_are_delivered_exactly_once_when_the_desk_is_back(desk, google, tmp_path):
    first = _response(google.run("submit", "offer", "en", json.dumps(OFFER_EN)))
    desk.down()  # the desk is unreachable: a deploy, a crash, a network cut
    during = [_response(google.run("submit", "offer", "en", json.dumps({**OFFER_EN, "Name": f"Person {n}"})))
              for n in range(3)]
    assert google.waiting() == sorted(during)
    log = google.run("minute")
    assert google.waiting() == sorted(during) and any("unreachable" in line for line in log)
    # Back, but answering 503 (no secret configured yet after a redeploy): still kept.
    misconfigured = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "other")})
    desk.up(misconfigured)
    google.run("minute")
    assert google.waiting() == sorted(during)
    desk.down()
    desk.up()  # the real desk again
    google.run("minute")
    assert google.waiting() == []
    assert desk.submission_ids() == sorted([first, *during])
    google.run("minute")  # nothing left to send, nothing sent twice
    assert desk.submission_ids() == sorted([first, *during])


def test_a_response_whose_acknowledgement_was_lost_is_sent_again_and_stored_once(desk, google):
    response = _response(google.run("submit", "offer", "en", json.dumps(OFFER_EN)))
    form_id = next(key.split(":", 1)[1] for key in google.properties if key.startswith("form:")
                   and json.loads(google.properties[key]) == {"form": "offer", "lang": "en"})
    # As if the run was cut short after the post and before the property was removed.
    google.run("set-property", f"pending:{response}", json.dumps({"formId": form_id, "responseId": response}))
    google.run("minute")
    assert google.waiting() == [] and desk.submission_ids() == [response]


def test_a_response_the_desk_refuses_is_set_aside_with_the_reason_not_resent_for_ever(desk, google):
    bad = {**OFFER_EN, "Phone number": "12345"}
    response = _response(google.run("submit", "offer", "en", json.dumps(bad)))
    assert google.waiting() == [] and desk.submission_ids() == []
    assert google.properties[f"refused:{response}"].startswith("400 ")


@pytest.mark.parametrize("url, reachable", [
    ("https://helpt.leuven.be", True),
    ("https://203.0.113.10", False),  # documentation range: reserved
    ("https://8.8.8.8/desk", True),
    ("http://helpt.leuven.be", False),
    ("https://127.0.0.1:8000", False),
    ("https://localhost", False),
    ("https://10.1.2.3", False),
    ("https://192.168.1.20", False),
    ("https://[::1]", False),
    ("https://intranet", False),
    ("helpt.leuven.be", False),
])
def test_the_script_is_only_generated_for_an_address_google_can_reach(url, reachable):
    assert (unreachable_for_google(url) is None) == reachable


def test_the_command_refuses_a_loopback_url_with_a_clear_message(capsys):
    assert main(["forms", "apps-script", "--url", "http://127.0.0.1:8000"]) == 1
    error = capsys.readouterr().err
    assert "Google's servers cannot post to http://127.0.0.1:8000" in error and "https://" in error
