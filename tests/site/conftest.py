"""A session's talks seeded through the project's own flows: submissions, confirmed and
pending versions, the speaker's consent, then the scheduler's program and recap."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.config import Settings
from bot.site import SiteBuilt, build_site
from bot.talks.versions import record_confirmed, stage_pending
from storage.db import Database
from storage.models import Cycle, Note, Submission, Vote
from tests.sched_helpers import Sched, add_submission, at, make_sched, new_cycle, set_talk

PROGRAM_AT = at("2026-07-05T09:00:00+01:00")  # five days before the session, 09:00 London
DURING = at("2026-07-10T17:30:00+01:00")
RECAP_AT = at("2026-07-17T09:00:00+01:00")
HOSTILE_TITLE = "Hair <script>window.pwned='title'</script> & \"quotes\""
HOSTILE_ABSTRACT = ("We broke out: \"><img src=x onerror=\"window.pwned='img'\"> and "
                    "<svg onload=\"window.pwned='svg'\"></svg> then ' onerror='x")


@pytest.fixture
def london(settings: Settings) -> Settings:
    return settings.model_copy(update={"timezone": "Europe/London",
                                       "site_url": "https://wgml.example.org/archive/"})


@pytest.fixture
async def sched(db: Database, london: Settings) -> AsyncIterator[Sched]:
    s = make_sched(db, london)
    yield s
    await s.close()


async def confirm_text(db: Database, sid: int, now: dt.datetime, **text: str) -> None:
    """The speaker's confirmed text, as the Slack form's confirmation stores it."""
    async with db.transaction() as s:
        sub = await s.get(Submission, sid)
        assert sub is not None
        for key, value in text.items():
            setattr(sub, key, value)
        await record_confirmed(s, sub, actor="speaker", channel="slack", now=now)


async def pending_edit(db: Database, sid: int, now: dt.datetime, **text: str) -> None:
    """An emailed edit waiting for its speaker's confirmation."""
    async with db.transaction() as s:
        sub = await s.get(Submission, sid)
        assert sub is not None
        assert await stage_pending(s, sub, text, actor="ada@studio.example", channel="email",
                                   now=now) is not None


@dataclass
class Seeded:
    cycle_id: int
    talks: dict[str, int]


async def seed_session(db: Database, settings: Settings) -> Seeded:
    """A July session: two published talks (one hostile), and every kind that must not be
    published (no consent, refused, declined, withdrawn, not presenting, still voted on)."""
    cid = await new_cycle(db, settings, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    async with db.transaction() as s:
        cycle = await s.get(Cycle, cid)
        assert cycle is not None
        cycle.join_url = "https://meet.example.org/wgml-july"
    made = at("2026-06-10T09:00:00+01:00")
    talks = {
        "roto": await add_submission(db, cid, title="Roto with SAM 2", status="accepted",
                                     slack_user="USPK1", studio="Northlight Animation",
                                     votes={"ULEAD1": "yes"}),
        "hostile": await add_submission(db, cid, title="placeholder", status="accepted",
                                        email="mallory@studio.example", studio="Evil & Co",
                                        focus="infrastructure"),
        "silent": await add_submission(db, cid, title="Unconsented talk", status="accepted",
                                       slack_user="USPK3"),
        "refused": await add_submission(db, cid, title="Refused talk", status="accepted",
                                        slack_user="USPK4"),
        "declined": await add_submission(db, cid, title="Declined talk", status="declined",
                                         slack_user="USPK5"),
        "withdrawn": await add_submission(db, cid, title="Withdrawn talk", status="withdrawn",
                                          slack_user="USPK6"),
        "absent": await add_submission(db, cid, title="Absent talk", status="accepted",
                                       slack_user="USPK7"),
        "voting": await add_submission(db, cid, title="Voting talk", status="submitted",
                                       slack_user="USPK8"),
    }
    await confirm_text(db, talks["roto"], made, title="Roto with SAM 2",
                       abstract="We tried SAM 2 for rotoscoping hair.",
                       results="Two days saved per shot.")
    await pending_edit(db, talks["roto"], made, title="PENDING TITLE",
                       abstract="PENDING ABSTRACT")
    await confirm_text(db, talks["hostile"], made, title=HOSTILE_TITLE,
                       abstract=HOSTILE_ABSTRACT, results="<b>bold</b> results")
    await set_talk(db, talks["hostile"], slides_url="javascript:window.pwned='link'",
                   recording_url="https://video.example.org/x?a=1&b=\"2\"")
    for name in ("roto", "hostile", "silent", "refused", "declined", "withdrawn"):
        await set_talk(db, talks[name], attendance="confirmed", attendance_at=made,
                       publish=name not in ("silent", "refused"), publish_at=made)
    await set_talk(db, talks["silent"], publish=None, publish_at=None)
    await set_talk(db, talks["refused"], publish=False)
    await set_talk(db, talks["absent"], attendance="declined", publish=True)
    await set_talk(db, talks["voting"], publish=True)
    async with db.transaction() as s:
        s.add(Note(submission_id=talks["roto"], by="ULEAD1", text="LEADERS ONLY NOTE"))
        s.add(Vote(submission_id=talks["hostile"], voter="ULEAD2", value="no"))
    return Seeded(cid, talks)


async def build(db: Database, settings: Settings, directory: Path,
                now: dt.datetime) -> SiteBuilt:
    return await build_site(db, directory, settings, now=now)


def site_text(directory: Path) -> str:
    """Every file of the site, as one text."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(directory.rglob("*"))
                     if p.is_file())
