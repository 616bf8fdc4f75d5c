"""Socket Mode for `wgml-bot run`: a connection that gives way to SIGTERM, and an app token
Slack refuses answered with one line.

slack_sdk's SocketModeClient.connect() retries every 10 s, forever, whatever went wrong: a
revoked token looked like a network problem, and `run`, awaiting the connect, never reached
its wait for SIGTERM. Here the connect races the stop, and `apps.connections.open` answering
an error no retry can fix (at start or on a later reconnect) ends the service.
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("wgml.socket_mode")

# apps.connections.open errors that mean the app token itself is refused: retrying cannot help.
REFUSED = frozenset({
    "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive",
    "not_allowed_token_type", "missing_scope", "no_permission", "forbidden_team",
    "team_access_not_granted", "access_denied",
})
CLOSE_SECONDS = 5.0  # the most a stop waits for the WebSocket's goodbye


class SocketMode:
    def __init__(self, app: AsyncApp, app_token: str, web_client: AsyncWebClient) -> None:
        self.handler = AsyncSocketModeHandler(app, app_token, web_client=web_client)
        self.refused: str | None = None  # Slack's error when it refused the app token
        self._refused = asyncio.Event()
        client = self.handler.client
        sdk_issue = client.issue_new_wss_url

        async def issue_new_wss_url() -> str:
            try:
                resp = await client.web_client.apps_connections_open(app_token=app_token)
                return str(resp["url"])
            except SlackApiError as exc:
                error = exc.response.get("error") if exc.response is not None else None
                if error in REFUSED:
                    self.refused = str(error)
                    client.closed = True  # connect() then returns instead of retrying
                    self._refused.set()
                    raise
                if error == "ratelimited":
                    return await sdk_issue()  # the SDK waits out Retry-After
                raise

        client.issue_new_wss_url = issue_new_wss_url  # type: ignore[method-assign]

    @property
    def fix(self) -> str:
        """One line for the operator: what Slack said and how to fix it."""
        return (f"Slack refused SLACK_APP_TOKEN ({self.refused}): create an app-level token "
                "(xapp-...) with the connections:write scope on your app's Basic Information "
                "page and set SLACK_APP_TOKEN to it, or run with --http")

    async def connect(self, stop: asyncio.Event) -> bool:
        """Connect; False when a stop or a refusal came first."""
        log.info("event=service.connecting mode=socket")
        connect = asyncio.ensure_future(self.handler.connect_async())
        ended = asyncio.ensure_future(self._ended(stop))
        try:
            await asyncio.wait({connect, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
            if not connect.done():
                connect.cancel()
                # Bounded: a stop must not wait on a library's own cleanup.
                await asyncio.wait({connect}, timeout=CLOSE_SECONDS)
        return self.refused is None and not stop.is_set() and connect.done() \
            and not connect.cancelled() and connect.exception() is None

    async def wait(self, stop: asyncio.Event) -> None:
        """Until SIGTERM (the stop event) or Slack refusing the app token on a reconnect."""
        await self._ended(stop)

    async def _ended(self, stop: asyncio.Event) -> None:
        waits = {asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._refused.wait())}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def close(self) -> None:
        try:
            async with asyncio.timeout(CLOSE_SECONDS):
                await self.handler.close_async()
        except Exception as exc:  # the connection is being dropped anyway
            log.warning("event=socket_mode.close_failed error=%s", type(exc).__name__)
