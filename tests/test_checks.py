"""check-config's connection checks against real stand-ins: the Slack emulator, aiosmtpd,
pymap (a real IMAP server), a migrated database, and a closed port."""

from __future__ import annotations

import pytest

from bot.checks import connection_checks
from bot.config import Check, Settings
from bot.emulator.slack import SlackEmulator
from bot.standins import ImapStandIn, SmtpStandIn, free_port, pymap_available
from storage.db import Database
from storage.migrate import head_revision, upgrade
from tests.conftest import TOKEN

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
    assert set(checks) == {"database", "slack auth.test", "leadership channel", "smtp", "imap"}
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
    from pathlib import Path

    path = Path(str(tmp_path)) / "nothing-here.db"
    checks = by_name(await connection_checks(configured(
        settings, database_url=f"sqlite+aiosqlite:///{path}")))
    assert not checks["database"].ok and "db upgrade" in checks["database"].hint
    assert str(path) in checks["database"].detail
    assert not path.exists()
