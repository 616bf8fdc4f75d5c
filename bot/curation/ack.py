"""Acknowledging card presses within Slack's 3 seconds, and only once they are stored.

settle_press runs a press's work for at most ACK_BUDGET. Vote presses the database could not
store within that time are kept, then applied:

A press is acknowledged once its vote has committed. When the database is slower than
that (a lock held by a long transaction, an overloaded server), the acknowledgement used to
go out anyway and the vote finish afterwards: a failure then lost a vote the leader had seen
accepted. Now, at the budget, the press itself is written to `late_presses` (one small
insert, on no lock anyone holds) and only then acknowledged; if even that cannot be done in
time the press is not acknowledged at all, and Slack tells the leader it did not go through.

A kept press is applied as what it is, a press Slack could have retried: through the whole
press path again (leader check, rules, answers), with a retry number, so it never counts
twice and never undoes a newer vote (bot.curation.vote_batch compares Slack's action_ts with that
of the press behind the stored vote). Its row is deleted once applied; applying it twice
changes nothing, so neither a crash between the two steps nor two replicas applying it at
once does harm.
It is applied as soon as the original work ends (committed or failed), and by the
scheduler's tick (every 30 s, and at start-up) when it is older than KEPT_GRACE: after a
crash, or when applying failed too.

Only votes are kept: a decision replayed late could undo a newer undo. A slow decision is
not acknowledged (it may still commit; pressing again then answers nothing new).

The press path (bot.curation.actions and what it reads) is imported at the first press or
the first kept press: the tick's look for kept presses, at start-up and every 30 s, does not
load it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from bot.services import Services
from storage.models import LatePress

if TYPE_CHECKING:
    from bot.curation.actions import Press

log = logging.getLogger("wgml.curation")

ACK_BUDGET = 2.0  # seconds of work before keeping the press instead (Slack allows 3)
KEEP_BUDGET = 0.6  # seconds to keep it (in late_presses) before not acknowledging
# The card's re-render waits this long after a press, so a burst's acknowledgements go out
# before the deliverer renders on the same event loop (one render for the burst anyway).
RENDER_AFTER = 0.2
_LATE: set[asyncio.Future[Any]] = set()  # work still going on after the answer


KEPT_GRACE = dt.timedelta(seconds=60)  # the tick leaves younger rows to the original work
REPLAY_LIMIT = 200  # rows per tick: a backlog drains over ticks, never in one long one
VOTE_ACTION = re.compile(r"^vote_")


def keepable(press: Press) -> bool:
    return VOTE_ACTION.match(press.action_id) is not None


async def keep(services: Services, press: Press) -> int:
    """Write the press down in its own transaction; its row id."""
    received = services.now()
    # A press without Slack's time is dated when it reached us: the replay's guard against
    # undoing a newer vote needs a time.
    stamp = press.action_ts or f"{received.timestamp():.6f}"
    async with services.db.transaction() as session:
        row = LatePress(user=press.user, action_id=press.action_id, value=press.value,
                        channel=press.channel, action_ts=stamp, retry_num=press.retry_num,
                        received_at=received)
        session.add(row)
        await session.flush()
        log.warning("event=curation.press_kept id=%s user=%s action=%s", row.id, press.user,
                    press.action_id)
        return row.id


async def replay(services: Services, ids: list[int] | None = None) -> int:
    """Apply kept presses (these ids, or every one older than KEPT_GRACE); how many were
    applied and removed. One that fails, or finds Slack unable to say who the leaders are,
    stays for the next tick."""
    if services.leaders is None:
        return 0  # no Slack app here to say who the leaders are: the service applies them
    query = select(LatePress).order_by(LatePress.id).limit(REPLAY_LIMIT)
    if ids is not None:
        query = query.where(LatePress.id.in_(ids))
    else:
        query = query.where(LatePress.received_at <= services.now() - KEPT_GRACE)
    async with services.db.session() as session:
        rows = list((await session.scalars(query)).all())
    if not rows:
        return 0
    from bot.curation.actions import Press, handle_press

    applied = 0
    for row in rows:
        press = Press(user=row.user, action_id=row.action_id, value=row.value,
                      channel=row.channel, action_ts=row.action_ts,
                      retry_num=max(1, row.retry_num))
        try:
            outcome = await handle_press(services, press)
        except Exception as exc:
            log.error("event=curation.kept_press_failed id=%s error=%s", row.id,
                      type(exc).__name__)
            continue
        if outcome == "unavailable":
            continue
        async with services.db.transaction() as session:
            await session.execute(delete(LatePress).where(LatePress.id == row.id))
        applied += 1
        log.info("event=curation.kept_press_applied id=%s outcome=%s", row.id, outcome)
    if applied:
        services.deliverer.kick()
    return applied


async def settle_press(services: Services, press: Press) -> bool:
    """Whether the press may be acknowledged: True once it is stored (or refused and
    answered), or, when that takes longer than ACK_BUDGET, once a vote press is kept in
    late_presses; False when neither happened in time, so the press is
    not acknowledged. The work goes on in the background either way (see drain_presses)."""
    from bot.curation.actions import handle_press

    work = asyncio.ensure_future(handle_press(services, press))
    done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET)
    if done and not work.cancelled() and work.exception() is None:
        _report(work)
        services.deliverer.kick(RENDER_AFTER)
        return True
    # Slow, or failed at once (nothing committed): a vote press is kept as for a slow one,
    # so an acknowledged press is still a stored one; anything else is not acknowledged.
    log.warning("event=curation.slow_press user=%s action=%s failed=%s", press.user,
                press.action_id, bool(done))
    _LATE.add(work)
    keeping = (asyncio.ensure_future(keep(services, press))
               if keepable(press) else None)
    kept = False
    if keeping is not None:
        _LATE.add(keeping)
        written, _ = await asyncio.wait({keeping}, timeout=KEEP_BUDGET)
        kept = bool(written) and not keeping.cancelled() and keeping.exception() is None

    def finished(_: asyncio.Future[Any]) -> None:
        if not work.done() or (keeping is not None and not keeping.done()):
            return  # the other one calls again
        if work not in _LATE:
            return  # both were done when their callbacks ran: the first call did it all
        for task in (work, keeping):
            if task is not None:
                _LATE.discard(task)
                _report(task)
        services.deliverer.kick()
        if keeping is not None and not keeping.cancelled() and keeping.exception() is None:
            # Applied now, as the retry Slack could have sent: a no-op if the work committed.
            _LATE.add(asyncio.ensure_future(_apply_kept(services, keeping.result())))

    work.add_done_callback(finished)
    if keeping is not None:
        keeping.add_done_callback(finished)
    if not kept:
        log.error("event=curation.press_not_acknowledged user=%s action=%s", press.user,
                  press.action_id)
    return kept


async def _apply_kept(services: Services, row_id: int) -> None:
    try:
        await replay(services, [row_id])
    finally:
        _LATE.discard(asyncio.current_task())


async def drain_presses(timeout: float = 10.0) -> None:
    """Wait for presses still finishing after their answer, and for the kept presses they
    leave behind (at shutdown, and in tests)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while _LATE:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            return
        await asyncio.wait(set(_LATE), timeout=left)
        await asyncio.sleep(0)  # let done-callbacks add what follows


def _report(task: asyncio.Future[Any]) -> None:
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None:
        # Nothing was committed (the transaction rolled back); the leader can press again.
        log.error("event=curation.press_failed error=%s", type(exc).__name__, exc_info=exc)
