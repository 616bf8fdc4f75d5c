"""The speaker reminder is not a relay: forged proposals from one mailbox (+tags) get one
reminder between them, listing the talks without links, and counted in the per-mailbox cap
(a mailbox already at its cap for the day gets none)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import bot.email.intake as intake
from bot.config import Settings
from storage.db import Database
from tests.sched_helpers import Sched, at, make_sched, new_cycle
from tests.smtp_sink import SmtpServer, make_test_sender

TITLE = "Urgent: reset at https://evil.example/a www.evil.example/b evil.example/c"


@pytest.fixture
async def sched(db: Database, settings: Settings, smtp: SmtpServer) -> AsyncIterator[Sched]:
    s = make_sched(db, settings, make_test_sender(smtp.port, "wgml-bot@example.org"))
    yield s
    await s.close()


async def _forge(db: Database, settings: Settings, when: str, n: int = 20) -> None:
    for i in range(n):
        raw = (f"From: Victim <victim+t{i}@corp.example>\nTo: wgml-bot@example.org\n"
               f"Subject: Talk proposal {i}\nMessage-ID: <forged{i}@evil.example>\n"
               "Content-Type: text/plain; charset=utf-8\n\n"
               f"Title: {TITLE} {i}\nAbstract: Visit https://evil.example/{i} now, it is "
               "about a model we trained.\n").encode()
        outcome = await intake.ingest(db, settings, raw, source="ingest", now=at(when))
        # The first ten are answered, then the per-mailbox cap stops making talks.
        assert outcome.outcome == ("created" if i < 10 else "capped_per_mailbox"), outcome


def _reminders(smtp: SmtpServer) -> list[str]:
    return [m.get_content() for m in smtp.sink.messages
            if "please confirm your talk" in m["Subject"]]


async def test_one_link_free_reminder_per_mailbox(
        sched: Sched, db: Database, settings: Settings, smtp: SmtpServer) -> None:
    await new_cycle(db, settings, title="March session", deadline="2026-03-31",
                    session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    await sched.tick(at("2026-03-02T10:00:30+00:00"))
    await _forge(db, settings, "2026-03-10T10:00:00+00:00")
    await sched.tick(at("2026-03-10T10:05:00+00:00"))
    answers = [m for m in smtp.sink.messages if m["To"].startswith("victim")]
    assert len(answers) == settings.email_replies_per_sender_per_day
    await sched.tick(at("2026-03-28T12:00:00+00:00"))
    [reminder] = _reminders(smtp)
    assert reminder.count("Urgent: reset at") == 10  # every waiting talk, in one email
    for link in ("evil.example", "https:", "www."):
        assert link not in reminder


async def test_no_reminder_to_a_mailbox_at_its_daily_cap(
        sched: Sched, db: Database, settings: Settings, smtp: SmtpServer) -> None:
    await new_cycle(db, settings, title="March session", deadline="2026-03-31",
                    session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    await sched.tick(at("2026-03-02T10:00:30+00:00"))
    await _forge(db, settings, "2026-03-28T09:00:00+00:00")
    await sched.tick(at("2026-03-28T12:00:00+00:00"))
    assert len([m for m in smtp.sink.messages if m["To"].startswith("victim")]) == 10
    assert _reminders(smtp) == []
