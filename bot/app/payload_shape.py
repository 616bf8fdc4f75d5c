"""What slack-bolt needs of a signed request's body before it can route it.

Bolt indexes some fields without checking them (`actions[0]["action_id"]`, `view["type"]`,
`event.get`): a body Slack would never send, but an altered or broken client can, made it
raise inside its dispatch, logged with a traceback at ERROR and answered 400 all the same.
bot.app.web asks `unroutable` first and answers such a body 400 `malformed payload` with one
warning line, so a traceback in the log is a bug of ours again. The listeners read what they
use defensively (handlers/slack/payload.py); this checks only what bolt itself touches.
"""

from __future__ import annotations

from typing import Any

ACTIONS = ("block_actions", "interactive_message")
VIEWS = ("view_submission", "view_closed")
# Payloads bolt routes by their callback_id, which it matches as a string.
BY_CALLBACK = ("shortcut", "message_action", "dialog_submission", "dialog_cancellation",
               "dialog_suggestion", "workflow_step_edit")


def _strings(obj: dict[str, Any], *keys: str, required: bool = True) -> bool:
    return all(isinstance(obj.get(k), str) if required or k in obj else True for k in keys)


def unroutable(body: dict[str, Any]) -> str | None:
    """The part of `body` bolt cannot read (a short name for the log), or None."""
    kind = body.get("type")
    if "type" in body and not isinstance(kind, str):
        return "type"
    if kind in ACTIONS:
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions or \
                not all(isinstance(a, dict) for a in actions):
            return "actions"
        first = actions[0]
        if kind == "block_actions" and not _strings(first, "action_id"):
            return "actions[0].action_id"
        if kind == "block_actions" and not _strings(first, "block_id", required=False):
            return "actions[0].block_id"
        if kind == "interactive_message" and not _strings(body, "callback_id"):
            return "callback_id"
    if kind in VIEWS:
        view = body.get("view")
        if not isinstance(view, dict) or not _strings(view, "type", "callback_id"):
            return "view"
    if kind in BY_CALLBACK and not _strings(body, "callback_id"):
        return "callback_id"
    if kind == "workflow_step_edit" and not isinstance(body.get("workflow_step"), dict):
        return "workflow_step"
    if kind == "block_suggestion" and not _strings(body, "action_id"):
        return "action_id"
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not _strings(event, "type") or \
                not _strings(event, "subtype", required=False):
            return "event"
    return None
