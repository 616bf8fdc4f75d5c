"""HTTP mode: `POST /slack/events` for Slack and `GET /healthz` for load balancers."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.app.payload_shape import unroutable
from handlers.slack.curation import QuickRoute
from storage.db import Database
from storage.schema import schema_problem

log = logging.getLogger("wgml.web")

MAX_BODY = 256 * 1024  # Slack's payloads are a few KB; anything near this is not Slack.
MAX_AGE = 60 * 5
SCHEMA_CHECK_SECONDS = 10.0  # /healthz asks the schema's revision at most this often


class SchemaGate:
    """Whether the database's schema is this code's, asked again after a few seconds."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.problem: str | None = None
        self.checked_at: float | None = None

    async def check(self) -> str | None:
        now = time.monotonic()
        if self.checked_at is None or now - self.checked_at >= SCHEMA_CHECK_SECONDS:
            self.problem = await schema_problem(self.db)
            self.checked_at = now
        return self.problem


def valid_signature(secret: bytes, body: bytes, timestamp: str, signature: str) -> bool:
    """Slack's v0 signature over the raw bytes (which need not be valid UTF-8)."""
    if not signature.startswith("v0=") or len(signature) != 67:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret, base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def interaction_payload(raw: bytes) -> dict[str, Any] | None:
    """The JSON of an interaction (`payload=...`, form-encoded), or None when not one."""
    if not raw.startswith(b"payload="):
        return None
    try:
        values = parse_qs(raw.decode("utf-8"), max_num_fields=4).get("payload") or []
        payload = json.loads(values[0]) if len(values) == 1 else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None  # bolt then answers it (400)
    return payload if isinstance(payload, dict) else None


def build_web_app(app: AsyncApp, db: Database, signing_secret: str | None,
                  quick: QuickRoute | None = None) -> web.Application:
    secret_bytes = signing_secret.encode() if signing_secret else b""
    schema = SchemaGate(db)

    async def quickly(raw: bytes, retry_header: str) -> web.Response | None:
        payload = interaction_payload(raw) if quick is not None else None
        try:
            work = quick(payload, retry_header) if quick is not None and payload else None
            if work is None:
                return None
            stored = await work
        except Exception:
            log.exception("event=slack.dispatch_error")
            return web.json_response({"error": "could not handle this request"}, status=400)
        if not stored:  # not acknowledged: Slack shows the person it did not go through
            return web.json_response({"error": "could not store this in time"}, status=503)
        return web.Response(status=200)  # what bolt's ack() answers

    async def slack_events(request: web.Request) -> web.Response:
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.warning("event=slack.too_large peer=%s", request.remote)
            return web.json_response({"error": "request too large"}, status=413)
        # Check the signature before parsing anything an attacker sent.
        if not secret_bytes:
            return web.json_response({"error": "signing secret not configured"}, status=401)
        ts = request.headers.get("X-Slack-Request-Timestamp", "")
        sig = request.headers.get("X-Slack-Signature", "")
        fresh = ts.isascii() and ts.isdigit() and len(ts) <= 12 and \
            abs(time.time() - int(ts)) <= MAX_AGE
        if not fresh:
            log.warning("event=slack.stale_or_bad_timestamp peer=%s", request.remote)
            return web.json_response({"error": "invalid or stale timestamp"}, status=401)
        if not valid_signature(secret_bytes, raw, ts, sig):
            log.warning("event=slack.bad_signature peer=%s", request.remote)
            return web.json_response({"error": "invalid signature"}, status=401)
        answered = await quickly(raw, request.headers.get("X-Slack-Retry-Num", ""))
        if answered is not None:
            return answered
        try:
            body = raw.decode("utf-8")
            bolt_request = AsyncBoltRequest(
                body=body, query=request.query_string,
                headers=dict(request.headers),
            )
        except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError,
                RecursionError) as exc:  # RecursionError: JSON nested deeper than Python goes
            log.warning("event=slack.malformed error=%s", type(exc).__name__)
            return web.json_response({"error": "malformed payload"}, status=400)
        if not isinstance(bolt_request.body, dict) or not bolt_request.body:
            return web.json_response({"error": "malformed payload"}, status=400)
        if (part := unroutable(bolt_request.body)) is not None:  # bolt would raise on it
            log.warning("event=slack.malformed error=unroutable part=%s", part)
            return web.json_response({"error": "malformed payload"}, status=400)
        try:
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception:
            # A listener bug must not turn into a 500 that makes Slack retry: log and answer.
            log.exception("event=slack.dispatch_error")
            return web.json_response({"error": "could not handle this request"}, status=400)
        if bolt_response.status >= 500:
            log.error("event=slack.listener_failed status=%s", bolt_response.status)
            return web.json_response({"error": "could not handle this request"}, status=400)
        return await to_aiohttp_response(bolt_response)

    async def healthz(request: web.Request) -> web.Response:
        try:
            await db.ping()
        except Exception as exc:
            return web.json_response(
                {"status": "unavailable", "database": type(exc).__name__}, status=503
            )
        # A separate step after the ping: reachable is not enough, the tables must be this
        # code's, or a load balancer sends traffic to a bot that fails every request.
        try:
            problem = await schema.check()
        except Exception as exc:
            return web.json_response(
                {"status": "unavailable", "database": type(exc).__name__}, status=503
            )
        if problem is not None:
            return web.json_response(
                {"status": "unavailable", "database": "schema", "reason": problem}, status=503
            )
        return web.json_response({"status": "ok", "database": "ok"})

    web_app = web.Application(client_max_size=MAX_BODY)
    web_app.router.add_post("/slack/events", slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app
