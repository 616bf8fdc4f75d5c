"""Progress bars on long exports; logs that never hold a token or a password."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import zoneinfo

from rich.console import Console

from bot.cli.progress import ProgressReporter
from bot.logs import JsonFormatter, KeyValueFormatter
from bot.talks.cycles import CycleRequest, open_cycle
from bot.talks.export import export_data, talk_chunks
from storage.db import Database
from storage.models import Speaker, Submission
from tests.conftest import SECRET, TOKEN, Running


async def test_export_reports_progress_per_chunk_and_keeps_order(db: Database) -> None:
    today = dt.date(2030, 1, 1)
    async with db.transaction() as session:
        for n in range(6):
            await open_cycle(session, CycleRequest(
                title=f"Cycle {n}", deadline=today + dt.timedelta(days=30 * n + 10),
                session_date=today + dt.timedelta(days=30 * n + 20)),
                zoneinfo.ZoneInfo("UTC"), dt.datetime(2029, 12, 1, tzinfo=dt.UTC))
        session.add(Speaker(id=1, name="Ada"))
        await session.flush()
        for i in range(1, 6):  # talks in cycles 1, 2, 3, 1 and one waiting for a call
            session.add(Submission(id=i, ref=f"T-{i}", cycle_id=[1, 2, 3, 1, None][i - 1],
                                   speaker_id=1, title=f"Talk {i}", focus_area="other",
                                   abstract="An abstract.", source="slack", status="submitted"))
    seen: list[tuple[int, int]] = []
    async with db.read() as session:
        data = await export_data(session, progress=lambda d, t: seen.append((d, t)))
        assert seen == [(5, 5)]
        assert [c["title"] for c in data["cycles"]] == [f"Cycle {n}" for n in range(6)]
        assert [s["id"] for s in data["submissions"]] == [1, 2, 3, 4, 5]
        seen.clear()
        ids = [[row.id for row in part] async for part in talk_chunks(
            session, chunk=2, progress=lambda d, t: seen.append((d, t)))]
        assert ids == [[1, 2], [3, 4], [5]] and seen == [(2, 5), (4, 5), (5, 5)]
        one = await export_data(session, data["cycles"][0]["id"],
                                lambda d, t: seen.append((d, t)))
    assert [c["title"] for c in one["cycles"]] == ["Cycle 0"] and seen[-1] == (2, 2)
    assert [s["id"] for s in one["submissions"]] == [1, 4]


def test_progress_bar_only_on_a_terminal_and_for_long_operations() -> None:
    out = io.StringIO()
    with ProgressReporter("exporting cycles", console=Console(file=out, force_terminal=True,
                                                             width=80)) as bar:
        for n in range(1, 11):
            bar(n, 10)
        assert bar.active
    assert not bar.active
    assert "exporting cycles" in out.getvalue()
    piped = io.StringIO()
    with ProgressReporter("exporting cycles", console=Console(file=piped)) as bar:
        for n in range(1, 11):
            bar(n, 10)
        assert not bar.active
    assert piped.getvalue() == ""
    short = io.StringIO()
    with ProgressReporter("x", console=Console(file=short, force_terminal=True)) as bar:
        bar(1, 2)
        assert not bar.active


def test_formatters_redact_tokens_and_passwords() -> None:
    record = logging.LogRecord(
        "wgml.test", logging.INFO, __file__, 1,
        "event=x token=%s smtp password=hunter2 app=xapp-1-A-2 secret=abc url=%s",
        (TOKEN, "postgresql://u:pw@h/db"), None)
    for formatter in (KeyValueFormatter(), JsonFormatter()):
        line = formatter.format(record)
        assert TOKEN not in line and "hunter2" not in line and "xapp-1-A-2" not in line
        assert "secret=abc" not in line
    try:
        raise RuntimeError(f"failed with {TOKEN}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    assert TOKEN not in KeyValueFormatter().format(record)
    assert TOKEN not in json.dumps(JsonFormatter().format(record))


async def test_a_whole_submission_logs_no_secret(running: Running) -> None:
    # Everything the service logs at DEBUG (slack_sdk, bolt, aiohttp, ours) through both
    # formatters, while a member submits and the bot posts the DM and the card.
    stream = io.StringIO()
    handlers = []
    for formatter in (KeyValueFormatter(), JsonFormatter()):
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        handlers.append(handler)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    for handler in handlers:
        root.addHandler(handler)
    try:
        await running.sender.command("UMEMBER1", "submit")
        await running.submit("UMEMBER1")
        await running.settle()
        await running.sender.command("UMEMBER1", "mine")
    finally:
        for handler in handlers:
            root.removeHandler(handler)
        root.setLevel(old_level)
    logged = stream.getvalue()
    assert "event=submission.slack" in logged  # the bot did log the work
    assert len(logged.splitlines()) > 10
    assert TOKEN not in logged and SECRET not in logged
