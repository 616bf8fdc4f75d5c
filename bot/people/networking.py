"""Networking: who else worked on something close, under the confidentiality and consent rules.

The rules, in one place:
- Only submissions whose confidentiality is confirmed and whose status is `submitted` or
  `accepted` are ever shown (never pending_confirmation, declined or withdrawn ones).
- Only public parts leave this module: title, studio, focus area, speaker name (and Slack id
  for a mention), reference, cycle. Never an abstract, results or an email address.
- A speaker who opted out of introductions (`Speaker.networking_opt_out`) is never suggested
  to anyone, and is not offered introductions either. The leadership card is the one place
  their submission can still appear as "similar to": leaders see every submission anyway,
  and spotting two near-identical talks is curation, not an introduction.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.people.said import Introduced
from bot.people.similar import Doc, search, similar_to, studio_key
from bot.talks.status import Status
from storage.models import Cycle, Speaker, Submission

log = logging.getLogger("wgml.networking")

PUBLIC_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)
# Introductions reach a person's inbox: ask for a closer match than the leaders' card does.
INTRODUCTION_THRESHOLD = 0.18
MAX_INTRODUCTIONS = 3
FIND_LIMIT = 10
TOPIC_MAX = 200


@dataclass(frozen=True)
class PublicWork:
    """The public parts of one submission, safe to show to any member."""

    submission_id: int
    ref: str
    title: str
    studio: str
    focus_area: str
    speaker_id: int
    speaker_name: str
    speaker_slack_id: str | None
    cycle_title: str | None
    session_date: dt.date | None
    status: str  # submitted | accepted
    score: float = 0.0
    same_studio: bool = False
    slides_url: str | None = None  # shared by the speaker after the session
    recording_url: str | None = None


@dataclass(frozen=True)
class _Row:
    work: PublicWork
    doc: Doc
    opted_out: bool
    email: str | None


async def _visible(session: AsyncSession, *, include_opted_out: bool) -> list[_Row]:
    """Every submission the rules allow to be shown, with its text for the engine only.

    Columns, not ORM objects: a card render loads the whole history, and tuples are several
    times cheaper than entities with their eager-loaded relationships.
    """
    query = (
        select(
            Submission.id, Submission.ref, Submission.title, Submission.abstract,
            Submission.results, Submission.focus_area, Submission.studio, Submission.status,
            Speaker.id, Speaker.name, Speaker.slack_user_id, Speaker.email,
            Speaker.studio, Speaker.networking_opt_out, Cycle.title, Cycle.session_date,
            Submission.slides_url, Submission.recording_url,
        )
        .join(Speaker, Submission.speaker_id == Speaker.id)
        .outerjoin(Cycle, Submission.cycle_id == Cycle.id)
        .where(and_(
            Submission.confidentiality_confirmed.is_(True),
            Submission.status.in_(PUBLIC_STATUSES),
            Submission.ref.is_not(None),
        ))
        .order_by(Submission.id)
    )
    if not include_opted_out:
        query = query.where(Speaker.networking_opt_out.is_(False))
    rows = []
    for (sid, ref, title, abstract, results, focus, studio, status, spk_id, name, slack_id,
         email, spk_studio, opted_out, cycle_title, session_date, slides_url,
         recording_url) in (await session.execute(query)):
        studio = studio or spk_studio or ""
        work = PublicWork(
            submission_id=sid, ref=ref or "", title=title, studio=studio, focus_area=focus,
            speaker_id=spk_id, speaker_name=name or "", speaker_slack_id=slack_id,
            cycle_title=cycle_title, session_date=session_date, status=status,
            slides_url=slides_url, recording_url=recording_url,
        )
        doc = Doc(id=sid, title=title, abstract=abstract, results=results or "",
                  focus_area=focus, studio=studio, owner=f"speaker:{spk_id}")
        rows.append(_Row(work, doc, bool(opted_out), (email or "").lower() or None))
    return rows


def _target_doc(submission: Submission) -> Doc:
    studio = submission.studio or (submission.speaker.studio if submission.speaker else "")
    return Doc(id=submission.id, title=submission.title, abstract=submission.abstract,
               results=submission.results or "", focus_area=submission.focus_area,
               studio=studio or "", owner=f"speaker:{submission.speaker_id}")


def _with_score(work: PublicWork, score: float, same_studio: bool) -> PublicWork:
    return replace(work, score=score, same_studio=same_studio)


# The card's similar work, per talk version (its id and confirmed text): a card is rendered
# again on every vote, note and decision, and reading the whole history for each render
# is what made a busy call slow. A later talk that is close shows on its own card.
_CARD_SIMILAR: OrderedDict[tuple[Any, ...], list[PublicWork]] = OrderedDict()
CARD_SIMILAR_CACHED = 4096  # talk versions kept (three short tuples each)


async def similar_for_card(session: AsyncSession, submission: Submission,
                           k: int = 3) -> list[PublicWork]:
    """What the leadership card shows as "Similar to": other confirmed, live submissions,
    past and current, other studios first. Worked out once per talk version; a match that
    has since been declined or withdrawn is left out (one lookup of its id)."""
    key = (str(getattr(session.bind, "url", "")), submission.id,
           submission.title, submission.abstract, submission.results,
           submission.focus_area, submission.studio, k)
    cached = _CARD_SIMILAR.get(key)
    if cached is not None:
        _CARD_SIMILAR.move_to_end(key)
        if not cached:
            return []
        live = set((await session.scalars(select(Submission.id).where(
            Submission.id.in_([w.submission_id for w in cached]),
            Submission.status.in_(PUBLIC_STATUSES)))).all())
        return [w for w in cached if w.submission_id in live]
    rows = await _visible(session, include_opted_out=True)
    by_id = {r.doc.id: r for r in rows}
    matches = similar_to(_target_doc(submission), [r.doc for r in rows], k)
    found = [_with_score(by_id[m.doc.id].work, m.score, m.same_studio) for m in matches]
    _CARD_SIMILAR[key] = found
    while len(_CARD_SIMILAR) > CARD_SIMILAR_CACHED:
        _CARD_SIMILAR.popitem(last=False)
    return found


@dataclass(frozen=True)
class Introduction:
    """A person from another studio who worked on something close, and agreed to be told."""

    name: str
    slack_user_id: str | None
    studio: str
    work: PublicWork


async def introductions_for(session: AsyncSession, submission: Submission,
                            k: int = MAX_INTRODUCTIONS) -> list[Introduction]:
    """People from other studios whose work is close to `submission`, with consent on both
    sides: the speaker did not opt out, and neither did anyone suggested. One entry per
    person (their closest talk), never the speaker themselves or their own studio."""
    speaker = submission.speaker
    if speaker is None or speaker.networking_opt_out:
        return []
    own_email = (speaker.email or "").lower() or None
    target = _target_doc(submission)
    own_studio = studio_key(target.studio)
    rows = [
        r for r in await _visible(session, include_opted_out=False)
        if r.work.speaker_id != speaker.id
        and not (own_email and r.email == own_email)  # the same person known twice
        and not (speaker.slack_user_id and r.work.speaker_slack_id == speaker.slack_user_id)
        and not (own_studio and studio_key(r.work.studio) == own_studio)
    ]
    by_id = {r.doc.id: r for r in rows}
    matches = similar_to(target, [r.doc for r in rows], k * 3,
                         threshold=INTRODUCTION_THRESHOLD)
    seen: set[int] = set()
    intros: list[Introduction] = []
    for m in matches:
        work = by_id[m.doc.id].work
        if work.speaker_id in seen:
            continue
        seen.add(work.speaker_id)
        intros.append(Introduction(work.speaker_name, work.speaker_slack_id, work.studio,
                                   _with_score(work, m.score, False)))
        if len(intros) == k:
            break
    log.info("event=networking.introductions submission=%s count=%s", submission.id,
             len(intros))
    return intros


def introduced(intros: Sequence[Introduction]) -> list[Introduced]:
    """The introductions as the acceptance's DM and email carry them (Slack words them in
    bot/slack_ui/decisions.py, email in bot/email/said.py)."""
    return [Introduced(i.name, i.slack_user_id or "", i.studio, i.work.ref, i.work.title)
            for i in intros]


async def introductions_said(session: AsyncSession, submission: Submission
                             ) -> list[Introduced]:
    """Whom the acceptance's DM or email introduces; never raises into the decision (a failure here
    costs the introductions, not the speaker's news)."""
    try:
        return introduced(await introductions_for(session, submission))
    except Exception:
        log.exception("event=networking.introductions_failed submission=%s", submission.id)
        return []


async def find_work(session: AsyncSession, topic: str,
                    k: int = FIND_LIMIT) -> list[PublicWork]:
    """`/wgml find`: who has presented or proposed work on a topic (public parts only).

    Only the titles are searched, the one text find shows: matching words in an abstract or
    in results that are never shown would tell anyone, one probe at a time, whether a talk's
    text contains a word.
    """
    rows = await _visible(session, include_opted_out=False)
    by_id = {r.doc.id: r for r in rows}
    shown = [replace(r.doc, abstract="", results="", focus_area="") for r in rows]
    hits = search(topic[:TOPIC_MAX], shown, k)
    return [_with_score(by_id[h.doc.id].work, h.score, False) for h in hits]


# Words that ask for no introductions, in a reply by email ("no introductions", "please don't
# introduce me", "opt out of introductions"); matched on the sender's own text only.
_OPT_OUT = re.compile(
    r"\b(?:no\s+introductions?|(?:do\s*n[o']?t|do\s+not|please\s+don'?t)\s+introduce\s+me"
    r"|opt(?:ing)?[\s-]*out\s+of\s+(?:the\s+)?(?:introductions?|networking))\b",
    re.IGNORECASE,
)


def asks_for_no_introductions(text: str) -> bool:
    """True when a speaker's own words (an email reply, say) ask not to be introduced."""
    return bool(_OPT_OUT.search(text or ""))


async def set_introductions(session: AsyncSession, speaker: Speaker, *, allowed: bool,
                            actor: str) -> bool:
    """Record a speaker's choice; returns True when it changed. Audited either way it goes."""
    opted_out = not allowed
    if speaker.networking_opt_out == opted_out:
        return False
    speaker.networking_opt_out = opted_out
    await record(session, actor, "networking.opt_out" if opted_out else "networking.opt_in",
                 detail={"speaker_id": speaker.id})
    return True
