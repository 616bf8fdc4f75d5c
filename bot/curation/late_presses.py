"""Vote presses the database could not store within Slack's time: kept, then applied.

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
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from sqlalchemy import delete, select

from bot.curation.actions import Press, handle_press
from bot.services import Services
from storage.models import LatePress

log = logging.getLogger("wgml.curation")

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
