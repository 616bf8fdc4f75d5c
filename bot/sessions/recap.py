"""Seven days after the session: one recap of each talk with its slides and recording."""

from __future__ import annotations

from typing import Any

from bot.mrkdwn import escaped_short, escaped_within
from bot.sessions.program import MAX_TALK_BLOCKS
from bot.talks.publish import talk_page
from storage.models import Cycle, Submission


def _link(url: str | None, label: str) -> str | None:
    # Stored URLs were checked (http/https, no spaces); `|` and `>` would break the link.
    if not url or any(c in url for c in "<>|"):
        return None
    return f"<{url}|{label}>"


SECTION = 2900  # under Slack's 3,000 characters per section


def talk_line(sub: Submission, site_url: str | None = None) -> str:
    links = [x for x in (_link(sub.slides_url, "slides"),
                         _link(sub.recording_url, "recording")) if x]
    page = _link(talk_page(site_url, sub), "talk page")
    if page and sum(len(x) + 3 for x in links) + len(page) + 1300 < SECTION:
        # Its page on the public archive, when the speaker agreed and the line has room
        # (the title and the speaker take 1,300 characters at most, escaped).
        links.append(page)
    speaker = (f"<@{sub.speaker.slack_user_id}>" if sub.speaker.slack_user_id
               else escaped_short(sub.speaker.name or "a member", 80))
    return (f"• *{escaped_short(sub.title, 200)}*, {speaker}: "
            + (" · ".join(links) if links else "no links shared"))


def post(cycle: Cycle, talks: list[Submission], site_url: str | None = None
         ) -> tuple[str, list[dict[str, Any]]]:
    head = f"Recap: {cycle.title}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": escaped_within(head, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            f"Thank you to everyone who presented on {cycle.session_date:%A %d %B %Y}. "
            "Slides and recordings, where the speakers shared them:")}},
    ]
    for sub in talks[:MAX_TALK_BLOCKS]:
        blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                   "text": talk_line(sub, site_url)}})
    if len(talks) > MAX_TALK_BLOCKS:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"…and {len(talks) - MAX_TALK_BLOCKS} more talks.")}]})
    return f"{escaped_within(head, 400)}: {len(talks)} talks", blocks


def email(cycle: Cycle, talks: list[Submission], site_url: str | None = None
          ) -> tuple[str, str]:
    subject = " ".join(f"Recap: {cycle.title}".split())[:200]
    lines = [f"Recap of {cycle.title} ({cycle.session_date:%d %B %Y})", ""]
    for n, sub in enumerate(talks, 1):
        lines += [f"{n}. {' '.join(sub.title.split())} ({sub.speaker.name or 'a member'})",
                  f"   Slides: {sub.slides_url or 'not shared'}",
                  f"   Recording: {sub.recording_url or 'not shared'}",
                  *([f"   On the public archive: {page}"]
                    if (page := talk_page(site_url, sub)) else []), ""]
    lines += ["The WG-ML bot, for the ASWF Machine Learning Working Group"]
    return subject, "\n".join(lines) + "\n"
