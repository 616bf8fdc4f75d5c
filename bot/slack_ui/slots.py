"""The cycle's slots summary: one message in the leadership channel, updated in place when
a talk is accepted or leaves the program, instead of every card counting the slots. Also the
words every Slack surface gives the program (bot/curation/program.py): its slots line, the
card's line and the accepted set's balance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.curation.program import Program, Slots, program_of, talk_studio
from bot.focus import focus_label
from bot.mrkdwn import escape, escaped_short, pack_lines
from storage.models import Cycle, Submission

LISTED = 40  # accepted talks named; a session holds a handful, the rest are counted
SECTION = 2900


def slots_line(program: Program) -> str:
    if program.state == "over":
        return (f":warning: {program.accepted} talks accepted for {program.slots} slots: the "
                "session is over-full.")
    if program.state == "full":
        return f":no_entry: The session's {program.slots} slots are full."
    return f"{program.accepted} of {program.slots} slots filled."


def program_summary(program: Program) -> str:
    """ "Studios: A 2, B 1 · Focus areas: X 2, Y 1" of the accepted talks (plain: escape it)."""
    if not program.accepted:
        return "No talk accepted yet."
    studios = ", ".join(f"{studio or 'no studio given'} {n}"
                        for studio, n in program.studio_counts())
    areas = ", ".join(f"{focus_label(a)} {n}" for a, n in program.area_counts())
    return f"Studios: {studios} · Focus areas: {areas}"


def card_line(slots: Slots) -> str:
    """What every card of the cycle says of its session."""
    if slots.state == "over":
        return (f":warning: More talks are accepted than the session's {slots.slots} "
                "slots: the session is over-full (the slots summary in this channel "
                "lists them).")
    if slots.state == "full":
        return f":no_entry: The session's {slots.slots} slots are full."
    return (f"{slots.slots} slots, not all filled yet: the slots summary in this channel "
            "shows the program so far and its balance.")


def slots_summary(cycle: Cycle, accepted: Sequence[Submission]
                  ) -> tuple[str, list[dict[str, Any]]]:
    program = program_of(cycle.slots, accepted)
    head = (f":calendar: *Session slots: {escaped_short(cycle.title, 150)}* "
            f"({cycle.session_date:%d %b %Y}). {slots_line(program)}")
    lines = [head]
    attendance = {"confirmed": "will present", "declined": "cannot present"}
    for sub in list(accepted)[:LISTED]:
        lines.append(
            f"• `{escape(sub.ref or str(sub.id))}` *{escaped_short(sub.title, 90)}* · "
            f"{escaped_short(talk_studio(sub) or 'no studio given', 40)} · "
            f"{focus_label(sub.focus_area)} · "
            f"{attendance.get(sub.attendance or '', 'asked to confirm')}")
    if len(accepted) > LISTED:
        lines.append(f"…and {len(accepted) - LISTED} more accepted (the review of call "
                     f"{cycle.id} lists them).")
    lines.append(f"*The accepted set* {escape(program_summary(program))}")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
              for chunk in pack_lines(lines, SECTION)]
    return escaped_short(f"Session slots: {cycle.title}: {slots_line(program)}", 300), blocks
