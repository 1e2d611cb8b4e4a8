"""`helpt serve`: the desk on one machine, the web app with the flusher and the periodic sync beside it.

The web app runs on waitress, a production WSGI server in pure Python that
also runs where gunicorn does not (Windows); Werkzeug's development server
only with --debug.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial

from desk_db import Database
from desk_db.journal import Journal
from sheets_schema.layout import init_spreadsheet
from sheets_schema.settings import Settings
from sheets_schema.tabs import TABS
from sheets_schema.workbook import Workbook
from webhooks import create_app, flusher
from webhooks.flusher import WritePace
from webhooks.outbox import outbox_link

from .backend import Desk
from .commands import desk_and_database, interrupt, nothing_to_read, upkeep
from .periodic import Rounds, look_every


@contextmanager
def _flusher(settings: Settings, database: Database, workbook: Workbook) -> Iterator[None]:
    """The intake flusher in a background thread while the block runs; it flushes whenever no other does."""
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
def _periodic_sync(settings: Settings, database: Database, desk: Desk, host: str, port: int) -> Iterator[None]:
    """`helpt sync` every HELPT_SYNC_EVERY seconds while the block runs, each in a process of its own.

    A sync spends its seconds in pandas and matching: in a thread of this process it competed with
    the web threads for the interpreter, and the process kept its peak memory afterwards. A child
    process does none of that to the web app, and may switch off its own garbage collector
    (sync/schedule.py: collector_paused).
    It reads the same environment and `.env`, and uses this desk's running local server; the links it
    puts in messages point at this server's own address.
    """
    if settings.sync_every <= 0:
        print("  periodic sync: off (HELPT_SYNC_EVERY=0)")
        yield
        return
    # A round that needs no sync process asks through a connection of its own: the flusher has the desk's.
    needless = partial(nothing_to_read, upkeep(settings, database, desk), desk.connect(),
                       look_every(settings.sync_every)) if desk.connect is not None else None
    rounds = Rounds(settings.sync_every, {**os.environ, "HELPT_HOST": host, "HELPT_PORT": str(port)}, needless)
    thread = threading.Thread(target=rounds.run, name="sync")
    looks = f", looking for changes every {rounds.look:g} s" if needless is not None else ""
    print(f"  periodic sync: at most every {settings.sync_every:g} s{looks}")
    thread.start()
    try:
        yield
    finally:
        rounds.end()
        thread.join()


@contextmanager
def _background(settings: Settings, database: Database, desk: Desk, host: str, port: int) -> Iterator[None]:
    """What runs beside the web app: the intake flusher and the periodic sync."""
    with ExitStack() as jobs:
        jobs.enter_context(_flusher(settings, database, desk.workbook))
        jobs.enter_context(_periodic_sync(settings, database, desk, host, port))
        yield


def serve(args: argparse.Namespace, settings: Settings) -> int:
    with desk_and_database(settings) as (desk, database):
        print(init_spreadsheet(desk.workbook, TABS).summary())
        app = create_app(settings)
        host, port = args.host or settings.host, settings.port if args.port is None else args.port
        server = _development(app, host, port) if args.debug else _production(app, host, port, settings)
        print(f"helpt is running on the {desk.backend} backend.")
        print(f"  desk (forms and intake API): http://{host}:{server.port}/")
        print(f"  back office (the spreadsheet): {desk.view_address()}")
        if desk.view_link is not None:
            print("    (the link works once and signs this browser in; `helpt view` prints a new one)")
        if not settings.smtp_url:
            mailbox = outbox_link(app.extensions["helpt.handovers"], f"http://{host}:{server.port}")
            print(f"  mail (no HELPT_SMTP_URL, so nothing leaves this machine): {mailbox}")
        if settings.agent_passcode:
            print(f"  call centre: http://{host}:{server.port}/{settings.language}/agent/sign-in")
        else:
            print("  call centre: off until HELPT_AGENT_PASSCODE is set")
        if desk.backend == "local":
            print(f"  data: {settings.data_dir.resolve()}")
        if not settings.webhook_secret:
            print("  intake API: off until HELPT_WEBHOOK_SECRET is set (the forms work)")
        # A process manager stops us with SIGTERM: leave as tidily as on Ctrl+C, so the
        # flusher finishes its batch and the local server closes its database.
        signal.signal(signal.SIGTERM, interrupt)
        with _background(settings, database, desk, host, server.port):
            print("Press Ctrl+C to stop.", flush=True)
            try:
                server.run()
            except KeyboardInterrupt:
                pass
            finally:
                print("Stopping.", flush=True)
                server.close()
    return 0


class _Server:
    """What serve needs of a WSGI server: its port, run until interrupted, close."""

    def __init__(self, port: int, run, close) -> None:
        self.port, self.run, self.close = port, run, close


def _production(app, host: str, port: int, settings: Settings) -> _Server:
    from waitress import create_server

    # Behind a proxy our ProxyFix reads X-Forwarded-For (HELPT_TRUSTED_PROXIES); waitress must leave it.
    server = create_server(app, host=host, port=port, threads=8, ident="helpt",
                           clear_untrusted_proxy_headers=settings.trusted_proxies == 0)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is no news on a desk
    return _Server(server.effective_port, server.run, server.close)


def _development(app, host: str, port: int) -> _Server:
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True)
    return _Server(server.port, server.serve_forever, server.server_close)
