"""Settings from the environment and `.env`, with one clear line per problem; the groups
of settings are in bot.config_groups."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError, field_validator
from pydantic_settings import SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.config_groups import (
    CurationSettings,
    EmailSettings,
    ScheduleSettings,
    SiteSettings,
    SlackSettings,
)

_SUPPORTED_DATABASES = {("sqlite", "aiosqlite"), ("postgresql", "asyncpg")}


class Settings(SlackSettings, EmailSettings, ScheduleSettings, CurationSettings, SiteSettings):
    """Every setting: the groups (bot.config_groups), the database and the logs."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = "sqlite+aiosqlite:///wgml.db"
    log_format: Literal["kv", "json"] = "kv"
    log_level: str = "INFO"

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if "://" not in value:
            raise ValueError("not a URL; e.g. sqlite+aiosqlite:///wgml.db")
        if scheme in {"sqlite", "postgresql", "postgres"}:
            raise ValueError(
                f"{scheme}:// is synchronous; use sqlite+aiosqlite:// or postgresql+asyncpg://"
            )
        # Read as the engine will read it, so a mistake is one line here rather than a
        # traceback later; the message never repeats the URL (it holds the password).
        try:
            url = make_url(value)
        except ValueError as exc:
            if "int()" in str(exc):
                raise ValueError(
                    "the port is not a number; a password with @ : / must be URL-encoded "
                    "(%40 %3A %2F)") from None
            raise ValueError("not a database URL; e.g. sqlite+aiosqlite:///wgml.db") from None
        except Exception:
            raise ValueError("not a database URL; e.g. sqlite+aiosqlite:///wgml.db") from None
        if (url.get_backend_name(), url.get_driver_name()) not in _SUPPORTED_DATABASES:
            raise ValueError(
                f"{scheme[:40]}:// is not supported; use sqlite+aiosqlite:// or "
                "postgresql+asyncpg://")
        return value








class ConfigError(Exception):
    """Raised with one human line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError(describe_validation_error(exc)) from None


def settings_despite_errors() -> tuple[Settings, dict[str, str]]:
    """Settings from the environment with each invalid value replaced by its default, and
    {SETTING: problem} for those values: check-config reports them and still runs the rest."""
    invalid: dict[str, str] = {}
    for _ in range(len(Settings.model_fields) + 1):
        defaults = {name.lower(): Settings.model_fields[name.lower()].default
                    for name in invalid}
        try:
            return Settings(**defaults), invalid
        except ValidationError as exc:
            fresh = False
            for err in exc.errors():
                name = "_".join(str(p) for p in err["loc"]).upper() or "SETTINGS"
                if name.lower() not in Settings.model_fields or name in invalid:
                    raise ConfigError(describe_validation_error(exc)) from None
                invalid[name] = err["msg"].removeprefix("Value error, ")
                fresh = True
            if not fresh:
                raise ConfigError(describe_validation_error(exc)) from None
    raise ConfigError([f"{name}: {msg}" for name, msg in invalid.items()])


def describe_validation_error(exc: ValidationError) -> list[str]:
    lines = []
    for err in exc.errors():
        name = "_".join(str(p) for p in err["loc"]).upper() or "SETTINGS"
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{name}: {msg}")
    return lines


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    hint: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        text = f"{mark} {self.name}: {self.detail}"
        if not self.ok and self.hint:
            text += f" ({self.hint})"
        return text


# Slack's IDs: C (public), G (old private), D (DM) and upper-case letters and digits after.
CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{6,}")


def channel_id_problem(value: str) -> str | None:
    """Why `value` is not a channel ID (a name like #general is the usual slip), or None."""
    if CHANNEL_ID.fullmatch(value):
        return None
    if value.startswith("#") or value.islower() or not value.isalnum():
        return f"{value!r} looks like a channel name, not its ID"
    return f"{value!r} is not a channel ID"


_ID_HINT = ("IDs look like C0123ABCD: channel details, bottom of the About tab")


def static_checks(settings: Settings, invalid: dict[str, str] | None = None) -> list[Check]:
    """Checks that need no network: which settings the configured modes need, one line each.

    Slack-only setups pass: email settings are needed only once something email is set.
    Socket Mode (SLACK_APP_TOKEN) needs no signing secret; HTTP mode does.
    """
    checks = [Check(name, False, problem, "fix the value or unset it for the default")
              for name, problem in (invalid or {}).items()]

    def need(name: str, value: object, why: str, hint: str) -> None:
        if value:
            checks.append(Check(name, True, "set"))
        else:
            checks.append(Check(name, False, f"missing; {why}", hint))

    def channel(name: str, value: str) -> None:
        problem = channel_id_problem(value.strip())
        checks.append(Check(name, problem is None, problem or f"{value} (checked with Slack "
                            "below)", _ID_HINT))

    bot_token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    if not bot_token:
        need("SLACK_BOT_TOKEN", None, "the bot cannot call Slack",
             "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page")
    elif not bot_token.startswith("xoxb-"):
        checks.append(Check("SLACK_BOT_TOKEN", False, "does not start with xoxb-",
                            "use the Bot User OAuth Token from OAuth & Permissions"))
    else:
        checks.append(Check("SLACK_BOT_TOKEN", True, "set"))

    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    if app_token and not app_token.startswith("xapp-"):
        kind = "a bot token" if app_token.startswith("xoxb-") else "not an app token"
        checks.append(Check(
            "SLACK_APP_TOKEN", False, f"is {kind}; an app-level token starts with xapp-",
            "Basic Information > App-Level Tokens: create one with connections:write"))
    elif app_token:
        checks.append(Check("SLACK_APP_TOKEN", True, "set; run uses Socket Mode"))
    else:
        checks.append(Check("SLACK_APP_TOKEN", True, "unset; run serves HTTP (--http)"))

    if settings.slack_signing_secret:
        checks.append(Check("SLACK_SIGNING_SECRET", True, "set"))
    elif app_token:
        checks.append(Check("SLACK_SIGNING_SECRET", True,
                            "unset; not needed in Socket Mode (run --http would need it)"))
    else:
        need("SLACK_SIGNING_SECRET", None,
             "HTTP mode (no SLACK_APP_TOKEN) cannot verify requests from Slack",
             "copy it from the app's Basic Information page, or set SLACK_APP_TOKEN for "
             "Socket Mode")

    if settings.leadership_channel_id:
        channel("LEADERSHIP_CHANNEL_ID", settings.leadership_channel_id)
    else:
        need("LEADERSHIP_CHANNEL_ID", None, "submissions cannot reach the leaders",
             "the private channel's ID, e.g. C0123ABCD")
    if settings.announce_channel_id:
        channel("ANNOUNCE_CHANNEL_ID", settings.announce_channel_id)
    elif settings.mailing_list_address:
        checks.append(Check("ANNOUNCE_CHANNEL_ID", True,
                            "unset; calls for speakers go to the mailing list only"))
    else:
        checks.append(Check(
            "ANNOUNCE_CHANNEL_ID", False,
            "missing, and so is MAILING_LIST_ADDRESS; calls for speakers go nowhere",
            "set the public channel's ID (e.g. C0123ABCD), MAILING_LIST_ADDRESS, or both"))

    # Email is optional; what is set must be complete.
    email_wanted = [n for n, v in (("MAILING_LIST_ADDRESS", settings.mailing_list_address),
                                   ("IMAP_HOST", settings.imap_host)) if v]
    if settings.mailing_list_address:
        checks.append(Check("MAILING_LIST_ADDRESS", True, "set"))
    if settings.bot_email_address:
        checks.append(Check("BOT_EMAIL_ADDRESS", True, "set"))
    elif email_wanted:
        need("BOT_EMAIL_ADDRESS", None,
             f"{' and '.join(email_wanted)} set, but the bot has no address to send from",
             "the mailbox the bot reads, e.g. wgml-bot@...")
    if settings.smtp_ssl and settings.smtp_starttls:
        checks.append(
            Check(
                "SMTP_SSL", False, "SMTP_SSL and SMTP_STARTTLS are both true",
                "use SMTP_SSL=true with port 465, or SMTP_STARTTLS=true with 587",
            )
        )
    if settings.imap_host:
        need("IMAP_USERNAME", settings.imap_username, "IMAP login is impossible", "set it")
        need("IMAP_PASSWORD", settings.imap_password, "IMAP login is impossible", "set it")
    elif not email_wanted and not settings.bot_email_address:
        checks.append(Check("email", True, "off (no MAILING_LIST_ADDRESS, BOT_EMAIL_ADDRESS "
                                           "or IMAP_HOST): Slack only"))
    else:
        checks.append(Check("IMAP_HOST", True, "unset; email intake is off"))
    return checks


