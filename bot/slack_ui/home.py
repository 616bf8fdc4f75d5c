"""The App Home tab: the open call, the member's submissions, and for leaders the balance.

`load_home` reads the database; `home_view` is pure and escapes every piece of user text.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.curation.owed import (
    OwedTalk,
    open_count,
    owed_count,
    owed_per_leader,
    owed_talks,
    review_cycle,
)
from bot.focus import SHORT_NAMES, focus_label
from bot.mrkdwn import escape, escaped_short
from bot.slack_ui import messages
from bot.slack_ui.ids import EDIT_ACTION, HOME_SUBMIT_ACTION
from bot.slack_ui.ids import MINE_PUBLISH_ACTION as PUBLISH_ACTION
from bot.talks.cycles import current_cycle
from bot.talks.publish import LIST_LABEL, LISTABLE, REMOVE_LABEL, press_value
from bot.talks.status import CONFIRMED, speaker_label
from bot.talks.submissions import submissions_of
from bot.talks.versions import edit_closed
from storage.models import Cycle, Speaker, Submission

EDIT_BUTTONS = 25  # an actions block holds 25 elements
# Statuses the leaders see (an unconfirmed submission never reaches them).


OWED_SHOWN = 10  # the talks a leader owes a vote on, named on the Home tab; the rest counted


@dataclass
class Review:
    """The call under review (the open one, else the one whose deadline passed last): its
    confirmed submissions' balance at a glance, and the votes still owed. Counted in SQL."""

    by_focus: Counter[str] = field(default_factory=Counter)
    by_studio: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    leaders: int = 0
    cycle: Cycle | None = None
    open_talks: int = 0  # open for votes
    owed: int = 0  # of them, the ones this leader has neither voted on nor recused from
    owed_first: list[OwedTalk] = field(default_factory=list)  # the longest waiting of those
    owed_by: dict[str, int] = field(default_factory=dict)  # every leader who owes votes


@dataclass
class HomeData:
    user_id: str
    cycle: Cycle | None
    mine: list[Submission]
    review: Review | None  # None: not a leader
    editable: list[str] = field(default_factory=list)  # refs of the member's editable talks


async def load_home(session: AsyncSession, user_id: str, leaders: set[str] | None,
                    now: dt.datetime) -> HomeData:
    cycle = await current_cycle(session, now)
    mine = await submissions_of(session, user_id)
    review = None
    if leaders is not None and user_id in leaders:
        review = await load_review(session, user_id, leaders, now)
    return HomeData(user_id, cycle, mine, review, editable_refs(mine, now))


async def load_review(session: AsyncSession, user_id: str, leaders: set[str],
                      now: dt.datetime) -> Review:
    """Grouped counts and the first few owed talks: a handful of queries, none of them
    reading every talk of the call into Python."""
    review = Review(leaders=len(leaders), cycle=await review_cycle(session, now))
    if review.cycle is None:
        return review
    cid = review.cycle.id
    confirmed = (Submission.cycle_id == cid, Submission.status.in_(CONFIRMED))
    for focus, status, n in (await session.execute(
            select(Submission.focus_area, Submission.status, func.count())
            .where(*confirmed).group_by(Submission.focus_area, Submission.status))).all():
        review.by_focus[focus] += n
        review.by_status[status] += n
    for studio, speaker_studio, n in (await session.execute(
            select(Submission.studio, Speaker.studio, func.count())
            .join(Speaker, Speaker.id == Submission.speaker_id)
            .where(*confirmed).group_by(Submission.studio, Speaker.studio))).all():
        review.by_studio[(studio or speaker_studio or "—").strip() or "—"] += n
    review.open_talks = await open_count(session, cid)
    if review.open_talks:
        review.owed = await owed_count(session, cid, user_id)
        review.owed_first = await owed_talks(session, cid, user_id, limit=OWED_SHOWN)
        review.owed_by = await owed_per_leader(session, cid, leaders)
    return review


def editable_refs(mine: list[Submission], now: dt.datetime) -> list[str]:
    return [s.ref for s in mine if s.ref and edit_closed(s, now) is None]


def edit_buttons(refs: list[str], command: str) -> list[dict[str, Any]]:
    """An Edit button per editable talk (the newest first), within an actions block's 25."""
    if not refs:
        return []
    buttons = [{"type": "button", "action_id": f"{EDIT_ACTION}:{n}", "value": ref,
                "text": {"type": "plain_text", "text": f"Edit {ref}"[:75]}}
               for n, ref in enumerate(refs[:EDIT_BUTTONS])]
    blocks: list[dict[str, Any]] = [{"type": "actions", "block_id": "edit_talks",
                                     "elements": buttons}]
    if len(refs) > EDIT_BUTTONS:
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"{len(refs) - EDIT_BUTTONS} more can be edited with `{command} edit REF`.")]})
    return blocks


def mine_blocks(mine: list[Submission], now: dt.datetime, command: str
                ) -> list[dict[str, Any]]:
    """`/wgml mine` as Block Kit: the list, then an Edit button per talk still editable."""
    lines = messages.mine(mine, command).split("\n")
    text = _lines_within(lines, "…and {n} more (the Home tab lists them too).")
    return [{"type": "section", "text": _mrkdwn(text)},
            *edit_buttons(editable_refs(mine, now), command),
            *publish_buttons(mine, command)]


def publish_buttons(mine: list[Submission], command: str) -> list[dict[str, Any]]:
    """A button per talk that can be on the public archive: it lists the talk, or takes it
    off (the newest first, within an actions block's 25)."""
    talks = [s for s in mine if s.ref and s.status in LISTABLE]
    if not talks:
        return []
    buttons = []
    for n, s in enumerate(talks[:EDIT_BUTTONS]):
        listed = s.publish is True
        buttons.append({
            "type": "button", "action_id": f"{PUBLISH_ACTION}:{n}",
            "value": press_value(s.id, not listed),
            "text": {"type": "plain_text",
                     "text": f"{REMOVE_LABEL if listed else LIST_LABEL} ({s.ref})"[:75]}})
    blocks: list[dict[str, Any]] = [{"type": "actions", "block_id": "publish_talks",
                                     "elements": buttons}]
    if len(talks) > EDIT_BUTTONS:
        blocks.append({"type": "context", "elements": [_mrkdwn(
            f"{len(talks) - EDIT_BUTTONS} more: `{command} unpublish REF` takes one off "
            "the public archive.")]})
    return blocks


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


SECTION_LIMIT = 2900  # Slack refuses a section text over 3000 characters


def _lines_within(lines: list[str], more: str) -> str:
    """Whole lines up to Slack's limit, never a line (or an entity, or a mention) cut."""
    kept: list[str] = []
    size = 0
    for n, line in enumerate(lines):
        if size + len(line) + 1 + len(more) + 10 > SECTION_LIMIT:
            kept.append(more.format(n=len(lines) - n))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def home_view(data: HomeData, zone: zoneinfo.ZoneInfo, command: str = "/wgml") -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header",
         "text": {"type": "plain_text", "text": "WG-ML Mutual Learning Sessions"}},
    ]
    submit = {"type": "button", "action_id": HOME_SUBMIT_ACTION, "style": "primary",
              "text": {"type": "plain_text", "text": "Submit a talk"}, "value": "submit"}
    if data.cycle is not None:
        c = data.cycle
        lines = [f"*Open call:* {escape(c.title)}",
                 f"*Deadline:* {messages.deadline_text(c, zone)}",
                 f"*Session:* {c.session_date:%A %d %B %Y}"]
        if c.theme:
            lines.append(f"*Theme:* {escaped_short(c.theme, 300)}")
        blocks.append({"type": "section", "text": _mrkdwn("\n".join(lines)), "accessory": submit})
    else:
        blocks.append({"type": "section", "text": _mrkdwn(
            "No call for speakers is open right now. You can still propose a talk: it waits "
            "for the next call."), "accessory": submit})
    blocks.append({"type": "divider"})
    if data.mine:
        lines = ["*Your submissions*"]
        for s in data.mine:
            where = escaped_short(s.cycle.title, 60) if s.cycle else "next call"
            lines.append(f"• `{s.ref}` {escaped_short(s.title, 80)} ({where}): "
                         f"*{speaker_label(s.status)}*")
        text = _lines_within(lines, f"…and {{n}} more: `{command} mine` lists them all.")
        blocks.append({"type": "section", "text": _mrkdwn(text)})
        blocks.extend(edit_buttons(data.editable, command))
    else:
        blocks.append({"type": "section", "text": _mrkdwn(
            f"You have no submissions yet. Press *Submit a talk* or type `{command} submit`.")})
    if data.review is not None:
        blocks.extend(_review_blocks(data.review, command))
    blocks.append({"type": "context", "elements": [_mrkdwn(
        f"`{command} help` explains every command. Talks share practical experience: "
        "no confidential information, no product pitches.")]})
    return {"type": "home", "blocks": blocks[:100]}


def _count_lines(counts: Counter[str], label: Any, limit: int = 12) -> str:
    if not counts:
        return "none yet"
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lines = [f"{escaped_short(label(k), 60)}: {n}" for k, n in ranked[:limit]]
    if len(ranked) > limit:
        lines.append(f"…and {len(ranked) - limit} more")
    return "\n".join(lines)


def _review_blocks(review: Review, command: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        {"type": "header", "text": {"type": "plain_text", "text": "For leaders: review"}},
    ]
    if review.cycle is None:
        blocks.append({"type": "section", "text": _mrkdwn("No call is open, nothing to review.")})
        return blocks
    focus = Counter({k: review.by_focus.get(k, 0) for k in SHORT_NAMES} | review.by_focus)
    blocks.append({"type": "section", "text": _mrkdwn(
        f"*{escaped_short(review.cycle.title, 150)}*: "
        f"{sum(review.by_status.values())} confirmed talks, {review.open_talks} open for votes.")})
    blocks.append({"type": "section", "fields": [
        _mrkdwn("*By focus area*\n" + "\n".join(
            f"{escape(focus_label(k))}: {n}" for k, n in focus.items())),
        _mrkdwn("*By studio*\n" + _count_lines(review.by_studio, str)),
        _mrkdwn("*By status*\n" + _count_lines(
            review.by_status, speaker_label)),
        _mrkdwn(f"*Leaders*\n{review.leaders}"),
    ]})
    if review.open_talks:
        blocks.append({"type": "section", "text": _mrkdwn(owed_text(review, command))})
    return blocks


def owed_text(review: Review, command: str) -> str:
    """"You owe votes on 750 talks", the longest waiting few, and where the rest are."""
    n = review.owed
    if n == 0:
        lines = [f"*You have voted on (or recused from) all {review.open_talks} open talks.*"]
    else:
        lines = [f"*You owe votes on {n} talk{'s' if n != 1 else ''}* "
                 f"(of {review.open_talks} open for votes)"
                 + (", the longest waiting first:" if n > 1 else ":")]
        for talk in review.owed_first:
            lines.append(f"• `{escape(talk.ref)}` {escaped_short(talk.title, 80)}")
        if n > len(review.owed_first):
            lines.append(f"…and {n - len(review.owed_first)} more: "
                         f"`{command} review owed` lists all {n}, page by page.")
    others = sorted(review.owed_by.items(), key=lambda kv: (-kv[1], kv[0]))
    if others:
        shown = " · ".join(f"<@{u}> {k}" for u, k in others[:20])
        if len(others) > 20:
            shown += f" and {len(others) - 20} more leaders"
        lines.append(f"*Votes owed, by leader:* {shown}")
    else:
        lines.append("Every leader has voted on (or recused from) every open talk.")
    return _lines_within(lines, "…and {n} more lines")
