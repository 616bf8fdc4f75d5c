"""The emulator refuses blocks real Slack refuses, so tests catch cards that would never show."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.emulator.blockkit import block_errors
from bot.demo.emulator.slack import SlackEmulator
from tests.conftest import TOKEN


def test_block_errors_names_the_limits_user_text_can_break() -> None:
    header = {"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}
    field = {"type": "section", "fields": [{"type": "mrkdwn", "text": "z" * 2001}]}
    button = {"type": "actions", "elements": [
        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "b" * 76}},
        {"type": "button", "action_id": "a", "text": {"type": "plain_text", "text": "ok"}}]}
    errors = block_errors([header, section, field, button])
    assert len(errors) == 5, errors
    assert block_errors([{"type": "input", "label": {"type": "plain_text", "text": "T"},
                          "element": {"type": "plain_text_input"}}])  # not in a message
    assert block_errors([dict(header, text={"type": "plain_text", "text": "x" * 150})]) == []
    assert block_errors([{"type": "divider"}] * 51) and not block_errors([{"type": "divider"}] * 51,
                                                                         "modal")


async def test_emulator_answers_invalid_blocks_like_slack() -> None:
    slack = await SlackEmulator(token=TOKEN, members={"CLEADS": ["U1"]}).start()
    try:
        client = AsyncWebClient(token=TOKEN, base_url=slack.url)
        too_long = [{"type": "header", "text": {"type": "plain_text", "text": "&amp;" * 31}}]
        with pytest.raises(SlackApiError) as failed:
            await client.chat_postMessage(channel="CLEADS", text="t", blocks=too_long)
        assert failed.value.response["error"] == "invalid_blocks"
        assert slack.channel_messages("CLEADS") == []
        posted = await client.chat_postMessage(channel="CLEADS", text="t", blocks=too_long[:0])
        with pytest.raises(SlackApiError) as failed:
            await client.chat_update(channel="CLEADS", ts=posted["ts"], text="t", blocks=too_long)
        assert failed.value.response["error"] == "invalid_blocks"
        with pytest.raises(SlackApiError) as failed:
            await client.views_open(trigger_id="1.2.3", view={
                "type": "modal", "title": {"type": "plain_text", "text": "T"},
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ""}}]})
        assert failed.value.response["error"] == "invalid_arguments"
    finally:
        await slack.stop()
