"""The desk's own database, and the locks that keep one flusher and one sync at a time.

One code path over SQLAlchemy Core, with the database chosen by its URL:

- no `DATABASE_URL`: SQLite in the data folder, in WAL mode with
  `synchronous=FULL` (a commit returns once it is on disk) and `secure_delete`
  (erased personal data is overwritten, not left in free pages);
- `DATABASE_URL` (what every Procfile platform sets): PostgreSQL, shared by
  every web and worker instance, so nothing depends on a dyno's disk.

Locks are non-blocking and die with their holder: a byte-range lock on the
SQLite file itself (an open-file-description lock, so SQLite's own locking and
file handles cannot drop it), or a session-level advisory lock in PostgreSQL,
which the server drops when the holder's connection goes, even after a SIGKILL.
A lock on a side file would be gone the moment someone deleted that file, and
two flushers or two syncs would then run at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from sheets_schema.errors import ConfigError, HelptError

SQLITE_FILE = "intake-journal.sqlite3"


class DatabaseUnavailable(HelptError):
    """The desk's database could not be reached or refused a statement."""


@dataclass
class Lock:
    """A lock this process holds; `held()` says whether it still does (a lost connection loses it)."""

    name: str
    _connection: sa.Connection | None = None

    def held(self) -> bool:
        if self._connection is None:  # an flock lasts as long as its file descriptor
            return True
        try:
            self._connection.execute(sa.text("SELECT 1"))
            self._connection.commit()  # never left idle in a transaction, which a server may time out
            return True
        except sa.exc.SQLAlchemyError:
            return False


@dataclass
class Database:
    """An engine on the desk's database, and the data folder it belongs to."""

    engine: sa.Engine
    data_dir: Path

    def create_tables(self, metadata: sa.MetaData,
                      then: Callable[[sa.Connection], None] | None = None) -> None:
        """Create the tables of `metadata` that are missing (and run `then` in the same transaction).

        Every gunicorn worker of every instance does this at start. Two that find no table at
        once both create it, and one fails; a second look then finds the winner's table.
        """
        for attempt in range(3):
            try:
                with self.engine.begin() as db:
                    metadata.create_all(db)
                    if then is not None:
                        then(db)
                return
            except sa.exc.SQLAlchemyError as error:
                if attempt == 2:
                    raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        """One transaction; any database error in it is the desk's DatabaseUnavailable."""
        try:
            with self.engine.begin() as db:
                yield db
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    def leave_no_trace(self, *tables: str) -> None:
        """What was deleted from `tables` must not linger in the database's files either.

        SQLite zeroes deleted content (secure_delete) but its write-ahead log
        keeps older page images until checkpointed and cut. PostgreSQL keeps
        dead rows until a vacuum; VACUUM FULL writes the table anew. (Its WAL
        and backups are the platform's: see the README.)
        """
        try:
            with self.engine.connect() as db:
                db = db.execution_options(isolation_level="AUTOCOMMIT")
                if self.kind == "sqlite":
                    db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                    db.exec_driver_sql("VACUUM")
                    db.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                else:
                    for table in tables:
                        db.exec_driver_sql(f'VACUUM FULL "{table}"')
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    def insert(self, table: sa.Table):
        """INSERT that takes ON CONFLICT: the same SQL in both databases, each dialect's own spelling."""
        if self.kind == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table)

    @property
    def kind(self) -> str:
        return self.engine.dialect.name  # "sqlite" or "postgresql"

    def describe(self) -> str:
        """Where the data is, without the password."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def lock(self, name: str) -> Iterator[Lock | None]:
        """Hold the lock `name` for the block, or yield None at once if another process holds it."""
        if self.kind == "postgresql":
            with self._advisory_lock(name) as held:
                yield held
        else:
            with _byte_lock(Path(self.engine.url.database or ""), name) as held:
                yield Lock(name) if held else None

    @contextmanager
    def _advisory_lock(self, name: str) -> Iterator[Lock | None]:
        key = int.from_bytes(hashlib.blake2b(f"helpt:{name}".encode(), digest_size=8).digest(), "big", signed=True)
        try:
            connection = self.engine.connect()
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"cannot reach {self.describe()}: {error}") from error
        got = False
        try:
            got = bool(connection.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
            connection.commit()
            yield Lock(name, connection) if got else None
        finally:
            if got:  # the connection goes back to the pool, so the session (and a lock) would live on
                try:
                    connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    connection.commit()
                except sa.exc.SQLAlchemyError:
                    connection.invalidate()  # closing the session releases the lock all the same
            connection.close()

    def dispose(self) -> None:
        self.engine.dispose()


# Lock bytes far below SQLite's own (at 1 GiB) and far beyond any real file size:
# locking bytes past the end of a file is allowed and leaves the file as it is.
_LOCK_BYTES = 0x2000_0000


def _lock_offset(name: str) -> int:
    return _LOCK_BYTES + int.from_bytes(hashlib.blake2b(name.encode(), digest_size=2).digest(), "big")


# One descriptor per database file and lock name, opened once and never closed while the process
# lives. Closing *any* descriptor of a file drops every classic POSIX lock the process holds on it,
# and SQLite guards its write-ahead log with exactly such locks: a lock taken and released here by
# opening and closing the file made another process (`helpt sync` beside `helpt serve`) think it was
# the last user, checkpoint and delete the log, and this process's later commits went to the deleted
# file, unseen by anyone else.
_DESCRIPTORS: dict[tuple[int, str, str], int] = {}
_IN_PROCESS: dict[tuple[str, str], threading.Lock] = {}
_REGISTRY = threading.Lock()


def _descriptor(path: Path, name: str) -> tuple[int, threading.Lock]:
    """This process's own descriptor for the lock `name` on `path` (a forked child opens its own, since
    a descriptor inherited across fork shares its locks with the parent), and the lock between threads."""
    key = (os.getpid(), str(path), name)
    with _REGISTRY:
        if key not in _DESCRIPTORS:
            _DESCRIPTORS[key] = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        return _DESCRIPTORS[key], _IN_PROCESS.setdefault((str(path), name), threading.Lock())


def _flock_request(kind: int, name: str) -> bytes:
    # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for OFD locks), native layout.
    return struct.pack("hhxxxxqqixxxx", kind, os.SEEK_SET, _lock_offset(name), 1, 0)


@contextmanager
def _byte_lock(path: Path, name: str) -> Iterator[bool]:
    """An exclusive open-file-description lock on one byte of the database file, without waiting.

    Unlike a classic POSIX lock it belongs to its descriptor, not the process: SQLite
    closing its own handles on the file does not release it, and a process that dies
    loses it. Threads of one process exclude each other through a lock of their own.
    """
    fd, between_threads = _descriptor(path, name)
    if not between_threads.acquire(blocking=False):
        yield False
        return
    try:
        try:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock_request(fcntl.F_WRLCK, name))
        except (BlockingIOError, PermissionError):
            yield False
            return
        try:
            yield True
        finally:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock_request(fcntl.F_UNLCK, name))
    finally:
        between_threads.release()


def database_url(url: str) -> sa.URL:
    """`url` as SQLAlchemy takes it: platforms hand out `postgres://`, which means psycopg here."""
    try:
        parsed = make_url(url)
    except sa.exc.ArgumentError as error:
        raise ConfigError(f"DATABASE_URL is not a database URL: {error}") from None
    if parsed.drivername in ("postgres", "postgresql", "postgresql+psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername == "sqlite":
        return parsed
    raise ConfigError(f"DATABASE_URL must be a PostgreSQL (or SQLite) URL, not {parsed.drivername}")


def open_database(url: str, data_dir: Path) -> Database:
    """The database at `url`, or SQLite in `data_dir` when `url` is empty. Tables are created by their users.

    `hide_parameters`: a failed statement's message goes to logs, and its parameters are personal data.
    """
    data_dir = Path(data_dir)
    if url:
        parsed = database_url(url)
    else:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = data_dir / SQLITE_FILE
        if not path.exists():  # readable by its owner only: it holds personal data
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        parsed = sa.URL.create("sqlite", database=str(path))
    if parsed.drivername == "sqlite":
        engine = sa.create_engine(parsed, hide_parameters=True, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_settings)
    else:
        # A small pool: a web worker has 4 threads, and small plans allow 20 connections in all.
        # Keepalives: a holder whose machine vanished loses its lock in under a minute.
        connect = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                   "keepalives_count": 3, "application_name": "helpt"}
        engine = sa.create_engine(parsed, pool_pre_ping=True, pool_size=4, max_overflow=2, hide_parameters=True,
                                  connect_args=connect)
    return Database(engine, data_dir)


def _sqlite_settings(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()
