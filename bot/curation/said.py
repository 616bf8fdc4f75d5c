"""What the decisions want said beyond plain text, as values the outbox stores and the
surfaces render (the question's buttons in bot/slack_ui/said.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from storage.models import Cycle, Submission


def session_words(cycle: Cycle | None) -> str:
    if cycle is None:
        return "the session"
    return f"{cycle.title} on {cycle.session_date:%A %d %B %Y} at {cycle.session_time}"


@dataclass(frozen=True)
class AttendanceAsked:
    """Will the speaker present? Asked by the acceptance and by the reminder after silence;
    on Slack a question with two buttons, answered into bot.sessions.attendance."""

    KIND: ClassVar[str] = "attendance.asked"
    submission_id: int
    ref: str
    title: str
    session: str  # session_words of the talk's cycle
    zone: str
    reminder: bool = False


def attendance_asked(sub: Submission, reminder: bool = False) -> AttendanceAsked:
    return AttendanceAsked(sub.id, sub.ref or f"#{sub.id}", sub.title, session_words(sub.cycle),
                           sub.cycle.timezone if sub.cycle else "UTC", reminder)
