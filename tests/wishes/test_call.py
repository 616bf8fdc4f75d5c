"""The call for speakers and its reminder name the most backed open wishes ("Topics members
asked for") and the strongest pain point across studios: in the channel within Block Kit's
limits whatever members typed, and on the mailing list as plain text under the template."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.demo.emulator.blockkit import block_errors
from bot.demo.emulator.slack import SlackEmulator
from bot.wishes.store import ask, press, set_open
from storage.db import Database
from storage.models import Submission
from tests.conftest import ANNOUNCE
from tests.sched_helpers import Sched, add_submission, at, make_sched, new_cycle
from tests.smtp_sink import SmtpServer, make_test_sender

HOSTILE = ("<!channel> & " * 30)[:280]
NOW = at("2026-03-01T10:00:00+00:00")


@pytest.fixture
async def sched(db: Database, settings: Settings, smtp: SmtpServer) -> AsyncIterator[Sched]:
    s = make_sched(db, settings, make_test_sender(smtp.port, "wgml-bot@example.org"))
    yield s
    await s.close()


async def _wishes(db: Database) -> None:
    """Six open wishes backed by 6, 5, ... 1 members (the last misses the call), one closed."""
    words = ["splatting", "rigging", "denoise", "lipsync", "upscale", "tracking"]
    async with db.transaction() as session:
        for n, word in enumerate(words):
            result = await ask(session, f"UW{n}", f"{word} {HOSTILE}"[:300], NOW)
            assert result.wish is not None
            for m in range(len(words) - 1 - n):
                await press(session, result.wish.id, f"UB{n}{m}", NOW, action_us=None)
        await ask(session, "UX", "Closed topic on render farms", NOW)
    async with db.transaction() as session:
        await set_open(session, 7, "ULEAD1", NOW, open_=False)


async def _pain_point(db: Database, cycle_id: int) -> None:
    for sid, (studio, results) in enumerate((
            ("Studio A", "The masks flickered on motion blur and fell apart on hair."),
            ("Studio B", "It flickered badly on motion blur hair; artists rejected it.")), 1):
        await add_submission(db, cycle_id, title=f"Hair matting try {sid}",
                             status="submitted", studio=studio)
        async with db.transaction() as session:
            sub = await session.scalar(select(Submission).where(
                Submission.title == f"Hair matting try {sid}"))
            assert sub is not None
            sub.results = results


async def test_the_call_names_the_most_wanted_topics_in_channel_and_email(
        sched: Sched, db: Database, settings: Settings, slack: SlackEmulator,
        smtp: SmtpServer) -> None:
    cid = await new_cycle(db, settings, title="March session", deadline="2026-03-31",
                          session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    await _wishes(db)
    await _pain_point(db, cid)
    report, _ = await sched.tick(at("2026-03-02T10:00:30+00:00"))
    assert report.ran == [f"call:{cid}:call"]
    [call] = slack.channel_messages(ANNOUNCE)
    assert block_errors(call["blocks"]) == []
    body = json.dumps(call["blocks"])
    assert "Topics members asked for" in body and "<!channel>" not in body
    for word in ("splatting", "rigging", "denoise", "lipsync", "upscale"):
        assert word in body
    assert "tracking" not in body and "render farms" not in body  # sixth, and closed
    assert body.index("splatting") < body.index("rigging") < body.index("upscale")
    assert "6 members" in body
    assert "A pain point several studios share" in body and "2 studios hit" in body
    [mail] = smtp.sink.messages
    content = mail.get_content()
    assert "Topics members asked for:" in content
    assert f"- splatting {' '.join(HOSTILE.split())}"[:200] in content  # plain, not escaped
    assert content.index("Studio: [") < content.index("Topics members asked for:")
    assert "tracking" not in content and "2 studios hit" in content


async def test_the_reminder_names_them_too(sched: Sched, db: Database, settings: Settings,
                                           slack: SlackEmulator) -> None:
    cid = await new_cycle(db, settings, title="March session", deadline="2026-03-31",
                          session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    await sched.tick(at("2026-03-02T10:00:30+00:00"))
    assert "Topics members asked for" not in json.dumps(slack.channel_messages(ANNOUNCE))
    await _wishes(db)
    report, _ = await sched.tick(at("2026-03-30T09:00:00+00:00"))
    assert f"reminder:{cid}:1d:2026-03-30" in report.ran
    reminder = slack.channel_messages(ANNOUNCE)[-1]["text"]
    assert "closes tomorrow" in reminder and "Topics members asked for" in reminder
    assert "splatting" in reminder and "tracking" not in reminder
    assert "<!channel>" not in reminder and len(reminder) < 4000
