"""Queueing outgoing messages in the caller's transaction (delivery lives in scheduler.outbox).

Payload of a row of kind "email": {"to": [addresses], "subject", "text", optional "html",
"in_reply_to", "references" (list), "auto_submitted", "message_id", "reply_to", "calendar"};
or, instead of "subject" and "text", "said": a value of the domain's (its KIND and fields),
worded by bot.email.said when the row is delivered.
The Message-ID is chosen when the row is queued, so a retry after a lost connection sends the
same message, which receivers deduplicate (bot.email.send builds it, scheduler sends it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, Submission, utcnow

KIND_CARD = "slack.card"  # render the submission's leadership card and post or update it
KIND_MESSAGE = "slack.message"  # chat.postMessage (a user id as channel means a DM)
KIND_EPHEMERAL = "slack.ephemeral"  # chat.postEphemeral
KIND_EMAIL = "email"  # one email through SMTP
KIND_INVITE = "slack.invite"  # conversations.invite: one member into a channel
# The program of a cycle changed: at delivery, one render queued for each of its cards.
KIND_CYCLE_CARDS = "slack.cycle_cards"
# The public archive's data changed: at delivery, the site is built again (scheduler.site_jobs).
KIND_SITE_REBUILD = "site.rebuild"
SITE_LANE = "site"

# The cycle's slots summary: one message in the leadership channel, posted by the row keyed
# `slots:CYCLE:CHANNEL` (its result holds the message's ts) and updated in place after.
KIND_SLOTS = "slack.slots"


def slots_key(cycle_id: int, channel: str) -> str:
    return f"slots:{cycle_id}:{channel}"


def lazy_lane(channel: str) -> str:
    """Where the renders of a cycle's cards after its slots filled go: beside the channel's
    lane, paced, so the votes' renders in the channel's own lane never wait behind them."""
    return f"slack-lazy:{channel}"


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    lane: str,
    payload: dict[str, Any],
    key: str | None = None,
    not_before: dt.datetime | None = None,
    key_is_new: bool = False,
    card_of: int | None = None,
) -> OutboxMessage | None:
    """Queue a message; a key seen before queues nothing (returns None). `key_is_new`: the
    caller has looked the key up already (the email intake does, for a batch at once)."""
    if key is not None and not key_is_new:  # a random key cannot have been seen: no lookup
        existing = await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)
        )
        if existing is not None:
            return None
    key = key or f"{kind}:{uuid.uuid4()}"
    row = OutboxMessage(
        idempotency_key=key,
        kind=kind,
        lane=lane,
        payload=payload,
        status="pending",
        next_attempt_at=not_before or utcnow(),
        card_of=card_of,
    )
    session.add(row)
    return row


async def enqueue_card(session: AsyncSession, submission_id: int, channel: str) -> None:
    """Ask for the card to be (re)rendered from the database and posted or updated in place.

    Rendering happens at delivery, so whatever the order of concurrent votes, the last
    delivery shows what the database holds. A render of this card still waiting in the
    lane (not yet claimed) will show our change too, so none is added: a burst of votes
    makes one chat.update, not one each. That row is locked until we commit, so a
    deliverer cannot claim and render it in between (PostgreSQL; SQLite writes serialise).
    """
    lane = f"slack:{channel}"
    waiting = await session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.card_of == submission_id,
            OutboxMessage.status == "pending",
            OutboxMessage.kind == KIND_CARD,
            OutboxMessage.lane == lane,
        ).limit(1).with_for_update()
    )
    if waiting is not None:
        return
    await enqueue(
        session,
        kind=KIND_CARD,
        lane=lane,
        payload={"submission_id": submission_id, "channel": channel},
        card_of=submission_id,
    )


async def enqueue_site_rebuild(session: AsyncSession) -> bool:
    """Ask for the public archive to be built again once this transaction commits; False
    when a rebuild is already waiting (not yet claimed), which will read this change too.

    As with enqueue_card, the waiting row is locked until we commit, so a deliverer cannot
    claim and build it in between: ten changes before delivery comes round make one build.
    A rebuild already being built read the database before this change: a new row follows.
    """
    waiting = await session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.status == "pending",
            OutboxMessage.kind == KIND_SITE_REBUILD,
            OutboxMessage.lane == SITE_LANE,
        ).limit(1).with_for_update()
    )
    if waiting is not None:
        return False
    await enqueue(session, kind=KIND_SITE_REBUILD, lane=SITE_LANE, payload={})
    return True


async def enqueue_cycle_cards(session: AsyncSession, cycle_id: int, except_id: int,
                              channel: str) -> None:
    """Ask for every card of the cycle to be rendered again (its slots line changed), as
    one row: the decision's transaction stays O(1) however large the call, and a burst of
    decisions before delivery comes round makes one pass over the cards, not one each."""
    lane = f"slack:{channel}"
    waiting = (await session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.status == "pending",
            OutboxMessage.kind == KIND_CYCLE_CARDS,
            OutboxMessage.lane == lane,
        ).with_for_update()
    )).all()
    for row in waiting:
        if row.payload.get("cycle_id") == cycle_id:
            # The decided card renders on its own; a card decided earlier in the burst
            # is rendered by the pass (its slots line changed since).
            if row.payload.get("except_id") != except_id:
                row.payload = {**row.payload, "except_id": None}
            return
    await enqueue(
        session,
        kind=KIND_CYCLE_CARDS,
        lane=lane,
        payload={"cycle_id": cycle_id, "except_id": except_id, "channel": channel},
    )


async def enqueue_slots_summary(session: AsyncSession, cycle_id: int, channel: str) -> None:
    """Ask for the cycle's slots summary to be rendered (posted the first time, updated in
    place after); a render still waiting covers this change too. Found by its unique key
    and the outbox's due index, never by reading history."""
    lane = f"slack:{channel}"
    key = slots_key(cycle_id, channel)
    anchor = await session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.idempotency_key == key))
    if anchor is None:
        await enqueue(session, kind=KIND_SLOTS, lane=lane, key=key, key_is_new=True,
                      payload={"cycle_id": cycle_id, "channel": channel})
        return
    waiting = (await session.scalars(select(OutboxMessage).where(
        OutboxMessage.status == "pending", OutboxMessage.kind == KIND_SLOTS,
        OutboxMessage.lane == lane).with_for_update())).all()
    if any(row.payload.get("cycle_id") == cycle_id for row in waiting):
        return
    await enqueue(session, kind=KIND_SLOTS, lane=lane,
                  payload={"cycle_id": cycle_id, "channel": channel, "anchor": key})


def said_payload(value: Any) -> dict[str, Any]:
    """A domain value as an outbox row stores it: its KIND and its fields."""
    return {"kind": value.KIND, **dataclasses.asdict(value)}


class Unreadable(TypeError):
    """A stored value this version cannot load (a field missing, unknown or of another shape):
    the row is refused for good, never delivered half-read. A TypeError, as the outbox's
    senders have always caught."""


V = TypeVar("V")


def load(cls: type[V], data: Mapping[str, Any]) -> V:
    """The value of `cls` from its stored fields (said_of's): through its `from_fields` where
    it holds nested values (they come back from JSON as dicts and lists), else cls(**fields).
    Whatever it cannot read raises Unreadable naming the kind and the fields it was given."""
    from_fields = getattr(cls, "from_fields", None)
    try:
        return from_fields(dict(data)) if from_fields is not None else cls(**data)
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        kind = getattr(cls, "KIND", cls.__name__)
        raise Unreadable(f"cannot load {kind!r} from fields {sorted(data)}: "
                         f"{type(exc).__name__}: {exc}") from exc


def said_of(payload: dict[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """(kind, fields) of a row's stored value; None for a row queued as text (an earlier
    version's). The surfaces look the kind up in their RENDER tables."""
    said = payload.get("said")
    if said is None:
        return None
    fields = dict(said)
    return fields.pop("kind", None), fields


async def enqueue_slack_message(
    session: AsyncSession,
    *,
    channel: str,
    text: str = "",
    blocks: list[dict[str, Any]] | None = None,
    key: str | None = None,
    thread_ts: str | None = None,
    said: Any = None,
) -> None:
    """A chat.postMessage; `said` (a value of the domain's, a frozen dataclass with a KIND) is
    stored as it is and rendered at delivery by bot.slack_ui.said, beside `text` if any."""
    payload: dict[str, Any] = {"channel": channel, "text": text}
    if said is not None:
        payload["said"] = said_payload(said)
    if blocks:
        payload["blocks"] = blocks
    if thread_ts:
        payload["thread_ts"] = thread_ts
    await enqueue(session, kind=KIND_MESSAGE, lane=f"slack:{channel}", payload=payload, key=key)


async def enqueue_ephemeral(
    session: AsyncSession, *, channel: str, user: str, text: str, key: str | None = None
) -> None:
    await enqueue(
        session,
        kind=KIND_EPHEMERAL,
        lane=f"slack:{channel}",
        payload={"channel": channel, "user": user, "text": text},
        key=key,
    )


LANE_CHARS = 64  # outbox.lane
MAX_THREAD_IDS = 50  # per submission: enough for any real conversation, bounded for a loop


def new_message_id(domain: str) -> str:
    return f"<wgml.{uuid.uuid4().hex}@{domain}>"


async def enqueue_email(
    session: AsyncSession,
    *,
    to: list[str],
    subject: str = "",
    text: str = "",
    domain: str,
    html: str | None = None,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    auto_submitted: str | None = None,
    reply_to: str | None = None,
    key: str | None = None,
    key_is_new: bool = False,
    calendar: str | None = None,
    said: Any = None,
) -> str | None:
    """Queue one email in the caller's transaction; returns its Message-ID (None if the key
    was queued before, so nothing new was queued). `key_is_new`: the caller looked it up.

    `said` (a value of the domain's, a frozen dataclass with a KIND) is stored as it is, in
    place of `subject` and `text`, and worded at delivery by bot.email.said; the Message-ID
    and the threading headers are decided now either way."""
    message_id = new_message_id(domain)
    payload: dict[str, Any] = {"to": list(to), "message_id": message_id}
    if said is not None:
        payload["said"] = said_payload(said)
    else:
        payload.update(subject=subject, text=text)
    if html:
        payload["html"] = html
    if in_reply_to:
        payload["in_reply_to"] = in_reply_to
    if references:
        payload["references"] = list(references)
    if auto_submitted:
        payload["auto_submitted"] = auto_submitted
    if reply_to:
        payload["reply_to"] = reply_to
    if calendar:
        payload["calendar"] = calendar  # an iCalendar text: a text/calendar part
    lane = email_lane(to[0] if to else "nobody")
    row = await enqueue(session, kind=KIND_EMAIL, lane=lane, payload=payload, key=key,
                        key_is_new=key_is_new)
    return message_id if row is not None else None


def email_lane(address: str) -> str:
    """The outbox lane of mail to one address (its deliveries keep their order).

    The lane column holds 64 characters (PostgreSQL enforces it: a long address failed the
    whole message there); a longer address gets a lane named for its hash, `email:#...`.
    """
    lane = f"email:{address.lower()}"
    if len(lane) <= LANE_CHARS:
        return lane
    return "email:#" + hashlib.sha256(address.lower().encode()).hexdigest()[:40]


def remember_thread_id(submission: Submission, message_id: str) -> None:
    """Note a Message-ID of the submission's email thread, so a reply to it finds the talk."""
    thread = dict(submission.email_thread_ids or {})
    ids = list(thread.get("ids", []))
    if message_id not in ids:
        ids.append(message_id)
    thread["ids"] = ids[-MAX_THREAD_IDS:]
    submission.email_thread_ids = thread  # a new dict, so the JSON column is written
