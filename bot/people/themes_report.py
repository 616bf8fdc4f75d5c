"""Common pain points from the database, and how they are shown: the CLI's text and JSON,
`/wgml themes` and the quarterly post to the leaders (mrkdwn, user text escaped).

Only confirmed, non-withdrawn talks count, across every cycle. A speaker who turned
introductions off (`networking_opt_out`) is counted in a group's talks and studios but
never named: neither their name nor their talk's reference or title is shown.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaders import leaders_only
from bot.mrkdwn import escape, escaped_short
from bot.people.themes import Talk, Theme, candidates
from bot.services import Services
from bot.talks.status import CONFIRMED
from storage.models import Submission

TOP_IN_POST = 3  # the quarterly post: the strongest candidates only
MAX_THEMES = 20  # `/wgml themes` and the CLI's text: the rest is in --format json
log = logging.getLogger("wgml.themes")
TERM_LIMIT = 40
PER_THEME = 12  # talks listed per group in Slack; the rest are counted


async def load_talks(session: AsyncSession, since: dt.datetime | None = None) -> list[Talk]:
    """Every confirmed, non-withdrawn talk (submitted since `since`, when given)."""
    query = select(Submission).where(Submission.status.in_(CONFIRMED))
    if since is not None:
        query = query.where(Submission.created_at >= since)
    rows = (await session.scalars(query.order_by(Submission.id))).unique().all()
    return [
        Talk(id=s.id, ref=s.ref or f"#{s.id}", title=s.title, abstract=s.abstract,
             results=s.results, studio=s.studio or s.speaker.studio,
             speaker=s.speaker.name or s.speaker.email or "", focus_area=s.focus_area,
             opted_out=bool(s.speaker.networking_opt_out), owner=str(s.speaker_id))
        for s in rows
    ]


async def themes_from_db(session: AsyncSession, since: dt.datetime | None = None
                         ) -> tuple[list[Theme], int]:
    """The candidate groups (two studios or more) and how many talks were read."""
    talks = await load_talks(session, since)
    # Pure CPU work (about 0.6 s at a thousand talks): off the event loop, so acknowledgements
    # of other requests are not held up while it runs.
    return await asyncio.to_thread(candidates, talks), len(talks)


def _named(theme: Theme) -> tuple[list[Talk], int]:
    shown = [t for t in theme.talks if not t.opted_out]
    return shown, len(theme.talks) - len(shown)


def _hidden_line(hidden: int) -> str:
    return (f"and {hidden} talk{'s' if hidden != 1 else ''} whose speaker"
            f"{'s' if hidden != 1 else ''} opted out of introductions")


def to_json(themes: Sequence[Theme], talks_read: int) -> dict[str, Any]:
    out = []
    for theme in themes:
        shown, hidden = _named(theme)
        evidence = dict(theme.evidence)
        out.append({
            "name": theme.name, "sentence": theme.sentence, "terms": list(theme.terms),
            "studios": theme.studios, "talk_count": len(theme.talks),
            "cohesion": theme.cohesion,
            "talks": [{"ref": t.ref, "title": t.title, "studio": t.studio,
                       "speaker": t.speaker, "evidence": evidence.get(t.id, "")}
                      for t in shown],
            "opted_out_talks": hidden,
        })
    return {"talks_read": talks_read, "themes": out}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def _plain(text: str) -> str:
    """User text for a terminal: no escape sequences, no bidi overrides, one line."""
    return _CONTROL.sub(" ", text).strip()


def render_text(themes: Sequence[Theme], talks_read: int) -> str:
    """Plain text for a terminal (user text stripped of control characters)."""
    if not themes:
        return (f"No pain point is shared by talks from two or more studios yet "
                f"({talks_read} confirmed talks read).")
    lines = [f"{len(themes)} pain points shared across studios ({talks_read} confirmed talks "
             "read):"]
    for n, theme in enumerate(themes[:MAX_THEMES], 1):
        shown, hidden = _named(theme)
        lines.append("")
        lines.append(f"{n}. {_plain(theme.sentence)}.")
        lines.append(f"   tied by: {_plain(', '.join(theme.terms))}")
        for t in shown:
            lines.append(f"   - {_plain(t.ref)} \"{_plain(t.title)}\" "
                         f"({_plain(t.studio) or 'no studio given'}, "
                         f"{_plain(t.speaker) or 'speaker unknown'})")
        if hidden:
            lines.append(f"   - {_hidden_line(hidden)}")
    if len(themes) > MAX_THEMES:
        lines.append("")
        lines.append(f"...and {len(themes) - MAX_THEMES} more: --format json lists them all.")
    return "\n".join(lines)


def _theme_lines(n: int, theme: Theme) -> list[str]:
    shown, hidden = _named(theme)
    lines = [
        f"*{n}. {theme.studios} studios hit {escaped_short(theme.name, 80)}: a possible WG-ML "
        f"sub-project*",
        "_tied by: " + escape(", ".join(w[:TERM_LIMIT] for w in theme.terms)) + "_",
    ]
    for t in shown[:PER_THEME]:
        lines.append(f"• `{escaped_short(t.ref, 32)}` {escaped_short(t.title, 80)} · "
                     f"{escaped_short(t.studio or 'no studio given', 50)} · "
                     f"{escaped_short(t.speaker or 'speaker unknown', 50)}")
    if len(shown) > PER_THEME:
        lines.append(f"• _…and {len(shown) - PER_THEME} more talks_")
    if hidden:
        lines.append(f"• _{_hidden_line(hidden)}_")
    return lines


def render_mrkdwn(themes: Sequence[Theme], talks_read: int) -> str:
    """`/wgml themes`: every candidate (up to MAX_THEMES), for splitting into parts."""
    if not themes:
        return (f"No pain point is shared by talks from two or more studios yet "
                f"({talks_read} confirmed talks read).")
    lines = [f"*Common pain points across studios* ({len(themes)} candidate sub-projects "
             f"from {talks_read} confirmed talks)"]
    for n, theme in enumerate(themes[:MAX_THEMES], 1):
        lines.append("")
        lines.extend(_theme_lines(n, theme))
    if len(themes) > MAX_THEMES:
        lines.append("")
        lines.append(f"_…and {len(themes) - MAX_THEMES} more: `wgml-bot themes --format json` "
                     "lists them all._")
    return "\n".join(lines)


def quarterly_post(themes: Sequence[Theme], talks_read: int, quarter: str) -> str:
    """The leaders' quarterly post: the top candidates, each as the sentence they need."""
    if not themes:
        return (f"*Common pain points, {quarter}*\nNo pain point is shared by talks from two "
                f"or more studios yet ({talks_read} confirmed talks read).")
    lines = [f"*Common pain points, {quarter}*: what several studios found hard, from "
             f"{talks_read} confirmed talks. Each could become a WG-ML sub-project or an "
             "ASWF open-source tool."]
    for n, theme in enumerate(themes[:TOP_IN_POST], 1):
        lines.append("")
        lines.extend(_theme_lines(n, theme))
    if len(themes) > TOP_IN_POST:
        lines.append("")
        lines.append(f"_{len(themes) - TOP_IN_POST} more candidates: `/wgml themes`._")
    return "\n".join(lines)


def not_a_leader(command: str) -> str:
    return (f"`{command} themes` is for the WG-ML leaders (the members of the leadership "
            f"channel): it lists talks across studios for deciding on sub-projects. "
            f"`{command} find TOPIC` shows who has presented work on a topic.")


async def themes_command(services: Services, user_id: str, rest: str) -> str:
    settings = services.settings
    _, refused = await leaders_only(services.leaders, settings.leadership_channel_id, user_id,
                                    not_a_leader(settings.slack_command))
    if refused is not None:
        log.info("event=themes.refused user=%s", user_id)
        return refused
    async with services.db.session() as session:
        themes, read = await themes_from_db(session)
    log.info("event=themes.shown user=%s themes=%s talks=%s", user_id, len(themes), read)
    return render_mrkdwn(themes, read)
