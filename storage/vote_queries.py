"""The statements of a vote batch (bot.curation.vote_batch): one read, one write. On
PostgreSQL two fixed statements; on SQLite the ORM's.

Why not the ORM statements SQLite uses: a batch of a hundred presses built there renders a
multi-row VALUES (and an IN list) whose text changes with the batch size, so every batch is
compiled afresh and prepared afresh by asyncpg, about 35 ms of the one event loop for the
upsert alone, and it took seven round trips. Here the presses travel as arrays (`unnest`,
`= ANY`), so each statement's text is fixed: compiled once, prepared once per connection,
and a batch is BEGIN, one read, one write, COMMIT.

The write does what storage.outbox.enqueue_card does for the ORM: a render of the card
still waiting unclaimed is locked (so a deliverer cannot render it before we commit) and
none is added; otherwise one is queued.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEvent, Submission, Vote
from storage.outbox import KIND_CARD, enqueue_card
from storage.upsert import insert_for

# A shared lock on the submissions: votes run side by side, never interleaved with a
# decision (which takes FOR UPDATE).
_READ = text("""
SELECT s.id, s.status, s.decided_by, s.card_channel, v.voter, v.value, v.at, v.action_us
FROM submissions AS s
LEFT JOIN votes AS v
  ON v.submission_id = s.id AND v.voter = ANY(CAST(:voters AS varchar[]))
WHERE s.id = ANY(CAST(:sids AS integer[]))
FOR SHARE OF s
""")

# An equal vote (a retry racing another process) updates nothing: its time stays first;
# nor does a press older than the one behind the stored vote (Slack's action_ts, in µs).
_WRITE = text(f"""
WITH up AS (
  INSERT INTO votes (submission_id, voter, value, at, action_us)
  SELECT * FROM unnest(CAST(:v_sid AS integer[]), CAST(:v_voter AS varchar[]),
                       CAST(:v_value AS varchar[]), CAST(:v_at AS timestamptz[]),
                       CAST(:v_us AS bigint[]))
  ON CONFLICT (submission_id, voter) DO UPDATE
    SET value = excluded.value, at = excluded.at,
        action_us = COALESCE(excluded.action_us, votes.action_us)
    WHERE votes.value <> excluded.value
      AND (votes.action_us IS NULL OR excluded.action_us IS NULL
           OR votes.action_us < excluded.action_us)
  RETURNING 1
), au AS (
  INSERT INTO audit_events (at, actor, action, submission_id, detail)
  SELECT CAST(:now AS timestamptz), a.actor, a.action, a.sid, CAST(a.detail AS json)
  FROM unnest(CAST(:a_actor AS varchar[]), CAST(:a_action AS varchar[]),
              CAST(:a_sid AS integer[]), CAST(:a_detail AS text[]))
       AS a(actor, action, sid, detail)
  RETURNING 1
), card_in AS (
  SELECT * FROM unnest(CAST(:c_sid AS integer[]), CAST(:c_lane AS varchar[]),
                       CAST(:c_payload AS text[]), CAST(:c_key AS varchar[]))
       AS c(sid, lane, payload, key)
), waiting AS (
  SELECT o.lane, o.card_of AS sid
  FROM outbox AS o
  WHERE o.card_of = ANY(CAST(:c_sid AS integer[])) AND o.status = 'pending'
    AND o.kind = '{KIND_CARD}' AND o.lane = ANY(CAST(:c_lane AS varchar[]))
  FOR UPDATE OF o
), cards AS (
  INSERT INTO outbox (idempotency_key, kind, lane, payload, card_of, status, attempts,
                      next_attempt_at, created_at)
  SELECT c.key, '{KIND_CARD}', c.lane, CAST(c.payload AS json), c.sid, 'pending', 0,
         CAST(:now AS timestamptz), CAST(:now AS timestamptz)
  FROM card_in AS c
  WHERE NOT EXISTS (SELECT 1 FROM waiting AS w WHERE w.lane = c.lane AND w.sid = c.sid)
  RETURNING 1
)
SELECT (SELECT count(*) FROM up), (SELECT count(*) FROM au), (SELECT count(*) FROM cards)
""")


@dataclass(frozen=True)
class SubmissionRow:
    id: int
    status: str
    decided_by: str | None
    card_channel: str | None


@dataclass(frozen=True)
class VoteRow:
    submission_id: int
    voter: str
    value: str
    at: dt.datetime
    action_us: int | None = None  # Slack's action_ts of the press behind it, in µs


@dataclass(frozen=True)
class AuditRow:
    actor: str
    action: str
    submission_id: int
    detail: dict[str, Any]


async def _read_postgres(session: AsyncSession, sids: Sequence[int], voters: Sequence[str]
                         ) -> tuple[dict[int, SubmissionRow], list[VoteRow]]:
    subs: dict[int, SubmissionRow] = {}
    votes: list[VoteRow] = []
    rows = await session.execute(_READ, {"sids": list(sids), "voters": list(voters)})
    for sid, status, decided_by, card_channel, voter, value, at, us in rows.all():
        subs.setdefault(sid, SubmissionRow(sid, status, decided_by, card_channel))
        if voter is not None:
            votes.append(VoteRow(sid, voter, value, at, us))
    return subs, votes


async def _write_postgres(session: AsyncSession, votes: Sequence[VoteRow],
                          audits: Sequence[AuditRow], cards: dict[int, str]) -> None:
    await session.execute(_WRITE, {
        "v_sid": [v.submission_id for v in votes],
        "v_voter": [v.voter for v in votes],
        "v_value": [v.value for v in votes],
        "v_at": [v.at for v in votes],
        "v_us": [v.action_us for v in votes],
        "now": dt.datetime.now(dt.UTC),
        "a_actor": [a.actor for a in audits],
        "a_action": [a.action for a in audits],
        "a_sid": [a.submission_id for a in audits],
        "a_detail": [json.dumps(a.detail) for a in audits],
        "c_sid": list(cards),
        "c_lane": [f"slack:{channel}" for channel in cards.values()],
        "c_payload": [json.dumps({"submission_id": sid, "channel": channel})
                      for sid, channel in cards.items()],
        "c_key": [f"{KIND_CARD}:{uuid.uuid4()}" for _ in cards],
    })


def _postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def read_for_votes(session: AsyncSession, sids: Sequence[int], voters: Sequence[str]
                         ) -> tuple[dict[int, SubmissionRow], list[VoteRow]]:
    """The submissions (share-locked: votes run side by side, but never interleave with a
    decision) and these voters' votes on them."""
    if _postgres(session):  # two fixed statements: see the module's docstring
        return await _read_postgres(session, sids, voters)
    subs = {row.id: SubmissionRow(row.id, row.status, row.decided_by, row.card_channel)
            for row in (await session.execute(
                select(Submission.id, Submission.status, Submission.decided_by,
                       Submission.card_channel)
                .where(Submission.id.in_(sids)).with_for_update(read=True))).all()}
    rows = [VoteRow(*row) for row in (await session.execute(
        select(Vote.submission_id, Vote.voter, Vote.value, Vote.at, Vote.action_us)
        .where(Vote.submission_id.in_(sids), Vote.voter.in_(voters)))).all()]
    return subs, rows


async def write_votes(session: AsyncSession, votes: Sequence[VoteRow],
                      audits: Sequence[AuditRow], cards: dict[int, str]) -> None:
    """Upsert the votes (in the given order), add the audit rows, and queue one render of
    each card {submission id: channel} unless one is already waiting."""
    if _postgres(session):
        await _write_postgres(session, votes, audits, cards)
        return
    await session.execute(_sqlite_upsert(votes))
    await session.execute(insert(AuditEvent), [
        {"actor": a.actor, "action": a.action, "submission_id": a.submission_id,
         "detail": a.detail} for a in audits])
    for sid, channel in cards.items():
        await enqueue_card(session, sid, channel)


def _sqlite_upsert(votes: Sequence[VoteRow]) -> Any:
    stmt = insert_for("sqlite")(Vote).values([
        {"submission_id": v.submission_id, "voter": v.voter, "value": v.value, "at": v.at,
         "action_us": v.action_us}
        for v in votes
    ])
    # An equal vote (a retry racing another process) updates nothing: its time stays first;
    # nor does a press older than the one behind the stored vote.
    return stmt.on_conflict_do_update(
        index_elements=[Vote.submission_id, Vote.voter],
        set_={"value": stmt.excluded.value, "at": stmt.excluded.at,
              "action_us": func.coalesce(stmt.excluded.action_us, Vote.action_us)},
        where=and_(Vote.value != stmt.excluded.value, or_(
            Vote.action_us.is_(None), stmt.excluded.action_us.is_(None),
            Vote.action_us < stmt.excluded.action_us)),
    )
