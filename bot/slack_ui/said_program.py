"""Slack's words for the session (bot/sessions/said_program.py): the program and its update,
the day's reminder, the slides request with its button, the recap. Within Slack's limits:
each part sized after escaping, 50 blocks a message, 3,000 characters a section. Registered in
bot/slack_ui/said.py's RENDER."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from bot.mrkdwn import escape, escaped_short, escaped_within
from bot.sessions.said_program import (
    ProgramAnnounced,
    RecapPosted,
    SessionTalk,
    SessionToday,
    SlidesAsked,
)
from bot.sessions.slides import SLIDES_OPEN
from storage.outbox import load

Rendered = tuple[str, list[dict[str, Any]] | None]

SECTION = 2900  # under Slack's 3,000 characters per section
MAX_TALK_BLOCKS = 45  # Slack allows 50 blocks in a message; the rest is header and footer


def _speaker(talk: SessionTalk) -> str:
    if talk.speaker_user:
        return f"<@{talk.speaker_user}>"
    return escaped_short(talk.speaker_name or "a member", 80)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": escaped_within(text, 150)}}


def _more(count: int) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": (
        f"…and {count} more talks.")}]}


def talk_mrkdwn(talk: SessionTalk) -> str:
    # Each part sized after escaping: the section stays under Slack's 3,000 characters
    # without cutting an entity in half (the archive's link comes out of the abstract's).
    link = f"\n<{talk.page}|The talk on the public archive>" if talk.page else ""
    return (f"*{escaped_within(talk.title, 400)}*\n{_speaker(talk)}, "
            f"{escaped_within(talk.studio, 200)} · {escape(talk.focus)}\n"
            f"{escaped_within(talk.abstract, 2000 - len(link))}{link}")


def program_post(value: ProgramAnnounced) -> tuple[str, list[dict[str, Any]]]:
    """The program: a fallback text and blocks; each talk whose speaker agreed links to its
    page on the public archive."""
    lead = "Updated program" if value.update else "Program"
    head = f"{lead}: {value.cycle_title}"
    join = (f"<{value.join_url}|Join the session>" if value.join_url
            else "The join link follows.")
    blocks = [_header(head), _section(f"*{escape(value.when)}*\n{join}")]
    blocks += [_section(talk_mrkdwn(talk)) for talk in value.talks[:MAX_TALK_BLOCKS]]
    if len(value.talks) > MAX_TALK_BLOCKS:
        blocks.append(_more(len(value.talks) - MAX_TALK_BLOCKS))
    text = f"{escaped_within(head, 400)}, {escape(value.when)}: {len(value.talks)} talks"
    return text, blocks


def today_text(value: SessionToday) -> str:
    join = f"<{value.join_url}|Join here>" if value.join_url else "The join link follows."
    # Sized after escaping (20 titles of 100, the title 200, a join URL of 500): under
    # Slack's 3,000 characters with nothing cut in half.
    titles = "\n".join(f"• {escaped_within(t, 100)}" for t in value.titles[:20])
    more = f"\n…and {len(value.titles) - 20} more" if len(value.titles) > 20 else ""
    return (f":calendar: Today: *{escaped_within(value.cycle_title, 200)}*, "
            f"{escape(value.when)}. {join}\n{titles}{more}")


def slides_text(value: SlidesAsked) -> str:
    return (f"Thank you for presenting *{escaped_short(value.title, 150)}* (`{value.ref}`)! "
            "If you can share your slides and the recording, the group keeps them with the "
            "talk for everyone who missed it.")


def slides_blocks(value: SlidesAsked) -> list[dict[str, Any]]:
    return [
        _section(slides_text(value)),
        {"type": "actions", "block_id": f"slides:{value.submission_id}", "elements": [
            {"type": "button", "action_id": SLIDES_OPEN, "style": "primary",
             "text": {"type": "plain_text", "text": "Share slides and recording"},
             "value": str(value.submission_id)}]},
    ]


def _link(url: str, label: str) -> str | None:
    # Stored URLs were checked (http/https, no spaces); `|` and `>` would break the link.
    if not url or any(c in url for c in "<>|"):
        return None
    return f"<{url}|{label}>"


def recap_sections(talk: SessionTalk) -> list[str]:
    """The talk's line: its title, speaker and links (its page on the public archive when
    the speaker agreed); links of 2,000 characters each go on in a further section rather
    than past Slack's 3,000 characters."""
    links = [x for x in (_link(talk.slides_url, "slides"),
                         _link(talk.recording_url, "recording"),
                         _link(talk.page, "talk page")) if x]
    sections = [f"• *{escaped_short(talk.title, 200)}*, {_speaker(talk)}: "]
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


def recap_post(value: RecapPosted) -> tuple[str, list[dict[str, Any]]]:
    head = f"Recap: {value.cycle_title}"
    blocks = [_header(head), _section(
        f"Thank you to everyone who presented on {value.date:%A %d %B %Y}. "
        "Slides and recordings, where the speakers shared them:")]
    shown = 0
    for talk in value.talks:
        sections = recap_sections(talk)
        if len(blocks) + len(sections) > MAX_TALK_BLOCKS + 2:
            break  # Slack's 50 blocks: the rest is counted below, not dropped silently
        blocks += [_section(text) for text in sections]
        shown += 1
    if shown < len(value.talks):
        blocks.append(_more(len(value.talks) - shown))
    return f"{escaped_within(head, 400)}: {len(value.talks)} talks", blocks


Loader = Callable[[dict[str, Any]], Any]


def _both(load: Loader, words: Callable[[Any], tuple[str, list[dict[str, Any]]]]
          ) -> tuple[Loader, Callable[[Any, str], Rendered]]:
    return load, (lambda v, _: words(v))


RENDER: dict[str, tuple[Loader, Callable[[Any, str], Rendered]]] = {
    ProgramAnnounced.KIND: _both(partial(load, ProgramAnnounced), program_post),
    SessionToday.KIND: (partial(load, SessionToday), lambda v, _: (today_text(v), None)),
    SlidesAsked.KIND: _both(partial(load, SlidesAsked),
                            lambda v: (slides_text(v), slides_blocks(v))),
    RecapPosted.KIND: _both(partial(load, RecapPosted), recap_post),
}
