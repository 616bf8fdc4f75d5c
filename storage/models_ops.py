"""What the service runs on, beside the talks: the outbox, the scheduler's job claims and the
IMAP intake's place in each mailbox (the audit trail and inbound mail, which name a talk, are
in storage/models.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.model_base import Base, utcnow


class OutboxMessage(Base):
    """A message that must leave the bot: written in the transaction that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # A card's renders, found without reading history (enqueue_card, send_card).
        Index("ix_outbox_card", "card_of", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(32))  # see scheduler.outbox for kinds
    lane: Mapped[str] = mapped_column(String(64), index=True)  # deliveries in a lane keep order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    card_of: Mapped[int | None] = mapped_column(Integer)  # kind slack.card: its submission
    # pending | sending | sent | failed | superseded
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[dt.datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class JobRun(Base):
    """One row per (job, cycle, occurrence): the claim that makes a scheduled post single."""

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("job", "cycle_id", "occurrence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    cycle_id: Mapped[int] = mapped_column(Integer)  # 0 for jobs not tied to a cycle
    occurrence: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime]
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(16))  # ran | skipped
    detail: Mapped[str | None] = mapped_column(Text)


class ImapState(Base):
    __tablename__ = "imap_state"

    mailbox: Mapped[str] = mapped_column(String(255), primary_key=True)
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
