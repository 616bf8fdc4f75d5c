"""Email intake: raw messages stored first, then the rules, a fetch batch at a time.

Every message is stored raw (keyed by Message-ID, or a hash of its bytes) before anything
parses it: a batch's messages in one transaction (an INSERT that skips Message-IDs already
stored). Then the batch's new messages go through the rules in one transaction; if anything
in it fails, the whole batch is rolled back and each message is processed alone, so one bad
message fails by itself, its raw bytes and error kept to be replayed (`wgml-bot email
replay`) once the cause is fixed. A Message-ID seen before is not processed again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.email.cache import IntakeCache
from bot.email.reply import ParsedEmail, message_id_of, parse_message
from bot.email.rules import handle
from storage.db import Database
from storage.models import InboundMessage, Submission
from storage.upsert import insert_for

log = logging.getLogger("wgml.email")


@dataclass(frozen=True)
class Outcome:
    message_id: str
    outcome: str
    submission: str | None = None  # the submission's reference
    inbound_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"message_id": self.message_id, "outcome": self.outcome,
                "submission": self.submission}


@dataclass(frozen=True)
class _Stored:
    id: int
    status: str
    ref: str | None


async def ingest(db: Database, settings: Settings, raw: bytes, *, source: str,
                 now: dt.datetime) -> Outcome:
    """Store the raw message, then process it unless its Message-ID was seen before."""
    return (await ingest_batch(db, settings, [raw], source=source, now=now))[0]


async def ingest_batch(db: Database, settings: Settings, raws: Sequence[bytes], *,
                       source: str, now: dt.datetime) -> list[Outcome]:
    """Store every raw message, then process the new ones; one outcome per message, in order.

    Returns only once each message is stored and processed or recorded as failed; raises
    (with nothing processed) when the messages could not be stored.
    """
    # Reading and parsing mail is CPU work: in a thread, so a big or hostile message never
    # holds up the event loop (Slack's 3-second acknowledgements, /healthz, the outbox).
    ids = await asyncio.to_thread(lambda: [message_id_of(raw) for raw in raws])
    stored = await _store(db, ids, raws, source=source, now=now)
    todo: dict[str, int] = {}  # Message-ID -> inbound id, in arrival order
    raw_of: dict[str, bytes] = {}
    for mid, raw in zip(ids, raws, strict=True):
        row = stored.get(mid)
        if row is not None and row.status == "new" and mid not in todo:
            todo[mid] = row.id
            raw_of[mid] = raw
    # Parsed now that they are stored, before the rules' transaction: on SQLite that holds
    # the write lock, which parsing a batch would otherwise prolong for every other writer.
    # (A row stored earlier with other bytes under this Message-ID is parsed from the row.)
    parsed = await _parse_all(settings, list(raw_of.values()))
    done = dict(zip(todo, await _process_all(db, settings, list(todo.values()), now=now,
                                             parsed=parsed), strict=True))
    outcomes: list[Outcome] = []
    answered: set[str] = set()
    for mid in ids:
        first = done.get(mid)
        row = stored.get(mid)
        if first is not None and mid not in answered:
            outcomes.append(first)
            answered.add(mid)
        elif first is not None:  # a second copy in the same batch
            outcomes.append(Outcome(mid, "duplicate", first.submission, first.inbound_id))
        elif row is not None:
            outcomes.append(Outcome(mid, "duplicate", row.ref, row.id))
        else:  # stored a moment ago, then gone: not ours to process
            outcomes.append(Outcome(mid, "duplicate"))
    return outcomes


async def _store(db: Database, ids: list[str], raws: Sequence[bytes], *, source: str,
                 now: dt.datetime) -> dict[str, _Stored]:
    """One transaction: the messages not stored yet are inserted; every one's stored state."""
    fresh: dict[str, bytes] = {}
    for mid, raw in zip(ids, raws, strict=True):
        fresh.setdefault(mid, raw)  # the same Message-ID twice in a batch: the first copy
    if not fresh:
        return {}
    insert = insert_for(db.engine.dialect.name)
    async with db.transaction() as session:
        # ON CONFLICT DO NOTHING: a message stored before (by us or another replica, even
        # one committing right now) is skipped, not an error that would undo the batch.
        await session.execute(
            insert(InboundMessage).on_conflict_do_nothing(index_elements=["message_id"]),
            [{"message_id": mid, "raw": raw, "source": source, "received_at": now,
              "status": "new"} for mid, raw in fresh.items()],
        )
        rows = await session.execute(
            select(InboundMessage.id, InboundMessage.message_id, InboundMessage.status,
                   Submission.ref)
            .outerjoin(Submission, Submission.id == InboundMessage.submission_id)
            .where(InboundMessage.message_id.in_(list(fresh)))
        )
        return {mid: _Stored(row_id, status, ref) for row_id, mid, status, ref in rows}


async def _process_all(db: Database, settings: Settings, inbound_ids: list[int], *,
                       now: dt.datetime, parsed: Mapping[bytes, ParsedEmail]) -> list[Outcome]:
    """The rules for stored messages: one transaction for all, else one each."""
    if len(inbound_ids) <= 1:
        return [await process(db, settings, i, now=now, parsed=parsed) for i in inbound_ids]
    try:
        async with db.transaction() as session:
            found = {row.id: row for row in await session.scalars(
                select(InboundMessage).where(InboundMessage.id.in_(inbound_ids))
                .order_by(InboundMessage.id).with_for_update())}
            rows = [found[i] for i in inbound_ids]
            outcomes = await run_rules(session, settings, rows, now=now, parsed_before=parsed)
    except Exception as exc:
        # Rolled back, nothing half done: each message alone, so only a bad one fails.
        log.warning("event=email.batch_failed messages=%s error=%s; one at a time",
                    len(inbound_ids), f"{type(exc).__name__}: {exc}"[:300])
        return [await process(db, settings, i, now=now) for i in inbound_ids]
    for outcome in outcomes:
        log_outcome(outcome)
    return outcomes


async def _parse_all(settings: Settings, raws: list[bytes]) -> dict[bytes, ParsedEmail]:
    """The messages parsed in a worker thread; one over EMAIL_MAX_BYTES is never parsed."""
    small = [raw for raw in raws if len(raw) <= settings.email_max_bytes]
    if not small:
        return {}
    return await asyncio.to_thread(lambda: {raw: parse_message(raw) for raw in small})


async def process(db: Database, settings: Settings, inbound_id: int, *, now: dt.datetime,
                  replay: bool = False,
                  parsed: Mapping[bytes, ParsedEmail] | None = None) -> Outcome:
    """Run the pipeline on a stored message; a replay also takes failed and done ones."""
    message_id = ""
    try:
        async with db.transaction() as session:
            row = await session.get(InboundMessage, inbound_id, with_for_update=True)
            if row is None:
                raise LookupError(f"no inbound message with id {inbound_id}")
            message_id = row.message_id
            outcome = (await run_rules(session, settings, [row], now=now, replay=replay,
                                       parsed_before=parsed))[0]
        log_outcome(outcome)
        return outcome
    except LookupError:
        raise
    except Exception as exc:
        log.exception("event=email.failed inbound_id=%s message_id=%s", inbound_id, message_id)
        async with db.transaction() as session:
            row = await session.get(InboundMessage, inbound_id)
            if row is not None:
                row.status = "failed"
                row.outcome = "failed"
                row.error = f"{type(exc).__name__}: {exc}"[:4000]
                row.processed_at = now
                message_id = row.message_id
        return Outcome(message_id, "failed", None, inbound_id)


async def run_rules(session: AsyncSession, settings: Settings, rows: list[InboundMessage], *,
                    now: dt.datetime, replay: bool = False,
                    parsed_before: Mapping[bytes, ParsedEmail] | None = None) -> list[Outcome]:
    """Parse and handle stored messages in order, in the caller's transaction (rows locked).

    `parsed_before`: raw bytes already parsed (outside the transaction); others are parsed
    here. Any exception leaves the transaction half done: the caller rolls it back.
    """
    known = dict(parsed_before or {})
    missing = [row.raw for row in rows if row.raw not in known]
    known.update(await _parse_all(settings, missing))
    parsed = [known.get(row.raw) for row in rows]
    cache = IntakeCache(session, now, senders=[p.sender for p in parsed if p is not None],
                        message_ids=[row.message_id for row in rows])
    outcomes: list[Outcome] = []
    for row, message in zip(rows, parsed, strict=True):
        if row.status != "new" and not replay:
            outcomes.append(Outcome(row.message_id, "duplicate",
                                    await _ref(session, row.submission_id), row.id))
            continue
        if message is None:  # over EMAIL_MAX_BYTES: kept as received, never read nor answered
            log.warning("event=email.too_large message_id=%s bytes=%s limit=%s",
                        row.message_id, len(row.raw), settings.email_max_bytes)
            row.status = "ignored"
            row.outcome = "too_large"
            row.error = None
            row.processed_at = now
            outcomes.append(Outcome(row.message_id, "too_large", None, row.id))
            continue
        result = await handle(session, settings, message, row.message_id, now, cache)
        row.status = "ignored" if result.ignored else "processed"
        row.outcome = result.outcome
        row.error = None
        row.sender = message.sender[:320] or None
        row.submission = result.submission
        row.processed_at = now
        outcomes.append(Outcome(row.message_id, result.outcome,
                                result.submission.ref if result.submission else None, row.id))
    return outcomes


def log_outcome(outcome: Outcome) -> None:
    log.info("event=email.processed message_id=%s outcome=%s submission=%s",
             outcome.message_id, outcome.outcome, outcome.submission)


async def _ref(session: AsyncSession, submission_id: int | None) -> str | None:
    if submission_id is None:
        return None
    return await session.scalar(select(Submission.ref).where(Submission.id == submission_id))
