"""Socket Mode as Slack runs it: `apps.connections.open` answers a ws:// URL for an app-level
token, the socket says hello, then carries envelopes the app must acknowledge."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import WSMsgType, web


class SocketModeSide:
    port: int
    changed: asyncio.Event

    def __init__(self) -> None:
        self._socket_clients: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.app_token_refusal: str | None = None  # see refuse_app_token

    def refuse_app_token(self, error: str = "token_revoked") -> None:
        """From now on apps.connections.open refuses the app token with `error` (a token
        revoked on Slack's side: invalid_auth, not_authed, token_revoked, ...)."""
        self.app_token_refusal = error

    def connections_open(self, token: str) -> web.Response:
        # Slack takes only an app-level token here (xapp-), in the Authorization header.
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        if not token.startswith("xapp-"):
            return web.json_response({"ok": False, "error": "not_allowed_token_type"})
        if self.app_token_refusal:
            return web.json_response({"ok": False, "error": self.app_token_refusal})
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})

    async def socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._socket_clients.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "AEMULATOR"}})
        self.changed.set()
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    env_id = data.get("envelope_id")
                    fut = self._acks.pop(env_id, None) if env_id else None
                    if fut is not None and not fut.done():
                        fut.set_result(data.get("payload") or {})
        finally:
            if ws in self._socket_clients:
                self._socket_clients.remove(ws)
        return ws

    async def close_sockets(self) -> None:
        for ws in list(self._socket_clients):
            await ws.close()

    @property
    def socket_connected(self) -> bool:
        return bool(self._socket_clients)

    async def send_envelope(self, kind: str, payload: dict[str, Any],
                            timeout: float = 5.0) -> dict[str, Any]:
        """Push an envelope (slash_commands, interactive, events_api); return the app's ack."""
        if not self._socket_clients:
            raise RuntimeError("no Socket Mode client is connected")
        env_id = str(uuid.uuid4())
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._acks[env_id] = fut
        await self._socket_clients[-1].send_json({
            "envelope_id": env_id, "type": kind, "payload": payload,
            "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
        })
        return await asyncio.wait_for(fut, timeout)
