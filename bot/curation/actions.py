"""Leaders curating talks on the card: votes, decisions and undo.

Rules: only leaders act (members of LEADERSHIP_CHANNEL_ID); one vote per leader per
submission, changeable, held by the votes table's unique constraint through an upsert, so a
retried request or a hundred simultaneous presses can neither lose nor double a vote; votes
and decisions only while the talk is open ("submitted"). Every change is audited and the
card is re-rendered from the database at delivery, so it always shows what the database holds.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.curation import notices as notice
from bot.curation.choice import VALUE, BadPress, Choice, check_block, parse_choice
from bot.curation.program import program_for, refresh_cycle_cards, studio_key, talk_studio
from bot.curation.recusal import toggle_recusal
from bot.curation.said import (
    Answer,
    Closed,
    DecisionInThread,
    OverSlots,
    OwnVote,
    Refusal,
    StudioHeavy,
    answer_fields,
    attendance_asked,
)
from bot.curation.vote_batch import VotePress, batcher_for
from bot.leaders import LeadersUnavailable
from bot.services import Services
from bot.talks.status import Status
from bot.talks.votes import tally
from storage.models import Decision, Submission
from storage.outbox import KIND_EPHEMERAL, KIND_MESSAGE, enqueue, enqueue_card

log = logging.getLogger("wgml.curation")

OUTCOMES = {"accept": notice.ACCEPTED, "decline": notice.DECLINED}
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")


@dataclass(frozen=True)
class Press:
    """A button press on a card, as the handler read it from Slack's payload."""

    user: str
    action_id: str
    value: str
    channel: str = ""
    action_ts: str = ""
    retry_num: int = 0
    block_id: str = ""  # the card's actions block, "vote:12" or "undo:12" (not kept)


@dataclass(frozen=True)
class Result:
    outcome: str  # voted | changed | unchanged | decided | undone | closed | missing | ...
    answer: Answer | None = None  # what the presser is told (ephemeral), when anything


async def handle_press(services: Services, press: Press) -> str:
    """Check who pressed, then vote or decide; every refusal is explained to the presser."""
    channel = services.settings.leadership_channel_id
    if services.leaders is None or not channel:
        await _answer(services, press, Refusal.NOT_A_LEADER, audit="curation.refused")
        return "refused"
    try:
        leader = USER_ID.match(press.user) is not None and await services.leaders.is_leader(
            channel, press.user
        )
    except LeadersUnavailable:
        await _answer(services, press, Refusal.UNAVAILABLE)
        return "unavailable"
    if not leader:
        await _answer(services, press, Refusal.NOT_A_LEADER, audit="curation.refused")
        return "refused"
    try:
        choice = parse_choice(press.action_id, press.value)
        check_block(choice, press.block_id)
    except BadPress as exc:
        log.warning("event=curation.bad_press user=%s detail=%s", press.user, exc)
        await _answer(services, press, Refusal.BAD_VALUE, audit="curation.bad_press")
        return "invalid"
    now = services.now()
    if choice.is_vote:
        # Group commit (bot.curation.vote_batch): returns once this vote's batch has committed.
        outcome, said = await batcher_for(services.db).cast(VotePress(
            choice.submission_id, press.user, choice.choice, now, channel, press.retry_num,
            pressed_at(press.action_ts), action_us(press.action_ts)))
        if said is None and outcome in ("voted", "changed", "unchanged") \
                and services.settings.vote_visibility == "hidden":
            # Hidden votes: the card shows only that this leader voted; they alone are told
            # what their vote is.
            said = await _own_vote(services, choice)
        if said is not None:
            await _answer(services, press, said)
        log.info(
            "event=curation.press user=%s choice=%s submission=%s outcome=%s retry=%s",
            press.user, choice.choice, choice.submission_id, outcome, press.retry_num,
        )
        return outcome
    mail = Mail(services.settings.email_domain, services.settings.bot_email_address,
                services.settings.slack_command)
    async with services.db.transaction() as session:
        stamp = action_us(press.action_ts)
        if choice.choice == "toggle":
            locked = await _locked(session, choice.submission_id)
            if locked is None:
                result = Result("missing", Refusal.MISSING)
            else:
                result = Result(*await toggle_recusal(
                    session, locked, press.user, now=now, channel=channel, action_us=stamp))
        elif choice.choice == "undo":
            result = await undo_decision(session, choice.submission_id, press.user, now=now,
                                         channel=channel, mail=mail, action_us=stamp)
        else:
            result = await decide(session, choice.submission_id, press.user,
                                  OUTCOMES[choice.choice], now=now, channel=channel, mail=mail,
                                  action_us=stamp)
        if result.answer is not None:
            await _queue_answer(session, press, result.answer)
    log.info(
        "event=curation.press user=%s choice=%s submission=%s outcome=%s retry=%s",
        press.user, choice.choice, choice.submission_id, result.outcome, press.retry_num,
    )
    return result.outcome


async def _own_vote(services: Services, choice: Choice) -> OwnVote:
    async with services.db.session() as session:
        ref = await session.scalar(select(Submission.ref).where(
            Submission.id == choice.submission_id))
    return OwnVote(str(ref or choice.submission_id), choice.choice)


async def _locked(session: AsyncSession, submission_id: int) -> Submission | None:
    """The submission, locked against concurrent votes and decisions until commit."""
    locked = await session.scalar(
        select(Submission.id).where(Submission.id == submission_id).with_for_update()
    )
    if locked is None:
        return None
    return await session.get(Submission, submission_id, populate_existing=True)


@dataclass(frozen=True)
class Mail:
    """What a decision email needs from the settings: the Message-ID domain and Reply-To."""

    domain: str
    reply_to: str | None = None
    command: str = "/wgml"  # the slash command as configured, named in the speaker's DM


def _stale(sub: Submission, leader: str, stamp: int | None) -> Result | None:
    """A decision press older than the newest decision recorded on the card changes nothing.

    Why: a captured signed press can be replayed within Slack's 5 minutes (or resent by a load
    balancer, with or without X-Slack-Retry-Num); replayed after an undo it would decide the
    talk again and tell the speaker again. Slack's action_ts orders the presses. The leader's
    own press seen again is silent; one made before someone else's newer decision is told so.
    """
    if stamp is None:
        return None  # not from Slack's payload: nothing to order it by
    marks = [d for d in sub.decisions if d.action_us is not None and d.action_us >= stamp]
    if not marks:
        return None
    if any(d.by == leader for d in marks):
        return Result("stale")
    return Result("stale", Refusal.STALE_DECISION)


async def decide(session: AsyncSession, submission_id: int, leader: str, outcome: str, *,
                 now: dt.datetime, channel: str, mail: Mail,
                 action_us: int | None = None) -> Result:
    if outcome not in (notice.ACCEPTED, notice.DECLINED):
        raise BadPress(f"not a decision: {outcome!r}")
    sub = await _locked(session, submission_id)
    if sub is None:
        return Result("missing", Refusal.MISSING)
    if (stale := _stale(sub, leader, action_us)) is not None:
        return stale
    if sub.status != Status.SUBMITTED:
        if sub.status == outcome and sub.decided_by == leader:
            return Result("unchanged")  # this leader's own decision, pressed or sent again
        return Result("closed", Closed(sub.status, sub.decided_by, "decide"))
    sub.status = outcome
    sub.decided_by = leader
    sub.decided_at = now
    sub.updated_at = now
    decision = Decision(submission_id=sub.id, outcome=outcome, by=leader, at=now,
                        action_us=action_us)
    session.add(decision)
    await session.flush()
    votes = tally(v.value for v in sub.votes).as_dict()
    await enqueue_card(session, sub.id, sub.card_channel or channel)
    if outcome == notice.ACCEPTED:
        await refresh_cycle_cards(session, sub.cycle_id, sub.id, channel, +1)
    what = notice.Notice(outcome)
    if outcome == notice.ACCEPTED:
        # The acceptance itself asks whether they will present (its DM carries the
        # buttons, its email the question); an earlier answer no longer holds.
        sub.attendance, sub.attendance_at, sub.attendance_asked_at = None, None, now
    ways = await notice.notify_speaker(
        session, sub, what, key=f"decision:{decision.id}", email_domain=mail.domain,
        reply_to=mail.reply_to, command=mail.command,
        ask=attendance_asked(sub) if outcome == notice.ACCEPTED else None)
    await record(
        session, leader, f"decision.{outcome}", submission_id=sub.id,
        detail={"decision_id": decision.id, "votes": votes, "speaker_told": ways},
    )
    await notice.post_in_thread(session, sub, "", key=f"decision:{decision.id}",
                                said=DecisionInThread(leader, what.event, what.undone, ways))
    program = await program_for(session, sub.cycle) if outcome == notice.ACCEPTED else None
    if program is not None and program.accepted > program.slots:
        # Allowed (a session can run long, a talk may be withdrawn), but never unnoticed.
        return Result("decided", OverSlots(program.accepted, program.slots))
    if program is not None:
        # The card's Accept dialog no longer counts the balance (it would change on every
        # card with every decision): the presser hears it here, the channel in the summary.
        key = studio_key(talk_studio(sub))
        held = program.studios.get(key, 0) if key else 0
        if held >= 2 and held * 2 > max(program.accepted, program.slots):
            return Result("decided", StudioHeavy(program.spelled[key], held, program.accepted))
    return Result("decided")


async def undo_decision(session: AsyncSession, submission_id: int, leader: str, *,
                        now: dt.datetime, channel: str, mail: Mail,
                        action_us: int | None = None) -> Result:
    sub = await _locked(session, submission_id)
    if sub is None:
        return Result("missing", Refusal.MISSING)
    if (stale := _stale(sub, leader, action_us)) is not None:
        return stale
    if sub.status not in (notice.ACCEPTED, notice.DECLINED):
        last = sub.decisions[-1] if sub.decisions else None
        if sub.status == Status.SUBMITTED and last and last.outcome == notice.UNDONE \
                and last.by == leader:
            return Result("unchanged")  # the same undo, sent again
        return Result("closed", Closed(sub.status, sub.decided_by, "undo"))
    previous = sub.status
    sub.status = Status.SUBMITTED
    # An acceptance undone: whatever the speaker said about presenting no longer holds.
    sub.attendance, sub.attendance_at, sub.attendance_asked_at = None, None, None
    sub.decided_by = None
    sub.decided_at = None
    sub.updated_at = now
    decision = Decision(submission_id=sub.id, outcome=notice.UNDONE, by=leader, at=now,
                        action_us=action_us)
    session.add(decision)
    await session.flush()
    await enqueue_card(session, sub.id, sub.card_channel or channel)
    if previous == notice.ACCEPTED:
        await refresh_cycle_cards(session, sub.cycle_id, sub.id, channel, -1)
    what = notice.Notice(notice.UNDONE, undone=previous)
    ways = await notice.notify_speaker(session, sub, what, key=f"decision:{decision.id}",
                                       email_domain=mail.domain, reply_to=mail.reply_to,
                                       command=mail.command)
    await record(
        session, leader, "decision.undone", submission_id=sub.id,
        detail={"decision_id": decision.id, "undone": previous, "speaker_told": ways},
    )
    await notice.post_in_thread(session, sub, "", key=f"decision:{decision.id}",
                                said=DecisionInThread(leader, what.event, what.undone, ways))
    return Result("undone")


# ---- answers to the presser ----------------------------------------------------------------

def _answer_key(press: Press) -> str:
    # Slack repeats the payload, action_ts included, when it retries: one answer per press.
    stamp = press.action_ts[:40] if press.action_ts else uuid.uuid4().hex
    return f"press:{press.user[:32]}:{stamp}"


def _said(answer: Answer | str) -> dict[str, object]:
    """An answer as the outbox stores it: a value (rendered at delivery by the surface), or
    the text a listener worded itself."""
    if isinstance(answer, str) and not isinstance(answer, Refusal):
        return {"text": answer}
    return {"said": answer_fields(answer)}


async def _queue_answer(session: AsyncSession, press: Press, answer: Answer | str) -> bool:
    """Queue an ephemeral answer; False when this press was already answered (a retry)."""
    if not USER_ID.match(press.user):
        return False  # nobody to answer
    if press.channel:
        row = await enqueue(
            session, kind=KIND_EPHEMERAL, lane=f"slack:{press.channel}",
            payload={"channel": press.channel, "user": press.user, **_said(answer)},
            key=_answer_key(press),
        )
    else:  # no channel in the payload: a DM reaches the person all the same
        row = await enqueue(
            session, kind=KIND_MESSAGE, lane=f"slack:{press.user}",
            payload={"channel": press.user, **_said(answer)}, key=_answer_key(press),
        )
    return row is not None


async def _answer(services: Services, press: Press, answer: Answer | str, *,
                  audit: str | None = None) -> None:
    async with services.db.transaction() as session:
        fresh = await _queue_answer(session, press, answer)
        if audit and (fresh or not USER_ID.match(press.user)):
            sid = await _existing_submission(session, press.value)
            await record(
                session, press.user[:64] or "unknown", audit, submission_id=sid,
                detail={"action_id": press.action_id[:64], "value": press.value[:64],
                        "channel": press.channel[:32], "retry": press.retry_num},
            )
    log.info("event=curation.answered user=%s audit=%s action=%s", press.user[:32], audit,
             press.action_id[:64])


async def answer(services: Services, press: Press, said: Answer | str) -> None:
    """Tell the presser something privately (ephemeral, through the outbox), once a press:
    a value the surface words at delivery, or a listener's own text. A refusal of someone
    who is not a leader, and an unreadable or altered button, are audited as the vote's
    and decision's are."""
    audit = None
    if said is Refusal.NOT_A_LEADER:
        audit = "curation.refused"
    elif said is Refusal.BAD_VALUE:
        log.warning("event=curation.bad_press user=%s action=%s value=%r block=%r",
                    press.user[:32], press.action_id[:64], press.value[:40], press.block_id[:64])
        audit = "curation.bad_press"
    await _answer(services, press, said, audit=audit)


async def _existing_submission(session: AsyncSession, value: str) -> int | None:
    """The submission a button points at, when it exists (the audit row links to it)."""
    match = VALUE.match(value or "")
    if match is None:
        return None
    sid = int(match.group(1))
    return await session.scalar(select(Submission.id).where(Submission.id == sid))


def pressed_at(action_ts: str) -> dt.datetime | None:
    """Slack's action_ts ("1795594666.123456") as a UTC time; None when absent or odd."""
    try:
        seconds = float(action_ts)
    except ValueError:
        return None
    if not 0 < seconds < 1e11:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


_ACTION_TS = re.compile(r"^([0-9]{1,11})(?:\.([0-9]{1,9}))?$")


def action_us(action_ts: str) -> int | None:
    """Slack's action_ts ("1795594666.123456") in whole microseconds, exactly (no float);
    None when absent or odd. What orders a leader's presses on a card."""
    match = _ACTION_TS.match(action_ts or "")
    if match is None:
        return None
    seconds, fraction = match.group(1), (match.group(2) or "")[:6]
    stamp = int(seconds) * 1_000_000 + int(fraction.ljust(6, "0"))
    return stamp or None
