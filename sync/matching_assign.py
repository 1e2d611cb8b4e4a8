"""The fair part: one assignment over every open request at once.

Each request is one or more *slots* (a collective request needing 5 volunteers
is 5 slots). Each volunteer is as many *places* as cases they can still take
(capacity minus open cases); the second place of a volunteer costs more, so
work is spread. One dummy place per slot means "nobody": dear enough that a
slot stays empty only when no volunteer is left for it. The minimum-cost
matching over this sparse graph (scipy's LAPJVsp) is then fair by
construction: nobody is first choice more often than their capacity allows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

NOBODY = -1
UNFILLED_COST = 1e6  # km-equivalents: far above any real route, so filling a slot always wins


@dataclass(frozen=True)
class Edges:
    """Slot-to-volunteer options with their costs; one volunteer at most once per slot."""

    slot: np.ndarray
    volunteer: np.ndarray
    cost: np.ndarray


def class_edges(first_slot: int, slots: int, volunteers: np.ndarray, costs: np.ndarray,
                width: int) -> Edges:
    """Options for `slots` identical slots sharing one cheapest-first candidate list.

    Every slot may take any of the `width` cheapest; slot j may also take
    entries j .. j+width-1. So n identical slots always reach n distinct
    volunteers (slot j takes entry j) without n x n edges.
    """
    top = np.arange(min(width, len(volunteers)))
    rows, entries = [], []
    for j in range(slots):
        window = np.arange(max(j, width), min(j + width, len(volunteers)))
        options = np.concatenate([top, window])
        rows.append(np.full(len(options), first_slot + j))
        entries.append(options)
    if not rows:
        return Edges(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
    picked = np.concatenate(entries).astype(np.int64)
    return Edges(np.concatenate(rows).astype(np.int64), volunteers[picked], costs[picked])


def join(edges: list[Edges]) -> Edges:
    """All options in one; where a slot has one volunteer twice, the cheaper option stays."""
    slot = np.concatenate([e.slot for e in edges])
    volunteer = np.concatenate([e.volunteer for e in edges])
    cost = np.concatenate([e.cost for e in edges])
    order = np.lexsort((cost, volunteer, slot))
    slot, volunteer, cost = slot[order], volunteer[order], cost[order]
    first = np.ones(len(slot), dtype=bool)
    first[1:] = (slot[1:] != slot[:-1]) | (volunteer[1:] != volunteer[:-1])
    return Edges(slot[first], volunteer[first], cost[first])


def assign(edges: Edges, slots: int, room: np.ndarray, open_case_km: float, shared: np.ndarray) -> np.ndarray:
    """The volunteer matched to each slot, or NOBODY; `room` is each volunteer's free capacity.

    Slots marked `shared` belong to a request with several slots (collective):
    they reach only a volunteer's first place, so no volunteer can take two
    slots of one request. The price is small: another request that wanted that
    place moves to the volunteer's next one, which costs only open_case_km more.
    """
    if slots == 0:
        return np.zeros(0, np.int64)
    people, person = np.unique(edges.volunteer, return_inverse=True)
    places = room[people]
    first_place = np.concatenate([[0], np.cumsum(places)[:-1]])
    rows, cols, costs = [], [], []
    for extra in range(int(places.max(initial=0))):
        has = (places[person] > extra) & ~(shared[edges.slot] & (extra > 0))
        rows.append(edges.slot[has])
        cols.append(first_place[person[has]] + extra)
        costs.append(edges.cost[has] + open_case_km * extra)  # a second case makes them busier
    total_places = int(places.sum())
    rows.append(np.arange(slots))
    cols.append(total_places + np.arange(slots))
    costs.append(np.full(slots, UNFILLED_COST))
    cost = np.concatenate(costs)
    # LAPJVsp needs non-zero weights; shifting every edge equally keeps the optimum.
    weights = cost - cost.min() + 1.0
    graph = csr_array((weights, (np.concatenate(rows), np.concatenate(cols))), shape=(slots, total_places + slots))
    row, col = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(people, places)
    chosen = np.full(slots, NOBODY, dtype=np.int64)
    real = col < total_places
    chosen[row[real]] = owner[col[real]]
    return chosen
