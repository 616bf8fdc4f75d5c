"""Leaders' notes on talks: why they would take one or not (pretalx's review text, HotCRP's
comments). For the leaders only: kept, posted in the card's thread (the leadership channel),
shown in `/wgml review` and the export; never in anything a speaker or member sees.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy import select

from bot.audit import record
from bot.curation import notices as notice
from bot.curation.said import NoteInThread, Refusal
from bot.digits import is_number
from bot.leaders import LeadersUnavailable
from bot.services import Services
from storage.models import Note, Submission
from storage.outbox import enqueue_card

log = logging.getLogger("wgml.curation")

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
NOTE_MAX = 2000  # characters a note may hold (the modal's input allows 3000)


@dataclass(frozen=True)
class NoteTarget:
    submission_id: int
    ref: str
    title: str


async def leader_check(services: Services, user: str) -> Refusal | None:
    """None when `user` is a leader, else why not (NOT_A_LEADER or UNAVAILABLE)."""
    channel = services.settings.leadership_channel_id
    if services.leaders is None or not channel or not USER_ID.match(user):
        return Refusal.NOT_A_LEADER
    try:
        if not await services.leaders.is_leader(channel, user):
            return Refusal.NOT_A_LEADER
    except LeadersUnavailable:
        return Refusal.UNAVAILABLE
    return None


def parse_note_value(value: str) -> int | None:
    """The Note button's value, "12:add", as the submission id; None when unreadable."""
    sid, _, what = (value or "").partition(":")
    if what != "add" or not is_number(sid) or int(sid) <= 0:
        return None
    return int(sid)


async def note_target(services: Services, submission_id: int) -> NoteTarget | None:
    async with services.db.session() as session:
        row = (await session.execute(select(Submission.ref, Submission.title, Submission.status)
                                     .where(Submission.id == submission_id))).first()
    if row is None or row.status == "pending_confirmation":
        return None  # leaders never see a talk its speaker has not confirmed
    return NoteTarget(submission_id, row.ref or f"#{submission_id}", row.title)


def note_error(text: str) -> str | None:
    """Why this note cannot be kept (shown on the modal's field), or None."""
    if not text.strip():
        return "Write a note, or cancel."
    if len(text) > NOTE_MAX:
        return f"A note holds at most {NOTE_MAX:,} characters; this one has {len(text):,}."
    return None


async def add_note(services: Services, leader: str, submission_id: int, text: str,
                   view_id: str) -> Refusal | str | None:
    """Keep the note and post it in the card's thread; None when done, else why not (for
    the modal: a Refusal the surface words, or what is wrong with the note itself). A
    view_submission Slack sends twice is one note (its view id)."""
    text = text.strip()
    if (problem := note_error(text)) is not None:
        return problem
    if (refusal := await leader_check(services, leader)) is not None:
        return Refusal.NOTES_FOR_LEADERS if refusal is Refusal.NOT_A_LEADER else refusal
    now = services.now()
    async with services.db.transaction() as session:
        if view_id and await session.scalar(select(Note.id).where(Note.view_id == view_id)):
            return None  # the same modal submitted again
        sub = await session.get(Submission, submission_id)
        if sub is None or sub.status == "pending_confirmation":
            return Refusal.MISSING
        row = Note(submission_id=sub.id, by=leader, text=text, at=now,
                   view_id=view_id[:64] or None)
        session.add(row)
        await session.flush()
        await notice.post_in_thread(session, sub, "", key=f"note:{row.id}",
                                    said=NoteInThread(leader, text))
        channel = sub.card_channel or services.settings.leadership_channel_id or ""
        if channel:
            await enqueue_card(session, sub.id, channel)  # the card counts the notes
        await record(session, leader, "note.added", submission_id=sub.id,
                     detail={"note_id": row.id, "length": len(text)})
    log.info("event=curation.note submission=%s leader=%s", submission_id, leader)
    services.deliverer.kick()
    return None
