"""A fake clock drives `tick` through whole cycles: call, reminders, digest, skips."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from tests.conftest import ANNOUNCE, LEADS
from tests.sched_helpers import (
    Sched,
    add_submission,
    at,
    job_runs,
    make_sched,
    new_cycle,
    outbox_rows,
    texts,
)
from tests.smtp_sink import SmtpServer, make_test_sender


@pytest.fixture
def london(settings: Settings) -> Settings:
    return settings.model_copy(update={"timezone": "Europe/London", "reminder_days": "7,1"})


@pytest.fixture
async def sched(db: Database, london: Settings, smtp: SmtpServer) -> AsyncIterator[Sched]:
    s = make_sched(db, london, make_test_sender(smtp.port, "wgml-bot@example.org"))
    yield s
    await s.close()


async def test_whole_cycle_call_reminders_digest(
    sched: Sched, db: Database, london: Settings, slack: SlackEmulator, smtp: SmtpServer
) -> None:
    cid = await new_cycle(db, london, title="March <!channel> session", deadline="2026-03-31",
                          session="2026-04-15", announce="2026-03-02T10:00:00+00:00")
    # Before the announcement nothing happens.
    report, _ = await sched.tick(at("2026-03-02T09:59:00+00:00"))
    assert report.ran == [] and slack.channel_messages(ANNOUNCE) == []

    report, delivery = await sched.tick(at("2026-03-02T10:00:30+00:00"))
    assert report.ran == [f"call:{cid}:call"] and delivery.sent == 2
    [call] = slack.channel_messages(ANNOUNCE)
    body = json.dumps(call["blocks"])
    assert "/wgml submit" in body and "email" in call["text"]
    assert "Tuesday 31 March 2026 (end of day, Europe/London)" in call["text"]
    assert "<!channel>" not in body and "&lt;!channel&gt;" in body
    [mail] = smtp.sink.messages
    assert mail["To"] == "wg-ml@lists.example.org"
    assert mail["From"] == mail["Reply-To"] == "wgml-bot@example.org"
    assert "Call for speakers" in mail["Subject"] and "15 April 2026" in mail["Subject"]
    content = mail.get_content()
    for field in ("Title:", "Focus area:", "Abstract:", "Results:", "Studio:"):
        assert field in content
    assert "No confidential information" in content and "product pitch" in content

    # The same tick again, and an hour later: nothing more.
    await sched.tick(at("2026-03-02T10:00:30+00:00"))
    report, _ = await sched.tick(at("2026-03-02T11:00:00+00:00"))
    assert report.ran == [] and len(slack.channel_messages(ANNOUNCE)) == 1

    # 7 days before (24 March, 09:00 GMT) and 1 day before (30 March, 09:00 BST: 08:00 UTC,
    # after the clocks went forward on 29 March).
    report, _ = await sched.tick(at("2026-03-24T08:59:00+00:00"))
    assert report.ran == []
    report, _ = await sched.tick(at("2026-03-24T09:00:00+00:00"))
    assert report.ran == [f"reminder:{cid}:7d:2026-03-24"]
    report, _ = await sched.tick(at("2026-03-30T07:59:00+00:00"))
    assert report.ran == [f"speaker_reminder:{cid}:2026-03-28"]  # nobody waiting: no message
    report, _ = await sched.tick(at("2026-03-30T08:00:00+00:00"))
    assert report.ran == [f"reminder:{cid}:1d:2026-03-30"]
    posts = texts(slack.channel_messages(ANNOUNCE))
    assert len(posts) == 3 and "closes in 7 days" in posts[1] and "tomorrow" in posts[2]

    # Submissions and votes for the digest (one unconfirmed: its title must not show).
    a = await add_submission(db, cid, title="Roto with SAM", status="submitted",
                             slack_user="USPK1", votes={"ULEAD1": "yes", "ULEAD2": "no"})
    await add_submission(db, cid, title="RAG for pipeline FAQs", status="submitted",
                         studio="Studio B", focus="llm_pipeline", email="b@example.org",
                         votes={"ULEAD1": "maybe"})
    await add_submission(db, cid, title="Secret sauce", status="pending_confirmation",
                         email="c@example.org")
    # Just before the deadline day ends (23:59 BST) no digest; at midnight it goes out.
    report, _ = await sched.tick(at("2026-03-31T22:59:00+00:00"))
    assert all(not r.startswith("digest") for r in report.ran)
    report, _ = await sched.tick(at("2026-03-31T23:00:00+00:00"))
    assert report.ran == [f"digest:{cid}:digest"]
    [digest] = slack.channel_messages(LEADS)
    dump = json.dumps(digest["blocks"])
    assert "2 confirmed submissions" in digest["text"] and "1 still waiting" in digest["text"]
    assert "Roto with SAM" in dump and "yes 1 maybe 0 no 1" in dump
    assert "Secret sauce" not in dump
    assert "Content creation 1" in dump and "LLMs for pipeline 1" in dump
    assert "Studio A 1" in dump and "Studio B 1" in dump
    # ULEAD1 voted on both, ULEAD2 on one, ULEAD3 on none.
    assert "<@ULEAD2> (1)" in dump and "<@ULEAD3> (2)" in dump and "<@ULEAD1>" not in dump
    assert a

    # Everything ran once; the outbox holds exactly the posts seen.
    runs = await job_runs(db)
    assert sorted((r.job, r.outcome) for r in runs) == sorted([
        ("call", "ran"), ("reminder", "ran"), ("reminder", "ran"),
        ("speaker_reminder", "ran"), ("digest", "ran")])
    rows = await outbox_rows(db)
    assert all(r.status == "sent" for r in rows)


async def test_after_downtime_stale_reminders_are_skipped_and_the_digest_still_runs(
    sched: Sched, db: Database, london: Settings, slack: SlackEmulator
) -> None:
    cid = await new_cycle(db, london, title="April session", deadline="2026-04-30",
                          session="2026-05-10", announce="2026-04-01T09:00:00+01:00")
    await sched.tick(at("2026-04-01T08:00:00+00:00"))
    # Down from 20 April until 2 May: both reminders' purpose passed; the digest runs late.
    report, _ = await sched.tick(at("2026-05-02T12:00:00+00:00"))
    # The nudge for the decide-by date (3 May) is due too: nobody owes a vote, so no DM.
    assert report.ran == [f"digest:{cid}:digest", f"vote_nudge:{cid}:2026-05-03"]
    reasons = {r.occurrence: r.detail for r in await job_runs(db) if r.outcome == "skipped"}
    assert set(reasons) == {"7d:2026-04-23", "1d:2026-04-29", "2026-04-27"}
    assert all("purpose passed" in (d or "") for d in reasons.values())
    assert len(slack.channel_messages(ANNOUNCE)) == 1  # the call only
    assert len(slack.channel_messages(LEADS)) == 1


async def test_missed_seven_day_reminder_superseded_by_the_one_day(
    sched: Sched, db: Database, london: Settings, slack: SlackEmulator
) -> None:
    cid = await new_cycle(db, london, title="May session", deadline="2026-05-29",
                          session="2026-06-10", announce="2026-05-01T09:00:00+01:00")
    await sched.tick(at("2026-05-01T08:00:00+00:00"))
    report, _ = await sched.tick(at("2026-05-28T12:00:00+00:00"))
    assert report.ran == [f"speaker_reminder:{cid}:2026-05-26", f"reminder:{cid}:1d:2026-05-28"]
    skipped = [r for r in await job_runs(db) if r.outcome == "skipped"]
    assert [(r.occurrence, "superseded" in (r.detail or "")) for r in skipped] == [
        ("7d:2026-05-22", True)]
    assert len(slack.channel_messages(ANNOUNCE)) == 2


async def test_speakers_waiting_for_confirmation_are_reminded_once(
    sched: Sched, db: Database, london: Settings, slack: SlackEmulator, smtp: SmtpServer
) -> None:
    cid = await new_cycle(db, london, title="June session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    await add_submission(db, cid, title="Slack talk", status="pending_confirmation",
                         slack_user="USPK9")
    await add_submission(db, cid, title="Email talk", status="pending_confirmation",
                         email="speaker@example.org")
    await add_submission(db, cid, title="Done talk", status="submitted", slack_user="USPK8")
    await sched.tick(at("2026-06-01T08:00:00+00:00"))
    before = len(smtp.sink.messages)
    for _ in range(2):
        await sched.tick(at("2026-06-27T08:00:00+00:00"))  # 09:00 BST, 3 days before
    [dm] = slack.channel_messages("DSPK9")
    assert "confidential" in dm["text"] and "/wgml submit" in dm["text"]
    assert slack.channel_messages("DSPK8") == []
    [mail] = smtp.sink.messages[before:]
    assert mail["To"] == "speaker@example.org" and "yes, I confirm" in mail.get_content()


async def test_no_channels_configured_skips_with_reason(
    db: Database, london: Settings, slack: SlackEmulator
) -> None:
    bare = london.model_copy(update={"announce_channel_id": None, "mailing_list_address": None})
    s = make_sched(db, bare)
    try:
        await new_cycle(db, bare, title="Quiet", deadline="2026-07-31", session="2026-08-10",
                        announce="2026-07-01T09:00:00+01:00")
        report, _ = await s.tick(at("2026-07-01T08:00:00+00:00"))
        assert report.ran == [] and "neither ANNOUNCE_CHANNEL_ID" in report.skipped[0]
    finally:
        await s.close()


async def test_call_schedule_opens_the_next_cycle_by_itself(
    db: Database, london: Settings, slack: SlackEmulator
) -> None:
    cfg = london.model_copy(update={"call_schedule": "0 9 1 * *"})
    s = make_sched(db, cfg)
    try:
        report, _ = await s.tick(at("2026-09-01T08:00:00+00:00"))  # 09:00 BST
        assert report.ran[0].startswith("open_cycle:0:") and report.ran[1].startswith("call:")
        [call] = slack.channel_messages(ANNOUNCE)
        assert "Call for speakers" in call["text"] and "15 September 2026" in call["text"]
        report, _ = await s.tick(at("2026-09-20T08:00:00+00:00"))
        assert not any(r.startswith("open_cycle") for r in report.ran)
        # Down all of October: the 1 October cycle opened late once; its call still useful.
        report, _ = await s.tick(at("2026-10-05T12:00:00+00:00"))
        opened = [r for r in report.ran if r.startswith("open_cycle")]
        assert len(opened) == 1 and "2026-10-01T08:00:00" in opened[0]
        texts_ = [m["text"] for m in slack.channel_messages(ANNOUNCE)]
        assert sum("Call for speakers" in t for t in texts_) == 2
    finally:
        await s.close()


async def test_a_cycle_closed_after_its_deadline_still_gets_its_digest_once(
    sched: Sched, db: Database, london: Settings, slack: SlackEmulator
) -> None:
    from bot.talks.cycles import close_cycle

    cid = await new_cycle(db, london, title="June session", deadline="2026-06-10",
                          session="2026-06-20", announce="2026-06-01T09:00:00+01:00")
    await sched.tick(at("2026-06-01T08:30:00+00:00"))
    async with db.transaction() as session:  # closed the morning after, before any tick
        cycle = await close_cycle(session, cid)
        cycle.closed_at = at("2026-06-11T08:00:00+00:00")
    report, _ = await sched.tick(at("2026-06-11T09:00:00+00:00"))
    assert report.ran == [f"digest:{cid}:digest"]
    await sched.tick(at("2026-06-12T09:00:00+00:00"))
    assert len(slack.channel_messages(LEADS)) == 1
    assert len(slack.channel_messages(ANNOUNCE)) == 1  # no reminders for a closed cycle
