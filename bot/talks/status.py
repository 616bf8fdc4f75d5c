"""A talk's status (and a cycle's): where it is in the lifecycle, and how each reader sees it named.

pending_confirmation -> submitted -> accepted | declined; withdrawn from any of them. The
database stores the value (a plain string column); every comparison and every label goes
through this enum and its one label table, so adding a status is a change here (and in the
surfaces' own marks for it, such as Slack's emoji in bot/slack_ui/status.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CycleStatus(StrEnum):
    """A cycle (one call for speakers): open until its deadline passes or it is closed."""

    OPEN = "open"
    CLOSED = "closed"


class Status(StrEnum):
    PENDING_CONFIRMATION = "pending_confirmation"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> Label:
        return LABELS[self]


@dataclass(frozen=True)
class Label:
    speaker: str  # to the talk's speaker (`/wgml mine`, the Home tab)
    leaders: str  # to the leaders (card, digest, `/wgml review`), plain


LABELS: dict[Status, Label] = {
    Status.PENDING_CONFIRMATION: Label(
        "waiting for your confidentiality confirmation", "waiting for the speaker's confirmation"),
    Status.SUBMITTED: Label("with the leaders", "open for votes"),
    Status.ACCEPTED: Label("accepted", "accepted"),
    Status.DECLINED: Label("declined", "declined"),
    Status.WITHDRAWN: Label("withdrawn", "withdrawn by the speaker"),
}

# Talks the leaders have before them: confirmed by their speaker, not withdrawn.
CONFIRMED: tuple[Status, ...] = (Status.SUBMITTED, Status.ACCEPTED, Status.DECLINED)
DECIDED: tuple[Status, ...] = (Status.ACCEPTED, Status.DECLINED)


def speaker_label(value: str) -> str:
    """The speaker's words for a stored status (an unknown value is shown as it is)."""
    try:
        return Status(value).label.speaker
    except ValueError:
        return value


def leaders_label(value: str) -> str:
    """The leaders' words for a stored status (an unknown value is shown as it is)."""
    try:
        return Status(value).label.leaders
    except ValueError:
        return value
