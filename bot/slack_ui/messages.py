"""What the bot says to people, in one place (plain text and mrkdwn)."""

from __future__ import annotations

import zoneinfo

from bot.focus import BOUNDARY_TEXT
from bot.slack_ui.mrkdwn import escape, escaped_short
from bot.talks.status import speaker_label
from storage.models import Cycle, Submission


def submitted_dm(submission: Submission, command: str = "/wgml") -> str:
    cycle = submission.cycle
    where = (
        f"for *{escape(cycle.title)}*"
        if cycle
        else "and will be considered for the next call for speakers (none is open right now)"
    )
    return (
        f"Thank you! Your talk *{escaped_short(submission.title, 150)}* is in as "
        f"`{submission.ref}` {where}. The WG-ML leaders will look at it and you will hear "
        f"from me when they decide. `{command} mine` shows its status."
    )


def mine(submissions: list[Submission], command: str) -> str:
    if not submissions:
        return f"You have no submissions yet. `{command} submit` proposes a talk."
    lines = ["*Your submissions*"]
    for s in submissions:
        cycle = escape(s.cycle.title) if s.cycle else "next call"
        lines.append(
            f"• `{s.ref}` *{escaped_short(s.title, 80)}* ({cycle}): "
            f"{speaker_label(s.status)}"
        )
    return "\n".join(lines)


def help_text(command: str, subcommands: list[tuple[str, str]]) -> str:
    """`/wgml help`: one line per (usage, what it does), from the subcommands that exist."""
    lines = "".join(f"• `{command} {usage}`: {what}\n" for usage, what in subcommands)
    return (
        "*WG-ML Mutual Learning Sessions*: members present practical experiments, "
        '"we tried X model for Y task and these were the results".\n'
        + lines + "You can also reply by email to the call for speakers.\n\n" + BOUNDARY_TEXT
    )


def deadline_text(cycle: Cycle, zone: zoneinfo.ZoneInfo) -> str:
    local = cycle.deadline.astimezone(zone)
    return f"{local:%A %d %B %Y} (end of day, {zone.key})"


def no_cycle_notice() -> str:
    return (
        "No call for speakers is open right now; your submission will wait for the next one "
        "and the leaders will see it then."
    )
