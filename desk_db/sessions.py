"""The call centre's sessions, kept server-side so that signing out really ends them.

The agent's cookie holds a random session id (signed by Flask); this table
holds its hash, the agent's name, and when it ends: after a shift
(`HELPT_AGENT_SESSION_HOURS`) or at sign-out, whichever comes first. A copied
cookie is worth nothing once its session ended, on every worker and instance.

It also answers whether a name has signed in before: such an agent's
sign-in is never refused for guesses others made from the same address.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable

import sqlalchemy as sa

from .engine import Database, DatabaseUnavailable

KNOWN_FOR = 30 * 24 * 3600.0  # an agent who signed in within this many seconds is known

_metadata = sa.MetaData()
SESSIONS = sa.Table(
    "agent_sessions", _metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("agent", sa.String(60), nullable=False),
    sa.Column("agent_key", sa.String(64), nullable=False),  # the name as compared: case and spacing aside
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("ends_at", sa.Float, nullable=False),
    sa.Index("agent_sessions_agent", "agent_key", "started_at"),
)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def agent_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class Sessions:
    def __init__(self, database: Database, hours: float, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.seconds = hours * 3600
        self.clock = clock
        database.create_tables(_metadata)

    def _run(self, statement: sa.Executable, values: dict | None = None) -> sa.CursorResult:
        try:
            with self.database.engine.begin() as db:
                return db.execute(statement, values or {})
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    def start(self, agent: str) -> str:
        """A new session for `agent`; the id goes in the cookie, only its hash here."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        table = SESSIONS
        self._run(sa.delete(table).where(table.c.ends_at < now - KNOWN_FOR))  # long over: forget the name
        self._run(sa.insert(table).values(id_hash=_hash(session_id), agent=agent, agent_key=agent_key(agent),
                                          started_at=now, ends_at=now + self.seconds))
        return session_id

    def agent(self, session_id: str | None) -> str | None:
        """Who this session belongs to, while it lasts; None once it ended or never was."""
        if not session_id:
            return None
        table = SESSIONS
        return self._run(sa.select(table.c.agent).where(
            table.c.id_hash == _hash(session_id), table.c.ends_at > self.clock())).scalar()

    def end(self, session_id: str | None) -> None:
        if session_id:
            self._run(sa.update(SESSIONS).where(SESSIONS.c.id_hash == _hash(session_id))
                      .values(ends_at=self.clock()))

    def known(self, agent: str) -> bool:
        """Whether someone with this name signed in within the last 30 days."""
        table = SESSIONS
        return self._run(sa.select(sa.func.count()).where(
            table.c.agent_key == agent_key(agent), table.c.started_at > self.clock() - KNOWN_FOR)).scalar() > 0

    def erase_all(self) -> int:
        """`helpt purge`: agents' names go too."""
        result = self._run(sa.delete(SESSIONS))
        self.database.leave_no_trace(SESSIONS.name)
        return result.rowcount
