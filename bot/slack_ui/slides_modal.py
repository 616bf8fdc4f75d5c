"""The speaker's slides form, opened by the slides request's button: the slides and
recording links (what was shared before filled in), their word that the slides hold nothing
confidential, and the public archive's checkbox. Its answer is read in bot.sessions.slides."""

from __future__ import annotations

from typing import Any

from bot.mrkdwn import escaped_short
from bot.sessions.ids import SLIDES_CALLBACK
from bot.sessions.slides import (
    CONFIRM_BLOCK,
    CONFIRM_INPUT,
    CONFIRM_TEXT,
    PUBLISH_BLOCK,
    PUBLISH_INPUT,
    RECORDING_BLOCK,
    RECORDING_INPUT,
    SLIDES_BLOCK,
    SLIDES_INPUT,
)
from bot.talks.publish import CONSENT_HINT, CONSENT_TEXT, CONSENT_VALUE
from storage.models import Submission


def _url_input(block: str, action: str, label: str, stored: str | None) -> dict[str, Any]:
    # What was shared before stays filled in: the form can be sent again just to change the
    # archive's checkbox.
    element: dict[str, Any] = {"type": "url_text_input", "action_id": action}
    if stored:
        element["initial_value"] = stored
    return {"type": "input", "block_id": block, "optional": True,
            "label": {"type": "plain_text", "text": label}, "element": element}


def slides_modal(sub: Submission) -> dict[str, Any]:
    consent = {"text": {"type": "plain_text", "text": CONSENT_TEXT}, "value": CONSENT_VALUE}
    publish: dict[str, Any] = {"type": "checkboxes", "action_id": PUBLISH_INPUT,
                               "options": [consent]}
    if sub.publish is True:
        publish["initial_options"] = [consent]

    return {
        "type": "modal", "callback_id": SLIDES_CALLBACK, "private_metadata": str(sub.id),
        "title": {"type": "plain_text", "text": "Slides and recording"},
        "submit": {"type": "plain_text", "text": "Share"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": (
                f"`{escaped_short(sub.ref or '', 30)}` *{escaped_short(sub.title, 200)}*")}},
            _url_input(SLIDES_BLOCK, SLIDES_INPUT, "Slides link", sub.slides_url),
            _url_input(RECORDING_BLOCK, RECORDING_INPUT, "Recording link", sub.recording_url),
            {"type": "input", "block_id": CONFIRM_BLOCK,
             "label": {"type": "plain_text", "text": "Confidentiality"},
             "element": {"type": "checkboxes", "action_id": CONFIRM_INPUT, "options": [
                 {"text": {"type": "plain_text", "text": CONFIRM_TEXT}, "value": "yes"}]}},
            {"type": "input", "block_id": PUBLISH_BLOCK, "optional": True,
             "label": {"type": "plain_text", "text": "Public archive"},
             "hint": {"type": "plain_text", "text": CONSENT_HINT},
             "element": publish},
        ],
    }
