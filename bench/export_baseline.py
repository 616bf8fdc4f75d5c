"""The export before issue 29, kept only as the baseline of bench/scale.py and the reference
of tests/talks/test_export_stream.py: every talk as an ORM row with its selectin
relationships, versions in a second pass, then one dict (json.dumps of it, indent 2)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Cycle, Submission, SubmissionVersion


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def confirmed_versions(session: AsyncSession, ids: list[int]
                             ) -> dict[int, list[SubmissionVersion]]:
    out: dict[int, list[SubmissionVersion]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = await session.scalars(
            select(SubmissionVersion).where(
                SubmissionVersion.submission_id.in_(ids[start:start + 500]),
                SubmissionVersion.confirmed_at.is_not(None))
            .order_by(SubmissionVersion.submission_id, SubmissionVersion.n))
        for v in rows:
            out[v.submission_id].append(v)
    return out


async def export_data(session: AsyncSession, cycle_id: int | None = None,
                      ) -> dict[str, Any]:
    """Everything, or one cycle."""
    cycles_q = select(Cycle).order_by(Cycle.id)
    if cycle_id is not None:
        cycles_q = cycles_q.where(Cycle.id == cycle_id)
    cycles = (await session.scalars(cycles_q)).all()
    # One cycle at a time (and the submissions waiting for a call last), so a long export
    # can show its progress and never holds every row of every cycle in one result.
    groups: list[int | None] = [c.id for c in cycles]
    if cycle_id is None:
        groups.append(None)
    submissions: list[Submission] = []
    for group in groups:
        where = Submission.cycle_id.is_(None) if group is None else Submission.cycle_id == group
        rows = await session.scalars(select(Submission).where(where).order_by(Submission.id))
        submissions.extend(rows.unique().all())
    submissions.sort(key=lambda s: s.id)
    # Confirmed versions only: an edit waiting for its speaker is nobody else's to read.
    versions = await confirmed_versions(session, [s.id for s in submissions])
    return {
        "cycles": [
            {
                "id": c.id,
                "title": c.title,
                "deadline": c.deadline_date.isoformat(),
                "session_date": c.session_date.isoformat(),
                "status": c.status,
                "slots": c.slots,
                "session_time": c.session_time,
                "join_url": c.join_url,
                "decide_by": _iso(c.decide_by),
            }
            for c in cycles
        ],
        "submissions": [submission_json(s, versions.get(s.id, [])) for s in submissions],
    }


def version_json(v: SubmissionVersion) -> dict[str, Any]:
    return {"n": v.n, "title": v.title, "focus_area": v.focus_area, "abstract": v.abstract,
            "results": v.results, "created_at": _iso(v.created_at),
            "confirmed_at": _iso(v.confirmed_at), "created_by": v.created_by,
            "channel": v.channel}


def submission_json(s: Submission, versions: list[SubmissionVersion] | None = None
                    ) -> dict[str, Any]:
    return {
        "id": s.id,
        "ref": s.ref,
        "cycle_id": s.cycle_id,
        "title": s.title,
        "focus_area": s.focus_area,
        "abstract": s.abstract,
        "results": s.results,
        "source": s.source,
        "confidentiality_confirmed": s.confidentiality_confirmed,
        "confidentiality_confirmed_at": _iso(s.confidentiality_confirmed_at),
        "status": s.status,
        "speaker": {
            "name": s.speaker.name,
            "email": s.speaker.email,
            "slack_user_id": s.speaker.slack_user_id,
            "studio": s.studio or s.speaker.studio,
        },
        "votes": [{"voter": v.voter, "value": v.value, "at": _iso(v.at)} for v in s.votes],
        "created_at": _iso(s.created_at),
        # Beyond the contract's fields (added, not changed): the current decision and every
        # decision and undo that led to it, as the card's history shows them.
        "decided_by": s.decided_by,
        "decided_at": _iso(s.decided_at),
        "decisions": [
            {"outcome": d.outcome, "by": d.by, "at": _iso(d.at)} for d in s.decisions
        ],
        # The leaders' own: the export is the operator's, never a speaker's surface.
        "notes": [{"by": n.by, "text": n.text, "at": _iso(n.at)} for n in s.notes],
        "recused": [r.leader for r in s.recusals if r.active],
        "versions": [version_json(v) for v in versions or []],
        "attendance": s.attendance,
        "slides_url": s.slides_url,
        "recording_url": s.recording_url,
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
