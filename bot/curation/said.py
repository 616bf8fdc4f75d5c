"""What the decisions want said, as values the outbox stores and the surfaces render (the
question's buttons in bot/slack_ui/said.py, the speaker's email in bot/email/said.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from bot.people.said import Introduced
from storage.models import Cycle, Submission
from storage.outbox import said_payload


def session_words(cycle: Cycle | None) -> str:
    if cycle is None:
        return "the session"
    return f"{cycle.title} on {cycle.session_date:%A %d %B %Y} at {cycle.session_time}"


@dataclass(frozen=True)
class AttendanceAsked:
    """Will the speaker present? Asked by the acceptance and by the reminder after silence;
    on Slack a question with two buttons, by email the reminder asking for a reply, answered
    into bot.sessions.attendance. `name`: the speaker's, for the email's greeting."""

    KIND: ClassVar[str] = "attendance.asked"
    submission_id: int
    ref: str
    title: str
    session: str  # session_words of the talk's cycle
    zone: str
    reminder: bool = False
    name: str = ""


def speaker_name(sub: Submission) -> str:
    return (sub.speaker.name or "").strip()


def attendance_asked(sub: Submission, reminder: bool = False) -> AttendanceAsked:
    return AttendanceAsked(sub.id, sub.ref or f"#{sub.id}", sub.title, session_words(sub.cycle),
                           sub.cycle.timezone if sub.cycle else "UTC", reminder,
                           speaker_name(sub))


@dataclass(frozen=True)
class DecisionTold:
    """The speaker's DM or email: their talk accepted or declined, or that decision undone;
    the acceptance's introductions (`introduced`, bot.people.networking) and (on Slack) its
    attendance question follow the news. `introductions` is the mrkdwn rows queued by an
    earlier version carry (rendered as it is); `name` the speaker's, for the email's greeting."""

    KIND: ClassVar[str] = "decision.told"
    event: str  # accepted | declined | undone
    ref: str
    title: str
    session: str  # the cycle's title and date, or "the next Mutual Learning Session"
    command: str = "/wgml"
    undone: str | None = None  # for undone: the outcome that was a mistake
    introductions: str = ""
    ask: AttendanceAsked | None = None
    introduced: list[Introduced] = field(default_factory=list)
    name: str = ""

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> DecisionTold:
        """From the outbox's JSON, where the question is a plain dict again."""
        ask = fields.get("ask")
        listed = fields.get("introduced")
        introduced = [Introduced(**i) for i in (listed if isinstance(listed, list) else [])
                      if isinstance(i, dict)]
        return cls(**{**fields, "ask": AttendanceAsked(**ask) if isinstance(ask, dict)
                      else None, "introduced": introduced})  # type: ignore[arg-type]


@dataclass(frozen=True)
class DecisionInThread:
    """The card's thread: what was decided (or undone), by whom, and how the speaker heard."""

    KIND: ClassVar[str] = "decision.in_thread"
    leader: str
    event: str
    undone: str | None = None
    ways: list[str] = field(default_factory=list)  # "dm", "email": how the speaker was told


@dataclass(frozen=True)
class NoteInThread:
    """The card's thread: a leader's note, as they wrote it (bot.curation.notes)."""

    KIND: ClassVar[str] = "note.in_thread"
    leader: str
    text: str


@dataclass(frozen=True)
class WithdrawnInThread:
    """The card's thread: the speaker withdrew an accepted talk (bot.curation.withdraw)."""

    KIND: ClassVar[str] = "withdraw.in_thread"
    speaker: str  # their Slack user id


@dataclass(frozen=True)
class WithdrawAnswer:
    """`/wgml withdraw REF`'s answer to the speaker (answered, not queued)."""

    reason: str  # usage | bad_ref | no_user | not_found | not_yours | already | done
    command: str = "/wgml"
    ref: str = ""
    title: str = ""
    previous: str = ""  # for done: the status the talk had


# ---- what a press on a card answers the presser (ephemeral; bot/slack_ui/answers.py) -------

class Refusal(StrEnum):
    """Why a press changed nothing, when its reason is all there is to say."""

    NOT_A_LEADER = "not_a_leader"  # only leaders vote on or decide talks
    UNAVAILABLE = "unavailable"  # Slack did not say who the leaders are
    BAD_VALUE = "bad_value"  # a button from an old or altered message
    MISSING = "missing"  # the submission is gone
    STALE_DECISION = "stale_decision"  # someone else decided after this press
    RECUSED = "recused"  # a vote from a leader recused from the talk
    NOTES_FOR_LEADERS = "notes_for_leaders"  # the note form's answer to anyone else
    DISMISS_FOR_LEADERS = "dismiss_for_leaders"  # dismissing a guideline concern
    CONCERN_GONE = "concern_gone"  # the talk's text no longer raises that concern

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> Refusal:
        """From the outbox's JSON ({"reason": ...}); a reason this version does not know
        raises ValueError, a missing one KeyError (storage.outbox.load refuses the row)."""
        return cls(str(fields["reason"]))


@dataclass(frozen=True)
class Closed:
    """The talk is no longer open for what was pressed (`what`: vote, decide, recuse, undo)."""

    KIND: ClassVar[str] = "curation.closed"
    status: str
    decided_by: str | None
    what: str


@dataclass(frozen=True)
class RecusalToggled:
    """A leader stepped back from a talk (`active`), or back in."""

    KIND: ClassVar[str] = "curation.recusal"
    ref: str
    active: bool


@dataclass(frozen=True)
class OwnVote:
    """Hidden votes: the voter alone is told what their vote is."""

    KIND: ClassVar[str] = "curation.own_vote"
    ref: str
    value: str  # yes | maybe | no


@dataclass(frozen=True)
class OverSlots:
    """Accepted, past the session's slots (allowed, never unnoticed)."""

    KIND: ClassVar[str] = "curation.over_slots"
    accepted: int
    slots: int


@dataclass(frozen=True)
class StudioHeavy:
    """Accepted, and one studio now holds most of the program."""

    KIND: ClassVar[str] = "curation.studio_heavy"
    studio: str  # as the talks spell it (not escaped)
    held: int
    accepted: int


Answer = Refusal | Closed | RecusalToggled | OwnVote | OverSlots | StudioHeavy
REFUSAL_KIND = "curation.refusal"


def answer_fields(value: Answer) -> dict[str, object]:
    """The value as an outbox payload's "said" (its kind and fields), rendered at delivery."""
    if isinstance(value, Refusal):
        return {"kind": REFUSAL_KIND, "reason": value.value}
    return said_payload(value)
