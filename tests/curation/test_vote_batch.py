"""Group commit of votes: presses in one batch get their own outcomes; a failing batch is
replayed press by press, so only the bad press fails; bursts really share transactions."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select, update

import bot.curation.vote_batch as vote_batch
from bot.curation.vote_batch import VoteBatcher, VotePress
from bot.slack_ui.answers import answer_text
from storage.db import Database
from storage.models import AuditEvent, OutboxMessage, Speaker, Submission, Vote
from storage.outbox import KIND_CARD

NOW = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)


async def _talk(db: Database, status: str = "submitted") -> int:
    async with db.transaction() as session:
        sub = Submission(
            speaker=Speaker(name="Ada", email="ada@example.org", studio="S"),
            title="A talk", focus_area="other", abstract="x" * 40, results="", studio="S",
            source="slack", status=status, confidentiality_confirmed=True,
            decided_by="ULEAD9" if status == "accepted" else None,
        )
        session.add(sub)
        await session.flush()
        return sub.id


async def test_one_batch_many_outcomes(db: Database) -> None:
    open_id, closed_id = await _talk(db), await _talk(db, "accepted")
    batcher = VoteBatcher(db)
    presses = [
        VotePress(open_id, "ULEAD1", "yes", NOW, "CLEADS"),
        VotePress(open_id, "ULEAD2", "no", NOW, "CLEADS"),
        VotePress(open_id, "ULEAD1", "yes", NOW, "CLEADS"),  # a double click
        VotePress(open_id, "ULEAD1", "maybe", NOW, "CLEADS"),  # then a change of mind
        VotePress(closed_id, "ULEAD1", "yes", NOW, "CLEADS"),
        VotePress(999_999, "ULEAD1", "yes", NOW, "CLEADS"),
    ]
    results = await asyncio.gather(*(batcher.cast(p) for p in presses))
    outcomes = [outcome for outcome, _ in results]
    assert outcomes == ["voted", "voted", "unchanged", "changed", "closed", "missing"]
    assert "already accepted by <@ULEAD9>" in answer_text(results[4][1] or "")
    assert batcher.batches == 1  # all six arrived together: one transaction
    async with db.session() as session:
        votes = dict((await session.execute(
            select(Vote.voter, Vote.value).where(Vote.submission_id == open_id))).all())
        cards = await session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == KIND_CARD, OutboxMessage.status == "pending"))
    assert votes == {"ULEAD1": "maybe", "ULEAD2": "no"}
    assert cards == 1  # one render for the whole batch


async def test_a_failing_batch_is_replayed_press_by_press(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = await _talk(db)
    real = vote_batch.apply_votes

    async def fails_on_the_poisoned_press(session, presses):  # type: ignore[no-untyped-def]
        if any(p.voter == "UPOISON" for p in presses):
            raise RuntimeError("a press the database rejects")
        return await real(session, presses)

    monkeypatch.setattr(vote_batch, "apply_votes", fails_on_the_poisoned_press)
    batcher = VoteBatcher(db)
    presses = [VotePress(sid, voter, "yes", NOW, "CLEADS")
               for voter in ("ULEAD1", "UPOISON", "ULEAD2")]
    results = await asyncio.gather(*(batcher.cast(p) for p in presses),
                                   return_exceptions=True)
    assert results[0] == ("voted", None) and results[2] == ("voted", None)
    assert isinstance(results[1], RuntimeError)
    async with db.session() as session:
        voters = set((await session.scalars(
            select(Vote.voter).where(Vote.submission_id == sid))).all())
    assert voters == {"ULEAD1", "ULEAD2"}


async def test_a_burst_shares_transactions_and_loses_nothing(db: Database) -> None:
    sid = await _talk(db)
    batcher = VoteBatcher(db)
    voters = [f"UL{i:04d}" for i in range(150)]
    results = await asyncio.gather(*(
        batcher.cast(VotePress(sid, v, ("yes", "maybe", "no")[i % 3], NOW, "CLEADS"))
        for i, v in enumerate(voters)))
    assert {outcome for outcome, _ in results} == {"voted"}
    assert batcher.batches < len(voters)
    async with db.session() as session:
        stored = await session.scalar(select(func.count()).select_from(Vote).where(
            Vote.submission_id == sid))
    assert stored == len(voters)


async def test_a_waiting_render_takes_the_change_and_a_claimed_one_does_not(
        db: Database) -> None:
    sid = await _talk(db)
    batcher = VoteBatcher(db)
    await batcher.cast(VotePress(sid, "ULEAD1", "yes", NOW, "CLEADS"))

    async def cards() -> list[tuple[str, dict[str, object]]]:
        async with db.session() as session:
            return [(row.status, row.payload) for row in (await session.scalars(
                select(OutboxMessage).where(OutboxMessage.kind == KIND_CARD)
                .order_by(OutboxMessage.id))).all()]

    assert await cards() == [("pending", {"submission_id": sid, "channel": "CLEADS"})]
    await batcher.cast(VotePress(sid, "ULEAD2", "no", NOW, "CLEADS"))
    assert len(await cards()) == 1  # still waiting unclaimed: it will show this vote too
    async with db.transaction() as session:  # a deliverer claims it (renders it later)
        await session.execute(update(OutboxMessage).values(status="sending"))
    await batcher.cast(VotePress(sid, "ULEAD2", "maybe", NOW, "CLEADS"))
    assert [status for status, _ in await cards()] == ["sending", "pending"]
    async with db.session() as session:
        audit = [(a.actor, a.action, a.detail) for a in (await session.scalars(
            select(AuditEvent).order_by(AuditEvent.id))).all()]
        stored = (await session.execute(select(Vote.voter, Vote.value, Vote.at)
                                        .order_by(Vote.voter))).all()
    assert audit == [
        ("ULEAD1", "vote.cast", {"value": "yes", "previous": None, "retry": 0}),
        ("ULEAD2", "vote.cast", {"value": "no", "previous": None, "retry": 0}),
        ("ULEAD2", "vote.changed", {"value": "maybe", "previous": "no", "retry": 0}),
    ]
    assert [(voter, value, at) for voter, value, at in stored] == [
        ("ULEAD1", "yes", NOW), ("ULEAD2", "maybe", NOW)]
