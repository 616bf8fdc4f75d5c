"""The concerns of a talk's confirmed text, kept on the submission so that rendering a card
(thousands of them) reads a column instead of running the engine; and a leader's dismissal
of one, kept for the talk's later versions that raise the same concern.

`submissions.guideline_concerns` holds `{"key": <the text's key>, "concerns": [{"rule",
"reason", "dismissed_by", "dismissed_at"}]}`. The key (bot.talks.versions.text_key) is a
digest of the text read: a text changed any other way than through `read_confirmed` shows
no stale concerns (none at all, until it is read).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.guidelines import RULES, Concern, check
from bot.guidelines.said import GuidelinesNoted
from bot.talks.versions import guideline_reading, text_key
from storage.models import GuidelineDismissal, Submission
from storage.outbox import enqueue_slack_message

REASON_MAX = 500  # what a dismissal keeps of a reason (the engine's are one sentence)

# How each rule is named where a person reads it (card, modal, email).
RULE_LABELS: dict[str, str] = {
    "relevance": "VFX and animation",
    "practical": "Practical results",
    "pitch": "Product pitch",
    "confidential": "Confidential information",
}


@dataclass(frozen=True)
class Shown:
    """A concern as the leaders see it: dismissed (by whom, when) or not."""

    rule: str
    reason: str
    dismissed_by: str | None = None
    dismissed_at: str | None = None  # ISO 8601

    @property
    def id(self) -> str:
        return concern_id(self.rule, self.reason)

    @property
    def label(self) -> str:
        return RULE_LABELS.get(self.rule, self.rule)

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "reason": self.reason, "dismissed_by": self.dismissed_by,
                "dismissed_at": self.dismissed_at}


def concern_id(rule: str, reason: str) -> str:
    """A short, stable name for one concern (a button's value names it, not its position)."""
    return hashlib.sha256(f"{rule}\x00{reason[:REASON_MAX]}".encode(
        "utf-8", "surrogatepass")).hexdigest()[:12]


def label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule)


def _key_of(sub: Submission) -> str:
    return text_key(sub.title, sub.abstract, sub.results)


def shown(sub: Submission) -> list[Shown]:
    """The stored concerns of the talk's current text ([] when it was never read, or the
    stored reading is of another text). No engine run, no query."""
    return [Shown(str(c["rule"]), str(c.get("reason") or ""), c.get("dismissed_by"),
                  c.get("dismissed_at"))
            for c in guideline_reading(sub) if c.get("rule") in RULES]


def _store(sub: Submission, concerns: list[Shown]) -> None:
    sub.guideline_concerns = {"key": _key_of(sub), "concerns": [c.to_json() for c in concerns]}


async def _dismissals(session: AsyncSession, submission_id: int
                      ) -> dict[tuple[str, str], GuidelineDismissal]:
    rows = await session.scalars(select(GuidelineDismissal).where(
        GuidelineDismissal.submission_id == submission_id))
    return {(d.rule, d.reason): d for d in rows}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


async def read_confirmed(session: AsyncSession, sub: Submission,
                         concerns: list[Concern] | None = None) -> list[Shown]:
    """Read the talk's confirmed text against the guidelines (once: a text already read is
    not read again) and keep the concerns on it, earlier dismissals carried over. Call it in
    the transaction that confirms the text. `concerns`: the reading already made of it."""
    if sub.guideline_concerns and isinstance(sub.guideline_concerns, dict) \
            and sub.guideline_concerns.get("key") == _key_of(sub):
        return shown(sub)
    found = concerns if concerns is not None else check(sub.title, sub.abstract, sub.results)
    dismissed = await _dismissals(session, sub.id) if found and sub.id is not None else {}
    out = []
    for concern in found:
        reason = concern.reason[:REASON_MAX]
        d = dismissed.get((concern.rule, reason))
        out.append(Shown(concern.rule, reason, d.by if d else None,
                         _iso(d.at) if d else None))
    _store(sub, out)
    return out


@dataclass(frozen=True)
class Dismissed:
    outcome: str  # dismissed | already | gone
    concern: Shown | None = None


async def dismiss(session: AsyncSession, sub: Submission, cid: str, *, leader: str,
                  now: dt.datetime) -> Dismissed:
    """A leader dismisses the concern `cid` of the talk's current text: kept (and audited)
    once; pressing again, or a replayed press, changes nothing. "gone" when the current text
    no longer raises it (the card was older than the text)."""
    current = shown(sub)
    target = next((c for c in current if c.id == cid), None)
    if target is None:
        return Dismissed("gone")
    existing = await session.scalar(select(GuidelineDismissal).where(
        GuidelineDismissal.submission_id == sub.id, GuidelineDismissal.rule == target.rule,
        GuidelineDismissal.reason == target.reason))
    if existing is not None:
        if target.dismissed_by is None:  # kept, but not yet on this text's reading
            _store(sub, [_dismissed(c, existing.by, existing.at) if c.id == cid else c
                         for c in current])
        return Dismissed("already", target)
    try:
        async with session.begin_nested():  # two presses at once: one row, the other waits
            session.add(GuidelineDismissal(submission_id=sub.id, rule=target.rule,
                                           reason=target.reason, by=leader, at=now))
    except IntegrityError:  # the unique constraint: the other press kept it
        return Dismissed("already", target)
    _store(sub, [_dismissed(c, leader, now) if c.id == cid else c for c in current])
    await record(session, leader, "guideline.dismissed", submission_id=sub.id,
                 detail={"rule": target.rule, "reason": target.reason[:200]})
    return Dismissed("dismissed", _dismissed(target, leader, now))


def _dismissed(concern: Shown, by: str, at: dt.datetime) -> Shown:
    return Shown(concern.rule, concern.reason, by, _iso(at))


async def read_talk(session: AsyncSession, submission_id: int,
                    concerns: list[Concern] | None = None) -> list[Shown]:
    """read_confirmed for a talk known by its id (a confirmed one; else nothing is read)."""
    sub = await session.get(Submission, submission_id)
    if sub is None or not sub.confidentiality_confirmed:
        return []
    return await read_confirmed(session, sub, concerns)


async def read_ref(session: AsyncSession, ref: str,
                   concerns: list[Concern] | None = None) -> list[Shown]:
    """read_talk for a talk known by its ref (the edit form carries it)."""
    sid = await session.scalar(select(Submission.id).where(Submission.ref == ref))
    return await read_talk(session, sid, concerns) if sid is not None else []


async def tell_speaker(session: AsyncSession, submission_id: int, concerns: list[Concern],
                       shown: frozenset[str], command: str) -> bool:
    """DM the talk's Slack speaker the concerns they were not shown on the form (once per
    talk and reading); False when there is nothing to tell or nobody to tell it to."""
    untold: list[tuple[str, str]] = [(str(c.rule), c.reason) for c in concerns
                                     if c.rule not in shown]
    sub = await session.get(Submission, submission_id)
    if not untold or sub is None or not sub.speaker.slack_user_id:
        return False
    await enqueue_slack_message(
        session, channel=sub.speaker.slack_user_id,
        said=GuidelinesNoted(sub.ref or f"#{sub.id}", sub.title, untold, command),
        key=f"dm:guidelines:{sub.id}:{_key_of(sub)[:16]}")
    return True


async def tell_speaker_of_ref(session: AsyncSession, ref: str, concerns: list[Concern],
                              shown: frozenset[str], command: str) -> bool:
    """tell_speaker for a talk known by its ref (the edit form carries it)."""
    sid = await session.scalar(select(Submission.id).where(Submission.ref == ref))
    return await tell_speaker(session, sid, concerns, shown, command) if sid else False
