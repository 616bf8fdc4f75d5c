"""Requests as Slack sends them to the bot: form-encoded, signed with the signing secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.mrkdwn import escape
from bot.slack_ui.blocks import BLOCKS, CONFIRM_VALUE, SUBMIT_CALLBACK

TEAM = {"id": "T0WGML01", "domain": "wgml"}


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def slash_command(user_id: str, text: str, *, command: str = "/wgml", user_name: str = "",
                  channel_id: str = "C0GENERAL",
                  response_url: str = "https://hooks.invalid/commands/1") -> bytes:
    """`text` is what the member types; Slack sends it with & < > as entities, as here."""
    return urlencode({
        "token": "deprecated", "team_id": TEAM["id"], "team_domain": TEAM["domain"],
        "channel_id": channel_id, "channel_name": "general", "user_id": user_id,
        "user_name": user_name or user_id.lower(), "command": command, "text": escape(text),
        "api_app_id": "AEMULATOR", "response_url": response_url,
        "trigger_id": f"{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:12]}",
    }).encode()


def interactive(payload: dict[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def modal_state(*, title: str = "", focus_area: str | None = None, abstract: str = "",
                results: str = "", studio: str = "", email: str = "", confirmed: bool = True,
                opt_out: bool = False) -> dict[str, Any]:
    def plain(block: str, value: str) -> dict[str, Any]:
        return {block: {BLOCKS[block][0]: {"type": "plain_text_input", "value": value or None}}}

    values: dict[str, Any] = {}
    for block, value in (("title", title), ("abstract", abstract), ("results", results),
                         ("studio", studio)):
        values.update(plain(block, value))
    values["email"] = {BLOCKS["email"][0]: {"type": "email_text_input", "value": email or None}}
    values["focus_area"] = {BLOCKS["focus_area"][0]: {
        "type": "static_select",
        "selected_option": {"value": focus_area, "text": {"type": "plain_text", "text": "x"}}
        if focus_area else None,
    }}
    values["confirmation"] = {BLOCKS["confirmation"][0]: {
        "type": "checkboxes",
        "selected_options": [{"value": CONFIRM_VALUE}] if confirmed else [],
    }}
    values["networking"] = {BLOCKS["networking"][0]: {
        "type": "checkboxes",
        "selected_options": [{"value": "no_introductions"}] if opt_out else [],
    }}
    return {"values": values}


def view_submission(user_id: str, view_id: str, state: dict[str, Any], *,
                    user_name: str = "", callback_id: str = SUBMIT_CALLBACK,
                    private_metadata: str = "") -> bytes:
    """A form submitted; `callback_id` and `private_metadata` as the opened view had them
    (the edit form: EDIT_CALLBACK and the talk's ref)."""
    return interactive({
        "type": "view_submission",
        "team": TEAM,
        "user": {"id": user_id, "username": user_name or user_id.lower(),
                 "name": user_name or user_id.lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "view": {"id": view_id, "type": "modal", "callback_id": callback_id,
                 "team_id": TEAM["id"], "state": state, "hash": uuid.uuid4().hex,
                 "private_metadata": private_metadata},
    })


def block_action(user_id: str, action_id: str, value: str, *, channel: str, message_ts: str,
                 block_id: str = "b") -> bytes:
    return interactive({
        "type": "block_actions",
        "team": TEAM,
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR",
        "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "channel": {"id": channel, "name": "wgml-leads"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel},
        "message": {"ts": message_ts, "type": "message"},
        "response_url": "https://hooks.invalid/actions/1",
        "actions": [{"action_id": action_id, "block_id": block_id, "value": value,
                     "type": "button", "action_ts": str(time.time())}],
    })


def ephemeral_action(user_id: str, action_id: str, value: str, *, block_id: str,
                     response_url: str, action_ts: str | None = None,
                     message_ts: str = "1.000001") -> bytes:
    """A button pressed on an ephemeral message (an answer to a slash command): Slack sends
    the container marked ephemeral, no `message`, and the answer's response_url."""
    return interactive({
        "type": "block_actions", "team": TEAM,
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "channel": {"id": "C0GENERAL", "name": "general"},
        "container": {"type": "message", "message_ts": message_ts, "channel_id": "C0GENERAL",
                      "is_ephemeral": True},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": block_id, "value": value,
                     "type": "button", "action_ts": action_ts or str(time.time())}],
    })


def event_callback(event: dict[str, Any]) -> bytes:
    """An Events API delivery (JSON, as Slack sends events), e.g. app_home_opened."""
    return json.dumps({
        "token": "deprecated", "team_id": TEAM["id"], "api_app_id": "AEMULATOR",
        "type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()), "event": event,
        "authorizations": [{"team_id": TEAM["id"], "user_id": "UBOT0001", "is_bot": True}],
    }).encode()


def home_opened(user_id: str, tab: str = "home") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user_id, "channel": "D" + user_id[1:],
            "tab": tab, "event_ts": str(time.time())}


def home_action(user_id: str, action_id: str, value: str = "") -> bytes:
    """A button pressed in the App Home tab (a view container, no channel)."""
    return interactive({
        "type": "block_actions", "team": TEAM,
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "container": {"type": "view", "view_id": "VHOME" + user_id},
        "view": {"id": "VHOME" + user_id, "type": "home"},
        "actions": [{"action_id": action_id, "block_id": "home", "value": value,
                     "type": "button", "action_ts": str(time.time())}],
    })


class SlackSender:
    """Sends signed requests to the bot's `POST /slack/events` as Slack would."""

    def __init__(self, events_url: str, signing_secret: str,
                 response_urls: Callable[[], str] | None = None) -> None:
        self.url = events_url
        self.secret = signing_secret
        # Where a command's response_url points: the emulator's (SlackEmulator.new_response_url)
        # so the bot's answers there are checked and recorded like any other call.
        self.response_urls = response_urls
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self._session.close()

    async def post(self, body: bytes, *, headers: dict[str, str] | None = None,
                   signed: bool = True, timestamp: int | None = None) -> tuple[int, str]:
        all_headers = sign(self.secret, body, timestamp) if signed else {
            "Content-Type": "application/x-www-form-urlencoded"}
        all_headers.update(headers or {})
        async with self._session.post(self.url, data=body, headers=all_headers) as resp:
            return resp.status, await resp.text()

    async def command(self, user_id: str, text: str, *, command: str = "/wgml",
                      user_name: str = "", channel_id: str = "C0GENERAL") -> tuple[int, str]:
        extra = {"response_url": self.response_urls()} if self.response_urls else {}
        return await self.post(slash_command(user_id, text, command=command,
                                             user_name=user_name, channel_id=channel_id,
                                             **extra))

    async def submit_view(self, user_id: str, view_id: str, *, user_name: str = "",
                          callback_id: str = SUBMIT_CALLBACK, private_metadata: str = "",
                          **fields: Any) -> tuple[int, str]:
        return await self.post(view_submission(user_id, view_id, modal_state(**fields),
                                               user_name=user_name, callback_id=callback_id,
                                               private_metadata=private_metadata))

    async def home_press(self, user_id: str, action_id: str, value: str = "") -> tuple[int, str]:
        return await self.post(home_action(user_id, action_id, value))

    async def event(self, event: dict[str, Any]) -> tuple[int, str]:
        return await self.post(event_callback(event),
                               headers={"Content-Type": "application/json"})

    async def press(self, user_id: str, action_id: str, value: str, *, channel: str,
                    message_ts: str, retry_num: int | None = None) -> tuple[int, str]:
        headers = {"X-Slack-Retry-Num": str(retry_num),
                   "X-Slack-Retry-Reason": "http_timeout"} if retry_num else None
        return await self.post(block_action(user_id, action_id, value, channel=channel,
                                            message_ts=message_ts), headers=headers)
