"""The session's steps on the schedule: the attendance reminder, the leaders told of silent
speakers, the program with its calendar part and one update per change, the day's reminder,
the request for slides and the recap; each exactly once, after downtime, across DST."""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.email.said import rendered_email
from bot.email.send import build_message
from scheduler import jobs
from storage.db import Database
from storage.models import Cycle, JobRun, OutboxMessage, Submission
from storage.outbox import KIND_EMAIL
from tests.conftest import ANNOUNCE, LEADS
from tests.sched_helpers import Sched, add_submission, at, make_sched, new_cycle, set_talk

LIST = "wg-ml@lists.example.org"


@pytest.fixture
def london(settings: Settings) -> Settings:
    return settings.model_copy(update={"timezone": "Europe/London"})


@pytest.fixture
async def sched(db: Database, london: Settings) -> AsyncIterator[Sched]:
    s = make_sched(db, london)
    yield s
    await s.close()


async def session_cycle(db: Database, london: Settings) -> tuple[int, dict[str, int]]:
    # Session Friday 10 July 2026, 17:00 London (16:00 UTC); the program on 5 July 09:00 BST.
    cid = await new_cycle(db, london, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    async with db.transaction() as s:
        cycle = await s.get(Cycle, cid)
        assert cycle is not None
        cycle.join_url = "https://meet.example.org/wgml-july"
    asked = at("2026-07-01T09:00:00+01:00")
    talks = {
        "roto": await add_submission(db, cid, title="Roto <!channel> talk", status="accepted",
                                     slack_user="USPK1"),
        "denoise": await add_submission(db, cid, title="Denoise talk", status="accepted",
                                        email="ada@studio.example"),
        "gone": await add_submission(db, cid, title="Gone talk", status="withdrawn",
                                     slack_user="USPK3"),
        "silent": await add_submission(db, cid, title="Silent talk", status="accepted",
                                       slack_user="USPK4"),
        "waiting": await add_submission(db, cid, title="Waiting talk", status="submitted",
                                        slack_user="USPK5"),
    }
    for name in ("roto", "denoise"):
        await set_talk(db, talks[name], attendance="confirmed", attendance_asked_at=asked,
                       attendance_at=asked)
    await set_talk(db, talks["gone"], attendance="declined", attendance_asked_at=asked)
    await set_talk(db, talks["silent"], attendance_asked_at=asked)
    return cid, talks


async def emails_to(db: Database, to: str) -> list[dict[str, Any]]:
    async with db.session() as s:
        rows = (await s.scalars(select(OutboxMessage).where(
            OutboxMessage.kind == KIND_EMAIL).order_by(OutboxMessage.id))).all()
    # As they are sent: a value queued (the attendance reminder) worded as at delivery.
    return [rendered_email(r.payload) for r in rows if r.payload["to"] == [to]]


async def ran(db: Database, job: str) -> list[JobRun]:
    async with db.session() as s:
        return list((await s.scalars(select(JobRun).where(JobRun.job == job))).all())


def dm_texts(slack: SlackEmulator, channel: str) -> list[str]:
    return [m["text"] for m in slack.channel_messages(channel)]


async def test_from_reminder_to_recap(sched: Sched, db: Database, london: Settings,
                                      slack: SlackEmulator) -> None:
    cid, talks = await session_cycle(db, london)
    # Three days of silence: one reminder, with the buttons again.
    report, _ = await sched.tick(at("2026-07-04T09:00:00+01:00"))
    assert f"attend_reminder:{cid}:{talks['silent']}:" in " ".join(report.ran)
    [reminder] = slack.channel_messages("DSPK4")
    assert reminder["text"].startswith("A reminder")
    assert ["attend_yes", "attend_no"] == [e["action_id"] for b in reminder["blocks"]
                                           for e in b.get("elements") or []]
    await sched.tick(at("2026-07-04T21:00:00+01:00"))
    assert len(slack.channel_messages("DSPK4")) == 1
    # Five days before: the leaders hear of the silent speaker; the program goes out, claimed
    # once by two schedulers ticking at the same instant.
    other = make_sched(db, london)
    now = at("2026-07-05T09:00:00+01:00")
    await asyncio.gather(sched.tick(now), other.tick(now))
    [told] = [m["text"] for m in slack.channel_messages(LEADS)
              if m["text"].startswith(":hourglass:")]
    assert "Silent talk" in told and "Roto" not in told
    [program] = slack.channel_messages(ANNOUNCE)
    shown = str(program["blocks"])
    assert "Denoise talk" in shown and "Roto &lt;!channel&gt; talk" in shown
    assert "<!channel>" not in shown
    assert "Gone talk" not in shown and "Silent talk" not in shown and "Waiting" not in shown
    assert "17:00 Europe/London (16:00 UTC)" in shown and "meet.example.org" in shown
    [mail] = await emails_to(db, LIST)
    assert "Denoise talk" in mail["text"] and "Gone talk" not in mail["text"]
    cal = mail["calendar"]
    assert "METHOD:PUBLISH" in cal and f"UID:session-{cid}@" in cal and "SEQUENCE:0" in cal
    assert "DTSTART:20260710T160000Z" in cal
    msg = build_message(mail, london)
    parts = {p.get_content_type(): p for p in msg.walk()}
    assert parts["text/calendar"].get_param("method") == "PUBLISH"
    assert len(await ran(db, "program")) == 1
    # The silent speaker confirms after the program: one update, SEQUENCE 1; no more after.
    await set_talk(db, talks["silent"], attendance="confirmed")
    await sched.tick(at("2026-07-06T09:00:00+01:00"))
    await sched.tick(at("2026-07-06T10:00:00+01:00"))
    mails = await emails_to(db, LIST)
    assert len(mails) == 2 and "SEQUENCE:1" in mails[1]["calendar"]
    assert f"UID:session-{cid}@" in mails[1]["calendar"]
    assert "Silent talk" in mails[1]["text"] and mails[1]["subject"].startswith("Updated")
    assert len(slack.channel_messages(ANNOUNCE)) == 2
    # The day: a reminder with the time and the join URL.
    await sched.tick(at("2026-07-10T09:00:00+01:00"))
    day = slack.channel_messages(ANNOUNCE)[-1]["text"]
    assert "Today" in day and "meet.example.org/wgml-july" in day and "16:00 UTC" in day
    # The day after: the speakers who presented are asked for their links.
    await sched.tick(at("2026-07-11T09:00:00+01:00"))
    ask = slack.channel_messages("DSPK1")[-1]
    assert [e["action_id"] for b in ask["blocks"] for e in b.get("elements") or []] == [
        "slides_open"]
    assert slack.channel_messages("DSPK3") == []  # withdrawn: never asked
    [ada] = [m for m in await emails_to(db, "ada@studio.example") if "slides" in m["subject"]]
    assert "Slides:" in ada["text"] and "Recording:" in ada["text"]
    # Seven days after: one recap with the links shared.
    await set_talk(db, talks["roto"], slides_url="https://slides.example.org/roto",
                   recording_url="https://video.example.org/roto")
    await sched.tick(at("2026-07-17T09:00:00+01:00"))
    await sched.tick(at("2026-07-18T09:00:00+01:00"))
    recap = slack.channel_messages(ANNOUNCE)[-1]
    assert recap["text"].startswith("Recap")
    assert "https://slides.example.org/roto" in str(recap["blocks"])
    recap_mails = [m for m in await emails_to(db, LIST) if m["subject"].startswith("Recap")]
    assert len(recap_mails) == 1 and "video.example.org/roto" in recap_mails[0]["text"]
    for job in ("program", "session_day", "slides_request", "recap", "attend_leaders"):
        assert len(await ran(db, job)) == 1, job


async def test_after_downtime_each_step_is_claimed_once_and_stale_ones_skipped(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    cid, _ = await session_cycle(db, london)
    # Down from before the program until after the session: the program and the day's
    # reminder have lost their purpose; the request for slides still has one.
    report, _ = await sched.tick(at("2026-07-12T09:00:00+01:00"))
    skipped = " ".join(report.skipped)
    assert f"program:{cid}:2026-07-10" in skipped and "purpose passed" in skipped
    assert f"session_day:{cid}" in skipped
    assert f"slides_request:{cid}:2026-07-10" in report.ran
    again, _ = await sched.tick(at("2026-07-12T10:00:00+01:00"))
    assert not [r for r in again.ran + again.skipped if not r.startswith("themes")]


def test_dst_keeps_nine_oclock_local() -> None:
    zone = zoneinfo.ZoneInfo("Europe/London")
    # Clocks go back on 25 October 2026: the program (22 Oct) is at 08:00 UTC, the day
    # (27 Oct) at 09:00 UTC, both 09:00 in London; the keys are dates, so nothing repeats.
    start = dt.datetime(2026, 10, 27, 17, 0, tzinfo=zone).astimezone(dt.UTC)
    occ = {o.job: o for o in jobs.session_occurrences(
        jobs.SessionFacts(1, dt.date(2026, 10, 27), start), zone, 5)}
    assert occ["program"].due_at == dt.datetime(2026, 10, 22, 8, 0, tzinfo=dt.UTC)
    assert occ["session_day"].due_at == dt.datetime(2026, 10, 27, 9, 0, tzinfo=dt.UTC)
    assert occ["recap"].due_at == dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)
    assert {o.occurrence for o in occ.values()} == {"2026-10-27"}


async def test_an_email_speaker_answers_the_reminder(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    from email.message import EmailMessage

    from bot.email.intake import ingest

    cid = await new_cycle(db, london, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    sid = await add_submission(db, cid, title="Mail talk", status="accepted",
                               email="ada@studio.example")
    await set_talk(db, sid, attendance_asked_at=at("2026-07-01T09:00:00+01:00"),
                   email_message_id="<first@studio.example>")
    report, _ = await sched.tick(at("2026-07-04T09:00:00+01:00"))
    assert any(r.startswith(f"attend_reminder:{cid}:{sid}:") for r in report.ran)
    [reminder] = await emails_to(db, "ada@studio.example")
    assert "yes, I'll present" in reminder["text"]
    assert reminder["in_reply_to"] == "<first@studio.example>"

    def reply(sender: str, body: str, n: int) -> bytes:
        msg = EmailMessage()
        msg["From"], msg["To"] = sender, "wgml-bot@example.org"
        msg["Subject"], msg["Message-ID"] = "Re: will you present", f"<r{n}@studio.example>"
        msg["In-Reply-To"] = msg["References"] = reminder["message_id"]
        msg.set_content(body)
        return bytes(msg)

    now = at("2026-07-04T12:00:00+01:00")
    await ingest(db, london, reply("eve@evil.example", "Yes, I'll present", 1),
                 source="ingest", now=now)
    async with db.session() as s:
        assert (await s.get(Submission, sid)).attendance is None  # type: ignore[union-attr]
    out = await ingest(db, london, reply("ada@studio.example", "Yes, I'll present", 2),
                       source="ingest", now=now)
    assert out.outcome == "attendance_confirmed"


async def test_hostile_long_text_stays_within_slacks_limits(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    cid = await new_cycle(db, london, title="<!channel> & <b>" * 10, deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    for n in range(3):
        sid = await add_submission(db, cid, title="&<> " * 74 + "&<>", status="accepted",
                                   slack_user=f"USPK{n}", studio="<@U1>" * 40)
        await set_talk(db, sid, attendance="confirmed", abstract="<&>" * 2000,
                       slides_url="https://s.example.org/a?x=1&y=2")
    # The emulator refuses what Slack refuses: every post below must be accepted.
    await sched.tick(at("2026-07-05T09:00:00+01:00"))
    await sched.tick(at("2026-07-10T09:00:00+01:00"))
    await sched.tick(at("2026-07-17T09:00:00+01:00"))
    posts = slack.channel_messages(ANNOUNCE)
    assert [p["text"][:8] for p in posts] == ["Program:", ":calenda", "Recap: &"]
    text = str([p.get("blocks") for p in posts]) + str([p["text"] for p in posts])
    assert "<!channel>" not in text and "<@U1>" not in text
    async with db.session() as s:
        failed = (await s.scalars(select(OutboxMessage).where(
            OutboxMessage.status != "sent", OutboxMessage.kind != KIND_EMAIL))).all()
    assert [(f.kind, f.last_error) for f in failed] == []
