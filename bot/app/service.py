"""`wgml-bot run`: Slack (HTTP or Socket Mode), delivery, scheduler and intake in one loop.

At start-up it loads what answering Slack needs: the listeners are registered, and each
listener's module imports its views and its domain at its first request (handlers/); the
deliverer's renderers load at the first message to send, the scheduler's ticker when the
scheduler starts, a job's code when it runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.app import parts
from bot.app.parts import slack_client
from bot.app.slack import build_app
from bot.app.web import build_web_app
from bot.config import Settings
from bot.leaders import LeaderDirectory, slack_member_lister
from bot.services import Services
from handlers.slack.curation import quick_route
from scheduler.outbox import Deliverer
from scheduler.runner import scheduler_task
from storage.db import Database

log = logging.getLogger("wgml.service")

@dataclass
class Bot:
    """Everything `run` holds, built once; tests build it too, with the emulator's URL."""

    settings: Settings
    db: Database
    client: AsyncWebClient
    deliverer: Deliverer
    services: Services
    app: AsyncApp
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings, *, db: Database | None = None,
              services_clock: Callable[[], object] | None = None) -> Bot:
        db = db or Database(settings.database_url)
        client = slack_client(settings)
        deliverer = parts.deliverer(settings, db, client=client)
        services = Services(settings=settings, db=db, deliverer=deliverer)
        if services_clock is not None:
            services.clock = services_clock  # type: ignore[assignment]
        services.leaders = LeaderDirectory(slack_member_lister(client), clock=services.now)
        return cls(settings, db, client, deliverer, services, build_app(services, client))

    def web_app(self) -> web.Application:
        secret = self.settings.slack_signing_secret
        return build_web_app(self.app, self.db, secret.get_secret_value() if secret else None,
                             quick_route(self.services))

    def start_background(self) -> None:
        """Everything `run` does beside answering Slack. Delivery first: it is stopped last."""
        self.tasks.append(asyncio.create_task(self.deliverer.run_forever(), name="outbox"))
        background: dict[str, Awaitable[None]] = {
            "scheduler": scheduler_task(self.services, self.deliverer),
            "imap": _imap_intake(self.services),  # returns at once while IMAP_HOST is unset
        }
        for name, work in background.items():
            self.tasks.append(asyncio.create_task(_guard(name, work), name=name))

    async def stop_background(self) -> None:
        from bot.curation.ack import drain_presses

        await drain_presses()  # acknowledged presses finish before the database goes away
        # Let the deliverer finish the message in hand (cancelling a database call half-way
        # can leave the connection pool waiting forever); a send Slack or SMTP has not
        # answered within the deliverer's grace (seconds) is dropped and kept for later.
        # The rest can be cancelled.
        self.deliverer.stop()
        outbox = self.tasks[0] if self.tasks else None
        if outbox is not None:
            await asyncio.wait({outbox}, timeout=10)
        for task in self.tasks:
            task.cancel()
        # Bounded too: a task that does not end when cancelled (a library that swallows the
        # cancel) is named in the log rather than holding the stop forever.
        if self.tasks:
            done, stuck = await asyncio.wait(self.tasks, timeout=10)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.error("event=service.task_failed task=%s error=%r", task.get_name(),
                              task.exception())
            for task in stuck:
                log.error("event=service.task_did_not_stop task=%s", task.get_name())
        self.tasks.clear()

    async def close(self) -> None:
        await self.stop_background()
        await self.db.dispose()


async def _imap_intake(services: Services) -> None:
    """IMAP intake when IMAP_HOST is set. Its client, parser and rules are imported only
    then: a service without a mailbox does not carry them."""
    if not services.settings.imap_host:
        logging.getLogger("wgml.imap").info("event=imap.off reason=IMAP_HOST_unset")
        return
    from handlers.email.imap import imap_intake

    await imap_intake(services)


async def _guard(name: str, work: Awaitable[None]) -> None:
    try:
        await work
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("event=background.crashed task=%s", name)


async def run(settings: Settings, *, http: bool, host: str, port: int) -> int:
    bot = Bot.build(settings)
    # What start-up made (the modules, the settings, the app and its listeners) lives as long
    # as the service: kept out of the cyclic collector's way, so its full passes (the next is
    # due while the first tick and the first requests run) stop walking it again and again.
    # Everything made from here on is collected as before; what freezing keeps that a
    # collection would have freed is a few dozen objects (measured: 33 of 103,000).
    gc.freeze()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    await bot.db.ping()
    bot.start_background()
    runner: web.AppRunner | None = None
    socket_mode = None
    try:
        if http or not settings.slack_app_token:
            runner = web.AppRunner(bot.web_app(), access_log=None)
            await runner.setup()
            await web.TCPSite(runner, host, port).start()
            log.info("event=service.started mode=http host=%s port=%s", host, port)
            await stop.wait()
        else:
            from bot.app.socket_mode import SocketMode

            # The connect races SIGTERM (slack_sdk retries it forever), and an app token
            # Slack refuses ends the service rather than being retried.
            socket_mode = SocketMode(bot.app, settings.slack_app_token.get_secret_value(),
                                     bot.client)
            if await socket_mode.connect(stop):
                log.info("event=service.started mode=socket")
                await socket_mode.wait(stop)
        log.info("event=service.stopping")
    finally:
        if socket_mode is not None:
            await socket_mode.close()
        if runner is not None:
            await runner.cleanup()
        await bot.close()
    if socket_mode is not None and socket_mode.refused:
        print(f"wgml-bot: {socket_mode.fix}", file=sys.stderr)
        return 1
    return 0
