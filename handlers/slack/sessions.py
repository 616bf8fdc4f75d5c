"""The speaker's buttons after acceptance: `attend_yes` / `attend_no` (will you present?),
and after the session `slides_open` with its form (slides and recording links).

Registered before handlers.slack.actions' catch-all; slack-bolt routes them over HTTP and
Socket Mode alike.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.sessions.ids import ATTEND_ACTION, SLIDES_ACTION, SLIDES_CALLBACK
from handlers.slack.curation import press_from_body
from handlers.slack.payload import dig, state_value, text

log = logging.getLogger("wgml.slack")


def register(app: AsyncApp, services: Services) -> None:
    @app.action(ATTEND_ACTION)
    async def _attend(ack: AsyncAck, body: dict[str, Any]) -> None:
        from bot.curation.actions import answer
        from bot.sessions import attendance
        from bot.slack_ui.said_sessions import answer_text

        # Stored before the acknowledgement (one short transaction, well within Slack's 3
        # seconds): an acknowledged answer is a recorded answer.
        press = press_from_body(body)
        choice = press.action_id.removeprefix("attend_")
        text = answer_text(await attendance.press(services, press.user, press.value, choice))
        await answer(services, press, text)
        await ack()
        services.deliverer.kick()

    @app.action(SLIDES_ACTION)
    async def _slides(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        from bot.curation.actions import answer
        from bot.sessions import slides
        from bot.slack_ui.slides_modal import slides_modal

        press = press_from_body(body)
        found = await slides.may_share(services, press.user, press.value)
        if isinstance(found, str):
            await answer(services, press, found)  # queued before the acknowledgement
            await ack()
            services.deliverer.kick()
            return
        await ack()
        services.deliverer.kick()  # a site to build again, when there is one
        try:
            # The trigger_id lives 3 seconds: views.open now, not through the outbox.
            await client.views_open(trigger_id=text(body, "trigger_id"),
                                    view=slides_modal(found))
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("event=slides.modal_failed user=%s error=%s", press.user, error)
            await answer(services, press, "Slack would not open the form just now; please "
                                          "press the button again.")
            services.deliverer.kick()

    @app.view(SLIDES_CALLBACK)
    async def _slides_saved(ack: AsyncAck, body: dict[str, Any]) -> None:
        from bot.sessions import slides
        from bot.talks.publish import CONSENT_VALUE

        view = dig(body, "view")
        checked = state_value(view, slides.CONFIRM_BLOCK, slides.CONFIRM_INPUT)
        slides_raw = state_value(view, slides.SLIDES_BLOCK, slides.SLIDES_INPUT)
        recording_raw = state_value(view, slides.RECORDING_BLOCK, slides.RECORDING_INPUT)
        publish = state_value(view, slides.PUBLISH_BLOCK, slides.PUBLISH_INPUT)
        errors = await slides.save_from_modal(
            services, text(body, "user", "id")[:64], text(view, "private_metadata"),
            slides_raw if isinstance(slides_raw, str) else None,
            recording_raw if isinstance(recording_raw, str) else None,
            isinstance(checked, list) and "yes" in checked,
            # A form without the archive's box (opened before this version) changes nothing.
            publish=(CONSENT_VALUE in publish if isinstance(publish, list) else None))
        if errors:
            await ack(response_action="errors",
                      errors={k: v[:150] for k, v in errors.items()})
            return
        await ack()
        services.deliverer.kick()  # a site to build again, when there is one
