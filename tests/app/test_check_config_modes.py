"""check-config as issue 14 asks: every check runs whatever fails, each mode's settings are
known (Slack-only passes; Socket Mode needs no signing secret), channel IDs are shaped like IDs
and both channels are asked of Slack (the emulator), the app token too."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from bot.app import checks as checks_module
from bot.app.checks import check_app_token, check_slack, connection_checks
from bot.config import Check, Settings, settings_despite_errors, static_checks
from bot.demo.emulator.slack import SlackEmulator
from storage.db import Database
from storage.migrate import upgrade
from tests.conftest import ANNOUNCE, LEADS, TOKEN

ROOT = Path(__file__).resolve().parents[2]
APP_TOKEN = "xapp-1-A0-emulator"


def slack_only(settings: Settings, **changes: object) -> Settings:
    base = {**settings.model_dump(), "mailing_list_address": None, "bot_email_address": None,
            "slack_signing_secret": None, "slack_app_token": APP_TOKEN, **changes}
    return Settings(_env_file=None, **base)  # type: ignore[call-arg]


def lines_for(checks: list[Check], name: str) -> list[Check]:
    return [c for c in checks if c.name == name]


async def check_config(env: dict[str, str], cwd: Path) -> tuple[int, list[str]]:
    # The emulator answers from this event loop: the child must not block it.
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "check-config", env=env, cwd=str(cwd),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert "Traceback" not in out.decode() + err.decode(), err.decode()
    return proc.returncode or 0, out.decode().splitlines()


def base_env(db_url: str, slack: SlackEmulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "SMTP_", "IMAP_", "WGML_", "MAILING_", "BOT_EMAIL",
                                "ANNOUNCE_", "LEADERSHIP_", "TIMEZONE", "DATABASE_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=db_url, SLACK_BOT_TOKEN=TOKEN,
               SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL=slack.url,
               LEADERSHIP_CHANNEL_ID=LEADS, ANNOUNCE_CHANNEL_ID=ANNOUNCE)
    env.update(extra)
    return env


async def migrated(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


async def test_a_slack_only_socket_mode_setup_passes(db_url: str, slack: SlackEmulator,
                                                     tmp_path: Path) -> None:
    await migrated(db_url)
    code, lines = await check_config(base_env(db_url, slack), tmp_path)
    assert code == 0, lines
    assert not [line for line in lines if line.startswith("FAIL")]
    assert any(line.startswith("ok   SLACK_SIGNING_SECRET: unset; not needed in Socket Mode")
               for line in lines)
    assert any(line.startswith("ok   announce channel:") for line in lines), lines
    assert any(line.startswith("ok   slack app token:") for line in lines), lines
    assert slack.calls_to("apps.connections.open")


async def test_bad_values_hide_no_other_check(db_url: str, slack: SlackEmulator,
                                              tmp_path: Path) -> None:
    await migrated(db_url)
    env = base_env(db_url, slack, TIMEZONE="Mars/Olympus", DATABASE_URL="not a url",
                   IMAP_HOST="127.0.0.1", IMAP_PORT="99999", IMAP_USERNAME="bot",
                   IMAP_PASSWORD="pw", BOT_EMAIL_ADDRESS="bot@example.org")
    code, lines = await check_config(env, tmp_path)
    assert code == 1
    for name in ("TIMEZONE", "DATABASE_URL", "IMAP_PORT"):
        assert len([line for line in lines if line.startswith(f"FAIL {name}:")]) == 1, lines
    # Slack is still asked; the database and IMAP are not tried with the defaults.
    assert any(line.startswith("ok   slack auth.test:") for line in lines), lines
    assert any(line.startswith("ok   leadership channel:") for line in lines), lines
    assert not [line for line in lines if line.split()[1] in ("database:", "imap:")], lines


def test_settings_despite_errors_keeps_the_good_values(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    monkeypatch.setenv("SMTP_PORT", "lots")
    monkeypatch.setenv("LEADERSHIP_CHANNEL_ID", "C0123ABCD")
    monkeypatch.chdir(ROOT / "tests")  # no .env here
    settings, invalid = settings_despite_errors()
    assert set(invalid) == {"TIMEZONE", "SMTP_PORT"}
    assert settings.leadership_channel_id == "C0123ABCD" and settings.timezone == "UTC"


def test_http_mode_needs_the_signing_secret(settings: Settings) -> None:
    http = slack_only(settings, slack_app_token=None)
    [secret] = lines_for(static_checks(http), "SLACK_SIGNING_SECRET")
    assert not secret.ok and "HTTP mode" in secret.detail
    [secret] = lines_for(static_checks(slack_only(settings)), "SLACK_SIGNING_SECRET")
    assert secret.ok


def test_email_settings_are_optional_until_email_is_used(settings: Settings) -> None:
    quiet = static_checks(slack_only(settings))
    assert all(c.ok for c in quiet), [c.line() for c in quiet if not c.ok]
    half = static_checks(slack_only(settings, mailing_list_address="wg-ml@lists.example.org"))
    [address] = lines_for(half, "BOT_EMAIL_ADDRESS")
    assert not address.ok and "MAILING_LIST_ADDRESS" in address.detail


def test_a_bot_token_as_the_app_token_is_one_fail(settings: Settings) -> None:
    found = lines_for(static_checks(slack_only(settings, slack_app_token="xoxb-1-2-3")),
                      "SLACK_APP_TOKEN")
    assert len(found) == 1 and not found[0].ok
    assert "xapp-" in found[0].detail and "bot token" in found[0].detail


@pytest.mark.parametrize("name", ["#general", "general", "wg-ml"])
def test_a_channel_name_where_an_id_belongs_fails(settings: Settings, name: str) -> None:
    found = static_checks(slack_only(settings, leadership_channel_id=name,
                                     announce_channel_id=name))
    for setting in ("LEADERSHIP_CHANNEL_ID", "ANNOUNCE_CHANNEL_ID"):
        [check] = lines_for(found, setting)
        assert not check.ok and "channel name" in check.detail and "C0123ABCD" in check.hint


async def test_both_channels_are_asked_of_slack(settings: Settings, slack: SlackEmulator
                                                ) -> None:
    found = await check_slack(slack_only(settings, announce_channel_id="CNOSUCH01"))
    [announce] = lines_for(found, "announce channel")
    assert not announce.ok and "channel_not_found" in announce.detail
    slack.channels["CNOSUCH01"] = {"is_private": False, "is_member": False}
    [announce] = lines_for(await check_slack(slack_only(
        settings, announce_channel_id="CNOSUCH01")), "announce channel")
    assert not announce.ok and "not a member" in announce.detail and "/invite" in announce.hint
    infos = [c.params.get("channel") for c in slack.calls_to("conversations.info")]
    assert LEADS in infos and "CNOSUCH01" in infos


async def test_the_bot_must_be_in_the_leadership_channel(settings: Settings,
                                                         slack: SlackEmulator) -> None:
    slack.channels[LEADS] = {"is_private": False, "is_member": False}
    [leaders] = lines_for(await check_slack(slack_only(settings)), "leadership channel")
    assert not leaders.ok and "not a member" in leaders.detail


async def test_a_revoked_app_token_fails(settings: Settings, slack: SlackEmulator) -> None:
    slack.refused_tokens.add(APP_TOKEN)
    check = await check_app_token(slack_only(settings))
    assert check is not None and not check.ok and "invalid_auth" in check.detail


async def test_a_silent_slack_is_one_line_with_the_timeout(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up

    server = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    monkeypatch.setattr(checks_module, "TIMEOUT", 1.0)
    try:
        found = await connection_checks(slack_only(
            settings, slack_api_url=f"http://127.0.0.1:{port}/api/"))
    finally:
        server.close()
    slack_lines = [c for c in found if c.name.startswith("slack")]
    assert len(slack_lines) == 1, [c.line() for c in found]
    assert not slack_lines[0].ok
    assert slack_lines[0].detail == f"no answer from http://127.0.0.1:{port}/api/ within 1s"
