"""What the emulated workspace holds (channels' messages, views, users, refusals) and the
checks several methods share: Block Kit limits on messages and views, the per-channel rate
limit. The methods themselves live in one module per family (chat, views, conversations,
workspace), each with a small METHODS table that bot.demo.emulator.slack joins."""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.demo.emulator.blockkit import MESSAGE_TEXT, block_errors, view_errors

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0WGML01"

Result = dict[str, Any] | web.Response
Handler = Callable[["EmulatorState", dict[str, Any]], Result]


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    status: int
    count: int
    retry_after: int | None = None
    error: str | None = None
    body: dict[str, Any] | None = None  # the exact answer, when a test gives one


class EmulatorState:
    def __init__(self, *, members: dict[str, list[str]] | None = None, page_size: int = 2,
                 users: dict[str, dict[str, Any]] | None = None) -> None:
        self.members: dict[str, list[str]] = members or {}
        self.page_size = page_size
        self.users: dict[str, dict[str, Any]] = users or {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemeral: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        # What Slack refused (invalid_blocks, invalid_arguments, ...): a test can assert none.
        self.refused: list[dict[str, Any]] = []
        self.channel_rate: float | None = None  # posts per second per channel, when enforced
        self._last_post: dict[str, float] = {}
        self._ts = itertools.count(1)
        # What conversations.info says of channels beyond the member lists' (private, the
        # bot a member): e.g. {"CANNOUNCE1": {"is_private": False, "is_member": True}}.
        self.channels: dict[str, dict[str, Any]] = {}

    def next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def invalid_view(self, view: Any, surface: str) -> dict[str, Any] | None:
        """Slack's answer to a view breaking Block Kit limits, or None when it is fine:
        `invalid_arguments`, each problem in response_metadata.messages with its pointer."""
        if isinstance(view, str):
            try:
                view = json.loads(view)
            except ValueError:
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {
                    "messages": ["[ERROR] must be a valid JSON object [json-pointer:/view]"]}}
        errors = view_errors(view)
        if isinstance(view, dict) and view.get("type") != surface:
            errors.append(f"must be {surface} here [json-pointer:/view/type]")
        if not errors:
            return None
        self.refused.append({"error": "invalid_arguments", "errors": errors})
        return {"ok": False, "error": "invalid_arguments",
                "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}}

    def invalid_message(self, p: dict[str, Any]) -> dict[str, Any] | None:
        """Slack's answer to a message breaking Block Kit limits: `invalid_blocks`, with the
        problems in `errors` and again in response_metadata.messages."""
        if "blocks" in p and p["blocks"] not in (None, "", []):
            blocks = p["blocks"]
            if isinstance(blocks, str):
                return {"ok": False, "error": "invalid_blocks_format"}
            errors = block_errors(blocks)
            if errors:
                self.refused.append({"error": "invalid_blocks", "errors": errors})
                return {"ok": False, "error": "invalid_blocks", "errors": errors,
                        "response_metadata": {"messages": [f"[ERROR] {e}" for e in errors]}}
        if len(str(p.get("text") or "")) > MESSAGE_TEXT:
            self.refused.append({"error": "msg_too_long", "errors": []})
            return {"ok": False, "error": "msg_too_long"}
        return None

    def rate_limited(self, channel: str) -> web.Response | None:
        if self.channel_rate is None:
            return None
        now = time.monotonic()
        last = self._last_post.get(channel)
        gap = 1.0 / self.channel_rate
        if last is not None and now - last < gap:
            retry = max(1, int(gap - (now - last) + 0.999))
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(retry)})
        self._last_post[channel] = now
        return None
