"""`/wgml find <topic>` and `/wgml introductions on|off`: the networking phase on Slack."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError

from bot.focus import focus_label
from bot.mrkdwn import escape, escaped_short
from bot.services import Services
from bot.talks.status import Status
from handlers.slack.payload import text
from handlers.slack.respond import Ack, reply

if TYPE_CHECKING:
    from bot.people.networking import PublicWork

log = logging.getLogger("wgml.slack")


def find_usage(command: str) -> str:
    return (
        f"Tell me a topic, for example `{command} find roto`, `{command} find RAG pipeline "
        f"docs` or `{command} find GPU scheduling`. I search the titles of talks (never "
        "abstracts or results) and list who has presented or proposed work on it (titles, "
        "studios and references only)."
    )


def _status(work: PublicWork, today: dt.date) -> str:
    if work.status == Status.ACCEPTED:
        if work.session_date and work.session_date < today:
            return "presented"
        return "accepted"
    return "proposed"


def find_text(topic: str, works: list[PublicWork], command: str, today: dt.date) -> str:
    shown = escaped_short(topic, 80)
    if not works:
        return (
            f"Nobody has presented or proposed work on *{shown}* yet (or they prefer not to "
            f"be found). I search talk titles only: try fewer or broader words, or be the "
            f"first: `{command} submit`."
        )
    lines = [f"*Work on {shown}* (talk titles searched; public parts only):"]
    for w in works:
        who = f"<@{w.speaker_slack_id}>" if w.speaker_slack_id else escape(
            w.speaker_name or "a member")
        studio = f", {escape(w.studio)}" if w.studio else ""
        cycle = f", {escape(w.cycle_title)}" if w.cycle_title else ""
        status = _status(w, today)
        links = [f"<{url}|{label}>" for url, label in ((w.slides_url, "slides"),
                                                        (w.recording_url, "recording"))
                 if status == "presented" and url and len(url) <= 500
                 and not any(c in url for c in "<>| ")]
        lines.append(
            f"• `{w.ref}` *{escaped_short(w.title, 100)}*: {who}{studio} · "
            f"{escape(focus_label(w.focus_area))}{cycle} · {status}"
            + (f" · {' · '.join(links)}" if links else "")
        )
    lines.append("Say hello to compare notes: that is what the sessions are for.")
    return "\n".join(lines)


async def find(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                client: AsyncWebClient) -> None:
    from bot.people.networking import TOPIC_MAX, find_work
    from bot.people.similar import tokenize

    name = services.settings.slack_command
    topic = " ".join(rest.split())
    if not topic:
        await reply(ack, find_usage(name))
        return
    if len(topic) > TOPIC_MAX:
        await reply(ack, f"That topic is too long ({len(topic)} characters); a few words "
                         f"are enough, under {TOPIC_MAX} characters.\n" + find_usage(name))
        return
    if not tokenize(topic):
        await reply(ack, f"*{escaped_short(topic, 80)}* is too general to search for. "
                         + find_usage(name))
        return
    async with services.db.read() as session:
        works = await find_work(session, topic)
    log.info("event=find user=%s results=%s", text(command, "user_id"), len(works))
    today = services.now().astimezone(services.settings.zone).date()
    await reply(ack, find_text(topic, works, name, today))


async def introductions(services: Services, command: dict[str, Any], rest: str, ack: Ack,
                         client: AsyncWebClient) -> None:
    from bot.people.networking import set_introductions
    from bot.talks.submissions import slack_speaker

    name = services.settings.slack_command
    choice = rest.strip().lower()
    user_id = text(command, "user_id")
    if choice not in ("on", "off") or not user_id:
        await reply(ack, f"`{name} introductions off`: never suggest me to people working "
                         f"on similar problems. `{name} introductions on`: I'm happy to be "
                         "introduced.")
        return
    allowed = choice == "on"
    for attempt in range(2):  # a first-time speaker pressing twice races on the unique id
        try:
            async with services.db.transaction() as session:
                speaker = await slack_speaker(session, user_id, text(command, "user_name"))
                await set_introductions(session, speaker, allowed=allowed, actor=user_id)
            break
        except IntegrityError:
            if attempt:
                raise
    await reply(ack, "Done: I may introduce you to people from other studios working on "
                     "similar problems." if allowed else
                     "Done: I won't suggest you to others or introduce you. "
                     f"`{name} introductions on` undoes this.")
