"""How long a sign-up on a calm desk waits for the worker: from its row in an intake tab to its Volunteers row.

    .venv/bin/python bench/pace.py [--samples 6] [--every 60] [--code DIR]

Starts a local desk (its local server in this process, as `helpt serve` would have it) and the
Procfile's worker, `helpt sync --every N`, both from the checkout DIR (default: this one), so that
two versions of the worker can be measured one after the other on the same machine. Each
sample waits until the desk is calm (a sync would read nothing: sync/unchanged.py), then a random
part of N seconds (the same seeded draws for every run), appends one sign-up to an intake tab, and
polls the Volunteers tab every quarter second until its row is there. Reports each wait, their
mean and their maximum. (The desk runs DIR's code too: whether a sync would read nothing
depends on the code's version, sync/unchanged.py.)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _until(done, timeout: float, every: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up after {timeout:g} s")
        time.sleep(every)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=6)
    parser.add_argument("--every", type=float, default=60.0, help="the worker's HELPT_SYNC_EVERY")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose worker runs")
    args = parser.parse_args()
    code = args.code.resolve()
    sys.path.insert(0, str(code))
    from helpt.commands import desk_and_database, upkeep
    from sheets_schema.answers import split_list
    from sheets_schema.layout import init_spreadsheet
    from sheets_schema.settings import load_settings
    from sheets_schema.tabs import TABS, VOLUNTEERS
    from sync.job import reads_nothing
    from tests.sync_helpers import add, submission

    draws = random.Random(17)

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "HELPT_DATA_DIR": str(Path(folder, "data")), "HELPT_SHEETS_PORT": "0",
               "PYTHONPATH": str(code)}
        for name in ("HELPT_SHEETS_URL", "HELPT_SPREADSHEET_ID", "GOOGLE_APPLICATION_CREDENTIALS", "HELPT_BACKEND",
                     "DATABASE_URL"):
            env.pop(name, None)
        settings = load_settings(env, env_file=None)
        with desk_and_database(settings) as (desk, database):
            init_spreadsheet(desk.workbook, TABS)
            add(desk.workbook, offers=[("nl", submission("S-0", "Lotte Maes", phone="0470 44 44 44"))])
            jobs = upkeep(settings, database, desk)
            worker = subprocess.Popen([sys.executable, "-m", "helpt", "sync", "--every", f"{args.every:g}"],
                                      env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            waits = []
            try:
                for n in range(1, args.samples + 1):
                    _until(lambda: reads_nothing(desk.workbook, jobs), timeout=10 * args.every, every=1.0)
                    time.sleep(draws.uniform(0, args.every))
                    sid = f"S-{n}"
                    add(desk.workbook, offers=[("nl", submission(sid, f"Lotte Maes{n}", phone=f"0470 44 44 {n:02d}"))])
                    started = time.monotonic()
                    _until(lambda sid=sid: any(sid in split_list(row.get("submission_ids", "")) for row in
                                               desk.workbook.read([VOLUNTEERS])[VOLUNTEERS.id].records()),
                           timeout=10 * args.every, every=0.25)
                    waits.append(time.monotonic() - started)
                    print(f"  sign-up {n}: {waits[-1]:.1f} s", flush=True)
            finally:
                worker.terminate()
                worker.wait(timeout=60)
    print(f"worker of {code}, HELPT_SYNC_EVERY={args.every:g}: mean {statistics.mean(waits):.1f} s, "
          f"longest {max(waits):.1f} s over {len(waits)} sign-ups")


if __name__ == "__main__":
    main()
