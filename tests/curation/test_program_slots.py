"""The session's slots on the cards: what accepting a talk does to the balance, a warning
in the accept dialog, "full" once the accepted talks fill the slots, and a warning (not a
refusal) for the leader who accepts past them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.talks.cycles import CycleRequest, open_cycle
from tests.conftest import Running
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


async def test_slots_fill_and_the_cards_and_dialog_say_so(running: Running) -> None:
    await two_slot_cycle(running)
    a, a_ts = await posted_card(running, "UMEMBER1", studio="ILM")
    b, b_ts = await posted_card(running, "UMEMBER2", studio="ILM")
    c, c_ts = await posted_card(running, "UMEMBER3", studio="ilm ")
    assert "0 of 2 slots filled" in card_json(running, b_ts)
    assert "If accepted: 1 of 2 slots · ILM 1 of 1" in card_json(running, b_ts)
    assert "After it: 1 of 2 slots" in accept_dialog(running, b_ts)

    await press(running, "ULEAD1", "accept", a, a_ts)
    await settled(running)
    # The other cards were rendered again: one slot left, and ILM would hold both.
    assert "1 of 2 slots filled" in card_json(running, b_ts)
    dialog = accept_dialog(running, b_ts)
    assert "ILM would hold most of the program" in dialog and len(dialog) <= 300

    await press(running, "ULEAD1", "accept", b, b_ts)
    await settled(running)
    for ts in (a_ts, b_ts, c_ts):
        assert "slots are full" in card_json(running, ts)
    assert "Past the 2 slots" in accept_dialog(running, c_ts)

    await press(running, "ULEAD2", "accept", c, c_ts)  # allowed, with a warning
    await settled(running)
    warned = [e["text"] for e in running.slack.ephemeral if e["user"] == "ULEAD2"]
    assert any("past the session's slots" in t and "3 talks" in t for t in warned)
    assert "over-full" in card_json(running, a_ts)
    assert running.slack.refused == []


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
    assert "1 of 2 slots filled" in card_json(running, c_ts)
