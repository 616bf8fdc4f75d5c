"""Delivering the outbox: claimed in the database, retried with backoff, ordered per lane."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import card_blocks, card_text
from storage.db import Database
from storage.models import OutboxMessage, Submission
from storage.outbox import KIND_CARD, KIND_EMAIL, KIND_EPHEMERAL, KIND_MESSAGE

log = logging.getLogger("wgml.outbox")

MAX_ATTEMPTS = 10
BASE_DELAY = 2.0  # seconds; doubled each attempt, with jitter, up to MAX_DELAY
MAX_DELAY = 3600.0
CLAIM_SECONDS = 120  # a claim older than this is taken to belong to a dead process


class TransientError(Exception):
    """Worth another try later, optionally not before `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(Exception):
    """Retrying cannot help (a 5xx SMTP answer, channel_not_found, ...)."""


EmailSender = Callable[[dict[str, Any]], Awaitable[None]]

# Slack errors that no retry will fix.
_PERMANENT_SLACK = {
    "channel_not_found", "not_in_channel", "is_archived", "msg_too_long", "no_text",
    "invalid_blocks", "invalid_auth", "account_inactive", "token_revoked", "user_not_found",
    "cant_update_message", "message_not_found", "missing_scope", "not_authed",
    "invalid_arguments", "user_not_in_channel", "restricted_action", "invalid_blocks_format",
}


def backoff(attempts: int, retry_after: float | None = None) -> float:
    if retry_after is not None:
        return max(retry_after, 0.0)
    delay = min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY)
    return delay * random.uniform(0.5, 1.0)  # full-ish jitter keeps replicas apart


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    superseded: int = 0


class Deliverer:
    def __init__(
        self,
        db: Database,
        slack: AsyncWebClient | None,
        send_email: EmailSender | None = None,
        *,
        worker: str | None = None,
        batch: int = 50,
    ) -> None:
        self.db = db
        self.slack = slack
        self.send_email = send_email
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.batch = batch
        self._wake = asyncio.Event()

    def kick(self) -> None:
        """Ask the running loop to deliver now (after a commit that queued something)."""
        self._wake.set()

    async def run_forever(self, idle: float = 1.0) -> None:
        while True:
            try:
                report = await self.deliver_due(dt.datetime.now(dt.UTC))
                if report.sent or report.retried or report.superseded:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event=outbox.loop_error")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=idle)
            except TimeoutError:
                pass
            self._wake.clear()

    async def deliver_due(self, now: dt.datetime) -> DeliveryReport:
        """Deliver what is due at `now`: one row per lane at a time, lanes concurrently."""
        report = DeliveryReport()
        rows = await self._claim(now)
        if not rows:
            return report
        tasks = [asyncio.ensure_future(self._deliver(row, now, report)) for row in rows]
        try:
            await asyncio.shield(asyncio.gather(*tasks))
        except asyncio.CancelledError:
            # Let deliveries in flight record their outcome before stopping: a task cancelled
            # inside an aiosqlite call can leave its connection half-closed and hang shutdown.
            await asyncio.wait(tasks, timeout=30)
            raise
        return report

    async def _claim(self, now: dt.datetime) -> list[OutboxMessage]:
        async with self.db.transaction() as session:
            busy_lanes = set(
                (
                    await session.scalars(
                        select(OutboxMessage.lane).where(
                            OutboxMessage.status == "sending", OutboxMessage.claimed_until > now
                        )
                    )
                ).all()
            )
            # Rows whose claim expired were held by a process that died mid-delivery.
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "sending", OutboxMessage.claimed_until <= now)
                .values(status="pending", claimed_by=None, claimed_until=None)
            )
            candidates = (
                await session.scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.status == "pending")
                    .order_by(OutboxMessage.id)
                    .limit(self.batch * 20)
                )
            ).all()
            heads: dict[str, OutboxMessage] = {}
            for row in candidates:
                if row.lane in busy_lanes or row.lane in heads:
                    continue
                heads[row.lane] = row
            claimed: list[OutboxMessage] = []
            for row in heads.values():
                if row.next_attempt_at > now:
                    continue  # the lane's head is backing off; the lane waits to keep order
                result = await session.execute(
                    update(OutboxMessage)
                    .where(and_(OutboxMessage.id == row.id, OutboxMessage.status == "pending"))
                    .values(
                        status="sending",
                        claimed_by=self.worker,
                        claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS),
                        attempts=OutboxMessage.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(row)
                if len(claimed) >= self.batch:
                    break
            ids = [r.id for r in claimed]
        if not ids:
            return []
        async with self.db.session() as session:
            return list(
                (
                    await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
                ).all()
            )

    async def _deliver(self, row: OutboxMessage, now: dt.datetime, report: DeliveryReport) -> None:
        try:
            result = await self._send(row)
        except TransientError as exc:
            await self._retry_or_fail(row, now, str(exc), exc.retry_after, report)
            return
        except PermanentError as exc:
            await self._finish(row, "failed", error=str(exc))
            report.failed += 1
            log.error("event=outbox.failed id=%s kind=%s error=%s", row.id, row.kind, exc)
            return
        except Exception as exc:  # a bug here must not wedge the lane
            log.exception("event=outbox.error id=%s kind=%s", row.id, row.kind)
            await self._retry_or_fail(row, now, f"{type(exc).__name__}: {exc}", None, report)
            return
        if result is None:  # the card had a newer render queued behind it
            await self._finish(row, "superseded")
            report.superseded += 1
            return
        await self._finish(row, "sent", result=result, sent_at=now)
        report.sent += 1

    async def _retry_or_fail(
        self, row: OutboxMessage, now: dt.datetime, error: str, retry_after: float | None,
        report: DeliveryReport,
    ) -> None:
        if row.attempts >= MAX_ATTEMPTS:
            await self._finish(row, "failed", error=error)
            report.failed += 1
            log.error("event=outbox.gave_up id=%s kind=%s error=%s", row.id, row.kind, error)
            return
        delay = backoff(row.attempts, retry_after)
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == self.worker)
                .values(
                    status="pending", claimed_by=None, claimed_until=None, last_error=error,
                    next_attempt_at=now + dt.timedelta(seconds=delay),
                )
            )
        report.retried += 1
        log.warning(
            "event=outbox.retry id=%s kind=%s attempt=%s delay=%.1f error=%s",
            row.id, row.kind, row.attempts, delay, error,
        )

    async def _finish(
        self, row: OutboxMessage, status: str, *, error: str | None = None,
        result: dict[str, Any] | None = None, sent_at: dt.datetime | None = None,
    ) -> None:
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(
                    status=status, claimed_by=None, claimed_until=None, last_error=error,
                    result=result, sent_at=sent_at,
                )
            )

    async def _send(self, row: OutboxMessage) -> dict[str, Any] | None:
        if row.kind == KIND_EMAIL:
            if self.send_email is None:
                raise TransientError("email is not configured (SMTP); kept for later")
            await self.send_email(row.payload)
            return {}
        if self.slack is None:
            raise TransientError("Slack is not configured; kept for later")
        if row.kind == KIND_CARD:
            return await self._send_card(row)
        if row.kind == KIND_MESSAGE:
            resp = await self._slack("chat_postMessage", **row.payload)
            return {"channel": resp.get("channel"), "ts": resp.get("ts")}
        if row.kind == KIND_EPHEMERAL:
            await self._slack("chat_postEphemeral", **row.payload)
            return {}
        raise PermanentError(f"unknown outbox kind {row.kind!r}")

    async def _send_card(self, row: OutboxMessage) -> dict[str, Any] | None:
        sid = int(row.payload["submission_id"])
        async with self.db.session() as session:
            newer = await session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.lane == row.lane,
                    OutboxMessage.kind == KIND_CARD,
                    OutboxMessage.status == "pending",
                    OutboxMessage.id > row.id,
                    OutboxMessage.payload["submission_id"].as_integer() == sid,
                ).limit(1)
            )
            if newer is not None:
                return None  # a later render of the same card is queued behind us: superseded
            submission = await session.get(Submission, sid)
            if submission is None:
                raise PermanentError(f"submission {sid} is gone")
            blocks = card_blocks(submission)
            text = card_text(submission)
            channel = submission.card_channel or row.payload["channel"]
            ts = submission.card_ts
        if ts:
            await self._slack("chat_update", channel=channel, ts=ts, text=text, blocks=blocks)
            return {"channel": channel, "ts": ts}
        resp = await self._slack(
            "chat_postMessage", channel=channel, text=text, blocks=blocks, unfurl_links=False
        )
        async with self.db.transaction() as session:
            await _remember_card(session, sid, str(resp.get("channel") or channel), resp.get("ts"))
        return {"channel": resp.get("channel"), "ts": resp.get("ts")}

    async def _slack(self, method: str, **kwargs: Any) -> Any:
        assert self.slack is not None
        try:
            return await getattr(self.slack, method)(**kwargs)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = exc.response.get("error") if exc.response is not None else None
            if status == 429:
                retry = exc.response.headers.get("Retry-After") or exc.response.headers.get(
                    "retry-after"
                )
                raise TransientError(
                    f"{method}: rate limited", retry_after=float(retry or 1)
                ) from None
            if status >= 500:
                raise TransientError(f"{method}: HTTP {status}") from None
            if error in _PERMANENT_SLACK:
                raise PermanentError(f"{method}: {error}") from None
            raise TransientError(f"{method}: {error or status}") from None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise TransientError(f"{method}: {type(exc).__name__}: {exc}") from None



async def _remember_card(session: AsyncSession, sid: int, channel: str, ts: Any) -> None:
    await session.execute(
        update(Submission).where(Submission.id == sid).values(card_channel=channel, card_ts=ts)
    )
