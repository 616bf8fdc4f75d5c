"""The lifecycle: `/wgml subproject ID status ...` (leaders), `wgml-bot subproject list|set`,
and the monthly note while a proposed sub-project draws no new interest."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.cli.main import run_command
from bot.config import Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.subprojects.store import Claimed, Proposal, add_interest, attach_channel, claim, theme_key
from scheduler import jobs
from storage.db import Database
from tests.conftest import Running
from tests.sched_helpers import at, job_runs, make_sched

CREATED = at("2027-01-04T10:00:00+00:00")


async def made(db: Database, channel: str = "CSUB00001", when: dt.datetime = CREATED) -> int:
    got = await claim(db, Proposal("Hair mattes", "wgml-hair", "Hair breaks.", (), theme_key([9]),
                                   "hair", f"V{channel}", "ULEAD1"), when)
    assert isinstance(got, Claimed)
    async with db.transaction() as session:
        await attach_channel(session, got.id, channel, "wgml-hair", [])
    return got.id


async def command(running: Running, user: str, text: str) -> str:
    status, body = await running.sender.command(user, text)
    assert status == 200, body
    return str(json.loads(body)["text"])


async def test_leaders_set_the_status_and_the_channel_hears_it(running: Running) -> None:
    sp = await made(running.db)
    running.slack.channels["CSUB00001"] = {"name": "wgml-hair"}
    refused = await command(running, "UMEMBER1", f"subproject {sp} status closed")
    assert "for the WG-ML leaders" in refused
    assert "graduated" in await command(running, "ULEAD1", "subproject 1 status")
    answer = await command(running, "ULEAD1", f"subproject {sp} status graduated")
    assert "Nothing changed" in answer and "repository" in answer
    answer = await command(running, "ULEAD1", f"subproject {sp} status graduated "
                           "<https://github.com/AcademySoftwareFoundation/hair>")
    assert "now *graduated*" in answer
    await running.settle()
    (note,) = running.slack.channel_messages("CSUB00001")
    assert "<@ULEAD1> set" in note["text"] and "ASWF project" in note["text"]
    listing = await command(running, "ULEAD1", "subproject")
    assert "Hair mattes" in listing and "graduated" in listing


async def test_the_cli_lists_and_sets(db: Database, settings: Settings,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    sp = await made(db)
    assert await run_command(["subproject", "list"], settings) == 0
    assert "proposed\t#wgml-hair (CSUB00001)\tHair mattes" in capsys.readouterr().out
    assert await run_command(["subproject", "set", str(sp), "--status", "active"],
                             settings) == 0
    assert "proposed -> active" in capsys.readouterr().out
    assert await run_command(["subproject", "list", "--format", "json"], settings) == 0
    (row,) = json.loads(capsys.readouterr().out)["subprojects"]
    assert row["status"] == "active" and row["channel"] == "CSUB00001"
    assert await run_command(["export", "--format", "json"], settings) == 0
    (exported,) = json.loads(capsys.readouterr().out)["subprojects"]
    assert exported == row
    from bot.cli.common import UserError

    with pytest.raises(UserError, match="repository"):
        await run_command(["subproject", "set", str(sp), "--status", "graduated"], settings)
    with pytest.raises(UserError, match="no sub-project 99"):
        await run_command(["subproject", "set", "99", "--status", "closed"], settings)


def test_the_quiet_note_is_monthly_from_the_last_interest() -> None:
    assert jobs.quiet_occurrence(1, CREATED, CREATED + dt.timedelta(days=29)) is None
    first = jobs.quiet_occurrence(1, CREATED, CREATED + dt.timedelta(days=30, hours=1))
    assert first is not None and first.due_at == CREATED + dt.timedelta(days=30)
    late = jobs.quiet_occurrence(1, CREATED, CREATED + dt.timedelta(days=95))
    assert late is not None and late.due_at == CREATED + dt.timedelta(days=90)
    assert late.key != first.key


async def test_the_quiet_note_goes_out_once_and_not_after_new_interest(
        db: Database, settings: Settings, slack: SlackEmulator) -> None:
    sp = await made(db)
    one, two = make_sched(db, settings), make_sched(db, settings)
    await one.tick(CREATED + dt.timedelta(days=29))
    assert slack.channel_messages("CSUB00001") == []
    now = CREATED + dt.timedelta(days=30, minutes=1)
    await one.tick(now)
    await two.tick(now)  # another replica, the same instant
    await one.tick(now + dt.timedelta(days=1))
    notes = slack.channel_messages("CSUB00001")
    assert len(notes) == 1 and f"subproject {sp} status closed" in notes[0]["text"]
    # Someone new is interested: the count starts again from then.
    async with db.transaction() as session:
        await add_interest(session, sp, "UMEMBER1", now + dt.timedelta(days=2))
    await one.tick(CREATED + dt.timedelta(days=60, minutes=1))
    assert len(slack.channel_messages("CSUB00001")) == 1
    await one.tick(now + dt.timedelta(days=32, minutes=1))
    assert len(slack.channel_messages("CSUB00001")) == 2
    runs = [r for r in await job_runs(db) if r.job == "subproject_quiet"]
    assert [r.outcome for r in runs] == ["ran", "ran"]
    await one.close()
    await two.close()
