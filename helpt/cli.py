"""The `helpt` command: parses options, calls the library, shows errors. Nothing imports it.

This is the composition root: it is the one place that knows both the web app
(`webhooks`) and the jobs (`sync`), and wires them to the configured spreadsheet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import local_sheets
from sheets_schema.contract import contract
from sheets_schema.errors import HelptError
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import TABS

from .backend import open_desk
from .config import ENV_NAMES, Settings, load_settings


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
        print(f"Spreadsheet: {desk.view_url}  ({desk.workbook.api_calls} API calls)")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from werkzeug.serving import make_server

    from webhooks import create_app

    with open_desk(settings) as desk:
        print(init_spreadsheet(desk.workbook, TABS).summary())
        app = create_app({"LANGUAGE": settings.language, "BACK_OFFICE_URL": desk.view_url})
        server = make_server(args.host or settings.host, args.port or settings.port, app, threaded=True)
        print(f"helpt is running on the {desk.backend} backend.")
        print(f"  desk (forms and intake API): http://{server.host}:{server.port}/")
        print(f"  back office (the spreadsheet): {desk.view_url}")
        if desk.backend == "local":
            print(f"  data: {settings.data_dir.resolve()}")
        print("Press Ctrl+C to stop.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Stopping.")
        finally:
            server.server_close()
    return 0


def _emulator(args: argparse.Namespace, settings: Settings) -> int:
    data = Path(args.data) if args.data else settings.data_dir
    data.mkdir(parents=True, exist_ok=True)
    print(f"Local Sheets API server on http://{args.host}:{args.port}/ (data in {data.resolve()})",
          flush=True)
    try:
        local_sheets.serve(data, args.host, args.port)
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

    emulator = commands.add_parser("emulator", help="run the local Sheets API server on its own")
    emulator.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1, loopback only)")
    emulator.add_argument("--port", type=int, default=8001, help="port (default 8001)")
    emulator.add_argument("--data", help="folder for its data (default HELPT_DATA_DIR)")
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
