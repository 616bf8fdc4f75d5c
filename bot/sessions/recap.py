"""Seven days after the session: one recap of each talk with its slides and recording (said
as a value, worded by bot/slack_ui/said_program.py and bot/email/session_texts.py)."""

from __future__ import annotations

from bot.sessions.program import session_talk
from bot.sessions.said_program import RecapPosted
from storage.models import Cycle, Submission


def posted(cycle: Cycle, talks: list[Submission], site_url: str | None = None) -> RecapPosted:
    """The recap to say; with SITE_URL, each talk whose speaker agreed names its page on the
    public archive."""
    return RecapPosted(cycle_title=cycle.title, session_date=cycle.session_date.isoformat(),
                       talks=[session_talk(s, site_url) for s in talks])
