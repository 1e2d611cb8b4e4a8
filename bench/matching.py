"""Benchmark of sync.matching.suggest on generated requests and volunteers.

    .venv/bin/python -m bench.matching            # 10,000 x 100,000, and 2,000 x 20,000 against the optimum
    .venv/bin/python -m bench.matching --quick    # 1,000 x 10,000 and 300 x 3,000, for a smoke run

(Run as a module from the project root: as a script, bench/sync.py would hide the sync package.)

People are spread over every Belgian postcode, denser around Leuven, with the
task, language and transport mix of a city help desk. Reports wall time, peak
memory, first-choice distance against the optimal assignment (scipy's
linear_sum_assignment on the full feasible cost matrix), the most requests any
volunteer is first choice for, and unfilled requests.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time
import tracemalloc
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from sheets_schema.areas import load_areas
from sheets_schema.tasks import TASKS
from sync.matching import MatchResult, MatchSettings, suggest
from sync.matching_candidates import UNKNOWN_KM, Grid, Need, build_pool, distances, fits
from sync.matching_people import language_bits, read_requests, read_volunteers

TASK_WEIGHTS = {"groceries": 30, "pharmacy": 15, "dog_walking": 8, "post_office": 7, "drawing": 5,
                "phone_chat": 12, "video_call": 6, "letter": 5, "food_delivery": 6, "logistics": 3,
                "phone_support": 1.5, "triage_support": 1.5}
OTHER_LANGUAGES = ["de", "ar", "tr", "es", "it", "pl", "ro", "ru", "uk", "fa"]


def _postcodes(rng: np.random.Generator, n: int, leuven_share: float) -> np.ndarray:
    """Postcodes: a share within 20 km of Leuven (nearer more likely), the rest anywhere in Belgium."""
    areas = load_areas()
    grid = Grid([a.postcode for a in areas], [a.lat for a in areas], [a.lng for a in areas])
    codes = np.array(grid.postcodes)
    km = grid.km[grid.index["3000"], :-1]
    near = km <= 20
    weights = 1 / (1 + km[near])
    leuven = rng.random(n) < leuven_share
    out = rng.choice(codes, n)
    out[leuven] = rng.choice(codes[near], leuven.sum(), p=weights / weights.sum())
    return out


def _pick(rng: np.random.Generator, n: int, options: list[str], weights: list[float], extra: float) -> list[str]:
    """One option per person, a second with probability `extra`."""
    p = np.asarray(weights, float) / sum(weights)
    first = rng.choice(options, n, p=p)
    second = rng.choice(options, n, p=p)
    both = rng.random(n) < extra
    return [f"{a}, {b}" if two and a != b else str(a) for a, b, two in zip(first, second, both)]


def _languages(rng: np.random.Generator, n: int, nl: float, fr: float, en: float) -> list[str]:
    spoken = []
    for r1, r2, r3, r4, other in zip(rng.random(n), rng.random(n), rng.random(n), rng.random(n),
                                     rng.choice(OTHER_LANGUAGES, n)):
        codes = [c for c, r, share in (("nl", r1, nl), ("fr", r2, fr), ("en", r3, en)) if r < share]
        if r4 < 0.07 or not codes:
            codes.append(str(other))
        spoken.append(", ".join(codes))
    return spoken


def generate(requests: int, volunteers: int, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`requests` waiting requests plus a tenth as many matched ones (so volunteers have open cases)."""
    rng = np.random.default_rng(seed)
    codes, weights = list(TASK_WEIGHTS), list(TASK_WEIGHTS.values())
    vol = pd.DataFrame({
        "volunteer_id": [f"V-{i:06d}" for i in range(1, volunteers + 1)],
        "full_name": "Vrijwilliger Bench",
        "postcode": _postcodes(rng, volunteers, 0.30),
        "tasks": [", ".join(sorted(set(t.split(", ")) | set(u.split(", "))))
                  for t, u in zip(_pick(rng, volunteers, codes, weights, 0.6),
                                  _pick(rng, volunteers, codes, weights, 0.3))],
        "languages": _languages(rng, volunteers, 0.8, 0.3, 0.5),
        "transport": _pick(rng, volunteers, ["bike", "car", "cargo_bike", "on_foot", "public_transport"],
                           [40, 30, 8, 15, 7], 0.4),
        "profile_ok": np.where(rng.random(volunteers) < 0.8, "yes", "no"),
        "screening": rng.choice(["approved", "to_screen", "rejected"], volunteers, p=[0.5, 0.45, 0.05]),
        "status": rng.choice(["active", "paused", "withdrawn"], volunteers, p=[0.92, 0.05, 0.03]),
    })
    matched = requests // 10
    total = requests + matched
    tasks = _pick(rng, total, codes, weights, 0.15)
    collective = {t.code for t in TASKS if t.collective}
    req = pd.DataFrame({
        "request_id": [f"R-{i:06d}" for i in range(1, total + 1)],
        "status": ["new"] * requests + ["matched"] * matched,
        "postcode": _postcodes(rng, total, 0.45),
        "tasks": tasks,
        "languages": _languages(rng, total, 0.75, 0.15, 0.08),
        "needed_count": [str(rng.integers(2, 9)) if set(t.split(", ")) & collective else "" for t in tasks],
        "assigned_volunteers": [""] * requests + list(rng.choice(vol["volunteer_id"], matched)),
    })
    return req, vol


def optimal_distance(req: pd.DataFrame, vol: pd.DataFrame, settings: MatchSettings,
                     distinct: bool) -> tuple[float, int]:
    """Minimum total km of first choices (most requests filled first), over every feasible pair.

    `distinct`: a collective request uses a volunteer's first free place only,
    as suggest() does, so it never gets one volunteer twice. Without it, the
    result is a lower bound that may give one volunteer two slots of one request.
    """
    languages = language_bits(req["languages"], vol["languages"])
    requests = read_requests(req, languages)
    volunteers = read_volunteers(vol, languages, requests)
    areas = load_areas()
    grid = Grid([a.postcode for a in areas], [a.lat for a in areas], [a.lng for a in areas])
    pool = build_pool(volunteers, grid, settings.capacity, 0.0, 0.0)
    usable = volunteers.available & (volunteers.open_cases < settings.capacity)
    slots = requests.slots
    rows = np.repeat(np.flatnonzero(slots > 0), slots[slots > 0])
    people = np.flatnonzero(usable)
    cost = np.full((len(rows), len(people)), np.inf)
    places = grid.locate(requests.postcodes)
    for n, row in enumerate(rows):
        need = Need(int(places[row]), int(requests.tasks[row]), int(requests.languages[row]))
        ok = fits(pool, need, people) & ((volunteers.tasks[people] & need.tasks) == need.tasks)
        km = distances(grid, need, pool.places[people])
        if need.in_person:
            ok &= km <= settings.max_km
        cost[n, ok] = km[ok]
    feasible = np.isfinite(cost).any(axis=0)
    people, cost = people[feasible], cost[:, feasible]
    room = settings.capacity - volunteers.open_cases[people]
    copies = np.repeat(np.arange(len(people)), room)  # one column per case a volunteer can still take
    big = 1e6
    options = np.where(np.isfinite(cost[:, copies]), cost[:, copies], 10 * big)
    if distinct:
        later_place = np.r_[False, copies[1:] == copies[:-1]]
        options[np.ix_(slots[rows] > 1, later_place)] = 10 * big
    full = np.hstack([options, np.full((len(rows), len(rows)), big)])
    r, c = linear_sum_assignment(full)
    real = c < len(copies)
    assert UNKNOWN_KM < big
    return float(full[r[real], c[real]].sum()), int(real.sum())


def first_choice_km(req: pd.DataFrame, vol: pd.DataFrame, result: MatchResult) -> tuple[float, int]:
    """Total km between each request and its first choices (UNKNOWN_KM where a postcode is unknown)."""
    areas = load_areas()
    grid = Grid([a.postcode for a in areas], [a.lat for a in areas], [a.lng for a in areas])
    postcode = dict(zip(req["request_id"], req["postcode"]))
    vid_postcode = dict(zip(vol["volunteer_id"], vol["postcode"]))
    total, filled = 0.0, 0
    for rid, vids in result.first_choices.items():
        for vid in vids:
            km = grid.km[grid.index.get(postcode[rid], grid.unknown), grid.index.get(vid_postcode[vid], grid.unknown)]
            total += float(km) if np.isfinite(km) else UNKNOWN_KM
            filled += 1
    return total, filled


def run(requests: int, volunteers: int, settings: MatchSettings) -> dict[str, object]:
    req, vol = generate(requests, volunteers)
    started = time.perf_counter()
    result = suggest(req, vol, settings=settings)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    suggest(req, vol, settings=settings)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    busiest = Counter(v for vids in result.first_choices.values() for v in vids).most_common(1)
    km, filled = first_choice_km(req, vol, result)
    return {"requests": requests, "volunteers": volunteers, "seconds": seconds, "peak_mib": peak / 2**20,
            "first_choice_km": km, "filled_slots": filled, "unfilled_requests": result.unfilled,
            "busiest": busiest[0][1] if busiest else 0, "req": req, "vol": vol}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    settings = MatchSettings(language="en")
    large, small = ((1_000, 10_000), (300, 3_000)) if args.quick else ((10_000, 100_000), (2_000, 20_000))
    print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB")
    for size in (large, small):
        figures = run(*size, settings)
        print(f"\n{figures['requests']:,} waiting requests (+{figures['requests'] // 10:,} matched) x "
              f"{figures['volunteers']:,} volunteers, max {settings.max_km:g} km, capacity {settings.capacity}")
        print(f"  wall time of suggest(): {figures['seconds']:.2f} s")
        print(f"  peak memory (tracemalloc, inside suggest()): {figures['peak_mib']:.0f} MiB")
        print(f"  first choices: {figures['filled_slots']:,} slots, {figures['first_choice_km']:,.1f} km in total")
        print(f"  most requests any volunteer is first choice for: {figures['busiest']} (capacity {settings.capacity})")
        print(f"  requests short of volunteers (no_match_reason set): {figures['unfilled_requests']:,}")
        if size == small:
            # The optimum minimises km alone; so does suggest() with the preferences set to zero.
            plain = replace(settings, unscreened_km=0.0, open_case_km=0.0, continuity_km=0.0)
            km, filled = first_choice_km(figures["req"], figures["vol"],
                                         suggest(figures["req"], figures["vol"], settings=plain))
            print(f"  same, ranking by km alone: {filled:,} slots, {km:,.1f} km in total")
            for distinct, label in ((True, "optimal assignment"), (False, "lower bound (relaxed)")):
                started = time.perf_counter()
                best, best_filled = optimal_distance(figures["req"], figures["vol"], settings, distinct)
                print(f"  {label} (linear_sum_assignment, {time.perf_counter() - started:.1f} s): "
                      f"{best_filled:,} slots, {best:,.1f} km in total; "
                      f"first choices by km alone {100 * (km / best - 1):+.2f}% km, {filled - best_filled:+d} slots; "
                      f"with preferences {100 * (figures['first_choice_km'] / best - 1):+.2f}% km, "
                      f"{figures['filled_slots'] - best_filled:+d} slots")
    print(f"\nprocess peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10:.0f} MiB")


if __name__ == "__main__":
    main()
