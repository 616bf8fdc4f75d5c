"""views.open, views.update, views.publish: modals and the App Home tab."""

from __future__ import annotations

import uuid
from typing import Any

from bot.demo.emulator.state import EmulatorState, Handler, Result


def open_view(emu: EmulatorState, p: dict[str, Any]) -> Result:
    if not p.get("trigger_id"):
        return {"ok": False, "error": "invalid_trigger_id"}
    view = p.get("view")
    invalid = emu.invalid_view(view, "modal")
    if invalid is not None:
        return invalid
    view_id = "V" + uuid.uuid4().hex[:10].upper()
    emu.views[view_id] = {"id": view_id, **(view or {})}
    return {"view": emu.views[view_id]}


def update_view(emu: EmulatorState, p: dict[str, Any]) -> Result:
    view = p.get("view")
    invalid = emu.invalid_view(view, "modal")
    if invalid is not None:
        return invalid
    view_id = p.get("view_id") or ""
    emu.views[view_id] = {"id": view_id, **(view or {})}
    return {"view": emu.views[view_id]}


def publish(emu: EmulatorState, p: dict[str, Any]) -> Result:
    user = p.get("user_id", "")
    invalid = emu.invalid_view(p.get("view"), "home")
    if invalid is not None:
        return invalid
    emu.home_views[user] = p.get("view") or {}
    return {"view": {"id": "VHOME" + user, **emu.home_views[user]}}


METHODS: dict[str, Handler] = {
    "views.open": open_view,
    "views.update": update_view,
    "views.publish": publish,
}
