"""The desk as a city installs it: a wheel in a fresh virtual environment, run outside the source tree.

The other tests import the source tree, which holds files a wheel might leave
out (templates, data). Here the wheel is built, installed with its dependencies
into a new venv in a temporary folder, and the installed `helpt serve` answers
every page and the API as it does from the source.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

import pytest
import requests

from sheets_schema.fields import LANGUAGES
from sheets_schema.forms import FORMS
from webhooks.signature import sign

from .desk_process import desk_environment, start_desk

SOURCE = Path(__file__).resolve().parent.parent
SECRET = "wheel-test-secret"
OFFER = json.loads((SOURCE / "tests" / "data" / "intake" / "offer_nl.json").read_text())


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The `bin` folder of a fresh venv holding the project's wheel and nothing from the source tree."""
    root = tmp_path_factory.mktemp("wheel")
    # Build from a copy without what an editable install leaves behind: setuptools would
    # take the file list of a stale *.egg-info and hide a file missing from package-data.
    shutil.copytree(SOURCE, root / "source", ignore=shutil.ignore_patterns(
        ".git", ".venv", "*.egg-info", "build", "helpt-data", "node_modules", "__pycache__", ".pytest_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", root / "dist",
                    root / "source"], check=True, cwd=root)
    [wheel] = (root / "dist").glob("helpt-*.whl")
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", wheel], check=True, cwd=root,
                   env=desk_environment({}))
    return bin_dir


def test_the_installed_modules_come_from_the_venv_not_the_source(installed, tmp_path):
    where = subprocess.run(
        [installed / "python", "-c", "import webhooks, sheets_schema; print(webhooks.__file__, "
                                     "sheets_schema.__file__)"],
        cwd=tmp_path, env=desk_environment({}), capture_output=True, text=True, check=True).stdout.split()
    assert all(str(installed.parent) in path for path in where), where


def test_every_page_and_the_api_answer_from_the_installed_desk(installed, tmp_path):
    desk, url = start_desk([installed / "helpt", "serve"], tmp_path, {
        "HELPT_DATA_DIR": str(tmp_path / "data"), "HELPT_PORT": "0", "HELPT_SHEETS_PORT": "0",
        "HELPT_WEBHOOK_SECRET": SECRET, "HELPT_SYNC_EVERY": "0", "HELPT_FORM_RATE_LIMIT": "2"})
    try:
        web = requests.Session()
        assert web.get(url, timeout=10).status_code == 200
        assert web.get(url + "healthz", timeout=10).json() == {"status": "ok"}
        style = web.get(url + "static/desk.css", timeout=10)  # a file: the pages' policy forbids inline styles
        assert style.status_code == 200 and "font-family" in style.text
        for language in LANGUAGES:
            for form_id in FORMS:
                page = web.get(f"{url}{language}/{form_id}", timeout=10)
                assert page.status_code == 200 and f'lang="{language}"' in page.text, (language, form_id)
                thanks = web.get(f"{url}{language}/{form_id}/thanks", timeout=10)
                assert thanks.status_code == 200, (language, form_id)
        # A real post: CSRF cookie from the page, then the thank-you page it redirects to.
        token = web.cookies["helpt_csrf"]
        posted = web.post(f"{url}en/offer", timeout=10, data={
            "csrf_token": token, "full_name": "Wheel Tester", "phone": "0470 12 34 56", "postcode": "3000",
            "languages": "en", "tasks": "groceries", "consent_privacy": "yes"})
        assert posted.status_code == 200 and "/en/offer/thanks?ref=S-" in posted.url, posted.text[:500]
        # The rate-limit page (a template of its own) renders too: the limit here is 2 a minute.
        limited = web.post(f"{url}en/offer", timeout=10, data={"csrf_token": token})
        limited = limited if limited.status_code == 429 else web.post(f"{url}en/offer", timeout=10,
                                                                      data={"csrf_token": token})
        assert limited.status_code == 429 and "<form" in limited.text
        # The neighbour card's PDF: its fonts are package data too.
        card = web.post(f"{url}nl/card", timeout=30, data={"name": "An", "phone": "0470 12 34 56",
                                                            "tasks": "groceries", "languages": "nl", "action": "pdf"})
        assert card.status_code == 200 and card.content.startswith(b"%PDF"), card.text[:300]
        raw = json.dumps({**OFFER, "submission_id": "wheel-1"}).encode()
        reply = requests.post(url + "api/v1/submissions", data=raw, timeout=10, headers={
            "Content-Type": "application/json", "X-Helpt-Signature": sign(SECRET, raw)})
        assert reply.status_code == 202, reply.text
    finally:
        desk.send_signal(signal.SIGTERM)
        output = desk.communicate(timeout=60)[0]
    assert desk.returncode == 0, output
    assert "Traceback" not in output, output
