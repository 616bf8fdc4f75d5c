"""Before the decide-by date: one DM to each leader who still owes votes, two days before at
09:00 TIMEZONE, never twice, nobody else; on the date at 09:00 one ready-to-decide summary
in the leadership channel."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import Recusal, Submission
from tests.conftest import LEADS
from tests.sched_helpers import Sched, add_submission, at, make_sched, new_cycle


@pytest.fixture
def london(settings: Settings) -> Settings:
    return settings.model_copy(update={"timezone": "Europe/London"})


@pytest.fixture
async def sched(db: Database, london: Settings) -> AsyncIterator[Sched]:
    s = make_sched(db, london)
    yield s
    await s.close()


async def recused(db: Database, sid: int, leader: str) -> None:
    async with db.transaction() as s:
        s.add(Recusal(submission_id=sid, leader=leader, active=True))


async def on_card(db: Database, sid: int, ts: str) -> None:
    async with db.transaction() as s:
        sub = await s.get(Submission, sid)
        assert sub is not None
        sub.card_channel, sub.card_ts = LEADS, ts


def dms(slack: SlackEmulator) -> dict[str, list[str]]:
    return {channel: [m["text"] for m in messages]
            for channel, messages in slack.messages.items() if channel.startswith("D")}


async def cycle_with_talks(db: Database, london: Settings) -> tuple[int, list[int]]:
    # Deadline 30 June; decide-by defaults to 3 July: nudge 1 July 09:00 BST (08:00 UTC).
    cid = await new_cycle(db, london, title="July session", deadline="2026-06-30",
                          session="2026-07-10", announce="2026-06-01T09:00:00+01:00")
    a = await add_submission(db, cid, title="Roto talk", status="submitted",
                             studio="ILM", votes={"ULEAD1": "yes", "ULEAD2": "no"},
                             slack_user="USPK1")
    b = await add_submission(db, cid, title="Denoise talk", status="submitted",
                             studio="Weta", focus="infrastructure",
                             votes={"ULEAD1": "maybe"}, slack_user="USPK2")
    c = await add_submission(db, cid, title="Done talk", status="accepted", studio="ILM",
                             votes={"ULEAD1": "yes"}, slack_user="USPK3")
    await add_submission(db, cid, title="Secret talk", status="pending_confirmation",
                         slack_user="USPK4")
    await recused(db, b, "ULEAD2")
    await on_card(db, a, "1782900000.000100")
    return cid, [a, b, c]


async def test_nudges_go_once_to_exactly_the_leaders_who_owe_votes(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    # Another integration in the leadership channel is not a leader.
    slack.members[LEADS] = [*slack.members[LEADS], "UINTEGR1"]
    slack.users["UINTEGR1"] = {"name": "jira", "is_bot": True}
    cid, _ = await cycle_with_talks(db, london)
    await sched.tick(at("2026-07-01T07:59:00+00:00"))
    assert dms(slack) == {}
    report, _ = await sched.tick(at("2026-07-01T08:00:00+00:00"))
    assert f"vote_nudge:{cid}:2026-07-03" in report.ran
    sent = dms(slack)
    # ULEAD1 voted on both open talks; ULEAD2 voted on one and recused from the other;
    # ULEAD3 owes both. The decided talk owes nothing; the unconfirmed one is never named.
    assert set(sent) == {"DLEAD3"}
    [text] = sent["DLEAD3"]
    assert "Roto talk" in text and "Denoise talk" in text
    assert "Done talk" not in text and "Secret talk" not in text
    assert "<https://wgml.slack.com/archives/CLEADERS1/p1782900000000100|" in text
    await sched.tick(at("2026-07-01T12:00:00+00:00"))
    await sched.tick(at("2026-07-02T08:00:00+00:00"))
    assert dms(slack) == sent  # never twice
    assert not any(c.startswith("DSPK") for c in slack.messages)


async def test_the_summary_on_the_decide_by_date(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    cid, _ = await cycle_with_talks(db, london)
    await sched.tick(at("2026-07-02T08:00:00+00:00"))
    before = len(slack.channel_messages(LEADS))
    report, _ = await sched.tick(at("2026-07-03T08:00:00+00:00"))
    assert [r for r in report.ran if not r.startswith("themes:")] == [
        f"decide_summary:{cid}:2026-07-03"]
    [summary] = slack.channel_messages(LEADS)[before:]
    body = json.dumps(summary["blocks"], ensure_ascii=False)
    assert "Ready to decide" in summary["text"] and "for 3 slots" in summary["text"]
    # Ranked: the accepted talk, then by votes; studio and focus area on each line.
    assert body.index("Done talk") < body.index("Roto talk") < body.index("Denoise talk") \
        or body.index("Done talk") < body.index("Denoise talk") < body.index("Roto talk")
    assert "ILM" in body and "Weta" in body and "yes 1 maybe 0 no 1" in body
    assert "*The accepted set* Studios: ILM 1" in body and "Secret talk" not in body
    assert "Still owing votes" in body and "<@ULEAD3> (2)" in body
    await sched.tick(at("2026-07-03T20:00:00+00:00"))
    assert len(slack.channel_messages(LEADS)) == before + 1


async def test_hidden_votes_stay_hidden_in_the_summary_and_digest(
        db: Database, london: Settings, slack: SlackEmulator) -> None:
    hidden = london.model_copy(update={"vote_visibility": "hidden"})
    s = make_sched(db, hidden)
    await cycle_with_talks(db, hidden)
    await s.tick(at("2026-07-03T08:00:00+00:00"))  # digest and summary both due
    posts = json.dumps(slack.channel_messages(LEADS), ensure_ascii=False)
    assert "2 voted (hidden until decided)" in posts
    assert "yes 1 maybe 0 no 1" not in posts and "yes 0 maybe 1 no 0" not in posts
    assert "yes 1 maybe 0 no 0" in posts  # the decided talk shows its tally


async def test_a_moved_decide_by_date_plans_its_own_nudge(
        sched: Sched, db: Database, london: Settings, slack: SlackEmulator) -> None:
    from bot.talks.cycles import CycleChange, set_cycle

    cid, _ = await cycle_with_talks(db, london)
    async with db.transaction() as s:
        await set_cycle(s, cid, CycleChange(decide_by=dt.date(2026, 7, 8)))
    await sched.tick(at("2026-07-01T08:00:00+00:00"))
    assert dms(slack) == {}
    report, _ = await sched.tick(at("2026-07-06T08:00:00+00:00"))
    # The quarter's themes post (first Monday of July) and the session's steps (the leaders
    # told of the accepted speaker's silence) may share the tick: not this test's.
    assert [r for r in report.ran if not r.startswith(("themes:", "attend_leaders:"))] == [
        f"vote_nudge:{cid}:2026-07-08"]
    assert set(dms(slack)) == {"DLEAD3"}
