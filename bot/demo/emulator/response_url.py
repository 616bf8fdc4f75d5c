"""response_url as Slack hands them out with a slash command or a message action: five
uses within 30 minutes, JSON bodies, Block Kit checked like any message."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import web

from bot.demo.emulator.blockkit import block_errors


class ResponseUrls:
    port: int
    changed: asyncio.Event
    refused: list[dict[str, Any]]

    def __init__(self) -> None:
        # key -> uses left; what was posted.
        self._response_urls: dict[str, int] = {}
        self.responses: list[dict[str, Any]] = []

    def new_response_url(self) -> str:
        key = uuid.uuid4().hex
        self._response_urls[key] = 5
        return f"http://127.0.0.1:{self.port}/response/{key}"

    async def respond(self, request: web.Request) -> web.Response:
        """A POST to a response_url: JSON `{text, blocks, response_type, replace_original}`.
        Slack answers 200 `ok`, or 404 for a url it never handed out or used up."""
        key = request.match_info["key"]
        left = self._response_urls.get(key, 0)
        if left <= 0:
            return web.Response(status=404, text="expired_url")
        try:
            body = json.loads(await request.read())
        except ValueError:
            return web.Response(status=400, text="invalid_payload")
        if not isinstance(body, dict) or (not body.get("text") and not body.get("blocks")):
            return web.Response(status=400, text="no_text")
        if body.get("blocks") and (errors := block_errors(body["blocks"])):
            self.refused.append({"error": "invalid_blocks", "errors": errors})
            return web.Response(status=400, text="invalid_blocks")
        self._response_urls[key] = left - 1
        self.responses.append({"url": str(request.url), **body})
        self.changed.set()
        return web.Response(text="ok")
