"""A huge or hostile message never freezes the bot: thousands of References, a megabyte
Subject, a long body are read in bounded work; a message over EMAIL_MAX_BYTES is recorded
(`too_large`) and never answered, over IMAP not even fetched; and parsing runs off the event
loop, so /healthz and Slack presses are answered while a message is being read."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import threading

import aiohttp
import pytest
from sqlalchemy import select

import bot.email.intake as intake
from bot.email.reply import MAX_REFERENCES, parse_message
from storage.models import InboundMessage, OutboxMessage, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import action_for, open_test_cycle, posted_card
from tests.email_helpers import (  # noqa: F401 - fixtures
    MailBot,
    mailbot_fixture,
    message,
    smtp_fixture,
)

BODY = "Title: Big mail\nAbstract: We sent the bot a very big message to see what happens."


def test_thousands_of_references_keep_the_newest_hundred() -> None:
    refs = " ".join(f"<r{i}@studio.example>" for i in range(20_000))
    replies = " ".join(f"<p{i}@studio.example>" for i in range(1000))
    parsed = parse_message(message("A <a@studio.example>", BODY, message_id="<m@studio.example>",
                                   in_reply_to=replies, references=refs))
    assert parsed.in_reply_to == "<p0@studio.example>"
    assert len(parsed.references) == MAX_REFERENCES
    assert parsed.references[-1] == "<r19999@studio.example>"
    assert parsed.thread_ids()[:2] == ["<p0@studio.example>", "<r19999@studio.example>"]


def test_a_megabyte_subject_and_body_are_read_in_part() -> None:
    word = "=?utf-8?b?" + base64.b64encode("Überschrift ".encode()).decode() + "?="
    subject = " ".join([word] * 100_000)
    raw = message("A <a@studio.example>", BODY + "\n" + "more words here\n" * 200_000,
                  message_id="<big@studio.example>", subject=subject)
    parsed = parse_message(raw)
    assert parsed.subject.startswith("Überschrift Überschrift")
    assert len(parsed.subject) < 10_000
    assert len(parsed.reply_text) < 300_000
    assert parsed.fields["title"] == "Big mail"


async def test_a_message_over_the_limit_is_recorded_and_never_answered(
        mailbot: MailBot) -> None:
    await mailbot.open_cycle()
    mailbot.bot.settings = mailbot.bot.settings.model_copy(update={"email_max_bytes": 65536})
    raw = message("A <a@studio.example>", BODY + "\n" + "x" * 100_000,
                  message_id="<huge@studio.example>")
    outcome = await intake.ingest(mailbot.db, mailbot.bot.settings, raw, source="ingest",
                                  now=mailbot.bot.services.now())
    assert outcome.outcome == "too_large"
    await mailbot.settle()
    async with mailbot.db.session() as session:
        row = (await session.scalars(select(InboundMessage))).one()
        assert (row.status, row.outcome, row.raw) == ("ignored", "too_large", raw)
        assert (await session.scalars(select(Submission))).all() == []
        assert (await session.scalars(select(OutboxMessage))).all() == []
    assert mailbot.smtp.received == []


async def test_healthz_and_a_press_are_answered_while_a_message_is_parsed(
        running: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    real = intake.parse_message

    def slow_parse(raw: bytes) -> object:
        # Stands for a parse that takes long: until the test has been answered (or, the
        # hang detector, 20 s when the parse blocks the event loop and nothing can answer).
        started.set()
        release.wait(20)
        try:
            return real(raw)
        finally:
            done.set()

    monkeypatch.setattr(intake, "parse_message", slow_parse)
    raw = message("A <a@studio.example>", BODY, message_id="<slow@studio.example>")
    task = asyncio.create_task(intake.ingest(running.db, running.bot.settings, raw,
                                             source="ingest", now=dt.datetime.now(dt.UTC)))
    try:
        assert await asyncio.to_thread(started.wait, 30)
        async with aiohttp.ClientSession() as http, \
                http.get(f"{running.base}/healthz") as resp:
            assert resp.status == 200
        healthz_before_parse_ended = not done.is_set()
        status, body = await running.sender.press("ULEAD1", action_for("yes"), f"{sid}:yes",
                                                  channel=LEADS, message_ts=ts)
        assert status == 200, body
        press_before_parse_ended = not done.is_set()
    finally:
        release.set()
        outcome = await task
    assert healthz_before_parse_ended and press_before_parse_ended
    assert outcome.outcome == "created"
