"""Whether a spreadsheet carries on the desk's database's own: what `helpt init --move` checks first.

A desk moves to a copy of its spreadsheet (File > Make a copy), with the same
people under the same ids. Its database then goes with it: the journal, the
archive, and the handovers, which know volunteers and requests by id only. On
a new, empty spreadsheet those ids would name other people, and a volunteer who
said yes to one request would be sent the address of whoever got its id there.
A staging desk told to move by the very message that refused it would take
production's people too. So a move goes only to a spreadsheet that holds some
of the submissions the database wrote, in an intake tab or in a master row.
"""

from __future__ import annotations

from collections.abc import Collection

from sheets_schema.answers import split_list
from sheets_schema.tabs import INTAKE_TABS, REQUESTS, VOLUNTEERS
from sheets_schema.workbook import Workbook


def holds_any(workbook: Workbook, submission_ids: Collection[str]) -> bool:
    """Whether `workbook` holds any of `submission_ids`: as an intake row, or in a master row's submissions."""
    wanted = set(submission_ids)
    metadata = workbook.metadata()
    present = [tab for tab in (REQUESTS, VOLUNTEERS, *INTAKE_TABS) if workbook.find_tab(tab, metadata) is not None]
    if not present:  # a new, empty spreadsheet: nothing to read
        return False
    for sheet in workbook.read(present).values():
        for column, ids_in in (("submission_id", lambda cell: [cell.strip()]), ("submission_ids", split_list)):
            position = sheet.positions.get(column)
            if position is not None and any(not wanted.isdisjoint(ids_in(row[position])) for row in sheet.rows):
                return True
    return False
