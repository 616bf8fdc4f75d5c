"""Slack's rendering of what the domain wants said: an outbox row of kind "slack.message"
whose payload carries a value ("said": its KIND and fields, bot/talks/said.py,
bot/curation/said.py) is rendered here when it is delivered. One place per message for its
Slack text; the domain queues the value and names no surface."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.curation.said import AttendanceAsked, DecisionInThread, DecisionTold
from bot.guidelines.said import GuidelinesNoted
from bot.mrkdwn import escape, escaped_short, pack_lines
from bot.sessions.attendance import ATTEND_NO, ATTEND_YES
from bot.slack_ui import (
    answers,
    decisions,
    guidelines,
    messages,
    said_curation,
    said_program,
    said_sessions,
)
from bot.talks.said import EditedInThread, EditSaved, EditUnchanged, TalkSubmitted
from storage.outbox import load, said_of

DM_SECTION = 2900  # a section's text must stay under Slack's 3,000 characters

Rendered = tuple[str, list[dict[str, Any]] | None]


class UnknownSaid(ValueError):
    """A payload naming a value this version cannot render (never sendable as it is)."""


def ask_text(value: AttendanceAsked) -> str:
    return (f"Can you present *{escaped_short(value.title, 150)}* (`{value.ref}`) at "
            f"*{escape(value.session)}* ({escape(value.zone)})? "
            "Please let the leaders know.")


def ask_blocks(value: AttendanceAsked) -> list[dict[str, Any]]:
    lead = "A reminder: " if value.reminder else ""
    sid = str(value.submission_id)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": lead + ask_text(value)}},
        {"type": "actions", "block_id": f"attend:{sid}", "elements": [
            {"type": "button", "action_id": ATTEND_YES, "style": "primary",
             "text": {"type": "plain_text", "text": "Yes, I'll present"}, "value": sid},
            {"type": "button", "action_id": ATTEND_NO, "style": "danger",
             "text": {"type": "plain_text", "text": "I can't make it"}, "value": sid},
        ]},
    ]


def _attendance(value: AttendanceAsked, text: str) -> Rendered:
    """Alone (the reminder), or after the text it follows (the acceptance's DM), in sections
    Slack accepts."""
    if not text:
        return ("A reminder: " if value.reminder else "") + ask_text(value), ask_blocks(value)
    sections = [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
                for chunk in pack_lines(text.split("\n"), DM_SECTION)]
    return text, sections + ask_blocks(value)


def _decision(value: DecisionTold, _: str) -> Rendered:
    """The news, then (on an acceptance) whether they will present, with its buttons."""
    text = decisions.dm_text(value)
    return _attendance(value.ask, text) if value.ask is not None else (text, None)


Loader = Callable[[dict[str, Any]], Any]

# Each kind: its loader (storage.outbox.load: Unreadable, a TypeError, when this version
# cannot read the fields) and its words.
RENDER: dict[str, tuple[Loader, Callable[[Any, str], Rendered]]] = {
    TalkSubmitted.KIND: (partial(load, TalkSubmitted),
                         lambda v, _: (messages.submitted_dm(v), None)),
    EditSaved.KIND: (partial(load, EditSaved),
                     lambda v, _: (messages.edit_saved_dm(v), None)),
    EditUnchanged.KIND: (partial(load, EditUnchanged),
                         lambda v, _: (messages.edit_unchanged_dm(v), None)),
    EditedInThread.KIND: (partial(load, EditedInThread),
                          lambda v, _: (messages.edited_in_thread(v), None)),
    AttendanceAsked.KIND: (partial(load, AttendanceAsked), _attendance),
    DecisionTold.KIND: (partial(load, DecisionTold), _decision),
    DecisionInThread.KIND: (partial(load, DecisionInThread),
                            lambda v, _: (decisions.thread_text(v), None)),
    GuidelinesNoted.KIND: (partial(load, GuidelinesNoted),
                           lambda v, _: (guidelines.noted_dm(v), None)),
    **answers.RENDER,
    **said_curation.RENDER,
    **said_sessions.RENDER,
    **said_program.RENDER,
}


def rendered(payload: dict[str, Any]) -> dict[str, Any]:
    """The chat.postMessage arguments of a payload: as queued, or with its value rendered."""
    said = said_of(payload)
    if said is None:
        return payload
    kind, fields = said
    if kind not in RENDER:
        raise UnknownSaid(f"no Slack rendering for {kind!r}")
    loader, render = RENDER[kind]
    text, blocks = render(loader(fields), str(payload.get("text") or ""))
    out = {k: v for k, v in payload.items() if k not in ("said", "text", "blocks")}
    out["text"] = text
    if blocks:
        out["blocks"] = blocks
    return out
