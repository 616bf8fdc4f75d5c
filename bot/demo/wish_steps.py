"""The demo's wishes step (docs/wishes.md): members ask for a topic before the call goes out,
one asks for the same in other words and backs the first, another backs it from the list;
the call for speakers (opened next) then names it under "Topics members asked for"."""

from __future__ import annotations

import json
import time
import uuid

from bot.demo.emulator.requests import TEAM, interactive
from bot.demo.play import ADA, BEN, EVE, USERS, Demo
from bot.demo.transcript import Entry
from bot.wishes.store import most_backed

WISH = "Gaussian splatting in production"


def _press(user: str, action_id: str, value: str, response_url: str) -> bytes:
    """A press in an ephemeral answer (a slash command's), as Slack sends it."""
    return interactive({
        "type": "block_actions", "team": TEAM,
        "user": {"id": user, "username": USERS[user].lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "channel": {"id": "C0GENERAL", "name": "general"},
        "container": {"type": "message", "message_ts": "1.000001", "channel_id": "C0GENERAL",
                      "is_ephemeral": True},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": f"wish_{value}", "value": value,
                     "type": "button", "action_ts": f"{time.time():.6f}"}],
    })


async def members_ask_for_topics(demo: Demo) -> None:
    for user, line in ((EVE, f"wish {WISH}"), (BEN, f"wish   gaussian SPLATTING in {WISH[-10:]}!")):
        status, body = await demo.sender.command(user, line, user_name=USERS[user])
        demo.show_command_reply(user, f"/wgml {line}", status, body)
    status, body = await demo.sender.command(ADA, "wishes", user_name=USERS[ADA])
    listed = json.loads(body)
    demo.show(Entry("ephemeral", where=f"/wgml wishes (HTTP {status}), only visible to "
                    f"{USERS[ADA]}", text=str(listed.get("text", "")),
                    blocks=list(listed.get("blocks") or [])))
    button = next(b["accessory"] for b in listed.get("blocks") or []
                  if str(b.get("block_id", "")).startswith("wish_") and b.get("accessory"))
    demo.note(f"{USERS[ADA]} presses {button['text']['text']!r} on #{button['value']}.")
    before = len(demo.slack.responses)
    status, _ = await demo.sender.post(_press(ADA, button["action_id"], button["value"],
                                              demo.slack.new_response_url()))
    await demo.slack.wait_for(lambda: len(demo.slack.responses) > before)
    refreshed = demo.slack.responses[-1]
    demo.show(Entry("ephemeral", where=f"The list, replaced for {USERS[ADA]}",
                    text=str(refreshed.get("text", "")),
                    blocks=list(refreshed.get("blocks") or [])))
    async with demo.bot.db.session() as session:
        wishes, _ = await most_backed(session, 1)
    if not wishes or wishes[0].count != 3:
        raise RuntimeError(f"the wish should have three backers: {wishes}")
