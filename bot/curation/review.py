"""`/wgml review`: the open call's confirmed talks by focus area, for the leaders' curation.

The seed asks leaders for diversity of topics and alignment with the theme; this shows at a
glance which focus areas and studios are over- or under-represented and who has not voted.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.program import program_of
from bot.curation.recusal import active_recusals
from bot.focus import FOCUS_AREAS, focus_label
from bot.leaders import leaders_only
from bot.mrkdwn import escape, escaped_short
from bot.services import Services
from bot.talks.status import CONFIRMED, DECIDED, CycleStatus, Status, leaders_label
from bot.talks.votes import tally
from storage.models import Cycle, Submission

PER_AREA = 30  # lines per focus area before "and N more": a Slack message has its limits


def not_a_leader(command: str) -> str:
    return (f"`{command} review` is for the WG-ML leaders (the members of the leadership "
            f"channel). `{command} mine` shows your own submissions.")


async def review_command(services: Services, user_id: str, rest: str) -> str:
    settings = services.settings
    leaders, refused = await leaders_only(services.leaders, settings.leadership_channel_id,
                                          user_id, not_a_leader(settings.slack_command))
    if refused is not None:
        return refused
    arg = rest.strip()
    async with services.db.session() as session:
        if arg and not (arg.isdigit() and len(arg) < 10):
            return (f"`{settings.slack_command} review` shows the open call; "
                    f"`{settings.slack_command} review 3` shows the call with id 3.")
        cycle = await (session.get(Cycle, int(arg)) if arg
                       else _open_cycle(session, services.now()))
        if cycle is None:
            return ("No call for speakers is open. `wgml-bot cycle list` shows earlier ones; "
                    f"`{settings.slack_command} review ID` reviews one of them.")
        rows = (await session.scalars(
            select(Submission)
            .where(Submission.cycle_id == cycle.id, Submission.status.in_(CONFIRMED))
            .order_by(Submission.id)
        )).unique().all()
    return render_review(cycle, list(rows), leaders, settings.zone,
                         hidden=settings.vote_visibility == "hidden")


async def _open_cycle(session: AsyncSession, now: dt.datetime) -> Cycle | None:
    """The open call still taking talks, else the open call whose deadline passed last."""
    cycles = (await session.scalars(
        select(Cycle).where(Cycle.status == CycleStatus.OPEN).order_by(Cycle.deadline, Cycle.id)
    )).all()
    upcoming = [c for c in cycles if c.deadline >= now]
    if upcoming:
        return upcoming[0]
    return cycles[-1] if cycles else None


def votes_shown(sub: Submission, hidden: bool) -> str:
    """The tally; with hidden votes and the talk undecided, only how many voted."""
    if hidden and sub.status not in DECIDED:
        return f"{len(sub.votes)} voted (hidden until decided)"
    return tally(v.value for v in sub.votes).text()


NOTES_SHOWN = 3  # the latest notes of a talk in the review; the card's thread has them all


def render_review(cycle: Cycle, submissions: Sequence[Submission], leaders: Iterable[str],
                  zone: zoneinfo.ZoneInfo, *, hidden: bool = False) -> str:
    deadline = cycle.deadline.astimezone(zone)
    states = Counter(s.status for s in submissions)
    lines = [
        f"*Review: {escaped_short(cycle.title, 200)}* · deadline {deadline:%d %b %Y} · session "
        f"{cycle.session_date:%d %b %Y}",
        f"{len(submissions)} confirmed talks: {states['submitted']} open for votes, "
        f"{states['accepted']} accepted, {states['declined']} declined.",
    ]
    if cycle.theme:
        lines.append(f"Theme: {escaped_short(cycle.theme, 200)}")
    by_area: dict[str, list[Submission]] = {key: [] for key in FOCUS_AREAS}
    for sub in submissions:
        by_area.setdefault(sub.focus_area, []).append(sub)
    for area, subs in by_area.items():
        accepted = sum(1 for s in subs if s.status == Status.ACCEPTED)
        lines.append("")
        lines.append(f"*{escape(focus_label(area))}* ({len(subs)}"
                     + (f", {accepted} accepted" if accepted else "") + ")")
        if not subs:
            lines.append("_none yet_")
        for sub in subs[:PER_AREA]:
            lines.append(
                f"• `{sub.ref}` *{escaped_short(sub.title, 70)}* · "
                f"{escaped_short(sub.studio or sub.speaker.studio or 'no studio given', 60)} · "
                f"{votes_shown(sub, hidden)} · "
                f"{leaders_label(sub.status, emoji=sub.status in DECIDED)}"
                + (f" · recused: {', '.join(f'<@{u}>' for u in recused[:5])}"
                   if (recused := active_recusals(sub)) else "")
            )
            notes = list(sub.notes)
            for note in notes[-NOTES_SHOWN:]:
                said = escaped_short(" ".join(note.text.split()), 200)
                lines.append(f"    ↳ <@{note.by}>: {said}")
            if len(notes) > NOTES_SHOWN:
                lines.append(f"    ↳ …{len(notes) - NOTES_SHOWN} earlier notes in the card's "
                             "thread")
        if len(subs) > PER_AREA:
            lines.append(f"…and {len(subs) - PER_AREA} more")
    lines.append("")
    program = program_of(cycle.slots, [s for s in submissions if s.status == Status.ACCEPTED])
    lines.append(f"*Session* {program.slots_line()} {escape(program.summary())}")
    lines.append("*Balance*")
    lines.append(balance_areas({a: len(s) for a, s in by_area.items()}))
    lines.append(balance_studios([s.studio or s.speaker.studio for s in submissions]))
    lines.append(missing_votes(submissions, leaders))
    return "\n".join(lines)


def balance_areas(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if total == 0:
        return "Focus areas: no confirmed talks yet."
    expected = total / len(counts)
    over = [a for a, n in counts.items() if n >= 2 and n > 1.5 * expected]
    under = [a for a, n in counts.items() if n == 0 or n < 0.5 * expected]
    parts = []
    if over:
        parts.append("over-represented: " + ", ".join(
            f"{focus_label(a)} ({counts[a]} of {total})" for a in over))
    if under:
        parts.append("under-represented: " + ", ".join(
            f"{focus_label(a)} ({counts[a] or 'none'})" for a in under))
    return "Focus areas: " + ("; ".join(parts) if parts else "evenly spread") + "."


def balance_studios(studios: Sequence[str]) -> str:
    named = [" ".join(s.split()) for s in studios if s and s.strip()]
    if not named:
        return "Studios: none given."
    spelled: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for name in named:
        key = name.casefold()
        spelled.setdefault(key, name)
        counts[key] += 1
    total = len(studios)
    heavy = [k for k, n in counts.most_common() if n >= 2 and n * 3 > total]
    line = f"Studios: {len(counts)} different"
    if heavy:
        line += "; " + ", ".join(
            f"{escape(spelled[k])} has {counts[k]} of {total} talks" for k in heavy)
    else:
        line += "; no studio has more than a third of the talks"
    return line + "."


def missing_votes(submissions: Sequence[Submission], leaders: Iterable[str]) -> str:
    open_talks = [s for s in submissions if s.status == Status.SUBMITTED]
    if not open_talks:
        return "Votes: no talk is open for votes."
    missing: Counter[str] = Counter()
    for leader in leaders:
        for sub in open_talks:
            if all(v.voter != leader for v in sub.votes) \
                    and leader not in active_recusals(sub):
                missing[leader] += 1
    if not missing:
        return f"Votes: every leader has voted on all {len(open_talks)} open talks."
    who = ", ".join(f"<@{leader}> ({n})" for leader, n in
                    sorted(missing.items(), key=lambda item: (-item[1], item[0])))
    return f"Not voted yet (open talks without their vote, of {len(open_talks)}): {who}."
