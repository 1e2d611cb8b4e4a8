"""Which spreadsheet the desk's database serves, so that one desk's people never reach another's sheet.

The journal holds submissions acknowledged for one spreadsheet and the archive
holds rows moved out of it. A desk pointed at another desk's database by
mistake (a staging desk given production's `DATABASE_URL`) would append
production's pending submissions to its own sheet, where production never sees
them, and read production's archive into its master tabs, showing those people
to whoever can open the staging sheet.

So the database records the spreadsheet it serves, the first time a command
that writes between the two runs, and from then on such a command refuses any
other spreadsheet, until someone says the desk moved (`helpt init --move`).
"""

from __future__ import annotations

import sqlalchemy as sa

from sheets_schema.errors import HelptError

from .engine import Database

_metadata = sa.MetaData()
SERVED = sa.Table(
    "served_spreadsheet", _metadata,
    sa.Column("one", sa.Integer, primary_key=True),  # always 1: a database serves one spreadsheet
    sa.Column("spreadsheet", sa.String(200), nullable=False),  # its id
)


class OtherSpreadsheet(HelptError):
    """The database serves another spreadsheet than the one this desk opened."""


def served(database: Database) -> str | None:
    """The id of the spreadsheet the database serves, or None before any command claimed one."""
    database.create_tables(_metadata)
    with database.begin() as db:
        return db.execute(sa.select(SERVED.c.spreadsheet)).scalar_one_or_none()


def serve_only(database: Database, spreadsheet: str, *, claim: bool = True) -> None:
    """Go on only if the database serves `spreadsheet`; a database that serves none yet serves it from now on
    (unless `claim` is False: a dry run).

    Two commands that find it unclaimed at once both insert; the first wins, and the other
    then reads the winner's claim, so exactly one spreadsheet is ever served."""
    database.create_tables(_metadata)
    with database.begin() as db:
        if claim:
            db.execute(database.insert(SERVED).values(one=1, spreadsheet=spreadsheet).on_conflict_do_nothing(
                index_elements=["one"]))
        claimed = db.execute(sa.select(SERVED.c.spreadsheet)).scalar_one_or_none()
    if claimed not in (None, spreadsheet):
        raise OtherSpreadsheet(
            f"the desk's database ({database.describe()}) serves spreadsheet {claimed}, not {spreadsheet}. "
            f"Its journal and archive hold the people of {claimed}: written to {spreadsheet}, they would reach "
            "whoever can open it, and that desk would never see them. Check DATABASE_URL and "
            f"HELPT_SPREADSHEET_ID. Only if the desk really moved to {spreadsheet}, a copy of {claimed}, "
            "run `helpt init --move` once.")


def move(database: Database, spreadsheet: str) -> None:
    """The database serves `spreadsheet` from now on (sync/copies.py says when it may)."""
    database.create_tables(_metadata)
    with database.begin() as db:
        db.execute(database.insert(SERVED).values(one=1, spreadsheet=spreadsheet).on_conflict_do_update(
            index_elements=["one"], set_={"spreadsheet": spreadsheet}))
