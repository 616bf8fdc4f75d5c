"""What the email rules look up, read once per batch of messages instead of once each.

The intake processes a fetch batch in one transaction. Each message used to cost a query for
the open cycle, its sender's speaker record, the sender's answers in the last day, whether its
answer was queued before and whether it created a submission before; here each of those is one
query for the whole batch, made the first time any message needs it, and kept up to date as
the batch adds speakers, answers and outbox rows. It lives and dies with one transaction (a
rollback makes it wrong, so the caller drops it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.address import mailbox_key
from bot.talks.cycles import current_cycle
from storage.models import AuditEvent, Cycle, OutboxMessage, Speaker, Submission

KEY_CHARS = 255  # outbox.idempotency_key
ANSWER_KINDS = ("empty", "request", "confirmed", "updated", "follow_up")
# Answers to mail outside any talk's thread: they go wherever the sender said, so they are
# also capped overall per hour (audited under their own action, so the cap is one count).
STRANGER_KINDS = ("empty", "request")
ANSWERED = "email.answered"
ANSWERED_STRANGER = "email.answered_stranger"
_ANSWER_ACTIONS = (ANSWERED, ANSWERED_STRANGER)
_UNSET = object()


def answer_key(kind: str, message_id: str) -> str:
    """The outbox idempotency key of the answer of `kind` to one inbound message."""
    key = f"email:{kind}:{message_id}"
    if len(key) <= KEY_CHARS:
        return key
    # A Message-ID may be ~1000 characters; the key column holds 255 (PostgreSQL enforces
    # it, and the message failed there): a long id is keyed on its hash.
    return f"email:{kind}:sha256:{hashlib.sha256(message_id.encode()).hexdigest()}"


class IntakeCache:
    def __init__(self, session: AsyncSession, now: dt.datetime, *, senders: Iterable[str],
                 message_ids: Iterable[str]) -> None:
        self.session = session
        self.now = now
        self.senders = sorted({s for s in senders if s})
        self.mailboxes = sorted({mailbox_key(s) for s in self.senders})
        self.message_ids = sorted(set(message_ids))
        self._cycle: object = _UNSET
        self._speakers: dict[str, Speaker] | None = None
        self._answers: dict[str, int] | None = None
        self._stranger_answers: int | None = None
        self._keys: set[str] | None = None  # answer keys already in the outbox
        self._covered: set[str] = set()  # keys that query looked for
        self._taken: dict[str, Submission] | None = None
        self._last_id: int | None = None

    async def cycle(self) -> Cycle | None:
        if self._cycle is _UNSET:
            self._cycle = await current_cycle(self.session, self.now)
        return self._cycle  # type: ignore[return-value]

    async def speaker(self, email: str) -> Speaker | None:
        """The oldest email-only speaker with this address (a Slack record never owns mail)."""
        if self._speakers is None:
            self._speakers = {}
            rows = await self.session.scalars(
                select(Speaker).where(Speaker.email.in_(self.senders),
                                      Speaker.slack_user_id.is_(None)).order_by(Speaker.id))
            for row in rows:
                if row.email is not None:
                    self._speakers.setdefault(row.email, row)
        if email not in self.senders:  # not announced: ask the database
            return await self.session.scalar(
                select(Speaker).where(Speaker.email == email, Speaker.slack_user_id.is_(None))
                .order_by(Speaker.id).limit(1))
        return self._speakers.get(email)

    def add_speaker(self, speaker: Speaker) -> None:
        if self._speakers is not None and speaker.email:
            self._speakers.setdefault(speaker.email, speaker)

    async def answers_today(self, sender: str) -> int:
        """Answers sent to this mailbox (any +tag, any case) in the day before now."""
        since = self.now - dt.timedelta(days=1)
        mailbox = mailbox_key(sender)
        if mailbox not in self.mailboxes:
            return int(await self.session.scalar(
                select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.action.in_(_ANSWER_ACTIONS), AuditEvent.actor == mailbox,
                    AuditEvent.at >= since)) or 0)
        if self._answers is None:
            rows = await self.session.execute(
                select(AuditEvent.actor, func.count()).where(
                    AuditEvent.action.in_(_ANSWER_ACTIONS),
                    AuditEvent.actor.in_(self.mailboxes),
                    AuditEvent.at >= since).group_by(AuditEvent.actor))
            self._answers = {actor: int(n) for actor, n in rows}
        return self._answers.get(mailbox, 0)

    async def stranger_answers_this_hour(self) -> int:
        """Answers to mail outside any talk's thread, to anyone, in the hour before now."""
        if self._stranger_answers is None:
            self._stranger_answers = int(await self.session.scalar(
                select(func.count()).select_from(AuditEvent).where(
                    AuditEvent.action == ANSWERED_STRANGER,
                    AuditEvent.at >= self.now - dt.timedelta(hours=1))) or 0)
        return self._stranger_answers

    def add_answer(self, sender: str, *, stranger: bool = False) -> None:
        mailbox = mailbox_key(sender)
        if self._answers is not None and mailbox in self.mailboxes:
            self._answers[mailbox] = self._answers.get(mailbox, 0) + 1
        if stranger and self._stranger_answers is not None:
            self._stranger_answers += 1

    async def answered(self, key: str) -> bool:
        """Whether an answer with this outbox key was queued before (a replay)."""
        if self._keys is None:
            wanted = [answer_key(kind, mid) for mid in self.message_ids for kind in ANSWER_KINDS]
            self._covered = set(wanted)
            self._keys = set((await self.session.scalars(
                select(OutboxMessage.idempotency_key).where(
                    OutboxMessage.idempotency_key.in_(wanted)))).all()) if wanted else set()
        if key not in self._covered:
            return await self.session.scalar(
                select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)) is not None
        return key in self._keys

    def add_answered(self, key: str) -> None:
        if self._keys is not None:
            self._keys.add(key)

    async def created_by(self, message_id: str) -> Submission | None:
        """The submission this Message-ID created before, if any (a replay)."""
        if message_id not in self.message_ids:
            return await self.session.scalar(
                select(Submission).where(Submission.email_message_id == message_id))
        if self._taken is None:
            rows = await self.session.scalars(
                select(Submission).where(Submission.email_message_id.in_(self.message_ids)))
            self._taken = {s.email_message_id: s for s in rows.unique()
                           if s.email_message_id is not None}
        return self._taken.get(message_id)

    async def submission_id(self) -> int:
        """An id for a new submission, chosen before it is inserted.

        The reference quoted in the answer is made from the id; taking it from the INSERT
        meant a flush per message, i.e. a round of statements per message instead of one
        per batch. PostgreSQL: the column's own sequence. SQLite: one above the highest,
        which is what SQLite itself would pick; the transaction holds the write lock (BEGIN
        IMMEDIATE), so no other writer can take it meanwhile.
        """
        bind = self.session.bind
        if bind is not None and bind.dialect.name == "postgresql":
            with self.session.no_autoflush:  # nothing pending matters to a sequence
                return int(await self.session.scalar(
                    text("SELECT nextval(pg_get_serial_sequence('submissions', 'id'))")) or 0)
        if self._last_id is None:
            self._last_id = int(await self.session.scalar(select(func.max(Submission.id))) or 0)
        self._last_id += 1
        return self._last_id

    def add_created(self, message_id: str, submission: Submission) -> None:
        if self._taken is not None:
            self._taken[message_id] = submission
