"""What the talks' lifecycle wants said, as values: the outbox stores them and each surface
renders them (Slack's text in bot/slack_ui/messages.py), so the domain names no surface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from storage.models import Submission


@dataclass(frozen=True)
class TalkSubmitted:
    """The speaker's DM: their talk is in, with its reference."""

    KIND: ClassVar[str] = "talk.submitted"
    ref: str
    title: str
    cycle_title: str | None
    command: str = "/wgml"


@dataclass(frozen=True)
class EditSaved:
    """The speaker's DM after an edit: which fields changed, and the new version."""

    KIND: ClassVar[str] = "talk.edit_saved"
    ref: str
    title: str
    fields: list[str]
    n: int
    command: str = "/wgml"


@dataclass(frozen=True)
class EditUnchanged:
    """The speaker's DM after an edit that changed nothing."""

    KIND: ClassVar[str] = "talk.edit_unchanged"
    ref: str


@dataclass(frozen=True)
class EditedInThread:
    """The card's thread after an edit: which fields changed, never the text itself."""

    KIND: ClassVar[str] = "talk.edited_in_thread"
    ref: str
    fields: list[str]
    n: int
    channel: str  # "slack" | "email": how the speaker edited it


@dataclass(frozen=True)
class EditRefused:
    """Why a talk cannot be edited by this person now (answered, not queued)."""

    reason: str  # usage | bad_ref | not_found | not_yours | closed
    command: str = "/wgml"
    ref: str = ""
    title: str = ""
    closed: str = ""  # for "closed": session | withdrawn | declined | a status
    fields: list[str] = field(default_factory=list)


def submitted(submission: Submission, command: str) -> TalkSubmitted:
    return TalkSubmitted(submission.ref or f"#{submission.id}", submission.title,
                         submission.cycle.title if submission.cycle else None, command)


@dataclass(frozen=True)
class UnconfirmedFlagged:
    """The leadership channel: a speaker keeps answering the confirmation request without a
    clear yes (bot.talks.unconfirmed). Names the reference and the speaker only, never the
    title: it is what the speaker has not cleared."""

    KIND: ClassVar[str] = "talk.unconfirmed_flagged"
    ref: str
    slack_user: str = ""  # the speaker's Slack user id when known (a valid one)
    name: str = ""  # else their name (not an address) and address
    email: str = ""
