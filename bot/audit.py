"""The audit trail: who did what and when, written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent


async def record(
    session: AsyncSession,
    actor: str,
    action: str,
    *,
    submission_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(actor=actor, action=action, submission_id=submission_id, detail=detail or {})
    )
