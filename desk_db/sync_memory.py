"""What a sync remembers between runs, so that it redoes only what changed (docs/sync.md).

Every entry is the result of a pure function of the sync, filed under a
fingerprint of everything that function reads: an intake row's cells and the
team's language, say, and the code that worked it out. An entry can therefore
be unused but never wrong; the spreadsheet stays the one source of truth, and
a coordinator may sort, edit or delete anything between two syncs.

After each sync only the entries it used are kept, and a sync under new code or another team
language deletes the old entries unread (none could match). The memory holds normalised
copies of people's rows, so it is personal data: a row erased from the
spreadsheet leaves the memory at the next sync, and `helpt person forget` and
`helpt purge` erase the memory whole (the next sync rebuilds it from the sheet).
It lives in the desk's database, so every worker shares it and a wiped disk
costs one slower sync, nothing else.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import sqlalchemy as sa

from .engine import Database

_metadata = sa.MetaData()
MEMORY = sa.Table(
    "sync_memory", _metadata,
    sa.Column("kind", sa.String(20), primary_key=True),  # which function: "submission", ...
    sa.Column("fingerprint", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # what it returned, as JSON
)
VERSION = "version"  # the kind of the entry that says which code and language the others follow
_BATCH = 5000  # rows per statement: PostgreSQL takes at most 65,535 parameters in one


class SyncMemory:
    """The memory in `database`; one sync at a time writes it (the sync lock), any may read."""

    def __init__(self, database: Database) -> None:
        self.database = database
        database.create_tables(_metadata)

    def recall(self, version: str | None = None) -> dict[str, dict[str, str]]:
        """Every entry: kind -> fingerprint -> value.

        `version` names what every fingerprint starts from (the sync's code and the team's language): a
        memory kept under another one is deleted unread, since none of its entries can match. After an
        upgrade it held some 140 MiB that the first sync, which works everything out anew, carried to the
        end. The sync keeps its version as an entry of the kind "version" (`keep`)."""
        known: dict[str, dict[str, str]] = {}
        with self.database.begin() as db:
            if version is not None and db.execute(sa.select(MEMORY.c.fingerprint).where(
                    MEMORY.c.kind == VERSION)).scalars().all() != [version]:
                db.execute(sa.delete(MEMORY))
                return known
            for kind, fingerprint, value in db.execute(sa.select(MEMORY.c.kind, MEMORY.c.fingerprint, MEMORY.c.value)):
                known.setdefault(kind, {})[fingerprint] = value
        return known

    def recall_one(self, kind: str, fingerprint: str) -> str | None:
        """One entry's value, or None: without reading the rest of the memory."""
        with self.database.begin() as db:
            return db.execute(sa.select(MEMORY.c.value).where(
                MEMORY.c.kind == kind, MEMORY.c.fingerprint == fingerprint)).scalar_one_or_none()

    def replace(self, kind: str, fingerprint: str, value: str) -> None:
        """Make this the one entry of its kind (a mark that only the latest sync may leave)."""
        with self.database.begin() as db:
            db.execute(sa.delete(MEMORY).where(MEMORY.c.kind == kind))
            db.execute(sa.insert(MEMORY).values(kind=kind, fingerprint=fingerprint, value=value))

    def add(self, entries: Mapping[str, Mapping[str, str]]) -> None:
        """Write new entries (kind -> fingerprint -> value) during a sync; one the memory holds already
        stays as it is (the same fingerprint, the same result)."""
        rows = [{"kind": kind, "fingerprint": f, "value": v}
                for kind, values in entries.items() for f, v in values.items()]
        insert = self.database.insert(MEMORY).on_conflict_do_nothing(index_elements=["kind", "fingerprint"])
        with self.database.begin() as db:
            for start in range(0, len(rows), _BATCH):
                db.execute(insert, rows[start:start + _BATCH])

    def keep(self, used: Mapping[str, Mapping[str, str]], known: Mapping[str, Collection[str]]) -> tuple[int, int]:
        """After a sync: `used` is every entry it used (kind -> fingerprint -> value), `known` the fingerprints
        `recall` gave it. An entry of `used` the memory holds keeps its value when given as "", and takes the
        new one otherwise. New entries are added and those no longer used deleted, in one transaction;
        returns (entries written, entries deleted), a replaced one counted in both."""
        added = [{"kind": kind, "fingerprint": f, "value": v}
                 for kind, entries in used.items() for f, v in entries.items() if f not in known.get(kind, ()) or v]
        gone = [(kind, f) for kind, fingerprints in known.items() for f in fingerprints
                if f not in used.get(kind, {}) or used[kind][f]]
        with self.database.begin() as db:
            for start in range(0, len(gone), _BATCH):
                db.execute(sa.delete(MEMORY).where(sa.tuple_(MEMORY.c.kind, MEMORY.c.fingerprint).in_(
                    gone[start:start + _BATCH])))
            for start in range(0, len(added), _BATCH):
                db.execute(sa.insert(MEMORY), added[start:start + _BATCH])
        return len(added), len(gone)

    def erase_all(self) -> int:
        """Forget everything (and leave no copy in the database's files); how many entries went."""
        with self.database.begin() as db:
            erased = db.execute(sa.delete(MEMORY)).rowcount
        self.database.leave_no_trace(MEMORY.name)
        return erased

    def forget_old(self) -> None:
        """After rows were erased from the sheet and their entries deleted: no copy left in the files."""
        self.database.leave_no_trace(MEMORY.name)
