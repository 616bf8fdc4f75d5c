"""A running bot with mail (a real SMTP server) and talks from three studios that hit the
same problem, for the sub-project tests."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.requests import SlackSender, interactive
from bot.demo.emulator.slack import SlackEmulator, bound_port
from storage.db import Database
from storage.models import Speaker, Submission, Subproject
from tests.conftest import SECRET, Clock, Running
from tests.email_helpers import mail_settings
from tests.smtp_sink import SmtpServer

TEAM = {"id": "T0WGML01", "domain": "wgml"}
_ids = itertools.count(1)

# Three studios, one failure: hair and fur mattes breaking (tests/people/test_themes.py).
HAIR = [
    ("ML roto on creature shots", "Northlight", "We ran a matting model over creature shots.",
     "It failed on fur and hair: the edges chattered frame to frame and fine strands were "
     "lost."),
    ("SAM 2 for roto on a drama", "Kestrel FX", "We tried SAM 2 for roto on street plates.",
     "Flyaway hair broke it: the matte edges boiled and fine strands vanished."),
    ("Matting curly hair", "Ironbark", "Three open matting models for live-action hair.",
     "None held up: fine strands vanished and the hair edges chattered over time."),
]


@pytest.fixture
async def mailrunning(settings: Settings, db: Database, slack: SlackEmulator,
                      smtp: SmtpServer) -> AsyncIterator[Running]:
    clock = Clock()
    bot = Bot.build(mail_settings(settings, smtp), db=db, services_clock=clock)
    runner = web.AppRunner(bot.web_app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{bound_port(site)}"
    sender = SlackSender(f"{base}/slack/events", SECRET, slack.new_response_url)
    bot.start_background()
    try:
        yield Running(bot, sender, base, slack, clock)
    finally:
        await sender.close()
        await bot.stop_background()
        await runner.cleanup()


async def add_talk(db: Database, title: str, studio: str, abstract: str, results: str, *,
                   slack_user: str | None = None, email: str | None = None,
                   opt_out: bool = False, message_id: str | None = None,
                   name: str = "") -> int:
    n = next(_ids)
    async with db.transaction() as session:
        speaker = Speaker(name=name or f"Person {n}", studio=studio,
                          networking_opt_out=opt_out, email=email,
                          slack_user_id=slack_user)
        sub = Submission(speaker=speaker, title=title, focus_area="content_creation",
                         abstract=abstract, results=results, studio=studio,
                         source="slack" if slack_user else "email", status="submitted",
                         confidentiality_confirmed=True, email_message_id=message_id,
                         created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
        session.add(sub)
        await session.flush()
        sub.ref = f"WGML-2026-{sub.id:03d}"
        return sub.id


async def seed_three_studios(db: Database) -> list[int]:
    """Northlight on Slack, Kestrel by email only, Ironbark on Slack but opted out."""
    return [
        await add_talk(db, *HAIR[0], slack_user="UNORTH01", name="Nora North"),
        await add_talk(db, *HAIR[1], email="kim@kestrel.example", name="Kim Kestrel",
                       message_id="<kim.talk@mail.kestrel.example>"),
        await add_talk(db, *HAIR[2], slack_user="USHY0001", opt_out=True, name="Shy Person"),
    ]


async def themes_answer(running: Running, user: str) -> dict[str, Any]:
    """The report: acknowledged at once, sent through the command's response_url."""
    before = len(running.slack.responses)
    status, body = await running.sender.command(user, "themes")
    assert status == 200, body
    ack: dict[str, Any] = json.loads(body)
    assert ack["response_type"] == "ephemeral"
    if "Reading" not in ack["text"]:
        return ack  # refused at once
    await running.slack.wait_for(lambda: len(running.slack.responses) > before)
    answer: dict[str, Any] = running.slack.responses[before]
    return answer


def buttons(blocks: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]
            if e["action_id"].startswith(prefix)]


def modal_state(view: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """The state Slack sends for the opened modal as filled in (initial values, changed
    by `overrides`: name, channel, statement as text, talks as a list of option values)."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        key = block["block_id"]
        if element["type"] == "plain_text_input":
            values[key] = {element["action_id"]: {
                "type": "plain_text_input",
                "value": overrides.get(key, element.get("initial_value", ""))}}
        else:
            chosen = overrides.get(key)
            options = element.get("initial_options", []) if chosen is None else [
                o for o in element["options"] if o["value"] in chosen]
            values[key] = {element["action_id"]: {"type": "multi_static_select",
                                                  "selected_options": options}}
    return {"values": values}


def submission_body(user: str, view: dict[str, Any], **overrides: Any) -> bytes:
    return interactive({
        "type": "view_submission", "team": TEAM,
        "user": {"id": user, "username": user.lower(), "name": user.lower(),
                 "team_id": TEAM["id"]},
        "api_app_id": "AEMULATOR", "trigger_id": f"{uuid.uuid4().int % 10**12}.x",
        "view": {"id": view["id"], "type": "modal", "callback_id": view["callback_id"],
                 "team_id": TEAM["id"], "state": modal_state(view, **overrides),
                 "hash": uuid.uuid4().hex, "private_metadata": view["private_metadata"]},
    })


async def submit(running: Running, user: str, view: dict[str, Any], **overrides: Any
                 ) -> dict[str, Any]:
    status, body = await running.sender.post(submission_body(user, view, **overrides))
    assert status == 200, body
    return json.loads(body) if body else {}


async def subprojects(db: Database) -> list[Subproject]:
    async with db.session() as session:
        return list((await session.scalars(select(Subproject).order_by(Subproject.id))).all())
