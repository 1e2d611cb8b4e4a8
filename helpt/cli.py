"""The `helpt` command: parses options, calls the library, shows errors. Nothing imports it.

This is the composition root: it is the one place that knows both the web app
(`webhooks`) and the jobs (`sync`), and wires them to the configured spreadsheet.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path

import local_sheets
from sheets_schema.contract import contract
from desk_db import Database, open_database
from desk_db.limits import Limits
from desk_db.sessions import Sessions
from sheets_schema.errors import HelptError
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS
from sheets_schema.workbook import Workbook
from sync.export import FORMATS, export_tabs
from sync.job import Upkeep, city_now, run_sync
from sync.matching import MatchSettings
from sync.normalise import TIME_FORMAT
from sync.person import find, forget, person
from sync.erase import EXPORTS_DIR, remove_exports
from sync.purge import purge
from sync.lock import sync_lock
from sync.partners import EXTRACTS_DIR
from sync.schedule import sync_every
from webhooks import flusher
from webhooks.apps_script import apps_script, unreachable_for_google
from webhooks.flusher import FLUSHER_LOCK, WritePace
from desk_db.journal import Journal

from .backend import Desk, open_desk
from sheets_schema.settings import ENV_NAMES, Settings, load_settings


def _schema(args: argparse.Namespace, settings: Settings) -> int:
    if args.json:
        print(json.dumps(contract(), ensure_ascii=False, indent=2))
        return 0
    language = settings.language
    for tab in TABS:
        print(f"{tab.title(language)}  [{tab.id}, {tab.kind}]")
        for column in tab.columns:
            print(f"    {column.labels[language]:<32} {column.id:<24} {column.owner}")
    return 0


def _init(args: argparse.Namespace, settings: Settings) -> int:
    with open_desk(settings) as desk:
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


def _upkeep(settings: Settings, database: Database, desk: Desk) -> Upkeep:
    return Upkeep(extracts_dir=settings.data_dir / EXTRACTS_DIR, retention_days=settings.retention_days,
                  journal=Journal(database), after_erasure=partial(_erase_copies, settings, desk),
                  match=MatchSettings(max_km=settings.match_max_km, capacity=settings.match_capacity,
                                      language=settings.language))


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    database = open_database(settings.database_url, settings.data_dir)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def _flusher(settings: Settings, workbook: Workbook) -> Iterator[None]:
    """The intake flusher in a background thread while the block runs; it flushes whenever no other does."""
    with _database(settings) as database:
        pace = WritePace(settings.flush_writes_per_minute)
        thread = threading.Thread(target=flusher.take_turns, name="flusher",
                                  args=(database, Journal(database), workbook, pace))
        thread.start()
        try:
            yield
        finally:
            pace.stop.set()
            thread.join()


@contextmanager
def _periodic_sync(settings: Settings, desk: Desk) -> Iterator[None]:
    """The sync every HELPT_SYNC_EVERY seconds in a background thread while the block runs."""
    if settings.sync_every <= 0:
        print("  periodic sync: off (HELPT_SYNC_EVERY=0)")
        yield
        return
    stop = threading.Event()
    with _database(settings) as database:
        thread = threading.Thread(target=sync_every, name="sync", args=(
            desk.connect(), settings.sync_every, database, stop,
            lambda message: print(f"  sync: {message}", flush=True), _upkeep(settings, database, desk)))
        print(f"  periodic sync: every {settings.sync_every:g} s")
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


@contextmanager
def _background(settings: Settings, desk: Desk) -> Iterator[None]:
    """What runs beside the web app: the intake flusher and the periodic sync."""
    with ExitStack() as jobs:
        jobs.enter_context(_flusher(settings, desk.workbook))
        jobs.enter_context(_periodic_sync(settings, desk))
        yield


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from werkzeug.serving import make_server

    from webhooks import create_app

    with open_desk(settings) as desk:
        print(init_spreadsheet(desk.workbook, TABS).summary())
        app = create_app(settings)
        server = make_server(args.host or settings.host, args.port or settings.port, app, threaded=True)
        print(f"helpt is running on the {desk.backend} backend.")
        print(f"  desk (forms and intake API): http://{server.host}:{server.port}/")
        print(f"  back office (the spreadsheet): {desk.view_address()}")
        if desk.view_link is not None:
            print("    (the link works once and signs this browser in; `helpt view` prints a new one)")
        if desk.backend == "local":
            print(f"  data: {settings.data_dir.resolve()}")
        if not settings.webhook_secret:
            print("  intake API: off until HELPT_WEBHOOK_SECRET is set (the forms work)")
        # A process manager stops us with SIGTERM: leave as tidily as on Ctrl+C, so the
        # flusher finishes its batch and the local server closes its database.
        signal.signal(signal.SIGTERM, _interrupt)
        with _background(settings, desk):
            print("Press Ctrl+C to stop.", flush=True)
            try:
                server.serve_forever()  # werkzeug's returns quietly on KeyboardInterrupt
            finally:
                print("Stopping.", flush=True)
                server.server_close()
    return 0


def _view(args: argparse.Namespace, settings: Settings) -> int:
    with open_desk(settings) as desk:
        print(desk.view_address())
    return 0


def _flush(args: argparse.Namespace, settings: Settings) -> int:
    with _database(settings) as database, open_desk(settings) as desk:
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


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    started = time.monotonic()

    def progress(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    with _database(settings) as database, open_desk(settings) as desk:
        if args.every:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            print(f"Syncing every {args.every:g} s until stopped.", flush=True)
            try:
                sync_every(desk.workbook, args.every, database, stop, lambda message: print(message, flush=True),
                           _upkeep(settings, database, desk))
            except KeyboardInterrupt:
                print("Stopping.")
            return 0
        if args.dry_run:
            result = run_sync(desk.workbook, dry_run=True, progress=progress, upkeep=_upkeep(settings, database, desk))
            print(result.details())
        else:
            with sync_lock(database):
                result = run_sync(desk.workbook, progress=progress, upkeep=_upkeep(settings, database, desk))
        print(result.summary())
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(args.out) if args.out else settings.data_dir / EXPORTS_DIR
    with open_desk(settings) as desk:
        for path in export_tabs(desk.workbook, TABS, args.format, out, ids=args.ids):
            print(path)
    if args.out:
        print("These files hold personal data: `helpt purge` only reaches exports in the data folder.")
    return 0


def _confirmed(args: argparse.Namespace, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise HelptError("no one to ask for confirmation here: add --yes to go ahead, or --dry-run to look first")
    return input(f"{question} Type yes to go on: ").strip().lower() == "yes"


def _now() -> str:
    return city_now().strftime(TIME_FORMAT)


def _erase_database(database: Database, journal: Journal) -> int:
    """Everything personal in the desk's database: the journal, agents' sessions and the counts of
    attempts (hashed addresses); how many journal entries there were."""
    erased = journal.erase_all()
    Sessions(database, hours=1).erase_all()  # (how long a session lasts does not matter here)
    Limits(database).erase_all()
    return erased


def _purge(args: argparse.Namespace, settings: Settings) -> int:
    with _database(settings) as database, open_desk(settings) as desk:
        journal = Journal(database)
        if args.dry_run:
            report = purge(desk.workbook, settings.data_dir, dry_run=True, erase_journal=journal.erase_all,
                           count_journal=lambda: sum(journal.counts().values()), compact=None, now=_now())
            print(report.summary(dry_run=True, language=settings.language))
            return 0
        if not _confirmed(args, f"This erases every person's data in {desk.view_url}, the partner extracts "
                                "and the journal, for good."):
            print("Nothing was erased.")
            return 1
        with sync_lock(database), database.lock(FLUSHER_LOCK) as flushing:
            if flushing is None:
                raise HelptError("the desk is still running (its flusher holds the journal): stop it, then purge")
            report = purge(desk.workbook, settings.data_dir, dry_run=False,
                           erase_journal=partial(_erase_database, database, journal),
                           count_journal=lambda: sum(journal.counts().values()), compact=desk.compact, now=_now())
        print(report.summary(dry_run=False, language=settings.language))
    return 1 if report.failed else 0


def _person(args: argparse.Namespace, settings: Settings) -> int:
    who = person(args.phone, args.email)
    with _database(settings) as database, open_desk(settings) as desk:
        journal = Journal(database)
        held = find(desk.workbook, settings.data_dir, who)
        pending = journal.holding(who.matches)
        if args.action == "export":
            found = [{"where": f.where, "row": f.row, "values": f.values} for f in held.rows]
            found += [{"where": "intake journal (until a sync reads it back from the spreadsheet)", "row": 0, "values": e.record}
                      for e in pending]
            print(json.dumps(found, ensure_ascii=False, indent=2))
            return 0
        if not held.rows and not pending:
            print("Nothing is held on this person.")
            return 0
        if not _confirmed(args, f"This erases {len(held.ranges)} rows and {len(pending)} pending submissions "
                                "of this person, for good."):
            print("Nothing was erased.")
            return 1
        with sync_lock(database):
            erased = journal.forget(who.matches)  # first: the flusher must have nothing of theirs to append
            print(forget(desk.workbook, who, erased, _now(), exports_removed=remove_exports(settings.data_dir)))
            # The sync rewrites every partner extract without the person's rows.
            print(run_sync(desk.workbook, upkeep=_upkeep(settings, database, desk)).summary())
            if desk.compact is not None:
                desk.compact()  # no old page of theirs left in the local server's files
    return 0


def _forms(args: argparse.Namespace, settings: Settings) -> int:
    why = unreachable_for_google(args.url)
    if why:
        raise HelptError(f"Google's servers cannot post to {args.url}: {why}. Give --url the address "
                         "residents use, for example https://helpt.leuven.be")
    print(apps_script(args.url))
    return 0


def _emulator(args: argparse.Namespace, settings: Settings) -> int:
    data = Path(args.data) if args.data else settings.data_dir
    data.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Stopped by a process manager or a test: close the database cleanly, leaving no write-ahead log
    # (with the pages of people erased since the last checkpoint) behind.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        local_sheets.serve(data, args.host, args.port, token=args.token)
    except local_sheets.FolderTaken as taken:
        raise HelptError(f"{taken}: use that one (helpt's commands on this data folder do)") from None
    except KeyboardInterrupt:
        print("Stopping.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    settings_help = ", ".join(sorted(ENV_NAMES.values()))
    parser = argparse.ArgumentParser(
        prog="helpt",
        description="A city help desk: match help requests with volunteers in one shared spreadsheet.",
        epilog=f"Settings come from the environment or a .env file: {settings_help}.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    schema = commands.add_parser("schema", help="show the spreadsheet contract (tabs, columns, forms, tasks)")
    schema.add_argument("--json", action="store_true", help="print the whole contract as JSON")
    schema.set_defaults(run=_schema)

    init = commands.add_parser("init", help="create missing tabs, headers, dropdowns and protections")
    init.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    init.set_defaults(run=_init)

    serve = commands.add_parser("serve", help="run the desk: web app on the configured spreadsheet")
    serve.add_argument("--host", help="address to listen on (HELPT_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (HELPT_PORT, default 8000)")
    serve.set_defaults(run=_serve)

    view = commands.add_parser("view", help="print the address that opens the back-office spreadsheet "
                                             "(on the local backend a link that works once)")
    view.set_defaults(run=_view)

    flush = commands.add_parser("flush", help="write the intake journal's pending submissions to the sheet")
    flush.add_argument("--follow", action="store_true",
                       help="keep flushing until stopped (gunicorn's flusher process)")
    flush.set_defaults(run=_flush)

    sync = commands.add_parser("sync", help="merge the intake tabs into Requests and Volunteers, flag duplicates")
    sync.add_argument("--dry-run", action="store_true", help="print what would change, per tab, write nothing")
    sync.add_argument("--every", type=float, metavar="SECONDS",
                      help="keep syncing, waiting this long between syncs (the Procfile's worker)")
    sync.set_defaults(run=_sync)

    export = commands.add_parser("export", help="write every tab to CSV or xlsx files (formulas neutralised)")
    export.add_argument("--format", choices=FORMATS, default="csv", help="csv (one file per tab) or xlsx")
    export.add_argument("--out", help="folder to write the files to (default: exports/ in HELPT_DATA_DIR, "
                                      "which `helpt purge` erases)")
    export.add_argument("--ids", action="store_true",
                        help="machine-readable: column ids as headers and tab ids as file names "
                             "(default: the team's language)")
    export.set_defaults(run=_export)

    purging = commands.add_parser("purge", help="after the crisis: erase every person's data helpt wrote, "
                                                "keep the anonymous counts")
    purging.add_argument("--dry-run", action="store_true", help="count what would go, erase nothing")
    purging.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purging.set_defaults(run=_purge)

    people = commands.add_parser("person", help="a person's rights: what helpt holds on them, or forget them")
    people.add_argument("action", choices=("export", "forget"),
                        help="export: print everything held on the person; forget: erase it everywhere")
    people.add_argument("--phone", help="their phone number, as they give it (0470 12 34 56, +32470123456)")
    people.add_argument("--email", help="their e-mail address (any case)")
    people.add_argument("--yes", action="store_true", help="forget without asking for confirmation")
    people.set_defaults(run=_person)

    forms = commands.add_parser("forms", help="what the public forms need elsewhere (Google Forms)")
    forms_commands = forms.add_subparsers(dest="forms_command", required=True, metavar="WHAT")
    script = forms_commands.add_parser("apps-script", help="print the Apps Script that creates the Google Forms")
    script.add_argument("--url", required=True,
                        help="the desk's public https address the forms post to, e.g. https://helpt.leuven.be")
    script.set_defaults(run=_forms)

    emulator = commands.add_parser("emulator", help="run the local Sheets API server on its own")
    emulator.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1, loopback only)")
    emulator.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    emulator.add_argument("--data", help="folder for its data (default HELPT_DATA_DIR)")
    emulator.add_argument("--token", help="the bearer token clients must present (default: the one kept in "
                                          "the data folder, made on first start)")
    emulator.set_defaults(run=_emulator)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args, load_settings())
    except HelptError as error:
        print(f"helpt: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
