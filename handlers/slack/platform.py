"""What Slack's platform sends besides people's actions: `app_rate_limited` (the workspace's
events were dropped for a minute), Slack's retries of an event delivery, and `view_closed`.

Bolt answers the first and the last 404 (no listener), and Slack keeps retrying non-2xx
deliveries, then disables the subscription after repeated failures. A retry
(X-Slack-Retry-Num) of an event this process already acknowledged is acknowledged again and
not handled twice: the first delivery was handled, only its answer was late. (Per process:
a retry that reaches another replica is handled there; the bot's event listeners are
idempotent, this only saves the work.)
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from handlers.slack.payload import text
from handlers.slack.respond import Ack

log = logging.getLogger("wgml.slack")

# Slack retries an event three times within about an hour (after 0 s, 1 min, 5 min); a few
# thousand ids cover that window for a working group's traffic, per process.
REMEMBERED_EVENTS = 4096


class RecentEvents:
    """Event ids acknowledged lately, oldest forgotten first."""

    def __init__(self, size: int = REMEMBERED_EVENTS) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._ids

    def add(self, event_id: str) -> None:
        self._ids[event_id] = None
        self._ids.move_to_end(event_id)
        while len(self._ids) > self.size:
            self._ids.popitem(last=False)


def _header(req: AsyncBoltRequest, name: str) -> str:
    values = req.headers.get(name) or [""]
    return str(values[0])


def register(app: AsyncApp) -> None:
    acknowledged = RecentEvents()

    @app.middleware
    async def _platform(req: AsyncBoltRequest, resp: BoltResponse,
                        next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse:
        body: dict[str, Any] = req.body if isinstance(req.body, dict) else {}
        if body.get("type") == "app_rate_limited":
            log.warning("event=slack.app_rate_limited team=%s minute=%s: Slack dropped this "
                        "workspace's events for a minute (over 30,000 an hour)",
                        text(body, "team_id"), body.get("minute_rate_limited"))
            return BoltResponse(status=200, body="")
        event_id = text(body, "event_id") if body.get("type") == "event_callback" else ""
        retry = _header(req, "x-slack-retry-num")
        if event_id and retry and event_id in acknowledged:
            log.info("event=slack.event_retry_skipped event_id=%s retry=%s reason=%s",
                     event_id[:32], retry[:4], _header(req, "x-slack-retry-reason")[:32])
            return BoltResponse(status=200, body="")
        if event_id:  # bolt acknowledges an event before its listener runs
            acknowledged.add(event_id)
        await next()  # bolt's async next() only marks the chain to go on
        return resp

    # Sent only for views opened with notify_on_close; nothing to do, but never a 404.
    @app.view_closed(re.compile(".*"))
    async def _closed(ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        log.info("event=slack.view_closed callback=%s user=%s",
                 text(body, "view", "callback_id")[:64], text(body, "user", "id"))
