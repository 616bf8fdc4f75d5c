"""Wishes over the real HTTP path (signed requests, the bolt app, the Slack emulator):
asking twice in other words backs one wish, a press counts once however often Slack retries
it, hostile text stays escaped and within Block Kit's limits, only leaders close."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.demo.emulator.blockkit import block_errors, view_errors
from bot.demo.emulator.requests import (
    ephemeral_action,
    home_action,
    home_opened,
    view_submission,
)
from bot.wishes.export import wishes_json
from tests.conftest import LEADERS, Running

HOSTILE = ("<!channel> & <@U0ALL> " * 20)[:300]


async def command(running: Running, user: str, line: str) -> dict[str, Any]:
    status, body = await running.sender.command(user, line)
    assert status == 200, body
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral"
    return dict(answer)


def wish_press(user: str, wish_id: int, response_url: str, action_ts: str) -> bytes:
    """A press on a wish's button in the ephemeral list `/wgml wishes` answered with."""
    return ephemeral_action(user, f"wish_up_{wish_id}", str(wish_id), block_id=f"wish_{wish_id}",
                            response_url=response_url, action_ts=action_ts)


async def wishes_export(running: Running) -> list[dict[str, Any]]:
    async with running.db.session() as session:
        return await wishes_json(session)


async def test_asked_twice_in_other_words_is_one_wish_backed_by_both(running: Running) -> None:
    first = await command(running, "UADA", "wish Gaussian splatting in production")
    assert "Your wish is #1" in first["text"]
    again = await command(running, "UBOB", "wish   GAUSSIAN splatting in production!")
    assert "already asked" in again["text"] and "#1" in again["text"]
    near = await command(running, "UCAROL", "wish gaussian splats in production pipelines")
    assert "close to #1" in near["text"]
    [wish] = await wishes_export(running)
    assert wish["backers"] == ["UADA", "UBOB", "UCAROL"] and wish["status"] == "open"


async def test_empty_and_too_long_get_a_hint_and_store_nothing(running: Running) -> None:
    empty = await command(running, "UADA", "wish")
    assert "What topic" in empty["text"] and "/wgml wish" in empty["text"]
    blank = await command(running, "UADA", "wish    ")
    assert "Nothing was stored" in blank["text"]
    long = await command(running, "UADA", "wish " + "x" * 1000)
    assert "1000 characters" in long["text"] and "up to 300" in long["text"]
    assert await wishes_export(running) == []


async def test_a_press_counts_once_however_often_slack_retries_it(running: Running) -> None:
    await command(running, "UADA", "wish Depth estimation for hair")
    url = running.slack.new_response_url()
    stamp = f"{time.time():.6f}"
    status, _ = await running.sender.post(wish_press("UCAROL", 1, url, stamp))
    assert status == 200
    for retry in (1, 2):  # Slack retries the very same press (same payload and action_ts)
        status, _ = await running.sender.post(
            wish_press("UCAROL", 1, url, stamp),
            headers={"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        assert status == 200
    [wish] = await wishes_export(running)
    assert wish["backers"] == ["UADA", "UCAROL"]
    # The list the member pressed in is replaced with their view of it.
    await running.slack.wait_for(lambda: running.slack.responses)
    refreshed = running.slack.responses[-1]
    assert refreshed["replace_original"] is True and "You back #1" in json.dumps(refreshed)
    assert len(running.slack.responses) == 1  # the retries answered nothing more
    # Pressed again (a new press): the backing is withdrawn.
    status, _ = await running.sender.post(
        wish_press("UCAROL", 1, url, f"{time.time() + 1:.6f}"))
    [wish] = await wishes_export(running)
    assert wish["backers"] == ["UADA"]


async def test_the_list_escapes_hostile_wishes_within_block_kit_limits(running: Running
                                                                      ) -> None:
    for n in range(45):  # more wishes than a message holds blocks
        user = f"UHOST{n:03d}"
        answer = await command(running, user, f"wish topic{n} {HOSTILE}"[:305])
        assert "Your wish is" in answer["text"], answer
        assert "<!channel>" not in answer["text"]
    listed = await command(running, "UVIEWER", "wishes")
    assert block_errors(listed["blocks"]) == []
    dumped = json.dumps(listed)
    assert "<!channel>" not in dumped and "<@U0ALL>" not in dumped
    assert "&lt;!channel&gt; &amp;" in dumped
    buttons = [b["accessory"] for b in listed["blocks"] if b.get("accessory")]
    assert len(buttons) == 40 and all(b["action_id"].startswith("wish_up") for b in buttons)
    assert len({b["action_id"] for b in buttons}) == 40
    assert "5 more" in dumped


async def test_most_backed_first_with_the_backers_studios(running: Running) -> None:
    await running.submit("UBOB", studio="Studio <B> & Co")  # Bob's studio is known
    await command(running, "UADA", "wish Rigging with ML")
    await command(running, "UADA", "wish LLM assistants for pipeline TDs")
    await command(running, "UBOB", "wish LLM assistants for pipeline TDs")
    listed = await command(running, "UADA", "wishes")
    sections = [b for b in listed["blocks"] if b.get("block_id", "").startswith("wish_")]
    assert [s["block_id"] for s in sections] == ["wish_2", "wish_1"]
    assert "Studio &lt;B&gt; &amp; Co" in sections[0]["text"]["text"]
    assert sections[0]["accessory"]["text"]["text"] == "Withdraw"  # Ada backs it


async def test_only_leaders_close_and_reopen(running: Running) -> None:
    await command(running, "UADA", "wish Rigging with ML")
    refused = await command(running, "UADA", "wish close 1")
    assert "for the WG-ML leaders" in refused["text"]
    assert (await wishes_export(running))[0]["status"] == "open"
    closed = await command(running, LEADERS[0], "wish close #1")
    assert "Closed #1" in closed["text"]
    [wish] = await wishes_export(running)
    assert wish["status"] == "closed"
    listed = await command(running, "UADA", "wishes")
    assert "No open wishes" in json.dumps(listed)
    again = await command(running, "UBOB", "wish rigging with ML")
    assert "closed by the leaders" in again["text"]
    reopened = await command(running, LEADERS[1], "wish reopen 1")
    assert "Reopened #1" in reopened["text"]
    assert (await wishes_export(running))[0]["status"] == "open"


async def test_help_lists_wish_and_wishes(running: Running) -> None:
    answer = await command(running, "UADA", "help")
    assert "/wgml wish TOPIC" in answer["text"] and "/wgml wishes" in answer["text"]


async def test_home_shows_the_top_five_and_asks_through_a_small_form(running: Running
                                                                    ) -> None:
    for n in range(7):
        await command(running, f"UW{n}", f"wish topic{n} {HOSTILE}"[:305])
    await running.sender.event(home_opened("UADA"))
    await running.slack.wait_for(lambda: running.slack.calls_to("views.publish"))
    view = running.slack.calls_to("views.publish")[-1].params["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    assert view_errors(view) == []
    dumped = json.dumps(view)
    assert "Topics members asked for" in dumped and "<!channel>" not in dumped
    assert sum(1 for b in view["blocks"] if b.get("block_id", "").startswith("wish_")) == 5
    assert "2 more" in dumped
    status, _ = await running.sender.post(home_action("UADA", "wish_ask", "ask"))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    form = running.slack.calls_to("views.open")[-1].params["view"]
    assert form["callback_id"] == "wgml_wish"
    state = {"values": {"wish": {"wish_input": {"type": "plain_text_input", "value": ""}}}}
    status, body = await running.sender.post(view_submission(
        "UADA", "VWISH1", state, callback_id="wgml_wish"))
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    state["values"]["wish"]["wish_input"]["value"] = ("Topic3 " + HOSTILE)[:300]
    before = len(running.slack.calls_to("views.publish"))
    status, body = await running.sender.post(view_submission(
        "UADA", "VWISH2", state, callback_id="wgml_wish"))
    answer = json.loads(body)
    assert answer["response_action"] == "update", answer
    assert view_errors(answer["view"]) == []
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.publish")) > before)
    backers = {w["id"]: w["backers"] for w in await wishes_export(running)}
    assert len(backers) == 7 and backers[4] == ["UW3", "UADA"]  # the same as topic3's


async def test_a_press_on_the_home_tab_republishes_it(running: Running) -> None:
    await command(running, "UADA", "wish Rigging with ML")
    before = len(running.slack.calls_to("views.publish"))
    status, _ = await running.sender.post(home_action("UBOB", "wish_up_1", "1"))
    assert status == 200
    await running.slack.wait_for(lambda: len(running.slack.calls_to("views.publish")) > before)
    call = running.slack.calls_to("views.publish")[-1]
    assert call.params["user_id"] == "UBOB"
    dumped = json.dumps(call.params["view"])
    assert "2 members" in dumped and "Withdraw" in dumped
    [wish] = await wishes_export(running)
    assert wish["backers"] == ["UADA", "UBOB"]
    status, _ = await running.sender.post(home_action("UBOB", "wish_up_1", "bogus"))
    assert status == 200  # an unreadable press is acknowledged and changes nothing
    assert (await wishes_export(running))[0]["backers"] == ["UADA", "UBOB"]
