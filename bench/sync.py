"""Benchmark `helpt sync` on 100,000 volunteer sign-ups and 10,000 requests in the local Sheets server.

    .venv/bin/python bench/sync.py [--offers 100000] [--requests 10000] [--new 100] [--from-scratch]
                                   [--archive DAYS] [--profile DIR] [--handover] [--one-process]

The local server runs in a process of its own (as `helpt emulator` would), so
the sync's peak memory is measured alone: each sync runs in a fresh child
process that reports its wall time, its peak resident memory (VmHWM, see bench/memory.py) and
its Sheets API calls by kind. Reported: one full sync, a second sync after 100
new submissions, a third with nothing new, and a last one that finds the
workbook as the one before left it (it changed nothing: sync/quiet.py), one that finds Drive's
version of the spreadsheet the one that sync read (it reads nothing: sync/unchanged.py; unless a
new slot of five minutes began in between), and one after the memory was
erased, as `helpt person forget` leaves it (an upgrade costs the same sync), on a desk whose syncs keep the
sync's memory (docs/sync.md) in a SQLite database of their own. With
--from-scratch, a second desk with the same rows syncs without memory, as
every sync did before it, each stage side by side in the same run. With
--archive, the desk with memory moves merged intake rows that old to its
archive (the generated sign-ups are from 2020: the sync after the first moves
them all, reported as a stage of its own; the 100 new ones move in the sync
with nothing new, so one more sync has nothing at all to do before the last). With --profile, each sync also
leaves its cProfile statistics in DIR ({stage}-{memory|scratch}.prof).
With --handover, the syncs run as the desk's worker does, with the handover's
memory in a SQLite database of their own: the first sync then also queues a
thank-you for every volunteer with an e-mail (the generated sign-ups are
older than a day). Run it with and without, back to back, to see its cost.
With --one-process, the desk with memory runs every stage in one long-lived process, as the
Procfile's worker (`helpt sync --every`) did until it ran each sync in a process of its own
(helpt/periodic.py), and says its resident and peak memory after each sync: what a process
that lives on keeps of what one sync used.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.local_server import local_server  # noqa: E402
from bench.memory import peak_mb, resident_mb  # noqa: E402
from sheets_schema.layout import init_spreadsheet  # noqa: E402
from sheets_schema.tabs import TABS  # noqa: E402
from sheets_schema.workbook import RetryPolicy, open_local  # noqa: E402
from tests.generate import Generated, generate, write_intake  # noqa: E402

PATIENT = RetryPolicy(attempts=3, timeout=1800)  # one call may move 100,000 rows


def _trim(generated: Generated, offers: int, requests: int) -> Generated:
    """Exactly `offers` and `requests` submissions, in the generator's order."""
    out = Generated()
    left = {"offer": offers, "request": requests}
    for tab_id, rows in generated.rows.items():
        form = "offer" if "offer" in tab_id else "request"
        for row in rows:
            if left[form]:
                left[form] -= 1
                out.add(tab_id, row, generated.truth[row["submission_id"]])
    return out


def _upkeep(handover: str | None, memory: str | None, archive_days: int):
    """What the worker hands a sync: the handover on a SQLite database in the folder `handover`, the
    sync's memory (and the archive, after `archive_days`) in `memory`; None leaves each out (no memory:
    every sync from scratch, as before it)."""
    from desk_db import open_database
    from desk_db.archive import Archive
    from desk_db.handovers import Handovers
    from desk_db.sync_memory import SyncMemory
    from sheets_schema.links import answer_url, make_token
    from sync.job import Upkeep

    database = open_database("", Path(memory)) if memory else None
    upkeep = Upkeep(memory=SyncMemory(database) if database else None,
                    archive=Archive(database) if database and archive_days else None, archive_after_days=archive_days)
    if not handover:
        return upkeep
    handovers = Handovers(open_database("", Path(handover)))
    key = handovers.link_key()
    return replace(upkeep, handovers=handovers, answer_link=lambda answer, language: answer_url(
        "http://desk", language, make_token(key, answer)))


def _sync_child(url: str, token: str, spreadsheet_id: str, profile: str | None, handover: str | None,
                memory: str | None, archive_days: int) -> None:
    """Run one sync and print its figures as JSON (in a fresh process, for an honest peak memory)."""
    from sync.job import run_sync
    from sync.schedule import collector_paused

    workbook = open_local(url, token=token, spreadsheet_id=spreadsheet_id, retry=PATIENT)
    calls, waited = workbook.api_calls_by_kind(), workbook.api_seconds
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    with collector_paused():  # as `helpt sync` and the worker run it
        result = run_sync(workbook, upkeep=_upkeep(handover, memory, archive_days), progress=lambda m: print(
            f"    [{time.perf_counter() - started:7.1f} s, {resident_mb():5} MiB now, {peak_mb():5} MiB peak] {m}",
            file=sys.stderr, flush=True))
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    seconds = time.perf_counter() - started
    kinds = {k: n - calls.get(k, 0) for k, n in workbook.api_calls_by_kind().items() if n != calls.get(k, 0)}
    print(json.dumps({"seconds": round(seconds, 1), "api_seconds": round(workbook.api_seconds - waited, 1),
                      "peak_mb": peak_mb(), "cells": result.cells,
                      "api_calls": sum(kinds.values()), "by_kind": kinds, "summary": result.summary(),
                      "remembered": result.remembered, "archived": result.archived, "quiet": result.quiet,
                      "read_nothing": result.read_nothing}))


def _erase_memory(memory: str) -> None:
    """What `helpt person forget` does to the sync's memory: erased whole, the next sync rebuilds it."""
    from desk_db import open_database
    from desk_db.sync_memory import SyncMemory

    database = open_database("", Path(memory))
    SyncMemory(database).erase_all()
    database.dispose()


def _newcomers(new: int) -> Generated:
    """The sign-ups of the stage "+N new": the same in every process that makes them."""
    return _trim(generate(volunteers=new, requests=new // 5, seed=99, id_prefix="NEW"), new * 4 // 5, new // 5)


def _stages(archive: int, fresh: Generated) -> tuple[tuple[str, str, Generated | None], ...]:
    """(stage, title, rows written to the intake tabs before its sync)."""
    return (("full", "full sync", None),
            *((("archive", "a sync that moves the merged rows to the archive", None),) if archive else ()),
            ("new", f"+{fresh.count} new", fresh), ("nothing", "nothing new", None),
            # The new rows are from 2020 too: the sync above moved them; now nothing is left to do.
            *((("again", "nothing new, again", None),) if archive else ()),
            # The sync above changed nothing: this one finds its quiet mark (sync/quiet.py).
            ("quiet", "nothing new, as the sync before left it", None),
            # The sync above read the workbook as it was and wrote nothing: this one reads nothing (sync/unchanged.py).
            ("unchanged", "nothing new, Drive's version the one the sync before read", None),
            # The sync a desk meets after `helpt person forget` (or, the same for the memory, an upgrade).
            ("erased", "nothing new, the memory erased (as `helpt person forget` leaves it)", None))


def _worker_child(url: str, token: str, spreadsheet_id: str, memory: str, archive_days: int, new: int) -> None:
    """Every stage's sync in this one process, one after the other."""
    from sync.job import run_sync
    from sync.schedule import collector_paused

    workbook = open_local(url, token=token, spreadsheet_id=spreadsheet_id, retry=PATIENT)
    upkeep = _upkeep(None, memory, archive_days)
    for stage, title, rows in _stages(archive_days, _newcomers(new)):
        if rows is not None:
            write_intake(workbook, rows)
        if stage == "erased":
            upkeep.memory.erase_all()  # type: ignore[union-attr]
        started = time.perf_counter()
        with collector_paused():  # as `helpt sync` does
            result = run_sync(workbook, upkeep=upkeep)
        print(f"  {title}: {time.perf_counter() - started:.1f} s; afterwards {resident_mb()} MiB resident, "
              f"peak so far {peak_mb()} MiB\n    {result.summary()}", flush=True)


def _run_worker(url: str, token: str, spreadsheet_id: str, memory: str, archive_days: int, new: int) -> None:
    print("every stage in one long-lived process:", flush=True)
    subprocess.run([sys.executable, __file__, f"--worker-child={url}", f"--token={token}",
                    f"--spreadsheet={spreadsheet_id}", f"--memory-db={memory}", f"--archive={archive_days}",
                    f"--new={new}"], check=True)


def _run_sync(url: str, token: str, spreadsheet_id: str, profile: Path | None, handover: str | None,
              memory: str | None, archive_days: int) -> dict:
    options = ((["--profile", str(profile)] if profile else []) + ([f"--handover-db={handover}"] if handover else [])
               + ([f"--memory-db={memory}", f"--archive={archive_days}"] if memory else []))
    child = subprocess.run([sys.executable, __file__, f"--child={url}", f"--token={token}",
                            f"--spreadsheet={spreadsheet_id}", *options], check=True,
                           stdout=subprocess.PIPE, text=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


def _say(what: str, figures: dict) -> None:
    print(f"  {what}: {figures['seconds']} s (of which {figures['api_seconds']} s waiting for the Sheets API), "
          f"peak {figures['peak_mb']} MiB, {figures['api_calls']} API calls {figures['by_kind']}\n"
          f"    {figures['summary']}", flush=True)
    if figures["read_nothing"]:
        print("    Drive's version was the one the sync before read: nothing read", flush=True)
    elif figures["quiet"]:
        print("    the workbook read as the sync before left it, with nothing to change: nothing worked out",
              flush=True)
    if figures["remembered"]:
        print("    from the memory / worked out: " + ", ".join(
            f"{kind} {taken:,}/{new:,}" for kind, (taken, new) in figures["remembered"].items()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--profile", type=Path, help="a directory for each sync's cProfile statistics")
    parser.add_argument("--handover", action="store_true", help="sync as the worker does, with the handover")
    parser.add_argument("--from-scratch", action="store_true",
                        help="also sync a copy of the desk without the sync's memory, side by side")
    parser.add_argument("--archive", type=int, default=0, metavar="DAYS",
                        help="the desk with memory moves merged intake rows this old to the archive (0: never); "
                             "the generated sign-ups are from 2020, so a sync after the first moves them all")
    parser.add_argument("--one-process", action="store_true",
                        help="run every stage of the desk with memory in one long-lived process, and report its "
                             "memory after each sync")
    parser.add_argument("--worker-child", help=argparse.SUPPRESS)  # that process: the server's address
    parser.add_argument("--handover-db", help=argparse.SUPPRESS)  # the child: the handover's database folder,
    parser.add_argument("--memory-db", help=argparse.SUPPRESS)  # the memory's,
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the server's address,
    parser.add_argument("--token", help=argparse.SUPPRESS)  # its token (--x=value: a token may start with -)
    parser.add_argument("--spreadsheet", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_child:
        _worker_child(args.worker_child, args.token, args.spreadsheet, args.memory_db, args.archive, args.new)
        return
    if args.child:
        _sync_child(args.child, args.token, args.spreadsheet, str(args.profile) if args.profile else None,
                    args.handover_db, args.memory_db, args.archive)
        return
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    ways = ["memory", "scratch"] if args.from_scratch and not args.one_process else ["memory"]

    with local_server() as (url, token), tempfile.TemporaryDirectory() as folder:
        # People sign up ~1.7 times each and needs come ~1.1 times: generate enough, keep exact counts.
        everything = generate(volunteers=int(args.offers / 1.3) + 10, requests=int(args.requests / 1.05) + 10,
                              seed=2020)
        data_rows = _trim(everything, args.offers, args.requests)
        fresh = _newcomers(args.new)
        desks = {}
        for way in ways:  # one desk per way, the same rows in each
            workbook = open_local(url, token=token, title=f"bench {way}", retry=PATIENT)
            init_spreadsheet(workbook, TABS)
            started = time.perf_counter()
            write_intake(workbook, data_rows)
            print(f"{way}: built {data_rows.count:,} intake rows in {time.perf_counter() - started:.1f} s "
                  f"({len(data_rows.rows)} appends)", flush=True)
            Path(folder, way).mkdir()
            desks[way] = workbook
        if args.one_process:
            _run_worker(url, token, desks["memory"].spreadsheet_id, str(Path(folder, "memory")), args.archive,
                        args.new)
            return
        for stage, title, rows in _stages(args.archive, fresh):
            print(f"{title}:", flush=True)
            for way, workbook in desks.items():
                if rows is not None:
                    write_intake(workbook, rows)
                profile = args.profile / f"{stage}-{way}.prof" if args.profile else None
                handover = str(Path(folder, way)) if args.handover else None
                memory = str(Path(folder, way)) if way == "memory" else None
                if stage == "erased" and memory:
                    _erase_memory(memory)
                figures = _run_sync(url, token, workbook.spreadsheet_id, profile, handover, memory, args.archive)
                _say("with memory" if way == "memory" else "from scratch", figures)
                if figures["archived"]:
                    print(f"    {figures['archived']:,} intake rows moved to the archive", flush=True)
                if stage != "new":
                    print(f"    the workbook held {figures['cells']:,} cells as this sync read it "
                          f"({figures['cells'] / 100_000:.1f} % of Google's 10 million)", flush=True)


if __name__ == "__main__":
    main()
