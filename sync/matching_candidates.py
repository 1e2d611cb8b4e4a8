"""Candidate generation: for each group of identical requests, the cheapest volunteers who fit.

Never all pairs. People are located at their postcode's centre, so distance is
a function of two postcodes: one postcode-to-postcode matrix (about 1,150
squared) replaces any per-person geometry. Volunteers are bucketed by task and
sorted by postcode; a request looks only in the bucket of its rarest task and
only at postcodes in widening rings around its own, stopping as soon as the
volunteers found are cheaper than anyone further out could be.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from sheets_schema.tasks import TASKS

from .matching_people import TASK_BITS, TRANSPORT_BITS, Volunteers

EARTH_RADIUS_KM = 6371.0088  # as sheets_schema.areas
UNKNOWN_KM = 100.0  # a remote task with an unknown postcode on either side ranks as if this far
# Where candidates() looks, in multiples of max_km (see there).
IN_PERSON_RINGS = np.array([1 / 2, 1])
REMOTE_RINGS = np.array([1, 4, 16, np.inf])


class Grid:
    """Postcode centres and the great-circle distances between them.

    Index `unknown` (one past the last postcode) stands for a missing or unknown
    postcode; its distance to anything is infinite.
    """

    def __init__(self, postcodes: Iterable[str], lats: Iterable[float], lngs: Iterable[float]) -> None:
        self.postcodes = [str(p).strip() for p in postcodes]
        self.index = {p: i for i, p in enumerate(self.postcodes)}
        self.unknown = len(self.postcodes)
        lat = np.radians(np.asarray(list(lats), dtype=float))
        lng = np.radians(np.asarray(list(lngs), dtype=float))
        # Haversine over every pair at once (see sheets_schema.areas.distance_km).
        h = (np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
             + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin((lng[:, None] - lng[None, :]) / 2) ** 2)
        km = np.full((self.unknown + 1, self.unknown + 1), np.inf)
        km[:-1, :-1] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
        self.km = km
        self._rings: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def locate(self, postcodes: np.ndarray) -> np.ndarray:
        return np.array([self.index.get(str(p).strip(), self.unknown) for p in postcodes], dtype=np.int64)

    def by_distance(self, place: int) -> tuple[np.ndarray, np.ndarray]:
        """Every place (unknown last) nearest first from `place`, and the distances."""
        if place not in self._rings:
            order = np.argsort(self.km[place], kind="stable")
            self._rings[place] = (order, self.km[place][order])
        return self._rings[place]


@dataclass(frozen=True)
class Need:
    """What a group of identical requests asks: where, which tasks, which languages."""

    place: int
    tasks: int
    languages: int

    @cached_property
    def in_person(self) -> bool:
        return any(t.in_person for t in TASKS if self.tasks & TASK_BITS[t.code])

    @cached_property
    def transport(self) -> tuple[int, ...]:
        """One mask per task that needs transport: the volunteer needs a bit of each."""
        return tuple(sum(TRANSPORT_BITS[c] for c in t.requires)
                     for t in TASKS if self.tasks & TASK_BITS[t.code] and t.requires)


@dataclass(frozen=True)
class Pool:
    """The volunteers who may be suggested at all, with what makes each dearer, per task."""

    volunteers: Volunteers
    places: np.ndarray  # grid index per volunteer
    penalty: np.ndarray  # km-equivalents: unscreened, open cases
    buckets: dict[int, tuple[np.ndarray, np.ndarray]]  # task bit -> (volunteers by place, place starts)


def build_pool(volunteers: Volunteers, grid: Grid, capacity: int, unscreened_km: float,
               open_case_km: float) -> Pool:
    places = grid.locate(volunteers.postcodes)
    penalty = unscreened_km * ~volunteers.screened + open_case_km * volunteers.open_cases
    usable = volunteers.available & (volunteers.open_cases < capacity)
    buckets = {}
    for bit in TASK_BITS.values():
        members = np.flatnonzero(usable & ((volunteers.tasks & bit) != 0))
        members = members[np.argsort(places[members], kind="stable")]
        starts = np.searchsorted(places[members], np.arange(grid.unknown + 2))
        buckets[bit] = (members, starts)
    return Pool(volunteers, places, penalty.astype(float), buckets)


def fits(pool: Pool, need: Need, members: np.ndarray) -> np.ndarray:
    """Which of `members` (already usable and offering one of the tasks) satisfy every other hard rule."""
    v = pool.volunteers
    ok = ((v.tasks[members] & need.tasks) == need.tasks) & ((v.languages[members] & need.languages) != 0)
    if need.in_person:
        ok &= v.profile_ok[members]
    for mask in need.transport:
        ok &= (v.transport[members] & mask) != 0
    return ok


def distances(grid: Grid, need: Need, places: np.ndarray) -> np.ndarray:
    """Km from the request to each place; for remote tasks an unknown side counts as UNKNOWN_KM."""
    km = grid.km[need.place, places]
    return km if need.in_person else np.where(np.isfinite(km), km, UNKNOWN_KM)


def _gather(members: np.ndarray, starts: np.ndarray, places: np.ndarray) -> np.ndarray:
    """The bucket members living at any of `places`, without a Python loop over places."""
    first, last = starts[places], starts[places + 1]
    sizes = last - first
    total = int(sizes.sum())
    if total == 0:
        return members[:0]
    offsets = np.repeat(first - (np.cumsum(sizes) - sizes), sizes)
    return members[offsets + np.arange(total)]


def rarest_task(pool: Pool, tasks: int) -> int:
    bits = [bit for bit in TASK_BITS.values() if tasks & bit]
    return min(bits, key=lambda bit: len(pool.buckets[bit][0]))


def candidates(pool: Pool, grid: Grid, need: Need, count: int, max_km: float) -> tuple[np.ndarray, np.ndarray]:
    """Up to `count` volunteers who fit `need`, cheapest first, and their costs (km-equivalents).

    Both look in widening rings and stop when `count` are found and nobody in
    the next ring could be cheaper (cost is never below distance): in-person
    tasks within half of max_km and then all of it, no further; remote tasks
    in rings of max_km, 4x, 16x and then everywhere. In a dense city the
    first ring often holds enough, and the thousands beyond it are never
    looked at (a smaller first ring rarely holds enough: an unscreened
    volunteer costs unscreened_km more than their distance).
    """
    members, starts = pool.buckets[rarest_task(pool, need.tasks)]
    order, km = grid.by_distance(need.place)
    radii = IN_PERSON_RINGS * max_km if need.in_person else REMOTE_RINGS * max_km
    found: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    done = 0
    for radius in radii:
        end = int(np.searchsorted(km, radius, side="right")) if np.isfinite(radius) else len(order)
        near = _gather(members, starts, order[done:end])
        done = end
        near = near[fits(pool, need, near)]
        found.append(near)
        costs.append(distances(grid, need, pool.places[near]) + pool.penalty[near])
        total = sum(len(f) for f in found)
        if total >= count and np.partition(np.concatenate(costs), count - 1)[count - 1] <= radius:
            break
    chosen, cost = np.concatenate(found), np.concatenate(costs)
    ranked = np.lexsort((chosen, cost))[:count]  # ties: input order, so results are repeatable
    return chosen[ranked], cost[ranked]


def one_fits(pool: Pool, grid: Grid, need: Need, volunteer: int, capacity: int, max_km: float) -> bool:
    """Whether one volunteer meets every hard rule for `need` (for continuity, outside the candidates)."""
    v = pool.volunteers
    if not (v.available[volunteer] and v.open_cases[volunteer] < capacity):
        return False
    if (v.tasks[volunteer] & need.tasks) != need.tasks:
        return False
    if need.in_person and not grid.km[need.place, pool.places[volunteer]] <= max_km:
        return False
    return bool(fits(pool, need, np.array([volunteer]))[0])
