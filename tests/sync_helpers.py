"""Small hand-written intake rows and a ready spreadsheet, for the sync tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import datetime

from sheets_schema.answers import bool_text, list_text
from sheets_schema.choices import LANGUAGE_CHOICES
from sheets_schema.layout import init_spreadsheet
from sheets_schema.tabs import INTAKE_TABS, TABS, tab
from sheets_schema.tasks import TASK_CHOICES
from sheets_schema.workbook import Workbook
from sync.merge import MATCHING_COLUMNS

CLOCK = datetime(2020, 3, 20, 12, 0, 0)


def fixed_clock() -> datetime:
    return CLOCK


def submission(sid: str, name: str, *, phone: str = "", email: str = "", street: str = "",
               postcode: str = "3000", tasks: Iterable[str] = ("groceries",), language: str = "nl",
               when: str = "2020-03-20T10:00:00+01:00", languages: Iterable[str] = ("nl",),
               **answers: str) -> dict[str, str]:
    """One intake row as the website writes it: labels in the form's language."""
    return {"timestamp": when, "submission_id": sid, "channel": "web", "full_name": name, "phone": phone,
            "email": email, "street": street, "postcode": postcode,
            "languages": list_text(LANGUAGE_CHOICES, list(languages), language),
            "tasks": list_text(TASK_CHOICES, list(tasks), language),
            "consent_privacy": bool_text(True, language), **answers}


def spreadsheet(workbook: Workbook, offers: Iterable[tuple[str, Mapping[str, str]]] = (),
                requests: Iterable[tuple[str, Mapping[str, str]]] = ()) -> None:
    """Lay out every tab and append the given (language, row) pairs to their intake tabs."""
    init_spreadsheet(workbook, TABS)
    add(workbook, offers, requests)


def add(workbook: Workbook, offers: Iterable[tuple[str, Mapping[str, str]]] = (),
        requests: Iterable[tuple[str, Mapping[str, str]]] = ()) -> None:
    sheets = workbook.read(INTAKE_TABS)
    rows: dict[str, list[Mapping[str, str]]] = {}
    for form, pairs in (("offer", offers), ("request", requests)):
        for language, row in pairs:
            rows.setdefault(f"intake_{form}_{language}", []).append(row)
    for tab_id, records in rows.items():
        workbook.append(sheets[tab_id], records)


def master(workbook: Workbook, tab_id: str, *, matching: bool = False) -> dict[str, dict[str, str]]:
    """A master tab's rows by id, every declared column (matching's own columns left out unless asked)."""
    sheet = workbook.read([tab(tab_id)])[tab_id]
    key = sheet.tab.key
    return {r[key]: {c: v for c, v in r.items() if matching or c not in MATCHING_COLUMNS}
            for r in sheet.records() if r[key]}


def pairs_of(groups: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for group in groups for p in itertools.combinations(sorted(group), 2)}
