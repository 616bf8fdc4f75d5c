"""Queueing outgoing messages in the caller's transaction (delivery lives in scheduler.outbox)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, utcnow

KIND_CARD = "slack.card"  # render the submission's leadership card and post or update it
KIND_MESSAGE = "slack.message"  # chat.postMessage (a user id as channel means a DM)
KIND_EPHEMERAL = "slack.ephemeral"  # chat.postEphemeral
KIND_EMAIL = "email"  # one email through SMTP
KIND_INVITE = "slack.invite"  # conversations.invite: one member into a channel


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    lane: str,
    payload: dict[str, Any],
    key: str | None = None,
    not_before: dt.datetime | None = None,
    key_is_new: bool = False,
) -> OutboxMessage | None:
    """Queue a message; a key seen before queues nothing (returns None). `key_is_new`: the
    caller has looked the key up already (the email intake does, for a batch at once)."""
    if key is not None and not key_is_new:  # a random key cannot have been seen: no lookup
        existing = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
        )
        if existing is not None:
            return None
    key = key or f"{kind}:{uuid.uuid4()}"
    row = OutboxMessage(
        idempotency_key=key,
        kind=kind,
        lane=lane,
        payload=payload,
        status="pending",
        next_attempt_at=not_before or utcnow(),
    )
    session.add(row)
    return row


async def enqueue_card(session: AsyncSession, submission_id: int, channel: str) -> None:
    """Ask for the card to be (re)rendered from the database and posted or updated in place.

    Rendering happens at delivery, so whatever the order of concurrent votes, the last
    delivery shows what the database holds. A render of this card still waiting in the
    lane (not yet claimed) will show our change too, so none is added: a burst of votes
    makes one chat.update, not one each. That row is locked until we commit, so a
    deliverer cannot claim and render it in between (PostgreSQL; SQLite writes serialise).
    """
    lane = f"slack:{channel}"
    waiting = await session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.status == "pending",
            OutboxMessage.kind == KIND_CARD,
            OutboxMessage.lane == lane,
            OutboxMessage.payload["submission_id"].as_integer() == submission_id,
        ).limit(1).with_for_update()
    )
    if waiting is not None:
        return
    await enqueue(
        session,
        kind=KIND_CARD,
        lane=lane,
        payload={"submission_id": submission_id, "channel": channel},
    )


async def enqueue_slack_message(
    session: AsyncSession,
    *,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    key: str | None = None,
    thread_ts: str | None = None,
) -> None:
    payload: dict[str, Any] = {"channel": channel, "text": text}
    if blocks:
        payload["blocks"] = blocks
    if thread_ts:
        payload["thread_ts"] = thread_ts
    await enqueue(session, kind=KIND_MESSAGE, lane=f"slack:{channel}", payload=payload, key=key)


async def enqueue_ephemeral(
    session: AsyncSession, *, channel: str, user: str, text: str, key: str | None = None
) -> None:
    await enqueue(
        session,
        kind=KIND_EPHEMERAL,
        lane=f"slack:{channel}",
        payload={"channel": channel, "user": user, "text": text},
        key=key,
    )
