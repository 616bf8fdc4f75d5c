"""The export the database writes (the children's JSON lists, the CSV's cells: storage.
json_text, bot.talks.export_csv) is, byte for byte, what json.dumps and csv_row write from the
whole ORM graph: on seeded history with awkward text (control characters, non-ASCII, quotes,
formulas, a 100 KB abstract), guideline readings of the current text and of an older one,
inactive recusals, unconfirmed versions, a talk waiting for a call, and, on SQLite, times
stored in forms other writers leave."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from sqlalchemy import select, text, update

from bench import export_baseline
from bench.scale_seed import seed
from bot.cli.export import write_export
from bot.talks.export import Selection, export_data, submission_json, submissions_text
from bot.talks.export_write import to_csv
from bot.talks.versions import guideline_reading, text_key
from storage.db import Database
from storage.models import Note, Recusal, Speaker, Submission, SubmissionVersion, Vote

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
AWKWARD = 'ctl \x01\x1f\x7f tab\t cr\r lf\n "quoted" back\\slash é 🎉 \u2028 </script>'


async def _awkward(db: Database) -> None:
    async with db.transaction() as session:
        await session.execute(update(Submission).where(Submission.id == 1).values(
            title="=HYPERLINK(\"x\")", abstract="A" * 100_000, results=AWKWARD, studio=""))
        await session.execute(update(Submission).where(Submission.id == 2).values(
            title=AWKWARD, decided_by="-leader", attendance="+1", cycle_id=None))
        await session.execute(update(Speaker).values(name="@speaker " + AWKWARD))
        await session.execute(update(Note).where(Note.submission_id == 1).values(
            text="-note " + AWKWARD, by="=U1"))
        await session.execute(update(Vote).where(Vote.submission_id == 3).values(
            voter=AWKWARD + Vote.voter))
        await session.execute(update(Recusal).where(Recusal.submission_id <= 20).values(
            active=False))
        session.add(Recusal(submission_id=4, leader="\tUL001", active=True, at=NOW))
        await session.execute(update(SubmissionVersion).where(
            SubmissionVersion.submission_id == 5).values(confirmed_at=None, title=AWKWARD))
        for sid, current in ((6, True), (7, False)):
            sub = await session.get(Submission, sid)
            assert sub is not None
            key = text_key(sub.title, sub.abstract, sub.results) if current else "old"
            sub.guideline_concerns = {"key": key, "concerns": [
                {"rule": "pitch", "reason": AWKWARD, "dismissed_by": None,
                 "dismissed_at": None},
                {"rule": "=confidential", "reason": "r", "dismissed_by": "UL002",
                 "dismissed_at": NOW.isoformat()}, {"reason": "no rule"}]}
    if db.is_sqlite:  # times as other writers leave them: no fraction, an offset
        async with db.transaction() as session:
            await session.execute(text(
                "UPDATE votes SET at = '2026-11-30 10:00:00' WHERE submission_id = 8"))
            await session.execute(text(
                "UPDATE notes SET at = '2026-11-30T11:00:00.25+01:00' WHERE submission_id = 8"))
            await session.execute(text(
                "UPDATE submissions SET created_at = '2026-11-30 09:00:00' WHERE id = 8"))


async def _reference(db: Database) -> dict[str, Any]:
    """The export as the whole ORM graph gives it (bench/export_baseline), with the keys
    added since (the guidelines' reading, the archive's consent) where the export has them."""
    async with db.read() as session:
        data = await export_baseline.export_data(session)
        talks = {s.id: s for s in (await session.scalars(select(Submission))).all()}
    for s in data["submissions"]:
        talk = talks[s["id"]]
        s["guidelines"] = [{"rule": c.get("rule"), "reason": c.get("reason"),
                            "dismissed_by": c.get("dismissed_by"),
                            "dismissed_at": c.get("dismissed_at")}
                           for c in guideline_reading(talk)]
        s["publish"] = talk.publish
    return data


async def _export(db: Database, fmt: str) -> str:
    out = io.StringIO()
    async with db.read() as session:
        await write_export(session, fmt, out, Selection())
    return out.getvalue()


async def test_json_and_csv_are_what_python_writes_from_the_orm(db: Database) -> None:
    await seed(db, 60, now=NOW, schema=False)
    await _awkward(db)
    reference = await _reference(db)
    written = await _export(db, "json")
    document = json.loads(written)
    assert document["submissions"] == reference["submissions"]
    for s in reference["submissions"]:  # each talk's line, byte for byte
        assert "\n    " + json.dumps(s, ensure_ascii=False) in written
    assert await _export(db, "csv") == to_csv(reference)
    async with db.read() as session:  # the values the demo and tests read say the same
        assert (await export_data(session))["submissions"] == reference["submissions"]
        texts = [t async for part in submissions_text(session) for t in part]
    assert [json.loads(t) for t in texts] == reference["submissions"]
    assert reference["submissions"][5]["guidelines"] and \
        not reference["submissions"][6]["guidelines"]


def test_a_row_read_without_children_has_empty_lists() -> None:
    from types import SimpleNamespace
    row = SimpleNamespace(id=1, ref="r", cycle_id=None, title="t", focus_area="other",
                          abstract="a", results="", source="slack",
                          confidentiality_confirmed=True, confidentiality_confirmed_at=None,
                          status="submitted", speaker_name="n", speaker_email=None,
                          speaker_slack_user_id="U1", studio="", speaker_studio="S",
                          created_at=NOW, decided_by=None, decided_at=None, attendance=None,
                          slides_url=None, recording_url=None, guideline_concerns=None,
                          publish=None)
    s = submission_json(row)
    assert [s[k] for k in ("votes", "decisions", "notes", "recused", "versions")] == [[]] * 5
    assert s["speaker"]["studio"] == "S" and s["created_at"] == NOW.isoformat()
