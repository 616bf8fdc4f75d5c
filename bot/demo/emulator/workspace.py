"""auth.test and users.info: who the bot is, who a member is."""

from __future__ import annotations

from typing import Any

from bot.demo.emulator.state import BOT_ID, BOT_USER_ID, TEAM_ID, EmulatorState, Handler, Result


def auth_test(emu: EmulatorState, p: dict[str, Any]) -> Result:
    return {"url": "https://wgml.slack.com/", "team": "WGML", "user": "wgml-bot",
            "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}


def user_info(emu: EmulatorState, p: dict[str, Any]) -> Result:
    """A user the workspace knows: configured in `users`, a channel member, or the bot."""
    user = p.get("user", "")
    known = emu.users.get(user)
    if known is None and user == BOT_USER_ID:
        known = {"name": "wgml-bot", "is_bot": True}
    if known is None and any(user in m for m in emu.members.values()):
        known = {"name": user.lower()}
    if known is None:
        return {"ok": False, "error": "user_not_found"}
    return {"user": {"id": user, "is_bot": False, "deleted": False, **known}}


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.info": user_info,
}
