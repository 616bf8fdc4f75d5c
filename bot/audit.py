"""The audit trail: who did what and when, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, Submission


async def record(
    session: AsyncSession,
    actor: str,
    action: str,
    *,
    submission_id: int | None = None,
    detail: dict[str, Any] | None = None,
    submission: Submission | None = None,
) -> None:
    """`submission` instead of its id when it may not be inserted yet (ordering the INSERTs)."""
    event = AuditEvent(actor=actor, action=action, detail=detail or {})
    if submission is not None:
        event.submission = submission
    else:
        event.submission_id = submission_id
    session.add(event)
