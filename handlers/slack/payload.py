"""Defensive reading of Slack payloads: wrong types and missing keys become empty values."""

from __future__ import annotations

from typing import Any


def dig(obj: Any, *path: str | int) -> Any:
    """obj[path[0]][path[1]]... or None when any step is missing or of the wrong type."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(obj, list) or not -len(obj) <= step < len(obj):
                return None
        elif not isinstance(obj, dict):
            return None
        obj = obj[step] if isinstance(step, int) else obj.get(step)
    return obj


def text(obj: Any, *path: str | int) -> str:
    value = dig(obj, *path)
    return value if isinstance(value, str) else ""


def state_value(view: Any, block_id: str, action_id: str) -> Any:
    """The submitted value of one input: a string, a selected option value or a list of values."""
    element = dig(view, "state", "values", block_id, action_id)
    if not isinstance(element, dict):
        return None
    kind = element.get("type")
    if kind == "static_select":
        return text(element, "selected_option", "value")
    if kind == "checkboxes":
        options = element.get("selected_options")
        if not isinstance(options, list):
            return []
        return [o.get("value") for o in options if isinstance(o, dict)]
    value = element.get("value")
    return value if isinstance(value, str) else ""
