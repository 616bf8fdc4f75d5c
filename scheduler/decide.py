"""Before the decide-by date: who still owes votes (one DM each) and, on the date, the
ready-to-decide summary for the leadership channel. Facts read in the job's transaction;
rendering pure, user text escaped and sized for Slack's limits.

A leader owes a vote on a talk open for votes (confirmed, not yet decided) when they have
neither voted on it nor recused themselves. Decided talks take no votes, so none is owed.
With VOTE_VISIBILITY=hidden the summary shows how many voted on an undecided talk, never
what; decided talks show their tally (the card does too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.program import Program, program_of, talk_studio
from bot.focus import focus_label
from bot.mrkdwn import escape, escaped_short, pack_lines
from bot.slack_ui.slots import program_summary, slots_line
from bot.talks.status import CONFIRMED, DECIDED, Status, leaders_label
from bot.talks.votes import tally
from storage.models import Cycle, Submission

SECTION_LIMIT = 3000
MAX_BLOCKS = 45  # per message (Slack allows 50): the rest continue in another message
NUDGE_LISTED = 40  # talks named in one nudge; the rest are counted


async def confirmed_talks(session: AsyncSession, cycle: Cycle) -> list[Submission]:
    return list((await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle.id, Submission.status.in_(CONFIRMED),
    ).order_by(Submission.id))).unique().all())


def owed_votes(talks: list[Submission], leaders: list[str]) -> dict[str, list[Submission]]:
    """Leader -> the open talks they have neither voted on nor recused from (each talk's
    voters and recusals read once: talks x (votes + leaders), not talks x leaders x votes)."""
    owed: dict[str, list[Submission]] = {leader: [] for leader in dict.fromkeys(leaders)}
    for talk in talks:
        if talk.status != Status.SUBMITTED:
            continue
        done = {v.voter for v in talk.votes} | {r.leader for r in talk.recusals if r.active}
        for leader, mine in owed.items():
            if leader not in done:
                mine.append(talk)
    return {leader: mine for leader, mine in owed.items() if mine}


def card_link(workspace_url: str | None, sub: Submission) -> str:
    """The talk's reference, linked to its card when the workspace's address is known."""
    ref = escape(sub.ref or f"#{sub.id}")
    if workspace_url and sub.card_channel and sub.card_ts:
        url = f"{workspace_url.rstrip('/')}/archives/{sub.card_channel}/p" \
              f"{sub.card_ts.replace('.', '')}"
        return f"<{url}|{ref}>"
    return f"`{ref}`"


def nudge_text(cycle: Cycle, owed: list[Submission], workspace_url: str | None,
               command: str = "/wgml") -> str:
    lines = [
        f":ballot_box_with_ballot: The leaders mean to decide *{escaped_short(cycle.title, 150)}*"
        f" by {cycle.decide_by:%A %d %B}. You have not voted on {len(owed)} "
        f"talk{'s' if len(owed) != 1 else ''} yet (or recused yourself):",
    ]
    for sub in owed[:NUDGE_LISTED]:
        lines.append(f"• {card_link(workspace_url, sub)} {escaped_short(sub.title, 120)}")
    if len(owed) > NUDGE_LISTED:
        # Said as it is: the filter lists exactly these, a page at a time, every one of them.
        lines.append(f"…and {len(owed) - NUDGE_LISTED} more, the {NUDGE_LISTED} above waiting "
                     f"longest: `{command} review {cycle.id} owed` lists all {len(owed)}, "
                     "page by page (the Home tab counts them too).")
    lines.append("Vote on each card, or press *Recuse* if you should stay out of one.")
    return "\n".join(lines)


def _rank(talks: list[Submission], hidden: bool) -> list[Submission]:
    """Best-voted first (yes, then fewer no, then maybe). Hidden: votes of undecided talks
    may not order anything, so decided talks come first, then the rest in order of arrival."""
    def key(sub: Submission) -> tuple[int, int, int, int, int]:
        shown = not hidden or sub.status in DECIDED
        counts = tally(v.value for v in sub.votes)
        decided = 0 if sub.status == Status.ACCEPTED else 1 if sub.status in DECIDED else 2
        if not shown:
            return (decided, 0, 0, 0, sub.id)
        return (decided, -counts.yes, counts.no, -counts.maybe, sub.id)
    return sorted(talks, key=key)


def summary_posts(cycle: Cycle, talks: list[Submission], *, hidden: bool,
                  leaders: list[str] | None) -> list[tuple[str, list[dict[str, Any]]]]:
    program = program_of(cycle.slots, [t for t in talks if t.status == Status.ACCEPTED])
    head = (f":scales: *Ready to decide: {escaped_short(cycle.title, 150)}*, decide-by date "
            f"{cycle.decide_by:%A %d %B %Y}. {len(talks)} confirmed talk"
            f"{'s' if len(talks) != 1 else ''} for {cycle.slots} slot"
            f"{'s' if cycle.slots != 1 else ''}. {slots_line(program)}")
    lines = []
    for n, sub in enumerate(_rank(talks, hidden), 1):
        if hidden and sub.status not in DECIDED:
            votes = f"{len(sub.votes)} voted (hidden until decided)"
        else:
            votes = tally(v.value for v in sub.votes).text(" ")
        recused = [r.leader for r in sub.recusals if r.active]
        lines.append(
            f"{n}. `{escaped_short(sub.ref or str(sub.id), 20)}` "
            f"*{escaped_short(sub.title, 90)}* · "
            f"{escaped_short(talk_studio(sub) or 'no studio given', 40)} · "
            f"{focus_label(sub.focus_area)} · {votes} · {leaders_label(sub.status)}"
            + (f" · recused: {len(recused)}" if recused else ""))
    lines = lines or ["No confirmed talks."]
    tail = [f"*The accepted set* {escape(program_summary(program))}"]
    tail += _balance_hint(program, talks)
    if leaders is not None:
        owed = owed_votes(talks, leaders)
        tail.append("*Still owing votes*: " + (", ".join(
            f"<@{u}> ({len(t)})" for u, t in sorted(owed.items())) if owed else "nobody."))
    blocks = [_section(head)] + [_section(c) for c in pack_lines(lines, SECTION_LIMIT)]
    blocks += [_section(c) for c in pack_lines(tail, SECTION_LIMIT)]
    parts = [blocks[i:i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS)]
    if len(parts) == 1:
        return [(head, parts[0])]
    return [(f"{head} (part {i} of {len(parts)})", part) for i, part in enumerate(parts, 1)]


def _balance_hint(program: Program, talks: list[Submission]) -> list[str]:
    """What the open talks would add: studios and focus areas not yet in the accepted set."""
    open_talks = [t for t in talks if t.status == Status.SUBMITTED]
    new_areas = sorted({t.focus_area for t in open_talks} - set(program.areas))
    if not open_talks or program.full:
        return []
    if new_areas:
        return ["*Not yet in the program*: " + ", ".join(focus_label(a) for a in new_areas)
                + " (open talks cover them)."]
    return []


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}
