"""The commands that open the desk: each parses nothing, calls the library and prints what it did.

`helpt.cli` imports this module only when one of these commands runs, so
`helpt --help` and `helpt schema` start without pandas, gspread or Flask.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

import local_sheets
from desk_db import Database, open_database
from desk_db.archive import Archive
from desk_db.handovers import Handovers
from desk_db.journal import Journal
from desk_db.limits import Limits
from desk_db.served import move, serve_only, served
from desk_db.sessions import Sessions
from desk_db.sync_memory import SyncMemory
from sheets_schema.clock import city_stamp
from sheets_schema.errors import HelptError
from sheets_schema.layout import init_spreadsheet
from sheets_schema.links import Answer, answer_url, make_token
from sheets_schema.settings import Settings
from sheets_schema.tabs import TABS
from sheets_schema.workbook import Workbook
from sync import person as people
from sync import postman
from sync import purge as purging
from sync.copies import holds_any
from sync.erase import EXPORTS_DIR, remove_exports
from sync.export import export_tabs
from sync.handover import HandoverSettings
from sync.job import Upkeep, reads_nothing, run_sync
from sync.letters import Signature
from sync.lock import sync_lock
from sync.matching import MatchSettings
from sync.partners import EXTRACTS_DIR
from sync.postman import DeliveryReport
from sync.schedule import collector_paused
from webhooks import flusher
from webhooks.flusher import FLUSHER_LOCK, WritePace
from webhooks.outbox import outbox_link

from .backend import Desk, open_desk
from .periodic import Rounds, look_every

log = logging.getLogger("helpt.sync")


_EVIDENCE = 1000  # submissions the journal wrote last, looked for in a spreadsheet the desk moves to


def _move(database: Database, workbook: Workbook, dry_run: bool) -> None:
    """`init --move`: the database serves this spreadsheet from now on, if it is a copy of the one it served."""
    before, spreadsheet = served(database), workbook.spreadsheet_id
    if before in (None, spreadsheet):
        serve_only(database, spreadsheet, claim=not dry_run)
        return
    written = {*Journal(database).written(_EVIDENCE), *(sid for sid, _, _ in Archive(database).fingerprints())}
    if written and not holds_any(workbook, written):
        raise HelptError(
            f"spreadsheet {spreadsheet} holds none of the {len(written)} submissions the desk's database wrote to "
            f"{before}: it is no copy of it, and the database's handovers and archive would mix its people "
            "with that desk's. A desk that starts again on a new spreadsheet needs a database of its own (another "
            "DATABASE_URL), or the old desk ends first (`helpt purge` with its settings); nothing was moved.")
    if dry_run:
        print(f"Would move the desk: its database serves spreadsheet {before}, it would serve {spreadsheet}.")
        return
    move(database, spreadsheet)
    print(f"The desk moved: its database served spreadsheet {before}, it serves {spreadsheet} now.")


def init(args: argparse.Namespace, settings: Settings) -> int:
    with desk_database(settings) as database, open_desk(settings) as desk:
        if args.move:
            _move(database, desk.workbook, args.dry_run)
        else:  # a dry run says whether init would refuse, and claims nothing
            serve_only(database, desk.workbook.spreadsheet_id, claim=not args.dry_run)
        plan = init_spreadsheet(desk.workbook, TABS, dry_run=args.dry_run)
        prefix = "Would do: " if args.dry_run and not plan.changes_nothing else ""
        print(prefix + plan.summary())
        print(f"Spreadsheet: {desk.view_address()}  ({desk.workbook.api_calls} API calls)")
    return 0


def _erase_copies(settings: Settings, desk: Desk) -> int:
    """After someone was erased: the files of earlier exports go (they hold everyone), and the local
    server's files keep no old page; how many export files went."""
    removed = remove_exports(settings.data_dir)
    if desk.compact is not None:
        desk.compact()
    return removed


def upkeep(settings: Settings, database: Database, desk: Desk) -> Upkeep:
    handovers = Handovers(database)
    key = handovers.link_key()

    def answer_link(answer: Answer, language: str) -> str:
        return answer_url(settings.link_base, language, make_token(key, answer))

    def deliver() -> DeliveryReport:
        texts = (postman.SmsPostman(settings.twilio_account_sid, settings.twilio_auth_token, settings.sms_from)
                 if settings.twilio_account_sid else None)
        return postman.deliver(handovers, postman.postman_for(settings.smtp_url, settings.mail_from, handovers),
                               sms=texts)

    return Upkeep(extracts_dir=settings.data_dir / EXTRACTS_DIR, retention_days=settings.retention_days,
                  archive=Archive(database), archive_after_days=settings.archive_after_days,
                  journal=Journal(database), after_erasure=partial(_erase_copies, settings, desk),
                  match=MatchSettings(max_km=settings.match_max_km, capacity=settings.match_capacity,
                                      language=settings.language),
                  handovers=handovers, answer_link=answer_link, deliver=deliver, memory=SyncMemory(database),
                  handover=HandoverSettings(wait_hours=settings.handover_wait_hours,
                                            desk=Signature(settings.desk_phone),
                                            follow_up_days=settings.follow_up_days, public_url=settings.link_base,
                                            sms=bool(settings.twilio_account_sid)))


@contextmanager
def desk_database(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database_url, settings.data_dir)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def desk_and_database(settings: Settings) -> Iterator[tuple[Desk, Database]]:
    """The spreadsheet and the database, for a command that writes between them: only when the
    database serves this spreadsheet (desk_db/served.py)."""
    with desk_database(settings) as database, open_desk(settings) as desk:
        serve_only(database, desk.workbook.spreadsheet_id)
        yield desk, database


def interrupt(signum: int, frame: object) -> None:
    """SIGTERM handled as Ctrl+C, once: the stop it starts (the flusher's last batch, the local
    server closing its database without leaving a write-ahead log behind) runs to its end. A second
    one, such as a wrapper (`make run`, a shell) passing on the signal its process group already got,
    would cut it short; a process manager that will not wait sends SIGKILL, which nothing stops."""
    signal.signal(signum, signal.SIG_IGN)
    raise KeyboardInterrupt


def view(args: argparse.Namespace, settings: Settings) -> int:
    with open_desk(settings) as desk:
        print(desk.view_address())
    if not settings.smtp_url:  # where the mail is that this desk does not send
        with desk_database(settings) as database:
            print(f"mail (no HELPT_SMTP_URL): {outbox_link(Handovers(database), settings.link_base)}")
    return 0


def flush(args: argparse.Namespace, settings: Settings) -> int:
    with desk_and_database(settings) as (desk, database):
        journal = Journal(database)
        pace = WritePace(settings.flush_writes_per_minute)
        if args.follow:  # gunicorn's flusher process: until SIGTERM, taking turns with other instances
            signal.signal(signal.SIGTERM, lambda *_: pace.stop.set())
            print(f"Flushing the journal in {database.describe()} until stopped.", flush=True)
            flusher.take_turns(database, journal, desk.workbook, pace)
            return 0
        with database.lock(FLUSHER_LOCK) as lock:
            if lock is None:
                raise HelptError("another helpt process (helpt serve?) is flushing the journal; it will drain it")
            report = flusher.drain(journal, desk.workbook, pace)
        print(f"{report.appended} rows added, {report.already_there} already in the sheet, "
              f"{report.write_calls} write calls; {journal.counts()['pending']} pending.")
    return 0


def _send_queued(jobs: Upkeep, seconds: float) -> None:
    """After a failed sync too, what the handover queued goes out (a sync that worked sent it itself)."""
    if jobs.deliver is None:
        return
    try:
        jobs.deliver()
    except HelptError as error:
        log.warning("messages not sent, trying again in %g s: %s", seconds, error)


def nothing_to_read(jobs: Upkeep, workbook: Workbook, seconds: float) -> bool:
    """A round of the worker that needs no sync process (helpt/periodic.py): a sync would read nothing
    (sync/unchanged.py). What that sync does besides, sending what the outbox holds, is done here."""
    if not reads_nothing(workbook, jobs):
        return False
    _send_queued(jobs, seconds)
    return True


def sync(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    with desk_and_database(settings) as (desk, database):
        if args.every:
            # Each sync in a process of its own (helpt/periodic.py): this one waits, and sends after a failed one.
            jobs = upkeep(settings, database, desk)
            look = look_every(args.every)
            rounds = Rounds(args.every, os.environ, partial(nothing_to_read, jobs, desk.workbook, look))
            signal.signal(signal.SIGTERM, lambda *_: rounds.end())
            print(f"Looking for changes every {look:g} s, syncing at most every {args.every:g} s, until stopped.",
                  flush=True)
            if not settings.smtp_url:
                print("HELPT_SMTP_URL is not set: messages to volunteers and residents stay in the local mailbox; "
                      "`helpt view` prints where to read them.", flush=True)
            try:
                rounds.run(after_failure=partial(_send_queued, jobs, args.every))
            except KeyboardInterrupt:
                rounds.end()
                print("Stopping.")
            return 0
        if args.dry_run:
            jobs = upkeep(settings, database, desk)
            result = run_sync(desk.workbook, dry_run=True, progress=progress,
                              upkeep=replace(jobs, memory=None) if args.from_scratch else jobs)
            print(result.details())
        else:
            jobs = upkeep(settings, database, desk)
            with sync_lock(database), collector_paused():
                if args.from_scratch and jobs.memory is not None:
                    jobs.memory.erase_all()  # this sync builds it anew
                result = run_sync(desk.workbook, progress=progress, upkeep=jobs)
            print(result.summary())
            sent = jobs.deliver() if jobs.deliver is not None else None
            if isinstance(sent, DeliveryReport) and (sent.sent or sent.retried or sent.failed):
                print(f"Messages: {sent.sent} sent, {sent.retried} to try again, {sent.failed} refused.")
            return 0
        print(result.summary())
    return 0


def export(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(args.out) if args.out else settings.data_dir / EXPORTS_DIR
    with open_desk(settings) as desk:
        for path in export_tabs(desk.workbook, TABS, args.format, out, ids=args.ids):
            print(path)
    if args.out:
        print("These files hold personal data: `helpt purge` only reaches exports in the data folder.")
    return 0


_WAIT_FOR_SYNC = 300.0  # seconds `person forget` and `purge` wait for a running sync to end


def _say_waiting() -> None:
    print("A sync is running; waiting for it to end (at most 5 minutes)...", file=sys.stderr, flush=True)


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise HelptError("no one to ask for confirmation here: add --yes to go ahead, or --dry-run to look first")
    return input(f"{question} Type yes to go on: ").strip().lower() == "yes"


def _now() -> str:
    return city_stamp()


def _erase_database(database: Database, journal: Journal) -> int:
    """Everything personal in the desk's database: the journal, agents' sessions and the counts of
    attempts (hashed addresses); how many journal entries there were."""
    erased = journal.erase_all()
    Handovers(database).erase_all()  # handovers, the outbox and the local mailbox
    Sessions(database, hours=1).erase_all()  # (how long a session lasts does not matter here)
    Limits(database).erase_all()
    SyncMemory(database).erase_all()  # normalised copies of the rows
    Archive(database).erase_all()  # intake rows moved out of the spreadsheet
    return erased


def purge(args: argparse.Namespace, settings: Settings) -> int:
    with desk_and_database(settings) as (desk, database):
        journal = Journal(database)
        if args.dry_run:
            report = purging.purge(desk.workbook, settings.data_dir, dry_run=True, erase_journal=journal.erase_all,
                           count_journal=lambda: sum(journal.counts().values()), compact=None, now=_now())
            print(report.summary(dry_run=True, language=settings.language))
            return 0
        with sync_lock(database, wait=_WAIT_FOR_SYNC, waiting=_say_waiting), database.lock(FLUSHER_LOCK) as flushing:
            if flushing is None:  # asked before the question: nobody types yes for nothing
                raise HelptError("the desk is still running (its flusher holds the journal): stop it, then purge")
            if not _confirmed(args, f"This erases every person's data in {desk.view_url}, the partner extracts "
                                    "and the journal, for good."):
                print("Nothing was erased.")
                return 1
            report = purging.purge(desk.workbook, settings.data_dir, dry_run=False,
                           erase_journal=partial(_erase_database, database, journal),
                           count_journal=lambda: sum(journal.counts().values()), compact=desk.compact, now=_now())
        print(report.summary(dry_run=False, language=settings.language))
    return 1 if report.failed else 0


def person(args: argparse.Namespace, settings: Settings) -> int:
    who = people.person(args.phone, args.email)
    with desk_and_database(settings) as (desk, database):
        journal = Journal(database)
        held = people.find(desk.workbook, settings.data_dir, who)
        pending = journal.holding(who.matches)
        if args.action == "export":
            found = [{"where": f.where, "row": f.row, "values": f.values} for f in held.rows]
            found += [{"where": "intake journal (until a sync reads it back from the "
                                "spreadsheet)", "row": 0, "values": e.record}
                      for e in pending]
            found += [{"where": where, "row": 0, "values": values} for where, values in Handovers(database).held(
                sorted(held.request_ids | held.volunteer_ids), sorted(held.emails))]
            found += [{"where": f"archive ({row.tab_id}: an intake row moved out of the spreadsheet)", "row": 0,
                       "values": row.record} for row in Archive(database).holding(people.in_archive(who, held))]
            print(json.dumps(found, ensure_ascii=False, indent=2))
            return 0
        archived = Archive(database).holding(people.in_archive(who, held))
        if not held.rows and not pending and not archived:
            print("Nothing is held on this person.")
            return 0
        if not _confirmed(args, f"This erases {len(held.ranges)} rows, {len(archived)} archived rows and "
                                f"{len(pending)} pending submissions of this person, for good."):
            print("Nothing was erased.")
            return 1
        with sync_lock(database, wait=_WAIT_FOR_SYNC, waiting=_say_waiting):
            # Found again: a sync may have run while the question waited, and given their rows other ids.
            held = people.find(desk.workbook, settings.data_dir, who)
            erased = journal.forget(who.matches)  # first: the flusher must have nothing of theirs to append
            Handovers(database).forget(sorted(held.request_ids | held.volunteer_ids), sorted(held.emails))
            SyncMemory(database).erase_all()  # it held their rows normalised; the sync below rebuilds the rest
            Archive(database).forget(people.in_archive(who, held))  # before the sync, or it brings them back
            print(people.forget(desk.workbook, who, erased, _now(), exports_removed=remove_exports(settings.data_dir)))
            # The sync rewrites every partner extract without the person's rows.
            print(run_sync(desk.workbook, upkeep=upkeep(settings, database, desk)).summary())
            if desk.compact is not None:
                desk.compact()  # no old page of theirs left in the local server's files
    return 0


def emulator(args: argparse.Namespace, settings: Settings) -> int:
    data = Path(args.data) if args.data else settings.data_dir
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Stopped by a process manager or a test: close the database cleanly, leaving no write-ahead log
    # (with the pages of people erased since the last checkpoint) behind.
    signal.signal(signal.SIGTERM, interrupt)
    try:
        local_sheets.serve(data, args.host, args.port, token=args.token)
    except local_sheets.FolderTaken as taken:
        raise HelptError(f"{taken}: use that one (helpt's commands on this data folder do)") from None
    except KeyboardInterrupt:
        print("Stopping.")
    return 0
