"""The leader's note modal, opened by the card's Note button."""

from __future__ import annotations

from typing import Any

from bot.curation.notes import NOTE_MAX
from bot.mrkdwn import escaped_short
from bot.slack_ui.ids import NOTE_CALLBACK

NOTE_BLOCK = "note"
NOTE_INPUT = "note_input"


def note_modal(submission_id: int, ref: str, title: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": NOTE_CALLBACK,
        "private_metadata": str(submission_id),
        "title": {"type": "plain_text", "text": "Note for the leaders"},
        "submit": {"type": "plain_text", "text": "Save note"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                f"`{escaped_short(ref, 30)}` *{escaped_short(title, 200)}*\n"
                "Why you would take it, or not; what to ask the speaker. Only the leaders "
                "see notes: they are posted in the card's thread, never to the speaker.")}},
            {"type": "input", "block_id": NOTE_BLOCK,
             "label": {"type": "plain_text", "text": "Note"},
             "element": {"type": "plain_text_input", "action_id": NOTE_INPUT,
                         "multiline": True, "max_length": NOTE_MAX}},
        ],
    }
