"""Sending one claimed outbox row: to Slack (a card, a message, an ephemeral) or by SMTP,
each call abandoned when a stop's grace runs out, each failure sorted into transient (tried
again, maybe marked uncertain) or permanent. The claiming, ordering and retrying around it
are scheduler.outbox's Deliverer, which is a RowSender.

The renderers (cards, messages, mail) are imported by the send that needs them: a service
whose outbox is empty does not carry them (tests/app/test_import_closure.py).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_ui.card_view import CardView
from scheduler.outbox_policy import (
    EMAIL_SEND_SECONDS,
    UNCERTAIN,
    EmailSender,
    PermanentError,
    TransientError,
    classify_smtp_error,
    retry_after_of,
)
from scheduler.outbox_slack import find_posted, metadata_for
from scheduler.slack_errors import SlackRefusal, slack_failure
from storage.db import Database
from storage.models import OutboxMessage
from storage.outbox import (
    KIND_CARD,
    KIND_CYCLE_CARDS,
    KIND_EMAIL,
    KIND_EPHEMERAL,
    KIND_INVITE,
    KIND_MESSAGE,
    KIND_SITE_REBUILD,
    KIND_SLOTS,
)

log = logging.getLogger("wgml.outbox")

T = TypeVar("T")
# Builds the public archive at a given clock (scheduler.site_jobs.SiteRebuild).
SiteBuilder = Callable[[dt.datetime], Awaitable[dict[str, Any]]]


class Abandoned(TransientError):
    """A Slack or SMTP call dropped by a stop; it may have reached the other side."""

    def __init__(self, message: str) -> None:
        super().__init__(message, uncertain=True)


class RowSender:
    """What a deliverer needs to send a row; Deliverer sets these and paces the posts."""

    db: Database
    slack: AsyncWebClient | None
    send_email: EmailSender | None
    card_view: CardView | None
    site_builder: SiteBuilder | None
    clock: Callable[[], dt.datetime]
    _abandon: asyncio.Event

    def _posted(self, channel: str, retry_after: float | None = None) -> None:
        """A post to `channel` went out (or was rate limited): the deliverer's pacing."""

    async def _network(self, call: Awaitable[T], what: str) -> T:
        """A call to Slack or SMTP, abandoned when a stop's grace has run out."""
        task = asyncio.ensure_future(call)
        abandon = asyncio.ensure_future(self._abandon.wait())
        try:
            await asyncio.wait({task, abandon}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            abandon.cancel()
        if task.done():
            return task.result()
        task.cancel()
        raise Abandoned(f"{what}: abandoned at shutdown before an answer came")

    async def _send(self, row: OutboxMessage) -> dict[str, Any] | None:
        if row.kind == KIND_EMAIL:
            return await self._send_mail(row)
        if row.kind == KIND_CYCLE_CARDS:  # nothing leaves: it queues the cards' renders
            from scheduler.outbox_cards import expand_cycle_cards

            return await expand_cycle_cards(self.db, row)
        if row.kind == KIND_SITE_REBUILD:  # nothing leaves: the archive is written again
            if self.site_builder is None:
                raise TransientError("SITE_DIR is not set here; kept for a process that has it")
            return await self.site_builder(self.clock())
        if self.slack is None:
            raise TransientError("Slack is not configured; kept for later")
        uncertain = bool(row.result and row.result.get(UNCERTAIN))
        if row.kind == KIND_CARD:
            from scheduler.outbox_cards import send_card

            return await send_card(self.db, row, uncertain, call=self._slack,
                                   already_posted=self._already_posted, view=self.card_view)
        if row.kind == KIND_SLOTS:
            from scheduler.outbox_slots import send_slots

            return await send_slots(self.db, row, uncertain, call=self._slack,
                                    already_posted=self._already_posted)
        if row.kind == KIND_MESSAGE:
            key = row.idempotency_key
            if uncertain:
                found = await self._already_posted(row.payload["channel"], key, row.created_at)
                if found is not None:
                    return {**found, "deduplicated": True}
            payload = {**_slack_payload(row.payload, "message"), "metadata": metadata_for(key)}
            resp = await self._slack("chat_postMessage", **payload)
            return {"channel": resp.get("channel"), "ts": resp.get("ts")}
        if row.kind == KIND_EPHEMERAL:
            payload = _slack_payload(row.payload, "answer")
            await self._slack("chat_postEphemeral", **payload)
            return {}
        if row.kind == KIND_INVITE:
            try:
                await self._slack("conversations_invite", **row.payload)
            except SlackRefusal as exc:
                if exc.code == "already_in_channel":  # the goal, reached before
                    return {"already_in_channel": True}
                raise
            return {}
        raise PermanentError(f"unknown outbox kind {row.kind!r}")

    async def _send_mail(self, row: OutboxMessage) -> dict[str, Any]:
        if self.send_email is None:
            raise TransientError("email is not configured (SMTP); kept for later")
        if row.result and row.result.get(UNCERTAIN):
            log.warning("event=outbox.email_maybe_repeated id=%s message_id=%s", row.id,
                        row.payload.get("message_id"))
        from bot.email.said import UnknownMail, rendered_email

        try:
            payload = rendered_email(row.payload)
        except UnknownMail as exc:  # a value this version cannot word
            raise PermanentError(f"cannot word the email: {exc}") from exc
        try:
            async with asyncio.timeout(EMAIL_SEND_SECONDS):
                await self._network(self.send_email(payload), "SMTP")
        except (TransientError, PermanentError):
            raise
        except TimeoutError:
            raise TransientError(f"SMTP took over {EMAIL_SEND_SECONDS} s", uncertain=True) from None
        except Exception as exc:
            raise classify_smtp_error(exc) from None
        return {"message_id": row.payload.get("message_id")}

    async def _already_posted(self, channel: str, key: str, since: dt.datetime
                              ) -> dict[str, Any] | None:
        assert self.slack is not None
        try:
            return await self._network(find_posted(self.slack, channel, key, since),
                                       "conversations.history")
        except SlackApiError as exc:
            status = exc.response.status_code if exc.response is not None else 0
            error = exc.response.get("error") if exc.response is not None else None
            if status == 429 or status >= 500:
                raise TransientError(f"conversations.history: {error or status}",
                                     retry_after=retry_after_of(exc), uncertain=True) from None
            # Cannot check (e.g. missing history scope): send again, at-least-once, and say so.
            log.warning("event=outbox.dedupe_unavailable channel=%s error=%s", channel, error)
            return None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientError(f"conversations.history: {type(exc).__name__}",
                                 uncertain=True) from None

    async def _slack(self, method: str, **kwargs: Any) -> Any:
        assert self.slack is not None
        try:
            resp = await self._network(getattr(self.slack, method)(**kwargs), method)
            if method == "chat_postMessage":
                self._posted(str(kwargs.get("channel")))
            return resp
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429:
                wait = retry_after_of(exc) or 1.0
                if method == "chat_postMessage":
                    self._posted(str(kwargs.get("channel")), retry_after=wait)
                raise TransientError(f"{method}: rate limited", retry_after=wait) from None
            if status >= 500:
                raise TransientError(f"{method}: HTTP {status}", uncertain=True) from None
            raise slack_failure(method, exc) from None  # scheduler.slack_errors decides
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientError(f"{method}: {type(exc).__name__}: {exc}",
                                 uncertain=True) from None


def _slack_payload(value: dict[str, Any], what: str) -> dict[str, Any]:
    """A queued value worded for Slack (bot.slack_ui.said), or why it cannot be."""
    from bot.slack_ui.said import UnknownSaid, rendered

    try:
        return rendered(value)
    except (UnknownSaid, TypeError) as exc:  # a value this version cannot read
        raise PermanentError(f"cannot render the {what}: {exc}") from exc
