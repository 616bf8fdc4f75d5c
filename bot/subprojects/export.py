"""The export's `subprojects` list (kept apart from bot.talks.export, which streams)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.subprojects.store import summaries
from storage.models import Submission


async def subprojects_json(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await summaries(session)
    ids = {i for r in rows for i in r.talk_ids}
    refs: dict[int, str] = {}
    if ids:
        refs = {i: ref or f"#{i}" for i, ref in (await session.execute(
            select(Submission.id, Submission.ref).where(Submission.id.in_(ids)))).all()}
    return [{
        "id": r.id, "name": r.name, "channel": r.channel_id, "channel_name": r.channel_name,
        "statement": r.statement, "talks": [refs.get(i, f"#{i}") for i in r.talk_ids],
        "interested": list(r.interested), "status": r.status, "repo_url": r.repo_url,
        "created_by": r.created_by, "created_at": r.created_at.isoformat(),
    } for r in rows]
