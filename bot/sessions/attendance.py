"""Will the speaker present? Asked when a talk is accepted, answered by button or email.

A "no" withdraws the talk: the leaders' card and its thread say so and name the best-voted
talk of the cycle still undecided, so a free slot is never noticed only on the day.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.curation.notices import post_in_thread
from bot.curation.program import refresh_cycle_cards
from bot.services import Services
from bot.sessions.said import (
    AttendanceAnswer,
    AttendanceInThread,
    SilentSpeaker,
    SpeakersSilent,
)
from bot.talks.confirmation import classify_confirmation
from bot.talks.status import Status
from bot.talks.votes import Tally, tally
from storage.models import Cycle, Submission
from storage.outbox import enqueue_card

log = logging.getLogger("wgml.sessions")

CONFIRMED = "confirmed"
DECLINED = "declined"
ATTEND_YES = "attend_yes"
ATTEND_NO = "attend_no"
REMIND_AFTER = dt.timedelta(days=3)  # one reminder after three days of silence
LEADERS_DAYS = 5  # the leaders are told this many days before the session
_VALUE = re.compile(r"^([0-9]{1,12})$")


# Words that say "not" anywhere in the first lines: an answer holding any of them never
# reads as a yes (a "yes" beside one is unclear, and a person reads it).
_NEGATION = re.compile(
    r"\b(no|not|never|can ?not|can't|cant|cannot|won't|wont|unable|unfortunately|sorry|"
    r"don't|dont|do not|couldn't|won't be|no longer|regret|afraid|decline|withdraw)\b|"
    r"n't\b", re.I)
_YES_PRESENT = re.compile(
    r"\b(i'll|i will|i can(?!'t| ?not)|happy to|glad to|count me in|will be there|see you)\b",
    re.I)
_UNSURE = re.compile(r"\b(not sure|maybe|might|perhaps|probably|check|let you know|\?)", re.I)
_LEADING_YES = re.compile(r"^(yes|yep|yeah|yup|sure|ok|okay|absolutely|definitely|of course)\b",
                          re.I)


def classify_answer(reply_text: str) -> str:
    """"yes", "no" or "unclear" from what the speaker wrote first (quotes already cut)."""
    text = reply_text.replace("\u2019", "'")
    lines = [line.strip() for line in text.split("\n") if line.strip()][:4]
    head = " ".join(lines)
    if not head:
        return "unclear"
    base = classify_confirmation(text)
    if _UNSURE.search(head) is not None:
        return "unclear"  # withdrawing a talk on a "maybe" would be worse than asking again
    if _NEGATION.search(head) is not None:
        # A refusal withdraws the talk: only a plain one counts; "yes ... can't" is unclear.
        return "unclear" if base == "yes" or _LEADING_YES.match(head) else "no"
    if base == "yes" or _YES_PRESENT.search(head):
        return "yes"
    return "unclear"


async def best_undecided(session: AsyncSession, cycle_id: int | None
                         ) -> tuple[Submission, Tally] | None:
    """The cycle's undecided talk with the most yes votes (then fewest no, then oldest)."""
    if cycle_id is None:
        return None
    rows = (await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle_id, Submission.status == Status.SUBMITTED,
    ).order_by(Submission.id))).unique().all()
    scored = [(s, tally(v.value for v in s.votes)) for s in rows]
    if not scored:
        return None
    return max(scored, key=lambda st: (st[1].yes, st[1].maybe, -st[1].no, -st[0].id))


async def answer(session: AsyncSession, sub: Submission, verdict: str, *, actor: str,
                 now: dt.datetime, leadership_channel: str | None) -> str:
    """Record the speaker's answer; returns what happened: confirmed | declined | unchanged
    | closed."""
    if sub.status != Status.ACCEPTED:
        return "closed"
    new = CONFIRMED if verdict == "yes" else DECLINED
    if sub.attendance == new:
        return "unchanged"
    sub.attendance = new
    sub.attendance_at = now
    sub.updated_at = now
    await record(session, actor, f"attendance.{new}", submission_id=sub.id)
    if new == CONFIRMED:
        await post_in_thread(session, sub, "", key=f"attend:{sub.id}:{CONFIRMED}",
                             said=AttendanceInThread(confirmed=True))
        return CONFIRMED
    sub.status = Status.WITHDRAWN
    channel = sub.card_channel or leadership_channel
    if channel:
        await enqueue_card(session, sub.id, channel)
        await refresh_cycle_cards(session, sub.cycle_id, sub.id, channel, -1)
    best = await best_undecided(session, sub.cycle_id)
    said = AttendanceInThread(confirmed=False) if best is None else AttendanceInThread(
        False, best[0].title, best[0].ref or f"#{best[0].id}", best[1].text())
    await post_in_thread(session, sub, "", key=f"attend:{sub.id}:{DECLINED}", said=said)
    log.info("event=attendance.declined submission=%s", sub.id)
    return DECLINED


async def locked(session: AsyncSession, submission_id: int) -> Submission | None:
    found = await session.scalar(
        select(Submission.id).where(Submission.id == submission_id).with_for_update())
    if found is None:
        return None
    return await session.get(Submission, found, populate_existing=True)


def parse_value(value: str) -> int | None:
    match = _VALUE.match(value or "")
    return int(match.group(1)) if match else None


async def press(services: Services, user: str, value: str, choice: str) -> AttendanceAnswer:
    """The speaker's Yes/No button; returns what to tell them (privately; a value the surface
    words, bot/slack_ui/said_sessions.py)."""
    sid = parse_value(value)
    if sid is None or choice not in ("yes", "no"):
        return AttendanceAnswer("bad_button")
    command = services.settings.slack_command
    async with services.db.transaction() as session:
        sub = await locked(session, sid)
        if sub is None:
            return AttendanceAnswer("missing")
        if not user or sub.speaker.slack_user_id != user:
            await record(session, user[:64] or "unknown", "attendance.refused",
                         submission_id=sub.id, detail={"reason": "not_speaker"})
            return AttendanceAnswer("not_speaker")
        outcome = await answer(session, sub, choice, actor=user, now=services.now(),
                               leadership_channel=services.settings.leadership_channel_id)
    return AttendanceAnswer(outcome, sub.ref or f"#{sub.id}", sub.title, str(sub.status),
                            command)


def speakers_silent(cycle: Cycle, silent: list[Submission]) -> SpeakersSilent:
    """The leaders' list of accepted speakers who have not answered (the first 40)."""
    return SpeakersSilent(cycle.title, cycle.session_date.isoformat(), len(silent), [
        SilentSpeaker(s.ref or f"#{s.id}", s.title, s.speaker.slack_user_id or "",
                      "" if s.speaker.slack_user_id
                      else s.speaker.email or s.speaker.name or "?")
        for s in silent[:40]])
