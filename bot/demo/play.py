"""`wgml-bot demo`: the real bot on stand-ins it starts itself, shown step by step.

Offline and unconfigured on purpose: a throw-away SQLite database in a temp dir, the Slack
emulator, aiosmtpd, and pymap for IMAP when it is installed. Settings are built here only
(no environment, no .env). What a person would see (posts, DMs, modals, the Home tab, email)
is printed with rich and, with --html, written as a transcript page. The story itself is the
list of steps in bot.demo.story.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select

from bot.app.service import Bot
from bot.config import Settings
from bot.demo.emulator.requests import SlackSender
from bot.demo.emulator.slack import SlackEmulator, bound_port
from bot.demo.standins import ImapStandIn, SmtpStandIn, pymap_available
from bot.demo.transcript import Entry, blocks_to_lines, mrkdwn_to_plain
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage

# Stand-in credentials: the emulator and stand-ins accept these and nothing else.
TOKEN = "xoxb-demo-token"  # noqa: S105
SECRET = "demo-signing-secret"  # noqa: S105
LEADS = "CLEADERS1"
ANNOUNCE = "CANNOUNCE1"
LEADERS = ["ULEAD0001", "ULEAD0002", "ULEAD0003"]
ADA, BEN, EVE = "UADA00001", "UBEN00001", "UEVE00001"
USERS = {
    ADA: "Ada Okafor", BEN: "Ben Ito", EVE: "Eve Laine", LEADERS[0]: "Priya (leader)",
    LEADERS[1]: "Marco (leader)", LEADERS[2]: "Jun (leader)", "UBOT0001": "wgml-bot",
}
CHANNELS = {LEADS: "wgml-leads", ANNOUNCE: "wg-ml"}
BOT_ADDRESS = "wgml-bot@demo.example"
LIST_ADDRESS = "wg-ml@lists.demo.example"
MAIL_USER, MAIL_PASSWORD = "wgml-bot", "demo-mail-password"


class DemoSettings(Settings):
    """Settings from the constructor only: a developer's environment or .env never leaks in."""

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


# Runs `wgml-bot ARGV...` with the given settings; the exit code (bot.cli hands it over).
CommandRunner = Callable[[list[str], Settings], Coroutine[Any, Any, int]]


class Skip(Exception):
    """A step whose feature is not in this build: said plainly, never faked."""


@dataclass
class Demo:
    console: Console
    tmp: Path
    settings: Settings
    slack: SlackEmulator
    smtp: SmtpStandIn
    imap: ImapStandIn | None
    bot: Bot
    sender: SlackSender
    base_url: str
    runner: web.AppRunner
    cli: CommandRunner  # `wgml-bot ARGV...` as the operator runs it, in this process
    entries: list[Entry] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    _calls_seen: int = 0
    _mail_seen: int = 0
    _posts_seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    # ---- running the bot ------------------------------------------------------------------
    async def settle(self, timeout: float = 20.0) -> None:
        """Wait until the outbox has delivered everything due (retries backing off aside)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            now = dt.datetime.now(dt.UTC)
            async with self.bot.db.session() as session:
                busy = await session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(
                        OutboxMessage.status.in_(("pending", "sending")),
                        OutboxMessage.next_attempt_at <= now + dt.timedelta(seconds=1)))
            if not busy:
                return
            if loop.time() > deadline:
                raise RuntimeError(f"{busy} outbox messages were not delivered in time")
            self.bot.deliverer.kick()
            await asyncio.sleep(0.05)

    # ---- what people saw ------------------------------------------------------------------
    def note(self, text: str) -> None:
        self.entries.append(Entry("note", text=text))
        self.console.print(Text(text, style="italic dim"))

    def show(self, entry: Entry) -> None:
        self.entries.append(entry)
        styles = {"message": "cyan", "update": "blue", "modal": "magenta", "home": "magenta",
                  "ephemeral": "yellow", "email": "green"}
        if entry.kind == "email":
            head = "\n".join(f"{k}: {v}" for k, v in entry.headers.items())
            body = Text(head + "\n\n" + entry.text.strip())
        else:
            blocks = entry.current_blocks()
            lines = blocks_to_lines(blocks, USERS) if blocks else [
                mrkdwn_to_plain(entry.current_text(), USERS)]
            if entry.kind == "modal" and entry.live:
                title = (entry.live.get("title") or {}).get("text", "")
                lines.insert(0, f"[{title}]")
            body = Text("\n".join(lines))
        self.console.print(Panel(body, title=Text(entry.where), title_align="left",
                                 border_style=styles.get(entry.kind, "white")))

    def collect(self) -> None:
        """Show every Slack call and email since the last look, in the order they happened."""
        calls = self.slack.calls[self._calls_seen:]
        self._calls_seen = len(self.slack.calls)
        for call in calls:
            p = call.params
            channel = str(p.get("channel") or "")
            if call.method == "chat.postMessage":
                dest = "D" + channel[1:] if channel.startswith("U") else channel
                posted = self.slack.messages.get(dest, [])
                index = self._posts_seen[dest]
                if index < len(posted):
                    self._posts_seen[dest] += 1
                    self.show(Entry("message", where=self.where(channel), live=posted[index]))
            elif call.method == "chat.update":
                self.show(Entry("update", where=f"{self.where(channel)}: the card is updated "
                                "in place (chat.update)", text=str(p.get("text", "")),
                                blocks=list(p.get("blocks") or [])))
            elif call.method == "chat.postEphemeral":
                self.show(Entry("ephemeral", where=f"{self.where(channel)}, only visible to "
                                f"{self.name(str(p.get('user', '')))}",
                                text=str(p.get("text", ""))))
            elif call.method == "views.open" and isinstance(p.get("view"), dict):
                self.show(Entry("modal", where="A modal opens (views.open)", live=p["view"],
                                blocks=list(p["view"].get("blocks") or [])))
            elif call.method == "views.publish" and isinstance(p.get("view"), dict):
                user = str(p.get("user_id", ""))
                self.show(Entry("home", where=f"The Home tab of {self.name(user)}",
                                live=p["view"], blocks=list(p["view"].get("blocks") or [])))
        mail = self.smtp.received[self._mail_seen:]
        self._mail_seen = len(self.smtp.received)
        for received in mail:
            msg = received.message
            headers = {k: str(msg[k]) for k in ("From", "To", "Reply-To", "Subject",
                                                "In-Reply-To", "Auto-Submitted") if msg[k]}
            part = msg.get_body(preferencelist=("plain", "html"))
            body = part.get_content() if part is not None else ""
            self.show(Entry("email", where="Email (received by the SMTP stand-in)",
                            headers=headers, text=str(body)))

    def name(self, user: str) -> str:
        return "@" + USERS.get(user, user)

    def where(self, channel: str) -> str:
        if channel.startswith(("U", "D")):
            return f"DM from wgml-bot to {self.name('U' + channel[1:])}"
        return "#" + CHANNELS.get(channel, channel)

    def show_command_reply(self, user: str, command: str, status: int, body: str) -> None:
        text = body
        with contextlib.suppress(ValueError):
            answer = json.loads(body)
            text = answer.get("text", body) if isinstance(answer, dict) else body
        self.show(Entry("ephemeral", where=f"{command} (HTTP {status}), only visible to "
                        f"{self.name(user)}", text=text))

    def table(self, title: str, columns: list[str], rows: list[list[str]]) -> None:
        table = Table(title=title, title_justify="left", show_lines=False)
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        self.console.print(table)
        self.entries.append(Entry("table", where=title, rows=[columns, *rows]))


def demo_settings(tmp: Path, slack_url: str, smtp_port: int,
                  imap: ImapStandIn | None) -> Settings:
    values: dict[str, Any] = dict(
        database_url=f"sqlite+aiosqlite:///{tmp / 'demo.db'}",
        slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=slack_url,
        leadership_channel_id=LEADS, announce_channel_id=ANNOUNCE,
        mailing_list_address=LIST_ADDRESS, bot_email_address=BOT_ADDRESS,
        smtp_host="127.0.0.1", smtp_port=smtp_port, smtp_starttls=False, smtp_ssl=False,
        smtp_username=MAIL_USER, smtp_password=MAIL_PASSWORD, timezone="Europe/London",
        log_format="kv", log_level="WARNING",
    )
    if imap is not None:
        values.update(imap_host="127.0.0.1", imap_port=imap.port, imap_ssl=False,
                      imap_username=MAIL_USER, imap_password=MAIL_PASSWORD,
                      imap_poll_seconds=1.0)
    return DemoSettings(**values)


@contextlib.asynccontextmanager
async def started(console: Console, tmp: Path, cli: CommandRunner) -> Any:
    """Start the stand-ins and the real bot; stop everything, whatever happens."""
    slack = SlackEmulator(token=TOKEN, members={LEADS: list(LEADERS), ANNOUNCE: [ADA, BEN]},
                          users={u: {"name": n, "real_name": n} for u, n in USERS.items()})
    await slack.start()
    smtp = SmtpStandIn(username=MAIL_USER, password=MAIL_PASSWORD).start()
    imap: ImapStandIn | None = None
    if pymap_available():
        try:
            imap = await ImapStandIn(MAIL_USER, MAIL_PASSWORD).start()
        except RuntimeError as exc:
            console.print(Text(f"IMAP stand-in could not start ({exc}); the demo goes on "
                               "without IMAP.", style="yellow"))
    else:
        console.print(Text("pymap is not installed: the demo runs without an IMAP server.",
                           style="yellow"))
    settings = demo_settings(tmp, slack.url, smtp.port, imap)
    db = Database(settings.database_url)
    bot: Bot | None = None
    runner: web.AppRunner | None = None
    sender: SlackSender | None = None
    try:
        await upgrade(db)  # the same migrations as `wgml-bot db upgrade`
        bot = Bot.build(settings, db=db)
        runner = web.AppRunner(bot.web_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{bound_port(site)}"
        sender = SlackSender(f"{base}/slack/events", SECRET, slack.new_response_url)
        bot.start_background()
        yield Demo(console, tmp, settings, slack, smtp, imap, bot, sender, base, runner, cli)
    finally:
        if sender is not None:
            await sender.close()
        if bot is not None:
            await bot.stop_background()
            await bot.client.close() if hasattr(bot.client, "close") else None
        if runner is not None:
            await runner.cleanup()
        await db.dispose()
        smtp.stop()
        if imap is not None:
            imap.stop()
        await slack.stop()
