"""The handover's memory: where each case stands, and the outbox of messages to people.

A handover is one volunteer asked to take one request. The sync decides (a
coordinator assigned the volunteer and marked the request Gematcht); the web
app records the volunteer's answer from a signed link; the postman sends what
is queued. All three meet here, so the state lives in the desk's database,
shared by every web and worker instance.

Every message is written to the outbox before anything is sent (invariant 10),
keyed by (request, volunteer, round, kind): queueing it twice is a no-op. A
sender claims a message by moving it to `sending` with a lease, in one
statement that only one claimant can win; a sender killed mid-send leaves the
lease to run out, and only that one message can go out twice. A sent message
keeps no address and no text: the outbox then says only what was sent, when.

The local mailbox is the postman of a desk without SMTP (`make run`): messages
land in a table the back office can read, with working links.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa

from .engine import Database, DatabaseUnavailable

_metadata = sa.MetaData()
HANDOVERS = sa.Table(
    "handovers", _metadata,
    sa.Column("request_id", sa.String(20), primary_key=True),
    sa.Column("volunteer_id", sa.String(20), primary_key=True),
    sa.Column("round", sa.Integer, nullable=False),  # a volunteer assigned again after it ended: the next round
    sa.Column("state", sa.String(12), nullable=False),
    sa.Column("offered_at", sa.Float, nullable=False),
    sa.Column("answered_at", sa.Float),
    sa.Column("told_at", sa.Float),  # when the contact details and the resident's news were queued
    sa.Column("released", sa.Boolean, nullable=False, default=False),  # out of the cell since it ended
    sa.Column("asked_at", sa.Float),  # when the follow-up was queued
    # A case sent by SMS: a hash of the number it went to (a reply comes from it), and the reader's language.
    sa.Column("reply_to", sa.String(64), index=True),
    sa.Column("language", sa.String(2)),
    sa.Column("outcome", sa.String(12)),  # the volunteer's word after the follow-up: done | not_yet | fell_through
    sa.Column("outcome_at", sa.Float),
)
OUTBOX = sa.Table(
    "outbox", _metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("request_id", sa.String(20), nullable=False),
    sa.Column("volunteer_id", sa.String(20), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(12), nullable=False),
    sa.Column("language", sa.String(2), nullable=False),
    sa.Column("channel", sa.String(8), nullable=False),
    sa.Column("address", sa.Text),  # personal: emptied once sent
    sa.Column("subject", sa.Text),
    sa.Column("body", sa.Text),  # personal: emptied once sent
    sa.Column("state", sa.String(10), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_try", sa.Float, nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("sent_at", sa.Float),
    sa.UniqueConstraint("request_id", "volunteer_id", "round", "kind", name="outbox_once"),
    sa.Index("outbox_due", "state", "next_try"),
)
MAILBOX = sa.Table(
    "local_mailbox", _metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    # Whose case it is: forgetting the resident also erases the details mailed to the volunteer.
    sa.Column("request_id", sa.String(20), nullable=False),
    sa.Column("volunteer_id", sa.String(20), nullable=False),
    sa.Column("address", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("delivered_at", sa.Float, nullable=False),
)
CHOICES = sa.Table(
    "volunteer_choices", _metadata,  # a volunteer's own pause or stop, from the link in their thank-you
    sa.Column("volunteer_id", sa.String(20), primary_key=True),
    sa.Column("choice", sa.String(10), nullable=False),  # paused | withdrawn | active (back again)
    sa.Column("chosen_at", sa.Float, nullable=False),
)
KEYS = sa.Table(
    "desk_keys", _metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(100), nullable=False),
)

_PERSONAL = (HANDOVERS, OUTBOX, MAILBOX, CHOICES)
OPEN = "offered"  # the only state an answer can change
ANSWERS = ("accepted", "declined")
OUTCOMES = ("done", "not_yet", "fell_through")
FINISHED = ("declined", "expired", "withdrawn")  # the volunteer is out of this case


@dataclass(frozen=True)
class Handover:
    request_id: str
    volunteer_id: str
    round: int
    state: str  # offered | accepted | declined | expired | withdrawn | unreachable
    offered_at: float
    answered_at: float | None = None
    told_at: float | None = None
    released: bool = False
    asked_at: float | None = None
    reply_to: str | None = None
    language: str | None = None
    outcome: str | None = None
    outcome_at: float | None = None


@dataclass(frozen=True)
class Letter:
    """A message to queue: to the volunteer or the resident of a handover."""

    request_id: str
    volunteer_id: str
    round: int
    kind: str  # case | contact | resident | withdrawn
    language: str
    channel: str  # email
    address: str
    subject: str
    body: str


class LetterState(NamedTuple):
    """Where one message stands, for the row's words."""

    state: str  # queued | sending | sent | failed | cancelled
    sent_at: float | None
    reason: str
    channel: str  # email | phone (a call the call centre makes)
    attempts: int


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, for the postman."""

    id: int
    kind: str
    request_id: str
    volunteer_id: str
    language: str
    channel: str
    address: str
    subject: str
    body: str
    attempts: int


@dataclass(frozen=True)
class Delivered:
    """A message in the local mailbox."""

    id: int
    request_id: str
    volunteer_id: str
    address: str
    subject: str
    body: str
    delivered_at: float


class Handovers:
    """The handovers and the outbox in `database`; safe to share between threads."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self.database = database
        self.clock = clock
        self._keys: dict[str, str] = {}  # made once in the database, never changed: read once
        database.create_tables(_metadata)

    def _read(self, statement: sa.Executable, values: dict | None = None) -> list[sa.Row]:
        try:
            with self.database.engine.connect() as db:
                return list(db.execute(statement, values or {}))
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseUnavailable(f"the desk's database is unavailable: {error}") from error

    # --- what the sync reads and decides -------------------------------------------------

    def known(self) -> dict[tuple[str, str], Handover]:
        """Every handover, by (request id, volunteer id)."""
        rows = self._read(sa.select(HANDOVERS))
        return {(row.request_id, row.volunteer_id): Handover(**row._mapping) for row in rows}

    def record(self, handovers: Iterable[Handover], letters: Iterable[Letter]) -> int:
        """Save what the sync decided, in one transaction; how many letters were queued.

        A letter already queued once is not queued again. A withdrawal is told only to a volunteer
        who got the case: if the case is still waiting in the outbox, it is cancelled instead.
        """
        now, queued = self.clock(), 0
        with self.database.begin() as db:
            for h in handovers:
                values = {k: v for k, v in h.__dict__.items() if k not in ("request_id", "volunteer_id")}
                db.execute(self.database.insert(HANDOVERS).values(**h.__dict__).on_conflict_do_update(
                    index_elements=["request_id", "volunteer_id"], set_=values))
            for letter in letters:
                if letter.kind == "withdrawn" and _cancel_unsent_case(db, letter):
                    continue
                insert = self.database.insert(OUTBOX).values(
                    **letter.__dict__, state="queued", attempts=0, next_try=now, reason="", created_at=now)
                queued += db.execute(insert.on_conflict_do_nothing()).rowcount
        return queued

    def letter_states(self) -> dict[tuple[str, str, int], dict[str, LetterState]]:
        """Per handover round, each letter's state, when it was sent and why it failed."""
        t = OUTBOX
        states: dict[tuple[str, str, int], dict[str, LetterState]] = {}
        for row in self._read(sa.select(t.c.request_id, t.c.volunteer_id, t.c.round, t.c.kind, t.c.state,
                                        t.c.sent_at, t.c.reason, t.c.channel, t.c.attempts)):
            states.setdefault((row.request_id, row.volunteer_id, row.round), {})[row.kind] = LetterState(
                row.state, row.sent_at, row.reason, row.channel, row.attempts)
        return states

    def state(self) -> str:
        """Counts, sums and latest values of what the sync's plans read of `known`, `letter_states` and
        `choices`: what a sync compares to know the handover's memory is as an earlier sync left it
        (sync/unchanged.py). Every write here changes one of them: a new row, a state, a time, an attempt,
        a reason. Of a thank-you, the plan reads only that it exists (sync/pool.py), so its sending does not
        count: an outbox working through thousands of them leaves the state as it is."""
        h, o, c = HANDOVERS, OUTBOX, CHOICES
        sum_of = sa.func.sum
        letters = o.c.kind != "thanks"
        parts = [
            sa.select(h.c.state, h.c.released, h.c.outcome, h.c.language, sa.func.count(), sum_of(h.c.round),
                      sum_of(h.c.offered_at), sum_of(h.c.answered_at), sum_of(h.c.told_at), sum_of(h.c.asked_at),
                      sum_of(h.c.outcome_at), sa.func.max(h.c.reply_to))
            .group_by(h.c.state, h.c.released, h.c.outcome, h.c.language)
            .order_by(h.c.state, h.c.released, h.c.outcome, h.c.language),
            sa.select(o.c.kind, o.c.state, o.c.channel, sa.func.count(), sa.func.max(o.c.id), sum_of(o.c.attempts),
                      sum_of(o.c.sent_at), sum_of(sa.func.length(o.c.reason))).where(letters)
            .group_by(o.c.kind, o.c.state, o.c.channel).order_by(o.c.kind, o.c.state, o.c.channel),
            sa.select(sa.func.count(), sa.func.max(o.c.id)).where(~letters),
            sa.select(c.c.choice, sa.func.count(), sum_of(c.c.chosen_at)).group_by(c.c.choice).order_by(c.c.choice),
        ]
        return repr([[tuple(row) for row in self._read(part)] for part in parts])

    # --- what the volunteer's link does ----------------------------------------------------

    def get(self, request_id: str, volunteer_id: str) -> Handover | None:
        rows = self._read(sa.select(HANDOVERS).where(HANDOVERS.c.request_id == request_id,
                                                      HANDOVERS.c.volunteer_id == volunteer_id))
        return Handover(**rows[0]._mapping) if rows else None

    def answer(self, request_id: str, volunteer_id: str, round_: int, state: str) -> tuple[bool, Handover | None]:
        """The volunteer's yes or no, taken only while the case is open in that round."""
        if state not in ANSWERS:
            raise ValueError(state)
        return self._take_once(request_id, volunteer_id, round_, HANDOVERS.c.state == OPEN,
                               state=state, answered_at=self.clock())

    def report(self, request_id: str, volunteer_id: str, round_: int, outcome: str) -> tuple[bool, Handover | None]:
        """The volunteer's answer to "did the help happen?", taken once, for an accepted case."""
        if outcome not in OUTCOMES:
            raise ValueError(outcome)
        return self._take_once(request_id, volunteer_id, round_,
                               sa.and_(HANDOVERS.c.state == "accepted", HANDOVERS.c.outcome.is_(None)),
                               outcome=outcome, outcome_at=self.clock())

    def _take_once(self, request_id: str, volunteer_id: str, round_: int, still: sa.ColumnElement[bool],
                   **values: object) -> tuple[bool, Handover | None]:
        """Write `values` on that round's handover while `still` holds, in one statement only one click wins.

        Returns whether this click was taken, and the handover as it stands now (a second click finds the
        first one's answer there).
        """
        t = HANDOVERS
        with self.database.begin() as db:
            taken = db.execute(sa.update(t).where(
                t.c.request_id == request_id, t.c.volunteer_id == volunteer_id, t.c.round == round_,
                still).values(**values)).rowcount == 1
        return taken, self.get(request_id, volunteer_id)

    def replied(self, number: str) -> Handover | None:
        """The newest open case sent by SMS to `number` (E.164), which a reply from it answers."""
        t = HANDOVERS
        rows = self._read(sa.select(t).where(t.c.reply_to == reply_key(number), t.c.state == OPEN)
                          .order_by(t.c.offered_at.desc()).limit(1))
        return Handover(**rows[0]._mapping) if rows else None

    def last_language(self, number: str) -> str | None:
        """The language of the newest case texted to `number`, to answer in."""
        t = HANDOVERS
        rows = self._read(sa.select(t.c.language).where(t.c.reply_to == reply_key(number))
                          .order_by(t.c.offered_at.desc()).limit(1))
        return rows[0][0] if rows else None

    # --- what the postman does ---------------------------------------------------------------

    def claim(self, limit: int = 50, lease: float = 300.0, channels: Sequence[str] = ("email",)) -> list[Outgoing]:
        """Up to `limit` messages due now on `channels`, each claimed by this sender alone for `lease` seconds.

        A message left in `sending` by a sender that died becomes due again when its lease ends.
        """
        t, now = OUTBOX, self.clock()
        due = sa.and_(t.c.channel.in_(list(channels)), t.c.state.in_(("queued", "sending")), t.c.next_try <= now)
        candidates = self._read(sa.select(t.c.id, t.c.state, t.c.next_try).where(due)
                                .order_by(t.c.next_try, t.c.id).limit(limit))
        claimed = []
        with self.database.begin() as db:
            for row in candidates:  # only the claimant whose update still finds the row as read wins it
                won = db.execute(sa.update(t).where(t.c.id == row.id, t.c.state == row.state,
                                                    t.c.next_try == row.next_try)
                                 .values(state="sending", next_try=now + lease, attempts=t.c.attempts + 1)).rowcount
                if won:
                    claimed.append(row.id)
        if not claimed:
            return []
        rows = self._read(sa.select(t).where(t.c.id.in_(claimed)).order_by(t.c.id))
        return [_outgoing(r) for r in rows]

    def sent(self, message_id: int) -> None:
        """Sent: the address and the text go, what was sent and when stays."""
        with self.database.begin() as db:
            db.execute(sa.update(OUTBOX).where(OUTBOX.c.id == message_id).values(
                state="sent", sent_at=self.clock(), address=None, body=None, reason=""))

    def failed(self, message_id: int, reason: str, retry_in: float | None) -> None:
        """Not sent: tried again in `retry_in` seconds, or never (None: the address is refused for good)."""
        values: dict[str, object] = {"reason": reason[:500]}
        if retry_in is None:
            values.update(state="failed", address=None, body=None)
        else:
            values.update(state="queued", next_try=self.clock() + retry_in)
        with self.database.begin() as db:
            db.execute(sa.update(OUTBOX).where(OUTBOX.c.id == message_id).values(**values))

    # --- the call centre's calls ---------------------------------------------------------------

    def calls(self) -> list[Outgoing]:
        """Residents the call centre should phone now (they have no e-mail), newest need first."""
        t = OUTBOX
        rows = self._read(sa.select(t).where(t.c.channel == "phone", t.c.state == "queued",
                                             t.c.next_try <= self.clock()).order_by(t.c.created_at.desc(), t.c.id))
        return [_outgoing(r) for r in rows]

    def called(self, message_id: int, outcome: str) -> bool:
        """What the call gave: `reached` (done), `no_answer` (on the list again in an hour) or
        `wrong_number` (off the list; the row asks the coordinator for another number).
        Whether the call was still on the list (two agents may press at once)."""
        t, now = OUTBOX, self.clock()
        values: dict[str, object] = {
            "reached": {"state": "sent", "sent_at": now, "address": None, "body": None, "reason": ""},
            "no_answer": {"next_try": now + 3600, "attempts": t.c.attempts + 1, "reason": "no answer"},
            "wrong_number": {"state": "failed", "address": None, "body": None, "reason": "wrong number"},
        }[outcome]
        with self.database.begin() as db:
            return db.execute(sa.update(t).where(t.c.id == message_id, t.c.channel == "phone",
                                                 t.c.state == "queued").values(**values)).rowcount == 1

    def counts(self) -> dict[str, int]:
        """Messages per state."""
        t = OUTBOX
        return {row[0]: row[1] for row in self._read(sa.select(t.c.state, sa.func.count()).group_by(t.c.state))}

    # --- a volunteer's own choice ----------------------------------------------------------------

    def choose(self, volunteer_id: str, choice: str) -> None:
        """The volunteer paused, stopped or came back, by the link in their thank-you."""
        if choice not in ("paused", "withdrawn", "active"):
            raise ValueError(choice)
        values = {"choice": choice, "chosen_at": self.clock()}
        with self.database.begin() as db:
            db.execute(self.database.insert(CHOICES).values(volunteer_id=volunteer_id, **values)
                       .on_conflict_do_update(index_elements=["volunteer_id"], set_=values))

    def choices(self) -> dict[str, tuple[str, float]]:
        """Volunteer id -> their own choice and when they made it."""
        return {row.volunteer_id: (row.choice, row.chosen_at) for row in self._read(sa.select(CHOICES))}

    # --- the local mailbox ----------------------------------------------------------------------

    def deliver_locally(self, message: Outgoing) -> None:
        with self.database.begin() as db:
            db.execute(sa.insert(MAILBOX).values(
                request_id=message.request_id, volunteer_id=message.volunteer_id, address=message.address,
                subject=message.subject, body=message.body, delivered_at=self.clock()))

    def mailbox(self) -> list[Delivered]:
        """The local mailbox, newest first."""
        return [Delivered(**row._mapping) for row in self._read(sa.select(MAILBOX).order_by(MAILBOX.c.id.desc()))]

    # --- signing links ------------------------------------------------------------------------------

    def key(self, name: str) -> str:
        """A random key of the desk, made once and shared by every instance: `answer_links` signs the
        volunteers' links, `outbox` opens the local mailbox's page."""
        if name not in self._keys:  # every page behind a link asks: no write transaction each time
            made = secrets.token_urlsafe(32)
            with self.database.begin() as db:
                db.execute(self.database.insert(KEYS).values(name=name, value=made).on_conflict_do_nothing())
            self._keys[name] = self._read(sa.select(KEYS.c.value).where(KEYS.c.name == name))[0][0]
        return self._keys[name]

    def link_key(self) -> str:
        return self.key("answer_links")

    # --- a person's rights ---------------------------------------------------------------------

    def held(self, ids: Sequence[str], addresses: Sequence[str]) -> list[tuple[str, dict[str, str]]]:
        """Everything kept on these requests or volunteers (and local mail to these addresses), as
        (where, {field: value}) for `helpt person export`."""
        found: list[tuple[str, dict[str, str]]] = []
        for name, table in (("handovers", HANDOVERS), ("outbox", OUTBOX), ("local mailbox", MAILBOX)):
            for row in self._read(sa.select(table).where(_theirs(table, ids, addresses))):
                found.append((f"{name} (the desk's database)",
                              {k: str(v) for k, v in row._mapping.items() if v not in (None, "")}))
        for row in self._read(sa.select(CHOICES).where(_theirs(CHOICES, ids, addresses))):
            found.append(("volunteer's own choice (the desk's database)", {k: str(v) for k, v in row._mapping.items()}))
        return found

    # --- forgetting --------------------------------------------------------------------------------

    def forget(self, ids: Sequence[str], addresses: Sequence[str]) -> int:
        """Erase the handovers, messages and local mail of these requests or volunteers, and any local
        mail to these addresses; how many rows went."""
        with self.database.begin() as db:
            gone = 0
            for table in _PERSONAL:
                gone += db.execute(sa.delete(table).where(_theirs(table, ids, addresses))).rowcount
        self.database.leave_no_trace(*(table.name for table in _PERSONAL))
        return gone

    def erase_all(self) -> int:
        """`helpt purge`: every handover, message and delivered local mail; how many rows there were."""
        gone = 0
        with self.database.begin() as db:
            for table in _PERSONAL:
                gone += db.execute(sa.delete(table)).rowcount
        self.database.leave_no_trace(*(table.name for table in _PERSONAL))
        return gone


def _theirs(table: sa.Table, ids: Sequence[str], addresses: Sequence[str]) -> sa.ColumnElement[bool]:
    """The rows of `table` that belong to these requests or volunteers (local mail: or to these addresses)."""
    owners = [table.c[column].in_(list(ids)) for column in ("request_id", "volunteer_id") if column in table.c]
    if table is MAILBOX:
        owners.append(table.c.address.in_([a for a in addresses if a]))
    return sa.or_(*owners)


def reply_key(number: str) -> str:
    """What the handovers keep of a number an SMS went to: enough to recognise a reply from it."""
    return hashlib.sha256(f"helpt sms reply|{number}".encode()).hexdigest()


def _outgoing(r: sa.Row) -> Outgoing:
    return Outgoing(r.id, r.kind, r.request_id, r.volunteer_id, r.language, r.channel, r.address or "",
                    r.subject or "", r.body or "", r.attempts)


def _cancel_unsent_case(db: sa.Connection, letter: Letter) -> bool:
    """Cancel the case message of this round if it has not gone out; whether it was cancelled."""
    t = OUTBOX
    mine = (t.c.request_id == letter.request_id, t.c.volunteer_id == letter.volunteer_id, t.c.round == letter.round)
    cancelled = db.execute(sa.update(t).where(*mine, t.c.kind == "case", t.c.state.in_(("queued", "failed")))
                           .values(state="cancelled", address=None, body=None)).rowcount
    if cancelled:
        return True
    case = db.execute(sa.select(t.c.state).where(*mine, t.c.kind == "case")).scalar()
    return case is None  # never queued: nothing to withdraw
