"""Slack's words for what a press on a card answers the presser (ephemeral, mrkdwn): the
refusals, a closed talk, a recusal, a hidden vote and an acceptance's warnings
(bot/curation/said.py's `Answer`). Queued by the domain as values, rendered at delivery
through bot/slack_ui/said.py's RENDER; a listener answering at once words them with
`answer_text`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.curation.said import (
    REFUSAL_KIND,
    Answer,
    Closed,
    OverSlots,
    OwnVote,
    RecusalToggled,
    Refusal,
    StudioHeavy,
)
from bot.mrkdwn import escape
from bot.talks.status import Status
from storage.outbox import load

Rendered = tuple[str, list[dict[str, Any]] | None]

REFUSAL = (
    "Only the WG-ML leaders (the members of the leadership channel) can vote on or decide "
    "talks, so nothing changed. If you should be one, ask a leader to add you to the channel."
)
UNAVAILABLE = (
    "I could not check who the leaders are just now (Slack did not answer), so nothing "
    "changed. Please press the button again in a minute."
)
BAD_VALUE = (
    "I could not read that button (it may come from an old or altered message), so nothing "
    "changed. Please use the buttons on the latest card."
)
MISSING = "I can't find that submission any more, so nothing changed."
STALE_DECISION = (
    "The card changed after you pressed that button (another decision came after it), so "
    "nothing changed. Please check the card and press again if you still mean it."
)
VOTE_WHILE_RECUSED = ("You recused yourself from this talk, so your vote was not counted. "
                      "Press *Recuse* on the card again to step back in first.")
NOTES_FOR_LEADERS = "Notes are for the WG-ML leaders (the members of the leadership channel)."
DISMISS_FOR_LEADERS = (
    "Only the WG-ML leaders (the members of the leadership channel) can dismiss a guideline "
    "concern, so nothing changed.")
CONCERN_GONE = ("The talk's text changed since this card was drawn and no longer raises that "
                "concern, so nothing changed. The card now shows the current text's concerns.")

REFUSALS: dict[Refusal, str] = {
    Refusal.NOT_A_LEADER: REFUSAL,
    Refusal.UNAVAILABLE: UNAVAILABLE,
    Refusal.BAD_VALUE: BAD_VALUE,
    Refusal.MISSING: MISSING,
    Refusal.STALE_DECISION: STALE_DECISION,
    Refusal.RECUSED: VOTE_WHILE_RECUSED,
    Refusal.NOTES_FOR_LEADERS: NOTES_FOR_LEADERS,
    Refusal.DISMISS_FOR_LEADERS: DISMISS_FOR_LEADERS,
    Refusal.CONCERN_GONE: CONCERN_GONE,
}


def closed_text(value: Closed) -> str:
    status, what = value.status, value.what
    if what == "undo":
        if status == Status.WITHDRAWN:
            return "The speaker withdrew this talk, so there is nothing to undo."
        if status == Status.PENDING_CONFIRMATION:  # not open for votes: not yet the leaders'
            return ("This talk is still waiting for the speaker's confidentiality "
                    "confirmation, so there is nothing to undo.")
        return "There is no decision to undo: the talk is open for votes."
    by = f" by <@{value.decided_by}>" if value.decided_by else ""
    if status in (Status.ACCEPTED, Status.DECLINED):
        tail = ("Undo it first if that was a mistake." if what == "decide"
                else "Undo the decision first if it was a mistake.")
        return f"This talk was already {status}{by}, so nothing changed. {tail}"
    if status == Status.WITHDRAWN:
        return "The speaker withdrew this talk, so nothing changed."
    if status == Status.PENDING_CONFIRMATION:
        return ("This talk is still waiting for the speaker's confidentiality confirmation, "
                "so nothing changed.")
    return f"This talk is {status}, so nothing changed."


def recusal_text(value: RecusalToggled) -> str:
    if value.active:
        return (f"You have recused yourself from `{value.ref}`: your vote, if you had one, "
                "is removed and you no longer owe one. Press *Recuse* again to step back in.")
    return f"You are back on `{value.ref}`: your vote counts again once you cast it."


def own_vote_text(value: OwnVote) -> str:
    return (f"Your vote on `{value.ref}`: *{value.value}*. The other leaders see only that "
            "you voted; every vote shows once the talk is decided.")


def over_slots_text(value: OverSlots) -> str:
    return (f":warning: Accepted, past the session's slots: {value.accepted} talks are "
            f"accepted for {value.slots} slots.")


def studio_heavy_text(value: StudioHeavy) -> str:
    return (f":warning: Accepted. {escape(value.studio)} now holds {value.held} of the "
            f"{value.accepted} accepted talks (most of the program).")


def answer_text(value: Answer | str) -> str:
    """The words of an answer; a text (a listener's own) is said as it is."""
    if isinstance(value, str) and not isinstance(value, Refusal):
        return value
    if isinstance(value, Refusal):
        return REFUSALS[value]
    if isinstance(value, Closed):
        return closed_text(value)
    if isinstance(value, RecusalToggled):
        return recusal_text(value)
    if isinstance(value, OwnVote):
        return own_vote_text(value)
    if isinstance(value, OverSlots):
        return over_slots_text(value)
    return studio_heavy_text(value)


def _words(value: Answer, _: str) -> Rendered:
    return answer_text(value), None


RENDER: dict[str, tuple[Callable[[dict[str, Any]], Any], Callable[[Any, str], Rendered]]] = {
    REFUSAL_KIND: (partial(load, Refusal), _words),
    **{cls.KIND: (partial(load, cls), _words)
       for cls in (Closed, RecusalToggled, OwnVote, OverSlots, StudioHeavy)},
}
