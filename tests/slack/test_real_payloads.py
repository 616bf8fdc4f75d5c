"""Payloads Slack really sends, copied from Slack's own SDK test fixtures
(tests/data/slack_payloads, README there names each source), fed to the running bot over
signed HTTP. Only the ids the bot owns are adapted (its users, channels, the view it opened,
its action ids). Each is answered 200 within Slack's 3 seconds, does what it should, and a
retry of it counts nothing twice.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import func, select

from bot.demo.emulator.requests import TEAM, interactive
from bot.slack_ui.blocks import CONFIRM_VALUE
from bot.slack_ui.home import HOME_SUBMIT_ACTION
from storage.models import AuditEvent, OutboxMessage, Submission, Vote
from tests.conftest import LEADS, Running
from tests.curation_support import open_test_cycle, posted_card, settled

DATA = Path(__file__).resolve().parents[1] / "data" / "slack_payloads"
ACK_SECONDS = 3.0
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


def ours(payload: dict[str, Any], user: str) -> dict[str, Any]:
    """The payload in the bot's workspace: its team, one of its members."""
    p = copy.deepcopy(payload)
    if isinstance(p.get("team"), dict):
        p["team"] = {**p["team"], "id": TEAM["id"], "domain": TEAM["domain"]}
    if "team_id" in p:
        p["team_id"] = TEAM["id"]
    if isinstance(p.get("user"), dict):
        p["user"] = {**p["user"], "id": user, "team_id": TEAM["id"]}
    return p


async def timed_post(running: Running, body: bytes, *, json_body: bool = False,
                     headers: dict[str, str] | None = None) -> tuple[int, str]:
    extra = {"Content-Type": "application/json"} if json_body else {}
    started = time.monotonic()
    status, text = await running.sender.post(body, headers={**extra, **(headers or {})})
    assert time.monotonic() - started < ACK_SECONDS
    return status, text


def event(name: str, **changes: Any) -> bytes:
    """An Events API delivery from the fixtures, in the bot's workspace, sent as now."""
    body = fixture(name)
    body["team_id"] = TEAM["id"]
    body["event_time"] = int(time.time())
    body["event"] = {**body["event"], **changes}
    return json.dumps(body).encode()


async def outbox_count(running: Running) -> int:
    async with running.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)


# ---- slash command, then the modal submitted with every input type the form has -----------

def slash(text: str, user: str, running: Running) -> bytes:
    fields = dict(parse_qsl((DATA / "slash_command.txt").read_text()))
    fields.update(command=running.bot.settings.slack_command, text=text, user_id=user,
                  user_name=user.lower(), team_id=TEAM["id"], team_domain=TEAM["domain"],
                  channel_id="C0GENERAL", response_url=running.slack.new_response_url())
    return urlencode(fields).encode()


def state_for(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """view.state as Slack builds it for the bot's own form: one value per input element, in
    the shape real payloads carry for that element type (fixtures: plain_text_input in
    view_submission.json, static_select in block_actions_modal.json)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, answer = element["type"], answers.get(block["block_id"])
        if kind in ("plain_text_input", "email_text_input", "url_text_input"):
            value: dict[str, Any] = {"type": kind, "value": answer}
        elif kind == "static_select":
            chosen = next((o for o in element.get("options", []) if o["value"] == answer), None)
            value = {"type": kind, "selected_option": chosen}
        elif kind == "checkboxes":
            chosen_all = [o for o in element.get("options", []) if o["value"] in (answer or [])]
            value = {"type": kind, "selected_options": chosen_all}
        else:
            raise AssertionError(f"the form has an input this test does not know: {kind}")
        values[block["block_id"]] = {element["action_id"]: value}
    return {"values": values}


async def test_slash_command_then_view_submission(running: Running) -> None:
    await open_test_cycle(running)
    status, _ = await timed_post(running, slash("submit", "UMEMBER1", running))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    opened = running.slack.calls_to("views.open")[-1].params["view"]
    view_id = next(iter(running.slack.views))
    kinds = {b["element"]["type"] for b in opened["blocks"] if b.get("type") == "input"}
    assert {"plain_text_input", "static_select", "checkboxes"} <= kinds
    answers = {
        "title": "Depth from a single plate, in production", "focus_area": "content_creation",
        "abstract": "We ran monocular depth on 300 shots & compared <against> lidar.",
        "results": "Good on wide shots, poor on hair.", "studio": "Example Studio",
        "email": "member@example.org", "confirmation": [CONFIRM_VALUE], "networking": [],
    }
    body = ours(fixture("view_submission.json"), "UMEMBER1")
    body["view"].update(id=view_id, root_view_id=view_id, blocks=opened["blocks"],
                        callback_id=opened["callback_id"],
                        private_metadata=opened.get("private_metadata", ""),
                        state=state_for(opened, answers), title=opened["title"])
    status, text = await timed_post(running, interactive(body))
    assert status == 200, text
    # Slack does not retry a view_submission, but a person double-submits: still one talk.
    status, _ = await timed_post(running, interactive(body), headers=RETRY)
    assert status == 200
    await running.settle()
    async with running.db.session() as session:
        subs = (await session.scalars(select(Submission))).all()
    assert len(subs) == 1
    assert subs[0].abstract == answers["abstract"]
    assert len(running.slack.channel_messages(LEADS)) == 1


async def test_help_answers_in_time(running: Running) -> None:
    status, text = await timed_post(running, slash("help", "UMEMBER1", running))
    assert status == 200
    assert "submit" in text or any("submit" in str(r) for r in running.slack.responses)


# ---- block_actions from a message, an ephemeral, a modal and the Home tab ------------------

async def test_block_action_on_the_card_counts_once(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    card = next(m for m in running.slack.channel_messages(LEADS) if m["ts"] == ts)
    button = next(e for b in card["blocks"] if b["type"] == "actions"
                  for e in b["elements"] if e["action_id"] == "vote_yes")
    block_id = next(b.get("block_id", "") for b in card["blocks"] if b["type"] == "actions"
                    and button in b["elements"])
    body = ours(fixture("block_actions_message.json"), "ULEAD1")
    body["container"].update(message_ts=ts, channel_id=LEADS)
    body["channel"] = {"id": LEADS, "name": "wgml-leads"}
    body["message"].update(ts=ts, blocks=card["blocks"], text=card["text"])
    body["actions"] = [{**body["actions"][0], "action_id": "vote_yes", "block_id": block_id,
                        "value": button["value"], "text": button["text"]}]
    body["response_url"] = running.slack.new_response_url()
    for headers in (None, RETRY, {**RETRY, "X-Slack-Retry-Num": "2"}):
        status, _ = await timed_post(running, interactive(body), headers=headers)
        assert status == 200
    await settled(running)
    async with running.db.session() as session:
        votes = (await session.scalars(select(Vote).where(Vote.submission_id == sid))).all()
        cast = await session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "vote.cast"))
    assert [(v.voter, v.value) for v in votes] == [("ULEAD1", "yes")]
    assert cast == 1


@pytest.mark.parametrize("name", ["block_actions_ephemeral.json", "block_actions_modal.json"])
async def test_block_actions_nobody_handles_are_acknowledged(
        running: Running, name: str, caplog: pytest.LogCaptureFixture) -> None:
    before = await outbox_count(running)
    with caplog.at_level(logging.INFO):
        status, _ = await timed_post(running, interactive(ours(fixture(name), "UMEMBER1")))
    assert status == 200
    assert await outbox_count(running) == before
    assert "slack.unknown_action" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_home_tab_button_opens_the_form(running: Running) -> None:
    await open_test_cycle(running)
    body = ours(fixture("block_actions_home.json"), "UMEMBER1")
    body["view"]["id"] = body["container"]["view_id"] = "VHOMEUMEMBER1"
    body["actions"] = [{**body["actions"][0], "action_id": HOME_SUBMIT_ACTION,
                        "block_id": "home", "value": ""}]
    status, _ = await timed_post(running, interactive(body))
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    assert len(running.slack.calls_to("views.open")) == 1


async def test_view_closed_is_acknowledged(running: Running) -> None:
    status, _ = await timed_post(running, interactive(ours(fixture("view_closed.json"),
                                                           "UMEMBER1")))
    assert status == 200
    assert await outbox_count(running) == 0


# ---- Events API ----------------------------------------------------------------------------

async def test_app_home_opened_home_tab_and_messages_tab(running: Running) -> None:
    status, _ = await timed_post(running, event("app_home_opened_messages.json",
                                                user="UMEMBER1", channel="DMEMBER1"),
                                 json_body=True)
    assert status == 200
    body = event("app_home_opened_messages.json", user="UMEMBER1", channel="DMEMBER1",
                 tab="home")
    status, _ = await timed_post(running, body, json_body=True)
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.publish"))
    # Slack's retry of that same delivery (same event_id): the view is not published again.
    status, _ = await timed_post(running, body, json_body=True, headers=RETRY)
    assert status == 200
    await settled(running)
    assert len(running.slack.calls_to("views.publish")) == 1


@pytest.mark.parametrize("name", [
    "message_changed.json", "message_deleted.json", "message_thread_broadcast.json",
    "message_bot_message.json", "message_from_bot.json", "message_from_user.json",
])
async def test_message_events_are_acknowledged_and_change_nothing(
        running: Running, name: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        for headers in (None, RETRY):
            status, _ = await timed_post(running, event(name), json_body=True, headers=headers)
            assert status == 200
    await settled(running)
    assert await outbox_count(running) == 0
    assert not running.slack.calls_to("chat.postMessage")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_url_verification_answers_the_challenge(running: Running) -> None:
    body = fixture("url_verification.json")
    status, text = await timed_post(running, json.dumps(body).encode(), json_body=True)
    assert status == 200
    assert body["challenge"] in text


async def test_app_rate_limited_is_acknowledged_and_logged(
        running: Running, caplog: pytest.LogCaptureFixture) -> None:
    body = {**fixture("app_rate_limited.json"), "team_id": TEAM["id"]}
    with caplog.at_level(logging.WARNING):
        status, _ = await timed_post(running, json.dumps(body).encode(), json_body=True)
    assert status == 200
    assert "slack.app_rate_limited" in caplog.text
