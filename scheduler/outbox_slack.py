"""Finding a message the bot already posted, by the outbox key it carries in `metadata`.

Slack has no idempotency key for `chat.postMessage`; message metadata is the closest thing.
The bot reads its channel's recent history (scopes channels:history, groups:history,
im:history) only when an earlier attempt may have landed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

EVENT_TYPE = "wgml_outbox"
HISTORY_PAGES = 10  # 2,000 messages back: far more than arrive during one retry delay


def metadata_for(key: str) -> dict[str, Any]:
    return {"event_type": EVENT_TYPE, "event_payload": {"key": key}}


def carries_key(message: dict[str, Any], key: str) -> bool:
    meta = message.get("metadata")
    if not isinstance(meta, dict) or meta.get("event_type") != EVENT_TYPE:
        return False
    payload = meta.get("event_payload")
    return isinstance(payload, dict) and payload.get("key") == key


async def find_posted(slack: AsyncWebClient, channel: str, key: str, since: dt.datetime
                      ) -> dict[str, Any] | None:
    """{"channel", "ts"} of the message carrying `key` posted after `since`, or None."""
    if channel.startswith(("U", "W")):  # a DM: history lives in the IM channel's id
        opened = await slack.conversations_open(users=channel)
        channel = str((opened.get("channel") or {}).get("id") or channel)
    oldest = f"{max(since.timestamp() - 60, 0):.6f}"
    cursor: str | None = None
    for _ in range(HISTORY_PAGES):
        page = await slack.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor)
        for message in page.get("messages") or []:
            if isinstance(message, dict) and carries_key(message, key):
                return {"channel": channel, "ts": message.get("ts")}
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None
    return None
