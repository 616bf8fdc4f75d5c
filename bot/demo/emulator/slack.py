"""A Slack Web API emulator: an HTTP server that answers like Slack and records every call.

Tests and `wgml-bot demo` point the real slack-sdk client at it through SLACK_API_URL.
It keeps channels' messages (so `chat.update` changes what a person would see), opens
modals, answers `conversations.members` with pagination, can inject 429/500 faults and
enforce a per-channel rate limit, and emulates Socket Mode (`apps.connections.open`
answering a ws:// URL, a hello, then envelopes the app must acknowledge). Blocks that break
Slack's Block Kit limits are refused as Slack refuses them (bot.demo.emulator.blockkit).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from aiohttp import WSMsgType, web

from bot.demo.emulator import conversations
from bot.demo.emulator.blockkit import MESSAGE_TEXT, block_errors, view_errors

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0WGML01"


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


def bound_port(site: web.TCPSite) -> int:
    """The port a TCPSite started on port 0 actually listens on."""
    server: Any = site._server
    return int(server.sockets[0].getsockname()[1])


class SlackEmulator:
    def __init__(self, *, token: str = "xoxb-emulator", members: dict[str, list[str]] | None = None,
                 page_size: int = 2, users: dict[str, dict[str, Any]] | None = None) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.members: dict[str, list[str]] = members or {}
        self.page_size = page_size
        self.users: dict[str, dict[str, Any]] = users or {}
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.ephemeral: list[dict[str, Any]] = []
        self.views: dict[str, dict[str, Any]] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        # What Slack refused (invalid_blocks, invalid_arguments, ...): a test can assert none.
        self.refused: list[dict[str, Any]] = []
        # response_url: key -> uses left (Slack allows 5 within 30 minutes); what was posted.
        self._response_urls: dict[str, int] = {}
        self.responses: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self.channel_rate: float | None = None  # posts per second per channel, when enforced
        self._last_post: dict[str, float] = {}
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._socket_clients: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.changed = asyncio.Event()
        # Calls that hang (a slow or dead Slack): method -> [apply_first, ...]. With
        # apply_first the call takes effect, then its answer never comes (a lost response).
        self.stalls: dict[str, list[bool]] = defaultdict(list)
        self.stalled = 0
        self._release = asyncio.Event()
        self.app_token_refusal: str | None = None  # see refuse_app_token
        # Tokens Slack no longer accepts (revoked, uninstalled): every method answers
        # invalid_auth, apps.connections.open for an app token too.
        self.refused_tokens: set[str] = set()
        # What conversations.info says of channels beyond the member lists' (private, the
        # bot a member): e.g. {"CANNOUNCE1": {"is_private": False, "is_member": True}}.
        self.channels: dict[str, dict[str, Any]] = {}
        # The token's scopes (None: every scope): Slack names them in the x-oauth-scopes
        # header of every answer, and methods needing one it lacks answer missing_scope.
        self.scopes: set[str] | None = None
        # Methods answered by modules beside this one: "conversations.create" -> handler.
        self.methods: dict[str, Any] = {}
        self.conversations = conversations.register(self, BOT_USER_ID)

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self, port: int = 0) -> SlackEmulator:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/response/{key}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = bound_port(site)
        return self

    async def stop(self) -> None:
        for ws in list(self._socket_clients):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- test helpers ----------------------------------------------------------------------
    def fail(self, method: str, status: int, *, count: int = 1, retry_after: int | None = None,
             error: str | None = None) -> None:
        """The next `count` calls of `method` answer `status` (429 with Retry-After, 500, ...)."""
        self.faults[method].append(Fault(status, count, retry_after, error))

    def stall(self, method: str, *, apply_first: bool = False, count: int = 1) -> None:
        """The next `count` calls of `method` hang until `release()` (then answer 500)."""
        self.stalls[method].extend([apply_first] * count)

    def release(self) -> None:
        self._release.set()

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def channel_messages(self, channel: str) -> list[dict[str, Any]]:
        return self.messages.get(channel, [])

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Wait until predicate() is true; the emulator wakes waiters on every call."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the emulator did not see the expected calls in time")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), timeout=min(remaining, 0.2))
            except TimeoutError:
                pass

    # ---- response_url -----------------------------------------------------------------------
    def new_response_url(self) -> str:
        """A response_url as Slack hands out with a slash command or a message action."""
        key = uuid.uuid4().hex
        self._response_urls[key] = 5
        return f"http://127.0.0.1:{self.port}/response/{key}"

    async def _respond(self, request: web.Request) -> web.Response:
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

    # ---- Socket Mode ---------------------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
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

    # ---- Web API ---------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {k: v for k, v in request.query.items()}
        raw = await request.read()
        if not raw:
            return params
        ctype = request.headers.get("Content-Type", "")
        if "json" in ctype:
            body = json.loads(raw)
            if isinstance(body, dict):
                params.update(body)
            return params
        for key, values in parse_qs(raw.decode(), keep_blank_values=True).items():
            value: Any = values[-1]
            if key in ("blocks", "view", "attachments") and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    pass
            params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await self._params(request)
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "invalid_form_data"})
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or params.get("token", "")
        self.calls.append(Call(method, params))
        self.changed.set()
        faults = self.faults.get(method)
        if faults:
            fault = faults[0]
            fault.count -= 1
            if fault.count <= 0:
                faults.pop(0)
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
            return web.json_response(
                {"ok": False, "error": fault.error or ("ratelimited" if fault.status == 429
                                                        else "internal_error")},
                status=fault.status, headers=headers,
            )
        stalls = self.stalls.get(method)
        if stalls:
            apply_first = stalls.pop(0)
            if apply_first and token == self.token:
                handler = getattr(self, "api_" + method.replace(".", "_"), None)
                if handler is not None:
                    handler(params)
            self.stalled += 1
            self.changed.set()
            await self._release.wait()
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if token in self.refused_tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method == "apps.connections.open":
            return self._connections_open(token)
        if token != self.token:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = self.methods.get(method) or getattr(
            self, "api_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        result = handler(params)
        if isinstance(result, web.Response):
            return result
        scopes_header: dict[str, str] | None = None
        if self.scopes is not None:
            scopes_header = {"x-oauth-scopes": ",".join(sorted(self.scopes))}
        return web.json_response({"ok": True, **result} if "ok" not in result else result,
                                 headers=scopes_header)

    def refuse_app_token(self, error: str = "token_revoked") -> None:
        """From now on apps.connections.open refuses the app token with `error` (a token
        revoked on Slack's side: invalid_auth, not_authed, token_revoked, ...)."""
        self.app_token_refusal = error

    def _connections_open(self, token: str) -> web.Response:
        # Slack takes only an app-level token here (xapp-), in the Authorization header.
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        if not token.startswith("xapp-"):
            return web.json_response({"ok": False, "error": "not_allowed_token_type"})
        if self.app_token_refusal:
            return web.json_response({"ok": False, "error": self.app_token_refusal})
        return web.json_response({"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"})

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def api_auth_test(self, p: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://wgml.slack.com/", "team": "WGML", "user": "wgml-bot",
                "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}

    def api_views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = p.get("view")
        invalid = self._invalid_view(view, "modal")
        if invalid is not None:
            return invalid
        view_id = "V" + uuid.uuid4().hex[:10].upper()
        self.views[view_id] = {"id": view_id, **(view or {})}
        return {"view": self.views[view_id]}

    def _invalid_view(self, view: Any, surface: str) -> dict[str, Any] | None:
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

    def _invalid_message(self, p: dict[str, Any]) -> dict[str, Any] | None:
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

    def api_views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        view = p.get("view")
        invalid = self._invalid_view(view, "modal")
        if invalid is not None:
            return invalid
        view_id = p.get("view_id") or ""
        self.views[view_id] = {"id": view_id, **(view or {})}
        return {"view": self.views[view_id]}

    def api_views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        user = p.get("user_id", "")
        invalid = self._invalid_view(p.get("view"), "home")
        if invalid is not None:
            return invalid
        self.home_views[user] = p.get("view") or {}
        return {"view": {"id": "VHOME" + user, **self.home_views[user]}}

    def _rate_limited(self, channel: str) -> web.Response | None:
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

    def api_chat_postMessage(self, p: dict[str, Any]) -> dict[str, Any] | web.Response:
        channel = p.get("channel") or ""
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not p.get("text") and not p.get("blocks"):
            return {"ok": False, "error": "no_text"}
        if (invalid := self._invalid_message(p)) is not None:
            return invalid
        limited = self._rate_limited(channel)
        if limited is not None:
            return limited
        if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
            channel = "D" + channel[1:]
        ts = self._next_ts()
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
        self.messages[channel].append(message)
        return {"channel": channel, "ts": ts, "message": message}

    def api_chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = p.get("channel") or "", p.get("ts") or ""
        if (invalid := self._invalid_message(p)) is not None:
            return invalid
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message["text"] = p.get("text", message["text"])
                message["blocks"] = p.get("blocks") or message["blocks"]
                message["edited"] = True
                return {"channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def api_chat_postEphemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        if (invalid := self._invalid_message(p)) is not None:
            return invalid
        self.ephemeral.append(dict(p))
        return {"message_ts": self._next_ts()}

    def api_conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        users = str(p.get("users", ""))
        return {"channel": {"id": "D" + users.split(",")[0][1:]}}

    def api_conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        """Newest first, as Slack answers; metadata only with include_all_metadata."""
        channel = p.get("channel", "")
        if channel not in self.messages and channel not in self.members:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(p.get("oldest") or 0)
        with_meta = str(p.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [m for m in reversed(self.messages.get(channel, []))
                 if float(m["ts"]) > oldest]
        start = int(p.get("cursor") or 0)
        limit = max(1, min(int(p.get("limit") or 100), 200))
        page = found[start:start + limit]
        if not with_meta:
            page = [{k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = start + limit < len(found)
        return {"messages": page, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def api_conversations_members(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel", "")
        if channel not in self.members:
            return {"ok": False, "error": "channel_not_found"}
        members = self.members[channel]
        start = int(p.get("cursor") or 0)
        limit = min(int(p.get("limit") or self.page_size), self.page_size)
        page = members[start:start + limit]
        nxt = str(start + limit) if start + limit < len(members) else ""
        return {"members": page, "response_metadata": {"next_cursor": nxt}}

    def api_conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel", "")
        if channel in self.channels:
            return {"channel": {"id": channel, "is_private": False, "is_member": True,
                                **self.channels[channel]}}
        if channel not in self.members:
            return {"ok": False, "error": "channel_not_found"}
        return {"channel": {"id": channel, "is_private": True, "is_member": True}}

    def api_users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        """A user the workspace knows: configured in `users`, a channel member, or the bot."""
        user = p.get("user", "")
        info = self.users.get(user)
        if info is None and user == BOT_USER_ID:
            info = {"name": "wgml-bot", "is_bot": True}
        if info is None and any(user in m for m in self.members.values()):
            info = {"name": user.lower()}
        if info is None:
            return {"ok": False, "error": "user_not_found"}
        return {"user": {"id": user, "is_bot": False, "deleted": False, **info}}
