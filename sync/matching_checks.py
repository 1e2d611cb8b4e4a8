"""Checks on the coordinator's own choice: assigned_volunteers is read, warned about, never changed."""

from __future__ import annotations

from collections import defaultdict

from .matching_people import Requests, Volunteers
from .matching_text import phrase, status_label

# "Flexible" can be arranged around anything, so it never clashes.
_NO_CLASH = frozenset({"flexible"})


def _clash(first: frozenset[str], second: frozenset[str]) -> bool:
    return bool((first & second) - _NO_CLASH)


def assignment_warnings(requests: Requests, volunteers: Volunteers, capacity: int,
                        language: str) -> dict[int, str]:
    """Per open request (by row), what is off with its assigned volunteers, joined by "; ".

    Off means: an unknown id; rejected or not yet screened; paused or withdrawn;
    more open cases than capacity; or on another open request at an overlapping
    time (a shared availability slot other than "flexible").
    """
    position = {vid: i for i, vid in enumerate(volunteers.ids)}
    is_open = requests.open
    cases = defaultdict(list)
    for row, assigned in enumerate(requests.assigned):
        if is_open[row]:
            for vid in assigned:
                cases[vid].append(row)
    warnings = {}
    for row, assigned in enumerate(requests.assigned):
        if not (is_open[row] and assigned):
            continue
        texts = []
        for vid in assigned:
            if vid not in position:
                texts.append(phrase(language, "w_unknown", id=vid))
                continue
            k = position[vid]
            if volunteers.screening[k] == "rejected":
                texts.append(phrase(language, "w_rejected", id=vid))
            elif volunteers.screening[k] != "approved":
                texts.append(phrase(language, "w_unscreened", id=vid))
            if volunteers.status[k] != "active":
                texts.append(phrase(language, "w_status", id=vid, status=status_label(volunteers.status[k], language)))
            if volunteers.open_cases[k] > capacity:
                texts.append(phrase(language, "w_capacity", id=vid, n=int(volunteers.open_cases[k]), capacity=capacity))
            texts.extend(phrase(language, "w_overlap", id=vid, other=requests.ids[other])
                         for other in cases[vid]
                         if other != row and _clash(requests.availability[row], requests.availability[other]))
        if texts:
            warnings[row] = "; ".join(texts)
    return warnings
