"""Slack's words for the session's attendance (bot/sessions/said.py): the card's thread when
the speaker answers, the leaders' list of silent speakers, and the answer to the speaker's
button. Registered in bot/slack_ui/said.py's RENDER."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.mrkdwn import escape, escaped_short
from bot.sessions.said import AttendanceAnswer, AttendanceInThread, SpeakersSilent
from storage.outbox import load

Rendered = tuple[str, list[dict[str, Any]] | None]


def in_thread(value: AttendanceInThread) -> str:
    if value.confirmed:
        return "The speaker confirmed they will present."
    best = value.best
    if best is None:
        pointer = "No undecided talk is left in this cycle."
    else:
        pointer = (f"The best-voted undecided talk is *{escaped_short(best.title, 150)}* "
                   f"(`{best.ref}`, {value.best_votes}).")
    return ("The speaker cannot present, so this accepted talk is withdrawn and a slot is "
            f"free. {pointer}")


def silent_text(value: SpeakersSilent) -> str:
    lines = [f":hourglass: {value.count} accepted speakers of *{escape(value.cycle_title)}* "
             f"have not said whether they will present ({value.date:%A %d %B}); please ask "
             "them:"]
    lines += [f"• *{escaped_short(s.title, 150)}* (`{s.ref}`), "
              + (f"<@{s.slack_user}>" if s.slack_user else escaped_short(s.contact, 100))
              for s in value.speakers]
    return "\n".join(lines)[:3000]


def thanks_text(title: str, ref: str, command: str | None) -> str:
    how = (f"`{command} submit` any time" if command
           else "reply to the next call for speakers")
    return (f"Thank you for telling us you cannot present *{escaped_short(title, 150)}* "
            f"(`{ref}`); the leaders know, and the talk is withdrawn. We would love to hear "
            f"it in a later session: {how}.")


def answer_text(value: AttendanceAnswer) -> str:
    """What the speaker's Yes/No button answers them, privately."""
    if value.outcome == "bad_button":
        return "That button did not say which talk; please use the latest message."
    if value.outcome == "missing":
        return "I can't find that talk any more."
    if value.outcome == "not_speaker":
        return "Only the talk's speaker can answer for it."
    title = f"*{escaped_short(value.title, 150)}* (`{value.ref}`)"
    if value.outcome == "confirmed":
        return f"Thank you: the leaders know you will present {title}."
    if value.outcome == "declined":
        return thanks_text(value.title, value.ref, value.command)
    if value.outcome == "unchanged":
        return f"Noted already: {title}."
    return (f"{title} is no longer accepted ({escape(value.status)}), so there is nothing to "
            "answer.")


def _render(load: Callable[[dict[str, Any]], Any], words: Callable[[Any], str]
            ) -> tuple[Callable[[dict[str, Any]], Any], Callable[[Any, str], Rendered]]:
    return load, (lambda v, _: (words(v), None))


RENDER = {
    AttendanceInThread.KIND: _render(partial(load, AttendanceInThread), in_thread),
    SpeakersSilent.KIND: _render(partial(load, SpeakersSilent), silent_text),
}
