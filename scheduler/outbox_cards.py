"""Rendering a submission's card in the leadership channel: posted once, then updated in place.

A card row renders the submission as it is when delivered (so a burst of votes costs one
update), is superseded by a newer render of the same card still queued behind it, and finds
a card an earlier attempt may have posted (by its `card:<id>` metadata key) before posting
another.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.program import slots_of
from bot.people.networking import PublicWork, similar_for_card
from bot.slack_ui.blocks import card_blocks, card_text
from bot.slack_ui.card_view import CardView
from bot.talks.status import CONFIRMED
from scheduler.outbox_policy import PermanentError
from scheduler.outbox_slack import metadata_for
from scheduler.slack_errors import REPOST_CARD, SlackRefusal
from storage.db import Database
from storage.models import OutboxMessage, Submission, utcnow
from storage.outbox import KIND_CARD, enqueue_card, lazy_lane

log = logging.getLogger("wgml.outbox")

SlackCall = Callable[..., Awaitable[Any]]
FindPosted = Callable[[str, str, dt.datetime], Awaitable[dict[str, Any] | None]]


async def send_card(db: Database, row: OutboxMessage, uncertain: bool, *, call: SlackCall,
                    already_posted: FindPosted, view: CardView | None = None
                    ) -> dict[str, Any] | None:
    """Post or update the card; None when a newer render supersedes this row."""
    sid = int(row.payload["submission_id"])
    async with db.read() as session:
        newer = await session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.card_of == sid,
                OutboxMessage.status == "pending",
                OutboxMessage.lane == row.lane,
                OutboxMessage.kind == KIND_CARD,
                OutboxMessage.id > row.id,
            ).limit(1)
        )
        if newer is not None:
            return None  # a later render of the same card is queued behind us: superseded
        lazy = row.payload.get("since")
        if lazy is not None and await session.scalar(select(OutboxMessage.id).where(
                OutboxMessage.card_of == sid, OutboxMessage.kind == KIND_CARD,
                OutboxMessage.id > int(lazy), OutboxMessage.lane != row.lane).limit(1)):
            return None  # rendered (or about to be) in the channel's lane since the change
        # The newest row now: a render of this card queued after it and delivered before our
        # update lands may have shown newer votes than we read (checked after the update).
        seen = await session.scalar(select(func.max(OutboxMessage.id))) if lazy else None
        submission = await session.get(Submission, sid)
        if submission is None:
            raise PermanentError(f"submission {sid} is gone")
        view = replace(view or CardView(), slots=await slots_of(session, submission.cycle))
        blocks = card_blocks(submission, similar=await _similar(session, submission), view=view)
        text = card_text(submission)
        channel = submission.card_channel or row.payload["channel"]
        ts = submission.card_ts
        # Any earlier card row of this submission that was tried may have posted it.
        tried_before = uncertain or bool(await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.card_of == sid, OutboxMessage.kind == KIND_CARD,
                OutboxMessage.id != row.id, OutboxMessage.attempts > 0)))
    if ts:
        try:
            await call("chat_update", channel=channel, ts=ts, text=text, blocks=blocks)
            if seen is not None:
                await _overtaken(db, sid, int(seen), channel)
            return {"channel": channel, "ts": ts}
        except SlackRefusal as exc:
            if exc.code not in REPOST_CARD:
                raise
            # Someone deleted the card (or it is not the bot's to edit): post it afresh. The
            # history would only find that same card again, so it is not searched.
            log.warning("event=card.reposted submission=%s error=%s", sid, exc.code)
            tried_before = False
    key = f"card:{sid}"
    found = await already_posted(channel, key, row.created_at - dt.timedelta(
        days=30)) if tried_before else None
    if found is not None:
        ts = found["ts"]
        await call("chat_update", channel=found["channel"], ts=ts, text=text,
                          blocks=blocks)
        resp: Any = found
    else:
        resp = await call(
            "chat_postMessage", channel=channel, text=text, blocks=blocks,
            unfurl_links=False, metadata=metadata_for(key),
        )
    async with db.transaction() as session:
        await _remember_card(session, sid, str(resp.get("channel") or channel), resp.get("ts"))
    return {"channel": resp.get("channel"), "ts": resp.get("ts")}


async def _overtaken(db: Database, sid: int, seen: int, channel: str) -> None:
    """A paced render may land after a newer one from the channel's lane: render again
    there, so the card ends showing what the database holds."""
    async with db.transaction() as session:
        if await session.scalar(select(OutboxMessage.id).where(
                OutboxMessage.card_of == sid, OutboxMessage.kind == KIND_CARD,
                OutboxMessage.id > seen, OutboxMessage.status == "sent").limit(1)):
            await enqueue_card(session, sid, channel)


async def _remember_card(session: AsyncSession, sid: int, channel: str, ts: Any) -> None:
    await session.execute(
        update(Submission).where(Submission.id == sid).values(card_channel=channel, card_ts=ts)
    )


async def _similar(session: AsyncSession, submission: Submission) -> list[PublicWork] | None:
    """Similar work for the card; a failure here must never keep the card from the leaders."""
    try:
        return await similar_for_card(session, submission)
    except Exception:
        log.exception("event=card.similar_failed submission=%s", submission.id)
        return None


LAZY_BURST = 10  # renders of a cycle's cards sent at once after its slots filled
LAZY_INTERVAL = 2.0  # seconds between the rest: chat.update is ~50 a minute per workspace


async def expand_cycle_cards(db: Database, row: OutboxMessage) -> dict[str, Any]:
    """One render queued for each posted card of the cycle that has none waiting (the
    rows the decision did not write itself), in the channel's paced lane beside its own:
    the first LAZY_BURST at once, then one every LAZY_INTERVAL, so a 1,000-card call takes
    half an hour of background updates while votes' renders go straight through. Each is
    skipped when the card was rendered in the channel's lane since (it shows the change)."""
    cycle_id = int(row.payload["cycle_id"])
    except_id = row.payload.get("except_id")
    waiting = select(OutboxMessage.card_of).where(
        OutboxMessage.card_of.is_not(None), OutboxMessage.status == "pending",
        OutboxMessage.kind == KIND_CARD, OutboxMessage.lane == row.lane)
    async with db.transaction() as session:
        query = select(Submission.id, Submission.card_channel).where(
            Submission.cycle_id == cycle_id, Submission.status.in_(CONFIRMED),
            Submission.card_ts.is_not(None), Submission.id.not_in(waiting),
        ).order_by(Submission.id)
        if except_id is not None:
            query = query.where(Submission.id != int(except_id))
        cards = (await session.execute(query)).all()
        now = utcnow()
        if cards:
            await session.execute(insert(OutboxMessage), [
                {"idempotency_key": f"{KIND_CARD}:{uuid.uuid4()}", "kind": KIND_CARD,
                 "lane": lazy_lane(channel or row.payload["channel"]), "card_of": sid,
                 "status": "pending",
                 "payload": {"submission_id": sid, "since": row.id,
                             "channel": channel or row.payload["channel"]},
                 "attempts": 0, "created_at": now,
                 "next_attempt_at": now + dt.timedelta(
                     seconds=(n - LAZY_BURST + 1) * LAZY_INTERVAL if n >= LAZY_BURST else 0)}
                for n, (sid, channel) in enumerate(cards)])
    log.info("event=outbox.cycle_cards cycle=%s cards=%s", cycle_id, len(cards))
    return {"cards": len(cards)}
