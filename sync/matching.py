"""Match suggestions: the best volunteers for every open request, with reasons.

Pure: rows in, column values out; nothing here reads or writes a sheet.

Interface for the sync
----------------------
``suggest(requests, volunteers, areas=None, settings=MatchSettings()) -> MatchResult``

- ``requests`` / ``volunteers``: the merged Requests and Volunteers rows, as a
  pandas DataFrame or a list of {column_id: value} dicts, normalised by the
  sync (postcode as 4 digits; ``tasks``, ``languages``, ``transport``,
  ``availability`` and ``assigned_volunteers`` as codes joined by ", ").
  Read: request_id, status, assigned_volunteers, postcode, tasks, languages
  (empty: form_language), needed_count, availability, phone, email; and
  volunteer_id, full_name, postcode, tasks, languages, transport, profile_ok
  (yes/no, TRUE/FALSE, ja/nee, oui/non, x), screening, status. Missing
  columns read as empty; status and screening may be codes or labels.
- ``areas``: the Areas (``sheets_schema.areas.load_areas()``, the default) or
  Areas-tab rows with postcode, lat, lng.
- ``MatchResult.requests``: for *every* request id, the system columns
  suggestion_1..3, suggested_group, suggestion_score, no_match_reason,
  assignment_warning (empty strings where nothing applies, so stale values
  are cleared). ``MatchResult.volunteers``: for every volunteer id,
  open_cases and screen_first_for. ``unfilled_by_task`` feeds Stats.

What it decides
---------------
A volunteer is suggested only if every hard rule holds: offers every task
asked, shares a language, is not rejected, paused or withdrawn, has fewer open
cases than ``capacity``, and for in-person tasks declared the profile, has one
of the transports each task needs and lives within ``max_km`` (postcode
centres). Among those, cost in km-equivalents ranks them: distance, plus
``unscreened_km`` if not yet screened, plus ``open_case_km`` per open case,
minus ``continuity_km`` for a volunteer the requester had before (same phone
or e-mail). First choices come from one assignment over all waiting requests
at once (matching_assign), so nobody is first choice beyond their capacity.
A request needing N volunteers gets N distinct ones (matching_assign).
A request for several tasks that nobody does all of (nearby, with room) gets,
after the assignment, the best volunteer left for each task, one suggestion
per task; its no_match_reason names only the tasks nobody can do, each with
the rule that left nobody.
suggestion_1 (up to suggestion_N for a request needing N volunteers) is the
first choice, empty when none is left; the remaining columns list
alternatives that fit but may be someone else's first choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from sheets_schema.areas import Area, load_areas
from sheets_schema.tasks import TASKS

from .matching_assign import NOBODY, Edges, assign, class_edges, join
from .matching_candidates import Grid, Need, Pool, build_pool, candidates, distances, one_fits
from .matching_checks import assignment_warnings
from .matching_people import (
    TASK_BITS,
    TRANSPORT_BITS,
    Requests,
    as_frame,
    language_bits,
    previous_volunteers,
    read_requests,
    read_volunteers,
)
from .matching_text import Reason, Shortfall, fit_text, no_match_text, phrase, suggestion_text

SUGGESTIONS = 3  # suggestion_1 .. suggestion_3


@dataclass(frozen=True)
class MatchSettings:
    """The knobs; the settings (HELPT_MATCH_MAX_KM, HELPT_MATCH_CAPACITY) carry max_km and capacity."""

    max_km: float = 5.0  # in-person tasks only; remote tasks can be done from anywhere
    capacity: int = 2  # a volunteer with this many open cases is not suggested
    language: str = "nl"  # of reasons and warnings: the team's language
    candidates: int = 12  # options per request slot in the assignment
    unscreened_km: float = 2.0  # an unscreened volunteer ranks as if this much further away
    open_case_km: float = 1.0  # per open case
    continuity_km: float = 5.0  # the requester's previous volunteer ranks as if this much nearer


@dataclass(frozen=True)
class MatchResult:
    requests: dict[str, dict[str, object]]  # request_id -> system column values
    volunteers: dict[str, dict[str, object]]  # volunteer_id -> open_cases, screen_first_for
    first_choices: dict[str, list[str]]  # waiting request_id -> its first-choice volunteer ids
    unfilled_by_task: dict[str, int] = field(default_factory=dict)  # waiting requests short of volunteers

    @property
    def unfilled(self) -> int:
        return sum(1 for row in self.requests.values() if row["no_match_reason"])


def grid_of(areas: Sequence[Area] | pd.DataFrame | None) -> Grid:
    if isinstance(areas, pd.DataFrame):
        return Grid(areas["postcode"].astype(str), areas["lat"].astype(float), areas["lng"].astype(float))
    return _grid(tuple((a.postcode, a.lat, a.lng) for a in (load_areas() if areas is None else areas)))


@lru_cache(maxsize=4)
def _grid(centres: tuple[tuple[str, float, float], ...]) -> Grid:
    """Built once per set of postcode centres: the distance matrix takes a tenth of a second."""
    postcodes, lats, lngs = zip(*centres)
    return Grid(postcodes, lats, lngs)


def _codes(bits: int, table: Mapping[str, int]) -> list[str]:
    return [code for code, bit in table.items() if bits & bit]


@dataclass
class _Run:
    """One suggest() call's working state, so helpers need not pass ten arguments."""

    requests: Requests
    pool: Pool
    grid: Grid
    settings: MatchSettings
    languages: dict[str, int]
    needs: dict[int, Need]  # waiting request row -> its need
    previous: dict[int, set[str]]
    position: dict[str, int] = field(init=False)  # volunteer id -> index
    # Requests in one place asking the same get the same volunteers: each text is written once.
    reasons: dict[tuple[Need, int, bool], str] = field(default_factory=dict)
    no_matches: dict[tuple[Need, int, int, int], str] = field(default_factory=dict)
    offering: dict[int, np.ndarray] = field(default_factory=dict)  # tasks -> available volunteers offering all
    per_task: dict[tuple[Need, int], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # candidates

    def __post_init__(self) -> None:
        self.position = {vid: i for i, vid in enumerate(self.pool.volunteers.ids)}

    def cost(self, row: int, volunteer: int, need: Need | None = None) -> float:
        need = need or self.needs[row]
        cost = distances(self.grid, need, self.pool.places[[volunteer]])[0] + self.pool.penalty[volunteer]
        if self.pool.volunteers.ids[volunteer] in self.previous.get(row, ()):
            cost -= self.settings.continuity_km
        return float(cost)

    def reason(self, row: int, volunteer: int, need: Need | None = None) -> str:
        need, v = need or self.needs[row], self.pool.volunteers
        continuity = v.ids[volunteer] in self.previous.get(row, ())
        key = (need, volunteer, continuity)
        if key not in self.reasons:
            km = self.grid.km[need.place, self.pool.places[volunteer]]
            self.reasons[key] = suggestion_text(Reason(
                volunteer_id=v.ids[volunteer], name=v.names[volunteer],
                km=float(km) if np.isfinite(km) else None,
                tasks=_codes(need.tasks, TASK_BITS),
                languages=_codes(v.languages[volunteer] & need.languages, self.languages),
                transport=_codes(v.transport[volunteer] & sum(need.transport), TRANSPORT_BITS),
                open_cases=int(v.open_cases[volunteer]), screened=bool(v.screened[volunteer]),
                continuity=continuity,
            ), self.settings.language)
        return self.reasons[key]

    def score(self, cost: float) -> int:
        """0-100: 100 on the spot, screened, free; 0 at the edge of every rule."""
        s = self.settings
        worst = s.max_km + s.unscreened_km + s.capacity * s.open_case_km
        return int(round(100 * min(1.0, max(0.0, 1 - cost / worst))))


def _problem(requests: Requests, row: int, need: Need, grid: Grid, language: str) -> str:
    """What makes a request unmatchable before any search, or ""."""
    if need.tasks == 0:
        return phrase(language, "no_task", tasks=requests.task_codes[row])
    if need.languages == 0:
        return phrase(language, "no_language")
    if need.in_person and need.place == grid.unknown:
        return phrase(language, "unknown_postcode", postcode=requests.postcodes[row])
    return ""


def _shortfall(run: _Run, need: Need) -> tuple[str, np.ndarray] | None:
    """The first hard rule (in matching_text.RULES order) that leaves nobody, and the volunteers who
    met every rule before it (for the nearest miss); None if someone fits."""
    v, s = run.pool.volunteers, run.settings
    if need.tasks not in run.offering:
        run.offering[need.tasks] = np.flatnonzero(v.available & ((v.tasks & need.tasks) == need.tasks))
    left = run.offering[need.tasks]
    steps = [
        ("task", lambda i: np.ones(len(i), bool)),
        ("distance", lambda i: run.grid.km[need.place, run.pool.places[i]] <= s.max_km
         if need.in_person else np.ones(len(i), bool)),
        ("language", lambda i: (v.languages[i] & need.languages) != 0),
        ("profile", lambda i: v.profile_ok[i] if need.in_person else np.ones(len(i), bool)),
        ("transport", lambda i: np.logical_and.reduce([(v.transport[i] & m) != 0 for m in need.transport]
                                                      + [np.ones(len(i), bool)])),
        ("capacity", lambda i: v.open_cases[i] < s.capacity),
    ]
    for rule, keep in steps:
        before, left = left, left[keep(left)]
        if len(left) == 0:
            return rule, before
    return None


def _no_match(run: _Run, need: Need, found: int, wanted: int, listed: int) -> str:
    key = (need, found, wanted, listed)
    if key not in run.no_matches:
        run.no_matches[key] = _no_match_text(run, need, found, wanted, listed)
    return run.no_matches[key]


def _no_match_text(run: _Run, need: Need, found: int, wanted: int, listed: int) -> str:
    language = run.settings.language
    if found:
        return phrase(language, "partial", found=found, needed=wanted)
    shortfall = _shortfall(run, need)
    if shortfall is None:
        return phrase(language, "busy", n=listed)
    rule, missed = shortfall
    v = run.pool.volunteers
    return no_match_text(Shortfall(
        rule=rule, tasks=_codes(need.tasks, TASK_BITS), languages=_codes(need.languages, run.languages),
        in_person=need.in_person,
        transport=[list(t.requires) for t in TASKS if need.tasks & TASK_BITS[t.code] and t.requires],
        fitting=len(missed),
        nearest_km=float(run.grid.km[need.place, run.pool.places[missed]].min())
        if rule == "distance" and len(missed) else None,
        fewest_cases=int(v.open_cases[missed].min()) if rule == "capacity" and len(missed) else None,
    ), run.settings.max_km, run.settings.capacity, language)


def _continuity_edges(run: _Run, slots_of: dict[int, np.ndarray]) -> list[Edges]:
    """Options for the requester's previous volunteers, when they still meet every hard rule."""
    edges = []
    for row, vids in run.previous.items():
        if row not in slots_of:
            continue
        for vid in sorted(vids):
            k = run.position.get(vid)
            if k is not None and one_fits(run.pool, run.grid, run.needs[row], k, run.settings.capacity,
                                          run.settings.max_km):
                slots = slots_of[row]
                edges.append(Edges(slots, np.full(len(slots), k), np.full(len(slots), run.cost(row, k))))
    return edges


def _without_assigned(edges: Edges, run: _Run, slot_row: np.ndarray) -> Edges:
    """Drop options naming a volunteer the coordinator already assigned to that request."""
    width = len(run.position) + 1
    banned = [row * width + run.position[vid] for row in set(slot_row.tolist())
              for vid in run.requests.excluded(row) if vid in run.position]
    if not banned:
        return edges
    keep = ~np.isin(slot_row[edges.slot] * width + edges.volunteer, banned)
    return Edges(edges.slot[keep], edges.volunteer[keep], edges.cost[keep])


def _ranked(run: _Run, row: int, listed: tuple[np.ndarray, np.ndarray], limit: int | None = None) -> list[int]:
    """The request's options, cheapest first: its group's candidates plus fitting previous volunteers,
    without the volunteers already assigned to it; the first `limit` of them."""
    volunteers, costs = listed
    assigned, previous = run.requests.excluded(row), run.previous.get(row)
    if not (assigned or previous):
        return volunteers[:limit].tolist()  # the common case: the group's list as it is
    options = {int(k): float(c) for k, c in zip(volunteers, costs)}
    options.update({run.position[vid]: run.cost(row, run.position[vid]) for vid in previous or ()
                    if vid in run.position and one_fits(run.pool, run.grid, run.needs[row], run.position[vid],
                                                        run.settings.capacity, run.settings.max_km)})
    ranked = [k for k, _ in sorted(options.items(), key=lambda item: (item[1], item[0]))
              if run.pool.volunteers.ids[k] not in assigned]
    return ranked[:limit]


def _one_task_needs(need: Need) -> list[Need]:
    """A request for several tasks as one need per task, in the Tasks tab's order."""
    return [Need(need.place, TASK_BITS[t.code], need.languages) for t in TASKS if need.tasks & TASK_BITS[t.code]]


def _per_task(run: _Run, row: int, room: np.ndarray) -> list[tuple[Need, int, int]]:
    """For a request nobody covers whole: per task, the cheapest volunteer who fits it and still has
    room (NOBODY when none does), and how many fit. `room` is what the assignment left; picks use it up."""
    picks = []
    assigned = run.requests.excluded(row)
    for need in _one_task_needs(run.needs[row]):
        count = SUGGESTIONS + len(assigned) + 8
        if (need, count) not in run.per_task:
            run.per_task[need, count] = candidates(run.pool, run.grid, need, count, run.settings.max_km)
        volunteers, _ = run.per_task[need, count]
        free = [int(k) for k in volunteers if room[k] > 0 and run.pool.volunteers.ids[k] not in assigned]
        best = min(free, key=lambda k: (run.cost(row, k, need), k)) if free else NOBODY
        if best != NOBODY:
            room[best] -= 1
        picks.append((need, best, len(volunteers)))
    return picks


def _split_cells(run: _Run, row: int, picks: list[tuple[Need, int, int]], cells: dict[str, object],
                 screen_first: dict[int, list[str]]) -> list[str]:
    """Write a per-task suggestion into `cells`; the codes of the tasks nobody can do are returned."""
    v, language = run.pool.volunteers, run.settings.language
    found = [(need, k) for need, k, _ in picks if k != NOBODY]
    for n, (need, k) in enumerate(found[:SUGGESTIONS], start=1):
        cells[f"suggestion_{n}"] = run.reason(row, k, need)
        if not v.screened[k]:
            screen_first.setdefault(k, []).append(run.requests.ids[row])
    if found:
        cells["suggestion_score"] = fit_text(min(run.score(run.cost(row, k, need)) for need, k in found), language)
    missing = [(need, fitting) for need, k, fitting in picks if k == NOBODY]
    if missing:
        cells["no_match_reason"] = "; ".join(_no_match(run, need, 0, 1, fitting) for need, fitting in missing)
    return [code for need, _ in missing for code in _codes(need.tasks, TASK_BITS)]


def suggest(requests: pd.DataFrame | Iterable[Mapping[str, object]],
            volunteers: pd.DataFrame | Iterable[Mapping[str, object]],
            areas: Sequence[Area] | pd.DataFrame | None = None,
            settings: MatchSettings = MatchSettings()) -> MatchResult:
    """Suggestions for every waiting request, warnings on every assignment, counts for Stats."""
    request_frame, volunteer_frame = as_frame(requests), as_frame(volunteers)
    languages = language_bits(*(frame[c] for frame, c in ((request_frame, "languages"),
                                                          (request_frame, "form_language"),
                                                          (volunteer_frame, "languages"))
                                if c in frame.columns))
    req = read_requests(request_frame, languages)
    vol = read_volunteers(volunteer_frame, languages, req)
    grid = grid_of(areas)
    pool = build_pool(vol, grid, settings.capacity, settings.unscreened_km, settings.open_case_km)
    places = grid.locate(req.postcodes)
    slots = req.slots
    language = settings.language

    run = _Run(req, pool, grid, settings, languages, {}, previous_volunteers(req))
    problems: dict[int, str] = {}
    groups: dict[Need, list[int]] = {}
    for row in np.flatnonzero(slots > 0).tolist():
        need = Need(int(places[row]), int(req.tasks[row]), int(req.languages[row]))
        run.needs[row] = need
        problems[row] = _problem(req, row, need, grid, language)
        if not problems[row]:
            groups.setdefault(need, []).append(row)

    listed = {need: candidates(pool, grid, need, settings.candidates + int(slots[rows].sum()), settings.max_km)
              for need, rows in groups.items()}
    slot_row_list: list[int] = []
    edges = []
    for need, rows in groups.items():
        first = len(slot_row_list)
        for row in rows:
            slot_row_list.extend([row] * int(slots[row]))
        edges.append(class_edges(first, len(slot_row_list) - first, *listed[need], settings.candidates))
    slot_row = np.array(slot_row_list, dtype=np.int64)
    slots_of = {row: np.flatnonzero(slot_row == row) for row in run.previous if row in run.needs}
    edges.extend(_continuity_edges(run, slots_of))
    room = np.maximum(settings.capacity - vol.open_cases, 0)
    options = _without_assigned(join(edges), run, slot_row) if edges else Edges(*(np.zeros(0, int),) * 3)
    chosen = assign(options, len(slot_row), room, settings.open_case_km, slots[slot_row] > 1)

    firsts: dict[int, list[int]] = {row: [] for row in run.needs}
    for slot, k in enumerate(chosen.tolist()):
        if k != NOBODY:
            firsts[int(slot_row[slot])].append(k)
            room[k] -= 1
    # A request for several tasks that nobody does all of: the best volunteer for each task.
    split = {row: _per_task(run, row, room) for row, need in run.needs.items()
             if not firsts[row] and not problems[row] and slots[row] == 1 and need.tasks & (need.tasks - 1)}
    warnings = assignment_warnings(req, vol, settings.capacity, language)
    columns = {rid: _empty_columns(warnings.get(row, "")) for row, rid in enumerate(req.ids)}
    first_choices: dict[str, list[str]] = {}
    unfilled: Counter[str] = Counter()
    screen_first: dict[int, list[str]] = {}
    for row, need in run.needs.items():
        if row in split:
            first_choices[req.ids[row]] = [vol.ids[k] for _, k, _ in split[row] if k != NOBODY]
            unfilled.update(_split_cells(run, row, split[row], columns[req.ids[row]], screen_first))
            continue
        group = sorted(firsts[row], key=lambda k: (run.cost(row, k), k))
        first_choices[req.ids[row]] = [vol.ids[k] for k in group]
        wanted = int(slots[row])
        options = _ranked(run, row, listed[need], SUGGESTIONS + len(group)) if need in listed else []
        alternatives = [k for k in options if k not in group]
        shown = (group + [NOBODY] * (wanted - len(group)))[:SUGGESTIONS]
        shown += alternatives[: SUGGESTIONS - len(shown)]
        cells = columns[req.ids[row]]
        for n, k in enumerate(shown, start=1):
            if k != NOBODY:
                cells[f"suggestion_{n}"] = run.reason(row, k)
                if not vol.screened[k]:
                    screen_first.setdefault(k, []).append(req.ids[row])
        if wanted > 1:
            cells["suggested_group"] = ", ".join(vol.ids[k] for k in group)
        if group:
            cells["suggestion_score"] = fit_text(run.score(run.cost(row, group[0])), settings.language)
        if len(group) < wanted:
            cells["no_match_reason"] = problems[row] or _no_match(run, need, len(group), wanted,
                                                                  len(listed.get(need, ((),))[0]))
            unfilled.update(_codes(need.tasks, TASK_BITS))
    return MatchResult(
        requests=columns,
        volunteers={vid: {"open_cases": int(vol.open_cases[k]),
                          "screen_first_for": ", ".join(screen_first.get(k, []))}
                    for k, vid in enumerate(vol.ids)},
        first_choices=first_choices,
        unfilled_by_task={t.code: unfilled[t.code] for t in TASKS if unfilled[t.code]},
    )


def _empty_columns(warning: str) -> dict[str, object]:
    return {**{f"suggestion_{n}": "" for n in range(1, SUGGESTIONS + 1)}, "suggested_group": "",
            "suggestion_score": "", "no_match_reason": "", "assignment_warning": warning}
