"""The session's slots on the cards: what accepting a talk does to the balance, a warning
in the accept dialog, "full" once the accepted talks fill the slots, and a warning (not a
refusal) for the leader who accepts past them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.talks.cycles import CycleRequest, open_cycle
from tests.conftest import LEADS, Running
from tests.curation_support import card, card_json, exported, posted_card, press, settled


async def two_slot_cycle(running: Running) -> int:
    today = dt.date.today()
    async with running.db.transaction() as session:
        cycle = await open_cycle(
            session, CycleRequest(title="Small session", deadline=today + dt.timedelta(days=20),
                                  session_date=today + dt.timedelta(days=40), slots=2),
            running.bot.settings.zone, dt.datetime.now(dt.UTC))
    return cycle.id


def accept_dialog(running: Running, ts: str) -> str:
    for block in card(running, ts)["blocks"]:
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id") == "decide_accept":
                confirm: dict[str, Any] = element["confirm"]
                return str(confirm["text"]["text"])
    raise AssertionError("no accept button")


def slots_summary(running: Running) -> str:
    """The cycle's one slots summary message in the leadership channel."""
    found = [m for m in running.slack.channel_messages(LEADS)
             if m["text"].startswith("Session slots:")]
    assert len(found) == 1, found
    return json.dumps(found[0]["blocks"], ensure_ascii=False)


def updates_of(running: Running, ts: str) -> int:
    return sum(1 for c in running.slack.calls_to("chat.update") if c.params.get("ts") == ts)


async def test_a_decision_touches_its_card_and_the_slots_summary_not_every_card(
        running: Running) -> None:
    await two_slot_cycle(running)
    a, a_ts = await posted_card(running, "UMEMBER1", studio="ILM")
    b, b_ts = await posted_card(running, "UMEMBER2", studio="ILM")
    c, c_ts = await posted_card(running, "UMEMBER3", studio="ilm ")
    assert "2 slots, not all filled yet" in card_json(running, b_ts)
    assert "slots summary" in accept_dialog(running, b_ts)

    await press(running, "ULEAD1", "accept", a, a_ts)
    await settled(running)
    # One summary message says what changed; the other cards were not touched.
    summary = slots_summary(running)
    assert "1 of 2 slots filled" in summary and "ILM 1" in summary
    assert updates_of(running, b_ts) == 0 and updates_of(running, c_ts) == 0
    assert updates_of(running, a_ts) == 1

    await press(running, "ULEAD1", "accept", b, b_ts)
    await settled(running)
    warned = [e["text"] for e in running.slack.ephemeral if e["user"] == "ULEAD1"]
    assert any("ILM now holds 2 of the 2 accepted talks" in t for t in warned)
    summary = slots_summary(running)  # updated in place: still one message
    assert "slots are full" in summary and "ILM 2" in summary
    # The session filled: that every card shows, so each is rendered once more.
    for ts in (a_ts, b_ts, c_ts):
        assert "slots are full" in card_json(running, ts)
    assert "Past the 2 slots" in accept_dialog(running, c_ts)

    await press(running, "ULEAD2", "accept", c, c_ts)  # allowed, with a warning
    await settled(running)
    warned = [e["text"] for e in running.slack.ephemeral if e["user"] == "ULEAD2"]
    assert any("past the session's slots" in t and "3 talks" in t for t in warned)
    assert "over-full" in card_json(running, a_ts) and "over-full" in slots_summary(running)
    assert running.slack.refused == []


async def test_the_slots_summary_is_posted_again_when_deleted(running: Running) -> None:
    await two_slot_cycle(running)
    a, a_ts = await posted_card(running, "UMEMBER1", studio="ILM")
    b, b_ts = await posted_card(running, "UMEMBER2", studio="Weta")
    await press(running, "ULEAD1", "accept", a, a_ts)
    await settled(running)
    messages = running.slack.messages[LEADS]
    messages[:] = [m for m in messages if not m["text"].startswith("Session slots:")]
    await press(running, "ULEAD1", "decline", b, b_ts)  # not a change of the program
    await press(running, "ULEAD1", "undo", a, a_ts)
    await settled(running)
    assert "0 of 2 slots filled" in slots_summary(running)


async def test_a_withdrawn_accepted_talk_frees_its_slot_on_the_other_cards(
        running: Running) -> None:
    await two_slot_cycle(running)
    a, a_ts = await posted_card(running, "UMEMBER1", studio="ILM")
    b, b_ts = await posted_card(running, "UMEMBER2", studio="Weta")
    _c, c_ts = await posted_card(running, "UMEMBER3", studio="DNEG")
    await press(running, "ULEAD1", "accept", a, a_ts)
    await press(running, "ULEAD1", "accept", b, b_ts)
    await settled(running)
    assert "slots are full" in card_json(running, c_ts)
    ref = (await exported(running, b))["ref"]
    status, body = await running.sender.command("UMEMBER2", f"withdraw {ref}")
    assert status == 200 and "Withdrawn" in body
    await settled(running)
    assert "2 slots, not all filled yet" in card_json(running, c_ts)
    assert "1 of 2 slots filled" in slots_summary(running)


async def test_the_cards_after_the_slots_fill_are_paced_beside_the_channels_lane(
        running: Running, monkeypatch: Any) -> None:
    from sqlalchemy import select

    import scheduler.outbox_cards as outbox_cards
    from storage.models import OutboxMessage

    monkeypatch.setattr(outbox_cards, "LAZY_BURST", 1)
    monkeypatch.setattr(outbox_cards, "LAZY_INTERVAL", 600.0)
    await two_slot_cycle(running)
    a, a_ts = await posted_card(running, "UMEMBER1", studio="ILM")
    b, b_ts = await posted_card(running, "UMEMBER2", studio="Weta")
    c, c_ts = await posted_card(running, "UMEMBER3", studio="DNEG")
    d, _ = await posted_card(running, "UMEMBER4", studio="MPC")
    await press(running, "ULEAD1", "accept", a, a_ts)
    await press(running, "ULEAD1", "accept", b, b_ts)  # fills the slots
    await settled(running)
    async with running.db.read() as session:
        lazy = (await session.execute(select(
            OutboxMessage.card_of, OutboxMessage.status, OutboxMessage.next_attempt_at)
            .where(OutboxMessage.lane == f"slack-lazy:{LEADS}")
            .order_by(OutboxMessage.id))).all()
    assert [(sid, status) for sid, status, _ in lazy] == [(a, "sent"), (c, "pending"),
                                                          (d, "pending")]
    assert lazy[2][2] - lazy[1][2] >= dt.timedelta(seconds=599)  # paced
    assert "slots are full" in card_json(running, a_ts)
    assert "slots are full" not in card_json(running, c_ts)  # later, in the background
    await press(running, "ULEAD2", "yes", c, c_ts)  # a vote goes straight through
    await settled(running)
    assert "slots are full" in card_json(running, c_ts)


async def test_similar_work_on_a_card_is_read_once_per_talk_version(
        running: Running, monkeypatch: Any) -> None:
    import bot.people.networking as networking
    from storage.models import Submission

    await two_slot_cycle(running)
    sid, _ = await posted_card(running, "UMEMBER1", studio="ILM")
    reads = []
    real = networking._visible

    async def counted(session: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return await real(session, **kwargs)

    monkeypatch.setattr(networking, "_visible", counted)
    async with running.db.read() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        first = await networking.similar_for_card(session, sub)
        assert await networking.similar_for_card(session, sub) == first
        assert len(reads) == 0  # the card's first render already read it
        session.expunge(sub)
        sub.abstract += " A new version."
        await networking.similar_for_card(session, sub)
        assert len(reads) == 1
