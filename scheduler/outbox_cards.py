"""Rendering a submission's card in the leadership channel: posted once, then updated in place.

A card row renders the submission as it is when delivered (so a burst of votes costs one
update), is superseded by a newer render of the same card still queued behind it, and finds
a card an earlier attempt may have posted (by its `card:<id>` metadata key) before posting
another.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.program import program_for
from bot.people.networking import PublicWork, similar_for_card
from bot.slack_ui.blocks import CardView, card_blocks, card_text
from scheduler.outbox_policy import PermanentError
from scheduler.outbox_slack import metadata_for
from scheduler.slack_errors import REPOST_CARD, SlackRefusal
from storage.db import Database
from storage.models import OutboxMessage, Submission
from storage.outbox import KIND_CARD

log = logging.getLogger("wgml.outbox")

SlackCall = Callable[..., Awaitable[Any]]
FindPosted = Callable[[str, str, dt.datetime], Awaitable[dict[str, Any] | None]]


async def send_card(db: Database, row: OutboxMessage, uncertain: bool, *, call: SlackCall,
                    already_posted: FindPosted, view: CardView | None = None
                    ) -> dict[str, Any] | None:
    """Post or update the card; None when a newer render supersedes this row."""
    sid = int(row.payload["submission_id"])
    async with db.session() as session:
        newer = await session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.lane == row.lane,
                OutboxMessage.kind == KIND_CARD,
                OutboxMessage.status == "pending",
                OutboxMessage.id > row.id,
                OutboxMessage.payload["submission_id"].as_integer() == sid,
            ).limit(1)
        )
        if newer is not None:
            return None  # a later render of the same card is queued behind us: superseded
        submission = await session.get(Submission, sid)
        if submission is None:
            raise PermanentError(f"submission {sid} is gone")
        view = replace(view or CardView(),
                       program=await program_for(session, submission.cycle))
        blocks = card_blocks(submission, similar=await _similar(session, submission), view=view)
        text = card_text(submission)
        channel = submission.card_channel or row.payload["channel"]
        ts = submission.card_ts
        # Any earlier card row of this submission that was tried may have posted it.
        tried_before = uncertain or bool(await session.scalar(
            select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.kind == KIND_CARD, OutboxMessage.id != row.id,
                OutboxMessage.payload["submission_id"].as_integer() == sid,
                OutboxMessage.attempts > 0)))
    if ts:
        try:
            await call("chat_update", channel=channel, ts=ts, text=text, blocks=blocks)
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
