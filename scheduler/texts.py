"""What scheduled posts and emails say: pure rendering, user text escaped for mrkdwn."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.email.texts import excerpt
from bot.focus import BOUNDARY_TEXT, FOCUS_AREAS, TALK_FORMAT, focus_label
from bot.mrkdwn import escape, escaped_short, pack_lines
from bot.talks.status import DECIDED, Status
from bot.talks.votes import tally

_SLACK_ID = re.compile(r"[UW][A-Z0-9]{2,30}")


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
    # Callers size their text (whole lines, escaped user text bounded): cutting here would
    # break bold, an entity or a mention in half and lose what follows without a trace.
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def call_post(call: CallFacts, zone: zoneinfo.ZoneInfo, command: str,
              bot_email: str | None) -> tuple[str, list[dict[str, Any]]]:
    theme = f"\nTheme: *{escaped_short(call.theme, 500)}*" if call.theme else ""
    how = f"• In Slack: type `{command} submit` and fill in the short form."
    if bot_email:
        how += (f"\n• By email: reply to the call on the mailing list, or write to "
                f"{escape(bot_email)}, with the template below.")
    else:
        how += "\n• By email: reply to the call on the mailing list with the template below."
    text = (
        f":mega: *Call for speakers: {escaped_short(call.title, 200)}*{theme}\n"
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
    # Square brackets, not <...>: Slack reads <...> as a link or a control (<!channel>) even
    # inside a code block, and a reader copies the template from either the post or the email.
    return (
        "Title: [a short title]\n"
        f"Focus area: [one of: {areas}]\n"
        "Abstract: [the approach, a few sentences or an outline]\n"
        "Results: [what worked, what failed, surprises, production scalability]\n"
        "Studio: [your studio or organisation]"
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


def speaker_reminder_email(talks: list[tuple[str, str | None]], deadline: dt.datetime,
                           zone: zoneinfo.ZoneInfo) -> str:
    """One reminder to a mailbox for all its talks waiting for confirmation. The titles are
    quoted short and without links: the address was only ever claimed by the mail that
    proposed them, so the bot must not relay anyone's text (or links) to it."""
    named = [f"\"{excerpt(title, 100)}\"" + (f" ({ref})" if ref else "") for title, ref in talks]
    if len(named) == 1:
        what = f"your talk {named[0]} is"
    else:
        what = "your talks\n" + "\n".join(f"- {n}" for n in named) + "\nare"
    return (
        f"Hello! {what} waiting for one thing: your confirmation that it contains no "
        f"confidential information. Until then the leaders cannot see it. The deadline is "
        f"{deadline_local(deadline, zone)}. To confirm, reply to the email that answered "
        f"your proposal saying \"yes, I confirm\"" + ("" if len(named) == 1 else
                                                     ", once for each talk")
        + f".\n\n{BOUNDARY_TEXT}"
    )


@dataclass
class DigestItem:
    ref: str
    title: str
    speaker: str
    studio: str
    focus_area: str
    status: str
    votes: dict[str, str] = field(default_factory=dict)  # voter -> yes|maybe|no
    recused: list[str] = field(default_factory=list)  # leaders who stepped back from it

    def votes_text(self, hidden: bool) -> str:
        """The tally; with hidden votes and the talk undecided, only how many voted."""
        if hidden and self.status not in DECIDED:
            return f"{len(self.votes)} voted (hidden until decided)"
        return tally(self.votes.values()).text(" ")


@dataclass
class DigestFacts:
    cycle_title: str
    deadline: dt.datetime
    items: list[DigestItem]
    pending_confirmation: int
    leaders: list[str] | None  # None when the channel's members could not be read
    hidden: bool = False  # VOTE_VISIBILITY=hidden: no values before a talk is decided


SECTION_LIMIT = 3000  # Slack's limit for a section's text
DIGEST_BLOCKS = 45  # per message: Slack allows 50; the rest go in a follow-up message


def digest_posts(d: DigestFacts, zone: zoneinfo.ZoneInfo
                 ) -> list[tuple[str, list[dict[str, Any]]]]:
    """The digest: every confirmed talk listed, whole lines packed into sections of at most
    3000 characters (sized after escaping), and more messages when 50 blocks are not enough.
    A talk announced is a talk listed: nothing is cut mid-line or left out."""
    head = (
        f":clipboard: *Digest: {escaped_short(d.cycle_title, 200)}*: the call closed "
        f"{deadline_local(d.deadline, zone)}. {len(d.items)} confirmed submission"
        f"{'s' if len(d.items) != 1 else ''}"
    )
    if d.pending_confirmation:
        head += f", {d.pending_confirmation} still waiting for the speaker's confirmation"
    head += "."
    lines = []
    for item in d.items:
        votes = item.votes_text(d.hidden)
        lines.append(
            f"• `{escaped_short(item.ref, 20)}` *{escaped_short(item.title, 90)}*, "
            f"{escaped_short(item.speaker, 40)} ({escaped_short(item.studio or '?', 40)}), "
            f"{focus_label(item.focus_area)}: {votes}"
            + (f" [{item.status}]" if item.status != Status.SUBMITTED else "")
        )
    areas = Counter(i.focus_area for i in d.items)
    studios = Counter((i.studio or "unknown").strip() for i in d.items)
    balance = ", ".join(f"{focus_label(k)} {areas.get(k, 0)}" for k in FOCUS_AREAS)
    studio_lines = [f"*Focus areas*: {balance}", "*Studios*: " + (", ".join(
        f"{escaped_short(s, 40)} {n}" for s, n in studios.most_common()) or "none")]
    sections = [_section(head)]
    sections += [_section(chunk) for chunk in pack_lines(lines, SECTION_LIMIT)]
    sections += [_section(chunk) for chunk in pack_lines(
        _split_long(studio_lines) + _split_long([_not_voted(d)]), SECTION_LIMIT)]
    parts = [sections[i:i + DIGEST_BLOCKS] for i in range(0, len(sections), DIGEST_BLOCKS)]
    if len(parts) == 1:
        return [(head, parts[0])]
    posts = []
    for n, blocks in enumerate(parts, 1):
        label = f"(part {n} of {len(parts)})"
        if n > 1:
            note = {"type": "mrkdwn", "text": f"Digest: {escaped_short(d.cycle_title, 200)}, "
                                              f"continued {label}"}
            blocks = [{"type": "context", "elements": [note]}, *blocks]
        posts.append((f"{head} {label}", blocks))
    return posts


def _split_long(lines: list[str], limit: int = SECTION_LIMIT) -> list[str]:
    """A line over a section's limit (a studio or not-voted list with many names) broken at
    its ", " separators, so packing can spread it over sections without cutting a mention."""
    out: list[str] = []
    for line in lines:
        while len(line) > limit:
            cut = line.rfind(", ", 0, limit - 1)
            if cut <= 0:
                break
            out.append(line[:cut + 1])
            line = line[cut + 2:]
        out.append(line)
    return out


def _not_voted(d: DigestFacts) -> str:
    if d.leaders is None:
        return "*Not voted yet*: unknown (the leadership channel's members could not be read)."
    votable = [i for i in d.items if i.status == Status.SUBMITTED]
    missing = []
    for leader in d.leaders:
        if not _SLACK_ID.fullmatch(leader):
            continue  # only a well-formed user id becomes a mention
        left = sum(1 for i in votable if leader not in i.votes and leader not in i.recused)
        if left:
            missing.append(f"<@{leader}> ({left})")
    if not missing:
        return "*Not voted yet*: everyone has voted on every open submission."
    return "*Not voted yet* (submissions left): " + ", ".join(missing)
