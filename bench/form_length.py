"""How long the public forms are on a phone: screens of a 375×812 viewport (an iPhone X/11 Pro,
a common phone size) down to the first required answer and down to the Send button.

    .venv/bin/python bench/form_length.py [--rev REV]

Renders every page (request, offer, organisation) in nl, en and fr in
Debian's headless Chromium (scripts/install-test-tools installs it) and
measures where the elements end, in CSS pixels, divided by 812. With --rev,
the same is measured for a git revision of this repository, checked out in
a temporary work tree, first, so a change is seen before and after in one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 375, 812
PAGES = ("request", "offer", "organisation")

# Run inside the revision measured, so its own templates and forms are used.
_MEASURE = r'''
import json, shutil, sys, tempfile, threading
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from werkzeug.serving import make_server
from webhooks import create_app

app = create_app({"TESTING": True, "DATA_DIR": tempfile.mkdtemp(), "DESK_PHONE": "016 27 20 00"})
server = make_server("127.0.0.1", 0, app, threaded=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
options = webdriver.ChromeOptions()
options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             f"--window-size={sys.argv[1]},{sys.argv[2]}", f"--user-data-dir={tempfile.mkdtemp()}"):
    options.add_argument(flag)
browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
# The phone's own viewport, as Chrome's device mode emulates it: 375x812 CSS pixels, no browser bars.
browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
    "width": int(sys.argv[1]), "height": int(sys.argv[2]), "deviceScaleFactor": 3, "mobile": True})
out = {}
for page in sys.argv[3].split(","):
    for lang in ("nl", "en", "fr"):
        browser.get(f"http://127.0.0.1:{server.server_port}/{lang}/{page}")
        out[f"{page} {lang}"] = browser.execute_script(
            "const top = e => e.getBoundingClientRect().top + window.scrollY;"
            "const bottom = e => e.getBoundingClientRect().bottom + window.scrollY;"
            "const form = document.querySelector('main form[novalidate]');"
            "const required = [...form.querySelectorAll('[required], fieldset')]"
            "  .find(e => e.matches('[required]') || e.querySelector('legend span'));"
            "return [required ? top(required) : 0, bottom(form.querySelector(':scope > button[type=submit]')),"
            "        document.documentElement.scrollHeight, window.innerHeight];")
browser.quit()
server.shutdown()
print(json.dumps(out))
'''


def measure(tree: Path) -> dict[str, list[float]]:
    reply = subprocess.run([sys.executable, "-c", _MEASURE, str(WIDTH), str(HEIGHT), ",".join(PAGES)], cwd=tree,
                           check=True, capture_output=True, text=True)
    return json.loads(reply.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rev", help="also measure this git revision (before), e.g. HEAD~1")
    args = parser.parse_args()
    runs = {}
    if args.rev:
        with tempfile.TemporaryDirectory() as temporary:
            tree = Path(temporary) / "tree"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.rev], check=True,
                           capture_output=True)
            try:
                runs[args.rev] = measure(tree)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True)
    runs["now"] = measure(ROOT)
    print(f"Screens of a {WIDTH}x{HEIGHT} phone viewport (Chrome device emulation) to the first required question "
          f"(its top) and to the Send button (its bottom); page height in screens.")
    for name, results in runs.items():
        print(f"\n{name}:")
        for page, (required, send, total, window) in results.items():
            print(f"  {page:<16} first required {required / window:4.1f}   Send {send / window:4.1f}   "
                  f"page {total / window:4.1f}")


if __name__ == "__main__":
    main()
