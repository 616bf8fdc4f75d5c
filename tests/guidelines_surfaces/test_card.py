"""The leaders' card: a short line per guideline concern (never blocking: the votes and
decisions are there as always), a Dismiss button each for the leaders, the dismissal kept,
audited, and shown on every later render and on later versions raising the same concern."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.demo.emulator.requests import block_action
from bot.guidelines.stored import REASON_MAX, read_confirmed, shown
from bot.slack_ui.blocks import EDIT_CALLBACK
from bot.slack_ui.guidelines import READ_MARKER
from bot.talks.export import export_data
from bot.talks.export_write import to_csv
from storage.models import AuditEvent, GuidelineDismissal, Submission
from tests.conftest import LEADS, Running
from tests.curation_support import card, card_actions, open_test_cycle, settled
from tests.guidelines_surfaces.test_modal import CONFIDENTIAL, PITCH

BOTH = PITCH + " " + CONFIDENTIAL


async def card_with_concerns(running: Running, abstract: str = BOTH,
                             view_id: str = "VCARD00001") -> tuple[int, str]:
    """A talk submitted as it is after its concerns were shown; its card's (id, ts)."""
    await open_test_cycle(running)
    _, body = await running.submit(view_id=view_id, abstract=abstract)
    metadata = json.loads(body)["view"]["private_metadata"]
    _, body = await running.sender.submit_view(
        "UMEMBER1", view_id, private_metadata=metadata,
        title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
        abstract=abstract, email="member@example.org", confirmed=True)
    assert body == ""
    await running.settle()
    [posted] = running.slack.channel_messages(LEADS)
    async with running.db.session() as session:
        sid = await session.scalar(select(Submission.id))
    assert sid is not None
    return sid, posted["ts"]


def concern_lines(running: Running, ts: str) -> list[str]:
    return [b["elements"][0]["text"] for b in card(running, ts)["blocks"]
            if str(b.get("block_id", "")).startswith("guideline:")]


def dismiss_buttons(running: Running, ts: str) -> list[dict[str, Any]]:
    return [e for b in card(running, ts)["blocks"] if b["type"] == "actions"
            for e in b["elements"] if e["action_id"].startswith("guideline_dismiss")]


async def dismiss(running: Running, user: str, button: dict[str, Any], ts: str,
                  *, body: bytes | None = None) -> bytes:
    body = body or block_action(user, button["action_id"], button["value"], channel=LEADS,
                                message_ts=ts, block_id="guidelines")
    status, text = await running.sender.post(body)
    assert status == 200, text
    await settled(running)
    return body


async def audit(running: Running, action: str) -> list[AuditEvent]:
    async with running.db.session() as session:
        return list((await session.scalars(
            select(AuditEvent).where(AuditEvent.action == action))).all())


def ephemerals(running: Running, user: str) -> list[str]:
    return [str(c.params.get("text")) for c in running.slack.calls_to("chat.postEphemeral")
            if c.params.get("user") == user]


async def test_the_card_shows_a_line_per_concern_beside_the_usual_buttons(
        running: Running) -> None:
    _sid, ts = await card_with_concerns(running)
    lines = concern_lines(running, ts)
    assert len(lines) == 2
    assert "Product pitch" in lines[0] and "pricing" in lines[0].lower()
    assert "Confidential information" in lines[1] and "proprietary dataset" in lines[1]
    # Never blocking: votes and decisions stay as they are.
    actions = card_actions(running, ts)
    assert {"vote_yes", "decide_accept"} <= set(actions)
    assert [b["text"]["text"] for b in dismiss_buttons(running, ts)] == [
        "Dismiss: Product pitch", "Dismiss: Confidential information"]


async def test_a_leader_dismisses_a_concern_once_and_it_stays_dismissed(
        running: Running) -> None:
    sid, ts = await card_with_concerns(running)
    pitch = dismiss_buttons(running, ts)[0]
    body = await dismiss(running, "ULEAD1", pitch, ts)
    update = running.slack.calls_to("chat.update")[-1].params
    text = json.dumps(update["blocks"])
    assert "1 guideline concern dismissed" in text and "Product pitch by <@ULEAD1>" in text
    assert len(concern_lines(running, ts)) == 2  # the confidential line and the dismissed one
    assert [b["text"]["text"] for b in dismiss_buttons(running, ts)] == [
        "Dismiss: Confidential information"]
    [event] = await audit(running, "guideline.dismissed")
    assert event.actor == "ULEAD1" and event.submission_id == sid
    assert event.detail["rule"] == "pitch"
    # The same press replayed by Slack, and a second leader pressing the stale button:
    # nothing more is kept or audited, nothing re-rendered.
    updates = len(running.slack.calls_to("chat.update"))
    await dismiss(running, "ULEAD1", pitch, ts, body=body)
    await dismiss(running, "ULEAD2", pitch, ts)
    assert len(await audit(running, "guideline.dismissed")) == 1
    assert len(running.slack.calls_to("chat.update")) == updates
    async with running.db.session() as session:
        rows = (await session.scalars(select(GuidelineDismissal))).all()
        assert [(r.rule, r.by) for r in rows] == [("pitch", "ULEAD1")]
        sub = await session.get(Submission, sid)
        assert sub is not None
        assert [(c.rule, c.dismissed_by) for c in shown(sub)] == [
            ("pitch", "ULEAD1"), ("confidential", None)]


async def test_a_member_who_is_not_a_leader_is_refused_privately(running: Running) -> None:
    _sid, ts = await card_with_concerns(running)
    pitch = dismiss_buttons(running, ts)[0]
    body = await dismiss(running, "UMEMBER9", pitch, ts)
    await dismiss(running, "UMEMBER9", pitch, ts, body=body)  # a replay: one answer
    [said] = ephemerals(running, "UMEMBER9")
    assert "Only the WG-ML leaders" in said and "nothing changed" in said
    assert await audit(running, "guideline.dismissed") == []
    assert len(dismiss_buttons(running, ts)) == 2


async def test_an_unreadable_button_changes_nothing(running: Running) -> None:
    sid, ts = await card_with_concerns(running)
    await dismiss(running, "ULEAD1", {"action_id": "guideline_dismiss:0",
                                      "value": f"{sid}:nothex"}, ts)
    await dismiss(running, "ULEAD1", {"action_id": "guideline_dismiss:0",
                                      "value": f"{sid}:0123456789ab"}, ts)
    said = ephemerals(running, "ULEAD1")
    assert len(said) == 2 and "could not read that button" in said[0]
    assert "no longer raises that concern" in said[1]
    # A real concern's value from a block naming another talk: an altered button.
    pitch = dismiss_buttons(running, ts)[0]
    await dismiss(running, "ULEAD1", pitch, ts, body=block_action(
        "ULEAD1", pitch["action_id"], pitch["value"], channel=LEADS, message_ts=ts,
        block_id=f"guidelines:{sid + 1}"))
    said = ephemerals(running, "ULEAD1")
    assert len(said) == 3 and "could not read that button" in said[2]
    assert await audit(running, "guideline.dismissed") == []
    # Both unreadable presses are audited as any card's are (docs/security.md).
    assert len(await audit(running, "curation.bad_press")) == 2


async def test_a_dismissal_holds_for_a_later_version_with_the_same_concern(
        running: Running) -> None:
    sid, ts = await card_with_concerns(running, abstract=PITCH)
    await dismiss(running, "ULEAD1", dismiss_buttons(running, ts)[0], ts)
    async with running.db.session() as session:
        ref = (await session.get(Submission, sid)).ref  # type: ignore[union-attr]
    assert ref
    revised = PITCH + " We also tried it on fur."
    _, body = await running.sender.submit_view(
        "UMEMBER1", "VEDIT00002", callback_id=EDIT_CALLBACK,
        private_metadata=f"{ref}\n{READ_MARKER}pitch",
        title="We tried SAM 2 for rotoscoping hair", focus_area="content_creation",
        abstract=revised, email="member@example.org", confirmed=True)
    assert body == ""
    await settled(running)
    update = running.slack.calls_to("chat.update")[-1].params
    assert "fur" in json.dumps(update["blocks"])
    assert "1 guideline concern dismissed" in json.dumps(update["blocks"])
    assert dismiss_buttons(running, ts) == []
    exported = await export_of(running, sid)
    assert exported["guidelines"][0]["dismissed_by"] == "ULEAD1"


async def export_of(running: Running, sid: int) -> dict[str, Any]:
    async with running.db.session() as session:
        data = await export_data(session)
    return dict(next(s for s in data["submissions"] if s["id"] == sid))


async def test_the_export_carries_the_concerns_and_who_dismissed_them(
        running: Running) -> None:
    sid, ts = await card_with_concerns(running)
    await dismiss(running, "ULEAD2", dismiss_buttons(running, ts)[1], ts)
    got = await export_of(running, sid)
    assert [(g["rule"], g["dismissed_by"]) for g in got["guidelines"]] == [
        ("pitch", None), ("confidential", "ULEAD2")]
    assert "pricing" in got["guidelines"][0]["reason"].lower()
    assert got["guidelines"][0]["dismissed_at"] is None
    assert got["guidelines"][1]["dismissed_at"].startswith("20")
    async with running.db.session() as session:
        csv_text = to_csv(await export_data(session))
    header, row = csv_text.split("\r\n")[:2]
    assert "guidelines" in header.split(",")
    assert "pitch confidential" in row


async def test_a_talk_never_read_shows_and_exports_no_concern(running: Running) -> None:
    """A talk confirmed before the guidelines were read (or whose text changed some other
    way) shows nothing stale: the reading is kept under its text's key."""
    sid, _ts = await card_with_concerns(running, abstract=PITCH)
    async with running.db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        sub.abstract = "A different text nobody read against the guidelines yet."
    assert (await export_of(running, sid))["guidelines"] == []
    async with running.db.transaction() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None
        assert shown(sub) == []
        read = await read_confirmed(session, sub)
        assert read == []
        sub.abstract = PITCH
        again = await read_confirmed(session, sub)
    assert [c.rule for c in again] == ["pitch"] and len(again[0].reason) <= REASON_MAX
