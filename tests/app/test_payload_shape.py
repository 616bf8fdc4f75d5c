"""bot.app.payload_shape: the bodies slack-bolt cannot route are named before it raises on
them, and every payload Slack really sends (tests/data/slack_payloads) routes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.app.payload_shape import unroutable

PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "slack_payloads"


@pytest.mark.parametrize("name", sorted(p.name for p in PAYLOADS.glob("*.json")))
def test_what_slack_sends_routes(name: str) -> None:
    assert unroutable(json.loads((PAYLOADS / name).read_text())) is None


@pytest.mark.parametrize(("body", "part"), [
    ({"type": 5}, "type"),
    ({"type": "block_actions"}, "actions"),
    ({"type": "block_actions", "actions": []}, "actions"),
    ({"type": "block_actions", "actions": ["vote_yes"]}, "actions"),
    ({"type": "block_actions", "actions": [{"value": "1:yes"}]}, "actions[0].action_id"),
    ({"type": "block_actions", "actions": [{"action_id": 5}]}, "actions[0].action_id"),
    ({"type": "block_actions", "actions": [{"action_id": "a", "block_id": []}]},
     "actions[0].block_id"),
    ({"type": "interactive_message", "actions": [{}]}, "callback_id"),
    ({"type": "view_submission", "view": "x"}, "view"),
    ({"type": "view_submission", "view": {"callback_id": "c"}}, "view"),
    ({"type": "view_closed", "view": {"type": "modal", "callback_id": 5}}, "view"),
    ({"type": "shortcut"}, "callback_id"),
    ({"type": "workflow_step_edit", "callback_id": "c"}, "workflow_step"),
    ({"type": "block_suggestion", "action_id": 5}, "action_id"),
    ({"type": "event_callback", "event": []}, "event"),
    ({"type": "event_callback", "event": {"type": "message", "subtype": 5}}, "event"),
])
def test_what_bolt_would_raise_on_is_named(body: dict[str, Any], part: str) -> None:
    assert unroutable(body) == part


def test_what_bolt_reads_itself_is_left_to_it() -> None:
    """A slash command, a body without a type, fields bolt never indexes: bolt answers."""
    assert unroutable({"command": "/wgml", "text": 5}) is None
    assert unroutable({"user": {"id": "U1"}}) is None
    assert unroutable({"type": "block_actions", "user": "x",
                       "actions": [{"action_id": "vote_yes", "value": 5}]}) is None
