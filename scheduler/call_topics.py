"""What the call for speakers names besides the session: the open wishes most backed
(bot.wishes) and the strongest pain point across studios (bot.people's themes).

Read once per tick that sends a call or a reminder, in its own read-only session before the
claim's transaction: the themes are CPU work over every confirmed talk, and on SQLite a
claim holds the write lock, which nobody else should wait on for it.
"""

from __future__ import annotations

import logging

from bot.people.themes_report import themes_from_db
from bot.slack_ui.wishes import CALL_TOP
from bot.wishes.model import CallTopics
from bot.wishes.store import most_backed
from storage.db import Database

log = logging.getLogger("wgml.scheduler")


async def load_call_topics(db: Database) -> CallTopics:
    async with db.session() as session:
        wishes, _ = await most_backed(session, CALL_TOP)
        try:
            themes, _ = await themes_from_db(session)
        except Exception:
            # The call goes out without it rather than not at all.
            log.exception("event=call.themes_failed")
            themes = []
    pain = f"{themes[0].studios} studios hit {themes[0].name}" if themes else None
    return CallTopics(tuple(wishes), pain)
