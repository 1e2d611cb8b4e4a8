"""The `helpt` command: parses options, calls the library, shows errors. Nothing imports it.

This is the composition root: it is the one place that knows both the web app
(`webhooks`) and the jobs (`sync`), and wires them to the configured spreadsheet.
It imports only what parsing needs; each command's module (commands.py,
serving.py) is imported when that command runs, so `helpt --help` and
`helpt schema` answer at once.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence

from sheets_schema.errors import HelptError
from sheets_schema.files import FORMATS
from sheets_schema.logs import configure_logging
from sheets_schema.settings import ENV_NAMES, Settings, load_settings


def _schema(args: argparse.Namespace, settings: Settings) -> int:
    from sheets_schema.contract import contract
    from sheets_schema.tabs import TABS

    if args.json:
        print(json.dumps(contract(), ensure_ascii=False, indent=2))
        return 0
    language = settings.language
    for tab in TABS:
        print(f"{tab.title(language)}  [{tab.id}, {tab.kind}]")
        for column in tab.columns:
            print(f"    {column.labels[language]:<32} {column.id:<24} {column.owner}")
    return 0


def _forms(args: argparse.Namespace, settings: Settings) -> int:
    from webhooks.apps_script import apps_script, unreachable_for_google

    why = unreachable_for_google(args.url)
    if why:
        raise HelptError(f"Google's servers cannot post to {args.url}: {why}. Give --url the address "
                         "residents use, for example https://helpt.leuven.be")
    print(apps_script(args.url))
    return 0


Command = Callable[[argparse.Namespace, Settings], int]


def _later(module: str, name: str) -> Command:
    """A command whose module is imported only when it runs."""
    def run(args: argparse.Namespace, settings: Settings) -> int:
        command: Command = getattr(importlib.import_module(f"helpt.{module}"), name)
        return command(args, settings)
    return run


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
    init.add_argument("--move", action="store_true",
                      help="the desk moved to this spreadsheet, a copy of the one its database served: the "
                           "database (journal, archive, handovers) serves this one from now on")
    init.set_defaults(run=_later("commands", "init"))

    serve = commands.add_parser("serve", help="run the desk: web app on the configured spreadsheet")
    serve.add_argument("--host", help="address to listen on (HELPT_HOST, default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (HELPT_PORT, default 8000)")
    serve.add_argument("--debug", action="store_true",
                       help="Werkzeug's development server with its debugger, never on a shared machine")
    serve.set_defaults(run=_later("serving", "serve"))

    view = commands.add_parser("view", help="print the address that opens the back-office spreadsheet "
                                             "(on the local backend a link that works once)")
    view.set_defaults(run=_later("commands", "view"))

    flush = commands.add_parser("flush", help="write the intake journal's pending submissions to the sheet")
    flush.add_argument("--follow", action="store_true",
                       help="keep flushing until stopped (gunicorn's flusher process)")
    flush.set_defaults(run=_later("commands", "flush"))

    sync = commands.add_parser("sync", help="merge the intake tabs into Requests and Volunteers, flag duplicates")
    sync.add_argument("--dry-run", action="store_true", help="print what would change, per tab, write nothing")
    sync.add_argument("--every", type=float, metavar="SECONDS",
                      help="keep syncing (the Procfile's worker): look for changes every 15 s, and while they "
                           "keep coming, wait this long from one sync's end to the next")
    sync.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    sync.add_argument("--from-scratch", action="store_true",
                      help="forget what earlier syncs worked out and work everything out anew from the spreadsheet")
    sync.set_defaults(run=_later("commands", "sync"))

    export = commands.add_parser("export", help="write every tab to CSV or xlsx files (formulas neutralised)")
    export.add_argument("--format", choices=FORMATS, default="csv", help="csv (one file per tab) or xlsx")
    export.add_argument("--out", help="folder to write the files to (default: exports/ in HELPT_DATA_DIR, "
                                      "which `helpt purge` erases)")
    export.add_argument("--ids", action="store_true",
                        help="machine-readable: column ids as headers and tab ids as file names "
                             "(default: the team's language)")
    export.set_defaults(run=_later("commands", "export"))

    purging = commands.add_parser("purge", help="after the crisis: erase every person's data helpt wrote, "
                                                "keep the anonymous counts")
    purging.add_argument("--dry-run", action="store_true", help="count what would go, erase nothing")
    purging.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    purging.set_defaults(run=_later("commands", "purge"))

    people = commands.add_parser("person", help="a person's rights: what helpt holds on them, or forget them")
    people.add_argument("action", choices=("export", "forget"),
                        help="export: print everything held on the person; forget: erase it everywhere")
    people.add_argument("--phone", help="their phone number, as they give it (0470 12 34 56, +32470123456)")
    people.add_argument("--email", help="their e-mail address (any case)")
    people.add_argument("--yes", action="store_true", help="forget without asking for confirmation")
    people.set_defaults(run=_later("commands", "person"))

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
    emulator.set_defaults(run=_later("commands", "emulator"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        return args.run(args, settings)
    except HelptError as error:
        print(f"helpt: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
