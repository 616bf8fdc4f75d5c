"""Talks answering wishes: the link (the submission modal's select, an email's `Topic:`),
and, once such a talk is on an announced program, the wish answered and who is to be told.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.wishes.model import AnsweredNotice, WishStatus
from bot.wishes.store import most_backed, views
from bot.wishes.text import Candidate, clean, normalise, topic_match
from storage.models import Submission, Wish, WishAnswer, WishBacking
from storage.upsert import session_insert

log = logging.getLogger("wgml.wishes")

_NUMBER = re.compile(r"^\s*(?:(?:wish|topic|no\.?|number)\s*)?#?\s*(\d{1,9})\s*[.)]?\s*$", re.I)
ANSWERABLE = (WishStatus.OPEN, WishStatus.ANSWERED)  # a closed wish takes no new answers


async def answerable(session: AsyncSession, limit: int) -> list[tuple[int, str]]:
    """(id, text) of open wishes for the submission form's select, most backed first."""
    wishes, _ = await most_backed(session, limit)
    return [(w.id, w.text) for w in wishes]


async def resolve_topic(session: AsyncSession, words: str) -> int | None:
    """The wish an email's `Topic:` line names: its number ("3", "#3", "wish 3"), its words
    (case, spacing and punctuation aside), or words that pick out one open wish."""
    words = clean(words)
    if not words:
        return None
    number = _NUMBER.match(words)
    if number:
        wish = await session.get(Wish, int(number.group(1)))
        return wish.id if wish is not None and wish.status in ANSWERABLE else None
    exact = await session.scalar(select(Wish.id).where(Wish.key == normalise(words),
                                                      Wish.status.in_(ANSWERABLE)))
    if exact is not None:
        return int(exact)
    rows = await session.execute(select(Wish.id, Wish.text).where(
        Wish.status == WishStatus.OPEN))
    match = topic_match(words, (Candidate(i, t) for i, t in rows.all()))
    return match.id if match else None


async def link(session: AsyncSession, wish_id: int, submission_id: int, actor: str,
               now: dt.datetime) -> bool:
    """The talk answers the wish (once per pair); False when the wish cannot take it."""
    wish = await session.get(Wish, wish_id)
    if wish is None or wish.status not in ANSWERABLE:
        return False
    insert = session_insert(session)
    done = (await session.execute(insert(WishAnswer).values(
        wish_id=wish_id, submission_id=submission_id, linked_at=now,
    ).on_conflict_do_nothing(index_elements=["wish_id", "submission_id"])
        .returning(WishAnswer.id))).first()
    if done is not None:
        await record(session, actor, "wish.answer_linked", submission_id=submission_id,
                     detail={"wish": wish_id})
        log.info("event=wish.linked wish=%s submission=%s", wish_id, submission_id)
    return True


async def announced(session: AsyncSession, submission_ids: Sequence[int], now: dt.datetime
                    ) -> list[AnsweredNotice]:
    """These talks are on an announced program: each wish they answer is answered, and
    the wisher and its backers are to be told, once per wish and talk (announced_at)."""
    if not submission_ids:
        return []
    links = (await session.scalars(select(WishAnswer).where(
        WishAnswer.submission_id.in_(list(submission_ids)),
        WishAnswer.announced_at.is_(None)).order_by(WishAnswer.id).with_for_update())).all()
    if not links:
        return []
    notices: list[AnsweredNotice] = []
    for answer in links:
        wish = await session.get(Wish, answer.wish_id)
        sub = await session.get(Submission, answer.submission_id)
        if wish is None or sub is None or wish.status == WishStatus.CLOSED:
            continue
        answer.announced_at = now
        if wish.status == WishStatus.OPEN:
            wish.status, wish.answered_at = WishStatus.ANSWERED, now
        await session.flush()
        backers = (await session.scalars(select(WishBacking.member).where(
            WishBacking.wish_id == wish.id, WishBacking.active.is_(True))
            .order_by(WishBacking.at, WishBacking.id))).all()
        recipients = tuple(dict.fromkeys([wish.by, *backers]))
        view = (await views(session, [wish]))[0]
        notices.append(AnsweredNotice(view, sub.ref or f"#{sub.id}", sub.title, sub.id,
                                      recipients))
        await record(session, "system", "wish.answered", submission_id=sub.id,
                     detail={"wish": wish.id, "told": len(recipients)})
    return notices


async def link_topic(session: AsyncSession, submission_id: int, words: str, actor: str,
                     now: dt.datetime) -> int | None:
    """An email's `Topic:` line: the wish it names, linked to the talk; None when it names
    none (the talk is kept all the same, and nothing of any wish is written back)."""
    wish_id = await resolve_topic(session, words)
    if wish_id is None:
        log.info("event=wish.topic_unmatched submission=%s", submission_id)
        return None
    return wish_id if await link(session, wish_id, submission_id, actor, now) else None
