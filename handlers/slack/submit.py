"""The submission modal's view_submission: validate on the field, store, acknowledge."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from sqlalchemy.exc import IntegrityError

from bot.services import Services
from bot.slack_ui.blocks import BLOCKS, CONFIRM_VALUE, OPT_OUT_VALUE, SUBMIT_CALLBACK
from bot.talks.submissions import Draft, SlackSpeaker, clean, submit_from_slack, validate
from handlers.slack.commands import Ack
from handlers.slack.payload import dig, state_value, text

log = logging.getLogger("wgml.slack")


def draft_from_view(view: Any) -> Draft:
    def value(block: str) -> Any:
        return state_value(view, block, BLOCKS[block][0])

    def string(block: str) -> str:
        v = value(block)
        return clean(v) if isinstance(v, str) else ""

    confirmation = value("confirmation")
    networking = value("networking")
    return Draft(
        title=" ".join(string("title").split()),
        focus_area=string("focus_area"),
        abstract=string("abstract"),
        results=string("results"),
        studio=" ".join(string("studio").split()),
        email=string("email"),
        confirmed=isinstance(confirmation, list) and CONFIRM_VALUE in confirmation,
        networking_opt_out=isinstance(networking, list) and OPT_OUT_VALUE in networking,
    )


def register(app: AsyncApp, services: Services) -> None:
    @app.view(SUBMIT_CALLBACK)
    async def _submitted(ack: Ack, body: dict[str, Any]) -> None:
        view = dig(body, "view")
        user_id = text(body, "user", "id")
        view_id = text(view, "id")
        if not user_id or not view_id:
            await ack(response_action="errors", errors={
                "title": "Slack sent an incomplete form; please submit again."})
            return
        draft = draft_from_view(view)
        errors = validate(draft, require_email=True, require_confirmation=True)
        if errors:
            await ack(response_action="errors", errors=errors.by_field)
            return
        who = SlackSpeaker(
            user_id=user_id,
            name=text(body, "user", "name") or text(body, "user", "username"),
        )
        try:
            async with services.db.transaction() as session:
                result = await submit_from_slack(
                    session, who=who, view_id=view_id, draft=draft,
                    leadership_channel=services.settings.leadership_channel_id,
                    now=services.now(), command=services.settings.slack_command,
                )
        except IntegrityError:
            # The same view submitted twice at once: the other request stored it.
            log.info("event=submission.duplicate_race view=%s user=%s", view_id, user_id)
            await ack()
            return
        await ack()
        log.info(
            "event=submission.slack ref=%s user=%s duplicate=%s", result.ref, user_id,
            result.duplicate,
        )
        services.deliverer.kick()
