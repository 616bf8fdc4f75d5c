"""Slack's words for the curation's and the talks' plain messages (bot/curation/said.py,
bot/talks/said.py): a leader's note and a withdrawal in the card's thread, `/wgml withdraw`'s
answer, and the unconfirmed speaker's flag. Registered in bot/slack_ui/said.py's RENDER."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.curation.said import NoteInThread, WithdrawAnswer, WithdrawnInThread
from bot.mrkdwn import escape, escaped_short
from bot.slack_ui.messages import ref_refusal
from bot.talks.said import UnconfirmedFlagged
from bot.talks.status import Status
from storage.outbox import load

Rendered = tuple[str, list[dict[str, Any]] | None]


def note_in_thread(value: NoteInThread) -> str:
    return f"<@{value.leader}> noted:\n{escape(value.text)}"


def withdrawn_in_thread(value: WithdrawnInThread) -> str:
    return (f"<@{value.speaker}> withdrew this accepted talk; it needs to come off the "
            "programme.")


def withdraw_answer(value: WithdrawAnswer) -> str:
    command, ref = value.command, value.ref
    if value.reason == "no_user":
        return "Slack did not say who you are; please try again."
    refused = ref_refusal(value.reason, ref, command, "withdraw")
    if refused is not None:
        return refused
    title = escaped_short(value.title, 120)
    if value.reason == "already":
        return f"*{title}* (`{ref}`) is already withdrawn."
    after: str = {  # type: ignore[call-overload]
        Status.ACCEPTED: " The leaders had accepted it; they will see that you withdrew it.",
        Status.DECLINED: "",
        Status.PENDING_CONFIRMATION: " It had not reached the leaders yet.",
    }.get(value.previous, " The leaders will see that you withdrew it.")
    return f"Withdrawn: *{title}* (`{ref}`).{after} Thank you for letting us know."


def speaker_words(value: UnconfirmedFlagged) -> str:
    """Who to reach: a Slack mention when known, else name and address (escaped)."""
    if value.slack_user:
        return f"<@{value.slack_user}>"
    name = escaped_short(value.name, 80) if value.name else ""
    email = escaped_short(value.email, 254)
    if name and email:
        return f"{name} ({email})"
    return name or email or "an unknown speaker"


def unconfirmed_flagged(value: UnconfirmedFlagged) -> str:
    return (
        f":raising_hand: `{value.ref}` from {speaker_words(value)} is still waiting for the "
        "speaker's confirmation that the talk holds no confidential information. They "
        "answered my request, and my follow-up, without a clear yes, so I will not write to "
        "them again. Could one of you get in touch? Until they confirm, the talk stays hidden "
        "from the leaders and out of voting."
    )


def _plain(cls: type[Any], words: Callable[[Any], str]
           ) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any, str], Rendered]]:
    return partial(load, cls), (lambda v, _: (words(v), None))


RENDER = {
    NoteInThread.KIND: _plain(NoteInThread, note_in_thread),
    WithdrawnInThread.KIND: _plain(WithdrawnInThread, withdrawn_in_thread),
    UnconfirmedFlagged.KIND: _plain(UnconfirmedFlagged, unconfirmed_flagged),
}
