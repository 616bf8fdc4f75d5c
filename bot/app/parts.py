"""The service's parts, built from the settings: the Slack client, the email sender and the
deliverer of the outbox. `run`, `tick` and the email commands build them the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.slack_ui.card_view import CardView
from scheduler.outbox import Deliverer, real_clock
from scheduler.outbox_email import make_sender
from scheduler.site_jobs import site_rebuild
from storage.db import Database


def slack_client(settings: Settings) -> AsyncWebClient:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(token=token, base_url=settings.slack_api_url, timeout=15)


def deliverer(settings: Settings, db: Database,
              clock: Callable[[], dt.datetime] | None = None,
              client: AsyncWebClient | None = None) -> Deliverer:
    """Slack delivery only with a bot token; email always (SMTP failures are retried)."""
    if client is None and settings.slack_bot_token:
        client = slack_client(settings)
    slack = client if settings.slack_bot_token else None
    view = CardView(hidden=settings.vote_visibility == "hidden",
                    leader_studios=settings.leader_studio_map)
    return Deliverer(db, slack, make_sender(settings), clock=clock or real_clock,
                     card_view=view, site_builder=site_rebuild(settings, db))
