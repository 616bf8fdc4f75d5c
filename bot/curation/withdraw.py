"""`/wgml withdraw REF`: a speaker takes back their own talk, at any stage.

Even an accepted talk may be withdrawn (people change jobs, fall ill, lose approval); the
leaders' card then says so and a line in its thread makes sure they notice.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import select

from bot.audit import record
from bot.curation.notices import post_in_thread
from bot.curation.program import refresh_cycle_cards
from bot.curation.said import WithdrawAnswer, WithdrawnInThread
from bot.services import Services
from bot.talks.status import Status
from storage.models import Submission
from storage.outbox import enqueue_card

log = logging.getLogger("wgml.withdraw")

REF = re.compile(r"^[A-Z]{2,10}-[0-9]{4}-[0-9]{1,9}$")


async def withdraw_command(services: Services, user_id: str, rest: str) -> WithdrawAnswer:
    """Withdraw the user's submission REF; returns what to tell them (a value the surface
    words: bot/slack_ui/said_curation.py)."""
    command = services.settings.slack_command
    ref = rest.strip().strip("`").upper()
    if not ref:
        return WithdrawAnswer("usage", command)
    if not REF.match(ref):
        return WithdrawAnswer("bad_ref", command, ref[:40])
    if not user_id:
        return WithdrawAnswer("no_user", command, ref)
    async with services.db.transaction() as session:
        locked = await session.scalar(
            select(Submission.id).where(Submission.ref == ref).with_for_update()
        )
        sub = await session.get(Submission, locked, populate_existing=True) if locked else None
        if sub is None:
            return WithdrawAnswer("not_found", command, ref)
        if sub.speaker.slack_user_id != user_id:
            log.info("event=withdraw.not_owner user=%s ref=%s", user_id, ref)
            await record(session, user_id, "withdraw.refused", submission_id=sub.id,
                         detail={"reason": "not_speaker"})
            return WithdrawAnswer("not_yours", command, ref)
        title = sub.title
        if sub.status == Status.WITHDRAWN:
            return WithdrawAnswer("already", command, ref, title)
        previous = sub.status
        sub.status = Status.WITHDRAWN
        sub.updated_at = services.now()
        await record(session, user_id, "submission.withdrawn", submission_id=sub.id,
                     detail={"previous": previous})
        channel = sub.card_channel or services.settings.leadership_channel_id
        # An unconfirmed talk never reached the leaders: there is no card to update.
        if sub.confidentiality_confirmed and channel:
            await enqueue_card(session, sub.id, channel)
        if previous == Status.ACCEPTED:
            if channel:  # a slot is free again: the other cards show it
                await refresh_cycle_cards(session, sub.cycle_id, sub.id, channel, -1)
            await post_in_thread(session, sub, "", key=f"withdrawn:{sub.id}",
                                 said=WithdrawnInThread(user_id))
    log.info("event=withdraw.done user=%s ref=%s previous=%s", user_id, ref, previous)
    return WithdrawAnswer("done", command, ref, title, str(previous))
