"""The settings in groups, each on one screen: Slack, email, the schedule, curation, and the
archive site. bot.config.Settings is all of them together (plus the database and the logs);
every field is an environment variable of the same name in capitals (CONTRACT.md lists
them with their defaults). A new setting goes in its group, a new group beside these.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Literal

from apscheduler.triggers.cron import CronTrigger
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings

from bot.address import is_valid_email
from bot.digits import is_number


class SlackSettings(BaseSettings):
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_command: str = "/wgml"
    leadership_channel_id: str | None = None
    announce_channel_id: str | None = None

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


class EmailSettings(BaseSettings):
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
    # Per mailbox: +tags and case do not make another mailbox.
    email_replies_per_sender_per_day: int = Field(default=10, ge=1)
    # Overall, to mail that is not a reply in a talk's thread (new proposals from anyone).
    email_stranger_replies_per_hour: int = Field(default=30, ge=1)
    # A bigger message is recorded (outcome too_large) and never parsed nor answered; over
    # IMAP it is not even fetched (its RFC822.SIZE is read first).
    email_max_bytes: int = Field(default=10 * 1024 * 1024, ge=64 * 1024)

    @field_validator("mailing_list_address", "bot_email_address")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and value != "" and not is_valid_email(value):
            raise ValueError(f"{value!r} is not an email address")
        return value or None

    @property
    def email_domain(self) -> str:
        if self.bot_email_address and "@" in self.bot_email_address:
            return self.bot_email_address.rsplit("@", 1)[1]
        return "wgml-bot.invalid"


class ScheduleSettings(BaseSettings):
    timezone: str = "UTC"
    reminder_days: str = "7,1"
    call_schedule: str | None = None
    # A cycle opened by CALL_SCHEDULE: deadline and session this many days after it opens.
    call_deadline_days: int = Field(default=14, ge=1, le=365)
    call_session_days: int = Field(default=14, ge=0, le=365)
    # The session's program goes out this many days before it, at 09:00 TIMEZONE.
    program_days: int = Field(default=5, ge=0, le=365)

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

    @field_validator("call_schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        problem = validate_cron(value.strip(), zoneinfo.ZoneInfo("UTC"))
        if problem:
            raise ValueError(problem.removeprefix("CALL_SCHEDULE ") + "; e.g. 0 9 1 * *")
        return value.strip()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def reminder_day_list(self) -> list[int]:
        return parse_reminder_days(self.reminder_days)


class CurationSettings(BaseSettings):
    # open: the card shows who voted what; hidden: how many leaders voted, until decided.
    vote_visibility: Literal["open", "hidden"] = "open"
    # "U123=Studio A;U456=Studio B": each leader's studio, to suggest recusal on the card.
    leader_studios: str = ""
    # words: the word lists and their model (pure Python); e5: with the optional e5 heads
    # (the guidelines-e5 extra; docs/guidelines.md).
    guidelines_engine: Literal["words", "e5"] = "words"

    @field_validator("guidelines_engine", mode="before")
    @classmethod
    def _guidelines_engine(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            if value not in ("words", "e5"):
                raise ValueError(f"{value[:40]!r} is neither words nor e5")
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

    @property
    def leader_studio_map(self) -> dict[str, str]:
        return parse_leader_studios(self.leader_studios)


class SiteSettings(BaseSettings):
    """The public archive site (bot/site): where `run` and `tick` rebuild it, and the URL it
    is served at (the program and the recap link to its talk pages)."""

    site_dir: str | None = None
    site_url: str | None = None

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("http://", "https://")) or any(c.isspace() for c in value):
            raise ValueError("must be an http(s) URL, e.g. https://wgml.example.org/")
        return value if value.endswith("/") else value + "/"

    @field_validator("site_dir")
    @classmethod
    def _site_dir(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


def parse_reminder_days(value: str) -> list[int]:
    days: list[int] = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not is_number(part, 18):
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


def validate_cron(expression: str, zone: zoneinfo.ZoneInfo) -> str | None:
    """None when valid, else a one-line reason."""
    try:
        CronTrigger.from_crontab(expression, timezone=zone)
    except ValueError as exc:
        return f"CALL_SCHEDULE {expression!r} is not a 5-field crontab expression: {exc}"
    return None
