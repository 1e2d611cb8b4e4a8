"""The outbox never double-sends and never forgets: two senders on one database, and a sender killed
mid-round, against a real SMTP server on loopback; SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from pathlib import Path

import pytest

from desk_db import open_database
from desk_db.handovers import Handovers, Letter
from sync.postman import Refused, SmtpPostman, deliver

from .servers import smtp_server

ROOT = Path(__file__).parent.parent


def _queue(handovers: Handovers, n: int) -> None:
    handovers.record([], [Letter(f"R-{i:06d}", "V-000001", 1, "case", "nl", "email", f"v{i}@example.org",
                                 f"m{i}", "Dag Ann,\n\nhttp://desk.test/nl/answer/x") for i in range(n)])


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    return "" if request.param == "sqlite" else request.getfixturevalue("postgres_url")


def test_queueing_a_message_twice_keeps_one(tmp_path):
    handovers = Handovers(open_database("", tmp_path))
    _queue(handovers, 3)
    _queue(handovers, 3)
    assert handovers.counts() == {"queued": 3}


def test_two_senders_on_one_database_send_every_message_once(database_url, tmp_path):
    first, second = (Handovers(open_database(database_url, tmp_path)) for _ in range(2))
    _queue(first, 200)
    with smtp_server() as (port, mailbox):
        def send(handovers: Handovers) -> None:
            while deliver(handovers, SmtpPostman(f"smtp://127.0.0.1:{port}", "desk@helpt.test"), limit=7).sent:
                pass

        threads = [threading.Thread(target=send, args=(h,)) for h in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        subjects = Counter(m["Subject"] for m in mailbox.messages)
    assert len(subjects) == 200 and set(subjects.values()) == {1}
    assert first.counts() == {"sent": 200}


_WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from desk_db import open_database
    from desk_db.handovers import Handovers
    from sync.postman import SmtpPostman, deliver
    url, folder, port, ahead = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    handovers = Handovers(open_database(url, Path(folder)), clock=lambda: time.time() + ahead)
    while deliver(handovers, SmtpPostman(f"smtp://127.0.0.1:{port}", "desk@helpt.test"), limit=20).sent:
        pass
""")


def test_a_sender_killed_mid_round_resends_at_most_the_message_it_was_handing_over(database_url, tmp_path):
    handovers = Handovers(open_database(database_url, tmp_path))
    _queue(handovers, 500)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with smtp_server() as (port, mailbox):
        worker = subprocess.Popen([sys.executable, "-c", _WORKER, database_url, str(tmp_path), str(port), "0"],
                                  env=env, cwd=tmp_path)
        with mailbox.arrived:
            assert mailbox.arrived.wait_for(lambda: len(mailbox.messages) >= 150, timeout=120)
            os.kill(worker.pid, signal.SIGKILL)  # while the server holds the lock: mid-round, not at its end
        worker.wait()
        assert 150 <= len(mailbox.messages) < 500
        # Restarted later: the killed sender's leases have run out (its clock an hour ahead).
        subprocess.run([sys.executable, "-c", _WORKER, database_url, str(tmp_path), str(port), "3600"],
                       env=env, cwd=tmp_path, check=True, timeout=300)
        subjects = Counter(m["Subject"] for m in mailbox.messages)
    assert set(subjects) == {f"m{i}" for i in range(500)}  # every message delivered
    assert sum(subjects.values()) - 500 <= 1  # at most one twice
    assert handovers.counts() == {"sent": 500}


class _Refusing:
    """A postman whose server refuses the first message for good and is down for the second."""

    def __init__(self) -> None:
        self.calls = 0

    def send(self, message) -> None:
        self.calls += 1
        if message.subject == "m0":
            raise Refused("SMTP 550")
        raise ConnectionRefusedError()

    def close(self) -> None:
        pass


def test_a_refused_address_is_not_tried_again_and_a_server_down_is(tmp_path):
    handovers = Handovers(open_database("", tmp_path))
    _queue(handovers, 2)
    report = deliver(handovers, _Refusing())
    assert (report.sent, report.retried, report.failed) == (0, 1, 1)
    assert handovers.counts() == {"failed": 1, "queued": 1}
    assert deliver(handovers, _Refusing()).retried == 0  # not due yet: tried again after a minute
    states = handovers.letter_states()
    assert states[("R-000000", "V-000001", 1)]["case"][:3] == ("failed", None, "SMTP 550")


def test_the_handovers_memory_works_the_same_on_both_databases(database_url, tmp_path):
    from dataclasses import replace

    from desk_db.handovers import Handover

    handovers = Handovers(open_database(database_url, tmp_path))
    asked = Handover("R-000001", "V-000001", 1, "offered", 100.0)
    handovers.record([asked], [])
    handovers.record([replace(asked, told_at=5.0)], [])  # an update, not a second row
    assert handovers.known() == {("R-000001", "V-000001"): replace(asked, told_at=5.0)}
    assert handovers.answer("R-000001", "V-000001", 2, "accepted")[0] is False  # another round's link
    taken, now = handovers.answer("R-000001", "V-000001", 1, "accepted")
    assert taken and now.state == "accepted"
    assert handovers.answer("R-000001", "V-000001", 1, "declined")[0] is False  # the first answer stays
    handovers.choose("V-000002", "paused")
    handovers.choose("V-000002", "active")
    assert handovers.choices()["V-000002"][0] == "active"
    assert handovers.key("outbox") == handovers.key("outbox") != handovers.key("answer_links")
    _queue(handovers, 2)
    assert handovers.forget(["V-000002", "R-000000"], []) == 2  # the choice and R-000000's message
    assert handovers.counts() == {"queued": 1}
    assert handovers.erase_all() == 2 and handovers.known() == {} and handovers.counts() == {}


def test_the_handovers_state_moves_with_what_the_plans_read_and_not_with_thank_yous_sent(database_url, tmp_path):
    """What a sync compares to know the handover is as it left it (sync/unchanged.py): a case letter
    sent changes it (its cell says "mailed"); a thank-you sent does not (only its existence counts)."""
    from sync.postman import LocalPostman

    handovers = Handovers(open_database(database_url, tmp_path))
    thanks = Letter("", "V-000002", 0, "thanks", "nl", "email", "an@example.org", "Bedankt", "Dag An")
    states = [handovers.state()]
    handovers.record([], [thanks])
    states.append(handovers.state())
    assert deliver(handovers, LocalPostman(handovers)).sent == 1
    states.append(handovers.state())
    _queue(handovers, 1)
    states.append(handovers.state())
    assert deliver(handovers, LocalPostman(handovers)).sent == 1
    states.append(handovers.state())
    handovers.choose("V-000002", "paused")
    states.append(handovers.state())
    assert states[0] != states[1] == states[2] != states[3] != states[4] != states[5]
    assert len(set(states)) == 5
