"""The `helpt` command as a person runs it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading

import pytest
import requests

from helpt.cli import build_parser, main
from helpt.commands import interrupt
from sheets_schema.fields import LANGUAGES


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert command in capsys.readouterr().out


def test_every_command_is_in_the_readme():
    readme = open(os.path.join(os.path.dirname(__file__), "..", "README.md")).read()
    for command in _subcommands():
        assert f"helpt {command}" in readme


_HEAVY = ("pandas", "numpy", "scipy", "gspread", "openpyxl", "sqlalchemy", "flask", "rapidfuzz", "phonenumbers")


@pytest.mark.parametrize("argv", [["--help"], ["schema"], ["sync", "--help"]])
def test_help_and_schema_load_no_heavy_library(argv, tmp_path):
    """`helpt --help` and `helpt schema` answer at once: they import none of the libraries the jobs need
    (bench/startup.py measures the time)."""
    probe = ("import sys, contextlib, io\nfrom helpt.cli import main\n"
             "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
             f"    main({argv!r})\n"
             f"print(sorted(m for m in {_HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0 and loaded.stdout.strip().splitlines()[-1] == "[]", loaded.stdout + loaded.stderr


def test_python_dash_m_helpt_is_the_helpt_command(tmp_path):
    ran = subprocess.run([sys.executable, "-m", "helpt", "schema"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    assert ran.returncode == 0 and "Hulpvragen  [requests, master]" in ran.stdout


def test_schema_json_has_every_label_in_every_language(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert main(["schema", "--json"]) == 0
    contract = json.loads(capsys.readouterr().out)
    tabs = {tab["id"]: tab for tab in contract["tabs"]}
    assert {"requests", "volunteers", "tasks", "areas", "partners", "stats", "log"} <= set(tabs)
    for tab in contract["tabs"]:
        for column in tab["columns"]:
            assert all(column["labels"][lang].strip() for lang in LANGUAGES), (tab["id"], column["id"])
    fields = {q["field_id"] for form in contract["forms"] for q in form["questions"]}
    assert fields == {"full_name", "phone", "email", "street", "postcode", "languages", "tasks",
                      "transport", "availability", "profile_ok", "consent_privacy", "consent_partners",
                      "details", "needed_count", "organisation", "on_behalf_of"}


def test_init_on_a_running_local_server(server, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPT_SHEETS_URL", server.url)
    monkeypatch.setenv("HELPT_SHEETS_TOKEN", server.token)
    monkeypatch.setenv("HELPT_SPREADSHEET_TITLE", "cli-init")
    assert main(["init", "--dry-run"]) == 0
    assert "Would do: added tabs" in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "added tabs" in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "nothing changed" in capsys.readouterr().out


def test_bad_setting_is_a_one_line_error(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPT_BACKEND", "google")
    assert main(["init"]) == 1
    assert capsys.readouterr().err.startswith("helpt: HELPT_BACKEND=google needs")


def test_serve_brings_the_desk_up_on_the_local_backend_and_says_where_to_look(tmp_path):
    env = {**os.environ, "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_PORT": "0",
           "HELPT_SHEETS_PORT": "0", "PYTHONUNBUFFERED": "1"}
    for name in ("HELPT_SHEETS_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND"):
        env.pop(name, None)
    desk = subprocess.Popen([sys.executable, "-m", "helpt.cli", "serve"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed = []
        for line in desk.stdout:  # blocks until the desk has said each line
            printed.append(line)
            if "Press Ctrl+C" in line:
                break
        text = "".join(printed)
        desk_url = re.search(r"desk \(forms and intake API\): (\S+)", text).group(1)
        view_url = re.search(r"back office \(the spreadsheet\): (\S+)", text).group(1)
        health = requests.get(desk_url + "healthz", timeout=10)
        assert health.json() == {"status": "ok"}
        assert health.headers["Server"] == "helpt"  # waitress, not Werkzeug's development server
        home = requests.get(desk_url, timeout=10).text
        assert view_url not in home and "spreadsheets/" not in home  # the back office is not the public's
        browser = requests.Session()
        view = browser.get(view_url, timeout=10)  # the one-time link signs this browser in
        assert view.status_code == 200 and "Vrijwilligers" in view.text and "token=" not in view.url
        assert browser.get(view.url + "/export.xlsx", timeout=10).status_code == 200
        # The link is spent, and without the cookie the view shows nothing of the spreadsheet.
        for stranger in (requests.get(view_url, timeout=10), requests.get(view.url, timeout=10),
                         requests.get(view.url + "/export/Vrijwilligers.csv", timeout=10)):
            assert stranger.status_code == 401 and "Vrijwilligers" not in stranger.text
            assert stranger.headers["X-Frame-Options"] == "DENY"
    finally:
        desk.send_signal(signal.SIGTERM)  # as a process manager stops it
        rest = desk.communicate(timeout=30)[0]
    assert "Stopping." in rest and desk.returncode == 0
    assert (tmp_path / "data").is_dir()


def test_a_second_sigterm_does_not_cut_short_the_stop_the_first_began():
    """`make run` stopped by `timeout` gets SIGTERM twice (the group's and make's); the second used to
    raise in the middle of the stop, with a traceback, before the local server closed its database."""
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(signal.SIGTERM)  # (its handler runs before raise_signal returns)
        try:
            signal.raise_signal(signal.SIGTERM)  # ignored: the stop goes on
        except KeyboardInterrupt:
            pytest.fail("a second SIGTERM interrupted the stop")
        assert signal.getsignal(signal.SIGTERM) == signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_every_page_the_readme_and_the_docs_point_to_exists():
    root = os.path.join(os.path.dirname(__file__), "..")
    for page in ["README.md", *(os.path.join("docs", name) for name in os.listdir(os.path.join(root, "docs")))]:
        folder = os.path.dirname(os.path.join(root, page))
        for target in re.findall(r"\]\(([^)#:]+)\)", open(os.path.join(root, page)).read()):
            assert os.path.exists(os.path.join(folder, target)), (page, target)


def test_serve_syncs_every_few_seconds_and_logs_what_each_sync_did(tmp_path):
    """The periodic sync of `helpt serve` (a child `helpt sync` each time, on the desk's running local
    server): a form posted to the desk becomes a Vrijwilligers row, and the desk's log says so."""
    import queue
    import threading

    env = {**os.environ, "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_PORT": "0", "HELPT_SHEETS_PORT": "0",
           "HELPT_SYNC_EVERY": "1", "PYTHONUNBUFFERED": "1"}
    for name in ("HELPT_SHEETS_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND"):
        env.pop(name, None)
    desk = subprocess.Popen([sys.executable, "-m", "helpt.cli", "serve"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in desk.stdout], daemon=True).start()

    def said(pattern: str) -> re.Match:
        while True:
            found = re.search(pattern, lines.get(timeout=60))  # each line as the desk says it, at most a minute
            if found:
                return found

    try:
        desk_url = said(r"desk \(forms and intake API\): (\S+)").group(1)
        session = requests.Session()
        page = session.get(desk_url + "nl/offer", timeout=10).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        reply = session.post(desk_url + "nl/offer", timeout=10, data={
            "csrf_token": csrf, "full_name": "Lotte Maes", "phone": "0470 44 44 44", "postcode": "3000",
            "languages": "nl", "tasks": "groceries", "consent_privacy": "yes"})
        assert reply.status_code == 200
        said(r"INFO helpt\.sync: Gesynchroniseerd .*Vrijwilligers: 1 toegevoegd")
    finally:
        desk.send_signal(signal.SIGTERM)
        desk.wait(timeout=60)
    assert desk.returncode == 0


def test_the_worker_upkeeps_after_a_failed_sync_and_not_after_one_that_worked(tmp_path, monkeypatch):
    """The worker's rounds (helpt/periodic.py): a round whose `helpt sync` fails runs `after_failure` (the
    worker sends what the handover queued there), and a round that worked does not, since its sync sent
    what it queued itself. The desk's first sync fails (no tabs yet); `after_failure` lays them out, and
    the next round's sync works."""
    import logging

    from helpt.periodic import Rounds

    env = {**os.environ, "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_SHEETS_PORT": "0"}
    for name in ("HELPT_SHEETS_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND"):
        env.pop(name, None)
    monkeypatch.chdir(tmp_path)  # the children read no .env but the test's
    rounds = Rounds(0, env)
    failures: list[str] = []
    said: list[str] = []

    def after_failure() -> None:
        failures.append(said[-1] if said else "")
        subprocess.run([sys.executable, "-m", "helpt.cli", "init"], env=env, check=True, capture_output=True)

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())
            if record.getMessage().startswith("Gesynchroniseerd"):
                rounds.end()  # the round that worked: no next one

    listener = Listener()
    logger = logging.getLogger("helpt.sync")
    logger.addHandler(listener)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        rounds.run(after_failure=after_failure)
    finally:
        logger.removeHandler(listener)
        logger.setLevel(level)
    assert len(failures) == 1 and "sync failed (exit 1)" in failures[0]
    assert said[-1].startswith("Gesynchroniseerd") and "sync failed" not in " ".join(said[said.index(failures[0]) + 1:])


def test_the_worker_looks_often_and_syncs_at_most_every_so_many_seconds():
    """Between syncs the worker looks every LOOK_EVERY seconds whether a sync would read anything
    (helpt/periodic.py): on a calm desk a change is synced at the look that sees it, while on a busy one
    syncs start no sooner than HELPT_SYNC_EVERY seconds after the last one ended. Waits are recorded on
    a clock of the test's, not slept; each sync is a real child process."""
    from helpt.periodic import LOOK_EVERY, Rounds

    rounds = Rounds(60, os.environ)
    assert rounds.look == LOOK_EVERY == 15
    now = [1000.0]
    waits: list[float] = []
    syncs: list[float] = []

    class Clock(threading.Event):
        def wait(self, timeout: float | None = None) -> bool:
            waits.append(timeout or 0.0)
            now[0] += timeout or 0.0
            return self.is_set()

    # What each look answers: a change, the sync's own writes, calm, an edit, another edit, calm.
    answers = [False, False, True, False, False, True]

    def needless() -> bool:
        if not answers:
            rounds.end()
            return True
        if not answers[0]:
            syncs.append(now[0])
        return answers.pop(0)

    rounds.stop, rounds.clock, rounds.needless = Clock(), lambda: now[0], needless
    rounds.command = [sys.executable, "-c", "print('Gesynchroniseerd.')"]
    rounds.run()
    # The first sync at once. Its own writes, seen by the look right after it, are read 60 s after it
    # ended. That sync calms the desk: the edit seen at the next look is synced at once; the one seen
    # right after that sync waits until 60 s after it. 15 s after each calm look, and one at the end.
    assert syncs == [1000, 1000, 1075, 1075]  # the looks that said "sync"
    assert waits == [60, 15, 60, 15, 15]


def test_a_worker_round_with_nothing_to_read_starts_no_sync_process(tmp_path, monkeypatch):
    """The worker asks Drive first (helpt/periodic.py, sync/unchanged.py): while the spreadsheet is as a
    quiet sync read it, a round starts no `helpt sync` process; a new sign-up, and the next round does,
    and merges it."""
    import logging

    from helpt.commands import desk_and_database, nothing_to_read, upkeep
    from helpt.periodic import Rounds
    from sheets_schema.layout import init_spreadsheet
    from sheets_schema.settings import load_settings
    from sheets_schema.tabs import TABS

    from .sync_helpers import add, submission

    env = {**os.environ, "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_SHEETS_PORT": "0"}
    for name in ("HELPT_SHEETS_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND"):
        env.pop(name, None)
    monkeypatch.chdir(tmp_path)  # the children read no .env but the test's
    answers: list[bool] = []
    synced: list[str] = []

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("Gesynchroniseerd"):
                synced.append(record.getMessage())

    logger = logging.getLogger("helpt.sync")
    listener, level = Listener(), logger.level
    logger.addHandler(listener)
    logger.setLevel(logging.INFO)
    # The children find this desk's local server running on the data folder, as under `helpt serve`.
    with desk_and_database(load_settings(env, env_file=None)) as (desk, database):
        init_spreadsheet(desk.workbook, TABS)
        jobs = upkeep(load_settings(env, env_file=None), database, desk)
        rounds = Rounds(0, env)

        def needless() -> bool:
            answers.append(nothing_to_read(jobs, desk.workbook, 0))
            if answers[-1] and answers.count(True) == 1:  # a quiet desk: then someone signs up
                add(desk.workbook, offers=[("nl", submission("S-1", "Lotte Maes", phone="0470 44 44 44"))])
            elif answers[-1] or len(answers) == 12:  # (a bound: without the check, rounds never end)
                rounds.end()
            return answers[-1]

        rounds.needless = needless
        try:
            rounds.run()
        finally:
            logger.removeHandler(listener)
            logger.setLevel(level)

    first_quiet = answers.index(True)
    assert answers[-1] and answers[first_quiet + 1] is False  # the sign-up: the next round syncs
    assert len(synced) == answers.count(False)  # a process for every round that had something to read
    merged = [line for line in synced[first_quiet:] if "Vrijwilligers: 1 toegevoegd" in line]
    assert len(merged) == 1
