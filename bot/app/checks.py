"""`wgml-bot check-config`: can the bot reach what it needs? One line per connection.

Each check has a short timeout, says how to fix what fails, and never prints a secret: error
texts pass through bot.logs.redact and database URLs are shown without their password.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from collections.abc import Awaitable, Set
from pathlib import Path

import aioimaplib
import aiosmtplib
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import make_url

from bot.app.scopes import scope_check
from bot.config import Check, Settings, channel_id_problem
from bot.leaders import slack_member_lister
from bot.logs import redact
from scheduler.slack_errors import dead_letter_check
from storage.db import Database, safe_url
from storage.schema import current_revision, head_revision

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


def _no_answer(name: str, settings: Settings) -> Check:
    return Check(name, False, f"no answer from {settings.slack_api_url} within {TIMEOUT:.0f}s",
                 "check SLACK_API_URL, the network and any proxy")


async def _channel(client: AsyncWebClient, name: str, setting: str, channel: str,
                   bot_user: str | None, *, leaders: bool) -> Check:
    try:
        info = (await client.conversations_info(channel=channel)).get("channel") or {}
        members = await slack_member_lister(client)(channel) if leaders else []
    except SlackApiError as exc:
        return _slack_failure(name, exc, f"check {setting}")
    except TimeoutError:
        return Check(name, False, f"no answer from Slack within {TIMEOUT:.0f}s",
                     "check SLACK_API_URL and the network")
    private = "private" if info.get("is_private") else "public"
    member = info.get("is_member")
    if member is None and bot_user is not None and leaders:
        member = bot_user in members
    if member is False:
        return Check(name, False, f"{channel} ({private}) found, but the bot is not a member",
                     "invite the bot to the channel (/invite @wgml-bot)")
    if leaders:
        people = len([m for m in members if m != bot_user])
        return Check(name, True, f"{channel} readable ({private}; its {people} members "
                                 "are the leaders)")
    return Check(name, True, f"{channel} ({private}) found, the bot can post there")


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
    except TimeoutError:
        return [_no_answer("slack auth.test", settings)]
    checks.append(Check("slack auth.test", True,
                        f"authenticated as {auth.get('user')} in {auth.get('team')}"))
    if (scopes := scope_check(auth.headers)) is not None:
        checks.append(scopes)
    bot_user = auth.get("user_id")
    for setting, name, channel, leaders in (
        ("LEADERSHIP_CHANNEL_ID", "leadership channel", settings.leadership_channel_id, True),
        ("ANNOUNCE_CHANNEL_ID", "announce channel", settings.announce_channel_id, False),
    ):
        # A malformed ID already failed above; asking Slack about "#general" adds nothing.
        if channel and channel_id_problem(channel.strip()) is None:
            checks.append(await _channel(client, name, setting, channel.strip(), bot_user,
                                         leaders=leaders))
    return checks


async def check_app_token(settings: Settings) -> Check | None:
    """Socket Mode's token, asked of Slack the way `run` first uses it."""
    token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    if not token.startswith("xapp-"):
        return None  # missing or the wrong kind: the settings check already said so
    client = AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=int(TIMEOUT))
    try:
        await client.apps_connections_open(app_token=token)
    except SlackApiError as exc:
        return _slack_failure("slack app token", exc, "check SLACK_APP_TOKEN")
    except TimeoutError:
        return _no_answer("slack app token", settings)
    return Check("slack app token", True, "Socket Mode connections can be opened")


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


def check_site_dir(settings: Settings) -> Check:
    """SITE_DIR can be written, or created (nothing is created: a check changes nothing)."""
    where = Path(settings.site_dir or "").expanduser()
    hint = "point SITE_DIR at a directory this user may write, or unset it"
    if where.exists() and not where.is_dir():
        return Check("SITE_DIR", False, f"{where} is a file, not a directory", hint)
    if where.is_dir():
        if os.access(where, os.W_OK | os.X_OK):
            return Check("SITE_DIR", True, f"{where} writable: run and tick rebuild the site")
        return Check("SITE_DIR", False, f"{where} is not writable by this user", hint)
    parent = where.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return Check("SITE_DIR", False, f"{where} cannot be created: {parent} is a file", hint)
    if not os.access(parent, os.W_OK | os.X_OK):
        return Check("SITE_DIR", False, f"{where} cannot be created: {parent} is not "
                                        "writable by this user", hint)
    return Check("SITE_DIR", True, f"{where} does not exist yet; the first build creates it")


async def connection_checks(settings: Settings, skip: Set[str] = frozenset()) -> list[Check]:
    """Every connection the settings describe, checked concurrently.

    `skip` names settings whose values were invalid (and replaced by defaults): a connection
    they describe is not tried, since it would test the default rather than the operator's.
    """
    def usable(*names: str) -> bool:
        return not skip & set(names)

    jobs: list[Awaitable[Check]] = []
    if usable("DATABASE_URL"):
        jobs.append(_guarded("database", check_database(settings), "check DATABASE_URL"))
    if smtp_configured(settings) and usable("SMTP_HOST", "SMTP_PORT", "SMTP_SSL",
                                            "SMTP_STARTTLS"):
        jobs.append(_guarded("smtp", check_smtp(settings), "check SMTP_HOST and SMTP_PORT"))
    if settings.imap_host and usable("IMAP_HOST", "IMAP_PORT", "IMAP_SSL"):
        jobs.append(_guarded("imap", check_imap(settings), "check IMAP_HOST and IMAP_PORT"))

    async def slack() -> list[Check]:
        if not usable("SLACK_API_URL"):
            return []
        try:
            found = await asyncio.wait_for(check_slack(settings), TIMEOUT * 4)
            if found and not found[0].ok and found[0].detail.startswith("no answer"):
                return found  # asking again for the app token would only wait as long
            app = await asyncio.wait_for(check_app_token(settings), TIMEOUT * 2)
        except TimeoutError:
            return [_no_answer("slack auth.test", settings)]
        except Exception as exc:
            return [Check("slack auth.test", False, f"cannot reach Slack: {_why(exc)}",
                          "check SLACK_API_URL and the network")]
        return [*found, app] if app is not None else found

    slack_task = asyncio.create_task(slack())
    others = await asyncio.gather(*jobs)
    first = list(others[:1]) if usable("DATABASE_URL") else []
    found = [*first, *await slack_task, *others[len(first):]]
    if settings.site_dir and usable("SITE_DIR"):
        found.append(check_site_dir(settings))
    if first and first[0].ok:  # a reachable, current database: what delivery gave up on
        found.append(await _guarded("slack outbox", _dead_letters(settings),
                                    "see `wgml-bot outbox list`"))
    return found


async def _dead_letters(settings: Settings) -> Check:
    db = Database(settings.database_url)
    try:
        return await dead_letter_check(db)
    finally:
        await db.dispose()
