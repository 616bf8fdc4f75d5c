"""Each `ok: false` Slack answers, with the exact body (tests/data/slack_errors.json), has one
defined outcome in delivery: retried, or dead-lettered with its reason in `outbox list`, the
operator told once in the log and by check-config; never an endless retry."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from scheduler import slack_errors
from scheduler.outbox_admin import list_messages
from scheduler.slack_errors import MEANINGS, dead_letter_check
from storage.db import Database
from storage.models import Submission
from storage.outbox import enqueue_card, enqueue_ephemeral, enqueue_slack_message
from tests.conftest import LEADS, Running
from tests.curation_support import email_card
from tests.sched_helpers import at, make_sched, outbox_rows

NOW = at("2026-05-04T10:00:00+00:00")
ANSWERS: dict[str, dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "slack_errors.json").read_text())["answers"]
DEAD = sorted(code for code in ANSWERS if MEANINGS[code].outcome == "dead")
OPERATOR = {"channel_not_found", "not_in_channel", "is_archived", "account_inactive",
            "token_revoked", "missing_scope", "restricted_action"}


@pytest.fixture(autouse=True)
def _fresh_operator_memory() -> None:
    slack_errors._told.clear()


def answer(slack: SlackEmulator, method: str, code: str, count: int = 1) -> None:
    a = ANSWERS[code]
    slack.fail(method, a["status"], body=a["body"], retry_after=a.get("retry_after"),
               count=count)


async def queue(db: Database, n: int = 1, channel: str = "CA") -> None:
    async with db.transaction() as s:
        for i in range(n):
            await enqueue_slack_message(s, channel=channel, text=f"msg {i}", key=f"k:{i}")


def test_every_error_the_issue_names_has_an_exact_body_and_a_meaning() -> None:
    assert set(ANSWERS) == {
        "channel_not_found", "not_in_channel", "is_archived", "msg_too_long",
        "invalid_blocks", "ratelimited", "account_inactive", "token_revoked",
        "missing_scope", "user_not_found", "cant_update_message", "message_not_found",
        "restricted_action"}
    assert {c for c in ANSWERS if MEANINGS[c].operator} == OPERATOR


@pytest.mark.parametrize("code", DEAD)
async def test_dead_lettered_with_the_reason(db: Database, settings: Settings,
                                             slack: SlackEmulator, code: str,
                                             caplog: pytest.LogCaptureFixture) -> None:
    sched = make_sched(db, settings)
    await queue(db, 2)
    answer(slack, "chat.postMessage", code, count=2)
    with caplog.at_level(logging.INFO, logger="wgml.outbox"):
        report = await sched.deliverer.drain(NOW)
        # Time passes: a dead letter is never tried again on its own.
        await sched.deliverer.drain(NOW + dt.timedelta(days=1))
    assert report.failed == 2 and report.retried == 0
    assert len(slack.calls_to("chat.postMessage")) == 2
    rows = await outbox_rows(db)
    assert all(r.status == "failed" for r in rows)
    async with db.session() as session:
        lines = [line.render() for line in await list_messages(session, failed_only=True)]
    assert all(f"chat_postMessage: {code}" in line and MEANINGS[code].why[:40] in line
               for line in lines)
    told = [r for r in caplog.records if "operator_needed" in r.getMessage()]
    # Two rows, one alert: the operator is told once, and only when they can act.
    assert len(told) == (1 if code in OPERATOR else 0)
    if code in OPERATOR:
        assert told[0].levelno == logging.ERROR and MEANINGS[code].fix in told[0].getMessage()
    check = await dead_letter_check(db)
    assert check.ok is (code not in OPERATOR)
    if code in OPERATOR:
        assert code in check.detail and "x2" in check.detail


async def test_missing_scope_names_the_scope_needed(db: Database, settings: Settings,
                                                    slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue(db)
    answer(slack, "chat.postMessage", "missing_scope")
    await sched.deliverer.drain(NOW)
    [row] = await outbox_rows(db)
    assert "needed chat:write, token has commands,users:read" in (row.last_error or "")
    check = await dead_letter_check(db)
    assert "missing_scope x1" in check.detail and "manifest.yml" in check.hint


async def test_invalid_blocks_keeps_slacks_pointer(db: Database, settings: Settings,
                                                   slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue(db)
    answer(slack, "chat.postMessage", "invalid_blocks")
    await sched.deliverer.drain(NOW)
    [row] = await outbox_rows(db)
    assert "[json-pointer:/blocks/1/text/text]" in (row.last_error or "")


async def test_ephemeral_to_a_user_who_left(db: Database, settings: Settings,
                                            slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    async with db.transaction() as s:
        await enqueue_ephemeral(s, channel="CA", user="UGONE", text="hi", key="e:1")
    answer(slack, "chat.postEphemeral", "user_not_found")
    report = await sched.deliverer.drain(NOW)
    assert report.failed == 1
    assert (await dead_letter_check(db)).ok  # nobody needs to act on a departed member


async def test_ratelimited_is_retried_after_retry_after(db: Database, settings: Settings,
                                                        slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue(db)
    answer(slack, "chat.postMessage", "ratelimited")
    report = await sched.deliverer.drain(NOW)
    assert report.retried == 1
    [row] = await outbox_rows(db)
    assert row.status == "pending" and 30 <= (row.next_attempt_at - NOW).total_seconds() <= 31
    assert (await sched.deliverer.drain(NOW + dt.timedelta(seconds=32))).sent == 1


async def test_rate_limited_for_ever_is_not_retried_for_ever(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue(db)
    answer(slack, "chat.postMessage", "ratelimited",
           count=slack_errors.MAX_RATE_LIMITED_ATTEMPTS + 5)
    now = NOW
    for _ in range(slack_errors.MAX_RATE_LIMITED_ATTEMPTS + 2):
        await sched.deliverer.drain(now)
        now += dt.timedelta(seconds=40)
    [row] = await outbox_rows(db)
    assert row.status == "failed"
    assert len(slack.calls_to("chat.postMessage")) == slack_errors.MAX_RATE_LIMITED_ATTEMPTS


async def test_an_unknown_error_is_retried_then_given_up(db: Database, settings: Settings,
                                                         slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue(db)
    slack.fail("chat.postMessage", 200, body={"ok": False, "error": "teapot_overflow"},
               count=100)
    now = NOW
    for _ in range(40):
        await sched.deliverer.drain(now)
        now += dt.timedelta(hours=2)
    [row] = await outbox_rows(db)
    assert row.status == "failed" and "teapot_overflow" in (row.last_error or "")


@pytest.mark.parametrize("code", ["message_not_found", "cant_update_message"])
async def test_a_card_that_cannot_be_edited_is_posted_again(running: Running,
                                                            code: str) -> None:
    sid, ts = await email_card(running)
    if code == "message_not_found":  # someone deleted the card: the emulator says so itself
        running.slack.messages[LEADS].clear()
    else:
        answer(running.slack, "chat.update", code)
    async with running.db.transaction() as session:
        await enqueue_card(session, sid, LEADS)
    await running.settle()
    async with running.db.session() as session:
        new_ts = await session.scalar(select(Submission.card_ts).where(Submission.id == sid))
    assert new_ts and new_ts != ts
    assert len(running.slack.channel_messages(LEADS)) == (1 if code == "message_not_found"
                                                          else 2)
    rows = await outbox_rows(running.db)
    assert [r.status for r in rows] == ["sent", "sent"]
