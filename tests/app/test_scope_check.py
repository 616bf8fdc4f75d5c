"""check-config says when the bot token lacks the scopes sub-projects need, from the
x-oauth-scopes header Slack returns with auth.test (here: the emulator's)."""

from __future__ import annotations

from bot.app.checks import check_slack
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator


async def test_a_token_without_channels_manage_is_told(settings: Settings,
                                                       slack: SlackEmulator) -> None:
    slack.scopes = {"commands", "chat:write", "channels:read", "groups:read"}
    checks = {c.name: c for c in await check_slack(settings)}
    scopes = checks["slack scopes"]
    assert not scopes.ok and "channels:manage" in scopes.detail
    assert "conversations.create" in scopes.detail and "reinstall" in scopes.hint
    slack.scopes |= {"channels:manage"}
    checks = {c.name: c for c in await check_slack(settings)}
    assert checks["slack scopes"].ok
    slack.scopes = None  # Slack said nothing: no guess
    assert "slack scopes" not in {c.name for c in await check_slack(settings)}
