"""Who the leaders are: the members of LEADERSHIP_CHANNEL_ID, read from Slack."""

from __future__ import annotations

import re

from slack_sdk.web.async_client import AsyncWebClient

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")


async def leader_ids(client: AsyncWebClient, channel: str | None) -> set[str]:
    """Every member of the leadership channel (all pages). No channel configured: nobody.

    Uncached on purpose: the App Home is opened rarely; a cached reader (at most 5 minutes,
    as the contract allows) can replace this without changing callers.
    """
    if not channel:
        return set()
    members: set[str] = set()
    cursor: str | None = None
    while True:
        resp = await client.conversations_members(channel=channel, cursor=cursor, limit=200)
        # Only well-formed ids: they are rendered as <@ID> mentions.
        members.update(m for m in resp.get("members") or []
                       if isinstance(m, str) and _USER_ID.fullmatch(m))
        cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return members
