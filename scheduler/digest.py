"""The leadership digest's facts: the cycle's submissions, votes so far, who has not voted."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.leaders import LeadersUnavailable, slack_member_lister
from bot.talks.status import CONFIRMED, Status
from scheduler.texts import DigestFacts, DigestItem
from storage.models import Cycle, Submission

log = logging.getLogger("wgml.scheduler")



async def fetch_leaders(slack: AsyncWebClient, channel: str) -> list[str] | None:
    """The leadership channel's human members (paginated, without bots), or None when Slack
    cannot say; the same reading the buttons' leader check uses."""
    try:
        return await slack_member_lister(slack)(channel)
    except (SlackApiError, LeadersUnavailable, OSError, TimeoutError) as exc:
        log.warning("event=digest.leaders_unknown channel=%s error=%s", channel,
                    type(exc).__name__)
        return None
    except Exception as exc:  # aiohttp errors and the like: the digest still goes out
        log.warning("event=digest.leaders_unknown channel=%s error=%s", channel,
                    type(exc).__name__)
        return None


async def workspace_url(slack: AsyncWebClient) -> str | None:
    """The workspace's address (auth.test's `url`), for links to cards; None when unknown."""
    try:
        resp = await slack.auth_test()
    except Exception as exc:  # links are a convenience: the nudge goes out without them
        log.warning("event=digest.workspace_unknown error=%s", type(exc).__name__)
        return None
    url = resp.get("url")
    return url if isinstance(url, str) and url.startswith("https://") else None


async def build_digest(session: AsyncSession, cycle: Cycle, leaders: list[str] | None,
                       *, hidden: bool = False) -> DigestFacts:
    rows = (await session.scalars(
        select(Submission).where(Submission.cycle_id == cycle.id).order_by(Submission.id)
    )).unique().all()
    items: list[DigestItem] = []
    pending = 0
    for sub in rows:
        if sub.status == Status.PENDING_CONFIRMATION:
            pending += 1  # unconfirmed: the leaders must not see its content
            continue
        if sub.status not in CONFIRMED:
            continue
        items.append(DigestItem(
            ref=sub.ref or f"#{sub.id}", title=sub.title,
            speaker=sub.speaker.name or sub.speaker.email or "?",
            studio=sub.studio or sub.speaker.studio, focus_area=sub.focus_area,
            status=sub.status, votes={v.voter: v.value for v in sub.votes},
            recused=[r.leader for r in sub.recusals if r.active],
        ))
    return DigestFacts(cycle.title, cycle.deadline, items, pending, leaders, hidden)
