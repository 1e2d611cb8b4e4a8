"""The sync's memory from the sync's side: fingerprints of what a pure step reads, and its results as JSON.

desk_db/sync_memory.py keeps the entries. A fingerprint covers everything the
step reads, the code that computes it included (`code_version`): after an
upgrade, or with another team language, nothing remembered matches and the
sync works everything out anew, once. So a remembered result is the very result
the step would compute, and a sync with memory writes what one from scratch
writes (tests/test_sync_memory.py checks this on random histories).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import TypeVar

from desk_db.sync_memory import VERSION
from sheets_schema.fields import Tab

from .duplicates import Candidate, Pair, blocks, find_duplicates
from .matching import MatchResult
from .merge import system_values
from .normalise import Submission, normalise_record
from .stats import StatRow

T = TypeVar("T")
Reports = tuple[list[StatRow], dict[str, list[str]]]  # the Stats rows and the Overview columns

_PACKAGES = ("sheets_schema", "sync")  # the code and data (areas, labels, catalogues) a sync's results follow from
_LIBRARIES = ("phonenumbers", "rapidfuzz")  # whose updates change what counts as a valid number or alike names


@lru_cache(maxsize=1)
def code_version() -> str:
    """A fingerprint of the sync's own files and of the libraries its results depend on."""
    digest = hashlib.blake2b(digest_size=16)
    root = Path(__file__).resolve().parent.parent
    for package in _PACKAGES:
        for path in sorted((root / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}".encode())
    return digest.hexdigest()


def memory_version(team_language: str) -> str:
    """What the memory's entries follow: the code and the team's language (SyncMemory.recall)."""
    return fingerprint(code_version(), team_language)


def fingerprint(*parts: str) -> str:
    """A short, collision-safe name for the texts `parts` (in order)."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=64)
def _columns_fingerprint(tab_id: str, columns: tuple[str, ...]) -> str:
    return fingerprint(tab_id, *columns)


def row_fingerprint(tab_id: str, record: Mapping[str, str]) -> str:
    """A fingerprint of an intake row: its tab, its columns and its cells. It does not follow the code, so
    the archive keeps it with the row (desk_db/archive.py) through upgrades."""
    return fingerprint(_columns_fingerprint(tab_id, tuple(record)), *record.values())


_SUBMISSION_FIELDS = [f.name for f in fields(Submission)]
_submission_values = attrgetter(*_SUBMISSION_FIELDS)
_TIME = _SUBMISSION_FIELDS.index("submitted_at")
_TOKENS = _SUBMISSION_FIELDS.index("name_tokens")
# Texts that 100,000 submissions share (a form, a language, a postcode, a task code, a first name): decoded
# once each, not once per submission (some 100 MB at the peak of a sync at 100,000 sign-ups).
_SHARED = [_SUBMISSION_FIELDS.index(name) for name in (
    "form", "form_language", "channel", "phone_kind", "postcode", "area", "needed_count", "street_key")]
# Lists of codes (languages, tasks, ...): one tuple for each distinct list, in a table the process keeps.
_CODES = [n for n, f in enumerate(fields(Submission)) if str(f.type).startswith("tuple") and n != _TOKENS]
_CODE_LISTS: dict[tuple[str, ...], tuple[str, ...]] = {}


def submission_json(submission: Submission) -> str:
    values = list(_submission_values(submission))
    values[_TIME] = values[_TIME].isoformat() if values[_TIME] else None
    return _json(values)


def submission_from_json(text: str) -> Submission:
    """The submission `submission_json` wrote. A sync decodes one per submission (110,000 at the bench's
    size), so this fills the frozen dataclass the way pickle does, without a frozen __init__'s call per
    field: 0.9 s a sync down to 0.6."""
    values = json.loads(text)
    values[_TIME] = datetime.fromisoformat(values[_TIME]) if values[_TIME] else None
    for n in _SHARED:
        values[n] = sys.intern(values[n])
    values[_TOKENS] = tuple(map(sys.intern, values[_TOKENS]))
    for n in _CODES:
        codes = tuple(values[n])
        values[n] = _CODE_LISTS.setdefault(codes, codes)
    submission = object.__new__(Submission)
    submission.__dict__.update(zip(_SUBMISSION_FIELDS, values))
    return submission


def rows_fingerprint(tab: Tab, rows: Iterable[Mapping[str, str]], *extra: str) -> str:
    """A fingerprint of rows of a master tab, every column but the time stamp a write changes (synced_at),
    plus the `extra` columns a sync adds in memory. Every cell is text (a number would raise TypeError)."""
    columns = [c.id for c in tab.columns if c.id != "synced_at"] + list(extra)
    digest = hashlib.blake2b(digest_size=16)
    blanks = [""] * len(columns)
    for row in rows:
        digest.update("\x1f".join(map(row.get, columns, blanks)).encode() + b"\x1e")  # cells are text
    return digest.hexdigest()


SPILL_EVERY = 5000  # new entries a sync holds before it writes them to the memory (Recall.spill)


@dataclass
class Recall:
    """One sync's use of the memory: what earlier syncs worked out (`known`, kind -> fingerprint -> JSON),
    and what this one used (`used`, the same; "" for an entry the memory already holds). Each method
    answers as the pure step it stands for would.

    A remembered text is let go once decoded: at 100,000 sign-ups they weigh some 100 MB, at the peak.
    `had` keeps which fingerprints the memory held, for `SyncMemory.keep`. With `spill` (SyncMemory.add),
    new entries go to the memory SPILL_EVERY at a time as they are worked out, and count as held from
    then on: a sync that works everything out (the first, and the first after a forget or an upgrade)
    no longer carries some 90 MB of them to its end. They are results of pure steps, so one written by
    a sync that fails later is unused at worst, never wrong.
    """

    known: dict[str, dict[str, str]]
    team_language: str
    used: dict[str, dict[str, str]] = field(default_factory=dict)
    had: dict[str, set[str]] = field(init=False)
    _prefix: str = field(init=False)  # what every submission's fingerprint starts from: the code, the language
    _rows: dict[str, str] = field(default_factory=dict)  # submission id -> its entry's fingerprint
    worked_out: dict[str, int] = field(default_factory=dict)  # kind -> results not found in the memory
    _also: dict[str, dict[str, str]] = field(default_factory=dict)  # kept, though not used: see keep_also
    spill: Callable[[dict[str, dict[str, str]]], None] | None = None
    _unsaved: list[tuple[str, str]] = field(default_factory=list)  # (kind, key) worked out since the last spill

    def __post_init__(self) -> None:
        self.had = {kind: set(entries) for kind, entries in self.known.items()}
        self._prefix = memory_version(self.team_language)
        # (Held: kept as it is; new: kept with a value, which says nothing more than the fingerprint.)
        self.keep_also(VERSION, {self._prefix: "" if self._prefix in self.had.get(VERSION, ()) else '"1"'})

    def _recall(self, kind: str, key: str, work_out: Callable[[], T], to_json: Callable[[T], str],
                from_json: Callable[[str], T]) -> T:
        known = self.known.get(kind, {}).pop(key, None)
        used = self.used.setdefault(kind, {})
        if known is not None:
            used[key] = ""
            return from_json(known)
        value = work_out()
        used[key] = to_json(value)
        self.worked_out[kind] = self.worked_out.get(kind, 0) + 1
        if self.spill is not None:
            self._unsaved.append((kind, key))
            if len(self._unsaved) >= SPILL_EVERY:
                self._spill()
        return value

    def _spill(self) -> None:
        """The entries worked out since the last spill, to the memory; held from now on."""
        new: dict[str, dict[str, str]] = {}
        for kind, key in self._unsaved:
            if value := self.used[kind][key]:
                new.setdefault(kind, {})[key] = value
        self.spill(new)  # type: ignore[misc]
        for kind, entries in new.items():
            self.used[kind].update(dict.fromkeys(entries, ""))
            self.had.setdefault(kind, set()).update(entries)
        self._unsaved.clear()

    def normalise(self, tab: Tab, record: Mapping[str, str], language: str) -> Submission:
        """normalise.normalise_record."""
        assert language == self.team_language
        return self._submission(fingerprint(self._prefix, row_fingerprint(tab.id, record)),
                                lambda: normalise_record(tab, record, language))

    def archived(self, row: str) -> Submission | None:
        """The normalised form of the archived row whose row_fingerprint is `row`, if the memory holds it."""
        key = fingerprint(self._prefix, row)
        return self._submission(key, _never) if key in self.known.get("submission", {}) else None

    def _submission(self, key: str, work_out: Callable[[], Submission]) -> Submission:
        submission = self._recall("submission", key, work_out, submission_json, submission_from_json)
        self._rows.setdefault(submission.submission_id, key)  # for the fingerprints of what it takes part in
        return submission

    def system_values(self, form: str, submissions: Sequence[Submission], language: str) -> dict[str, str]:
        """merge.system_values, for submissions this Recall normalised."""
        key = fingerprint(_row_prefix(form, language), *sorted(self._rows[s.submission_id] for s in submissions))
        return self._recall("row", key, lambda: system_values(form, submissions, language), _json, json.loads)

    def duplicates(self, candidates: Sequence[Candidate], form: str, language: str) -> list[Pair]:
        """duplicates.find_duplicates over every row, for candidates of submissions this Recall normalised.

        Remembered whole, and block by block: a new submission changes a few blocks, and only those are
        searched again. The whole keeps the fingerprints of its blocks, so that a sync that takes the
        whole keeps them too.
        """
        # In any order: the search compares each pair one way round (find_duplicates) and the caller
        # orders the pairs it finds; a sort of an intake tab reorders the rows, not the result.
        parts = {c.key: f"{c.key}|{c.existing:d}{c.open:d}|" + ",".join(self._rows[s.submission_id]
                                                                       for s in c.submissions)
                 for c in candidates}
        prefix = fingerprint(code_version(), form, language)
        pairs, block_keys = self._recall("duplicates", fingerprint(prefix, *sorted(parts.values())),
                                         lambda: self._by_block(candidates, parts, prefix, form, language),
                                         lambda found: _json([_pairs_values(found[0]), found[1]]),
                                         lambda text: _pairs_and_blocks(json.loads(text)))
        self.keep_also("duplicate_block", dict.fromkeys(block_keys, ""))
        return pairs

    def _by_block(self, candidates: Sequence[Candidate], parts: Mapping[str, str], prefix: str, form: str,
                  language: str) -> tuple[list[Pair], list[str]]:
        found: dict[tuple[str, str], Pair] = {}
        block_keys: list[str] = []
        for members in {frozenset(members): members for members in blocks(candidates)}.values():
            group = [candidates[m] for m in members]
            key = fingerprint(prefix, *sorted(parts[c.key] for c in group))
            block_keys.append(key)
            for pair in self._recall("duplicate_block", key, lambda group=group: find_duplicates(group, form, language),
                                     lambda pairs: _json(_pairs_values(pairs)), lambda text: _pairs(json.loads(text))):
                found.setdefault((pair.a, pair.b), pair)
        return list(found.values()), block_keys

    def submissions_key(self, submissions: Iterable[Submission]) -> str:
        """A fingerprint of the submissions (as this Recall normalised them), in any order: a row's values
        follow from its submissions in time order, the reports only count them, and a row that moves to
        the archive changes their order."""
        return fingerprint(*sorted(self._rows[s.submission_id] for s in submissions))

    def keep_also(self, kind: str, entries: Mapping[str, str]) -> None:
        """Keep these entries after this sync, unused as they are: a new one with its value, one the memory
        holds with "" (the parts of a remembered whole, the sync's quiet mark)."""
        self._also.setdefault(kind, {}).update(entries)

    def entries(self) -> dict[str, dict[str, str]]:
        """What the memory keeps after this sync (SyncMemory.keep): what it used, and what it keeps also."""
        kept = {kind: dict(entries) for kind, entries in self.used.items()}
        for kind, entries in self._also.items():
            mine = kept.setdefault(kind, {})
            mine.update((key, value) for key, value in entries.items()
                        if key not in mine and (value or key in self.had.get(kind, ())))
        return kept

    def counts(self) -> dict[str, tuple[int, int]]:
        """Per kind: (results taken from the memory, results worked out anew)."""
        return {kind: (len(used) - self.worked_out.get(kind, 0), self.worked_out.get(kind, 0))
                for kind, used in self.used.items()}

    def matching(self, key: str, work_out: Callable[[], MatchResult]) -> MatchResult:
        """matching.suggest, under a fingerprint of its input."""
        return self._recall("matching", fingerprint(code_version(), key), work_out,
                            lambda result: _json(vars(result)),  # its fields are plain dicts: no deep copy
                            lambda text: MatchResult(**json.loads(text)))

    def reports(self, key: str, work_out: Callable[[], Reports]) -> Reports:
        """The Stats rows and the Overview columns, under a fingerprint of their input."""
        return self._recall("reports", fingerprint(code_version(), key), work_out, _json,
                            lambda text: _reports_from_json(json.loads(text)))


@lru_cache(maxsize=8)
def _row_prefix(form: str, language: str) -> str:
    """What the fingerprint of every row's system values starts from (one hash per row, not two)."""
    return fingerprint(code_version(), "row", form, language)


def _pairs_values(pairs: Iterable[Pair]) -> list[tuple]:
    return [astuple(pair) for pair in pairs]


def _pairs(values: Iterable[Sequence]) -> list[Pair]:
    return [Pair(*pair) for pair in values]


def _pairs_and_blocks(value: list) -> tuple[list[Pair], list[str]]:
    pairs, block_keys = value
    return _pairs(pairs), block_keys


def _never() -> Submission:
    raise AssertionError("looked up only when known")


# One encoder for the sync: json.dumps with options builds a new one per call, and a first sync encodes 220,000.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(value: object) -> str:
    return _ENCODER.encode(value)


def _reports_from_json(value: list) -> Reports:
    stats, overview = value
    return [tuple(row) for row in stats], overview
