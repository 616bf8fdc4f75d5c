"""Helpers for the curation tests: a card to press, presses, and reading the card back."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select

from bot.curation.ack import drain_presses
from bot.talks.cycles import CycleRequest, open_cycle
from bot.talks.export import export_data
from bot.talks.submissions import make_ref
from storage.models import AuditEvent, Speaker, Submission, Vote
from storage.outbox import enqueue_card
from tests.conftest import LEADS, Running

VOTES = ("yes", "maybe", "no")


async def open_test_cycle(running: Running, title: str = "January session") -> int:
    today = dt.date.today()
    async with running.db.transaction() as session:
        cycle = await open_cycle(
            session,
            CycleRequest(title=title, deadline=today + dt.timedelta(days=20),
                         session_date=today + dt.timedelta(days=40)),
            running.bot.settings.zone, dt.datetime.now(dt.UTC),
        )
    return cycle.id


async def posted_card(running: Running, user: str = "UMEMBER1", **fields: Any
                      ) -> tuple[int, str]:
    """Submit through the modal and return (submission id, the card's ts)."""
    before = len(running.slack.channel_messages(LEADS))
    status, body = await running.submit(user, user_name=user.lower(), **fields)
    assert status == 200, body
    await running.settle()
    cards = running.slack.channel_messages(LEADS)
    assert len(cards) == before + 1
    ts = cards[-1]["ts"]
    async with running.db.session() as session:
        sid = await session.scalar(select(Submission.id).where(Submission.card_ts == ts))
    assert sid is not None
    return sid, ts


async def email_card(running: Running, *, email: str = "grace@studio.example",
                     message_id: str = "<first.reply@mail.studio.example>") -> tuple[int, str]:
    """A confirmed submission that came by email (the email intake lives elsewhere)."""
    now = dt.datetime.now(dt.UTC)
    async with running.db.transaction() as session:
        speaker = Speaker(name="Grace Hopper", email=email, studio="Studio Example")
        sub = Submission(
            speaker=speaker, title="LLM agents for shot metadata", focus_area="llm_pipeline",
            abstract="We let an LLM fill shot metadata from editorial notes for a season.",
            results="Saved hours; hallucinated frame ranges.", studio="Studio Example",
            source="email", status="submitted", confidentiality_confirmed=True,
            confidentiality_confirmed_at=now, email_message_id=message_id,
            created_at=now, updated_at=now,
        )
        session.add(sub)
        await session.flush()
        sub.ref = make_ref(sub)
        await enqueue_card(session, sub.id, LEADS)
        sid = sub.id
    await running.settle()
    async with running.db.session() as session:
        ts = await session.scalar(select(Submission.card_ts).where(Submission.id == sid))
    assert ts
    return sid, ts


def action_for(choice: str) -> str:
    return f"vote_{choice}" if choice in VOTES else f"decide_{choice}"


async def press(running: Running, user: str, choice: str, sid: int, ts: str, *,
                value: str | None = None, action_id: str | None = None) -> None:
    status, body = await running.sender.press(
        user, action_id or action_for(choice), value if value is not None else f"{sid}:{choice}",
        channel=LEADS, message_ts=ts,
    )
    assert status == 200, body
    # On a busy machine a press may be acknowledged before its transaction ends (Slack's
    # 3 seconds come first): wait for it, so the tests never depend on timing.
    await drain_presses()


def card(running: Running, ts: str) -> dict[str, Any]:
    return next(m for m in running.slack.channel_messages(LEADS) if m["ts"] == ts)


def card_json(running: Running, ts: str) -> str:
    return json.dumps(card(running, ts)["blocks"], ensure_ascii=False)


def votes_section(running: Running, ts: str) -> str:
    block = next(b for b in card(running, ts)["blocks"] if b.get("block_id") == "votes")
    return str(block["text"]["text"])


def card_votes(running: Running, ts: str) -> dict[str, str]:
    """{voter: value} as the card shows it."""
    shown: dict[str, str] = {}
    for line in votes_section(running, ts).splitlines()[1:]:
        label, _, names = line.partition(": ")
        value = label.lower()
        if value not in VOTES:
            continue
        for name in names.split(", "):
            shown[name.removeprefix("<@").removesuffix(">")] = value
    return shown


def card_actions(running: Running, ts: str) -> list[str]:
    return [e["action_id"] for b in card(running, ts)["blocks"] if b["type"] == "actions"
            for e in b["elements"]]


async def db_votes(running: Running, sid: int) -> dict[str, str]:
    async with running.db.session() as session:
        rows = (await session.execute(
            select(Vote.voter, Vote.value).where(Vote.submission_id == sid))).all()
    return {voter: value for voter, value in rows}


async def export_votes(running: Running, sid: int) -> dict[str, str]:
    async with running.db.session() as session:
        data = await export_data(session)
    sub = next(s for s in data["submissions"] if s["id"] == sid)
    voters = [v["voter"] for v in sub["votes"]]
    assert len(voters) == len(set(voters)), "a voter appears twice in the export"
    return {v["voter"]: v["value"] for v in sub["votes"]}


async def exported(running: Running, sid: int) -> dict[str, Any]:
    async with running.db.session() as session:
        data = await export_data(session)
    return dict(next(s for s in data["submissions"] if s["id"] == sid))


async def audit_actions(running: Running, sid: int | None = None) -> list[str]:
    async with running.db.session() as session:
        q = select(AuditEvent.action).order_by(AuditEvent.id)
        if sid is not None:
            q = q.where(AuditEvent.submission_id == sid)
        return list((await session.scalars(q)).all())


async def count_votes(running: Running) -> int:
    async with running.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(Vote)) or 0)


async def assert_card_agrees(running: Running, sid: int, ts: str) -> dict[str, str]:
    """The database, the export and the card show the same votes."""
    in_db = await db_votes(running, sid)
    assert await export_votes(running, sid) == in_db
    assert card_votes(running, ts) == in_db
    head = votes_section(running, ts).splitlines()[0]
    counts = {v: sum(1 for x in in_db.values() if x == v) for v in VOTES}
    assert head == (f"*Votes* Yes {counts['yes']} · Maybe {counts['maybe']} · "
                    f"No {counts['no']}")
    return in_db


async def settled(running: Running, timeout: float = 10.0) -> None:
    """Presses finished, then the outbox delivered."""
    await drain_presses()
    await running.settle(timeout=timeout)
