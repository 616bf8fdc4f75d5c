"""conversations.open/history/members/info: DMs, channel history with pagination and
message metadata, member lists, what a channel is."""

from __future__ import annotations

from typing import Any

from bot.demo.emulator.state import EmulatorState, Handler, Result


def open_dm(emu: EmulatorState, p: dict[str, Any]) -> Result:
    users = str(p.get("users", ""))
    return {"channel": {"id": "D" + users.split(",")[0][1:]}}


def history(emu: EmulatorState, p: dict[str, Any]) -> Result:
    """Newest first, as Slack answers; metadata only with include_all_metadata."""
    channel = p.get("channel", "")
    if channel not in emu.messages and channel not in emu.members:
        return {"ok": False, "error": "channel_not_found"}
    oldest = float(p.get("oldest") or 0)
    with_meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
    found = [m for m in reversed(emu.messages.get(channel, [])) if float(m["ts"]) > oldest]
    start = int(p.get("cursor") or 0)
    limit = max(1, min(int(p.get("limit") or 100), 200))
    page = found[start:start + limit]
    if not with_meta:
        page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
    more = start + limit < len(found)
    return {"messages": page, "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


def members(emu: EmulatorState, p: dict[str, Any]) -> Result:
    channel = p.get("channel", "")
    if channel not in emu.members:
        return {"ok": False, "error": "channel_not_found"}
    everyone = emu.members[channel]
    start = int(p.get("cursor") or 0)
    limit = min(int(p.get("limit") or emu.page_size), emu.page_size)
    page = everyone[start:start + limit]
    nxt = str(start + limit) if start + limit < len(everyone) else ""
    return {"members": page, "response_metadata": {"next_cursor": nxt}}


def info(emu: EmulatorState, p: dict[str, Any]) -> Result:
    channel = p.get("channel", "")
    if channel in emu.channels:
        return {"channel": {"id": channel, "is_private": False, "is_member": True,
                            **emu.channels[channel]}}
    if channel not in emu.members:
        return {"ok": False, "error": "channel_not_found"}
    return {"channel": {"id": channel, "is_private": True, "is_member": True}}


METHODS: dict[str, Handler] = {
    "conversations.open": open_dm,
    "conversations.history": history,
    "conversations.members": members,
    "conversations.info": info,
}
