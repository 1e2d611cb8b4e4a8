"""The master tabs as they should be: one row per request and one per person, keyed by stable id.

Pure functions over the rows read and the normalised submissions. Existing
rows keep their id and their submissions; a new submission joins the row of
the person it certainly belongs to, or starts a new row. Every system column
is recomputed from the row's submissions; coordinator columns are read, never
written, except their default in a row helpt creates.

Existing rows are never merged on helpt's own judgement (a coordinator may
already be working on both): when evidence says two rows are one person, they
are flagged, and merged only once a coordinator answers "same person".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from sheets_schema.answers import bool_text, choice_code, list_text
from sheets_schema.cases import DUPLICATE_REVIEW_CHOICES, REQUEST_STATUS_CHOICES
from sheets_schema.choices import (
    AGENT_CHANNELS,
    AVAILABILITY_CHOICES,
    CHANNEL_CHOICES,
    FORM_LANGUAGE_CHOICES,
    LANGUAGE_CHOICES,
    TRANSPORT_CHOICES,
)
from sheets_schema.fields import COORDINATOR, SYSTEM, Choice, Tab
from sheets_schema.i18n import N_, translate
from sheets_schema.tasks import TASK_CHOICES

from .changes import change_line
from .duplicates import Candidate, Pair, find_duplicates
from .normalise import Submission, union_codes

ID_PREFIX = {"request": "R", "offer": "V"}
CLOSED_STATUSES = frozenset({"matched", "closed", "cancelled"})
# System columns that matching (sync/matching.py) and the handover (sync/handover.py, pool.py) fill;
# merge leaves them empty.
MATCHING_COLUMNS = frozenset({
    "suggestion_1", "suggestion_2", "suggestion_3", "suggestion_score", "no_match_reason",
    "assignment_warning", "screen_first_for", "open_cases", "cases", "handover", "own_choice",
})
_ID_NUMBER = re.compile(r"^[A-Z]-(\d+)$")
ValuesOf = Callable[[str, Sequence[Submission], str], dict[str, str]]  # (form, submissions, language) -> values
PairsOf = Callable[[Sequence[Candidate], str, str], list[Pair]]  # (candidates, form, language) -> pairs


@dataclass(frozen=True)
class Row:
    """An existing row of a master tab, as read: its id and its cells by column id."""

    row_id: str
    values: Mapping[str, str]

    @property
    def submission_ids(self) -> list[str]:
        return [s.strip() for s in self.values.get("submission_ids", "").split(",") if s.strip()]

    @property
    def review(self) -> str:
        return _review_code(self.values.get("duplicate_review", ""))

    @property
    def open(self) -> bool:
        return _status_code(self.values.get("status", "")) not in CLOSED_STATUSES

    @property
    def duplicate_of(self) -> list[str]:
        return re.findall(r"[A-Z]-\d+", self.values.get("duplicate_of", ""))


# A dropdown cell holds one of a few labels; looking each up anew cost seconds on 100,000 rows.
@lru_cache(maxsize=1024)
def _review_code(text: str) -> str:
    return choice_code(DUPLICATE_REVIEW_CHOICES, text) or ""


@lru_cache(maxsize=1024)
def _status_code(text: str) -> str | None:
    return choice_code(REQUEST_STATUS_CHOICES, text)


@dataclass
class TabPlan:
    """What one master tab should hold: system values per existing id, and the rows to create."""

    tab: Tab
    desired: dict[str, dict[str, str]] = field(default_factory=dict)  # existing id -> system column -> value
    new_rows: list[dict[str, str]] = field(default_factory=list)  # id, system values and coordinator defaults
    joined_existing: int = 0  # new submissions that joined an existing row
    merged_rows: list[str] = field(default_factory=list)  # rows merged away on a coordinator's "same person"
    flags: dict[str, Pair] = field(default_factory=dict)  # row id -> the pair it is flagged for
    people: dict[str, list[Submission]] = field(default_factory=dict)  # live row id -> its submissions


def id_number(row_id: str) -> int:
    match = _ID_NUMBER.match(row_id)
    return int(match.group(1)) if match else 0


def _latest(submissions: Sequence[Submission], name: str) -> str:
    for submission in reversed(submissions):
        if value := getattr(submission, name):
            return value
    return ""


def _latest_bool(submissions: Sequence[Submission], name: str, language: str) -> str:
    for submission in reversed(submissions):
        if (value := getattr(submission, name)) is not None:
            return bool_text(value, language)
    return ""


def _name(submissions: Sequence[Submission]) -> str:
    """The name as most submissions spell it; on a tie, as the person typed it (not a call-centre agent)."""
    counts = Counter(tuple(sorted(s.name_tokens)) for s in submissions if s.full_name)
    if not counts:
        return ""
    best = max(counts.values())
    chosen = sorted((s for s in submissions if s.full_name and counts[tuple(sorted(s.name_tokens))] == best),
                    key=lambda s: s.channel in AGENT_CHANNELS)
    return chosen[0].full_name


def _phones(submissions: Sequence[Submission]) -> list[str]:
    """Every distinct number, in the order given: the first stays the row's phone.

    People have several numbers, and a daughter calling for her mother gives
    her own: a later number is kept beside the first, never in its place.
    """
    return list(dict.fromkeys(s.phone_shown for s in submissions if s.phone))


def _form_language(submissions: Sequence[Submission]) -> str:
    """The language the person chose: an agent's screen language says nothing about the caller's."""
    own = [s for s in submissions if s.channel not in AGENT_CHANNELS and s.form_language]
    return own[-1].form_language if own else submissions[0].form_language


def _in_time_order(submissions: Iterable[Submission]) -> list[Submission]:
    return sorted(submissions, key=lambda s: (s.submitted_at or datetime.max, s.submission_id))


def system_values(form: str, submissions: Sequence[Submission], language: str) -> dict[str, str]:
    """A row's system columns (but duplicates and matching) from its submissions, oldest first.

    Single values come from the latest submission that gives one (people
    correct their details), but phones add up (see _phones); lists are the
    union of all submissions.
    """
    subs = _in_time_order(submissions)
    phones = _phones(subs)
    with_postcode = next((s for s in reversed(subs) if s.postcode), None)

    def words(choices: tuple[Choice, ...], lists: Iterable[Iterable[str]]) -> str:
        """Codes as the coordinator reads them: labels in the team's language (invariant 9)."""
        return list_text(choices, union_codes(choices, lists), language)

    values = {
        "full_name": _name(subs),
        "phone": phones[0] if phones else "",
        "other_phones": ", ".join(phones[1:]),
        "email": _latest(subs, "email"),
        "street": _latest(subs, "street"),
        "postcode": with_postcode.postcode if with_postcode else "",
        "area": with_postcode.area if with_postcode else "",
        "languages": words(LANGUAGE_CHOICES, (s.languages for s in subs)),
        "tasks": words(TASK_CHOICES, (s.tasks for s in subs)),
        "availability": words(AVAILABILITY_CHOICES, (s.availability for s in subs)),
        "details": "\n\n".join(dict.fromkeys(s.details for s in subs if s.details)),
        "created_at": subs[0].time_text,
        "updated_at": subs[-1].time_text,
        "submission_ids": ", ".join(s.submission_id for s in subs),
        "channel": words(CHANNEL_CHOICES, [[subs[0].channel]]),
        "form_language": words(FORM_LANGUAGE_CHOICES, [[_form_language(subs)]]),
    }
    if form == "offer":
        values["transport"] = words(TRANSPORT_CHOICES, (s.transport for s in subs))
        values["profile_ok"] = _latest_bool(subs, "profile_ok", language)
        values["consent_partners"] = _latest_bool(subs, "consent_partners", language)
    else:
        values["on_behalf_of"] = _latest(subs, "on_behalf_of")
        values["organisation"] = _latest(subs, "organisation")
        values["needed_count"] = _latest(subs, "needed_count")
    return values


def _system_columns(tab: Tab) -> list[str]:
    return [c.id for c in tab.columns if c.owner == SYSTEM and c.id not in {tab.key, "synced_at"}]


def coordinator_defaults(tab: Tab, language: str) -> dict[str, str]:
    """The values a new row's coordinator columns start with, as the dropdown shows them."""
    defaults = {}
    for column in tab.columns:
        if column.owner == COORDINATOR and column.default:
            labels = {c.code: c.labels[language] for c in column.choices}
            defaults[column.id] = labels.get(column.default, column.default)
    return defaults


class _Groups:
    """Union-find over candidate keys that never puts two existing rows in one group."""

    def __init__(self, keys: Iterable[str], existing: set[str]) -> None:
        self.parent = {k: k for k in keys}
        self.has_row = {k: k in existing for k in self.parent}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.has_row[ra] and self.has_row[rb]:
            return False
        if self.has_row[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def _merged_on_review(rows: Mapping[str, Row]) -> dict[str, str]:
    """Rows a coordinator confirmed as "same person" -> the row they merge into (the oldest of the group)."""
    groups = _Groups(rows, set())
    for row in rows.values():
        if row.review == "same_person":
            for other in row.duplicate_of:
                if other in rows and other != row.row_id:
                    groups.join(row.row_id, other)
    members: dict[str, list[str]] = defaultdict(list)
    for row_id in rows:
        members[groups.find(row_id)].append(row_id)
    target = {}
    for group in members.values():
        if len(group) > 1:
            survivor = min(group, key=lambda r: (id_number(r), r))
            target.update({r: survivor for r in group if r != survivor})
    return target


MERGED = N_("merged into {target}: same person, as a coordinator confirmed; this row can be deleted")


def _tombstone(tab: Tab, target: str, language: str) -> dict[str, str]:
    values = dict.fromkeys(_system_columns(tab), "")
    values["duplicate_of"] = target
    values["duplicate_reason"] = translate(language, MERGED, target=target)
    return values


def plan_tab(tab: Tab, form: str, rows: Sequence[Row], submissions: Sequence[Submission],
             language: str, today: date | None = None, values_of: ValuesOf | None = None,
             pairs_of: PairsOf | None = None) -> TabPlan:
    """Decide the master tab `tab` for the submissions of `form` ("request" or "offer").

    `today` dates the "Last change" line of rows merged on a coordinator's answer. `values_of` works
    out a row's system values from its submissions, `pairs_of` the possible duplicates among rows
    (system_values and find_duplicates, or the same from the sync's memory).
    """
    values_of = values_of or system_values
    pairs_of = pairs_of or find_duplicates
    plan = TabPlan(tab)
    by_id: dict[str, Row] = {}
    for row in rows:
        by_id.setdefault(row.row_id, row)  # a copied row keeps the first one's place
    merged_into = _merged_on_review(by_id)
    # A merged row keeps its tombstone (and its "same person") until someone deletes it: only
    # a row that still holds submissions is merged now, and counted and recorded as such.
    plan.merged_rows = sorted((r for r in merged_into if by_id[r].submission_ids), key=id_number)

    owner: dict[str, str] = {}
    for row in by_id.values():
        for submission_id in row.submission_ids:
            owner.setdefault(submission_id, merged_into.get(row.row_id, row.row_id))
    clusters: dict[str, list[Submission]] = defaultdict(list)
    new: list[Submission] = []
    merged_now: dict[str, list[Submission]] = defaultdict(list)  # survivor -> submissions merged in now
    fresh = {sid: merged_into[r] for r in plan.merged_rows for sid in by_id[r].submission_ids}
    for submission in submissions:
        if submission.submission_id in owner:
            clusters[owner[submission.submission_id]].append(submission)
            if submission.submission_id in fresh:
                merged_now[fresh[submission.submission_id]].append(submission)
        else:
            new.append(submission)

    candidates = [Candidate(row_id, tuple(subs), existing=True, open=by_id[row_id].open)
                  for row_id, subs in clusters.items()]
    candidates += [Candidate(s.submission_id, (s,)) for s in new]
    # Two existing rows are never joined here (see _Groups), so their pairs are not looked for.
    pairs = find_duplicates(candidates, form, language, new_only=True)

    groups = _Groups((c.key for c in candidates), set(clusters))
    for pair in sorted((p for p in pairs if p.certain), key=lambda p: (-p.score, p.a, p.b)):
        groups.join(pair.a, pair.b)

    # New submissions: into the existing row of their group, or into a new row numbered after the last.
    next_number = max((id_number(r) for r in by_id), default=0) + 1
    new_groups: dict[str, list[Submission]] = defaultdict(list)
    joined: dict[str, list[Submission]] = defaultdict(list)
    for submission in new:
        root = groups.find(submission.submission_id)
        if root in clusters:
            clusters[root].append(submission)
            joined[root].append(submission)
            plan.joined_existing += 1
        else:
            new_groups[root].append(submission)
    for subs in sorted(new_groups.values(), key=lambda subs: min(
            (s.submitted_at or datetime.max, s.submission_id) for s in subs)):
        clusters[f"{ID_PREFIX[form]}-{next_number:06d}"] = subs
        next_number += 1
    # Flags compare the rows as they now stand, so the next sync, which starts
    # from these rows, finds the very same flags. Rows only grow: one of the
    # same length as its candidate above is that candidate (most rows, most syncs).
    unchanged = {c.key: c for c in candidates if c.existing and len(c.submissions) == len(clusters[c.key])}
    rows_now = [unchanged.get(row_id) or Candidate(row_id, tuple(subs), existing=True,
                                                   open=by_id[row_id].open if row_id in by_id else True)
                for row_id, subs in clusters.items()]
    plan.flags = _place_flags(pairs_of(rows_now, form, language), by_id)
    plan.people = dict(clusters)
    columns = _system_columns(tab)
    for row_id, row in by_id.items():
        if row_id in merged_into:
            plan.desired[row_id] = _tombstone(tab, merged_into[row_id], language)
        elif row_id in clusters:
            plan.desired[row_id] = _row_values(columns, form, row_id, clusters[row_id], plan.flags, row, language,
                                               values_of)
            merged = [r for r in plan.merged_rows if merged_into[r] == row_id]
            if (row_id in joined or merged) and "last_change" in plan.desired[row_id]:
                # A merge is never silent: the row says what the new submissions changed.
                plan.desired[row_id]["last_change"] = change_line(
                    tab, row.values, plan.desired[row_id], joined[row_id] + merged_now[row_id], language,
                    merged=merged, today=today)
        else:
            # None of its submissions is in the intake tabs any more: helpt has nothing to recompute from.
            plan.desired[row_id] = {c: row.values.get(c, "") for c in columns}
    defaults = coordinator_defaults(tab, language)
    for row_id, subs in clusters.items():
        if row_id not in by_id:
            values = _row_values(columns, form, row_id, subs, plan.flags, None, language, values_of)
            plan.new_rows.append({tab.key: row_id, **values, **defaults})  # type: ignore[dict-item]
    return plan


def _row_values(columns: Sequence[str], form: str, row_id: str, submissions: Sequence[Submission],
                flags: Mapping[str, Pair], row: Row | None, language: str, values_of: ValuesOf) -> dict[str, str]:
    """A row's system `columns` (_system_columns) from its submissions, flags and cells as read."""
    values = dict.fromkeys(columns, "")
    values.update(values_of(form, submissions, language))
    if row is not None:
        values["last_change"] = row.values.get("last_change", "")  # until the next change replaces it
    if row is not None and row.review:
        # The coordinator answered about the pair shown; it stays as they saw it.
        values["duplicate_of"] = row.values.get("duplicate_of", "")
        values["duplicate_reason"] = row.values.get("duplicate_reason", "")
    elif row_id in flags:
        pair = flags[row_id]
        values["duplicate_of"] = pair.b if pair.a == row_id else pair.a
        values["duplicate_reason"] = pair.reason
    return {c: values[c] for c in columns}


def _place_flags(pairs: Iterable[Pair], rows: Mapping[str, Row]) -> dict[str, Pair]:
    """At most one flag per row, on the newer row of a pair, pointing to the older.

    A pair a coordinator dismissed ("not a duplicate") is never flagged again;
    a row whose review is filled in keeps the flag the coordinator answered.
    """
    best: dict[tuple[str, str], Pair] = {}
    for pair in pairs:
        older, newer = sorted((pair.a, pair.b), key=lambda r: (id_number(r), r))
        current = best.get((older, newer))
        if current is None or (pair.certain, pair.score) > (current.certain, current.score):
            best[(older, newer)] = Pair(newer, older, pair.certain, pair.score, pair.reason, pair.basis)
    dismissed = {frozenset((row.row_id, other)) for row in rows.values()
                 if row.review == "not_duplicate" for other in row.duplicate_of}
    reviewed = {row_id for row_id, row in rows.items() if row.review}
    flags: dict[str, Pair] = {}
    for (older, newer), pair in sorted(best.items(), key=lambda kv: (-kv[1].score, id_number(kv[0][0]),
                                                                     id_number(kv[0][1]))):
        if frozenset((older, newer)) in dismissed:
            continue
        for holder, other in ((newer, older), (older, newer)):
            if holder not in reviewed and holder not in flags:
                flags[holder] = Pair(holder, other, pair.certain, pair.score, pair.reason, pair.basis)
                break
    return flags
