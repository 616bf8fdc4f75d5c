"""Ten years of a working group, seeded through the project's models (bulk inserts into the
models' tables): 100 cycles, 50 leaders, N talks with ~150-word abstracts and their
confirmed versions, ~10 votes and a few notes each, recusals, decisions, audit events and
the outbox rows their messages left, and wishes. The newest cycle is an open call of
min(1000, N) talks waiting for a decision (the call the vote, accept and decline happen
in); the talks before it are spread over 99 past sessions, 3 accepted each. Speaker 1 is
prolific (one talk in 50). Deterministic for a given N.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert

from bench.themes_scale import abstract_for
from storage.db import Database
from storage.migrate import stamp_head
from storage.models import (
    AuditEvent,
    Base,
    Cycle,
    Decision,
    Note,
    OutboxMessage,
    Recusal,
    Speaker,
    Submission,
    SubmissionVersion,
    Vote,
    Wish,
    WishBacking,
)

LEADS = "CLEADERS1"
ANNOUNCE = "CANNOUNCE1"
LEADERS = [f"UL{i:03d}" for i in range(50)]
PROLIFIC = "USPEAK00001"
CYCLES = 100
BIG_CALL = CYCLES  # the open call's id
FOCUS = ["content_creation", "rendering", "pipeline", "animation", "other"]
BATCH = 5000


def card_ts(submission_id: int) -> str:
    return f"{1700000000 + submission_id}.000100"


async def create_schema(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
        await conn.run_sync(stamp_head)


async def seed(db: Database, n: int, *, now: dt.datetime | None = None,
               schema: bool = True) -> dict[str, int]:
    """Seed `n` talks; returns how many rows each table got."""
    rng = random.Random(n)
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    today = now.date()
    if schema:
        await create_schema(db)
    tables: dict[str, list[dict[str, Any]]] = {}
    counts: dict[str, int] = {}

    async def add(model: type[Base], row: dict[str, Any], conn: Any) -> None:
        rows = tables.setdefault(model.__tablename__, [])
        rows.append(row)
        if len(rows) >= BATCH:
            await flush(model, conn)

    async def flush(model: type[Base], conn: Any) -> None:
        if model is not Submission:  # the talks their rows point at go in first
            await flush(Submission, conn)
        rows = tables.pop(model.__tablename__, [])
        if rows:
            await conn.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
            counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)

    big = min(1000, n)
    past = n - big
    async with db.engine.begin() as conn:
        cycles: list[dict[str, Any]] = []
        for k in range(1, CYCLES + 1):
            if k == BIG_CALL:
                deadline, session = today + dt.timedelta(days=10), today + dt.timedelta(days=30)
                status = "open"
            else:
                session = today - dt.timedelta(days=30 * (CYCLES - k) + 10)
                deadline, status = session - dt.timedelta(days=20), "closed"
            cycles.append({
                "id": k, "title": f"Session {session:%B %Y}", "theme": None,
                "deadline": dt.datetime.combine(deadline, dt.time(23, 59), tzinfo=dt.UTC),
                "deadline_date": deadline, "session_date": session,
                "announce_at": dt.datetime.combine(deadline - dt.timedelta(days=30), dt.time(9),
                                                   tzinfo=dt.UTC),
                "timezone": "UTC", "status": status,
                "created_at": dt.datetime.combine(deadline - dt.timedelta(days=31), dt.time(9),
                                                  tzinfo=dt.UTC),
                "slots": 3, "session_time": "17:00",
                "join_url": "https://meet.example.org/wgml", "decide_by": deadline
                + dt.timedelta(days=3), "program_sequence": 0})
        await conn.execute(insert(Cycle.__table__), cycles)
        speakers = max(10, n // 10)
        studios = [f"Studio {i}" for i in range(60)]
        await conn.execute(insert(Speaker.__table__), [
            {"id": i, "name": f"Speaker {i}", "email": f"speaker{i}@studio{i % 60}.example",
             "slack_user_id": PROLIFIC if i == 1 else (f"US{i:08d}" if i % 2 else None),
             "studio": studios[i % 60], "networking_opt_out": i % 17 == 0,
             "created_at": now - dt.timedelta(days=3650)}
            for i in range(1, speakers + 1)])
        outbox_id = audit_id = 0
        for sid in range(1, n + 1):
            in_big = sid > past
            cycle = BIG_CALL if in_big else 1 + (sid - 1) * (CYCLES - 1) // max(1, past)
            c = cycles[cycle - 1]
            created = c["deadline"] - dt.timedelta(hours=rng.randint(24, 24 * 25),
                                                   seconds=sid % 3600)
            speaker = 1 if sid % 50 == 0 else rng.randint(2, speakers)
            title, abstract, results = abstract_for(rng)
            if in_big:
                status = "pending_confirmation" if sid % 97 == 0 else "submitted"
            else:
                slot = (sid - 1) * (CYCLES - 1) % max(1, past)
                status = "accepted" if slot < 3 * (CYCLES - 1) and rng.random() < 0.5 \
                    else ("withdrawn" if rng.random() < 0.02 else "declined")
            confirmed = status != "pending_confirmation"
            decided = status in ("accepted", "declined")
            decided_at = c["deadline"] + dt.timedelta(days=2) if decided else None
            decider = LEADERS[sid % len(LEADERS)] if decided else None
            await add(Submission, {
                "id": sid, "ref": f"WGML-{created.year}-{sid:05d}", "cycle_id": cycle,
                "speaker_id": speaker, "title": title, "focus_area": FOCUS[sid % len(FOCUS)],
                "abstract": abstract, "results": results, "studio": "",
                "source": "slack" if sid % 3 else "email", "status": status,
                "confidentiality_confirmed": confirmed,
                "confidentiality_confirmed_at": created if confirmed else None,
                "slack_view_id": None, "email_message_id": None, "email_thread_ids": {},
                "card_channel": LEADS if confirmed else None,
                "card_ts": card_ts(sid) if confirmed else None,
                "decided_by": decider, "decided_at": decided_at,
                "attendance": "confirmed" if status == "accepted" else None,
                "slides_url": f"https://slides.example.org/{sid}" if status == "accepted"
                else None, "recording_url": None,
                # Most accepted speakers agreed to the public archive; some said no.
                "publish": (sid % 4 != 0) if status == "accepted" else None,
                "created_at": created, "updated_at": decided_at or created}, conn)
            if not confirmed:
                continue
            for v in range(1, 2 + (sid % 5 == 0)):
                await add(SubmissionVersion, {
                    "submission_id": sid, "n": v, "title": title, "focus_area": "other",
                    "abstract": abstract, "results": results, "studio": "",
                    "created_at": created + dt.timedelta(hours=v),
                    "created_by": "speaker", "channel": "slack",
                    "confirmed_at": created + dt.timedelta(hours=v), "statement": "ok",
                    "request_message_id": None}, conn)
            voters = rng.sample(LEADERS, rng.randint(6, 14))
            recused = LEADERS[(sid * 7) % len(LEADERS)] if sid % 20 == 0 else None
            for j, voter in enumerate(voters):
                if voter == recused:
                    continue
                at = created + dt.timedelta(hours=2 + j, seconds=sid % 60)
                await add(Vote, {"submission_id": sid, "voter": voter,
                                 "value": rng.choice(("yes", "yes", "maybe", "no")),
                                 "at": at, "action_us": None}, conn)
                audit_id += 1
                await add(AuditEvent, {"id": audit_id, "at": at, "actor": voter,
                                       "action": "vote.cast", "submission_id": sid,
                                       "detail": {"value": "yes"}}, conn)
            for j in range(rng.randint(0, 4)):
                await add(Note, {"submission_id": sid, "by": rng.choice(LEADERS),
                                 "text": f"Note {j}: a strong case for the {title} talk.",
                                 "at": created + dt.timedelta(hours=20 + j),
                                 "view_id": None}, conn)
            if recused:
                await add(Recusal, {"submission_id": sid, "leader": recused, "active": True,
                                    "at": created + dt.timedelta(hours=1), "action_us": None},
                          conn)
            if decided:
                await add(Decision, {"submission_id": sid, "outcome": status, "by": decider,
                                     "at": decided_at, "action_us": None}, conn)
                audit_id += 1
                await add(AuditEvent, {"id": audit_id, "at": decided_at, "actor": decider,
                                       "action": f"decision.{status}", "submission_id": sid,
                                       "detail": {}}, conn)
            # What its history sent: the card posted and updated, the speaker's DMs or mail.
            for j in range(9 if decided else 6):
                outbox_id += 1
                kind = "slack.card" if j < 4 else ("email" if sid % 3 == 0 else "slack.message")
                await add(OutboxMessage, {
                    "id": outbox_id, "idempotency_key": f"seed:{outbox_id}", "kind": kind,
                    "lane": f"slack:{LEADS}" if kind == "slack.card" else f"dm:{speaker}",
                    "payload": {"submission_id": sid, "channel": LEADS}
                    if kind == "slack.card" else {"channel": f"U{speaker}", "text": "Thanks"},
                    "card_of": sid if kind == "slack.card" else None,
                    "status": "sent" if j < 8 else "superseded", "attempts": 1,
                    "next_attempt_at": created, "claimed_by": None, "claimed_until": None,
                    "last_error": None, "result": {"ts": card_ts(sid)}, "created_at": created,
                    "sent_at": created}, conn)
        for model in (Submission, SubmissionVersion, Vote, AuditEvent, Note, Recusal, Decision,
                      OutboxMessage):
            await flush(model, conn)
        wishes = max(20, n // 50)
        await conn.execute(insert(Wish.__table__), [
            {"id": w, "text": f"How studios use {abstract_for(rng)[0].lower()}",
             "key": f"wish {w}", "by": f"UM{w:05d}", "status": "open" if w % 5 else "closed",
             "created_at": now - dt.timedelta(days=w % 700), "closed_by": None,
             "closed_at": None, "answered_at": None} for w in range(1, wishes + 1)])
        await conn.execute(insert(WishBacking.__table__), [
            {"wish_id": w, "member": f"UM{m:05d}", "active": True,
             "at": now - dt.timedelta(days=1), "action_us": None}
            for w in range(1, wishes + 1) for m in range(w % 7 + 1)])
    if db.engine.dialect.name == "postgresql":
        async with db.engine.begin() as conn:  # explicit ids: move the sequences past them
            for table in ("submissions", "outbox", "audit_events", "cycles", "speakers",
                          "wishes"):
                await conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
            await conn.exec_driver_sql("ANALYZE")
    else:
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
    return counts
