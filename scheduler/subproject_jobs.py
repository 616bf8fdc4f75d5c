"""The scheduler's sub-project job: a monthly note in a proposed sub-project's channel when
nobody new has shown interest for 30 days, asking the leaders whether to close it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.subprojects.status import SubprojectStatus
from scheduler import jobs
from scheduler.jobs import Occurrence
from storage.models import Subproject
from storage.outbox import enqueue_slack_message


async def quiet_due(session: AsyncSession, now: dt.datetime) -> list[Occurrence]:
    rows = (await session.execute(select(Subproject.id, Subproject.last_interest_at).where(
        Subproject.status == SubprojectStatus.PROPOSED,
        Subproject.channel_id.is_not(None)).order_by(Subproject.id))).all()
    return [occ for sp, last in rows
            if (occ := jobs.quiet_occurrence(sp, last, now)) is not None]


async def quiet_note_job(session: AsyncSession, settings: Settings, occ: Occurrence
                         ) -> tuple[str, str]:
    """(outcome, detail): the note, unless the sub-project moved on since it was planned."""
    from bot.slack_ui.subprojects import quiet_note

    sp_id = int(occ.occurrence.split(":", 1)[0])
    row = await session.get(Subproject, sp_id)
    if row is None or row.channel_id is None:
        return "skipped", "the sub-project is gone"
    if row.status != SubprojectStatus.PROPOSED:
        return "skipped", f"the sub-project is {row.status} now"
    current = jobs.quiet_occurrence(row.id, row.last_interest_at, occ.due_at)
    if current is None or current.key != occ.key:
        return "skipped", "someone showed interest since"
    await enqueue_slack_message(
        session, channel=row.channel_id,
        text=quiet_note(row.name, row.id, settings.slack_command, jobs.QUIET_DAYS),
        key=f"job:{jobs.JOB_SUBPROJECT_QUIET}:{occ.occurrence}")
    return "ran", f"asked the leaders in {row.channel_id} whether to close sub-project {row.id}"
