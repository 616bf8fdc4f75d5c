"""Every message names the slash command as configured (SLACK_COMMAND), never a hard-coded
`/wgml`."""

from __future__ import annotations

import pytest

from bot.config import Settings
from tests.conftest import LEADERS, Running
from tests.curation_support import open_test_cycle, posted_card, press


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"slack_command": "/talks"})


async def test_messages_name_the_command_as_configured(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running, "UMEMBER1")
    [thanks] = running.slack.channel_messages("DMEMBER1")
    assert "`/talks mine`" in thanks["text"] and "/wgml" not in thanks["text"]
    await press(running, LEADERS[0], "accept", sid, ts)
    await running.settle()
    news = running.slack.channel_messages("DMEMBER1")[-1]["text"]
    assert "accepted" in news and "`/talks withdraw " in news and "/wgml" not in news
    status, body = await running.sender.command("UMEMBER1", "help", command="/talks")
    assert status == 200 and "/talks submit" in body and "/wgml" not in body
