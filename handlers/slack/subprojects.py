"""Sub-projects on Slack: the leaders' "Propose a sub-project" button on each theme, its
modal, the "I'm interested" button, and `/wgml subproject ID status ...`.

The channel is created while the modal waits (conversations.create, bounded well inside
Slack's 3 seconds for a view_submission): only then can `name_taken` be shown in the modal
with another name, and the leader's text is never lost. Everything the new sub-project sends
afterwards goes through the outbox in the transaction that attaches the channel.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.digits import is_number
from bot.leaders import leaders_only
from bot.mrkdwn import escape
from bot.services import Services
from bot.slack_ui.ids import INTEREST_ACTION, MODAL_CALLBACK, PROPOSE_ACTION
from bot.subprojects.names import PROBLEMS, alternative, name_problem, suggest
from handlers.slack.payload import dig, text
from handlers.slack.respond import Ack
from storage.outbox import enqueue_ephemeral, enqueue_slack_message

if TYPE_CHECKING:
    from bot.subprojects.store import Interest

log = logging.getLogger("wgml.subprojects")

# conversations.create must answer before the modal's 3 seconds run out: it gets what is
# left of BUDGET_SECONDS after the leader check and the claim (at most CREATE_SECONDS, at
# least MIN_CREATE_SECONDS), leaving time to attach the channel and answer.
BUDGET_SECONDS = 2.5
CREATE_SECONDS = 2.0
MIN_CREATE_SECONDS = 0.5
REFUSAL = ("Proposing a sub-project is for the WG-ML leaders (the members of the leadership "
           "channel); nothing was created.")


def _refusal(command: str) -> str:
    return REFUSAL + f" `{command} find TOPIC` shows who works on a topic."


async def _tell(services: Services, user: str, channel: str, message: str,
                key: str | None = None) -> None:
    """An ephemeral answer where the button was pressed (a DM when there is no channel)."""
    async with services.db.transaction() as session:
        if channel:
            await enqueue_ephemeral(session, channel=channel, user=user, text=message, key=key)
        else:
            await enqueue_slack_message(session, channel=user, text=message, key=key)
    services.deliverer.kick()


async def _leaders_only(services: Services, user: str, refusal: str
                        ) -> tuple[frozenset[str], str | None]:
    return await leaders_only(services.leaders, services.settings.leadership_channel_id, user,
                              refusal)


def _press(body: dict[str, Any]) -> tuple[str, str, str, str]:
    """(user, channel, value, action_ts) of a button press."""
    return (text(body, "user", "id"),
            text(body, "container", "channel_id") or text(body, "channel", "id"),
            text(body, "actions", 0, "value"), text(body, "actions", 0, "action_ts"))


def register(app: AsyncApp, services: Services) -> None:
    @app.action(re.compile(rf"^{PROPOSE_ACTION}"))
    async def _propose(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await propose_pressed(services, body, client)

    @app.view(MODAL_CALLBACK)
    async def _submitted(ack: Ack, body: dict[str, Any], client: AsyncWebClient) -> None:
        await proposal_submitted(services, ack, body, client)

    @app.action(re.compile(rf"^{INTEREST_ACTION}"))
    async def _interest(ack: Ack, body: dict[str, Any]) -> None:
        await ack()
        await interest_pressed(services, body)


# ---- the button and its modal -----------------------------------------------------------

async def propose_pressed(services: Services, body: dict[str, Any],
                          client: AsyncWebClient) -> None:
    from bot.slack_ui.subprojects import proposal_modal, read_propose_value, talk_option
    from bot.subprojects.launch import load_talks, prefilled_statement
    from bot.subprojects.store import MAX_TALKS, NAME_MAX, STATEMENT_MAX, theme_key
    from storage.models import Subproject

    user, channel, value, _ = _press(body)
    trigger = text(body, "trigger_id")
    _, refused = await _leaders_only(services, user, _refusal(services.settings.slack_command))
    if refused is not None:
        log.info("event=subproject.refused user=%s", user)
        await _tell(services, user, channel, refused)
        return
    parsed = read_propose_value(value)
    if parsed is None or not trigger:
        log.warning("event=subproject.bad_press user=%s value=%r", user, value[:80])
        await _tell(services, user, channel, "That button's payload is not one I made; run "
                    f"`{services.settings.slack_command} themes` for fresh ones.")
        return
    name, ids = parsed
    key = theme_key(ids)
    async with services.db.session() as session:
        existing = await session.scalar(select(Subproject).where(
            Subproject.theme_key == key, Subproject.channel_id.is_not(None)))
        talks = await load_talks(session, ids)
    if existing is not None:
        await _tell(services, user, channel, f"This pain point is already the sub-project "
                    f"<#{existing.channel_id}|{existing.channel_name}> ({existing.status}).")
        return
    if not talks:
        await _tell(services, user, channel, "None of this theme's talks can be used any more "
                    "(declined or withdrawn); nothing was created.")
        return
    named = [t for t in talks if not t.speaker.networking_opt_out]
    hidden = [t.id for t in talks if t.speaker.networking_opt_out]
    options = [talk_option(t.id, t.ref or f"#{t.id}", t.title, t.studio or t.speaker.studio)
               for t in named][:MAX_TALKS]
    title = name[:1].upper() + name[1:]
    metadata = json.dumps({"k": key, "n": name, "h": hidden}, separators=(",", ":"))
    view = proposal_modal(theme_name=name, name=title[:NAME_MAX], channel=suggest(name),
                          statement=prefilled_statement(name, talks)[:STATEMENT_MAX],
                          options=options, hidden=len(hidden), metadata=metadata)
    try:
        # views.open at once: the trigger_id dies 3 seconds after the press.
        await client.views_open(trigger_id=trigger, view=view)
    except (SlackApiError, aiohttp.ClientError, OSError, TimeoutError) as exc:
        error = (exc.response.get("error") if isinstance(exc, SlackApiError) else
                 type(exc).__name__)
        log.warning("event=subproject.views_open_failed user=%s error=%s", user, error)
        await _tell(services, user, channel, f"Slack did not open the form ({escape(str(error))});"
                    " please press the button again.")


def _metadata(view: Any) -> tuple[str, str, list[int]] | None:
    try:
        data = json.loads(text(view, "private_metadata"))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    key, name, hidden = data.get("k"), data.get("n"), data.get("h")
    if not isinstance(key, str) or not isinstance(name, str) or not isinstance(hidden, list) \
            or not all(isinstance(i, int) for i in hidden):
        return None
    return key, name, hidden


def _value(view: Any, field: str) -> str:
    from bot.slack_ui.subprojects import BLOCKS
    from bot.talks.submissions import clean

    block, action = BLOCKS[field]
    return clean(text(view, "state", "values", block, action, "value"))


def _selected(view: Any) -> list[int] | None:
    from bot.slack_ui.subprojects import BLOCKS

    block, action = BLOCKS["talks"]
    element = dig(view, "state", "values", block, action)
    if element is None:
        return []
    options = dig(element, "selected_options")
    if not isinstance(options, list):
        return []
    out: list[int] = []
    for option in options:
        value = text(option, "value")
        if not is_number(value):
            return None
        out.append(int(value))
    return out


async def proposal_submitted(services: Services, ack: Ack, body: dict[str, Any],
                             client: AsyncWebClient) -> None:
    from bot.subprojects.launch import evidence, load_talks
    from bot.subprojects.store import (
        MAX_TALKS,
        NAME_MAX,
        STATEMENT_MAX,
        Claimed,
        Proposal,
        attach_channel,
        claim,
        release,
    )
    from handlers.slack.subproject_launch import queue_launch

    began = time.monotonic()
    view = dig(body, "view")
    user, view_id = text(body, "user", "id"), text(view, "id")
    _, refused = await _leaders_only(services, user, REFUSAL)
    if refused is not None:
        log.info("event=subproject.refused_submission user=%s", user)
        await ack(response_action="errors", errors={"name": refused[:150]})
        return
    meta = _metadata(view)
    selected = _selected(view)
    if meta is None or selected is None or not view_id:
        await ack(response_action="errors", errors={
            "name": "Slack sent an incomplete form; close it and press the button again."})
        return
    key, theme_name, hidden = meta
    name = " ".join(_value(view, "name").split())[:NAME_MAX]
    channel = _value(view, "channel").strip()
    statement = _value(view, "statement")[:STATEMENT_MAX]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Give the sub-project a name."
    problem = name_problem(channel)
    if problem:
        errors["channel"] = f"{PROBLEMS[problem]} For example: {suggest(name or channel)}"
    if not statement:
        errors["statement"] = "Say what problem the sub-project is about."
    talk_ids = list(dict.fromkeys([*selected, *hidden]))[:MAX_TALKS]
    if not talk_ids:
        errors["talks"] = "Choose at least one talk it starts from."
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    proposal = Proposal(name, channel, statement, tuple(talk_ids), key, theme_name, view_id,
                        user)
    got = await claim(services.db, proposal, services.now())
    if not isinstance(got, Claimed):
        if got.same_view:  # the same form again (a double click, a retry): done or doing
            log.info("event=subproject.duplicate_submission view=%s", view_id)
            await ack()
            return
        where = f"#{got.channel_name}" if got.channel_id else "a channel being created now"
        await ack(response_action="errors", errors={
            "name": f"Another leader has just proposed this pain point: {where}."[:150]})
        return
    budget = min(CREATE_SECONDS, max(MIN_CREATE_SECONDS,
                                     BUDGET_SECONDS - (time.monotonic() - began)))
    channel_id, problem = await _create_channel(client, channel, budget)
    if channel_id is None:
        await release(services.db, got.id)
        await ack(response_action="errors", errors={"channel": (problem or "")[:150]})
        return
    async with services.db.transaction() as session:
        row = await attach_channel(session, got.id, channel_id, channel, talk_ids)
        ev = evidence(await load_talks(session, talk_ids), user)
        await queue_launch(session, services.settings, row, ev)
    await ack()
    log.info("event=subproject.created id=%s channel=%s user=%s talks=%s invites=%s emails=%s",
             got.id, channel_id, user, len(talk_ids), len(ev.slack_invites),
             len(ev.email_invites))
    services.deliverer.kick()


async def _create_channel(client: AsyncWebClient, name: str, seconds: float
                          ) -> tuple[str | None, str | None]:
    """(the new channel's id, None), or (None, the line to show on the channel field)."""
    try:
        async with asyncio.timeout(seconds):
            answer = await client.conversations_create(name=name, is_private=False)
    except SlackApiError as exc:
        data = exc.response.data if isinstance(exc.response.data, dict) else {}
        error = str(data.get("error") or "unknown")
        if error == "name_taken":
            return None, f"#{name} is taken. Try {alternative(name)}"
        if error in PROBLEMS:
            return None, PROBLEMS[error]
        if error == "missing_scope":
            needed = data.get("needed") or "channels:manage"
            line = (f"I may not create channels: my token lacks the {needed} scope; an admin "
                    "must add it to the app and reinstall it.")
        elif error == "restricted_action":
            line = ("This workspace lets only admins create channels; an admin must allow it "
                    "or create the channel.")
        else:
            line = f"Slack refused to create the channel ({error}); nothing was created."
        log.warning("event=subproject.channel_refused error=%s needed=%s provided=%s line=%r",
                    error, data.get("needed"), data.get("provided"), line)
        return None, line
    except (aiohttp.ClientError, OSError, TimeoutError) as exc:
        log.warning("event=subproject.channel_unanswered error=%s", type(exc).__name__)
        return None, "Slack did not answer in time; nothing was created. Please submit again."
    channel = answer.get("channel") or {}
    channel_id = channel.get("id") if isinstance(channel, dict) else None
    if not isinstance(channel_id, str):
        return None, "Slack's answer had no channel; nothing was created. Please submit again."
    return channel_id, None


# ---- interest -----------------------------------------------------------------------------

async def interest_pressed(services: Services, body: dict[str, Any]) -> None:
    user, channel, value, action_ts = _press(body)
    if not user or not is_number(value):
        log.warning("event=subproject.bad_interest user=%s value=%r", user, value[:40])
        return
    for attempt in range(2):  # the same press twice at once: the loser's keys now exist
        try:
            got = await _record_interest(services, int(value), user, channel, action_ts)
            break
        except IntegrityError:
            if attempt:
                raise
    log.info("event=subproject.interest id=%s user=%s new=%s refused=%s", value, user,
             got.new, got.refused)
    services.deliverer.kick()


async def _record_interest(services: Services, subproject_id: int, user: str, channel: str,
                           action_ts: str) -> Interest:
    from bot.slack_ui.subprojects import interest_answer
    from bot.subprojects.store import add_interest
    from handlers.slack.subproject_launch import queue_invite
    from storage.models import Subproject

    value = str(subproject_id)
    async with services.db.transaction() as session:
        got = await add_interest(session, subproject_id, user, services.now())
        if got.refused is None:
            row = await session.get(Subproject, got.subproject_id)
            assert row is not None
            await queue_invite(session, row, user)
            answer = interest_answer(got.name, got.channel_id or "", got.channel_name, got.new,
                                     got.count)
        elif got.refused == "closed":
            answer = "This sub-project has closed; nobody is being added any more."
        else:
            answer = "I don't know this sub-project any more."
        # One answer per press: a retried request (same action_ts) is answered once.
        key = f"subproject:interest:{value}:{user}:{action_ts}" if action_ts else None
        if channel:
            await enqueue_ephemeral(session, channel=channel, user=user, text=answer, key=key)
        else:
            await enqueue_slack_message(session, channel=user, text=answer, key=key)
    return got
