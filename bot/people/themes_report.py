"""Common pain points from the database, and how they are shown: the CLI's text and JSON,
`/wgml themes` and the quarterly post to the leaders (their mrkdwn is Slack's, in
bot/slack_ui/themes.py, from the Theme values found here).

Only confirmed, non-withdrawn talks count, across every cycle. A speaker who turned
introductions off (`networking_opt_out`) is counted in a group's talks and studios but
never named: neither their name nor their talk's reference or title is shown.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.people.themes import Talk, Theme, ThemeMark, candidates
from bot.talks.status import CONFIRMED
from storage.models import Speaker, Submission

TOP_IN_POST = 3  # the quarterly post: the strongest candidates only
MAX_THEMES = 20  # `/wgml themes` and the CLI's text: the rest is in --format json
log = logging.getLogger("wgml.themes")
# The most talks one run reads (the newest): the CLI, `/wgml themes` and the quarterly post
# stay bounded in time and memory even with a century of sessions (bench/themes_scale.py
# measures 100,000).
MAX_TALKS = 100_000


async def load_talks(session: AsyncSession, since: dt.datetime | None = None,
                     limit: int = MAX_TALKS) -> list[Talk]:
    """Every confirmed, non-withdrawn talk (submitted since `since`, when given), the most
    recent `limit` of them, oldest first.

    A plain select of the columns the engine reads, joined to the speaker: no ORM rows, no
    relationships (votes, notes, decisions) loaded for talks that are only read as text.
    """
    query = (select(Submission.id, Submission.ref, Submission.title, Submission.abstract,
                    Submission.results, Submission.studio, Submission.focus_area,
                    Submission.speaker_id, Speaker.studio, Speaker.name, Speaker.email,
                    Speaker.networking_opt_out)
             .join(Speaker, Speaker.id == Submission.speaker_id)
             .where(Submission.status.in_(CONFIRMED)))
    if since is not None:
        query = query.where(Submission.created_at >= since)
    rows = (await session.execute(query.order_by(Submission.id.desc()).limit(limit))).all()
    return [
        Talk(id=sid, ref=ref or f"#{sid}", title=title, abstract=abstract, results=results,
             studio=studio or speaker_studio, speaker=name or email or "",
             focus_area=focus_area, opted_out=bool(opted_out), owner=str(speaker_id))
        for (sid, ref, title, abstract, results, studio, focus_area, speaker_id,
             speaker_studio, name, email, opted_out) in reversed(rows)
    ]


async def themes_from_db(session: AsyncSession, since: dt.datetime | None = None
                         ) -> tuple[list[Theme], int]:
    """The candidate groups (two studios or more) and how many talks were read."""
    talks = await load_talks(session, since)
    # Pure CPU work, linear in the talks (bench/themes_scale.py): off the event loop, so
    # acknowledgements of other requests are not held up while it runs.
    return await asyncio.to_thread(candidates, talks), len(talks)


def named_talks(theme: Theme) -> tuple[list[Talk], int]:
    shown = [t for t in theme.talks if not t.opted_out]
    return shown, len(theme.talks) - len(shown)


def hidden_line(hidden: int) -> str:
    return (f"and {hidden} talk{'s' if hidden != 1 else ''} whose speaker"
            f"{'s' if hidden != 1 else ''} opted out of introductions")


def to_json(themes: Sequence[Theme], talks_read: int,
            marks: Mapping[int, ThemeMark] | None = None) -> dict[str, Any]:
    marks = marks or {}
    out = []
    for n, theme in enumerate(themes):
        mark = marks.get(n)
        shown, hidden = named_talks(theme)
        evidence = dict(theme.evidence)
        out.append({
            "name": theme.name, "sentence": theme.sentence, "terms": list(theme.terms),
            "studios": theme.studios, "talk_count": len(theme.talks),
            "cohesion": theme.cohesion,
            "talks": [{"ref": t.ref, "title": t.title, "studio": t.studio,
                       "speaker": t.speaker, "evidence": evidence.get(t.id, "")}
                      for t in shown],
            "opted_out_talks": hidden,
            "subproject": {"id": mark.subproject_id, "channel": mark.channel_id,
                           "channel_name": mark.channel_name, "status": mark.status}
            if mark else None,
        })
    return {"talks_read": talks_read, "themes": out}


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def _plain(text: str) -> str:
    """User text for a terminal: no escape sequences, no bidi overrides, one line."""
    return _CONTROL.sub(" ", text).strip()


def render_text(themes: Sequence[Theme], talks_read: int,
                marks: Mapping[int, ThemeMark] | None = None) -> str:
    """Plain text for a terminal (user text stripped of control characters)."""
    if not themes:
        return (f"No pain point is shared by talks from two or more studios yet "
                f"({talks_read} confirmed talks read).")
    lines = [f"{len(themes)} pain points shared across studios ({talks_read} confirmed talks "
             "read):"]
    for n, theme in enumerate(themes[:MAX_THEMES], 1):
        shown, hidden = named_talks(theme)
        lines.append("")
        lines.append(f"{n}. {_plain(theme.sentence)}.")
        lines.append(f"   tied by: {_plain(', '.join(theme.terms))}")
        for t in shown:
            lines.append(f"   - {_plain(t.ref)} \"{_plain(t.title)}\" "
                         f"({_plain(t.studio) or 'no studio given'}, "
                         f"{_plain(t.speaker) or 'speaker unknown'})")
        if hidden:
            lines.append(f"   - {hidden_line(hidden)}")
        if marks and (mark := marks.get(n - 1)):
            lines.append(f"   already a sub-project: #{_plain(mark.channel_name)} "
                         f"(id {mark.subproject_id}, {mark.status})")
    if len(themes) > MAX_THEMES:
        lines.append("")
        lines.append(f"...and {len(themes) - MAX_THEMES} more: --format json lists them all.")
    return "\n".join(lines)
