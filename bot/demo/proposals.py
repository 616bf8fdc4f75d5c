"""The demo's speakers and their talks, and how a member proposes one (the modal filled in
and submitted as Slack sends it): shared by the story's steps (bot/demo/story.py) and the
session's (bot/demo/session_steps.py)."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select

from bot.demo.play import ADA, BEN, EVE, LEADS, USERS, Demo
from bot.demo.transcript import Entry
from bot.slack_ui.blocks import BLOCKS, CONFIRM_VALUE
from storage.models import Submission

TALKS: dict[str, dict[str, Any]] = {
    ADA: dict(
        title="We tried SAM 2 for rotoscoping hair and fur",
        focus_area="content_creation",
        abstract="We ran SAM 2 on 40 shots of hair and fur from two shows and compared the "
                 "mattes with our artists' roto: setup, prompting, clean-up time per shot.",
        results="Worked on clean plates and saved about a third of roto time; failed on heavy "
                "motion blur; surprise: temporal flicker was worse than edge quality.",
        studio="Northlight Animation", email="ada@northlight.example",
    ),
    BEN: dict(
        title="Coding assistants for pipeline tools: 6 months & <!channel> lessons",
        focus_area="llm_pipeline",
        abstract="Our pipeline TDs used a coding assistant for six months on Python tools for "
                 "Houdini and our asset system. How we measured review time and defects.",
        results="Good for boilerplate and tests; wrong about our in-house APIs until we added "
                "retrieval over our docs. Scaling: licence cost per seat mattered more than GPUs.",
        studio="Harbour VFX", email="ben@harbour.example",
    ),
    EVE: dict(
        title="Denoising path-traced previews on the farm: a year in",
        focus_area="infrastructure",
        abstract="We put a denoiser in front of every preview render on our farm for a year: "
                 "GPU hours, artist feedback and where it smeared detail.",
        results="Halved preview turnaround; failed on hair and volumes, so those opt out.",
        studio="Fenwick Pictures", email="eve@fenwick.example",
    ),
}


async def submit(demo: Demo, user: str) -> None:
    status, body = await demo.sender.command(user, "submit", user_name=USERS[user])
    if status != 200:
        raise RuntimeError(f"/wgml submit answered HTTP {status}: {body[:200]}")
    await demo.slack.wait_for(lambda: any(
        c.method == "views.open" for c in demo.slack.calls[demo._calls_seen:]))
    view = demo.slack.calls_to("views.open")[-1].params.get("view") or {}
    view_id = str(view.get("id") or f"VDEMO{user}")
    # The modal the bot opened, shown as the member submits it: what they typed is what the
    # view_submission below carries.
    demo._calls_seen = len(demo.slack.calls)
    filled = fill_view(view, TALKS[user])
    demo.show(Entry("modal", where=f"A modal opens (views.open); {USERS[user]} fills it in",
                    live=filled, blocks=filled["blocks"]))
    demo.note(f"{USERS[user]} ticks the confidentiality box and presses Submit.")
    status, body = await demo.sender.submit_view(user, view_id, user_name=USERS[user],
                                                 confirmed=True, **TALKS[user])
    if status != 200 or body:
        raise RuntimeError(f"the modal was refused: HTTP {status} {body[:300]}")
    await demo.settle()
    async with demo.bot.db.session() as session:
        sub = await session.scalar(select(Submission).where(
            Submission.title == TALKS[user]["title"]))
    if sub is None or sub.status != "submitted" or not sub.card_ts:
        raise RuntimeError(f"{USERS[user]}'s submission did not reach the leaders")
    demo.state[user] = sub.id


def fill_view(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A copy of the modal with the member's answers in it (and the confirmation ticked)."""
    filled = copy.deepcopy(view)
    for block in filled.get("blocks") or []:
        element = block.get("element") if isinstance(block, dict) else None
        name = BLOCKS.get(str(block.get("block_id")), ("", ""))[1] if element else ""
        if not element or not name:
            continue
        if element.get("type") == "static_select":
            chosen = [o for o in element.get("options") or []
                      if o.get("value") == values.get(name)]
            if chosen:
                element["initial_option"] = chosen[0]
        elif element.get("type") == "checkboxes":
            if name == "confirmed":
                element["initial_options"] = [
                    o for o in element.get("options") or [] if o.get("value") == CONFIRM_VALUE]
        elif isinstance(values.get(name), str):
            element["initial_value"] = values[name]
    return filled


async def card(demo: Demo, sid: int) -> tuple[str, str]:
    async with demo.bot.db.session() as session:
        sub = await session.get(Submission, sid)
        assert sub is not None and sub.card_ts
        return sub.card_channel or LEADS, sub.card_ts
