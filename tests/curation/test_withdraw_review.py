"""`/wgml withdraw REF` for speakers and `/wgml review` for leaders."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.talks.submissions import make_ref
from storage.models import AuditEvent, Speaker, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import (
    audit_actions,
    card_actions,
    card_json,
    email_card,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
)


async def command(running: Running, user: str, text: str) -> str:
    status, body = await running.sender.command(user, text)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


async def ref_of(running: Running, sid: int) -> str:
    async with running.db.session() as session:
        ref = await session.scalar(select(Submission.ref).where(Submission.id == sid))
    assert ref
    return ref


async def status_of(running: Running, sid: int) -> str:
    return str((await exported(running, sid))["status"])


async def test_a_speaker_withdraws_their_talk(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running, "UMEMBER1")
    ref = await ref_of(running, sid)
    answer = await command(running, "UMEMBER1", f"withdraw {ref.lower()}")
    assert answer.startswith("Withdrawn:") and ref in answer
    await settled(running)
    assert await status_of(running, sid) == "withdrawn"
    assert "withdrawn by the speaker" in card_json(running, ts)
    assert card_actions(running, ts) == []  # nothing left to vote on or decide
    assert "submission.withdrawn" in await audit_actions(running, sid)
    again = await command(running, "UMEMBER1", f"withdraw {ref}")
    assert "already withdrawn" in again
    await press(running, "ULEAD1", "yes", sid, ts)  # a leader on a stale card
    await settled(running)
    assert "withdrew this talk" in running.slack.ephemeral[-1]["text"]
    assert (await exported(running, sid))["votes"] == []


async def test_only_the_speaker_may_withdraw(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ = await posted_card(running, "UMEMBER1")
    ref = await ref_of(running, sid)
    answer = await command(running, "UMEMBER2", f"withdraw {ref}")
    assert "not one of your submissions" in answer
    answer = await command(running, "ULEAD1", f"withdraw {ref}")  # leaders neither
    assert "not one of your submissions" in answer
    assert await status_of(running, sid) == "submitted"
    async with running.db.session() as session:
        refused = (await session.scalars(
            select(AuditEvent).where(AuditEvent.action == "withdraw.refused"))).all()
    assert {r.actor for r in refused} == {"UMEMBER2", "ULEAD1"}
    # An email speaker's talk cannot be withdrawn by a Slack user either.
    esid, _ = await email_card(running)
    eref = await ref_of(running, esid)
    assert "not one of your submissions" in await command(running, "UMEMBER1",
                                                          f"withdraw {eref}")


async def test_withdraw_explains_bad_and_unknown_references(running: Running) -> None:
    await open_test_cycle(running)
    assert "Which talk?" in await command(running, "UMEMBER1", "withdraw")
    assert "does not look like a reference" in await command(
        running, "UMEMBER1", "withdraw <!channel> & stuff")
    answer = await command(running, "UMEMBER1", "withdraw <!channel>")
    assert "<!" not in answer and "&lt;!CHANNEL&gt;" in answer
    assert "can't find `WGML-2031-999`" in await command(running, "UMEMBER1",
                                                          "withdraw WGML-2031-999")


async def test_withdrawing_an_accepted_talk_tells_the_leaders(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running, "UMEMBER1")
    await press(running, "ULEAD1", "accept", sid, ts)
    await settled(running)
    ref = await ref_of(running, sid)
    answer = await command(running, "UMEMBER1", f"withdraw {ref}")
    assert "had accepted it" in answer
    await settled(running)
    blocks = card_json(running, ts)
    assert "withdrawn by the speaker after it was accepted by <@ULEAD1>" in blocks
    assert card_actions(running, ts) == []
    thread = [m for m in running.slack.channel_messages(LEADS) if m.get("thread_ts") == ts]
    assert "withdrew this accepted talk" in thread[-1]["text"]
    await press(running, "ULEAD1", "undo", sid, ts)  # from the stale card
    await settled(running)
    assert await status_of(running, sid) == "withdrawn"
    assert "nothing to undo" in running.slack.ephemeral[-1]["text"]


async def test_withdrawing_an_unconfirmed_talk_posts_no_card(running: Running) -> None:
    await open_test_cycle(running)
    now = dt.datetime.now(dt.UTC)
    async with running.db.transaction() as session:
        sub = Submission(
            speaker=Speaker(name="ada", slack_user_id="UMEMBER1", email="ada@example.org"),
            title="Unconfirmed", focus_area="other", abstract="Not yet confirmed by its speaker.",
            source="slack", status="pending_confirmation", created_at=now, updated_at=now,
        )
        session.add(sub)
        await session.flush()
        sub.ref = make_ref(sub)
        sid, ref = sub.id, sub.ref
    answer = await command(running, "UMEMBER1", f"withdraw {ref}")
    assert "had not reached the leaders" in answer
    await settled(running)
    assert await status_of(running, sid) == "withdrawn"
    assert running.slack.channel_messages(LEADS) == []


async def test_review_is_for_leaders_only(running: Running) -> None:
    await open_test_cycle(running)
    answer = await command(running, "UMEMBER1", "review")
    assert "for the WG-ML leaders" in answer
    assert "mine" in answer


async def test_review_groups_talks_and_shows_balance(running: Running) -> None:
    await open_test_cycle(running, "February session")
    talks = [
        ("UMEMBER1", "content_creation", "ILM", "Roto with SAM 2"),
        ("UMEMBER2", "content_creation", "ilm", "Depth for comp <b>"),
        ("UMEMBER3", "content_creation", "ILM ", "Cloth sim ML"),
        ("UMEMBER4", "llm_pipeline", "Weta FX", "RAG over pipeline docs"),
        ("UMEMBER5", "content_creation", "Framestore", "Animation cleanup"),
    ]
    cards = []
    for user, area, studio, title in talks:
        cards.append(await posted_card(running, user, focus_area=area, studio=studio,
                                       title=title))
    (s1, t1), (s2, t2), (s3, t3), (s4, _), _ = cards
    await press(running, "ULEAD1", "yes", s1, t1)
    await press(running, "ULEAD2", "no", s1, t1)
    await press(running, "ULEAD1", "maybe", s2, t2)
    await press(running, "ULEAD3", "accept", s3, t3)
    await command(running, "UMEMBER4", f"withdraw {await ref_of(running, s4)}")
    await settled(running)
    answer = await command(running, "ULEAD1", "review")
    assert answer.startswith("*Review: February session*")
    assert "4 confirmed talks: 3 open for votes, 1 accepted, 0 declined." in answer
    lines = answer.splitlines()
    assert "*Content creation* (4, 1 accepted)" in lines
    assert "*LLMs for pipeline* (0)" in lines  # the withdrawn talk is not shown
    assert "RAG over pipeline docs" not in answer
    assert "*Infrastructure* (0)" in lines and "*Other* (0)" in lines
    roto = next(line for line in lines if "Roto with SAM 2" in line)
    assert "ILM" in roto and "yes 1 · maybe 0 · no 1" in roto and roto.endswith("open for votes")
    assert "Depth for comp &lt;b&gt;" in answer
    assert "Focus areas: over-represented: Content creation (4 of 4)" in answer
    assert "under-represented: LLMs for pipeline (none), Infrastructure (none), " \
           "Other (none)" in answer
    assert "Studios: 2 different; ILM has 3 of 4 talks." in answer
    # Open talks: 3 (s1, s2, Framestore's). ULEAD1 voted on 2, ULEAD2 on 1, ULEAD3 on 0.
    assert "Not voted yet (open talks without their vote, of 3): <@ULEAD3> (3), " \
           "<@ULEAD2> (2), <@ULEAD1> (1)." in answer


async def test_review_without_an_open_call(running: Running) -> None:
    answer = await command(running, "ULEAD1", "review")
    assert "No call for speakers is open" in answer
    assert "`/wgml review` shows the open call" in await command(running, "ULEAD1",
                                                                 "review latest")


async def test_review_of_an_empty_call(running: Running) -> None:
    cycle_id = await open_test_cycle(running, "March session")
    answer = await command(running, "ULEAD2", f"review {cycle_id}")
    assert "0 confirmed talks" in answer
    assert "Focus areas: no confirmed talks yet." in answer
    assert "Votes: no talk is open for votes." in answer
