"""Editing a talk: `/wgml edit REF` and the Edit buttons (in `/wgml mine` and on the Home tab)
open the submission form filled in; its submission is stored as a new confirmed version."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack_ui.ids import EDIT_ACTION, EDIT_CALLBACK
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply
from handlers.slack.submit import (
    RETRYABLE_OPEN_ERRORS,
    checked_form,
    concerns_to_read,
    filled,
    tell_form_failed,
)
from storage.outbox import enqueue_slack_message

log = logging.getLogger("wgml.slack")


async def _form_or_refusal(services: Services, user_id: str, ref: str
                           ) -> tuple[dict[str, Any] | None, str]:
    """The filled-in form for the talk, or what to tell the member instead."""
    from bot.slack_ui.blocks import submission_modal
    from bot.slack_ui.messages import edit_refused
    from bot.talks.edit import clean_ref, editable

    command = services.settings.slack_command
    async with services.db.session() as session:
        found = await editable(session, clean_ref(ref), user_id, services.now(), command)
        sub = found.submission
        if sub is None:
            return None, edit_refused(found.refusal) if found.refusal else ""
        view = submission_modal(
            email=sub.speaker.email or "", studio=sub.studio, ref=sub.ref or "",
            opted_out=sub.speaker.networking_opt_out,
            edit={"title": sub.title, "focus_area": sub.focus_area, "abstract": sub.abstract,
                  "results": sub.results or ""})
        return view, ""


async def _open(services: Services, client: AsyncWebClient, command: dict[str, Any],
                view: dict[str, Any]) -> None:
    try:
        await client.views_open(trigger_id=text(command, "trigger_id"), view=view)
    except (SlackApiError, OSError, TimeoutError) as exc:
        error = (exc.response.get("error") if isinstance(exc, SlackApiError)
                 and exc.response is not None else type(exc).__name__)
        log.log(logging.WARNING if error in RETRYABLE_OPEN_ERRORS else logging.ERROR,
                "event=edit.views_open_failed user=%s error=%s", text(command, "user_id"),
                error)
        await tell_form_failed(services, command, str(error or "unknown"))


async def edit_command(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                       client: AsyncWebClient) -> None:
    """`/wgml edit REF`: only the talk's speaker, only while it may be edited."""
    user_id = text(command, "user_id")
    if not text(command, "trigger_id") or not user_id:
        await reply(ack, "Slack sent this command without a trigger; please try again.")
        return
    view, refusal = await _form_or_refusal(services, user_id, rest)
    if view is None:
        await reply(ack, refusal)
        return
    await ack()
    await _open(services, client, command, view)


def register(app: AsyncApp, services: Services) -> None:
    # Each button of a block needs its own action_id: edit_talk:0, edit_talk:1, ...
    @app.action(re.compile(rf"^{EDIT_ACTION}(:\d+)?$"))
    async def _edit_pressed(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        user_id = text(body, "user", "id")
        command = {"trigger_id": text(body, "trigger_id"), "user_id": user_id,
                   "response_url": text(body, "response_url")}
        view, refusal = await _form_or_refusal(services, user_id,
                                               text(body, "actions", 0, "value"))
        if view is not None:
            await _open(services, client, command, view)
            return
        if user_id:  # a button has no answer of its own: the refusal goes by DM
            async with services.db.transaction() as session:
                await enqueue_slack_message(session, channel=user_id, text=refusal)
            services.deliverer.kick()

    @app.view(EDIT_CALLBACK)
    async def _edited(ack: Ack, body: dict[str, Any]) -> None:
        from bot.guidelines.stored import read_ref, tell_speaker_of_ref
        from bot.slack_ui.blocks import submission_modal
        from bot.slack_ui.guidelines import unread, with_read
        from bot.slack_ui.messages import edit_refused
        from bot.talks.edit import clean_ref, edit_from_slack

        form = await checked_form(ack, body, "private_metadata")
        if form is None:
            return
        view, user_id, ref, draft = form
        concerns, read = concerns_to_read(view, draft)
        if unread(concerns, read):  # every version is confirmed, so every version is read
            await ack(response_action="update", view=submission_modal(
                email=draft.email, studio=draft.studio, ref=ref, edit=filled(draft),
                opted_out=draft.networking_opt_out, concerns=concerns,
                confirmed=draft.confirmed,
                metadata=with_read(ref, sorted(read | {c.rule for c in concerns}))))
            return
        async with services.db.transaction() as session:
            result = await edit_from_slack(
                session, user_id=user_id, ref=ref, draft=draft, now=services.now(),
                leadership_channel=services.settings.leadership_channel_id,
                command=services.settings.slack_command, view_id=text(view, "id"),
                rebuild_site=services.settings.site_dir is not None)
            if result.outcome in ("confirmed", "saved"):
                await read_ref(session, clean_ref(ref), concerns)
                await tell_speaker_of_ref(session, clean_ref(ref), concerns, read,
                                          services.settings.slack_command)
        if result.outcome == "refused":
            # Closed (or withdrawn) while the form was open: said on the form, nothing kept.
            await ack(response_action="errors", errors={"title": (
                edit_refused(result.refusal) if result.refusal else "")[:2000]})
            return
        await ack()
        log.info("event=edit.slack ref=%s user=%s outcome=%s fields=%s", ref, user_id,
                 result.outcome, ",".join(result.fields))
        services.deliverer.kick()
