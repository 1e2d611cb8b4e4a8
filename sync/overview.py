"""The Overzicht tab: where help is short, per area and task, and the daily flow the city reports.

Pure: from the live master rows (as matching left them, so `open_cases` is
current) and the normalised submissions, the tab's columns as lists of cell
texts. Four tables side by side, each its own block of columns:

- per area and task, the largest shortfall first: open requests, free
  approved volunteers, volunteers still to screen, and one sentence a
  coordinator can act on ("Heverlee, boodschappen doen: 6 open, 1 vrij,
  4 te screenen");
- per area, all tasks together (the bar chart's data);
- per language the open requests speak: open requests against free
  volunteers who speak it (a request that gives no language speaks the
  language of its form);
- per day, request and offer forms filled in (the line chart's data).

A task done from home counts everywhere: its rows carry the area "van thuis
uit". Only counts: nothing here names a person.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sheets_schema.answers import cell_codes, choice_code
from sheets_schema.cases import REQUEST_STATUS_CHOICES, SCREENING_CHOICES, VOLUNTEER_STATUS_CHOICES
from sheets_schema.choices import LANGUAGE_CHOICES
from sheets_schema.i18n import N_, Phrases, number
from sheets_schema.tasks import TASK_CHOICES, TASKS

from .merge import CLOSED_STATUSES

WORDS = Phrases({
    "from_home": N_("from home"),
    "no_area": N_("area unknown"),
    "line": N_("{area}, {task}: {open} open, {free} free, {to_screen} to screen"),
})
_IN_PERSON = {t.code for t in TASKS if t.in_person}


@dataclass(frozen=True)
class Counts:
    open_requests: int = 0
    free_volunteers: int = 0
    to_screen: int = 0

    @property
    def shortfall(self) -> int:
        return max(self.open_requests - self.free_volunteers, 0)


def _volunteer_state(row: Mapping[str, str], capacity: int) -> str:
    """"free", "to_screen", or "" (paused, withdrawn, rejected or full)."""
    status = choice_code(VOLUNTEER_STATUS_CHOICES, row.get("status", "")) or "active"
    if status != "active":
        return ""
    screening = choice_code(SCREENING_CHOICES, row.get("screening", "")) or "to_screen"
    if screening == "to_screen":
        return "to_screen"
    try:
        busy = int(row.get("open_cases", "") or 0)
    except ValueError:
        busy = 0
    return "free" if screening == "approved" and busy < capacity else ""


def _is_open(row: Mapping[str, str]) -> bool:
    return (choice_code(REQUEST_STATUS_CHOICES, row.get("status", "")) or "new") not in CLOSED_STATUSES


def count(volunteers: Iterable[Mapping[str, str]], requests: Iterable[Mapping[str, str]], capacity: int,
          anywhere: str, unknown: str) -> tuple[dict[tuple[str, str], Counts], dict[str, Counts]]:
    """(per (area, task code), per area). Remote tasks are counted under `anywhere`; rows without an
    area under `unknown`."""
    open_requests: Counter[tuple[str, str]] = Counter()
    free: Counter[tuple[str, str]] = Counter()
    screening: Counter[tuple[str, str]] = Counter()
    area_open: Counter[str] = Counter()
    area_free: Counter[str] = Counter()
    area_screen: Counter[str] = Counter()
    for row in requests:
        if not _is_open(row):
            continue
        area = row.get("area", "").strip() or unknown
        area_open[area] += 1
        for task in cell_codes(TASK_CHOICES, row.get("tasks", "")):
            open_requests[(area if task in _IN_PERSON else anywhere, task)] += 1
    for row in volunteers:
        state = _volunteer_state(row, capacity)
        if not state:
            continue
        area = row.get("area", "").strip() or unknown
        (area_free if state == "free" else area_screen)[area] += 1
        for task in cell_codes(TASK_CHOICES, row.get("tasks", "")):
            (free if state == "free" else screening)[(area if task in _IN_PERSON else anywhere, task)] += 1
    keys = set(open_requests) | set(free) | set(screening)
    per_task = {key: Counts(open_requests[key], free[key], screening[key]) for key in keys}
    per_area = {area: Counts(area_open[area], area_free[area], area_screen[area])
                for area in set(area_open) | set(area_free) | set(area_screen)}
    return per_task, per_area


def _per_language(volunteers: Iterable[Mapping[str, str]], requests: Iterable[Mapping[str, str]], capacity: int,
                  language: str) -> list[tuple[str, tuple[int, int]]]:
    """(language in words, (open requests speaking it, free volunteers speaking it)), scarcest first."""
    open_by: Counter[str] = Counter()
    for row in requests:
        if _is_open(row):
            spoken = cell_codes(LANGUAGE_CHOICES, row.get("languages", "")) or cell_codes(
                LANGUAGE_CHOICES, row.get("form_language", ""))
            open_by.update(spoken)
    free_by: Counter[str] = Counter()
    for row in volunteers:
        if _volunteer_state(row, capacity) == "free":
            free_by.update(code for code in cell_codes(LANGUAGE_CHOICES, row.get("languages", "")) if code in open_by)
    words = {c.code: c.labels[language] for c in LANGUAGE_CHOICES}
    ranked = sorted(open_by, key=lambda code: (free_by[code] - open_by[code], words[code]))
    return [(words[code], (open_by[code], free_by[code])) for code in ranked]


def overview_columns(volunteers: Iterable[Mapping[str, str]], requests: Iterable[Mapping[str, str]],
                     per_day: Mapping[tuple[str, str], int], capacity: int, language: str) -> dict[str, list[str]]:
    """The Overzicht tab by column id, each a list of cell texts from row 2 down (but updated_at);
    `per_day` is stats.submissions_per_day of every submission."""
    words = WORDS.in_(language)
    per_task, per_area = count(volunteers, requests, capacity, words["from_home"], words["no_area"])
    task_label = {t.code: t.labels[language] for t in TASKS}
    order = {t.code: n for n, t in enumerate(TASKS)}
    ranked = sorted(per_task.items(), key=lambda kv: (-kv[1].shortfall, -kv[1].open_requests, kv[0][0],
                                                      order[kv[0][1]]))
    columns: dict[str, list[str]] = {c: [] for c in (
        "summary", "area", "task", "open_requests", "free_volunteers", "to_screen", "shortfall",
        "area_total", "area_open", "area_free", "language", "language_open", "language_free",
        "day", "requests_day", "offers_day")}
    for (area, task), counts in ranked:
        columns["summary"].append(words["line"].format(
            area=area, task=task_label[task].lower(), open=number(language, counts.open_requests),
            free=number(language, counts.free_volunteers), to_screen=number(language, counts.to_screen)))
        columns["area"].append(area)
        columns["task"].append(task_label[task])
        columns["open_requests"].append(str(counts.open_requests))
        columns["free_volunteers"].append(str(counts.free_volunteers))
        columns["to_screen"].append(str(counts.to_screen))
        columns["shortfall"].append(str(counts.shortfall))
    for area, counts in sorted(per_area.items(), key=lambda kv: (-kv[1].shortfall, kv[0])):
        columns["area_total"].append(area)
        columns["area_open"].append(str(counts.open_requests))
        columns["area_free"].append(str(counts.free_volunteers))
    for language_name, (open_count, free_count) in _per_language(volunteers, requests, capacity, language):
        columns["language"].append(language_name)
        columns["language_open"].append(str(open_count))
        columns["language_free"].append(str(free_count))
    for day in sorted({day for day, _ in per_day}):
        columns["day"].append(day)
        columns["requests_day"].append(str(per_day.get((day, "request"), 0)))
        columns["offers_day"].append(str(per_day.get((day, "offer"), 0)))
    return columns
