"""chat.postMessage, chat.update, chat.postEphemeral as Slack answers them."""

from __future__ import annotations

import json
from typing import Any

from bot.demo.emulator.state import BOT_USER_ID, EmulatorState, Handler, Result


def post_message(emu: EmulatorState, p: dict[str, Any]) -> Result:
    channel = p.get("channel") or ""
    if not channel:
        return {"ok": False, "error": "channel_not_found"}
    if not p.get("text") and not p.get("blocks"):
        return {"ok": False, "error": "no_text"}
    if (invalid := emu.invalid_message(p)) is not None:
        return invalid
    limited = emu.rate_limited(channel)
    if limited is not None:
        return limited
    if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
        channel = "D" + channel[1:]
    ts = emu.next_ts()
    message = {"type": "message", "ts": ts, "text": p.get("text", ""),
               "blocks": p.get("blocks") or [], "user": BOT_USER_ID,
               "thread_ts": p.get("thread_ts")}
    metadata = p.get("metadata")
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            metadata = None
    if isinstance(metadata, dict):
        message["metadata"] = metadata
    emu.messages[channel].append(message)
    return {"channel": channel, "ts": ts, "message": message}


def update(emu: EmulatorState, p: dict[str, Any]) -> Result:
    channel, ts = p.get("channel") or "", p.get("ts") or ""
    if (invalid := emu.invalid_message(p)) is not None:
        return invalid
    for message in emu.messages.get(channel, []):
        if message["ts"] == ts:
            message["text"] = p.get("text", message["text"])
            message["blocks"] = p.get("blocks") or message["blocks"]
            message["edited"] = True
            return {"channel": channel, "ts": ts, "text": message["text"]}
    return {"ok": False, "error": "message_not_found"}


def post_ephemeral(emu: EmulatorState, p: dict[str, Any]) -> Result:
    if (invalid := emu.invalid_message(p)) is not None:
        return invalid
    emu.ephemeral.append(dict(p))
    return {"message_ts": emu.next_ts()}


METHODS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.postEphemeral": post_ephemeral,
}
