"""Who may see the leaders' views (`/wgml review`, `/wgml themes`): the members of the
leadership channel, asked of Slack (cached briefly)."""

from __future__ import annotations

from bot.curation.leaders import LeadersUnavailable
from bot.services import Services

UNAVAILABLE = ("I could not check who the leaders are just now (Slack did not answer); "
               "please try again in a minute.")


async def leaders_only(services: Services, user_id: str, refusal: str
                       ) -> tuple[frozenset[str], str | None]:
    """The leaders, and None when `user_id` is one of them; otherwise what to answer them
    (`refusal`, or that Slack could not say who the leaders are)."""
    channel = services.settings.leadership_channel_id
    if services.leaders is None or not channel:
        return frozenset(), refusal
    try:
        leaders = await services.leaders.members(channel)
    except LeadersUnavailable:
        return frozenset(), UNAVAILABLE
    return leaders, None if user_id in leaders else refusal
