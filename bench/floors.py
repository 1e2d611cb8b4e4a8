"""What a sync cannot go below while it reads the whole workbook and writes what a sync from scratch writes.

    .venv/bin/python bench/floors.py [--offers 100000] [--requests 10000] [--archive 30] [--new 100]

Builds the desk of bench/sync.py (the same generated rows), syncs it as that bench does (the first
sync, the move to the archive, then +100 new sign-ups), each sync timed, and then times alone, in the
same process, the parts no incremental design can skip:

- the read: every sync that may find a change reads every tab (Google says no more than that the file
  changed: sync/unchanged.py);
- the matching: one optimal assignment over every open request (sync/matching_assign.py). A new
  volunteer may change any request's first choice, so a sync that takes in a sign-up and writes what a
  sync from scratch writes matches everyone again;
- reading every distinct phone number (phonenumbers): a first sync, or the first after an upgrade or a
  `helpt person forget`, has nothing remembered;
- the time the first sync waited for the Sheets API (its read, and the append of every new master row).

Each floor is the median of three runs (the phones: one run, from an empty cache). The sum of
a stage's floors is what that sync would cost if every other step took no time at all.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.local_server import local_server  # noqa: E402
from bench.sync import PATIENT, _newcomers, _trim, _upkeep  # noqa: E402
from sheets_schema.answers import read_phone  # noqa: E402
from sheets_schema.layout import init_spreadsheet  # noqa: E402
from sheets_schema.tabs import REQUESTS, TABS, VOLUNTEERS  # noqa: E402
from sheets_schema.workbook import open_local  # noqa: E402
from sync.job import READS, run_sync  # noqa: E402
from sync.matching import MatchSettings, suggest  # noqa: E402
from sync.schedule import collector_paused  # noqa: E402
from tests.generate import generate, write_intake  # noqa: E402

TARGETS = {"full": 10.0, "new": 3.0}  # issue 17's "Done when", in seconds


def _median(work: Callable[[], object], times: int = 3) -> float:
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--archive", type=int, default=30, metavar="DAYS")
    parser.add_argument("--new", type=int, default=100)
    args = parser.parse_args()

    with local_server() as (url, token), tempfile.TemporaryDirectory() as folder:
        everything = generate(volunteers=int(args.offers / 1.3) + 10, requests=int(args.requests / 1.05) + 10,
                              seed=2020)  # as bench/sync.py
        rows = _trim(everything, args.offers, args.requests)
        workbook = open_local(url, token=token, title="floors", retry=PATIENT)
        init_spreadsheet(workbook, TABS)
        write_intake(workbook, rows)
        upkeep = _upkeep(None, folder, args.archive)
        phones = sorted({row["phone"].strip() for tab in rows.rows.values() for row in tab if row.get("phone")})
        taken: dict[str, float] = {}
        waited: dict[str, float] = {}
        for stage in ("full", "archive", "new"):
            if stage == "new":
                write_intake(workbook, _newcomers(args.new))
            before, started = workbook.api_seconds, time.perf_counter()
            with collector_paused():  # as `helpt sync` runs it
                run_sync(workbook, upkeep=upkeep)
            taken[stage], waited[stage] = time.perf_counter() - started, workbook.api_seconds - before
            print(f"the sync '{stage}': {taken[stage]:.1f} s, of which {waited[stage]:.1f} s waiting for the "
                  "Sheets API", flush=True)

        read = _median(lambda: workbook.read(READS))
        sheets = workbook.read([REQUESTS, VOLUNTEERS])
        requests, volunteers = sheets[REQUESTS.id].records(), sheets[VOLUNTEERS.id].records()
        settings = MatchSettings(language=workbook.language)
        matching = _median(lambda: suggest(requests, volunteers, settings=settings))
        read_phone.cache_clear()
        started = time.perf_counter()
        for phone in phones:
            read_phone(phone)
        phone_seconds = time.perf_counter() - started

        print(f"\nfloors at {args.offers:,} sign-ups and {args.requests:,} requests "
              f"({len(volunteers):,} Volunteers rows, {len(requests):,} Requests rows):")
        print(f"  read every tab                      {read:6.2f} s")
        print(f"  match every open request            {matching:6.2f} s")
        print(f"  read {len(phones):,} distinct phone numbers  {phone_seconds:6.2f} s")
        print(f"  the first sync's wait for the API   {waited['full']:6.2f} s (its read, and the append of every "
              "new row)")
        new_floor = read + matching
        full_floor = waited["full"] + matching + phone_seconds
        print(f"\n+{args.new} new: floor {new_floor:.1f} s (read + match) against the target of {TARGETS['new']:.0f} s;"
              f" it took {taken['new']:.1f} s")
        print(f"full sync: floor {full_floor:.1f} s (wait for the API + match + phones) against the target of "
              f"{TARGETS['full']:.0f} s; it took {taken['full']:.1f} s")


if __name__ == "__main__":
    main()
