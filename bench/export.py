"""Peak memory and time of `helpt export --format xlsx` on a 100,000-row Volunteers tab.

    .venv/bin/python bench/export.py [--rows 100000]

The local server runs in its own process; each export runs in a fresh child
process, whose peak resident memory (VmHWM, see bench/memory.py) is reported. Side by side in
the same run: the xlsx writer as it was (openpyxl's normal mode, every cell an
object in memory until saved) and the one helpt has now (write-only mode,
row by row), on the same rows read through the same Workbook.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.local_server import local_server  # noqa: E402
from bench.memory import peak_mb  # noqa: E402
from sheets_schema.layout import init_spreadsheet  # noqa: E402
from sheets_schema.tabs import TABS, VOLUNTEERS  # noqa: E402
from sheets_schema.workbook import RetryPolicy, open_local  # noqa: E402

PATIENT = RetryPolicy(attempts=3, timeout=1800)


def _child(url: str, token: str, spreadsheet_id: str, out: str, writer: str) -> None:
    from sync.export import export_tabs, table

    workbook = open_local(url, token=token, spreadsheet_id=spreadsheet_id, retry=PATIENT)
    started = time.perf_counter()
    if writer == "now":
        export_tabs(workbook, [VOLUNTEERS], "xlsx", Path(out))
    else:  # as it was: openpyxl's normal mode
        from openpyxl import Workbook

        header, rows = table(workbook.read([VOLUNTEERS])["volunteers"], "nl")
        book = Workbook()
        sheet = book.active
        for r, values in enumerate([header, *rows], start=1):
            for c, value in enumerate(values, start=1):
                sheet.cell(row=r, column=c, value=value).data_type = "s"
        book.save(Path(out) / "before.xlsx")
    print(json.dumps({"seconds": round(time.perf_counter() - started, 1),
                      "peak_mb": peak_mb()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with local_server() as (url, token):
        workbook = open_local(url, token=token, title="bench", retry=PATIENT)
        init_spreadsheet(workbook, TABS)
        sheet = workbook.read([VOLUNTEERS])["volunteers"]
        workbook.append(sheet, [{column: f"{column} {n}" for column in sheet.positions} for n in range(args.rows)])
        cells = args.rows * len(sheet.positions)
        print(f"{args.rows:,} rows x {len(sheet.positions)} columns ({cells:,} cells) in Volunteers")
        out = tempfile.mkdtemp(prefix="helpt-export-")
        for writer, name in (("before", "normal mode (before)"), ("now", "write-only mode (now)")):
            child = subprocess.run([sys.executable, __file__, "--child", url, token, workbook.spreadsheet_id, out,
                                    writer], check=True, stdout=subprocess.PIPE, text=True)
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"  {name:<22} {figures['seconds']} s, peak {figures['peak_mb']} MiB (whole process)")


if __name__ == "__main__":
    main()
