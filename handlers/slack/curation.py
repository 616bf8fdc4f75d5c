"""The card's buttons (`vote_*`, `decide_*`, `recuse_*`, `note_*` and its modal) and the
leaders' and speakers' commands.

Registered before handlers.slack.actions' catch-all; over HTTP, bot.app.web hands presses
straight to bot.curation.ack.settle_press, which says whether a press may be acknowledged
(see there: an acknowledged vote is a stored vote).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services import Services
from bot.slack_ui.ids import NOTE_CALLBACK, REVIEW_PAGE_ACTION
from handlers.slack.payload import dig, state_value, text
from handlers.slack.respond import Ack, post_to_response_url, reply

if TYPE_CHECKING:
    from bot.curation.actions import Press

log = logging.getLogger("wgml.slack")

# A payload -> an awaitable saying whether the request may be acknowledged, or None when
# the payload is not one it handles (it then goes through slack-bolt). bot.app.web calls it.
QuickRoute = Callable[[dict[str, Any], str], Awaitable[bool] | None]


PRESS_ACTION = re.compile(r"^(vote|decide|recuse)_")


def press_from_body(body: dict[str, Any], retry_header: str = "") -> Press:
    from bot.curation.actions import Press

    retry = retry_header.strip()
    return Press(
        user=text(body, "user", "id")[:64],
        action_id=text(body, "actions", 0, "action_id")[:255],
        value=text(body, "actions", 0, "value")[:255],
        channel=(text(body, "channel", "id") or text(body, "container", "channel_id"))[:32],
        action_ts=text(body, "actions", 0, "action_ts")[:40],
        block_id=text(body, "actions", 0, "block_id")[:64],
        # The header is outside Slack's signature: '²' passes isdigit() but not int().
        retry_num=int(retry) if retry.isascii() and retry.isdigit() and len(retry) < 6 else 0,
    )


def _retry_header(request: AsyncBoltRequest | None) -> str:
    if request is None:
        return ""
    values = request.headers.get("x-slack-retry-num") or []
    return values[0] if values else ""


def quick_route(services: Services) -> QuickRoute:
    """For bot.app.web: vote and decide presses straight to settle_press, without slack-bolt.

    Why: under a burst of presses, bolt's middleware chain, its matching over every listener
    and its ack wait (a 10 ms polling loop per request) cost more of the one event loop than
    the vote itself. The HTTP layer has already checked the signature and the timestamp.
    Returns None for anything else, which then goes through bolt as before.
    """

    def route(payload: dict[str, Any], retry_header: str) -> Awaitable[bool] | None:
        if payload.get("type") != "block_actions":
            return None
        if not PRESS_ACTION.match(text(payload, "actions", 0, "action_id")):
            return None
        from bot.curation.ack import settle_press

        return settle_press(services, press_from_body(payload, retry_header))

    return route


async def _press(services: Services, ack: AsyncAck, body: dict[str, Any],
                 request: AsyncBoltRequest) -> None:
    from bot.curation.ack import settle_press

    if await settle_press(services, press_from_body(body, _retry_header(request))):
        await ack()
        return
    # Not stored in time: answered as a failure, never acknowledged (in Socket Mode bolt then
    # sends nothing), so Slack tells the leader it did not go through. Setting the response
    # also keeps bolt from handing the press on to the catch-all listener, which would ack.
    ack.response = BoltResponse(status=503, body="could not store this in time")


def register(app: AsyncApp, services: Services) -> None:
    # The same pattern bot.app.web's quick route takes, so both paths handle the same presses.
    @app.action(PRESS_ACTION)
    async def _button(ack: AsyncAck, body: dict[str, Any], request: AsyncBoltRequest) -> None:
        await _press(services, ack, body, request)

    @app.action(NOTE_ACTION)
    async def _note(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await open_note(services, body, client)

    @app.action(re.compile(f"^{REVIEW_PAGE_ACTION}"))
    async def _review_page(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        await review_next(services, body)

    @app.view(NOTE_CALLBACK)
    async def _note_saved(ack: AsyncAck, body: dict[str, Any]) -> None:
        from bot.curation.notes import add_note
        from bot.slack_ui.answers import answer_text
        from bot.slack_ui.note_modal import NOTE_BLOCK, NOTE_INPUT

        view = dig(body, "view")
        sid = text(view, "private_metadata")
        note = state_value(view, NOTE_BLOCK, NOTE_INPUT)
        if not (sid.isdigit() and len(sid) < 13) or not isinstance(note, str):
            await ack(response_action="errors", errors={
                NOTE_BLOCK: "Slack sent an incomplete form; please try again."})
            return
        problem = await add_note(services, text(body, "user", "id")[:64], int(sid), note,
                                 text(view, "id"))
        if problem:
            await ack(response_action="errors", errors={NOTE_BLOCK: answer_text(problem)[:150]})
            return
        await ack()


NOTE_ACTION = re.compile(r"^note_")


async def open_note(services: Services, body: dict[str, Any], client: AsyncWebClient) -> None:
    """The Note button: the modal at once (its trigger_id lives 3 seconds, so views.open is
    called now, not through the outbox); anyone but a leader is told no, privately."""
    from bot.curation.actions import answer
    from bot.curation.choice import another_talks_block
    from bot.curation.notes import leader_check, note_target, parse_note_value
    from bot.curation.said import Refusal
    from bot.slack_ui.note_modal import note_modal

    press = press_from_body(body)
    refusal = await leader_check(services, press.user)
    sid = parse_note_value(press.value)
    if sid is not None and another_talks_block(sid, press.block_id):
        sid = None  # an altered button: answered as unreadable
    target = await note_target(services, sid) if sid is not None and refusal is None else None
    if refusal is None and target is None:
        refusal = Refusal.MISSING if sid is not None else Refusal.BAD_VALUE
    if refusal is not None:
        await answer(services, press, refusal)
        services.deliverer.kick()
        return
    assert target is not None
    try:
        await client.views_open(trigger_id=text(body, "trigger_id"),
                                view=note_modal(target.submission_id, target.ref, target.title))
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        log.warning("event=note.modal_failed user=%s error=%s", press.user, error)
        await answer(services, press, "Slack would not open the note form just now (the "
                     "button press may have taken too long); please press *Note* again.")
        services.deliverer.kick()


async def review(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                  client: AsyncWebClient) -> None:
    """`/wgml review [CYCLE] [owed|mine] [page N]`: the page's first part as the answer, the
    rest (and its Next page button) through the command's response_url."""
    from bot.curation.review import review_command
    from bot.slack_ui.review import review_answer, review_messages

    outcome = await review_command(services, text(command, "user_id"), rest)
    messages = review_messages(review_answer(outcome, services.settings.slack_command))
    first = messages[0]
    await ack(text=first["text"], blocks=first.get("blocks"), response_type="ephemeral")
    if len(messages) > 1:
        await post_to_response_url(text(command, "response_url"), messages[1:],
                                   what="review")


async def review_next(services: Services, body: dict[str, Any]) -> None:
    """The Next page button: the page through the press's response_url."""
    from bot.curation.review import ReviewQuery, review_page
    from bot.slack_ui.answers import BAD_VALUE
    from bot.slack_ui.review import review_answer, review_messages

    user = text(body, "user", "id")[:64]
    query = ReviewQuery.from_value(text(body, "actions", 0, "value"))
    url = text(body, "response_url")
    if query is None:
        await post_to_response_url(url, [{"text": BAD_VALUE}], what="review_page")
        return
    log.info("event=review.page user=%s page=%s owed=%s", user, query.page, query.owed)
    outcome = await review_page(services, user, query)
    await post_to_response_url(
        url, review_messages(review_answer(outcome, services.settings.slack_command)),
        what="review_page")


async def withdraw(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                    client: AsyncWebClient) -> None:
    from bot.curation.withdraw import withdraw_command
    from bot.slack_ui.said_curation import withdraw_answer

    answer = withdraw_answer(await withdraw_command(services, text(command, "user_id"), rest))
    await reply(ack, answer)
    services.deliverer.kick()
