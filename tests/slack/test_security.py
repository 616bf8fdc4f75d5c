"""Forged, stale and malformed requests: a clear 4xx, nothing stored, the service still up."""

from __future__ import annotations

import json
import time

import aiohttp
from sqlalchemy import func, select

from bot.demo.emulator.requests import interactive, slash_command
from storage.models import Submission
from tests.conftest import Running


async def count_submissions(running: Running) -> int:
    async with running.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Submission)) or 0)


async def healthy(running: Running) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{running.base}/healthz") as resp:
        assert resp.status == 200
        assert (await resp.json())["status"] == "ok"


async def test_forged_signature_is_401(running: Running) -> None:
    body = slash_command("UMEMBER1", "submit")
    status, _ = await running.sender.post(
        body, headers={"X-Slack-Signature": "v0=" + "0" * 64})
    assert status == 401
    status, _ = await running.sender.post(body, signed=False)
    assert status == 401
    assert running.slack.calls_to("views.open") == []


async def test_signature_with_wrong_secret_is_401(running: Running) -> None:
    from bot.demo.emulator.requests import sign

    body = slash_command("UMEMBER1", "submit")
    headers = sign("not-the-secret", body)
    status, _ = await running.sender.post(body, headers=headers, signed=False)
    assert status == 401


async def test_stale_timestamp_is_401(running: Running) -> None:
    body = slash_command("UMEMBER1", "submit")
    status, _ = await running.sender.post(body, timestamp=int(time.time()) - 301)
    assert status == 401
    status, _ = await running.sender.post(body, timestamp=int(time.time()) + 3600)
    assert status == 401
    for bad in ("abc", "²", "１２３", "-1", ""):
        status, _ = await running.sender.post(body, headers={"X-Slack-Request-Timestamp": bad})
        assert status == 401, bad


async def test_malformed_payloads_never_500(running: Running) -> None:
    bodies = [
        b"payload=%7Bnot-json",
        b"payload=" + b"%5B1%2C2%5D",  # a JSON list, not an object
        b"payload=null",
        b"\xff\xfe\x00garbage",
        b"",
        interactive({"type": "view_submission"}),
        interactive({"type": "view_submission", "view": "not-a-dict", "user": 5}),
        interactive({"type": "view_submission", "user": {"id": "U1"},
                     "view": {"id": "V1", "callback_id": "wgml_submit",
                              "state": {"values": {"title": {"title_input": 7}}}}}),
        interactive({"type": "view_submission", "user": {"id": "U1"},
                     "view": {"id": "V2", "callback_id": "wgml_submit",
                              "state": {"values": []}}}),
        interactive({"type": "block_actions", "user": {"id": "U1"},
                     "actions": [{"action_id": "launch_missiles", "value": "1"}]}),
        interactive({"type": "block_actions", "user": {"id": "U1"}, "actions": "nope"}),
        interactive({"type": "shortcut", "callback_id": "nothing"}),
        b"command=%2Fwgml&text=submit",  # no user, no trigger
        b"command=%2Fwgml&text=" + b"A" * 5000 + b"&user_id=U1",
        json.dumps({"type": "event_callback", "event": {"type": "unknown"}}).encode(),
    ]
    for body in bodies:
        status, text = await running.sender.post(body)
        assert status < 500, (body[:60], status, text)
    assert await count_submissions(running) == 0
    await healthy(running)


async def test_huge_body_is_refused(running: Running) -> None:
    body = b"payload=" + b"x" * (2 * 1024 * 1024)
    status, _ = await running.sender.post(body)
    assert status == 413
    await healthy(running)


async def test_url_verification_challenge(running: Running) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"}).encode()
    status, text = await running.sender.post(body, headers={"Content-Type": "application/json"})
    assert status == 200 and "abc123" in text


async def test_healthz_reports_database(running: Running) -> None:
    await healthy(running)


async def test_hostile_vote_presses_never_500(running: Running) -> None:
    """Vote presses skip slack-bolt over HTTP (bot.app.web's quick route): what bolt turned into
    a 400 must not become a 500 there. X-Slack-Retry-Num is outside the signature, so anyone
    replaying a signed request chooses it; '²' passes str.isdigit() yet is no int()."""
    press = interactive({"type": "block_actions", "user": {"id": "ULEAD1"},
                         "actions": [{"action_id": "vote_yes", "value": "1:yes"}]})
    for retry in ("²", "¹", "١"):
        status, text = await running.sender.post(press, headers={"X-Slack-Retry-Num": retry})
        assert status < 500, (retry, status, text)
    for deep in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 20_000 + b"1" + b"}" * 20_000):
        status, text = await running.sender.post(b"payload=" + deep)
        assert status < 500, (deep[:10], status, text)
    await healthy(running)
