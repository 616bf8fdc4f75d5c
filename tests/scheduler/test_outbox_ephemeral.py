"""The outbox's ephemeral branch (scheduler/outbox_send.py, kind slack.ephemeral: a press's
answer through chat.postEphemeral): what Slack's refusals do to a queued answer. Retried:
a 429 (after its Retry-After, not counted), a 5xx or Slack's own error (marked uncertain, and
an ephemeral cannot be looked up, so it may show twice); failed for good and recorded in
`last_error` (what `outbox list` shows): a user who left the channel or the workspace, a
value this version cannot read, a code nobody listed once its attempts are spent. It never
needs the press's response_url, so an answer queued past its 30 minutes still arrives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.config import Settings
from bot.curation.said import Refusal, answer_fields
from bot.demo.emulator.slack import SlackEmulator
from bot.slack_ui.answers import answer_text
from scheduler import slack_errors
from scheduler.outbox_admin import list_messages
from scheduler.outbox_policy import MAX_ATTEMPTS, UNCERTAIN
from scheduler.slack_errors import dead_letter_check
from storage.db import Database
from storage.outbox import KIND_EPHEMERAL, enqueue
from tests.sched_helpers import at, make_sched, outbox_rows

NOW = at("2026-05-04T10:00:00+00:00")


@pytest.fixture(autouse=True)
def _fresh_operator_memory() -> None:
    slack_errors._told.clear()


async def queue_answer(db: Database, said: dict[str, Any] | None = None,
                       user: str = "U0LEFT") -> None:
    """A press's answer as bot.curation.actions queues it (channel, user, its value)."""
    async with db.transaction() as s:
        await enqueue(s, kind=KIND_EPHEMERAL, lane="slack:CA", key=f"press:{user}:1.2",
                      payload={"channel": "CA", "user": user,
                               "said": said or answer_fields(Refusal.NOT_A_LEADER)})


def refuse(slack: SlackEmulator, code: str, status: int = 200, count: int = 1,
           retry_after: int | None = None) -> None:
    slack.fail("chat.postEphemeral", status, body={"ok": False, "error": code},
               count=count, retry_after=retry_after)


async def failed_lines(db: Database) -> list[str]:
    async with db.session() as session:
        return [line.render() for line in await list_messages(session, failed_only=True)]


@pytest.mark.parametrize(("code", "why"), [
    ("user_not_in_channel", "the user is not in that channel (ephemeral)"),
    ("user_not_found", "the user no longer exists in the workspace"),
])
async def test_an_answer_to_someone_who_left_fails_once_recorded(
        db: Database, settings: Settings, slack: SlackEmulator, code: str, why: str) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db)
    refuse(slack, code)
    report = await sched.deliverer.drain(NOW)
    assert (report.failed, report.retried, report.sent) == (1, 0, 0)
    assert (await sched.deliverer.drain(NOW + dt.timedelta(days=1))).failed == 0
    assert len(slack.calls_to("chat.postEphemeral")) == 1  # never tried again on its own
    [row] = await outbox_rows(db)
    assert row.status == "failed" and row.attempts == 1
    assert f"chat_postEphemeral: {code}" in (row.last_error or "") and why in row.last_error
    [line] = await failed_lines(db)
    assert code in line
    assert (await dead_letter_check(db)).ok  # nobody needs to act on a departed member


async def test_an_answer_queued_past_its_response_url_still_arrives(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    """Slack's response_url lasts 30 minutes; the queued answer does not use it."""
    sched = make_sched(db, settings)
    await queue_answer(db, user="U0LATE")
    [row] = await outbox_rows(db)
    assert "response_url" not in row.payload
    report = await sched.deliverer.drain(NOW + dt.timedelta(hours=2))
    assert report.sent == 1
    [call] = slack.calls_to("chat.postEphemeral")
    assert (call.params["channel"], call.params["user"]) == ("CA", "U0LATE")
    assert call.params["text"] == answer_text(Refusal.NOT_A_LEADER)
    assert slack.responses == []  # nothing went to any response_url


async def test_rate_limited_is_retried_after_retry_after_without_counting(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db)
    refuse(slack, "ratelimited", status=429, retry_after=30)
    assert (await sched.deliverer.drain(NOW)).retried == 1
    [row] = await outbox_rows(db)
    assert row.status == "pending" and 30 <= (row.next_attempt_at - NOW).total_seconds() <= 31
    assert "chat_postEphemeral: rate limited" in (row.last_error or "")
    assert not (row.result or {}).get(UNCERTAIN)  # a 429 was not delivered
    assert (await sched.deliverer.drain(NOW + dt.timedelta(seconds=10))).sent == 0
    assert (await sched.deliverer.drain(NOW + dt.timedelta(seconds=32))).sent == 1
    [row] = await outbox_rows(db)
    assert row.status == "sent" and row.last_error is None


@pytest.mark.parametrize(("status", "code"), [(500, "internal_error"),
                                              (200, "internal_error"),
                                              (200, "service_unavailable")])
async def test_slacks_own_failure_is_retried_and_the_answer_sent_after(
        db: Database, settings: Settings, slack: SlackEmulator, status: int,
        code: str) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db)
    refuse(slack, code, status=status)
    assert (await sched.deliverer.drain(NOW)).retried == 1
    [row] = await outbox_rows(db)
    assert row.status == "pending" and row.last_error
    if status >= 500:  # may have been shown; an ephemeral cannot be looked up: sent again
        assert (row.result or {}).get(UNCERTAIN)
    assert (await sched.deliverer.drain(NOW + dt.timedelta(minutes=5))).sent == 1
    assert len(slack.calls_to("chat.postEphemeral")) == 2
    assert len(slack.ephemeral) == 1  # the emulator showed it once: the refusal changed nothing


async def test_a_code_nobody_listed_is_retried_then_given_up(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db)
    refuse(slack, "teapot_overflow", count=MAX_ATTEMPTS + 5)
    now = NOW
    for _ in range(MAX_ATTEMPTS + 3):
        await sched.deliverer.drain(now)
        now += dt.timedelta(hours=2)
    [row] = await outbox_rows(db)
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS
    assert "teapot_overflow" in (row.last_error or "")
    assert len(slack.calls_to("chat.postEphemeral")) == MAX_ATTEMPTS


@pytest.mark.parametrize("said", [
    {"kind": "curation.refusal", "reason": "from_the_future"},
    {"kind": "curation.closed", "status": "accepted"},  # a field missing
    {"kind": "curation.from_the_future"},
])
async def test_an_answer_this_version_cannot_read_fails_without_calling_slack(
        db: Database, settings: Settings, slack: SlackEmulator, said: dict[str, Any]) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db, said=said)
    assert (await sched.deliverer.drain(NOW)).failed == 1
    [row] = await outbox_rows(db)
    assert row.status == "failed" and row.attempts == 1
    assert (row.last_error or "").startswith("cannot render the answer: ")
    assert slack.calls_to("chat.postEphemeral") == []


async def test_a_channel_the_bot_cannot_post_in_tells_the_operator(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sched = make_sched(db, settings)
    await queue_answer(db)
    refuse(slack, "channel_not_found")
    assert (await sched.deliverer.drain(NOW)).failed == 1
    check = await dead_letter_check(db)
    assert not check.ok and "channel_not_found x1" in check.detail
