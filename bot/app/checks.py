"""`wgml-bot check-config`: can the bot reach what it needs? One line per connection.

Each check has a short timeout, says how to fix what fails, and never prints a secret: error
texts pass through bot.logs.redact and database URLs are shown without their password.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Awaitable
from pathlib import Path

import aioimaplib
import aiosmtplib
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url

from bot.config import Check, Settings
from bot.curation.leaders import slack_member_lister
from bot.logs import redact
from storage.db import Database, safe_url
from storage.migrate import current_revision, head_revision

TIMEOUT = 8.0  # seconds per check; they run concurrently


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return redact(f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__)


async def _guarded(name: str, check: Awaitable[Check], hint: str) -> Check:
    try:
        return await asyncio.wait_for(check, TIMEOUT)
    except TimeoutError:
        return Check(name, False, f"no answer within {TIMEOUT:.0f}s", hint)
    except Exception as exc:
        return Check(name, False, _why(exc), hint)


def _missing_sqlite_file(url: str) -> str | None:
    try:
        parsed = make_url(url)
    except Exception:
        return None
    name = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or name in ("", ":memory:") or \
            name.startswith("file:"):
        return None
    return None if Path(name).exists() else name


async def check_database(settings: Settings) -> Check:
    where = safe_url(settings.database_url)
    missing = _missing_sqlite_file(settings.database_url)
    if missing is not None:
        # Connecting would create an empty file: a check must not change anything.
        return Check("database", False, f"no SQLite database at {missing}",
                     "run `wgml-bot db upgrade` to create it, or fix DATABASE_URL")
    db = Database(settings.database_url)
    try:
        try:
            await db.ping()
        except Exception as exc:
            return Check("database", False, f"cannot reach {where}: {_why(exc)}",
                         "check DATABASE_URL and that the server is running")
        current, head = await current_revision(db), head_revision()
    finally:
        await db.dispose()
    if current is None:
        return Check("database", False, f"{where} has no schema", "run `wgml-bot db upgrade`")
    if current != head:
        return Check("database", False, f"schema at {current}, this version needs {head}",
                     "run `wgml-bot db upgrade`")
    return Check("database", True, f"{where} reachable, schema at {current}")


_SLACK_HINTS = {
    "invalid_auth": "SLACK_BOT_TOKEN is wrong or revoked; copy it again from OAuth & Permissions",
    "token_revoked": "the app was uninstalled; reinstall it and copy the new token",
    "account_inactive": "the app was uninstalled; reinstall it and copy the new token",
    "not_authed": "set SLACK_BOT_TOKEN",
    "channel_not_found": "invite the bot to the private channel (/invite @wgml-bot) and "
                         "check the ID",
    "not_in_channel": "invite the bot to the channel (/invite @wgml-bot)",
    "missing_scope": "add the scope named in manifest.yml (groups:read, channels:read) "
                     "and reinstall",
}


def _slack_failure(name: str, exc: SlackApiError, default_hint: str) -> Check:
    error = str(exc.response.get("error") or exc.response.status_code)
    return Check(name, False, f"Slack answered {redact(error)}",
                 _SLACK_HINTS.get(error, default_hint))


async def check_slack(settings: Settings) -> list[Check]:
    if not settings.slack_bot_token:
        return []
    client = AsyncWebClient(token=settings.slack_bot_token.get_secret_value(),
                            base_url=settings.slack_api_url, timeout=int(TIMEOUT))
    checks: list[Check] = []
    try:
        auth = await client.auth_test()
    except SlackApiError as exc:
        return [_slack_failure("slack auth.test", exc, "check SLACK_BOT_TOKEN")]
    checks.append(Check("slack auth.test", True,
                        f"authenticated as {auth.get('user')} in {auth.get('team')}"))
    channel = settings.leadership_channel_id
    if channel:
        name = "leadership channel"
        try:
            info = await client.conversations_info(channel=channel)
            leaders = await slack_member_lister(client)(channel)
        except SlackApiError as exc:
            checks.append(_slack_failure(name, exc, "check LEADERSHIP_CHANNEL_ID"))
        else:
            private = "private" if (info.get("channel") or {}).get("is_private") else "public"
            checks.append(Check(name, True, f"{channel} readable ({private}; its "
                                            f"{len(leaders)} members are the leaders)"))
    return checks


def smtp_configured(settings: Settings) -> bool:
    # localhost:587 is only the default: check SMTP when the operator said something about it.
    return bool(settings.smtp_username) or bool(
        {"smtp_host", "smtp_port"} & settings.model_fields_set)


async def check_smtp(settings: Settings) -> Check:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    client = aiosmtplib.SMTP(
        hostname=settings.smtp_host, port=settings.smtp_port, use_tls=settings.smtp_ssl,
        start_tls=settings.smtp_starttls and not settings.smtp_ssl, timeout=TIMEOUT,
    )
    try:
        await client.connect()
    except (aiosmtplib.SMTPException, OSError) as exc:
        return Check("smtp", False, f"cannot connect to {where}: {_why(exc)}",
                     "check SMTP_HOST/SMTP_PORT and SMTP_SSL (465) vs SMTP_STARTTLS (587)")
    try:
        if settings.smtp_username:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password \
                else ""
            try:
                await client.login(settings.smtp_username, password)
            except aiosmtplib.SMTPAuthenticationError as exc:
                return Check("smtp", False, f"login refused at {where} (code {exc.code})",
                             "check SMTP_USERNAME/SMTP_PASSWORD; many providers need an "
                             "app password")
            except aiosmtplib.SMTPException as exc:
                return Check("smtp", False, f"login failed at {where}: {_why(exc)}",
                             "the server may need STARTTLS before login (SMTP_STARTTLS=true)")
            return Check("smtp", True, f"{where} reachable, logged in as "
                                       f"{settings.smtp_username}")
        return Check("smtp", True, f"{where} reachable (no SMTP_USERNAME: no login)")
    finally:
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()


async def check_imap(settings: Settings) -> Check:
    assert settings.imap_host
    where = f"{settings.imap_host}:{settings.imap_port}"
    client: aioimaplib.IMAP4
    if settings.imap_ssl:
        client = aioimaplib.IMAP4_SSL(host=settings.imap_host, port=settings.imap_port,
                                      timeout=TIMEOUT, ssl_context=ssl.create_default_context())
    else:
        client = aioimaplib.IMAP4(host=settings.imap_host, port=settings.imap_port,
                                  timeout=TIMEOUT)
    try:
        await client.wait_hello_from_server()
    except (OSError, TimeoutError) as exc:
        return Check("imap", False, f"cannot connect to {where}: {_why(exc)}",
                     "check IMAP_HOST/IMAP_PORT; IMAP_SSL=true is port 993, false is 143")
    try:
        password = settings.imap_password.get_secret_value() if settings.imap_password else ""
        resp = await client.login(settings.imap_username or "", password)
        if resp.result != "OK":
            return Check("imap", False, f"login refused at {where}",
                         "check IMAP_USERNAME/IMAP_PASSWORD; Gmail and Microsoft 365 need an "
                         "app password or IMAP enabled for the mailbox")
        selected = await client.select(settings.imap_mailbox)
        if selected.result != "OK":
            return Check("imap", False, f"logged in, but mailbox {settings.imap_mailbox!r} "
                                        "cannot be opened", "check IMAP_MAILBOX (e.g. INBOX)")
        return Check("imap", True, f"{where} logged in as {settings.imap_username}, "
                                   f"{settings.imap_mailbox} open")
    finally:
        # The verdict is already known; a rude close is fine.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(client.logout(), 2)


async def connection_checks(settings: Settings) -> list[Check]:
    """Every connection the settings describe, checked concurrently."""
    jobs: list[Awaitable[Check]] = [_guarded(
        "database", check_database(settings), "check DATABASE_URL")]
    if smtp_configured(settings):
        jobs.append(_guarded("smtp", check_smtp(settings), "check SMTP_HOST and SMTP_PORT"))
    if settings.imap_host:
        jobs.append(_guarded("imap", check_imap(settings), "check IMAP_HOST and IMAP_PORT"))

    async def slack() -> list[Check]:
        try:
            return await asyncio.wait_for(check_slack(settings), TIMEOUT * 2)
        except Exception as exc:
            return [Check("slack auth.test", False, f"cannot reach Slack: {_why(exc)}",
                          "check SLACK_API_URL and the network")]

    slack_task = asyncio.create_task(slack())
    others = await asyncio.gather(*jobs)
    return [others[0], *await slack_task, *others[1:]]
