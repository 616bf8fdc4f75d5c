"""When Slack says no, the member still hears what happened, where they will see it; events the
bot ignores are acknowledged; bots are not leaders."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.requests import home_action
from bot.demo.emulator.slack import BOT_USER_ID, SlackEmulator
from bot.leaders import slack_member_lister
from bot.slack_ui.home import HOME_SUBMIT_ACTION
from scheduler.digest import fetch_leaders
from tests.conftest import LEADS, TOKEN, Running


async def test_a_refused_form_is_told_through_the_response_url_without_a_loop(
        running: Running) -> None:
    # invalid_arguments: the form itself is refused; opening it again would fail again.
    running.slack.fail("views.open", 200, error="invalid_arguments")
    status, _ = await running.sender.command("UMEMBER1", "submit", channel_id="CNOTJOINED")
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.responses)
    [note] = running.slack.responses
    assert note["response_type"] == "ephemeral" and "invalid_arguments" in note["text"]
    assert "again will not help" in note["text"] and "run `/wgml submit` again" not in \
        note["text"]
    assert "wgml-bot@example.org" in note["text"]  # what can work instead
    assert running.slack.ephemeral == []  # not chat.postEphemeral into a channel


async def test_an_expired_trigger_is_worth_another_try(running: Running) -> None:
    running.slack.fail("views.open", 200, error="expired_trigger_id")
    await running.sender.command("UMEMBER1", "submit")
    await running.slack.wait_for(lambda: running.slack.responses)
    assert "please run `/wgml submit` again" in running.slack.responses[0]["text"]


async def test_a_refused_form_from_the_home_tab_is_told_in_a_dm(running: Running) -> None:
    running.slack.fail("views.open", 200, error="invalid_arguments")
    status, _ = await running.sender.post(home_action("UMEMBER1", HOME_SUBMIT_ACTION, "submit"))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.channel_messages("DMEMBER1"))
    [dm] = running.slack.channel_messages("DMEMBER1")
    assert "invalid_arguments" in dm["text"] and "nothing was sent" in dm["text"]


@pytest.mark.parametrize("kind", ["member_joined_channel", "message", "reaction_added"])
async def test_events_the_bot_ignores_are_acknowledged(running: Running, kind: str) -> None:
    status, _ = await running.sender.event({"type": kind, "user": "UMEMBER1",
                                            "channel": LEADS, "event_ts": "1.2"})
    assert status == 200  # not 404: Slack retries non-2xx deliveries


async def test_other_bots_in_the_leadership_channel_are_not_leaders() -> None:
    slack = await SlackEmulator(token=TOKEN, members={LEADS: ["ULEAD1", "UOTHERBOT", BOT_USER_ID,
                                                            "ULEAD2"]},
                                users={"UOTHERBOT": {"name": "jira", "is_bot": True}}).start()
    try:
        client = AsyncWebClient(token=TOKEN, base_url=slack.url)
        assert await slack_member_lister(client)(LEADS) == ["ULEAD1", "ULEAD2"]
        assert await fetch_leaders(client, LEADS) == ["ULEAD1", "ULEAD2"]
        # Each person is asked about once per lister (the bot itself never: auth.test says).
        assert len(slack.calls_to("users.info")) == 6
        lister = slack_member_lister(client)
        await lister(LEADS)
        await lister(LEADS)
        assert len(slack.calls_to("users.info")) == 9
    finally:
        await slack.stop()
