"""Settings from the environment and `.env`, with one clear line per problem."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from typing import Literal

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.email.address import is_valid_email


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    database_url: str = "sqlite+aiosqlite:///wgml.db"
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = "/wgml"
    leadership_channel_id: str | None = None
    announce_channel_id: str | None = None
    mailing_list_address: str | None = None
    bot_email_address: str | None = None
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_ssl: bool = False
    smtp_timeout: float = Field(default=30.0, gt=0)
    imap_host: str | None = None
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_username: str | None = None
    imap_password: SecretStr | None = None
    imap_ssl: bool = True
    imap_mailbox: str = "INBOX"
    imap_processed_mailbox: str | None = None
    imap_poll_seconds: float = Field(default=60.0, gt=0)
    timezone: str = "UTC"
    reminder_days: str = "7,1"
    call_schedule: str | None = None
    # A cycle opened by CALL_SCHEDULE: deadline and session this many days after it opens.
    call_deadline_days: int = Field(default=14, ge=1, le=365)
    call_session_days: int = Field(default=14, ge=0, le=365)
    email_replies_per_sender_per_day: int = Field(default=10, ge=1)
    # open: the card shows who voted what; hidden: how many leaders voted, until decided.
    vote_visibility: Literal["open", "hidden"] = "open"
    # "U123=Studio A;U456=Studio B": each leader's studio, to suggest recusal on the card.
    leader_studios: str = ""
    log_format: Literal["kv", "json"] = "kv"
    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown IANA time zone {value!r} (try e.g. Europe/London)"
            ) from exc
        return value

    @field_validator("reminder_days")
    @classmethod
    def _reminder_list(cls, value: str) -> str:
        parse_reminder_days(value)
        return value

    @field_validator("vote_visibility", mode="before")
    @classmethod
    def _visibility(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            if value not in ("open", "hidden"):
                raise ValueError(f"{value[:40]!r} is neither open nor hidden")
        return value

    @field_validator("leader_studios")
    @classmethod
    def _leader_studios(cls, value: str) -> str:
        parse_leader_studios(value)
        return value

    @field_validator("call_schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        problem = validate_cron(value.strip(), zoneinfo.ZoneInfo("UTC"))
        if problem:
            raise ValueError(problem.removeprefix("CALL_SCHEDULE ") + "; e.g. 0 9 1 * *")
        return value.strip()

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
        return value

    @field_validator("mailing_list_address", "bot_email_address")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and value != "" and not is_valid_email(value):
            raise ValueError(f"{value!r} is not an email address")
        return value or None

    @field_validator("slack_command")
    @classmethod
    def _command(cls, value: str) -> str:
        if not value.startswith("/") or len(value) < 2 or " " in value:
            raise ValueError("must start with / and contain no spaces, e.g. /wgml")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL, e.g. https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def reminder_day_list(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)

    @property
    def leader_studio_map(self) -> dict[str, str]:
        return parse_leader_studios(self.leader_studios)

    @property
    def email_domain(self) -> str:
        if self.bot_email_address and "@" in self.bot_email_address:
            return self.bot_email_address.rsplit("@", 1)[1]
        return "wgml-bot.invalid"


def parse_reminder_days(value: str) -> list[int]:
    days: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a whole number of days; e.g. 7,1")
        days.append(int(part))
    return sorted(set(days), reverse=True)


_LEADER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


def parse_leader_studios(value: str) -> dict[str, str]:
    """"U123=Studio A;U456=Studio B" -> {user: studio}; anything else raises ValueError
    naming the entry, so a typo is found at start-up, not by a recusal never suggested."""
    studios: dict[str, str] = {}
    for n, entry in enumerate(value.split(";"), 1):
        if not entry.strip():
            continue
        user, sep, studio = entry.partition("=")
        user, studio = user.strip(), " ".join(studio.split())
        if not sep or not _LEADER_ID.match(user) or not studio:
            raise ValueError(f"entry {n} ({entry.strip()[:40]!r}) is not USERID=Studio; "
                             "e.g. U0123ABCD=Studio A;U0456EFGH=Studio B")
        if len(studio) > 200:
            raise ValueError(f"entry {n}: the studio is over 200 characters")
        if user in studios:
            raise ValueError(f"entry {n}: {user} is given twice")
        studios[user] = studio
    return studios


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


def static_checks(settings: Settings) -> list[Check]:
    """Checks that need no network: which settings are missing for which feature."""
    checks: list[Check] = []

    def need(name: str, value: object, why: str, hint: str) -> None:
        if value:
            checks.append(Check(name, True, "set"))
        else:
            checks.append(Check(name, False, f"missing; {why}", hint))

    need(
        "SLACK_BOT_TOKEN", settings.slack_bot_token, "the bot cannot call Slack",
        "copy the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    )
    if settings.slack_bot_token and not settings.slack_bot_token.get_secret_value().startswith(
        "xoxb-"
    ):
        checks.append(
            Check("SLACK_BOT_TOKEN", False, "does not start with xoxb-", "use the bot token")
        )
    if settings.slack_app_token:
        checks.append(Check("SLACK_APP_TOKEN", True, "set; run uses Socket Mode"))
        if not settings.slack_app_token.get_secret_value().startswith("xapp-"):
            checks.append(
                Check(
                    "SLACK_APP_TOKEN", False, "does not start with xapp-",
                    "create an app-level token with connections:write",
                )
            )
    need(
        "SLACK_SIGNING_SECRET", settings.slack_signing_secret,
        "HTTP mode cannot verify requests from Slack",
        "copy it from the app's Basic Information page",
    )
    need(
        "LEADERSHIP_CHANNEL_ID", settings.leadership_channel_id,
        "submissions cannot reach the leaders", "the private channel's ID, e.g. C0123ABCD",
    )
    need(
        "ANNOUNCE_CHANNEL_ID", settings.announce_channel_id,
        "calls for speakers are not posted to Slack", "the public channel's ID",
    )
    need(
        "MAILING_LIST_ADDRESS", settings.mailing_list_address,
        "calls for speakers are not emailed", "e.g. wg-ml@lists.aswf.io",
    )
    need(
        "BOT_EMAIL_ADDRESS", settings.bot_email_address,
        "the bot cannot send or receive email", "the mailbox the bot reads, e.g. wgml-bot@...",
    )
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
    else:
        checks.append(Check("IMAP_HOST", True, "unset; email intake is off"))
    return checks


def validate_cron(expression: str, zone: zoneinfo.ZoneInfo) -> str | None:
    """None when valid, else a one-line reason."""
    try:
        CronTrigger.from_crontab(expression, timezone=zone)
    except ValueError as exc:
        return f"CALL_SCHEDULE {expression!r} is not a 5-field crontab expression: {exc}"
    return None
