"""What an operator sees of the outbox and how one failed message is tried again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.email.said import UnknownMail, rendered_email
from storage.models import OutboxMessage

OPEN = ("pending", "sending", "failed")


class OutboxError(ValueError):
    """An operator request that cannot be done; the message says why."""


@dataclass(frozen=True)
class OutboxLine:
    id: int
    status: str
    kind: str
    lane: str
    attempts: int
    next_attempt_at: dt.datetime
    last_error: str | None
    summary: str

    def render(self) -> str:
        when = self.next_attempt_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        error = f"\terror: {self.last_error[:200]}" if self.last_error else ""
        return (f"{self.id}\t{self.status}\t{self.kind}\t{self.lane}\tattempts {self.attempts}"
                f"\tnext {when}\t{self.summary}{error}")


def _summary(row: OutboxMessage) -> str:
    p = row.payload or {}
    if "said" in p and "to" in p:  # an email queued as a value: its subject as it will go
        try:
            p = rendered_email(p)
        except UnknownMail as exc:
            p = {**p, "subject": f"(cannot be worded: {exc})"}
    if "subject" in p:
        to = ", ".join(str(t) for t in p.get("to") or [])
        text = f"to {to}: {p.get('subject')}"
    elif "submission_id" in p:
        text = f"card of submission {p.get('submission_id')}"
    else:
        text = str(p.get("text") or "")
    text = " ".join(text.split())
    return text[:80] + ("…" if len(text) > 80 else "")


async def list_messages(session: AsyncSession, *, failed_only: bool = False
                        ) -> list[OutboxLine]:
    statuses = ("failed",) if failed_only else OPEN
    rows = (await session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_(statuses))
        .order_by(OutboxMessage.id))).all()
    return [OutboxLine(r.id, r.status, r.kind, r.lane, r.attempts, r.next_attempt_at,
                       r.last_error, _summary(r)) for r in rows]


async def retry(session: AsyncSession, message_id: int, now: dt.datetime,
                actor: str = "cli") -> OutboxMessage:
    """Put a failed (or backing-off) message back at the head of its lane, due now."""
    row = await session.get(OutboxMessage, message_id)
    if row is None:
        raise OutboxError(f"no outbox message {message_id}; see `wgml-bot outbox list`")
    if row.status == "sent":
        raise OutboxError(f"message {message_id} was already sent at {row.sent_at}; "
                          "not sending it twice")
    if row.status == "superseded":
        raise OutboxError(f"message {message_id} was superseded by a newer render")
    if row.status == "sending":
        raise OutboxError(f"message {message_id} is being sent right now")
    await session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="pending", attempts=0, next_attempt_at=now, claimed_by=None,
            claimed_until=None))
    await record(session, actor, "outbox.retry", detail={"id": message_id,
                                                         "was": row.status})
    return row
