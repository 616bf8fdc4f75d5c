"""Notes and recusal on the card, through signed requests to the running bot (HTTP and
Socket Mode), checked against what Slack was sent, the database and the export."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs

import pytest

from bot.curation.ack import drain_presses
from bot.demo.emulator.requests import TEAM, block_action, interactive
from bot.slack_ui.note_modal import NOTE_BLOCK, NOTE_CALLBACK, NOTE_INPUT
from bot.talks.export import export_data
from storage.db import Database
from tests.conftest import LEADS, Running
from tests.curation_support import (
    card_json,
    card_votes,
    db_votes,
    exported,
    open_test_cycle,
    posted_card,
    press,
    settled,
)


async def recuse(running: Running, user: str, sid: int, ts: str) -> None:
    await press(running, user, "toggle", sid, ts, action_id="recuse_toggle",
                value=f"{sid}:toggle")
    await settled(running)


def note_submission(user: str, sid: int | str, text: str, view_id: str | None = None
                    ) -> bytes:
    return interactive({
        "type": "view_submission", "team": TEAM,
        "user": {"id": user, "username": user.lower(), "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": "1.x",
        "view": {"id": view_id or f"V{uuid.uuid4().hex[:10].upper()}", "type": "modal",
                 "callback_id": NOTE_CALLBACK, "team_id": TEAM["id"],
                 "private_metadata": str(sid), "hash": "h",
                 "state": {"values": {NOTE_BLOCK: {NOTE_INPUT: {
                     "type": "plain_text_input", "value": text}}}}},
    })


def ephemerals_to(running: Running, user: str) -> list[str]:
    return [str(e.get("text", "")) for e in running.slack.ephemeral if e.get("user") == user]


async def test_recusal_removes_the_vote_shows_on_the_card_and_toggles_back(
        running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await press(running, "ULEAD1", "yes", sid, ts)
    await press(running, "ULEAD2", "no", sid, ts)
    await settled(running)
    await recuse(running, "ULEAD1", sid, ts)
    assert await db_votes(running, sid) == {"ULEAD2": "no"}
    assert card_votes(running, ts) == {"ULEAD2": "no"}
    assert "*Recused*: <@ULEAD1>" in card_json(running, ts)
    assert (await exported(running, sid))["recused"] == ["ULEAD1"]
    assert any("recused yourself" in t for t in ephemerals_to(running, "ULEAD1"))

    # A recused leader's vote is not counted, and they are told why.
    await press(running, "ULEAD1", "maybe", sid, ts)
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD2": "no"}
    assert any("not counted" in t for t in ephemerals_to(running, "ULEAD1"))

    # Pressing again steps back in; the vote counts once cast.
    await recuse(running, "ULEAD1", sid, ts)
    assert "Recused" not in card_json(running, ts)
    assert (await exported(running, sid))["recused"] == []
    await press(running, "ULEAD1", "maybe", sid, ts)
    await settled(running)
    assert await db_votes(running, sid) == {"ULEAD1": "maybe", "ULEAD2": "no"}


async def test_a_replayed_older_recuse_press_changes_nothing(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    captured = block_action("ULEAD3", "recuse_toggle", f"{sid}:toggle", channel=LEADS,
                            message_ts=ts)
    status, _ = await running.sender.post(captured)
    assert status == 200
    await drain_presses()
    await recuse(running, "ULEAD3", sid, ts)  # a newer press: back in
    for headers in (None, {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}):
        status, _ = await running.sender.post(captured, headers=headers)
        assert status == 200
        await drain_presses()
    await settled(running)
    assert (await exported(running, sid))["recused"] == []


async def test_only_leaders_may_recuse_or_note(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    await recuse(running, "UOUTSIDE9", sid, ts)
    status, _ = await running.sender.press("UOUTSIDE9", "note_add", f"{sid}:add",
                                           channel=LEADS, message_ts=ts)
    assert status == 200
    # The note button's refusal is queued once the press is acknowledged: wait for it.
    await running.slack.wait_for(lambda: len(ephemerals_to(running, "UOUTSIDE9")) == 2)
    await settled(running)
    assert running.slack.calls_to("views.open") == []
    assert len(ephemerals_to(running, "UOUTSIDE9")) == 2
    # A forged note submission from a non-leader is refused on the field, and not kept.
    status, body = await running.sender.post(note_submission("UOUTSIDE9", sid, "sneaky"))
    assert status == 200 and json.loads(body)["response_action"] == "errors"
    assert (await exported(running, sid))["recused"] == []
    assert (await exported(running, sid))["notes"] == []


async def test_a_note_opens_a_modal_is_kept_posted_in_the_thread_and_exported(
        running: Running, db_url: str) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    status, _ = await running.sender.press("ULEAD2", "note_add", f"{sid}:add", channel=LEADS,
                                           message_ts=ts)
    assert status == 200
    await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
    [opened] = running.slack.calls_to("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == NOTE_CALLBACK and view["private_metadata"] == str(sid)
    assert opened.params["trigger_id"]
    assert running.slack.refused == []

    text = "Strong results, <!channel> but & ask about scale"
    view_id = "VNOTE00001"
    for _ in range(2):  # Slack sending the submission twice keeps one note
        status, body = await running.sender.post(note_submission("ULEAD2", sid, text, view_id))
        assert status == 200 and body in ("", "{}"), body
    await settled(running)
    thread = [m for m in running.slack.channel_messages(LEADS) if m.get("thread_ts") == ts]
    assert len(thread) == 1
    assert "<@ULEAD2> noted" in thread[0]["text"] and "&lt;!channel&gt;" in thread[0]["text"]
    assert "<!channel>" not in thread[0]["text"]

    # Kept across a restart: a new connection to the same database.
    fresh = Database(db_url)
    try:
        async with fresh.session() as session:
            data = await export_data(session)
    finally:
        await fresh.dispose()
    [sub] = [s for s in data["submissions"] if s["id"] == sid]
    assert [(n["by"], n["text"]) for n in sub["notes"]] == [("ULEAD2", text)]
    assert sub["notes"][0]["at"]

    # In the review (leaders), never in anything the speaker or a member sees.
    status, body = await running.sender.command("ULEAD1", "review")
    assert status == 200 and "ask about scale" in body
    status, body = await running.sender.command("UMEMBER1", "mine")
    assert status == 200 and "ask about scale" not in body
    status, body = await running.sender.command("UMEMBER1", "find scale")
    assert "ask about scale" not in body
    speaker_dm = json.dumps(running.slack.channel_messages("DMEMBER1"))
    assert "ask about scale" not in speaker_dm


async def test_empty_or_too_long_notes_are_refused_on_the_field(running: Running) -> None:
    await open_test_cycle(running)
    sid, _ts = await posted_card(running)
    for text in ("   ", "x" * 2001):
        status, body = await running.sender.post(note_submission("ULEAD1", sid, text))
        assert status == 200
        answer = json.loads(body)
        assert answer["response_action"] == "errors" and NOTE_BLOCK in answer["errors"]
    _status, body = await running.sender.post(note_submission("ULEAD1", "12abc", "hello"))
    assert json.loads(body)["response_action"] == "errors"
    assert (await exported(running, sid))["notes"] == []


@asynccontextmanager
async def socket_mode(running: Running) -> AsyncIterator[None]:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(running.bot.app, "xapp-1-test",
                                     web_client=running.bot.client)
    await handler.connect_async()
    try:
        await running.slack.wait_for(lambda: running.slack.socket_connected)
        yield
    finally:
        await handler.close_async()


def envelope(raw: bytes) -> dict[str, Any]:
    return dict(json.loads(parse_qs(raw.decode())["payload"][0]))


async def test_note_and_recuse_work_over_socket_mode(running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    async with socket_mode(running):
        await running.slack.send_envelope("interactive", envelope(block_action(
            "ULEAD1", "recuse_toggle", f"{sid}:toggle", channel=LEADS, message_ts=ts)))
        await running.slack.send_envelope("interactive", envelope(block_action(
            "ULEAD2", "note_add", f"{sid}:add", channel=LEADS, message_ts=ts)))
        await running.slack.wait_for(lambda: running.slack.calls_to("views.open"))
        await running.slack.send_envelope("interactive", envelope(note_submission(
            "ULEAD2", sid, "over the socket")))
        await running.slack.wait_for(lambda: any(
            m.get("thread_ts") == ts for m in running.slack.channel_messages(LEADS)), 10)
        await settled(running)
    sub = await exported(running, sid)
    assert sub["recused"] == ["ULEAD1"]
    assert [n["text"] for n in sub["notes"]] == ["over the socket"]


@pytest.fixture
def settings(settings: Any) -> Any:
    # ULEAD2 works at the speaker's studio (the test talk says "Example Studio").
    return settings.model_copy(update={"leader_studios": "ULEAD2=example  studio;ULEAD3=Other"})


async def test_recusal_is_suggested_to_a_leader_of_the_speakers_studio(
        running: Running) -> None:
    await open_test_cycle(running)
    sid, ts = await posted_card(running)
    blocks = card_json(running, ts)
    assert "Same studio as the speaker: <@ULEAD2>" in blocks
    assert "<@ULEAD3>" not in blocks
    await recuse(running, "ULEAD2", sid, ts)
    blocks = card_json(running, ts)
    assert "Same studio" not in blocks and "*Recused*: <@ULEAD2>" in blocks
