"""Mail held back by the hourly cap on answers to strangers, processed again once the cap has
room. The scheduler asks this on every tick, so it is a small module: the intake's parser and
rules (bot.email.intake) are imported only when there is capped mail to process, not into
every service that never receives any.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from bot.config import Settings
from storage.db import Database
from storage.models import InboundMessage

log = logging.getLogger("wgml.email")

CAPPED_RETRY_WINDOW = dt.timedelta(hours=24)  # older capped mail stays for the operator
CAPPED_RETRY_BATCH = 20


async def retry_capped(db: Database, settings: Settings, *, now: dt.datetime) -> int:
    """Mail held back by the hourly cap on answers to strangers, processed again once the cap
    has room (the scheduler calls this every tick): a burst of strangers delays a real
    proposal by an hour, it does not lose it. Oldest first; stops when the cap is full
    again. How many were processed."""
    async with db.session() as session:
        ids = list((await session.scalars(
            select(InboundMessage.id).where(
                InboundMessage.status == "ignored",
                InboundMessage.outcome == "capped_per_hour",
                InboundMessage.received_at >= now - CAPPED_RETRY_WINDOW,
            ).order_by(InboundMessage.id).limit(CAPPED_RETRY_BATCH))).all())
    if not ids:
        return 0
    from bot.email.intake import process

    done = 0
    for inbound_id in ids:
        outcome = await process(db, settings, inbound_id, now=now, replay=True)
        if outcome.outcome == "capped_per_hour":
            break
        done += 1
        log.info("event=email.capped_retried message_id=%s outcome=%s", outcome.message_id,
                 outcome.outcome)
    return done
