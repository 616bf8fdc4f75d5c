"""When the program goes out: the talks on it that answer wishes make those wishes answered,
and the wisher and every backer is told by DM, once per wish and talk (the link's
announced_at, and the outbox's idempotency key should the step ever run again)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.slack_ui.wishes import answered_dm
from bot.wishes.answers import announced
from storage.outbox import enqueue_slack_message

_USER = re.compile(r"^[UW][A-Z0-9]{2,30}$")


async def tell_backers(session: AsyncSession, talk_ids: Sequence[int], now: dt.datetime,
                       command: str) -> int:
    """DMs queued in the caller's transaction; how many."""
    told = 0
    for notice in await announced(session, talk_ids, now):
        text = answered_dm(notice, command)
        for user in notice.recipients:
            if not _USER.match(user):
                continue  # only a Slack user id is a DM channel
            await enqueue_slack_message(
                session, channel=user, text=text,
                key=f"wish:answered:{notice.wish.id}:{notice.submission_id}:{user}")
            told += 1
    return told
