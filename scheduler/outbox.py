"""Delivering the outbox: claimed in the database, retried with backoff, ordered per lane.

Guarantees, stated honestly:
- Nothing queued is lost: a row leaves `pending` only for `sent`, `failed` (kept, visible in
  `wgml-bot outbox`, retryable) or `superseded` (a newer render of the same card).
- One lane (a Slack channel, or email) delivers in order, one message at a time; lanes are
  independent, so one slow or rate-limited channel never holds up another.
- Slack posts are sent at most once in practice: every `chat.postMessage` carries the row's
  idempotency key in message `metadata`, and a row whose earlier attempt may have reached
  Slack (a process died holding it, a timeout, a dropped connection, a 5xx) is only posted
  again after `conversations.history` shows no message with that key. If the history cannot
  be read (missing scope), the post is repeated: at-least-once, and logged as such.
- A claim is a lease on the real clock (CLAIM_SECONDS); a claim held by a process on this
  host that no longer exists is released at once, so a restart after SIGKILL resumes at once.
- Email is at-least-once. SMTP has no way to ask whether a message was accepted, so a row
  whose attempt may have reached the server (a process died holding it, a connection lost
  after DATA) is sent again, with the Message-ID fixed when it was queued: receivers and
  list servers that de-duplicate by Message-ID drop the copy, and the resend is logged
  (event=outbox.email_maybe_repeated). Holding such a row back instead would trade a rare
  duplicate for a rare lost confirmation request; the window itself is one UPDATE long.
  One SMTP conversation is bounded (EMAIL_SEND_SECONDS) to end inside its claim, so a slow
  server never lets a second replica send a message the first is still sending.
- A stop (SIGTERM) lets the deliveries in hand finish for STOP_GRACE seconds; then their
  call to Slack or SMTP is abandoned and the row goes back to `pending`, marked uncertain
  (the next attempt checks before sending again). Database work is never cut half-way.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import real_clock
from bot.slack_ui.card_view import CardView
from scheduler.outbox_policy import (
    CLAIM_SECONDS,
    HOT_SECONDS,
    MAX_ATTEMPTS,
    POST_INTERVAL,
    UNCERTAIN,
    Clock,
    EmailSender,
    PermanentError,
    TransientError,
    backoff,
    claim_is_dead,
)
from scheduler.outbox_send import Abandoned, RowSender, SiteBuilder
from scheduler.slack_errors import MAX_RATE_LIMITED_ATTEMPTS
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger("wgml.outbox")

STOP_GRACE = 5.0  # seconds a stop gives a send in hand before abandoning its network call
T = TypeVar("T")

__all__ = [
    "CLAIM_SECONDS",
    "MAX_ATTEMPTS",
    "UNCERTAIN",
    "Deliverer",
    "DeliveryReport",
    "EmailSender",
    "PermanentError",
    "TransientError",
    "backoff",
]

@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    superseded: int = 0
    deduplicated: int = 0

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.superseded += other.superseded
        self.deduplicated += other.deduplicated

    @property
    def progressed(self) -> bool:
        return bool(self.sent or self.superseded or self.failed or self.deduplicated)


class Deliverer(RowSender):
    def __init__(
        self,
        db: Database,
        slack: AsyncWebClient | None,
        send_email: EmailSender | None = None,
        *,
        worker: str | None = None,
        batch: int = 50,
        clock: Clock = real_clock,
        lease_clock: Clock = real_clock,
        card_view: CardView | None = None,
        site_builder: SiteBuilder | None = None,
    ) -> None:
        self.db = db
        self.site_builder = site_builder  # SITE_DIR set: `site.rebuild` rows build the site
        self.card_view = card_view  # how cards show votes (VOTE_VISIBILITY, LEADER_STUDIOS)
        # Our own client without the SDK's silent connection-error retry: a retry here must
        # go through the duplicate check, not be re-sent blindly.
        self.slack = (
            AsyncWebClient(token=slack.token, base_url=slack.base_url, timeout=slack.timeout,
                           retry_handlers=[])
            if slack is not None else None
        )
        self.send_email = send_email
        self.host = socket.gethostname()
        self.worker = worker or f"{self.host}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.batch = batch
        self.clock = clock
        self.lease_clock = lease_clock
        self._wake = asyncio.Event()
        self._later: asyncio.TimerHandle | None = None
        self._stopping = False
        self._abandon = asyncio.Event()  # set STOP_GRACE after stop(): drop network calls
        self._abandon_later: asyncio.TimerHandle | None = None
        # Pacing (run_forever only): a lane Slack rate-limited recently ("hot") posts at most
        # once per POST_INTERVAL, so it does not spend each second on a 429 and a backoff.
        self._hot: dict[str, float] = {}  # lane -> monotonic time its pacing ends
        self._paced: dict[str, float] = {}  # lane -> monotonic time of its next allowed post

    def kick(self, after: float = 0.0) -> None:
        """Ask the running loop to deliver now (after a commit that queued something), or
        `after` seconds from now: many kicks meanwhile make one wake-up."""
        if after <= 0:
            self._wake.set()
        elif self._later is None or self._later.cancelled() or \
                self._later.when() <= asyncio.get_running_loop().time():
            self._later = asyncio.get_running_loop().call_later(after, self._wake.set)

    def stop(self, grace: float | None = None) -> None:
        """Claim nothing new; let the deliveries in hand finish, for `grace` seconds at most
        (then their Slack or SMTP call is abandoned and the row kept for later); then return
        from run_forever."""
        self._stopping = True
        self._wake.set()
        if self._abandon_later is None:
            self._abandon_later = asyncio.get_running_loop().call_later(
                STOP_GRACE if grace is None else grace, self._abandon.set)

    async def run_forever(self, idle: float = 1.0) -> None:
        """Deliver continuously; each lane's head in its own task so lanes never wait on
        each other."""
        inflight: dict[str, asyncio.Task[None]] = {}
        self._stopping = False
        self._abandon.clear()
        if self._abandon_later is not None:
            self._abandon_later.cancel()
            self._abandon_later = None
        try:
            while not self._stopping or inflight:
                try:
                    room = 0 if self._stopping else self.batch - len(inflight)
                    skip = set(inflight) | self._paced_lanes()
                    rows = await self._claim(self.clock(), room, skip) if room else []
                    for row in rows:
                        task = asyncio.create_task(
                            self._deliver(row, self.clock(), DeliveryReport()))
                        inflight[row.lane] = task
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("event=outbox.loop_error")
                wake = asyncio.create_task(self._wake.wait())
                await asyncio.wait({wake, *inflight.values()}, timeout=self._nap(idle),
                                   return_when=asyncio.FIRST_COMPLETED)
                if not wake.done():
                    wake.cancel()
                self._wake.clear()
                for lane, task in list(inflight.items()):
                    if task.done():
                        del inflight[lane]
                        if not task.cancelled() and task.exception() is not None:
                            log.error("event=outbox.task_error lane=%s error=%r", lane,
                                      task.exception())
        finally:
            for task in inflight.values():
                task.cancel()

    def _paced_lanes(self) -> set[str]:
        now = time.monotonic()
        for lane in [lane for lane, until in self._paced.items() if until <= now]:
            del self._paced[lane]
        return set(self._paced)

    def _nap(self, idle: float) -> float:
        """Sleep until the next paced lane may post, or `idle`, whichever is sooner."""
        if not self._paced:
            return idle
        return max(0.0, min(idle, min(self._paced.values()) - time.monotonic()))

    def _posted(self, channel: str, retry_after: float | None = None) -> None:
        """Note a chat.postMessage (answered 429 when retry_after is given) for pacing."""
        lane, now = f"slack:{channel}", time.monotonic()
        if retry_after is not None:
            self._hot[lane] = now + HOT_SECONDS
            self._paced[lane] = now + retry_after
        elif self._hot.get(lane, 0.0) > now:
            self._paced[lane] = now + POST_INTERVAL
        elif lane in self._hot:
            del self._hot[lane]

    async def deliver_due(self, now: dt.datetime) -> DeliveryReport:
        """Deliver what is due at `now`: one row per lane at a time, lanes concurrently."""
        report = DeliveryReport()
        rows = await self._claim(now, self.batch, set())
        if not rows:
            return report
        # A graceful stop goes through stop(), which lets deliveries in hand finish; a cancel
        # here is treated as the process dying (the claim's lease then hands the row over).
        await asyncio.gather(*(self._deliver(row, now, report) for row in rows))
        return report

    async def drain(self, now: dt.datetime, max_rounds: int = 10_000) -> DeliveryReport:
        """Deliver everything due at `now`, lane by lane, until nothing more is due."""
        total = DeliveryReport()
        for _ in range(max_rounds):
            report = await self.deliver_due(now)
            total.add(report)
            if not report.progressed:
                break
        return total

    async def _release_dead_claims(self, session: AsyncSession, now: dt.datetime) -> None:
        lease_now = self.lease_clock()
        rows = (await session.execute(
            select(OutboxMessage.id, OutboxMessage.claimed_by, OutboxMessage.claimed_until)
            .where(OutboxMessage.status == "sending"))).all()
        for row_id, claimed_by, until in rows:
            expired = until is None or until <= lease_now
            if not expired and not claim_is_dead(claimed_by, self.host):
                continue
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "sending")
                .values(status="pending", claimed_by=None, claimed_until=None,
                        result={UNCERTAIN: True}, next_attempt_at=now,
                        last_error=f"claim of {claimed_by} lapsed mid-delivery; "
                                   "checking before sending again")
            )
            log.warning("event=outbox.claim_released id=%s worker=%s", row_id, claimed_by)

    async def _claim(self, now: dt.datetime, limit: int, skip_lanes: set[str]
                     ) -> list[OutboxMessage]:
        real_now = self.lease_clock()
        async with self.db.transaction() as session:
            await self._release_dead_claims(session, now)
            # The head of each lane: its oldest message not yet finished. A lane whose head
            # is being sent, or is backing off, waits (order within a lane is kept).
            heads = (await session.execute(
                select(OutboxMessage.lane, func.min(OutboxMessage.id))
                .where(OutboxMessage.status.in_(("pending", "sending")))
                .group_by(OutboxMessage.lane))).all()
            head_ids = [hid for lane, hid in heads if lane not in skip_lanes]
            if not head_ids:
                return []
            candidates = (await session.scalars(
                select(OutboxMessage).where(OutboxMessage.id.in_(head_ids),
                                            OutboxMessage.status == "pending")
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id))).all()
            ids: list[int] = []
            for row in candidates:
                # Backoff is measured on `now` (tick's NOW); a message never tried is due by
                # the real clock as well, so a tick at an earlier NOW still sends fresh rows.
                fresh_due = row.attempts == 0 and row.next_attempt_at <= real_now
                if row.next_attempt_at > now and not fresh_due:
                    continue
                result = await session.execute(
                    update(OutboxMessage)
                    .where(and_(OutboxMessage.id == row.id, OutboxMessage.status == "pending"))
                    .values(
                        status="sending",
                        claimed_by=self.worker,
                        claimed_until=real_now + dt.timedelta(seconds=CLAIM_SECONDS),
                        attempts=OutboxMessage.attempts + 1,
                    )
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:  # type: ignore[attr-defined]
                    ids.append(row.id)
                if len(ids) >= limit:
                    break
        if not ids:
            return []
        async with self.db.session() as session:
            return list(
                (
                    await session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))
                ).all()
            )

    async def _put_back(self, row: OutboxMessage, now: dt.datetime, error: str) -> None:
        """A send cut short by a stop: pending again, due at once, checked before resending
        (it may have arrived). Not counted against the row's attempts."""
        async with self.db.transaction() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claimed_by == self.worker)
                .values(status="pending", claimed_by=None, claimed_until=None,
                        last_error=error, result={UNCERTAIN: True},
                        attempts=OutboxMessage.attempts - 1,
                        next_attempt_at=now)
            )
        log.warning("event=outbox.abandoned_at_stop id=%s kind=%s lane=%s", row.id, row.kind,
                    row.lane)

    async def _deliver(self, row: OutboxMessage, now: dt.datetime, report: DeliveryReport) -> None:
        try:
            result = await self._send(row)
        except Abandoned as exc:
            await self._put_back(row, now, str(exc))
            return
        except TransientError as exc:
            await self._retry_or_fail(row, now, str(exc), exc.retry_after, report,
                                      uncertain=exc.uncertain)
            return
        except PermanentError as exc:
            await self._finish(row, "failed", error=str(exc))
            report.failed += 1
            log.error("event=outbox.failed id=%s kind=%s error=%s", row.id, row.kind, exc)
            return
        except Exception as exc:  # a bug here must not wedge the lane
            log.exception("event=outbox.error id=%s kind=%s", row.id, row.kind)
            await self._retry_or_fail(row, now, f"{type(exc).__name__}: {exc}", None, report,
                                      uncertain=True)
            return
        if result is None:  # the card had a newer render queued behind it
            await self._finish(row, "superseded")
            report.superseded += 1
            return
        if result.pop("deduplicated", False):
            report.deduplicated += 1
            log.warning("event=outbox.already_sent id=%s kind=%s", row.id, row.kind)
        else:
            report.sent += 1
        await self._finish(row, "sent", result=result, sent_at=now)
        log.info("event=outbox.sent id=%s kind=%s lane=%s attempt=%s", row.id, row.kind,
                 row.lane, row.attempts)

    async def _retry_or_fail(
        self, row: OutboxMessage, now: dt.datetime, error: str, retry_after: float | None,
        report: DeliveryReport, *, uncertain: bool = False,
    ) -> None:
        was_uncertain = bool(row.result and row.result.get(UNCERTAIN))
        if (row.attempts >= MAX_ATTEMPTS and retry_after is None) or \
                row.attempts >= MAX_RATE_LIMITED_ATTEMPTS:
            await self._finish(row, "failed", error=error,
                               result={UNCERTAIN: True} if uncertain or was_uncertain else None)
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
                    result={UNCERTAIN: True} if uncertain or was_uncertain else None,
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
