"""What a new sub-project says and to whom, decided from its talks and their speakers'
consent (bot.people.networking): the evidence, the invitations on Slack, the emails.

The rules:
- A talk whose speaker opted out of introductions (`networking_opt_out`) is counted in the
  evidence, never named (no title, reference, studio or speaker), never invited or written.
- Speakers on Slack who allow introductions are invited to the channel; speakers known only
  by address who allow them get one email (per mailbox, threaded under their own message).
- The leader who proposed it is invited too: the bot creates the channel, so it is the only
  member until then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.people.themes import Talk, pain_sentences
from bot.talks.status import CONFIRMED, Status
from storage.models import Speaker, Submission

EVIDENCE_SENTENCES = 6  # the statement pre-filled in the modal: a few lines, not an essay


@dataclass(frozen=True)
class EvidenceTalk:
    id: int
    ref: str
    title: str
    studio: str
    speaker: str
    slack_user_id: str | None
    slides_url: str | None
    recording_url: str | None


@dataclass(frozen=True)
class EmailInvite:
    address: str
    name: str
    titles: tuple[str, ...]
    thread_id: str | None  # the Message-ID of the speaker's own proposal, for threading


@dataclass(frozen=True)
class Evidence:
    named: tuple[EvidenceTalk, ...]
    hidden: int  # talks whose speaker opted out of introductions: counted, not named
    slack_invites: tuple[str, ...]
    email_invites: tuple[EmailInvite, ...]
    studios: int


# The talks a sub-project may start from: confirmed and not declined or withdrawn.
USABLE = tuple(s for s in CONFIRMED if s != Status.DECLINED)


async def load_talks(session: AsyncSession, talk_ids: Sequence[int]) -> list[Submission]:
    """The usable talks among `talk_ids`, in the order given."""
    if not talk_ids:
        return []
    rows = (await session.scalars(select(Submission).join(Speaker).where(
        Submission.id.in_(list(talk_ids)), Submission.status.in_(USABLE)))).unique().all()
    by_id = {r.id: r for r in rows}
    return [by_id[i] for i in dict.fromkeys(talk_ids) if i in by_id]


def evidence(talks: Sequence[Submission], creator: str) -> Evidence:
    named: list[EvidenceTalk] = []
    hidden = 0
    invites: list[str] = [creator] if creator else []
    mails: dict[str, EmailInvite] = {}
    studios: set[str] = set()
    for sub in talks:
        speaker = sub.speaker
        studios.add((sub.studio or speaker.studio or f"speaker:{speaker.id}").strip().lower())
        if speaker.networking_opt_out:
            hidden += 1
            continue
        named.append(EvidenceTalk(
            sub.id, sub.ref or f"#{sub.id}", sub.title, sub.studio or speaker.studio,
            speaker.name or (speaker.email or "").split("@")[0], speaker.slack_user_id,
            sub.slides_url, sub.recording_url))
        if speaker.slack_user_id:
            if speaker.slack_user_id not in invites:
                invites.append(speaker.slack_user_id)
        elif speaker.email:
            key = speaker.email.strip().lower()
            known = mails.get(key)
            if known is None:
                mails[key] = EmailInvite(speaker.email.strip(), speaker.name, (sub.title,),
                                         sub.email_message_id)
            else:
                mails[key] = EmailInvite(known.address, known.name,
                                         (*known.titles, sub.title), known.thread_id)
    return Evidence(tuple(named), hidden, tuple(invites), tuple(mails.values()), len(studios))


def prefilled_statement(theme_name: str, talks: Sequence[Submission]) -> str:
    """The problem statement the modal starts with: the theme, then the sentences in which
    the (named) talks said what failed. Opted-out speakers' words are not quoted."""
    lines = [f"Several studios hit the same problem: {theme_name}."]
    seen: set[str] = set()
    for sub in talks:
        if sub.speaker.networking_opt_out:
            continue
        talk = Talk(id=sub.id, title=sub.title, abstract=sub.abstract, results=sub.results)
        for sentence in pain_sentences(talk)[:1]:
            if sentence.lower() not in seen:
                seen.add(sentence.lower())
                lines.append(f"- {sentence}")
        if len(lines) > EVIDENCE_SENTENCES:
            break
    return "\n".join(lines)
