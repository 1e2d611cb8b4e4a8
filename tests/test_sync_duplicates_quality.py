"""Duplicates on realistic generated data: pairwise precision and recall of "same person", no wrong merges.

A pair of submissions counts as predicted "same" when they sit in one row
(merged) or in two rows linked by duplicate_of (flagged). The truth is the
generator's person (offers) or need (requests) behind each submission.
"""

from __future__ import annotations

import itertools

import pytest

from sync.job import run_sync

from .generate import Generated, generate, write_intake
from .sync_helpers import master, pairs_of, spreadsheet

TARGET = 0.97


def _score(workbook, generated: Generated, tab_id: str, prefix: str) -> tuple[float, float, list]:
    rows = master(workbook, tab_id)
    subs = {row_id: [s.strip() for s in row["submission_ids"].split(",") if s.strip()] for row_id, row in rows.items()}
    merged = pairs_of(subs.values())
    flagged = {frozenset((a, b)) for row_id, row in rows.items() if row["duplicate_of"] in subs
               for a, b in itertools.product(subs[row_id], subs[row["duplicate_of"]])}
    truth: dict[str, list[str]] = {}
    for submission_id, who in generated.truth.items():
        if who.startswith(prefix):
            truth.setdefault(who, []).append(submission_id)
    true = pairs_of(truth.values())
    predicted = merged | flagged
    wrong_merges = [pair for pair in merged if len({generated.truth[s] for s in pair}) > 1]
    hits = len(predicted & true)
    return hits / len(predicted), hits / len(true), wrong_merges


@pytest.mark.parametrize("rounds", [1, 2], ids=["all-at-once", "in-two-syncs"])
def test_same_person_precision_and_recall_on_generated_data(workbook, rounds):
    generated = generate(volunteers=1500, requests=500, seed=7 + rounds)
    spreadsheet(workbook)
    if rounds == 1:
        write_intake(workbook, generated)
        run_sync(workbook)
    else:
        # Half the submissions arrive before the first sync, the rest before the second:
        # later submissions must join the rows the first sync created.
        first, second = Generated(), Generated()
        for tab_id, rows in generated.rows.items():
            for n, row in enumerate(rows):
                (first if n % 2 else second).add(tab_id, row, generated.truth[row["submission_id"]])
        write_intake(workbook, first)
        run_sync(workbook)
        write_intake(workbook, second)
        assert run_sync(workbook).joined_existing > 0

    assert run_sync(workbook).changes_nothing  # the flags found are the flags the next sync finds
    for tab_id, prefix in (("volunteers", "P"), ("requests", "N")):
        precision, recall, wrong_merges = _score(workbook, generated, tab_id, prefix)
        assert wrong_merges == [], tab_id
        assert precision >= TARGET and recall >= TARGET, (tab_id, precision, recall)
