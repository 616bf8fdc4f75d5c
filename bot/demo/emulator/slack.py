"""A Slack Web API emulator: an HTTP server that answers like Slack and records every call.

Tests and `wgml-bot demo` point the real slack-sdk client at it through SLACK_API_URL.
Every call is checked against Slack's published OpenAPI description first (spec.py: the
method exists, required arguments are there, no argument the method does not take, the
types Slack reads), then answered by the method's handler from the METHODS table below (one
module per family). It keeps channels' messages (so `chat.update` changes what a person would
see), opens modals, paginates `conversations.members`, can answer any exact error body a test
gives it (`fail`), enforce a per-channel rate limit, stall calls, and emulates Socket Mode
and response_urls. Blocks that break Block Kit limits are refused as Slack refuses them.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web

from bot.demo.emulator import channel_admin, chat, conversations, views, workspace
from bot.demo.emulator.blockkit import MESSAGE_TEXT
from bot.demo.emulator.response_url import ResponseUrls
from bot.demo.emulator.socket_mode import SocketModeSide
from bot.demo.emulator.spec import call_problems
from bot.demo.emulator.state import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Call,
    EmulatorState,
    Fault,
    Handler,
)

__all__ = ["BOT_ID", "BOT_USER_ID", "MESSAGE_TEXT", "METHODS", "TEAM_ID", "Call", "Fault",
           "SlackEmulator", "bound_port"]

# Method name -> handler(state, params). A new family of methods is a new module with its
# own METHODS table and one entry here.
METHODS: dict[str, Handler] = {
    **workspace.METHODS,
    **chat.METHODS,
    **conversations.METHODS,
    **views.METHODS,
}
# Arguments a form or query string carries as JSON text (decoded before the handler).
JSON_ARGUMENTS = ("blocks", "view", "attachments", "metadata")


def bound_port(site: web.TCPSite) -> int:
    """The port a TCPSite started on port 0 actually listens on."""
    server: Any = site._server
    return int(server.sockets[0].getsockname()[1])


class SlackEmulator(EmulatorState, SocketModeSide, ResponseUrls):
    def __init__(self, *, token: str = "xoxb-emulator", members: dict[str, list[str]] | None = None,
                 page_size: int = 2, users: dict[str, dict[str, Any]] | None = None) -> None:
        EmulatorState.__init__(self, members=members, page_size=page_size, users=users)
        SocketModeSide.__init__(self)
        ResponseUrls.__init__(self)
        self.token = token
        self.calls: list[Call] = []
        # Calls Slack's spec refuses: {"method", "problems"}; a test can assert there are none.
        self.spec_violations: list[dict[str, Any]] = []
        self.faults: dict[str, list[Fault]] = defaultdict(list)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.changed = asyncio.Event()
        # Calls that hang (a slow or dead Slack): method -> [apply_first, ...]. With
        # apply_first the call takes effect, then its answer never comes (a lost response).
        self.stalls: dict[str, list[bool]] = defaultdict(list)
        self.stalled = 0
        self._release = asyncio.Event()
        # Tokens Slack no longer accepts (revoked, uninstalled): every method answers
        # invalid_auth, apps.connections.open for an app token too.
        self.refused_tokens: set[str] = set()
        # The token's scopes (None: every scope): Slack names them in the x-oauth-scopes
        # header of every answer, and methods needing one it lacks answer missing_scope.
        self.scopes: set[str] | None = None
        # Methods answered by objects with their own state: "conversations.create" ->
        # handler(params) (bot.demo.emulator.channel_admin).
        self.methods: dict[str, Any] = {}
        self.conversations = channel_admin.register(self, BOT_USER_ID)

    # ---- lifecycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self, port: int = 0) -> SlackEmulator:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_get("/socket", self.socket)
        app.router.add_post("/response/{key}", self.respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = bound_port(site)
        return self

    async def stop(self) -> None:
        await self.close_sockets()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- test helpers ----------------------------------------------------------------------
    def fail(self, method: str, status: int = 200, *, count: int = 1,
             retry_after: int | None = None, error: str | None = None,
             body: dict[str, Any] | None = None) -> None:
        """The next `count` calls of `method` answer `status` (429 with Retry-After, 500, ...),
        with `body` exactly when given (an `ok: false` answer as Slack words it), else
        `{"ok": false, "error": error or ratelimited/internal_error}`."""
        self.faults[method].append(Fault(status, count, retry_after, error, body))

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

    # ---- Web API ---------------------------------------------------------------------------
    @staticmethod
    async def _params(request: web.Request) -> tuple[dict[str, Any], set[str]]:
        """The call's arguments (query, then form or JSON body) and the names that came in a
        JSON body, so typed: the spec check reads those as JSON values, the rest as text."""
        params: dict[str, Any] = {k: v for k, v in request.query.items()}
        typed: set[str] = set()
        raw = await request.read()
        if not raw:
            return params, typed
        if "json" in request.headers.get("Content-Type", ""):
            body = json.loads(raw)
            if isinstance(body, dict):
                params.update(body)
                typed.update(body)
            return params, typed
        for key, values in parse_qs(raw.decode(), keep_blank_values=True).items():
            params[key] = values[-1]
        return params, typed

    @staticmethod
    def _decoded(params: dict[str, Any]) -> dict[str, Any]:
        out = dict(params)
        for key in JSON_ARGUMENTS:
            if isinstance(out.get(key), str):
                try:
                    out[key] = json.loads(out[key])
                except ValueError:
                    pass
        return out

    def _fault(self, method: str) -> web.Response | None:
        faults = self.faults.get(method)
        if not faults:
            return None
        fault = faults[0]
        fault.count -= 1
        if fault.count <= 0:
            faults.pop(0)
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after else {}
        body = fault.body or {"ok": False, "error": fault.error or (
            "ratelimited" if fault.status == 429 else "internal_error")}
        return web.json_response(body, status=fault.status, headers=headers)

    def _spec_refusal(self, method: str, raw: dict[str, Any], typed: set[str]
                      ) -> web.Response | None:
        problems = call_problems(method, raw, typed)
        if problems is None:
            self.spec_violations.append({"method": method, "problems": ["unknown method"]})
            return web.json_response({"ok": False, "error": "unknown_method",
                                      "req_method": method})
        if not problems:
            return None
        self.spec_violations.append({"method": method, "problems": problems})
        self.refused.append({"error": "invalid_arguments", "errors": problems})
        return web.json_response({"ok": False, "error": "invalid_arguments",
                                  "response_metadata": {
                                      "messages": [f"[ERROR] {p}" for p in problems]}})

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            raw, typed = await self._params(request)
        except (ValueError, UnicodeDecodeError):
            return web.json_response({"ok": False, "error": "invalid_form_data"})
        params = self._decoded(raw)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip() or str(params.get("token", ""))
        self.calls.append(Call(method, params))
        self.changed.set()
        refusal = self._spec_refusal(method, raw, typed)
        faulted = self._fault(method)
        if faulted is not None:
            return faulted
        handler = METHODS.get(method)
        if method in self.methods:
            own = self.methods[method]
            handler = lambda _emu, p: own(p)  # noqa: E731
        stalls = self.stalls.get(method)
        if stalls:
            apply_first = stalls.pop(0)
            if apply_first and token == self.token and handler is not None and refusal is None:
                handler(self, params)
            self.stalled += 1
            self.changed.set()
            await self._release.wait()
            return web.json_response({"ok": False, "error": "internal_error"}, status=500)
        if token in self.refused_tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if refusal is not None:
            return refusal
        if method == "apps.connections.open":
            return self.connections_open(token)
        if token != self.token:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if handler is None:  # in Slack's spec, not emulated: a test asked for too much
            self.spec_violations.append({"method": method, "problems": ["not emulated"]})
            return web.json_response({"ok": False, "error": "unknown_method"})
        result = handler(self, params)
        if isinstance(result, web.Response):
            return result
        scopes_header: dict[str, str] | None = None
        if self.scopes is not None:
            scopes_header = {"x-oauth-scopes": ",".join(sorted(self.scopes))}
        return web.json_response({"ok": True, **result} if "ok" not in result else result,
                                 headers=scopes_header)
