"""Delivering the cycle's slots summary: the row keyed `slots:CYCLE:CHANNEL` posts it (its
result keeps the message's ts), later rows update that message in place, a newer render
still queued supersedes an older one, and a deleted message is posted afresh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select, update

from bot.slack_ui.slots import slots_summary
from bot.talks.status import Status
from scheduler.outbox_policy import PermanentError
from scheduler.outbox_slack import metadata_for
from scheduler.slack_errors import REPOST_CARD, SlackRefusal
from storage.db import Database
from storage.models import Cycle, OutboxMessage, Submission
from storage.outbox import KIND_SLOTS

SlackCall = Callable[..., Awaitable[Any]]
FindPosted = Callable[[str, str, dt.datetime], Awaitable[dict[str, Any] | None]]


async def send_slots(db: Database, row: OutboxMessage, uncertain: bool, *, call: SlackCall,
                     already_posted: FindPosted) -> dict[str, Any] | None:
    cycle_id = int(row.payload["cycle_id"])
    channel = str(row.payload["channel"])
    anchor_key = row.payload.get("anchor")
    async with db.read() as session:
        newer = (await session.scalars(select(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.kind == KIND_SLOTS,
            OutboxMessage.lane == row.lane, OutboxMessage.id > row.id))).all()
        if any(r.payload.get("cycle_id") == cycle_id for r in newer):
            return None  # superseded by a later render of the same summary
        cycle = await session.get(Cycle, cycle_id)
        if cycle is None:
            raise PermanentError(f"cycle {cycle_id} is gone")
        accepted = (await session.scalars(select(Submission).where(
            Submission.cycle_id == cycle_id, Submission.status == Status.ACCEPTED)
            .order_by(Submission.id))).unique().all()
        text, blocks = slots_summary(cycle, accepted)
        anchor = None
        if anchor_key is not None:
            anchor = await session.scalar(select(OutboxMessage).where(
                OutboxMessage.idempotency_key == anchor_key))
    key = anchor_key or row.idempotency_key
    ts = (anchor.result or {}).get("ts") if anchor is not None else None
    if ts:
        try:
            await call("chat_update", channel=channel, ts=ts, text=text, blocks=blocks)
            return {"channel": channel, "ts": ts}
        except SlackRefusal as exc:
            if exc.code not in REPOST_CARD:
                raise
    elif anchor_key is None and uncertain:
        found = await already_posted(channel, key, row.created_at)
        if found is not None:
            await call("chat_update", channel=found["channel"], ts=found["ts"], text=text,
                       blocks=blocks)
            return {"channel": found["channel"], "ts": found["ts"]}
    resp = await call("chat_postMessage", channel=channel, text=text, blocks=blocks,
                      metadata=metadata_for(key))
    posted = {"channel": resp.get("channel") or channel, "ts": resp.get("ts")}
    if anchor is not None:  # the first message is gone (or never went): this one is it now
        async with db.transaction() as session:
            await session.execute(update(OutboxMessage).where(
                OutboxMessage.id == anchor.id).values(result=posted))
    return posted
