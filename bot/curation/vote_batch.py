"""Group commit for vote presses: many presses, one transaction, each acknowledged after it.

Why: a burst of presses (a hundred leaders voting on the card at once) used to run one
transaction each, five statements and a commit apiece, serialised by SQLite's write lock and
each queueing its own card render. Here the presses that arrive while one batch commits form
the next batch: one read of the submissions, one of the votes, one upsert, one audit insert
and one card render per submission (on PostgreSQL one read and one write statement in all,
see storage.vote_queries). No artificial delay: a lone press is its own batch.

Each press's future resolves only after its batch has committed, so an acknowledged vote is
a stored vote. If a batch fails, its presses are replayed one transaction each (the old
path), so one bad press cannot take its neighbours down with it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.recusal import recused_pairs
from bot.curation.said import Answer, Closed, Refusal
from bot.talks.status import Status
from storage.db import Database
from storage.vote_queries import AuditRow, VoteRow, read_for_votes, write_votes

log = logging.getLogger("wgml.curation")

MAX_BATCH = 500  # bounded so one transaction stays short under any flood


@dataclass
class VotePress:
    submission_id: int
    voter: str
    value: str  # yes | maybe | no
    now: dt.datetime
    channel: str
    retry_num: int = 0
    pressed_at: dt.datetime | None = None  # Slack's action_ts: when the person pressed
    action_us: int | None = None  # the same, exactly, in microseconds (orders the presses)
    future: asyncio.Future[tuple[str, Answer | None]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future())


class VoteBatcher:
    """One per Database (per process): see `batcher_for`."""

    def __init__(self, db: Database, *, max_batch: int = MAX_BATCH) -> None:
        self.db = db
        self.max_batch = max_batch
        self._queue: list[VotePress] = []
        self._runner: asyncio.Task[None] | None = None
        self.batches = 0  # how many transactions served the presses (for tests and logs)

    async def cast(self, press: VotePress) -> tuple[str, Answer | None]:
        """(outcome, message for the presser or None), once the vote is committed."""
        self._queue.append(press)
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run(), name="vote-batcher")
        # A caller giving up cancels only its own future (no shield needed): the batch
        # skips futures already done, and the commit goes on for the others.
        return await press.future

    async def _run(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:self.max_batch], self._queue[self.max_batch:]
            try:
                async with self.db.transaction() as session:
                    results = await apply_votes(session, batch)
            except Exception as exc:  # replay one by one: only the bad press fails
                log.warning("event=votes.batch_failed size=%s error=%s", len(batch),
                            type(exc).__name__)
                await self._one_by_one(batch)
                continue
            self.batches += 1
            for press, result in zip(batch, results, strict=True):
                if not press.future.done():
                    press.future.set_result(result)
            log.debug("event=votes.batch size=%s", len(batch))

    async def _one_by_one(self, batch: list[VotePress]) -> None:
        for press in batch:
            try:
                async with self.db.transaction() as session:
                    (result,) = await apply_votes(session, [press])
            except Exception as exc:
                if not press.future.done():
                    press.future.set_exception(exc)
                continue
            self.batches += 1
            if not press.future.done():
                press.future.set_result(result)


_BATCHERS: weakref.WeakKeyDictionary[Database, VoteBatcher] = weakref.WeakKeyDictionary()


def batcher_for(db: Database) -> VoteBatcher:
    batcher = _BATCHERS.get(db)
    if batcher is None:
        batcher = _BATCHERS[db] = VoteBatcher(db)
    return batcher


async def apply_votes(session: AsyncSession, presses: list[VotePress]
                      ) -> list[tuple[str, Answer | None]]:
    """Store the presses in order, in the caller's transaction; one result per press."""
    sids = sorted({p.submission_id for p in presses})
    voters = sorted({p.voter for p in presses})
    subs, rows = await read_for_votes(session, sids, voters)
    recused = await recused_pairs(session, sids, voters)
    held: dict[tuple[int, str], str] = {}
    held_at: dict[tuple[int, str], dt.datetime] = {}
    marks: dict[tuple[int, str], int] = {}  # the action_ts of the press behind each vote
    for vote in rows:
        held[(vote.submission_id, vote.voter)] = vote.value
        held_at[(vote.submission_id, vote.voter)] = vote.at
        if vote.action_us is not None:
            marks[(vote.submission_id, vote.voter)] = vote.action_us
    results: list[tuple[str, Answer | None]] = []
    audits: list[AuditRow] = []
    final: dict[tuple[int, str], VotePress] = {}
    cards: dict[int, str] = {}
    for p in presses:
        row = subs.get(p.submission_id)
        if row is None:
            results.append(("missing", Refusal.MISSING))
            continue
        if row.status != Status.SUBMITTED:
            results.append(("closed", Closed(row.status, row.decided_by, "vote")))
            continue
        key = (p.submission_id, p.voter)
        if key in recused:
            results.append(("recused", Refusal.RECUSED))
            continue
        previous = held.get(key)
        if previous == p.value:
            results.append(("unchanged", None))  # a retry or a double click
            continue
        mark = marks.get(key)
        if p.action_us is not None and mark is not None and p.action_us <= mark:
            # A press older than the one behind the stored vote: Slack retrying it late, a
            # load balancer resending it, or a captured signed request replayed within
            # Slack's 5 minutes, with or without X-Slack-Retry-Num. The newer vote stands.
            results.append(("stale", None))
            continue
        stored_at = held_at.get(key)
        if mark is None and p.retry_num and p.pressed_at and stored_at \
                and stored_at >= p.pressed_at:
            # A vote stored before presses were stamped: the old guard, by the vote's time.
            results.append(("unchanged", None))
            continue
        held[key] = p.value
        held_at[key] = p.now
        if p.action_us is not None:
            marks[key] = p.action_us
        final[key] = p
        cards[p.submission_id] = row.card_channel or p.channel
        audits.append(AuditRow(
            p.voter, "vote.cast" if previous is None else "vote.changed", p.submission_id,
            {"value": p.value, "previous": previous, "retry": p.retry_num}))
        results.append(("voted" if previous is None else "changed", None))
    if final:
        # In key order: two batches (two replicas) touching the same votes lock them in the
        # same order, so they wait for each other instead of deadlocking.
        ordered = [final[key] for key in sorted(final)]
        await write_votes(session, [VoteRow(p.submission_id, p.voter, p.value, p.now,
                                            p.action_us) for p in ordered], audits, cards)
    return results
