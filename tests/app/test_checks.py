"""check-config's connection checks against real stand-ins: the Slack emulator, aiosmtpd,
pymap (a real IMAP server), a migrated database, and a closed port."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app.checks import connection_checks
from bot.config import Check, Settings
from bot.demo.emulator.slack import SlackEmulator
from bot.demo.standins import ImapStandIn, SmtpStandIn, free_port, pymap_available
from storage.db import Database
from storage.migrate import upgrade
from storage.schema import head_revision
from tests.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
SMTP_PASSWORD = "smtp-pass-s3cret"
IMAP_PASSWORD = "imap-pass-s3cret"


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


async def migrated(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


def configured(settings: Settings, **changes: object) -> Settings:
    return Settings(_env_file=None, **{**settings.model_dump(), **changes})  # type: ignore[call-arg]


async def test_everything_reachable(settings: Settings, db_url: str) -> None:
    if not pymap_available():
        pytest.skip("pymap is not installed: no IMAP server to log in to")
    await migrated(db_url)
    smtp = SmtpStandIn(username="bot", password=SMTP_PASSWORD).start()
    imap = await ImapStandIn("bot", IMAP_PASSWORD).start()
    try:
        checks = by_name(await connection_checks(configured(
            settings, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False,
            smtp_username="bot", smtp_password=SMTP_PASSWORD, imap_host="127.0.0.1",
            imap_port=imap.port, imap_ssl=False, imap_username="bot",
            imap_password=IMAP_PASSWORD)))
    finally:
        smtp.stop()
        imap.stop()
    assert all(c.ok for c in checks.values()), [c.line() for c in checks.values()]
    assert set(checks) == {"database", "slack auth.test", "leadership channel",
                           "announce channel", "smtp", "imap", "slack outbox"}
    assert f"schema at {head_revision()}" in checks["database"].detail
    assert "3 members are the leaders" in checks["leadership channel"].detail
    assert "logged in as bot" in checks["smtp"].detail
    lines = "\n".join(c.line() for c in checks.values())
    assert SMTP_PASSWORD not in lines and IMAP_PASSWORD not in lines and TOKEN not in lines


async def test_failures_each_say_how_to_fix(settings: Settings, slack: SlackEmulator) -> None:
    # No schema, wrong token, a closed SMTP port, a closed IMAP port.
    closed = free_port()
    bad = configured(settings, slack_bot_token="xoxb-wrong-token", smtp_host="127.0.0.1",
                     smtp_port=closed, smtp_username="bot", smtp_password=SMTP_PASSWORD,
                     imap_host="127.0.0.1", imap_port=closed, imap_ssl=False,
                     imap_username="bot", imap_password=IMAP_PASSWORD)
    checks = by_name(await connection_checks(bad))
    assert not checks["database"].ok and "db upgrade" in checks["database"].hint
    assert not checks["slack auth.test"].ok and "invalid_auth" in checks["slack auth.test"].detail
    assert "SLACK_BOT_TOKEN" in checks["slack auth.test"].hint
    assert not checks["smtp"].ok and "SMTP_HOST" in checks["smtp"].hint
    assert not checks["imap"].ok and "IMAP_HOST" in checks["imap"].hint
    lines = "\n".join(c.line() for c in checks.values())
    assert "xoxb-wrong-token" not in lines and SMTP_PASSWORD not in lines
    assert IMAP_PASSWORD not in lines


async def test_wrong_passwords_and_unreadable_channel(settings: Settings, db_url: str,
                                                      slack: SlackEmulator) -> None:
    if not pymap_available():
        pytest.skip("pymap is not installed: no IMAP server to log in to")
    await migrated(db_url)
    smtp = SmtpStandIn(username="bot", password=SMTP_PASSWORD).start()
    imap = await ImapStandIn("bot", IMAP_PASSWORD).start()
    slack.members.clear()
    try:
        checks = by_name(await connection_checks(configured(
            settings, smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False,
            smtp_username="bot", smtp_password="nope-wrong", imap_host="127.0.0.1",
            imap_port=imap.port, imap_ssl=False, imap_username="bot",
            imap_password="nope-wrong")))
    finally:
        smtp.stop()
        imap.stop()
    assert checks["database"].ok and checks["slack auth.test"].ok
    assert not checks["leadership channel"].ok
    assert "invite the bot" in checks["leadership channel"].hint
    assert not checks["smtp"].ok and "login refused" in checks["smtp"].detail
    assert not checks["imap"].ok and "login refused" in checks["imap"].detail
    assert "app password" in checks["imap"].hint
    assert "nope-wrong" not in "\n".join(c.line() for c in checks.values())


async def test_smtp_and_imap_are_skipped_unless_configured(settings: Settings) -> None:
    names = {c.name for c in await connection_checks(settings)}
    assert "smtp" not in names and "imap" not in names
    assert {"database", "slack auth.test", "leadership channel"} <= names


async def test_checking_a_missing_sqlite_file_does_not_create_it(settings: Settings,
                                                                 tmp_path: object) -> None:
    path = Path(str(tmp_path)) / "nothing-here.db"
    checks = by_name(await connection_checks(configured(
        settings, database_url=f"sqlite+aiosqlite:///{path}")))
    assert not checks["database"].ok and "db upgrade" in checks["database"].hint
    assert str(path) in checks["database"].detail
    assert not path.exists()


async def test_check_config_command_prints_one_line_per_check(settings: Settings, db_url: str,
                                                              slack: SlackEmulator,
                                                              tmp_path: object) -> None:
    import asyncio
    import os
    import sys

    await migrated(db_url)
    smtp = SmtpStandIn(username="bot", password=SMTP_PASSWORD).start()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_"))}
    env.update(
        PYTHONPATH=str(ROOT), DATABASE_URL=db_url,
        SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL=slack.url,
        LEADERSHIP_CHANNEL_ID="CNOTTHERE", ANNOUNCE_CHANNEL_ID="CANNOUNCE1",
        MAILING_LIST_ADDRESS="l@x.example", BOT_EMAIL_ADDRESS="b@x.example",
        SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_STARTTLS="false",
        SMTP_USERNAME="bot", SMTP_PASSWORD=SMTP_PASSWORD)
    try:
        # The emulator answers from this event loop: the child must not block it.
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "check-config", env=env, cwd=str(tmp_path),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    finally:
        smtp.stop()
    lines = out.decode().splitlines()
    assert proc.returncode == 1, out.decode() + err.decode()
    assert "Traceback" not in out.decode() + err.decode()
    assert any(line.startswith("ok   database:") for line in lines), lines
    assert any(line.startswith("ok   slack auth.test:") for line in lines)
    assert any(line.startswith("ok   smtp:") for line in lines)
    bad = [line for line in lines if line.startswith("FAIL")]
    assert len(bad) == 1 and bad[0].startswith("FAIL leadership channel:")
    assert "invite the bot" in bad[0]
    assert TOKEN not in out.decode() and SMTP_PASSWORD not in out.decode()
