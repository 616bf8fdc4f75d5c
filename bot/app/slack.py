"""Builds the slack-bolt AsyncApp with every listener registered."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from handlers.slack import actions as slack_actions
from handlers.slack import commands as slack_commands
from handlers.slack import curation as slack_curation
from handlers.slack import edit as slack_edit
from handlers.slack import events as slack_events
from handlers.slack import guidelines as slack_guidelines
from handlers.slack import platform as slack_platform
from handlers.slack import publish as slack_publish
from handlers.slack import sessions as slack_sessions
from handlers.slack import submit as slack_submit
from handlers.slack import subprojects as slack_subprojects
from handlers.slack import wishes as slack_wishes

log = logging.getLogger("wgml.slack")


class _NoTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment although we hand it the client made
    from that very token, then warns on every start that the token "will be unused"."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_BOLT_LOG = logging.getLogger("wgml.bolt")
_BOLT_LOG.addFilter(_NoTokenSkippedWarning())


def build_app(services: Services, client: AsyncWebClient) -> AsyncApp:
    settings = services.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret \
        else None
    app = AsyncApp(
        # Named, bolt does not name the app after its caller's file with inspect.stack(),
        # which reads the source of every frame on the stack into memory (about 0.5 MiB
        # kept by linecache) and takes tens of milliseconds at start-up. Bolt's loggers
        # for listeners and middleware are named after the app: wgml.bolt, as its own.
        name=_BOLT_LOG.name,
        client=client,
        signing_secret=secret,
        # Socket Mode needs no signature; HTTP mode without a secret is refused at start-up.
        request_verification_enabled=secret is not None,
        raise_error_for_unhandled_request=False,
        logger=_BOLT_LOG,
    )

    @app.error
    async def _on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error(
            "event=slack.listener_error type=%s error=%s",
            (body or {}).get("type"), type(error).__name__, exc_info=error,
        )

    slack_platform.register(app)  # app_rate_limited, event retries, view_closed
    slack_commands.register(app, services)
    slack_submit.register(app, services)
    slack_edit.register(app, services)  # before slack_actions' catch-all
    slack_curation.register(app, services)  # before slack_actions' catch-all
    slack_sessions.register(app, services)  # before slack_actions' catch-all
    slack_subprojects.register(app, services)  # before slack_actions' catch-all
    slack_events.register(app, services)  # before the catch-all action listener
    slack_wishes.register(app, services)  # before slack_actions' catch-all
    slack_guidelines.register(app, services)  # before slack_actions' catch-all
    slack_publish.register(app, services)  # before slack_actions' catch-all
    slack_actions.register(app, services)
    return app
