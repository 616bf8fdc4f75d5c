"""What the session's program, its day, its slides request and its recap want said, as values:
the outbox stores the queued ones and the surfaces word them (Slack's in
bot/slack_ui/said_program.py, the mail's in bot/email/session_texts.py), so the domain names no
surface and composes no mrkdwn."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import ClassVar


@dataclass(frozen=True)
class SessionTalk:
    """A talk as the program and the recap show it: what it is and who gives it, as stored."""

    title: str
    speaker_user: str = ""  # the speaker's Slack user id, when they are on Slack
    speaker_name: str = ""  # their name, "" when none is known
    studio: str = ""  # one line: the talk's studio, the speaker's, or "independent"
    focus: str = ""  # the focus area's label
    abstract: str = ""
    page: str = ""  # its page on the public archive, when the speaker agreed and SITE_URL is set
    slides_url: str = ""
    recording_url: str = ""


def _talks(fields: dict[str, object]) -> list[SessionTalk]:
    listed = fields.get("talks")
    return [SessionTalk(**t) for t in (listed if isinstance(listed, list) else [])
            if isinstance(t, dict)]


@dataclass(frozen=True)
class ProgramAnnounced:
    """The program, or its update: the confirmed talks, to the channel and the list."""

    KIND: ClassVar[str] = "program.announced"
    cycle_title: str
    session_date: str  # ISO date
    when: str  # when_words: "Thursday 14 January 2027, 17:00 Europe/London (17:00 UTC)"
    join_url: str = ""
    update: bool = False
    talks: list[SessionTalk] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> ProgramAnnounced:
        """From the outbox's JSON, where the talks are plain dicts again."""
        return cls(**{**fields, "talks": _talks(fields)})  # type: ignore[arg-type]

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.session_date)


@dataclass(frozen=True)
class SessionToday:
    """The morning of the session: when, where to join, and the talks' titles."""

    KIND: ClassVar[str] = "program.today"
    cycle_title: str
    when: str
    join_url: str = ""
    titles: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SlidesAsked:
    """After the session, to the speaker: will they share their slides and the recording?
    On Slack with a button opening the form (bot.sessions.slides)."""

    KIND: ClassVar[str] = "slides.asked"
    submission_id: int
    ref: str
    title: str
    speaker_name: str = ""


@dataclass(frozen=True)
class RecapPosted:
    """Seven days after the session: each talk with its slides and recording."""

    KIND: ClassVar[str] = "recap.posted"
    cycle_title: str
    session_date: str  # ISO date
    talks: list[SessionTalk] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> RecapPosted:
        return cls(**{**fields, "talks": _talks(fields)})  # type: ignore[arg-type]

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.session_date)
