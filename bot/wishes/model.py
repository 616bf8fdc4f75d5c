"""What the wishes domain returns: plain values the surfaces render."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class WishStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"  # a talk answering it is on an announced program
    CLOSED = "closed"  # a leader closed it


@dataclass(frozen=True)
class WishView:
    id: int
    text: str
    by: str
    status: str
    created_at: dt.datetime
    backers: tuple[str, ...] = ()  # active backers, oldest first (the wisher among them)
    studios: tuple[str, ...] = ()  # the backers' studios, when known, most backers first
    answered_by: tuple[str, ...] = ()  # refs of talks on an announced program
    closed_by: str | None = None

    @property
    def count(self) -> int:
        return len(self.backers)


class Asked(StrEnum):
    """What `/wgml wish TEXT` did."""

    CREATED = "created"  # a new wish
    BACKED = "backed"  # the same (or a near-duplicate) wish: the member now backs it
    ALREADY = "already"  # the member already backed that wish
    NOT_OPEN = "not_open"  # the same wish exists but is answered or closed
    EMPTY = "empty"  # nothing stored
    TOO_LONG = "too_long"  # nothing stored


@dataclass(frozen=True)
class AskResult:
    outcome: Asked
    wish: WishView | None = None
    similar: bool = False  # matched as a near-duplicate, not as the same words
    length: int = 0  # the cleaned text's length (for the too-long hint)


class Pressed(StrEnum):
    """What a press on a wish's button did."""

    BACKED = "backed"
    WITHDRAWN = "withdrawn"
    STALE = "stale"  # a retried or older press: nothing changed
    NOT_OPEN = "not_open"
    MISSING = "missing"


@dataclass(frozen=True)
class PressResult:
    outcome: Pressed
    wish: WishView | None = None


class Changed(StrEnum):
    """What a leader's close or reopen did."""

    CLOSED = "closed"
    REOPENED = "reopened"
    UNCHANGED = "unchanged"
    MISSING = "missing"


@dataclass(frozen=True)
class ChangeResult:
    outcome: Changed
    wish: WishView | None = None


@dataclass(frozen=True)
class AnsweredNotice:
    """A talk answering a wish is on an announced program: who is to be told."""

    wish: WishView
    ref: str
    title: str
    submission_id: int
    recipients: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CallTopics:
    """What the call for speakers and its reminders name besides the session: the open
    wishes most backed, and the strongest pain point several studios share (when any)."""

    wishes: tuple[WishView, ...] = ()
    pain: str | None = None

    def __bool__(self) -> bool:
        return bool(self.wishes or self.pain)


NO_TOPICS = CallTopics()
