"""What the session's attendance wants said, as values: the outbox stores the queued ones and
the surfaces render them (Slack's text in bot/slack_ui/said_sessions.py), so the domain names
no surface and composes no mrkdwn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class Talk:
    """A talk as a line names it: its title and reference."""

    ref: str
    title: str


@dataclass(frozen=True)
class AttendanceInThread:
    """The card's thread: the speaker will present, or cannot (the talk is withdrawn and a
    slot is free; the best-voted undecided talk of the cycle is named, when there is one)."""

    KIND: ClassVar[str] = "attendance.in_thread"
    confirmed: bool
    best_title: str = ""
    best_ref: str = ""
    best_votes: str = ""  # the tally's text, e.g. "2 yes, 1 maybe, 0 no"

    @property
    def best(self) -> Talk | None:
        return Talk(self.best_ref, self.best_title) if self.best_ref else None


@dataclass(frozen=True)
class SilentSpeaker:
    ref: str
    title: str
    slack_user: str = ""
    contact: str = ""  # else the address or name, when not on Slack


@dataclass(frozen=True)
class SpeakersSilent:
    """The leadership channel, before the session: accepted speakers who have not said whether
    they will present."""

    KIND: ClassVar[str] = "attendance.silent"
    cycle_title: str
    session_date: str  # ISO date
    count: int
    speakers: list[SilentSpeaker] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> SpeakersSilent:
        listed = fields.get("speakers")
        speakers = [SilentSpeaker(**s) for s in (listed if isinstance(listed, list) else [])
                    if isinstance(s, dict)]
        return cls(**{**fields, "speakers": speakers})  # type: ignore[arg-type]

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.session_date)


@dataclass(frozen=True)
class AttendanceAnswer:
    """The speaker's Yes/No button answered (privately; not queued)."""

    outcome: str  # bad_button | missing | not_speaker | confirmed | declined | unchanged | closed
    ref: str = ""
    title: str = ""
    status: str = ""  # for closed: the talk's status now
    command: str | None = None  # for declined: the slash command to submit again
