"""The Block Kit limits real Slack enforces, so the emulator refuses what Slack would refuse.

Slack answers `invalid_blocks` (messages) or `invalid_arguments` (views) when a block breaks
one of its documented limits; a bot tested only against an emulator that accepts anything
would post cards that never appear. A subset: the limits user text can push a bot past.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}


def _text(obj: Any) -> str:
    return obj.get("text", "") if isinstance(obj, dict) and isinstance(obj.get("text"), str) \
        else ""


def _element_errors(el: dict[str, Any], where: str) -> list[str]:
    errors: list[str] = []
    if len(str(el.get("action_id", ""))) > 255:
        errors.append(f"{where}: action_id over 255 characters")
    if el.get("type") == "button":
        if el.get("text", {}).get("type") != "plain_text":
            errors.append(f"{where}: button text must be plain_text")
        if len(_text(el.get("text"))) > 75:
            errors.append(f"{where}: button text over 75 characters")
        if len(str(el.get("value", ""))) > 2000:
            errors.append(f"{where}: button value over 2000 characters")
    for opt in el.get("options") or []:
        if len(_text(opt.get("text"))) > 75 and opt.get("text", {}).get("type") == "plain_text":
            errors.append(f"{where}: option text over 75 characters")
        if len(str(opt.get("value", ""))) > 150:
            errors.append(f"{where}: option value over 150 characters")
    return errors


def block_errors(blocks: Any, surface: str = "message") -> list[str]:
    """What Slack would object to in `blocks` on `surface` (message, modal or home)."""
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    errors: list[str] = []
    if len(blocks) > MAX_BLOCKS[surface]:
        errors.append(f"more than {MAX_BLOCKS[surface]} blocks")
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"blocks[{i}]"
        if not isinstance(block, dict):
            errors.append(f"{where}: not an object")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > 255:
                errors.append(f"{where}: block_id over 255 characters")
            if block_id in seen:
                errors.append(f"{where}: duplicate block_id {block_id}")
            seen.add(str(block_id))
        kind = block.get("type")
        if kind == "header":
            if block.get("text", {}).get("type") != "plain_text":
                errors.append(f"{where}: header text must be plain_text")
            if not 1 <= len(_text(block.get("text"))) <= 150:
                errors.append(f"{where}: header text must be 1 to 150 characters")
        elif kind == "section":
            fields = block.get("fields") or []
            if "text" not in block and not fields:
                errors.append(f"{where}: section needs text or fields")
            if "text" in block and not 1 <= len(_text(block.get("text"))) <= 3000:
                errors.append(f"{where}: section text must be 1 to 3000 characters")
            if len(fields) > 10:
                errors.append(f"{where}: more than 10 fields")
            errors += [f"{where}: a field over 2000 characters"
                       for f in fields if len(_text(f)) > 2000]
        elif kind == "context":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 10:
                errors.append(f"{where}: context needs 1 to 10 elements")
            errors += [f"{where}: context text over 3000 characters"
                       for e in elements if len(_text(e)) > 3000]
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                errors.append(f"{where}: actions needs 1 to 25 elements")
            ids = [e.get("action_id") for e in elements if e.get("action_id")]
            if len(ids) != len(set(ids)):
                errors.append(f"{where}: duplicate action_id")
            for j, el in enumerate(elements):
                errors += _element_errors(el, f"{where}.elements[{j}]")
        elif kind == "input":
            if surface == "message":
                errors.append(f"{where}: input blocks are not allowed in messages")
            if len(_text(block.get("label"))) > 2000:
                errors.append(f"{where}: label over 2000 characters")
            errors += _element_errors(block.get("element") or {}, f"{where}.element")
    return errors
