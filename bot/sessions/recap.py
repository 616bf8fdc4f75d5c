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


def talk_sections(sub: Submission, site_url: str | None = None) -> list[str]:
    """The talk's line: its title, speaker and links (its page on the public archive when
    the speaker agreed); links of 2,000 characters each go on in a further section rather
    than past Slack's 3,000 characters."""
    links = [x for x in (_link(sub.slides_url, "slides"),
                         _link(sub.recording_url, "recording"),
                         _link(talk_page(site_url, sub), "talk page")) if x]
    speaker = (f"<@{sub.speaker.slack_user_id}>" if sub.speaker.slack_user_id
               else escaped_short(sub.speaker.name or "a member", 80))
    sections = [f"• *{escaped_short(sub.title, 200)}*, {speaker}: "]
    if not links:
        return [sections[0] + "no links shared"]
    first = True
    for link in links:
        if not first and len(sections[-1]) + 3 + len(link) > SECTION:
            sections.append(f"  (continued) {link}")
        else:
            sections[-1] += ("" if first else " · ") + link
        first = False
    return sections


def post(cycle: Cycle, talks: list[Submission], site_url: str | None = None
         ) -> tuple[str, list[dict[str, Any]]]:
    head = f"Recap: {cycle.title}"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": escaped_within(head, 150)}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            f"Thank you to everyone who presented on {cycle.session_date:%A %d %B %Y}. "
            "Slides and recordings, where the speakers shared them:")}},
    ]
    shown = 0
    for sub in talks:
        sections = talk_sections(sub, site_url)
        if len(blocks) + len(sections) > MAX_TALK_BLOCKS + 2:
            break  # Slack's 50 blocks: the rest is counted below, not dropped silently
        blocks += [{"type": "section", "text": {"type": "mrkdwn", "text": text}}
                   for text in sections]
        shown += 1
    if shown < len(talks):
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"…and {len(talks) - shown} more talks.")}]})
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
