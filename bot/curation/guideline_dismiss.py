"""A leader dismissing a guideline concern on a card: the concern is a note for the leaders,
never a verdict, and one of them may judge that it does not matter for this talk. Kept (and
audited) once, shown as dismissed on every later render and on later versions that raise the
same concern; anyone but a leader is told no, privately. A replayed press changes nothing.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from bot.curation.actions import Press, answer
from bot.curation.choice import another_talks_block
from bot.curation.notes import leader_check
from bot.curation.said import Refusal
from bot.guidelines.stored import dismiss
from bot.services import Services
from bot.talks.status import Status
from storage.models import Submission
from storage.outbox import enqueue_card

log = logging.getLogger("wgml.curation")

_VALUE = re.compile(r"^([0-9]{1,12}):([0-9a-f]{12})$")


def parse_value(value: str) -> tuple[int, str] | None:
    """The Dismiss button's value, "12:<concern id>"; None when unreadable."""
    match = _VALUE.match(value or "")
    return (int(match.group(1)), match.group(2)) if match else None


async def dismiss_press(services: Services, press: Press) -> str:
    """Dismiss the pressed concern; returns the outcome (refused, invalid, missing, gone,
    already, dismissed)."""
    refusal = await leader_check(services, press.user)
    if refusal is not None:
        await answer(services, press, Refusal.DISMISS_FOR_LEADERS
                     if refusal is Refusal.NOT_A_LEADER else refusal)
        services.deliverer.kick()
        return "refused"
    target = parse_value(press.value)
    if target is None or another_talks_block(target[0], press.block_id):
        await answer(services, press, Refusal.BAD_VALUE)
        services.deliverer.kick()
        return "invalid"
    sid, cid = target
    async with services.db.transaction() as session:
        # One press at a time per talk: the stored reading is rewritten whole.
        locked = await session.scalar(
            select(Submission.id).where(Submission.id == sid).with_for_update())
        sub = await session.get(Submission, locked, populate_existing=True) if locked else None
        if sub is None or sub.status == Status.PENDING_CONFIRMATION:
            outcome = "missing"
        else:
            outcome = (await dismiss(session, sub, cid, leader=press.user,
                                     now=services.now())).outcome
            channel = sub.card_channel or services.settings.leadership_channel_id
            if outcome in ("dismissed", "gone") and channel:
                await enqueue_card(session, sub.id, channel)
    if outcome in ("missing", "gone"):
        await answer(services, press, Refusal.MISSING if outcome == "missing"
                     else Refusal.CONCERN_GONE)
    log.info("event=guideline.dismiss user=%s submission=%s outcome=%s", press.user, sid,
             outcome)
    services.deliverer.kick()
    return outcome
