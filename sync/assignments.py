"""Which requests each volunteer holds, written on the volunteer's row.

To phone Tom about his case, a coordinator should not have to search
Requests for V-000001: the Volunteers row lists, per open request Tom is
assigned to, its id and the first name, phone and area of who asked
("R-000012 Maria · 0470 12 34 56 · Heverlee"), one per line. Coordinators see
both tabs anyway; the line carries no more than it takes to make that call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sheets_schema.answers import choice_code
from sheets_schema.cases import REQUEST_STATUS_CHOICES

from .matching_people import OPEN_STATUSES, split_codes

SEPARATOR = " · "


def volunteer_cases(requests: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """Volunteer id -> the open requests assigned to them, one line each, in request order."""
    held: dict[str, list[str]] = defaultdict(list)
    for row in requests:
        status = choice_code(REQUEST_STATUS_CHOICES, row.get("status", "")) or "new"
        if status not in OPEN_STATUSES:
            continue
        first_name = (row.get("full_name", "").split() or [""])[0]
        line = SEPARATOR.join(part for part in (f"{row.get('request_id', '')} {first_name}".strip(),
                                                row.get("phone", ""), row.get("area", "")) if part)
        for volunteer_id in dict.fromkeys(code.upper() for code in split_codes(row.get("assigned_volunteers", ""))):
            held[volunteer_id].append(line)
    return {volunteer_id: "\n".join(lines) for volunteer_id, lines in held.items()}
