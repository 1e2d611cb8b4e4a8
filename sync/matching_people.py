"""Requests and volunteers as numpy arrays: the shape matching computes on.

Rows arrive as {column_id: value} from the merged Requests and Volunteers tabs.
List cells ("groceries, pharmacy") become bit masks so that "offers every task
asked" or "shares a language" is one integer operation over 100,000 volunteers.
Each distinct cell text is parsed once (pandas.factorize), not once per row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_schema.answers import choice_code, choice_words
from sheets_schema.cases import REQUEST_STATUS_CHOICES, SCREENING_CHOICES, VOLUNTEER_STATUS_CHOICES
from sheets_schema.choices import AVAILABILITY_CHOICES, LANGUAGE_CHOICES, TRANSPORT_CHOICES
from sheets_schema.fields import Choice
from sheets_schema.tasks import TASK_CHOICES, TASKS

TASK_BITS: dict[str, int] = {t.code: 1 << i for i, t in enumerate(TASKS)}
TRANSPORT_BITS: dict[str, int] = {c.code: 1 << i for i, c in enumerate(TRANSPORT_CHOICES)}

# Requests a volunteer is busy with (open cases), and requests still waiting for one.
OPEN_STATUSES = frozenset({"new", "in_progress", "matched"})
WAITING_STATUSES = frozenset({"new", "in_progress"})

_TRUE = frozenset({"yes", "y", "true", "1", "ja", "j", "oui", "x", "✓", "waar", "vrai"})
_MAX_LANGUAGES = 63  # bits in an int64 mask


def split_codes(value: object) -> list[str]:
    """The codes in a list cell ("nl, en"), or in a Python list."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    parts = value if isinstance(value, (list, tuple, set)) else str(value).split(",")
    return [str(part).strip() for part in parts if str(part).strip()]


def is_yes(value: object) -> bool:
    """True for the spellings of yes a sheet or form may hold: TRUE, yes, ja, oui, x, 1."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    return str(value).strip().casefold() in _TRUE


def codes_in(cell: object, choices: tuple[Choice, ...]) -> list[str]:
    """The codes a list cell names, as labels in any language or as codes; an unknown word stays itself."""
    words = choice_words(choices)
    return [words.get(" ".join(item.split()).casefold(), item.casefold()) for item in split_codes(cell)]


def language_bits(*columns: pd.Series) -> dict[str, int]:
    """One bit per language: the schema's languages first, then any other code seen.

    Codes beyond 63 distinct languages get no bit, so nobody is matched on them.
    """
    codes = [c.code for c in LANGUAGE_CHOICES]
    for column in columns:
        for cell in pd.unique(column.fillna("").astype(str)):
            codes.extend(codes_in(cell, LANGUAGE_CHOICES))
    unique = list(dict.fromkeys(codes))[:_MAX_LANGUAGES]
    return {code: 1 << i for i, code in enumerate(unique)}


def _masks(column: pd.Series, bits: Mapping[str, int], choices: tuple[Choice, ...]) -> np.ndarray:
    """Each cell's codes as a bit mask; every distinct cell is read once."""
    codes, cells = pd.factorize(column.fillna("").astype(str))
    table = np.array([sum(bits.get(c, 0) for c in set(codes_in(cell, choices))) for cell in cells]
                     + [0], dtype=np.int64)
    return table[codes]


def _flags(column: pd.Series) -> np.ndarray:
    codes, cells = pd.factorize(column.fillna("").astype(str))
    return np.array([is_yes(cell) for cell in cells] + [False], dtype=bool)[codes]


def _choices(column: pd.Series, choices: tuple[Choice, ...], default: str) -> np.ndarray:
    codes, cells = pd.factorize(column.fillna("").astype(str))
    table = [choice_code(choices, cell) or cell.strip().casefold() or default for cell in cells]
    return np.array(table + [default], dtype=object)[codes]


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].reset_index(drop=True)
    return pd.Series([""] * len(frame), dtype=object)


def _text(frame: pd.DataFrame, name: str) -> np.ndarray:
    return _column(frame, name).fillna("").astype(str).str.strip().to_numpy(dtype=object)


def as_frame(rows: pd.DataFrame | Iterable[Mapping[str, object]]) -> pd.DataFrame:
    return rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))


@dataclass(frozen=True)
class Volunteers:
    """One entry per volunteer row, in input order."""

    ids: np.ndarray  # "V-000123"
    names: np.ndarray  # full names, only ever shortened to "Jan P."
    postcodes: np.ndarray
    tasks: np.ndarray  # int64 task bits
    languages: np.ndarray  # int64 language bits
    transport: np.ndarray  # int64 transport bits
    profile_ok: np.ndarray  # bool: declared the profile for doorstep tasks
    screening: np.ndarray  # to_screen | approved | rejected
    status: np.ndarray  # active | paused | withdrawn
    open_cases: np.ndarray  # int, from the requests' assigned_volunteers
    available: np.ndarray  # bool: not rejected at screening, and neither paused nor withdrawn
    screened: np.ndarray  # bool: approved at screening


@dataclass(frozen=True)
class Requests:
    """One entry per request row, in input order."""

    ids: np.ndarray
    status: np.ndarray  # new | in_progress | matched | closed | cancelled
    postcodes: np.ndarray
    tasks: np.ndarray  # int64 task bits of known tasks
    task_codes: np.ndarray  # the cell as given, for texts about unknown tasks
    languages: np.ndarray  # int64 language bits
    needed: np.ndarray  # int: volunteers wanted (needed_count for collective tasks, else 1)
    assigned: list[list[str]]  # the coordinator's assigned_volunteers
    turned_down: list[frozenset[str]]  # volunteers who said no to the request, or let it expire
    availability: list[frozenset[str]]
    phones: np.ndarray
    emails: np.ndarray

    @property
    def open(self) -> np.ndarray:
        return np.isin(self.status, list(OPEN_STATUSES))

    def excluded(self, row: int) -> set[str]:
        """Volunteers never to suggest for this request: assigned already, or they said no."""
        return {*self.assigned[row], *self.turned_down[row]}

    @property
    def slots(self) -> np.ndarray:
        """Volunteers still to suggest: what is needed minus who is already assigned."""
        waiting = np.isin(self.status, list(WAITING_STATUSES))
        # Gematcht, but a volunteer said no or let it expire: the coordinator needs the next suggestion.
        waiting |= (self.status == "matched") & np.array([bool(t) for t in self.turned_down], dtype=bool)
        assigned = np.array([len(a) for a in self.assigned], dtype=np.int64)
        return np.where(waiting, np.maximum(self.needed - assigned, 0), 0)


def _needed(frame: pd.DataFrame, tasks: np.ndarray) -> np.ndarray:
    collective = sum(TASK_BITS[t.code] for t in TASKS if t.collective)
    counts = pd.to_numeric(_column(frame, "needed_count"), errors="coerce").fillna(1).to_numpy()
    counts = np.maximum(np.nan_to_num(counts, nan=1.0), 1).astype(np.int64)
    return np.where((tasks & collective) != 0, counts, 1)


def read_requests(frame: pd.DataFrame, languages: Mapping[str, int]) -> Requests:
    """The requests, parsed; an empty `languages` cell falls back to the form's language."""
    spoken = _column(frame, "languages").fillna("").astype(str)
    spoken = spoken.where(spoken.str.strip() != "", _column(frame, "form_language").fillna("").astype(str))
    tasks = _masks(_column(frame, "tasks"), TASK_BITS, TASK_CHOICES)
    return Requests(
        ids=_text(frame, "request_id"),
        status=_choices(_column(frame, "status"), REQUEST_STATUS_CHOICES, "new"),
        postcodes=_text(frame, "postcode"),
        tasks=tasks,
        task_codes=_text(frame, "tasks"),
        languages=_masks(spoken, languages, LANGUAGE_CHOICES),
        needed=_needed(frame, tasks),
        assigned=[list(dict.fromkeys(i.upper() for i in split_codes(cell)))
                  for cell in _column(frame, "assigned_volunteers")],
        turned_down=[frozenset(i.upper() for i in split_codes(cell)) for cell in _column(frame, "turned_down")],
        availability=[frozenset(codes_in(cell, AVAILABILITY_CHOICES)) for cell in _column(frame, "availability")],
        phones=_text(frame, "phone"),
        emails=np.char.lower(_text(frame, "email").astype(str)).astype(object),
    )


def count_open_cases(requests: Requests, volunteer_ids: np.ndarray) -> np.ndarray:
    """Per volunteer, the open requests whose assigned_volunteers name them."""
    position = {vid: i for i, vid in enumerate(volunteer_ids)}
    counts = np.zeros(len(volunteer_ids), dtype=np.int64)
    for is_open, assigned in zip(requests.open, requests.assigned):
        if is_open:
            for vid in assigned:
                if vid in position:
                    counts[position[vid]] += 1
    return counts


def read_volunteers(frame: pd.DataFrame, languages: Mapping[str, int], requests: Requests) -> Volunteers:
    ids = np.array([i.upper() for i in _text(frame, "volunteer_id")], dtype=object)
    screening = _choices(_column(frame, "screening"), SCREENING_CHOICES, "to_screen")
    status = _choices(_column(frame, "status"), VOLUNTEER_STATUS_CHOICES, "active")
    return Volunteers(
        ids=ids,
        names=_text(frame, "full_name"),
        postcodes=_text(frame, "postcode"),
        tasks=_masks(_column(frame, "tasks"), TASK_BITS, TASK_CHOICES),
        languages=_masks(_column(frame, "languages"), languages, LANGUAGE_CHOICES),
        transport=_masks(_column(frame, "transport"), TRANSPORT_BITS, TRANSPORT_CHOICES),
        profile_ok=_flags(_column(frame, "profile_ok")),
        screening=screening,
        status=status,
        open_cases=count_open_cases(requests, ids),
        available=(screening != "rejected") & (status == "active"),
        screened=screening == "approved",
    )


def previous_volunteers(requests: Requests) -> dict[int, set[str]]:
    """For each waiting request, the volunteers its requester had on other requests (same phone or e-mail)."""
    by_contact: dict[str, set[str]] = {}
    for i, assigned in enumerate(requests.assigned):
        if assigned and requests.status[i] != "cancelled":
            for contact in (requests.phones[i], requests.emails[i]):
                if contact:
                    by_contact.setdefault(contact, set()).update(assigned)
    previous = {}
    for i in np.flatnonzero(requests.slots > 0):
        found = by_contact.get(requests.phones[i], set()) | by_contact.get(requests.emails[i], set())
        found -= set(requests.assigned[i])
        if found:
            previous[int(i)] = found
    return previous
