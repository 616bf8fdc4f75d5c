"""Wishes by email: only ever to the mailing list, in the call for speakers (plain text under
the template). A wish's text is never put in an answer to whoever wrote to the bot."""

from __future__ import annotations

from bot.wishes.model import CallTopics

CALL_TOP = 5


def call_topics_plain(topics: CallTopics) -> str:
    """The call's topics as plain lines ("" when there are none)."""
    lines: list[str] = []
    if topics.wishes:
        lines.append("Topics members asked for:")
        for w in topics.wishes[:CALL_TOP]:
            n = len(w.backers)
            lines.append(f"- {' '.join(w.text.split())} ({n} member{'s' if n != 1 else ''})")
    if topics.pain:
        if lines:
            lines.append("")
        lines.append(f"A pain point several studios share: {' '.join(topics.pain.split())}")
    return "\n".join(lines)
