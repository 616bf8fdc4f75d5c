"""A status as Slack shows it to the leaders: its emoji before the leaders' words
(bot/talks/status.py holds the statuses and their words)."""

from __future__ import annotations

from bot.talks.status import Status

STATUS_EMOJI: dict[Status, str] = {
    Status.PENDING_CONFIRMATION: ":hourglass:",
    Status.SUBMITTED: ":inbox_tray:",
    Status.ACCEPTED: ":white_check_mark:",
    Status.DECLINED: ":x:",
    Status.WITHDRAWN: ":leftwards_arrow_with_hook:",
}


def status_with_emoji(value: str) -> str:
    """The card's status line, `:white_check_mark: accepted` (an unknown value as it is)."""
    try:
        status = Status(value)
    except ValueError:
        return value
    return f"{STATUS_EMOJI[status]} {status.label.leaders}"
