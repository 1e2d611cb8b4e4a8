"""The desk's own database: the intake journal and the locks that keep one flusher and one sync at a time.

One code path over SQLAlchemy Core, with the database chosen by its URL:

- no `DATABASE_URL`: SQLite in the data folder, in WAL mode with
  `synchronous=FULL` (a commit returns once it is on disk) and `secure_delete`
  (erased personal data is overwritten, not left in free pages);
- `DATABASE_URL` (what every Procfile platform sets): PostgreSQL, shared by
  every web and worker instance, so nothing depends on a dyno's disk.

Locks are non-blocking and die with their holder: an `flock` on a file beside
the SQLite database, or a session-level advisory lock in PostgreSQL, which the
server drops when the holder's connection goes, even after a SIGKILL.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .errors import ConfigError, HelptError

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
    """An engine on the desk's database, and where its lock files go when it is SQLite."""

    engine: sa.Engine
    data_dir: Path

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
            with _file_lock(self.data_dir / f"{name}.lock") as held:
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


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


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
