"""The attendance buttons over Socket Mode: `wgml-bot run` as a process, an envelope from the
emulator, the answer stored."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import select

from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.models import Speaker, Submission
from tests.app.test_service import (  # noqa: F401 - the fixture
    migrated,
    service_env,
    service_log,
    start_service,
    stop_service,
)


async def accepted_talk(db_url: str) -> int:
    db = Database(db_url)
    try:
        async with db.transaction() as session:
            now = dt.datetime.now(dt.UTC)
            sub = Submission(
                speaker=Speaker(name="Ada", slack_user_id="UMEMBER1", studio="Studio A"),
                title="Roto at scale", focus_area="content_creation", abstract="We tried.",
                source="slack", status="accepted", confidentiality_confirmed=True,
                confidentiality_confirmed_at=now, attendance_asked_at=now, ref="WGML-2026-001")
            session.add(sub)
            await session.flush()
            return sub.id
    finally:
        await db.dispose()


async def attendance_of(db_url: str, sid: int) -> str | None:
    db = Database(db_url)
    try:
        async with db.session() as session:
            return await session.scalar(
                select(Submission.attendance).where(Submission.id == sid))
    finally:
        await db.dispose()


async def test_attend_button_over_socket_mode(migrated: str, slack: SlackEmulator,  # noqa: F811
                                              tmp_path: Path) -> None:
    sid = await accepted_talk(migrated)
    env = service_env(migrated, slack, SLACK_APP_TOKEN="xapp-1-emulator")
    env.pop("SLACK_SIGNING_SECRET")
    proc = await start_service(env, cwd=tmp_path)
    try:
        for _ in range(300):
            if slack.socket_connected or proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
        assert slack.socket_connected, "the bot never opened a Socket Mode connection"
        payload = {
            "type": "block_actions", "team": {"id": "T0WGML01"},
            "user": {"id": "UMEMBER1", "username": "ada", "team_id": "T0WGML01"},
            "api_app_id": "AEMULATOR", "trigger_id": "1.2",
            "channel": {"id": "DMEMBER1"},
            "container": {"type": "message", "message_ts": "1.000001", "channel_id": "DMEMBER1"},
            "message": {"ts": "1.000001", "type": "message"},
            "actions": [{"action_id": "attend_yes", "block_id": f"attend:{sid}",
                         "value": str(sid), "type": "button", "action_ts": "1.000002"}],
        }
        await slack.send_envelope("interactive", payload)
        for _ in range(100):
            if await attendance_of(migrated, sid) == "confirmed":
                break
            await asyncio.sleep(0.1)
        assert await attendance_of(migrated, sid) == "confirmed"
    except BaseException:
        print(service_log(tmp_path)[-5000:])
        raise
    finally:
        await stop_service(proc, tmp_path)
