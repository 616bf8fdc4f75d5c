"""`wgml-bot export`: the contract's JSON, and CSV for spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.talks.versions import confirmed_versions, guideline_reading
from bot.talks.votes import tally
from storage.models import Cycle, Submission, SubmissionVersion


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def export_data(session: AsyncSession, cycle_id: int | None = None,
                      progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Everything, or one cycle. `progress(done, total)` hears about each cycle loaded."""
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
    for done, group in enumerate(groups, 1):
        where = Submission.cycle_id.is_(None) if group is None else Submission.cycle_id == group
        rows = await session.scalars(select(Submission).where(where).order_by(Submission.id))
        submissions.extend(rows.unique().all())
        if progress is not None:
            progress(done, len(groups))
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
        # The session guidelines' concerns about the confirmed text, as the card shows them.
        "guidelines": [{"rule": c.get("rule"), "reason": c.get("reason"),
                        "dismissed_by": c.get("dismissed_by"),
                        "dismissed_at": c.get("dismissed_at")} for c in guideline_reading(s)],
        # The speaker's consent to the public archive: true, false (refused or withdrawn),
        # null (never answered).
        "publish": s.publish,
    }


CSV_COLUMNS = [
    "id", "ref", "cycle_id", "title", "focus_area", "status", "source",
    "confidentiality_confirmed", "confidentiality_confirmed_at", "speaker_name",
    "speaker_email", "speaker_slack_user_id", "studio", "votes_yes", "votes_maybe", "votes_no",
    "abstract", "results", "created_at", "decided_by", "decided_at", "recused", "notes",
    "cycle_slots", "cycle_session_time", "cycle_join_url", "cycle_decide_by",
    "abstract", "results", "created_at", "decided_by", "decided_at", "versions",
    "last_confirmed_at", "attendance", "slides_url", "recording_url", "guidelines", "publish",
]


def _cell(value: Any) -> Any:
    # Spreadsheets run cells starting with = + - @ as formulas: neutralise user text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    # CRLF as RFC 4180 says; it also makes the writer quote a field holding a bare \r, which
    # with "\n" alone it would write unquoted, breaking the row for every reader.
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    cycles = {c["id"]: c for c in data["cycles"]}
    for s in data["submissions"]:
        counts = tally(x["value"] for x in s["votes"])
        cycle = cycles.get(s["cycle_id"]) or {}
        row = {
            **{k: s[k] for k in CSV_COLUMNS if k in s},
            "speaker_name": s["speaker"]["name"],
            "speaker_email": s["speaker"]["email"],
            "speaker_slack_user_id": s["speaker"]["slack_user_id"],
            "studio": s["speaker"]["studio"],
            "votes_yes": counts["yes"], "votes_maybe": counts["maybe"], "votes_no": counts["no"],
            "recused": " ".join(s.get("recused") or []),
            # One cell: each note as "by (at): text", notes separated by a blank line.
            "notes": "\n\n".join(f"{n['by']} ({n['at']}): {n['text']}"
                                  for n in s.get("notes") or []),
            "cycle_slots": cycle.get("slots"), "cycle_session_time": cycle.get("session_time"),
            "cycle_join_url": cycle.get("join_url"), "cycle_decide_by": cycle.get("decide_by"),
            # How many confirmed versions, and when the text the leaders see was confirmed.
            "versions": len(s.get("versions") or []),
            # The rules the guidelines raised, dismissed ones included ("pitch confidential").
            "guidelines": " ".join(g["rule"] for g in s.get("guidelines") or []),
            "last_confirmed_at": max((v["confirmed_at"] for v in s.get("versions") or []
                                      if v["confirmed_at"]), default=None),
        }
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
