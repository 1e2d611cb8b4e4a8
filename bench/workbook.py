"""How the Workbook and the local Sheets server hold up on a big back office.

Builds a Volunteers tab of N rows on a fresh local server (in this process, over
loopback, through gspread), then times one full read of every tab, one write of
a system column on every row, and one append, with the API calls each took.

    .venv/bin/python bench/workbook.py --rows 100000

Prints the machine, the sizes and the figures. Stops by itself.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

import local_sheets
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS, VOLUNTEERS
from sheets_schema.workbook import column_letters, open_local, quote_title


def _volunteer(n: int) -> dict[str, str]:
    return {
        "volunteer_id": f"V-{n:06d}", "full_name": f"Vrijwilliger {n}", "phone": f"+3247{n:07d}",
        "email": f"v{n}@example.org", "street": f"Straat {n % 300}", "postcode": "3000",
        "languages": "nl, en", "tasks": "groceries, pharmacy", "transport": "bike",
        "screening": "to_screen", "status": "active", "submission_ids": f"s-{n}",
    }


def _timed(label: str, workbook, action) -> object:
    calls, start = workbook.api_calls, time.perf_counter()
    result = action()
    print(f"{label:<34} {time.perf_counter() - start:8.2f} s  {workbook.api_calls - calls:3d} API calls")
    return result


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=20_000, help="rows per append while building")
    args = parser.parse_args()
    print(f"machine: {_cpu()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; rows: {args.rows:,} volunteers")
    with tempfile.TemporaryDirectory() as data:
        server = local_sheets.start(Path(data))
        try:
            workbook = open_local(server.url, token=server.token, title="bench")
            _timed("init", workbook, lambda: init_spreadsheet(workbook, TABS))
            sheet = workbook.read([VOLUNTEERS])["volunteers"]
            start = time.perf_counter()
            for first in range(1, args.rows + 1, args.chunk):
                last = min(first + args.chunk, args.rows + 1)
                workbook.append(sheet, [_volunteer(n) for n in range(first, last)])
            print(f"{'build (appends of ' + format(args.chunk, ',') + ')':<34} "
                  f"{time.perf_counter() - start:8.2f} s")
            sheets = _timed("read every tab", workbook, lambda: workbook.read(TABS))
            volunteers = sheets["volunteers"]
            column = volunteers.positions["synced_at"]
            a1 = f"{quote_title(volunteers.title)}!{column_letters(column)}2"
            _timed("write one column on every row", workbook,
                   lambda: workbook.write({a1: [["2026-11-27 12:00"]] * len(volunteers.rows)}))
            _timed("append 100 rows", workbook,
                   lambda: workbook.append(volunteers, [_volunteer(args.rows + n) for n in range(1, 101)]))
            again = _timed("read every tab again", workbook, lambda: workbook.read(TABS))
            assert len(again["volunteers"].rows) == args.rows + 100
        finally:
            server.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (client and server, one process): {peak_mb:,.0f} MiB")


if __name__ == "__main__":
    main()
