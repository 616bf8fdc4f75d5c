"""The cycle's slots summary: one message in the leadership channel, updated in place when
a talk is accepted or leaves the program, instead of every card counting the slots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.curation.program import program_of, talk_studio
from bot.focus import focus_label
from bot.mrkdwn import escape, escaped_short, pack_lines
from storage.models import Cycle, Submission

LISTED = 40  # accepted talks named; a session holds a handful, the rest are counted
SECTION = 2900


def slots_summary(cycle: Cycle, accepted: Sequence[Submission]
                  ) -> tuple[str, list[dict[str, Any]]]:
    program = program_of(cycle.slots, accepted)
    head = (f":calendar: *Session slots: {escaped_short(cycle.title, 150)}* "
            f"({cycle.session_date:%d %b %Y}). {program.slots_line()}")
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
    lines.append(f"*The accepted set* {escape(program.summary())}")
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
              for chunk in pack_lines(lines, SECTION)]
    return escaped_short(f"Session slots: {cycle.title}: {program.slots_line()}", 300), blocks
