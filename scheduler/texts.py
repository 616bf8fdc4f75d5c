"""What scheduled posts and emails say: pure rendering, user text escaped for mrkdwn."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.focus import BOUNDARY_TEXT, FOCUS_AREAS, TALK_FORMAT, focus_label
from bot.slack_ui.mrkdwn import escape, escaped_short

_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,30}")
TEMPLATE_FIELDS = ("Title:", "Focus area:", "Abstract:", "Results:", "Studio:")


@dataclass(frozen=True)
class CallFacts:
    cycle_id: int
    title: str
    theme: str | None
    deadline: dt.datetime
    session_date: dt.date


def deadline_local(deadline: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    local = deadline.astimezone(zone)
    return f"{local:%A %d %B %Y} (end of day, {zone.key})"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:2900]}}


def call_post(call: CallFacts, zone: zoneinfo.ZoneInfo, command: str,
              bot_email: str | None) -> tuple[str, list[dict[str, Any]]]:
    theme = f"\nTheme: *{escape(call.theme)}*" if call.theme else ""
    how = f"• In Slack: type `{command} submit` and fill in the short form."
    if bot_email:
        how += (f"\n• By email: reply to the call on the mailing list, or write to "
                f"{escape(bot_email)}, with the template below.")
    else:
        how += "\n• By email: reply to the call on the mailing list with the template below."
    text = (
        f":mega: *Call for speakers: {escape(call.title)}*{theme}\n"
        f"Session on {call.session_date:%A %d %B %Y}. "
        f"Deadline: *{deadline_local(call.deadline, zone)}*."
    )
    blocks = [
        _section(text),
        _section(f"*What we are looking for*\n{escape(TALK_FORMAT)}"),
        _section(f"*How to submit*\n{how}"),
        _section(f"```{template_text()}```"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(BOUNDARY_TEXT)}]},
    ]
    plain = (f"Call for speakers: {escape(call.title)}. Deadline "
             f"{deadline_local(call.deadline, zone)}. Submit with `{command} submit` or by "
             f"replying to the call by email.")
    return plain, blocks


def template_text() -> str:
    areas = ", ".join(focus_label(k) for k in FOCUS_AREAS)
    return (
        "Title: <a short title>\n"
        f"Focus area: <one of: {areas}>\n"
        "Abstract: <the approach, a few sentences or an outline>\n"
        "Results: <what worked, what failed, surprises, production scalability>\n"
        "Studio: <your studio or organisation>"
    )


def call_email(call: CallFacts, zone: zoneinfo.ZoneInfo, command: str) -> tuple[str, str]:
    """Subject and plain-text body of the call for speakers to the mailing list."""
    subject = f"Call for speakers: {call.title} (session {call.session_date:%d %B %Y})"
    theme = f"Theme: {call.theme}\n\n" if call.theme else ""
    body = (
        f"Hello WG-ML,\n\n"
        f"We are looking for speakers for {call.title}, on {call.session_date:%A %d %B %Y}.\n"
        f"{theme}"
        f"What we are looking for: {TALK_FORMAT}\n\n"
        f"Deadline: {deadline_local(call.deadline, zone)}.\n\n"
        f"To propose a talk, reply to this email with the template below filled in "
        f"(or use {command} submit in our Slack):\n\n"
        f"{template_text()}\n\n"
        f"{BOUNDARY_TEXT}\n\n"
        f"We will ask you to confirm that your talk contains no confidential information "
        f"before the leaders see it.\n\n"
        f"Thank you,\nthe WG-ML leaders (sent by wgml-bot)\n"
    )
    return subject, body


def channel_reminder(call: CallFacts, zone: zoneinfo.ZoneInfo, command: str, days: int,
                     now: dt.datetime) -> str:
    left = call.deadline - now
    if left < dt.timedelta(days=1):
        when = "today"
    elif days <= 1 or left < dt.timedelta(days=2):
        when = "tomorrow"
    else:
        when = f"in {left.days} days"
    return (
        f":alarm_clock: Reminder: the call for speakers for *{escape(call.title)}* closes "
        f"{when}, {deadline_local(call.deadline, zone)}. Propose a talk with "
        f"`{command} submit` or by replying to the call by email."
    )


def speaker_reminder(title: str, ref: str | None, deadline: dt.datetime,
                     zone: zoneinfo.ZoneInfo, by_email: bool, command: str = "/wgml") -> str:
    what = f"your talk \"{title}\"" + (f" ({ref})" if ref else "")
    how = (
        "reply to this email saying \"yes, I confirm\""
        if by_email else f"submit it again with `{command} submit` and tick the "
        "confidentiality box"
    )
    text = (
        f"Hello! {what} is waiting for one thing: your confirmation that it contains no "
        f"confidential information. Until then the leaders cannot see it. The deadline is "
        f"{deadline_local(deadline, zone)}. To confirm, {how}.\n\n{BOUNDARY_TEXT}"
    )
    return text if by_email else escape(text)


@dataclass
class DigestItem:
    ref: str
    title: str
    speaker: str
    studio: str
    focus_area: str
    status: str
    votes: dict[str, str] = field(default_factory=dict)  # voter -> yes|maybe|no


@dataclass
class DigestFacts:
    cycle_title: str
    deadline: dt.datetime
    items: list[DigestItem]
    pending_confirmation: int
    leaders: list[str] | None  # None when the channel's members could not be read


def digest_post(d: DigestFacts, zone: zoneinfo.ZoneInfo) -> tuple[str, list[dict[str, Any]]]:
    head = (
        f":clipboard: *Digest: {escape(d.cycle_title)}*: the call closed "
        f"{deadline_local(d.deadline, zone)}. {len(d.items)} confirmed submission"
        f"{'s' if len(d.items) != 1 else ''}"
    )
    if d.pending_confirmation:
        head += f", {d.pending_confirmation} still waiting for the speaker's confirmation"
    head += "."
    blocks: list[dict[str, Any]] = [_section(head)]
    lines = []
    for item in d.items:
        tally = Counter(item.votes.values())
        votes = " ".join(f"{k} {tally.get(k, 0)}" for k in ("yes", "maybe", "no"))
        lines.append(
            f"• `{escape(item.ref)}` *{escaped_short(item.title, 90)}*, "
            f"{escaped_short(item.speaker, 40)} ({escaped_short(item.studio or '?', 40)}), "
            f"{focus_label(item.focus_area)}: {votes}"
            + (f" [{item.status}]" if item.status != "submitted" else "")
        )
    for start in range(0, len(lines), 20):  # a section holds 3000 characters
        blocks.append(_section("\n".join(lines[start:start + 20])))
    areas = Counter(i.focus_area for i in d.items)
    studios = Counter((i.studio or "unknown").strip() for i in d.items)
    balance = ", ".join(f"{focus_label(k)} {areas.get(k, 0)}" for k in FOCUS_AREAS)
    studio_text = ", ".join(f"{escape(s)} {n}" for s, n in studios.most_common()) or "none"
    blocks.append(_section(f"*Focus areas*: {balance}\n*Studios*: {studio_text}"))
    blocks.append(_section(_not_voted(d)))
    text = head
    return text, blocks


def _not_voted(d: DigestFacts) -> str:
    if d.leaders is None:
        return "*Not voted yet*: unknown (the leadership channel's members could not be read)."
    votable = [i for i in d.items if i.status == "submitted"]
    missing = []
    for leader in d.leaders:
        if not _SLACK_ID.fullmatch(leader):
            continue  # only a well-formed user id becomes a mention
        left = sum(1 for i in votable if leader not in i.votes)
        if left:
            missing.append(f"<@{leader}> ({left})")
    if not missing:
        return "*Not voted yet*: everyone has voted on every open submission."
    return "*Not voted yet* (submissions left): " + ", ".join(missing)
