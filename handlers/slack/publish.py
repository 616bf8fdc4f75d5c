"""The public archive, the speaker's say: `/wgml unpublish REF` and the buttons in `/wgml mine`
(list a talk on the archive, or take it off).

A press sets the consent its button names (not a toggle), so a retried or replayed payload
sets the same again and changes nothing; anyone but the talk's speaker is refused.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.services import Services
from bot.slack_ui.ids import MINE_PUBLISH_ACTION as PUBLISH_ACTION
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply

log = logging.getLogger("wgml.slack")


async def unpublish(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                    client: AsyncWebClient) -> None:
    from bot.slack_ui import messages
    from bot.talks.publish import unpublish_command

    answer = await unpublish_command(services, text(command, "user_id")[:64], rest)
    await reply(ack, messages.publish_answer(answer, services.settings.slack_command))
    services.deliverer.kick()  # the site's rebuild, when there is one


def _retried(request: AsyncBoltRequest | None) -> bool:
    if request is None:
        return False
    values = request.headers.get("x-slack-retry-num") or []
    return bool(values and values[0].strip() not in ("", "0"))


async def _respond(url: str, note: str, blocks: list[dict[str, Any]] | None) -> None:
    """The list the button was pressed in, shown again with the answer on top (or only the
    answer, beside it, when there is no list to show)."""
    try:
        sent = await AsyncWebhookClient(url).send(
            text=note, blocks=blocks, response_type="ephemeral",
            replace_original=blocks is not None)
        if sent.status_code != 200:
            log.warning("event=publish.answer_failed status=%s", sent.status_code)
    except (OSError, TimeoutError) as exc:
        log.warning("event=publish.answer_failed error=%s", type(exc).__name__)


def register(app: AsyncApp, services: Services) -> None:
    # Each button of a block needs its own action_id: publish_set:0, publish_set:1, ...
    @app.action(re.compile(rf"^{PUBLISH_ACTION}(:\d+)?$"))
    async def _pressed(ack: Ack, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        from bot.slack_ui import messages
        from bot.slack_ui.home import mine_blocks
        from bot.talks.publish import publish_press
        from bot.talks.submissions import submissions_of

        user = text(body, "user", "id")[:64]
        answer = await publish_press(services, user, text(body, "actions", 0, "value"))
        await ack()  # stored before the acknowledgement: an acknowledged press is recorded
        services.deliverer.kick()
        url = text(body, "response_url")
        if _retried(request) or not url:
            return  # the first delivery of this press answers it
        slash = services.settings.slack_command
        note = messages.publish_answer(answer, slash)
        blocks = None
        if answer.outcome in ("changed", "unchanged"):
            async with services.db.read() as session:
                rows = await submissions_of(session, user)
                blocks = [{"type": "context", "elements": [{"type": "mrkdwn", "text": note}]},
                          *mine_blocks(rows, services.now(), slash)]
        await _respond(url, note, blocks)
