"""`helpt sync`: read everything in one batch, decide with pure functions, write in one batch.

read    every intake tab, Requests, Volunteers, Stats and Log (metadata + one batchGet)
decide  normalise -> merge and flag duplicates -> match suggestions -> Stats
write   system cells by id (write.py: check, one batchUpdate, check; no call when nothing changed), one append
        per master tab for new rows, one append to Log

So a sync costs the same few API calls for 100 rows or 100,000.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from desk_db.archive import Archive
from desk_db.handovers import Handovers
from desk_db.journal import Journal
from desk_db.sync_memory import SyncMemory
from sheets_schema.answers import split_list
from sheets_schema.clock import TIME_FORMAT, city_now
from sheets_schema.fields import SYSTEM, Tab
from sheets_schema.i18n import translate
from sheets_schema.links import Answer
from sheets_schema.tabs import (
    AREAS_TAB,
    INTAKE_TABS,
    LOG_TAB,
    OVERVIEW_TAB,
    PARTNERS_TAB,
    REQUESTS,
    STATS_TAB,
    TASKS_TAB,
    VOLUNTEERS,
)
from sheets_schema.workbook import GOOGLE_CELL_LIMIT, Sheet, Workbook, column_letters, quote_title

from .archive import movable, move_to_archive
from .assignments import volunteer_cases
from .extracts import PartnerReport, mirror_partners, partner_cells
from .handover import HandoverPlan, HandoverSettings, plan_handovers
from .logbook import MESSAGE_KINDS, log_rows, said_lately, say
from .matching import MatchSettings, suggest
from .matching_people import split_codes
from .merge import Row, TabPlan, plan_tab
from .normalise import Submission, blank, normalise_intake
from .overview import overview_columns
from .partners import read_partners
from .pool import PoolPlan, plan_pool, status_word
from .quiet import KIND as QUIET
from .quiet import Quiet, complete, handover_words, workbook_state
from .remember import Recall, Reports, code_version, memory_version, rows_fingerprint
from .retention import closed_at, expire
from .stats import StatRow, compute_stats, submissions_per_day
from .unchanged import KIND as UNCHANGED
from .unchanged import Unchanged, mark_key, slot
from .write import place

MASTERS: tuple[tuple[Tab, str], ...] = ((VOLUNTEERS, "offer"), (REQUESTS, "request"))
# Every tab a sync reads, in one batch.
READS: tuple[Tab, ...] = (VOLUNTEERS, REQUESTS, *INTAKE_TABS, STATS_TAB, OVERVIEW_TAB, LOG_TAB, PARTNERS_TAB,
                          AREAS_TAB, TASKS_TAB)
_STATS_COLUMNS = ("metric", "dimension", "value")
# A share of Google's cell limit: from here the Log warns, and the archive takes merged rows whatever their age.
CELLS_HIGH = 0.7
_ARCHIVE_BATCH = 5000  # archived rows normalised at a time, when the memory does not hold them

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Upkeep:
    """How this desk is set up for a sync: what it does besides merging, and the matching settings."""

    extracts_dir: Path | None = None  # where partner file extracts go; None: no partner extracts
    retention_days: int = 0  # erase finished rows this many days after they finished; 0: never
    # The intake journal: the sync confirms the rows it reads back, and has the flusher
    # append again those the sheet lost (invariant 11). None: not checked.
    journal: Journal | None = None
    # After retention erased someone: destroy the copies (earlier exports, the local server's
    # old pages); returns how many export files went.
    after_erasure: Callable[[], int] | None = None
    match: MatchSettings | None = None  # the desk's HELPT_MATCH_*; None: the defaults
    # The handover (sync/handover.py): its memory and outbox, and the link to a volunteer's answer.
    # None: no handovers (a sync run without the desk's database).
    handovers: Handovers | None = None
    answer_link: Callable[[Answer, str], str] | None = None  # (answer, page language) -> address
    handover: HandoverSettings = HandoverSettings()
    deliver: Callable[[], object] | None = None  # sends what the outbox holds; run after each sync
    # What the last sync worked out (desk_db/sync_memory.py), so this one redoes only what changed.
    # None: every sync from scratch.
    memory: SyncMemory | None = None
    # Merged intake rows older than `archive_after_days` move here out of the sheet (sync/archive.py);
    # every sync reads them as if they had stayed. None: nothing archived, nothing read.
    archive: Archive | None = None
    archive_after_days: int = 0  # 0: rows stay in the sheet


@dataclass
class TabChanges:
    """What a sync does (or would do) to one master tab."""

    title: str
    added: int = 0
    changed: int = 0
    columns: Counter[str] = field(default_factory=Counter)  # column id -> rows where it changes


@dataclass
class SyncResult:
    """What a sync read, decided and wrote; `summary()` says it in one paragraph."""

    dry_run: bool
    language: str = "en"  # the team's: every sentence below is said in it
    submissions: int = 0
    new_submissions: int = 0
    tabs: dict[str, TabChanges] = field(default_factory=dict)
    joined_existing: int = 0  # new submissions that joined a person's (or need's) existing row
    flagged: int = 0  # rows newly flagged as a possible duplicate
    merged_rows: int = 0  # rows merged away after a coordinator's "same person"
    stats_rows: int = 0
    stats_changed: bool = False
    overview_changed: bool = False
    cells: int = 0  # the spreadsheet's cells, as Google counts them against its limit
    # Per kind of result (sync/remember.py): (taken from the memory, worked out anew); empty without memory.
    remembered: dict[str, tuple[int, int]] = field(default_factory=dict)
    quiet: bool = False  # the workbook read as a sync that changed nothing left it: nothing was worked out
    read_nothing: bool = False  # Drive's version said so before the read: nothing was read (sync/unchanged.py)
    letters: int = 0  # messages queued for the handover
    archived: int = 0  # intake rows moved out of the sheet into the archive
    archive_full: bool = False  # the sheet was near Google's limit: merged rows moved whatever their age
    queued: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, request id, volunteer id) of each
    rewritten_rows: int = 0  # rows written again because the sheet moved during the write
    partners: list[PartnerReport] = field(default_factory=list)
    partner_news: list[PartnerReport] = field(default_factory=list)  # those the Log tells (_note_partner_rows)
    expiry: str = ""  # what retention erased, in words without personal data
    lost_rows: int = 0  # acknowledged submissions the sheet no longer held: appended again by the flusher
    unknown_answers: dict[str, int] = field(default_factory=dict)  # field id -> answers no choice list knows
    seconds: float = 0.0
    api_calls: int = 0

    @property
    def added(self) -> int:
        return sum(t.added for t in self.tabs.values())

    @property
    def changed(self) -> int:
        return sum(t.changed for t in self.tabs.values())

    @property
    def changes_nothing(self) -> bool:
        return not (self.added or self.changed or self.stats_changed or self.overview_changed or self.letters
                    or self.archived or any(report.written for report in self.partners))

    def summary(self) -> str:
        """One paragraph for the person who ran it, in the team's language."""
        language = self.language
        verb = say(language, "would_sync" if self.dry_run else "synced", s=self.seconds)
        read = say(language, "read", n=self.submissions, new=self.new_submissions)
        api = say(language, "api", n=self.api_calls)
        if self.changes_nothing:
            tabs = f" {say(language, 'and')} ".join(t.title for t in self.tabs.values())
            unread = say(language, "read_nothing")
            looked = unread[0].upper() + unread[1:] if self.read_nothing else \
                f"{read}; {say(language, 'up_to_date', tabs=tabs)}"
            quiet = f"{verb}: {say(language, 'nothing')}. {looked} ({api})."
            return f"{quiet} {self.size_warning()}." if self.size_warning() else quiet
        parts = [say(language, "tab", title=t.title, added=t.added, changed=t.changed)
                 for t in self.tabs.values()]
        sentences = [f"{verb}. {read}", "; ".join(parts),
                     ", ".join([say(language, "joined", n=self.joined_existing),
                                say(language, "flagged", n=self.flagged),
                                *([say(language, "merged", n=self.merged_rows)] if self.merged_rows else [])])]
        if self.stats_changed:
            sentences.append(say(language, "stats_would" if self.dry_run else "stats", n=self.stats_rows))
        if self.overview_changed:
            sentences.append(say(language, "overview_would" if self.dry_run else "overview"))
        if self.rewritten_rows:
            sentences.append(say(language, "rewritten", n=self.rewritten_rows))
        if self.letters:
            sentences.append(say(language, "letters", n=self.letters))
        if self.archived:
            sentences.append(self.archived_words())
        if self.expiry:
            sentences.append(self.expiry[0].upper() + self.expiry[1:])
        if self.partners:
            written = say(language, "extracts_written", n=sum(r.written for r in self.partners))
            sentences.append(f"{written}. " + say(language, "partners",
                                                    items="; ".join(r.details(language) for r in self.partners)))
        if self.lost_rows:
            sentences.append(say(language, "lost_rows", n=self.lost_rows))
        if self.unknown_answers:
            sentences.append("; ".join(say(language, "unknown", n=n, field=field_id)
                                       for field_id, n in self.unknown_answers.items()))
        if self.size_warning():
            sentences.append(self.size_warning().rstrip("."))
        return ". ".join(sentences) + f". {api[0].upper()}{api[1:]}."

    def size_warning(self) -> str:
        """Words for the coordinators at 70 % and 90 % of Google's cell limit; empty below."""
        share = self.cells / GOOGLE_CELL_LIMIT
        if share < CELLS_HIGH:
            return ""
        return say(self.language, "cells_critical" if share >= 0.9 else "cells_high", cells=self.cells,
                   percent=f"{int(share * 100)} %")

    def archived_words(self) -> str:
        return say(self.language, "archived_full" if self.archive_full else "archived", n=self.archived)

    def details(self) -> str:
        """Per tab, which columns change in how many rows (for --dry-run)."""
        language = self.language
        lines = []
        for tab in self.tabs.values():
            columns = ", ".join(f"{c} {n}" for c, n in tab.columns.most_common())
            lines.append(say(language, "to_add", title=tab.title, added=say(language, "rows_to_add", n=tab.added),
                             changed=say(language, "rows_to_update", n=tab.changed))
                         + (f" ({columns})" if columns else ""))
        lines.append(say(language, "stats_detail", what=say(language, "rewrite" if self.stats_changed else "unchanged"),
                         n=self.stats_rows))
        return "\n".join(lines)


def _rows(sheet: Sheet) -> list[Row]:
    key = sheet.tab.key
    assert key is not None
    return [Row(record[key].strip(), record) for record in sheet.records() if record.get(key, "").strip()]


def _by_id(rows: list[Row]) -> dict[str, Mapping[str, str]]:
    """Each row's cells by its id (of two rows with one id, the lower one's)."""
    return {row.row_id: row.values for row in rows}


def _live_rows(plan: TabPlan, current: Mapping[str, Mapping[str, str]]) -> list[dict[str, str]]:
    """Rows as matching sees them: coordinator cells as read, system cells as decided."""
    key = plan.tab.key
    assert key is not None
    live = [{**current[row_id], **values, key: row_id} for row_id, values in plan.desired.items()
            if row_id in plan.people]
    return live + [dict(row) for row in plan.new_rows]


def _apply_matching(plans: Mapping[str, TabPlan], current: Mapping[str, Mapping[str, Mapping[str, str]]],
                    settings: MatchSettings, turned_down: Mapping[str, set[str]],
                    recall: Recall | None) -> dict[str, int]:
    """Fill the suggestion columns of requests and the screening hints of volunteers.

    A volunteer who said no to a request, or let it expire, counts as not assigned to it and
    is not suggested for it again (`turned_down`), though the coordinator's cell still names them.
    """
    requests = _live_rows(plans[REQUESTS.id], current[REQUESTS.id])
    for row in requests:
        out = turned_down.get(row.get("request_id", ""))
        if out:
            kept = [v for v in split_codes(row.get("assigned_volunteers", "")) if v.upper() not in out]
            row.update(assigned_volunteers=", ".join(kept), turned_down=", ".join(sorted(out)))
    volunteers = _live_rows(plans[VOLUNTEERS.id], current[VOLUNTEERS.id])
    if recall is None:
        result = suggest(requests, volunteers, settings=settings)
    else:
        key = repr(settings) + rows_fingerprint(REQUESTS, requests, "turned_down") + rows_fingerprint(VOLUNTEERS,
                                                                                                      volunteers)
        result = recall.matching(key, lambda: suggest(requests, volunteers, settings=settings))
    held = volunteer_cases(requests)
    for volunteer_id, columns in result.volunteers.items():
        columns["cases"] = held.get(volunteer_id, "")
    for tab, columns_by_id in ((REQUESTS, result.requests), (VOLUNTEERS, result.volunteers)):
        plan = plans[tab.id]
        system = {c.id for c in tab.columns if c.owner == SYSTEM}
        new_by_id = {row[tab.key]: row for row in plan.new_rows}  # type: ignore[index]
        for row_id, columns in columns_by_id.items():
            target = plan.desired.get(row_id) if row_id in plan.desired else new_by_id.get(row_id)
            if target is not None:
                target.update({c: "" if v is None else str(v) for c, v in columns.items() if c in system})
    return result.unfilled_by_task


def _handing(upkeep: Upkeep) -> bool:
    """This desk hands cases over (sync/handover.py)."""
    return upkeep.handovers is not None and upkeep.answer_link is not None


def _plan_handing(requests: Sequence[Mapping[str, str]], volunteer_rows: Sequence[Mapping[str, str]],
                  current: dict[str, dict[str, Mapping[str, str]]], tasks: Sheet, upkeep: Upkeep,
                  language: str) -> tuple[HandoverPlan, PoolPlan]:
    """The handover's next step for every request the coordinators assigned (sync/handover.py), and the
    thank-yous to the volunteers with no case (sync/pool.py), from one read of the handover's memory;
    `requests` and `volunteer_rows` as matching sees them. Only for a desk that hands over (`_handing`).

    A volunteer who paused or stopped themselves counts as such in everything this sync decides
    afterwards (their status cell stays as typed).
    """
    handovers = upkeep.handovers
    assert handovers is not None and upkeep.answer_link is not None
    known, sent, now = handovers.known(), handovers.letter_states(), handovers.clock()
    volunteers = {row["volunteer_id"].upper(): row for row in volunteer_rows}
    reworded = {row.get("code", "").strip(): row for row in tasks.records()}
    handing = plan_handovers(requests, volunteers, known, sent, now, upkeep.handover, upkeep.answer_link, reworded,
                             language)
    pool = plan_pool(volunteers, requests, known.values(), sent, handovers.choices(), now, upkeep.handover,
                     upkeep.answer_link, language)
    rows = current[VOLUNTEERS.id]
    for volunteer_id, status in pool.status.items():
        if volunteer_id in rows:
            rows[volunteer_id] = {**rows[volunteer_id], "status": status_word(status, language)}
    return handing, pool


def _idle(handing: HandoverPlan, pool: PoolPlan) -> bool:
    """The handover has nothing to queue, record or forget."""
    return not (handing.handovers or handing.letters or handing.gone or pool.letters)


def _changes(plan: TabPlan, sheet: Sheet, current: Mapping[str, Mapping[str, str]],
             now: str) -> tuple[dict[str, dict[str, str]], TabChanges, int]:
    """Cells that differ from the sheet (with synced_at on each changed row), and newly flagged rows."""
    summary = TabChanges(sheet.title, added=len(plan.new_rows))
    changes: dict[str, dict[str, str]] = {}
    flagged = sum(1 for row in plan.new_rows if row.get("duplicate_of"))
    for row_id, values in plan.desired.items():
        have = current[row_id]
        diff = {c: v for c, v in values.items() if c in sheet.positions and have.get(c, "") != v}
        if not diff:
            continue
        if diff.get("duplicate_of") and not have.get("duplicate_of"):
            flagged += 1
        summary.changed += 1
        summary.columns.update(diff.keys())
        if "synced_at" in sheet.positions:
            diff["synced_at"] = now
        changes[row_id] = diff
    return changes, summary, flagged


def _with_synced_at(plan: TabPlan, sheet: Sheet, current: Mapping[str, Mapping[str, str]],
                    changes: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Every row's system values including synced_at, as they must read after this sync (in place: at
    100,000 rows a copy weighs some 100 MB, and the plan is done with)."""
    if "synced_at" in sheet.positions:
        for row_id, values in plan.desired.items():
            values["synced_at"] = changes[row_id]["synced_at"] if row_id in changes else current[row_id].get(
                "synced_at", "")
    return plan.desired


def _report_ranges(sheet: Sheet, columns: Mapping[str, Sequence[str]], now: str) -> dict[str, list[list[object]]]:
    """A report tab rewritten column by column (a coordinator's own columns there stay).

    `columns` holds each column's cells from row 2 down; `updated_at` is stamped
    beside the longest. Counts go in as numbers, so charts and sums can use them.
    """
    longest = max((len(cells) for cells in columns.values()), default=0)
    height = max(longest, len(sheet.rows))
    title = quote_title(sheet.title)
    numbers = {c.id for c in sheet.tab.columns if c.type == "number"}
    ranges: dict[str, list[list[object]]] = {}
    for column_id, index in sheet.positions.items():
        letter = column_letters(index)
        given = [now] * longest if column_id == "updated_at" else list(columns.get(column_id, []))
        cells: list[list[object]] = [[int(v) if column_id in numbers and v.isdigit() else v] for v in given]
        cells += [[""]] * (height - len(given))
        if cells:
            ranges[f"{title}!{letter}2:{letter}{height + 1}"] = cells
    return ranges


def _report_changed(sheet: Sheet, columns: Mapping[str, Sequence[str]]) -> bool:
    """Whether the report's cells (but its time stamp) differ from what the tab shows now."""
    for column_id, cells in columns.items():
        index = sheet.positions.get(column_id)
        if index is None:
            continue
        shown = [row[index] if index < len(row) else "" for row in sheet.rows]
        while shown and not shown[-1]:
            shown.pop()
        if shown != list(cells):
            return True
    return False


def _stat_columns(rows: Sequence[StatRow]) -> dict[str, list[str]]:
    return {column_id: [row[n] for row in rows] for n, column_id in enumerate(_STATS_COLUMNS)}


def run_sync(workbook: Workbook, *, dry_run: bool = False, progress: Progress | None = None,
             match: MatchSettings | None = None, clock: Callable[[], datetime] = city_now,
             upkeep: Upkeep = Upkeep(),
             before_write: Callable[[], None] | None = None,
             in_write_window: Callable[[], None] | None = None) -> SyncResult:
    """One sync of the whole spreadsheet.

    `upkeep` says whether partner extracts are mirrored after the write, and
    whether finished rows past the retention period are erased before it. Tests change the sheet as a
    coordinator would in
    `before_write` (after the read, before the write) and `in_write_window`
    (after the check that precedes the write, before the write itself: see
    write.py).
    """
    step = progress or (lambda message: None)
    started, calls_before = time.monotonic(), workbook.api_calls
    language = workbook.language
    result = SyncResult(dry_run=dry_run, language=language)

    journal = upkeep.journal if not dry_run else None
    awaiting = journal.awaiting_read_back() if journal is not None else {}  # before the read: see journal.py
    settings = match or upkeep.match or MatchSettings(language=language)
    memory = upkeep.memory
    # Before the read, so that an edit made while this sync reads has a later version (sync/unchanged.py).
    look, left = _mark(workbook, upkeep, settings, clock()) if not dry_run and not awaiting else (None, None)
    if left is not None:
        _as_read_before(result, Unchanged.from_json(left))
        result.seconds = time.monotonic() - started
        result.api_calls = workbook.api_calls - calls_before  # and no Log row: a sync that reads says it lately
        step(say(language, "step_done"))
        return result
    step(say(language, "step_read"))
    sheets = workbook.read(READS)
    result.cells = workbook.grid_cells
    if awaiting:
        in_sheet = {tab.id: {r.get("submission_id", "").strip() for r in sheets[tab.id].records()}
                    for tab in INTAKE_TABS}
        for submission_id, tab_id, _ in upkeep.archive.fingerprints() if upkeep.archive is not None else ():
            in_sheet.setdefault(tab_id, set()).add(submission_id)
        _, result.lost_rows = journal.read_back(awaiting, lambda tab_id, sid: sid in in_sheet.get(tab_id, ()))
    if upkeep.retention_days and not dry_run:
        expiry = expire(workbook, sheets, upkeep.retention_days, clock())
        if expiry.rows and upkeep.archive is not None:  # so that no archived submission brings a row back
            expiry.intake_rows += upkeep.archive.drop(expiry.submission_ids)
        if expiry.rows:
            result.expiry = expiry.details(upkeep.retention_days, language)
            if upkeep.after_erasure is not None:
                removed = upkeep.after_erasure()
                if removed:
                    result.expiry += "; " + say(language, "exports_removed", n=removed)
            sheets = workbook.read(READS)  # read again: rows moved nowhere, but are empty now
    writes_before = workbook.writes
    moment = clock()
    state = None  # the fingerprint of everything the sync reads (sync/quiet.py)
    if memory is not None and not dry_run and not result.expiry and complete(sheets, [tab for tab, _ in MASTERS]):
        state = workbook_state({tab_id: sheet for tab_id, sheet in sheets.items() if tab_id != LOG_TAB.id},
                               code_version(), language, settings, moment.date().isoformat(),
                               upkeep.archive.state() if upkeep.archive is not None else "")
    now = moment.strftime(TIME_FORMAT)
    if not dry_run and upkeep.archive is not None and upkeep.archive_after_days > 0:
        # The archive's move comes before the work: a write Google refuses for want of room must not keep the
        # merged rows in the sheet for ever. Near the limit they move whatever their age, so that the desk goes
        # on taking sign-ups while its master rows fit.
        result.archive_full = result.cells >= CELLS_HIGH * GOOGLE_CELL_LIMIT
        limit = moment if result.archive_full else moment - timedelta(days=upkeep.archive_after_days)
        merged = _merged(sheets)
        if movable(sheets, merged, limit):  # (no call when nothing moves)
            result.archived, intake = move_to_archive(workbook, upkeep.archive, merged, limit, now)
            sheets.update(intake)  # the intake tabs as they are now, without the rows that moved
    mark = memory.recall_one(QUIET, state) if memory is not None and state is not None else None
    quiet = Quiet.from_json(mark) if mark is not None else None
    as_left = _as_left(sheets, quiet, upkeep, language) if quiet is not None else None
    recall: Recall | None = None
    worked: _Worked | None = None
    if as_left is not None and quiet is not None:
        volunteers = as_left
        result.quiet = True
        result.submissions, result.unknown_answers, result.stats_rows = (quiet.submissions, quiet.unknown_answers,
                                                                         quiet.stats_rows)
        result.tabs = {tab.id: TabChanges(sheets[tab.id].title) for tab, _ in MASTERS}
    else:
        # A dry run writes nothing: it neither deletes a memory of other code (it reads it all) nor adds to it.
        recall = Recall(memory.recall(memory_version(language) if not dry_run else None), language,
                        spill=memory.add if not dry_run else None) if memory is not None else None
        worked = _work_out(workbook, sheets, recall, upkeep, settings, moment, result, dry_run, step,
                           before_write, in_write_window)
        volunteers = worked.volunteers

    if not dry_run:
        if upkeep.extracts_dir is not None:
            step(say(language, "step_partners"))
            partners_sheet = sheets[PARTNERS_TAB.id]
            result.partners = mirror_partners(
                workbook, read_partners(partners_sheet, sheets[AREAS_TAB.id]), volunteers, upkeep.extracts_dir,
                language, step)
            result.partner_news = _note_partner_rows(workbook, partners_sheet, result.partners)
        unchanged = Unchanged(result.submissions, result.unknown_answers, result.stats_rows, result.cells)
        if memory is not None and recall is None and look is not None and workbook.writes == writes_before:
            memory.replace(UNCHANGED, look, unchanged.to_json())  # quiet as it was: the next may read nothing
        if memory is not None and recall is not None and worked is not None:
            if state is not None and workbook.writes == writes_before and worked.idle and result.changes_nothing:
                # Nothing changed: a sync that reads this same workbook will have nothing to change either.
                if look is not None:
                    recall.keep_also(UNCHANGED, {look: unchanged.to_json()})
                recall.keep_also(QUIET, {state: Quiet(
                    live={tab_id: list(ids) for tab_id, ids in worked.live.items()},
                    turned_down=handover_words(worked.planned[0].turned_down) if worked.planned else {},
                    status=dict(worked.planned[1].status) if worked.planned else {},
                    submissions=result.submissions, unknown_answers=result.unknown_answers,
                    stats_rows=result.stats_rows).to_json()})
            memory.keep(recall.entries(), recall.had)
            result.remembered = recall.counts()
            if result.expiry:
                memory.forget_old()  # the rows retention erased leave no copy in the database's files
    result.seconds = time.monotonic() - started
    if not dry_run:
        result.api_calls = workbook.api_calls - calls_before + 1  # the Log rows' own append included
        if not _log(workbook, sheets[LOG_TAB.id], result, now):
            result.api_calls -= 1
    else:
        result.api_calls = workbook.api_calls - calls_before
    step(say(language, "step_done"))
    return result


def reads_nothing(workbook: Workbook, upkeep: Upkeep, clock: Callable[[], datetime] = city_now) -> bool:
    """Whether a sync started now would read nothing (sync/unchanged.py): one call to Drive and a few small
    queries, which the worker makes before it starts a sync process that would only find this out."""
    if upkeep.journal is not None and upkeep.journal.awaiting_read_back():
        return False
    _, left = _mark(workbook, upkeep, upkeep.match or MatchSettings(language=workbook.language), clock())
    return left is not None


def _mark(workbook: Workbook, upkeep: Upkeep, settings: MatchSettings, now: datetime) -> tuple[str | None, str | None]:
    """The fingerprint of the mark that would let a sync read nothing (sync/unchanged.py): Drive's version of
    the spreadsheet and everything else a quiet sync's decisions depend on; and the mark, when a quiet sync
    left it. (None, None) without a memory, or when Drive will not say."""
    if upkeep.memory is None:
        return None, None
    version = workbook.version()
    if version is None:
        return None, None
    handing = _handing(upkeep)
    handover = (upkeep.handover, upkeep.handovers.state(), slot(upkeep.handovers.clock())) \
        if handing and upkeep.handovers is not None else None
    look = mark_key(version, code_version(), workbook.language, settings, slot(now.timestamp()),
                    upkeep.archive.state() if upkeep.archive is not None else None, upkeep.archive_after_days,
                    upkeep.retention_days, str(upkeep.extracts_dir), handover)
    return look, upkeep.memory.recall_one(UNCHANGED, look)


def _as_read_before(result: SyncResult, left: Unchanged) -> None:
    """A sync that read nothing says what the quiet sync that left the mark said."""
    result.quiet = result.read_nothing = True
    result.submissions, result.unknown_answers, result.stats_rows, result.cells = (
        left.submissions, left.unknown_answers, left.stats_rows, left.cells)
    result.tabs = {tab.id: TabChanges(tab.title(result.language)) for tab, _ in MASTERS}


@dataclass
class _Worked:
    """What the sync worked out, for what follows the write."""

    volunteers: list[dict[str, str]]  # as matching saw them
    live: dict[str, list[str]]  # master tab -> the ids of its rows that hold submissions
    planned: tuple[HandoverPlan, PoolPlan] | None
    idle: bool  # the handover changed nothing


def _work_out(workbook: Workbook, sheets: dict[str, Sheet], recall: Recall | None,
              upkeep: Upkeep, settings: MatchSettings, moment: datetime, result: SyncResult, dry_run: bool,
              step: Progress, before_write: Callable[[], None] | None,
              in_write_window: Callable[[], None] | None) -> _Worked:
    """Normalise, merge, match, count and write: the sync itself, from what it read and the archive.

    Once normalised, the intake tabs' rows are let go from `sheets` (their header stays): nothing after
    reads them, and before the archive takes them they weigh some 200 MB at 110,000 rows.
    """
    language = result.language
    step(say(language, "step_normalise", n=sum(len(s.rows) for s in sheets.values())))
    submissions = normalise_intake(sheets, INTAKE_TABS, language, recall.normalise if recall else None,
                                   archived=_archived(upkeep.archive, recall, language))
    for tab in INTAKE_TABS:
        sheets[tab.id] = replace(sheets[tab.id], rows=[])
    result.submissions = len(submissions)
    unknown = Counter(field_id for s in submissions for field_id in s.unknown_choices)
    result.unknown_answers = dict(unknown)

    plans: dict[str, TabPlan] = {}
    current: dict[str, dict[str, Mapping[str, str]]] = {}  # master tab -> row id -> cells as read
    for tab, form in MASTERS:
        step(say(language, f"step_merge_{form}s"))
        rows = _rows(sheets[tab.id])
        current[tab.id] = _by_id(rows)
        plans[tab.id] = plan_tab(tab, form, rows, [s for s in submissions if s.form == form], language,
                                 moment.date(), recall.system_values if recall else None,
                                 recall.duplicates if recall else None)
        result.joined_existing += plans[tab.id].joined_existing
        result.merged_rows += len(plans[tab.id].merged_rows)
    result.new_submissions = result.joined_existing + sum(
        len(subs) for plan in plans.values() for row_id, subs in plan.people.items() if row_id not in plan.desired)

    planned = _plan_handing(_live_rows(plans[REQUESTS.id], current[REQUESTS.id]),
                            _live_rows(plans[VOLUNTEERS.id], current[VOLUNTEERS.id]), current, sheets[TASKS_TAB.id],
                            upkeep, language) if _handing(upkeep) else None
    idle = True
    step(say(language, "step_match"))
    unfilled = _apply_matching(plans, current, settings, planned[0].turned_down if planned else {}, recall)
    if planned is not None:
        handing, pool = planned
        idle = _idle(handing, pool)
        for row_id, values in plans[REQUESTS.id].desired.items():
            values["handover"] = handing.cells.get(row_id, "")
        for row_id, values in plans[VOLUNTEERS.id].desired.items():
            values["own_choice"] = pool.cells.get(row_id, "")
        if not dry_run and upkeep.handovers is not None:
            # Before the sheet's write: a message is queued even if the write fails (the next sync writes the row).
            letters = handing.letters + pool.letters
            result.letters = upkeep.handovers.record(handing.handovers, letters)
            result.queued = [(m.kind, m.request_id, m.volunteer_id) for m in letters]
            if handing.gone:
                upkeep.handovers.forget(handing.gone, [])

    now = moment.strftime(TIME_FORMAT)
    for tab, _ in MASTERS:
        if "closed_at" in sheets[tab.id].positions:
            for row_id, values in plans[tab.id].desired.items():
                values["closed_at"] = closed_at(tab, current[tab.id][row_id], now)
    changes: dict[str, dict[str, dict[str, str]]] = {}
    for tab, _ in MASTERS:
        changes[tab.id], result.tabs[tab.id], flagged = _changes(plans[tab.id], sheets[tab.id], current[tab.id], now)
        result.flagged += flagged

    volunteers, requests = (_live_rows(plans[tab.id], current[tab.id]) for tab in (VOLUNTEERS, REQUESTS))

    def reports() -> Reports:
        per_day = submissions_per_day(submissions)
        return (compute_stats(submissions, volunteers, requests, unfilled, per_day, language),
                overview_columns(volunteers, requests, per_day, settings.capacity, language))

    if recall is None:
        stats, overview = reports()
    else:
        stats, overview = recall.reports(
            f"{language} {settings.capacity} {sorted(unfilled.items())} {recall.submissions_key(submissions)} "
            f"{rows_fingerprint(VOLUNTEERS, volunteers)} {rows_fingerprint(REQUESTS, requests)}", reports)
    result.stats_rows = len(stats)
    result.stats_changed = _report_changed(sheets[STATS_TAB.id], _stat_columns(stats))
    result.overview_changed = _report_changed(sheets[OVERVIEW_TAB.id], overview)
    if not submissions and any(any(r) for r in sheets[STATS_TAB.id].rows):
        # After `helpt purge` there is nothing left to count: keep the counts made before it.
        result.stats_changed = result.overview_changed = False

    if not dry_run:
        step(say(language, "step_write", changed=say(language, "changed_rows", n=sum(len(c) for c in changes.values())),
                 new=say(language, "new_rows", n=result.added)))
        masters = {tab.id: sheets[tab.id] for tab, _ in MASTERS}
        also = _report_ranges(sheets[STATS_TAB.id], _stat_columns(stats), now) if result.stats_changed else {}
        if result.overview_changed:
            also.update(_report_ranges(sheets[OVERVIEW_TAB.id], overview, now))
        if before_write is not None:
            before_write()
        if any(changes.values()) or also:  # (nothing to write: no check of where the rows are either)
            desired = {tab_id: _with_synced_at(plans[tab_id], masters[tab_id], current[tab_id], changes[tab_id])
                       for tab_id in masters}
            placement = place(workbook, masters, changes, desired, also=also, before_write=in_write_window)
            result.rewritten_rows = placement.rewritten_rows
        for tab, _ in MASTERS:
            sheet = sheets[tab.id]
            workbook.append(sheet, [{c: v for c, v in {**row, "synced_at": now}.items() if c in sheet.positions}
                                    for row in plans[tab.id].new_rows])
    live = {tab.id: [row_id for row_id in plans[tab.id].desired if row_id in plans[tab.id].people]
            for tab, _ in MASTERS}
    return _Worked(volunteers, live, planned, idle)


def _archived(archive: Archive | None, recall: Recall | None,
              language: str) -> list[tuple[str, Mapping[str, str] | Submission]]:
    """The archive's rows, each as (intake tab id, row); with memory, as (intake tab id, submission), each
    taken from the memory or normalised here, batch by batch: at 100,000 archived rows the rows as dicts
    weigh some 200 MB, and after an upgrade (or `helpt person forget`) the memory holds none of them."""
    if archive is None:
        return []
    if recall is None:
        return [(row.tab_id, row.record) for row in archive.rows()]
    held = archive.fingerprints()
    known = {submission_id: (tab_id, submission) for submission_id, tab_id, row in held
             if row and (submission := recall.archived(row)) is not None}
    missing = [submission_id for submission_id, _, _ in held if submission_id not in known]
    tabs, tab_of = {tab.id: tab for tab in INTAKE_TABS}, {submission_id: tab_id for submission_id, tab_id, _ in held}
    for start in range(0, len(missing), _ARCHIVE_BATCH):
        for submission_id, record in archive.records(missing[start:start + _ARCHIVE_BATCH]).items():
            tab_id = tab_of[submission_id]
            # As normalise_intake reads a row: a blank one, or one of a tab that is no intake tab, is left out.
            if tab_id in tabs and not blank(record):
                known[submission_id] = (tab_id, recall.normalise(tabs[tab_id], record, language))
    return [known[submission_id] for submission_id, _, _ in held if submission_id in known]


def _as_left(sheets: Mapping[str, Sheet], quiet: Quiet, upkeep: Upkeep, language: str) -> list[dict[str, str]] | None:
    """The workbook reads as a sync that changed nothing left it (sync/quiet.py): the volunteers as matching
    saw them, for the partner extracts (none without extracts); None when the handover moved on since, and
    the sync must work everything out."""
    if not _handing(upkeep) and (quiet.turned_down or quiet.status):
        return None  # the handover was on when the mark was left
    if not _handing(upkeep) and upkeep.extracts_dir is None:
        return []
    current = {tab.id: _by_id(_rows(sheets[tab.id])) for tab, _ in MASTERS}

    def live(tab: Tab) -> list[dict[str, str]]:
        rows = current[tab.id]
        return [{**rows[row_id], tab.key: row_id} for row_id in quiet.live[tab.id]]  # type: ignore[misc]

    if not _handing(upkeep):
        return live(VOLUNTEERS)
    requests = live(REQUESTS)
    handing, pool = _plan_handing(requests, live(VOLUNTEERS), current, sheets[TASKS_TAB.id], upkeep, language)
    if (not _idle(handing, pool)
            or handover_words(handing.turned_down) != quiet.turned_down or pool.status != quiet.status
            or any(handing.cells.get(row["request_id"], "") != row.get("handover", "") for row in requests)):
        return None
    volunteers = live(VOLUNTEERS)  # with the statuses they chose themselves
    if any(pool.cells.get(row["volunteer_id"], "") != row.get("own_choice", "") for row in volunteers):
        return None
    return volunteers


def _merged(sheets: Mapping[str, Sheet]) -> set[str]:
    """Every submission a master row (one with an id) holds: what the archive may take out of the intake tabs."""
    merged: set[str] = set()
    for tab, _ in MASTERS:
        sheet = sheets[tab.id]
        key, held = sheet.positions.get(tab.key or ""), sheet.positions.get("submission_ids")
        if key is not None and held is not None:
            merged.update(sid for row in sheet.rows if row[key].strip() for sid in split_list(row[held]))
    return merged


def _note_partner_rows(workbook: Workbook, sheet: Sheet, reports: list[PartnerReport]) -> list[PartnerReport]:
    """Each Partners row says where its extract is and what the sync did with it (by partner id).

    Returns the reports that are news, for the Log: an extract written, or a Partners row that now says
    something else (a refusal, or its end). A partner whose row already says it, extract unchanged, is no
    news: every sync would log "P-1: 12 volunteers shared" again, a row per partner each minute."""
    if "extract_status" not in sheet.positions or sheet.tab.key not in sheet.positions:
        return reports  # a Partners tab from before these columns (`helpt init` adds them): only the Log says it
    desired = partner_cells(reports, workbook.language)
    current = {row["partner_id"].strip(): row for row in sheet.records() if row.get("partner_id", "").strip()}
    changes = {partner_id: {c: v for c, v in cells.items() if current[partner_id].get(c, "") != v}
               for partner_id, cells in desired.items() if partner_id in current}
    changes = {partner_id: cells for partner_id, cells in changes.items() if cells}
    if changes:
        place(workbook, {PARTNERS_TAB.id: sheet}, {PARTNERS_TAB.id: changes}, {PARTNERS_TAB.id: desired})
    return [report for report in reports if report.written or report.partner_id in changes
            or report.partner_id not in current]


LOGGED_MESSAGES = 300  # a Log cell holds 50,000 characters; the rest is counted


def _queued_words(queued: Sequence[tuple[str, str, str]], language: str) -> str:
    """The messages a sync queued, by id only: "vraag R-000001 aan V-000003; bedankje aan V-000007"."""
    items = [translate(language, MESSAGE_KINDS[kind], request=request_id, volunteer=volunteer_id)
             for kind, request_id, volunteer_id in queued[:LOGGED_MESSAGES]]
    if len(queued) > LOGGED_MESSAGES:
        items.append(say(language, "more", n=len(queued) - LOGGED_MESSAGES))
    return "; ".join(items)


def _log(workbook: Workbook, sheet: Sheet, result: SyncResult, now: str) -> bool:
    """The sync's Log rows in the team's language: counts only, never a name or a phone number.
    No rows when the sync changed nothing and the Log said so in the same words lately. Whether it wrote."""
    language = workbook.language
    details = "; ".join([
        *(say(language, "tab", title=t.title, added=t.added, changed=t.changed) for t in result.tabs.values()),
        say(language, "new_submissions", n=result.new_submissions) + ", "
        + say(language, "joined_rows", n=result.joined_existing),
        *([say(language, "merged", n=result.merged_rows)] if result.merged_rows else []),
        *([say(language, "rewritten", n=result.rewritten_rows)] if result.rewritten_rows else []),
        *([say(language, "lost_rows", n=result.lost_rows)] if result.lost_rows else []),
        *([say(language, "letters", n=result.letters)] if result.letters else []),
        *([result.archived_words()] if result.archived else []),
        *(say(language, "unknown", n=n, field=field_id) for field_id, n in result.unknown_answers.items())])
    record = {"job": "sync", "duration_s": f"{result.seconds:.1f}",
              "rows_added": str(result.added), "rows_changed": str(result.changed),
              "duplicates_flagged": str(result.flagged), "api_calls": str(result.api_calls), "details": details}
    others = [{"job": "retention", "details": result.expiry}] if result.expiry else []
    others += [{"job": "handover", "details": _queued_words(result.queued, language)}] if result.queued else []
    others += [{"job": "size", "details": result.size_warning()}] if result.size_warning() else []
    exports = [{"job": "partner_export", "details": report.details(language)} for report in result.partner_news]
    rows = [record, *others, *exports]
    if result.changes_nothing and said_lately(language, sheet, now, rows):
        return False
    log_rows(workbook, sheet, now, rows)
    return True
