"""The curation presses attacked as a malicious or broken Slack client would, through the
public HTTP interface only: a real `wgml-bot run --http` process against the Slack emulator,
signed requests. Each request gets a clear answer (an ephemeral, or an HTTP status Slack
accepts: 2xx, or 4xx for what Slack would never send), nothing is lost or changed that should
not be, an audit row stands where a change (or a refused attempt) happened, and the service's
log never holds a traceback."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.curation.said import Refusal
from bot.demo.emulator.requests import TEAM, SlackSender, interactive, sign
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import free_port
from bot.slack_ui.answers import answer_text
from bot.slack_ui.note_modal import NOTE_CALLBACK
from bot.talks.cycles import close_cycle
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    AuditEvent,
    Decision,
    LatePress,
    Note,
    Recusal,
    Submission,
    Vote,
)
from tests.app.test_service import service_env, start_service, stop_service, wait_healthy
from tests.conftest import LEADERS, LEADS, SECRET
from tests.sched_helpers import add_submission, new_cycle

LEADER = LEADERS[0]
PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "slack_payloads"
CARD_TS = "1700000000.000100"


@dataclass
class Served:
    sender: SlackSender
    slack: SlackEmulator
    db: Database
    cwd: Path
    talk: int  # open, in the open call
    other: int  # open, in the open call: another talk's id
    closed_call: int  # open, in a call that was closed
    hidden: int  # waiting for its speaker's confirmation


@pytest.fixture
async def served(db_url: str, slack: SlackEmulator, settings: Settings, tmp_path: Path
                 ) -> AsyncIterator[Served]:
    db = Database(db_url)
    await upgrade(db)
    now = dt.datetime.now(dt.UTC)
    day = dt.timedelta(days=1)
    open_call = await new_cycle(db, settings, title="Open call",
                                deadline=str((now + 10 * day).date()),
                                session=str((now + 20 * day).date()),
                                announce=(now - day).isoformat())
    old_call = await new_cycle(db, settings, title="Old call",
                               deadline=str((now - 30 * day).date()),
                               session=str((now - 20 * day).date()),
                               announce=(now - 40 * day).isoformat())
    talk = await add_submission(db, open_call, title="Talk one", status="submitted")
    other = await add_submission(db, open_call, title="Talk two", status="submitted")
    closed = await add_submission(db, old_call, title="Old talk", status="submitted")
    hidden = await add_submission(db, open_call, title="Hidden talk",
                                  status="pending_confirmation")
    async with db.transaction() as s:
        await close_cycle(s, old_call)
    port = free_port()
    proc = await start_service(service_env(db_url, slack), "--http", "--port", str(port),
                               cwd=tmp_path)
    sender = SlackSender(f"http://127.0.0.1:{port}/slack/events", SECRET,
                         response_urls=slack.new_response_url)
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/healthz", proc)
        yield Served(sender, slack, db, tmp_path, talk, other, closed, hidden)
    finally:
        await sender.close()
        log = await stop_service(proc, tmp_path)
        await db.dispose()
    assert "Traceback" not in log, log[-4000:]
    assert proc.returncode == 0


def press_body(action: dict[str, Any] | None = None, *, user: Any = LEADER,
               channel: str | None = LEADS, actions: Any = None,
               **extra: Any) -> bytes:
    payload: dict[str, Any] = {
        "type": "block_actions", "team": TEAM,
        "user": {"id": user, "username": "x", "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "container": {"type": "message", "message_ts": CARD_TS},
        "message": {"ts": CARD_TS, "type": "message"},
        "response_url": "https://hooks.invalid/actions/1",
        "actions": actions if actions is not None else [
            {"block_id": "b", "type": "button", "action_ts": f"{time.time():.6f}",
             **(action or {})}],
        **extra,
    }
    if channel is not None:
        payload["channel"] = {"id": channel, "name": "wgml-leads"}
        payload["container"]["channel_id"] = channel
    return interactive(payload)


async def answers_to(served: Served, user: str, count: int, timeout: float = 10.0
                     ) -> list[str]:
    """The ephemerals `user` was shown, once `count` of them arrived."""
    def shown() -> list[str]:
        return [str(p.get("text")) for p in served.slack.ephemeral if p.get("user") == user]
    await served.slack.wait_for(lambda: len(shown()) >= count, timeout=timeout)
    await asyncio.sleep(0.3)  # nothing more comes
    return shown()


async def rows(db: Database, model: type) -> list[Any]:
    async with db.session() as s:
        return list((await s.scalars(select(model).order_by(model.id))).all())


async def test_bad_values_ids_and_pressers_each_get_their_answer(served: Served) -> None:
    """Every press a leader's client could alter: one ephemeral each, saying why nothing
    changed; an unreadable button audited (curation.bad_press), and nothing stored."""
    talk = served.talk
    bad: list[dict[str, Any]] = [
        {"action_id": "vote_yes"},  # no value
        {"action_id": "vote_yes", "value": "abc:yes"},
        {"action_id": "vote_yes", "value": 5},  # JSON number, not a string
        {"action_id": "vote_yes", "value": {"id": talk}},
        {"action_id": "vote_yes", "value": f"{talk}:yes" + "9" * 200_000},  # huge
        {"action_id": "vote_yes", "value": f"{talk}:no"},  # the value says another vote
        {"action_id": "decide_accept", "value": f"{talk}:yes"},
        {"action_id": "vote_launch", "value": f"{talk}:launch"},
        {"action_id": "vote_yes", "value": "-1:yes"},
        {"action_id": "vote_yes", "value": "0:yes"},
        {"action_id": "vote_yes", "value": "1" * 13 + ":yes"},
        {"action_id": "recuse_toggle", "value": "abc"},
    ]
    for action in bad:
        status, text = await served.sender.post(press_body(action))
        assert (status, text) == (200, ""), action  # acknowledged: the answer says why
    said = await answers_to(served, LEADER, len(bad))
    assert said == [answer_text(Refusal.BAD_VALUE)] * len(bad)
    audits = [a for a in await rows(served.db, AuditEvent) if a.action == "curation.bad_press"]
    assert len(audits) == len(bad)
    assert all(len(a.detail["value"]) <= 64 for a in audits)  # the huge value is cut
    assert [a.submission_id for a in audits].count(talk) == 3  # linked where it names one

    others = [
        (press_body({"action_id": "vote_yes", "value": "999999:yes"}),
         answer_text(Refusal.MISSING)),
        (press_body({"action_id": "decide_accept", "value": f"{served.hidden}:accept"}),
         "This talk is still waiting for the speaker's confidentiality confirmation, so "
         "nothing changed."),
        (press_body({"action_id": "vote_yes", "value": f"{served.hidden}:yes"}),
         "This talk is still waiting for the speaker's confidentiality confirmation, so "
         "nothing changed."),
        (press_body({"action_id": "decide_undo", "value": f"{served.hidden}:undo"}),
         "This talk is still waiting for the speaker's confidentiality confirmation, so "
         "there is nothing to undo."),
        (press_body({"action_id": "recuse_toggle", "value": f"{served.hidden}:toggle"}),
         "This talk is still waiting for the speaker's confidentiality confirmation, so "
         "nothing changed."),
    ]
    for body, _ in others:
        assert await served.sender.post(body) == (200, "")
    said = await answers_to(served, LEADER, len(bad) + len(others))
    assert said[len(bad):] == [words for _, words in others]

    # Not a leader: told so, audited; no user id: nobody to answer, audited all the same.
    assert await served.sender.post(press_body(
        {"action_id": "vote_yes", "value": f"{talk}:yes"}, user="UNOTLEAD1")) == (200, "")
    assert await served.sender.post(press_body(
        {"action_id": "vote_yes", "value": f"{talk}:yes"}, user=5)) == (200, "")
    assert await answers_to(served, "UNOTLEAD1", 1) == [answer_text(Refusal.NOT_A_LEADER)]
    refused = [a for a in await rows(served.db, AuditEvent) if a.action == "curation.refused"]
    assert sorted(a.actor for a in refused) == ["UNOTLEAD1", "unknown"]
    # No channel in the payload: the answer comes as a DM.
    assert await served.sender.post(press_body(
        {"action_id": "vote_yes", "value": "x"}, channel=None)) == (200, "")
    await served.slack.wait_for(lambda: served.slack.channel_messages("D" + LEADER[1:]))
    assert served.slack.channel_messages("D" + LEADER[1:])[0]["text"] == answer_text(
        Refusal.BAD_VALUE)
    assert await rows(served.db, Vote) == [] and await rows(served.db, Decision) == []
    assert await rows(served.db, LatePress) == [] and await rows(served.db, Recusal) == []
    hidden_ref = f"WGML-2026-{served.hidden:03d}"  # no card shows the unconfirmed talk
    assert not [c for c in served.slack.calls_to("chat.postMessage")
                if hidden_ref in json.dumps(c.params)]


async def test_another_talks_id_and_a_closed_calls_talk_are_what_they_name(
        served: Served) -> None:
    """A card's buttons sit in their talk's block ("vote:12"): a value naming another talk
    than its block is an altered button, refused and audited. In a block naming no talk (an
    older message) the value names the talk, and the vote goes there, audited and shown on
    that talk's card. A talk of a closed call is still open for votes (closing a call ends
    submissions, not the leaders' decisions)."""
    talk, other = served.talk, served.other
    for action, block in (("vote_yes", f"vote:{talk}"), ("decide_accept", f"vote:{talk}"),
                          ("decide_undo", f"undo:{talk}"), ("note_add", f"vote:{talk}")):
        choice = action.split("_")[1]
        assert await served.sender.post(press_body(
            {"action_id": action, "value": f"{other}:{choice}", "block_id": block})) == (200, "")
    assert await answers_to(served, LEADER, 4) == [answer_text(Refusal.BAD_VALUE)] * 4
    assert served.slack.calls_to("views.open") == []  # no note form for the other talk
    audits = [a for a in await rows(served.db, AuditEvent) if a.action == "curation.bad_press"]
    assert [a.submission_id for a in audits] == [other] * 4  # the note's press too
    assert await rows(served.db, Vote) == [] and await rows(served.db, Decision) == []
    for sid, block in ((other, f"vote:{other}"), (served.closed_call, "b")):
        status, _ = await served.sender.post(press_body(
            {"action_id": "vote_maybe", "value": f"{sid}:maybe", "block_id": block}))
        assert status == 200
    await served.slack.wait_for(lambda: len([
        c for c in served.slack.calls_to("chat.postMessage")
        if str(c.params.get("text", "")).startswith(("WGML-2026-002", "WGML-2026-003"))]) >= 2)
    votes = await rows(served.db, Vote)
    assert sorted((v.submission_id, v.voter, v.value) for v in votes) == [
        (served.other, LEADER, "maybe"), (served.closed_call, LEADER, "maybe")]
    cast = [a for a in await rows(served.db, AuditEvent) if a.action == "vote.cast"]
    assert sorted(a.submission_id for a in cast) == sorted([served.other, served.closed_call])
    async with served.db.session() as s:
        first = await s.get(Submission, served.talk)
        assert first is not None and first.card_ts is None  # the pressed card's talk: untouched


async def test_forged_stale_replayed_and_malformed_requests(served: Served) -> None:
    post = served.sender.post
    press = press_body({"action_id": "vote_no", "value": f"{served.talk}:no"})
    # Replayed within Slack's five minutes (as a load balancer or an attacker may): one vote.
    for _ in range(3):
        assert await post(press) == (200, "")
    stale = int(time.time()) - 301
    assert (await post(press, timestamp=stale))[0] == 401
    assert (await post(press, headers={"X-Slack-Signature": "v0=" + "1" * 64}))[0] == 401
    assert (await post(press, signed=False))[0] == 401
    forged = sign("not-the-secret", press)
    assert (await post(press, headers=forged, signed=False))[0] == 401
    json_type = {"Content-Type": "application/json"}
    malformed: list[tuple[bytes, dict[str, str] | None]] = [
        (b"payload=%5B1%5D", None), (b"payload=%22x%22", None), (b"payload=5", None),
        (b"payload=null", None), (b"[1,2]", json_type), (b'"x"', json_type),
        (b"payload=\xff\xfe", None), (b"payload=%FF%FE", None), (b"\xff\x00", json_type),
        (interactive({"type": "block_actions", "user": {"id": LEADER}, "actions": []}), None),
        (interactive({"type": "block_actions", "actions": ["vote_yes"]}), None),
        (interactive({"type": "block_actions", "actions": [{"action_id": 5}]}), None),
        (interactive({"type": "block_actions", "user": {"id": LEADER}}), None),
        (interactive({"type": "view_submission", "view": "x"}), None),
        (interactive({"type": "view_submission", "view": {"callback_id": 5}}), None),
        (interactive({"type": "view_closed", "view": []}), None),
        (interactive({"type": 5}), None),
        (json.dumps({"type": "event_callback", "event": []}).encode(), json_type),
        (json.dumps({"type": "event_callback", "event": {"type": 5}}).encode(), json_type),
    ]
    for body, headers in malformed:
        status, text = await post(body, headers=headers)
        assert (status, text) == (400, '{"error": "malformed payload"}'), body[:60]
    status, text = await post(b"payload=" + b"x" * (1024 * 1024))
    assert (status, text) == (413, '{"error": "request too large"}')
    # Bytes that are not UTF-8 inside the value: read as an unreadable button.
    raw = urlencode({"payload": json.dumps({
        "type": "block_actions", "user": {"id": LEADER}, "channel": {"id": LEADS},
        "actions": [{"action_id": "vote_yes", "value": "@@", "action_ts": "1.5"}]})})
    assert await post(raw.encode().replace(b"%40%40", b"%FF")) == (200, "")
    # An action nobody handles: acknowledged, nothing said, nothing changed.
    assert await post(press_body({"action_id": "launch_missiles", "value": "1"})) == (200, "")
    # The note form sent without its blocks, or for a talk that is gone: the form says so.
    for metadata, state in ((str(served.talk), {}), ("999999", None), ("x", {"values": {}})):
        view = {"id": f"V{metadata[:6]}", "type": "modal", "callback_id": NOTE_CALLBACK,
                "private_metadata": metadata}
        if state is not None:
            view["state"] = state
        status, text = await post(interactive({
            "type": "view_submission", "team": TEAM, "user": {"id": LEADER}, "view": view}))
        assert status == 200 and json.loads(text)["response_action"] == "errors", text
    said = await answers_to(served, LEADER, 1)
    assert said == [answer_text(Refusal.BAD_VALUE)]  # the UTF-8 press; nothing else answers
    votes = await rows(served.db, Vote)
    assert [(v.submission_id, v.value) for v in votes] == [(served.talk, "no")]
    assert [a.action for a in await rows(served.db, AuditEvent)
            if a.actor == LEADER] == ["vote.cast", "curation.bad_press"]
    assert await rows(served.db, Note) == []
    # Still serving: a real press after all of it is stored.
    assert await post(press_body({"action_id": "vote_yes", "value": f"{served.talk}:yes"})
                      ) == (200, "")
    assert [v.value for v in await rows(served.db, Vote)] == ["yes"]


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if len(prefix) >= 3:
        return []
    items = (obj.items() if isinstance(obj, dict)
             else enumerate(obj[:1]) if isinstance(obj, list) else [])
    out: list[tuple[Any, ...]] = []
    for key, value in items:
        out += [(*prefix, key), *_paths(value, (*prefix, key))]
    return out


async def test_real_payloads_with_any_field_of_another_shape_never_trace(
        served: Served) -> None:
    """Slack's own payloads (tests/data/slack_payloads), aimed at the bot's card, each field
    down to three levels swapped for a number, null, a list: a status under 500, and (the
    fixture checks) no traceback in the log."""
    sent = 0
    for name in sorted(PAYLOADS.glob("*.json")):
        base = json.loads(name.read_text())
        interaction = name.name.startswith(("block_actions", "view_"))
        if name.name.startswith("block_actions"):
            base["user"]["id"] = LEADER
            base["actions"][0].update(action_id="vote_yes", value=f"{served.talk}:yes")
        for path in _paths(base):
            for value in (5, None, []):
                payload = copy.deepcopy(base)
                target = payload
                for step in path[:-1]:
                    target = target[step]
                target[path[-1]] = value
                body = interactive(payload) if interaction else json.dumps(payload).encode()
                status, text = await served.sender.post(
                    body, headers=None if interaction else {"Content-Type": "application/json"})
                assert status < 500, (name.name, path, value, status, text)
                sent += 1
    assert sent > 500


async def test_a_decision_replayed_at_once_decides_once(served: Served) -> None:
    """Fifteen copies of one signed Accept at once (a replay, or a proxy resending), then
    every leader's Decline: one decision, one audit row, each later press told why not."""
    same = press_body({"action_id": "decide_accept", "value": f"{served.talk}:accept"})
    assert set(await asyncio.gather(*[served.sender.post(same) for _ in range(15)])) == {
        (200, "")}
    declines = [press_body({"action_id": "decide_decline", "value": f"{served.talk}:decline"},
                           user=leader) for leader in LEADERS]
    assert set(await asyncio.gather(*[served.sender.post(b) for b in declines])) == {(200, "")}
    told = f"This talk was already accepted by <@{LEADER}>, so nothing changed."
    for leader in LEADERS:
        [said] = await answers_to(served, leader, 1)
        assert said.startswith(told)
    assert [(d.outcome, d.by) for d in await rows(served.db, Decision)] == [
        ("accepted", LEADER)]
    assert [a.action for a in await rows(served.db, AuditEvent)
            if a.actor in LEADERS] == ["decision.accepted"]
