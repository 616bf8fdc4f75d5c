"""Helpers of the consent tests: the talk's consent, its audit, the site's rebuild rows."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from bot.demo.emulator.requests import ephemeral_action
from storage.db import Database
from storage.models import AuditEvent, OutboxMessage, Submission
from storage.outbox import KIND_SITE_REBUILD


async def consent(db: Database, sid: int) -> bool | None:
    async with db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        return sub.publish


async def publish_events(db: Database, sid: int) -> list[dict[str, Any]]:
    async with db.session() as session:
        rows = (await session.scalars(select(AuditEvent).where(
            AuditEvent.submission_id == sid, AuditEvent.action == "talk.publish")
            .order_by(AuditEvent.id))).all()
        return [{"actor": r.actor, **r.detail} for r in rows]


async def rebuild_rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        return list((await session.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == KIND_SITE_REBUILD).order_by(OutboxMessage.id))).all())


def ephemeral_press(user: str, action_id: str, value: str, response_url: str,
                    action_ts: str | None = None) -> bytes:
    """A press on a button of an ephemeral message (`/wgml mine`'s answer), as Slack sends it."""
    return ephemeral_action(user, action_id, value, block_id="publish_talks",
                            response_url=response_url,
                            action_ts=action_ts or f"{time.time():.6f}")
