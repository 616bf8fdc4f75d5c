"""Wishes in Slack: `/wgml wish TEXT` (and `wish close|reopen ID` for leaders), `/wgml
wishes`, the `wish_up_*` buttons, the Home tab's "Ask for a topic" button and its form.

Adapters only: the payload becomes plain values, bot.wishes decides in one transaction,
bot.slack_ui.wishes renders. A press is acknowledged once stored; the answer then replaces
the list it was pressed in (its response_url, as slash-command answers are sent) or
republishes the Home tab.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.leaders import leaders_only
from bot.services import Services
from bot.slack_ui.ids import WISH_ASK, WISH_CALLBACK, WISH_UP
from handlers.slack.events import publish_home
from handlers.slack.payload import dig, state_value, text
from handlers.slack.respond import Ack, reply

if TYPE_CHECKING:
    from bot.wishes.model import PressResult

log = logging.getLogger("wgml.slack")

_STATUS_CHANGE = re.compile(r"^(close|reopen)\s+#?(\d{1,9})$", re.I)
_ID = re.compile(r"^\d{1,9}$")


async def wish_command(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                       client: AsyncWebClient) -> None:
    from bot.slack_ui import wishes as ui
    from bot.wishes.store import ask

    user = text(command, "user_id")[:64]
    slash = services.settings.slack_command
    change = _STATUS_CHANGE.match(rest.strip())
    if change is not None:
        await _change(services, user, change.group(1).lower() == "reopen",
                      int(change.group(2)), ack)
        return
    async with services.db.transaction() as session:
        result = await ask(session, user, rest, services.now())
    await reply(ack, ui.ask_text(result, slash))


async def _change(services: Services, user: str, reopen: bool, wish_id: int, ack: Ack) -> None:
    from bot.slack_ui import wishes as ui
    from bot.wishes.store import set_open

    slash = services.settings.slack_command
    _, refused = await leaders_only(services.leaders, services.settings.leadership_channel_id,
                                    user, ui.not_a_leader(slash))
    if refused is not None:
        log.info("event=wish.change_refused user=%s wish=%s", user, wish_id)
        await reply(ack, refused)
        return
    async with services.db.transaction() as session:
        result = await set_open(session, wish_id, user, services.now(), open_=reopen)
    await reply(ack, ui.change_text(result, wish_id, slash))


async def _list(services: Services, viewer: str, note: str | None = None
                ) -> tuple[str, list[dict[str, Any]]]:
    from bot.slack_ui import wishes as ui
    from bot.wishes.store import most_backed

    async with services.db.session() as session:
        wishes, total = await most_backed(session, ui.LIST_MAX)
    return ui.list_blocks(wishes, total, viewer, services.settings.slack_command, note)


async def wishes_command(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                         client: AsyncWebClient) -> None:
    fallback, blocks = await _list(services, text(command, "user_id")[:64])
    await ack(text=fallback, blocks=blocks, response_type="ephemeral")


def _retry(request: AsyncBoltRequest | None) -> bool:
    if request is None:
        return False
    values = request.headers.get("x-slack-retry-num") or []
    return bool(values and values[0].strip() not in ("", "0"))


async def store_press(services: Services, body: dict[str, Any], retry: bool
                      ) -> PressResult | None:
    """A `wish_up_*` press, stored (acknowledged after this); None for an unreadable one."""
    from bot.curation.actions import action_us
    from bot.wishes.store import press

    user = text(body, "user", "id")[:64]
    value = text(body, "actions", 0, "value")
    if not user or not _ID.match(value):
        log.warning("event=wish.bad_press user=%s value=%r", user, value[:40])
        return None
    async with services.db.transaction() as session:
        return await press(session, int(value), user, services.now(),
                           action_us=action_us(text(body, "actions", 0, "action_ts")),
                           retry=retry)


async def answer_press(services: Services, body: dict[str, Any], client: AsyncWebClient,
                       result: PressResult) -> None:
    """The member's view refreshed: the list it was pressed in, or their Home tab."""
    from bot.slack_ui import wishes as ui

    note = ui.press_text(result)
    if note is None:
        return  # a retry: the first press has answered already
    user = text(body, "user", "id")[:64]
    if text(body, "container", "type") == "view":
        await publish_home(services, client, user)
        return
    url = text(body, "response_url")
    if not url:
        return
    fallback, blocks = await _list(services, user, note)
    try:
        sent = await AsyncWebhookClient(url).send(
            text=fallback, blocks=blocks, response_type="ephemeral", replace_original=True)
        if sent.status_code != 200:
            log.warning("event=wish.list_refresh_failed status=%s", sent.status_code)
    except (OSError, TimeoutError) as exc:
        log.warning("event=wish.list_refresh_failed error=%s", type(exc).__name__)


async def asked_in_form(services: Services, body: dict[str, Any]) -> dict[str, Any]:
    """The small form submitted: errors on the field, or the form updated with the answer."""
    from bot.slack_ui import wishes as ui
    from bot.wishes.store import ask

    user = text(body, "user", "id")[:64]
    wished = state_value(dig(body, "view"), ui.WISH_BLOCK, ui.WISH_INPUT)
    if not user or not isinstance(wished, str):
        return {"response_action": "errors",
                "errors": {ui.WISH_BLOCK: "Slack sent an incomplete form; please try again."}}
    async with services.db.transaction() as session:
        result = await ask(session, user, wished, services.now())
    if result.wish is None:  # empty or too long: said on the field, nothing stored
        return {"response_action": "errors", "errors": {
            ui.WISH_BLOCK: ui.ask_text(result, services.settings.slack_command)[:150]}}
    return {"response_action": "update",
            "view": ui.ask_done_view(ui.ask_text(result, services.settings.slack_command))}


def register(app: AsyncApp, services: Services) -> None:
    @app.action(re.compile(f"^{WISH_UP}"))
    async def _up(ack: Ack, body: dict[str, Any], client: AsyncWebClient,
                  request: AsyncBoltRequest) -> None:
        result = await store_press(services, body, _retry(request))
        await ack()
        if result is not None:
            await answer_press(services, body, client, result)

    @app.action(WISH_ASK)
    async def _ask_button(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        from bot.slack_ui import wishes as ui

        await ack()
        try:  # views.open at once: its trigger_id dies in 3 seconds
            await client.views_open(trigger_id=text(body, "trigger_id"), view=ui.ask_modal())
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("event=wish.form_failed user=%s error=%s", text(body, "user", "id"),
                        error)

    @app.view(WISH_CALLBACK)
    async def _asked(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        answer = await asked_in_form(services, body)
        await ack(**answer)
        if answer["response_action"] == "update":
            await publish_home(services, client, text(body, "user", "id")[:64])
