"""Who the leaders are: the members of LEADERSHIP_CHANNEL_ID, read from Slack, cached briefly.
A leaf below the domain (every package asks it: votes, notes, review, themes), given to it
through bot.services.

The contract caps the cache at five minutes: someone removed from the channel loses the
buttons within that time. A cold cache under a burst of presses makes one paginated read,
not one per press (single flight: concurrent callers await the same fetch).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("wgml.leaders")

CACHE_SECONDS = 300.0  # the contract's "at most 5 minutes"
PAGE_LIMIT = 200  # Slack recommends no more than 200 per page
MAX_PAGES = 500  # a cursor that never ends is a bug on the other side, not a reason to spin

MemberLister = Callable[[str], Awaitable[list[str]]]


class LeadersUnavailable(Exception):
    """Slack could not tell us who the leaders are; nobody is treated as a leader meanwhile."""


@dataclass(frozen=True)
class _Entry:
    members: frozenset[str]
    fetched_at: dt.datetime


class LeaderDirectory:
    def __init__(
        self,
        lister: MemberLister,
        *,
        clock: Callable[[], dt.datetime],
        ttl_seconds: float = CACHE_SECONDS,
    ) -> None:
        self._lister = lister
        self._clock = clock
        self._ttl = dt.timedelta(seconds=min(ttl_seconds, CACHE_SECONDS))
        self._cache: dict[str, _Entry] = {}
        self._inflight: dict[str, asyncio.Future[frozenset[str]]] = {}

    def _fresh(self, channel: str, now: dt.datetime) -> frozenset[str] | None:
        entry = self._cache.get(channel)
        if entry is None:
            return None
        age = now - entry.fetched_at
        # A clock that went backwards makes the age unknowable: read again rather than trust it.
        if dt.timedelta(0) <= age < self._ttl:
            return entry.members
        return None

    async def members(self, channel: str) -> frozenset[str]:
        """The channel's members; raises LeadersUnavailable when Slack cannot say."""
        if not channel:
            return frozenset()
        cached = self._fresh(channel, self._clock())
        if cached is not None:
            return cached
        pending = self._inflight.get(channel)
        if pending is None:
            pending = asyncio.ensure_future(self._load(channel))
            self._inflight[channel] = pending
            pending.add_done_callback(lambda fut: self._forget(channel, fut))
        # shield: one caller giving up (its request cancelled) must not cancel the others' read.
        return await asyncio.shield(pending)

    def _forget(self, channel: str, fut: asyncio.Future[frozenset[str]]) -> None:
        if self._inflight.get(channel) is fut:
            del self._inflight[channel]
        if not fut.cancelled():
            fut.exception()  # mark retrieved: every waiter already got it

    async def _load(self, channel: str) -> frozenset[str]:
        # Age counts from before the read: the list is at least as old as the request.
        started = self._clock()
        try:
            members = frozenset(await self._lister(channel))
        except LeadersUnavailable:
            raise
        except SlackApiError as exc:
            error = exc.response.get("error") if exc.response is not None else None
            log.warning("event=leaders.read_failed channel=%s error=%s", channel, error)
            raise LeadersUnavailable(str(error or "slack error")) from None
        except (OSError, TimeoutError) as exc:
            log.warning("event=leaders.read_failed channel=%s error=%s", channel,
                        type(exc).__name__)
            raise LeadersUnavailable(type(exc).__name__) from None
        self._cache[channel] = _Entry(members, started)
        log.info("event=leaders.read channel=%s count=%s", channel, len(members))
        return members

    async def is_leader(self, channel: str | None, user_id: str) -> bool:
        if not channel or not user_id:
            return False
        return user_id in await self.members(channel)


def slack_member_lister(client: AsyncWebClient) -> MemberLister:
    """conversations.members, every page, without the bot itself (it is in the channel too)
    and without other bots (users.info `is_bot`): a bot in the leadership channel is no
    leader and must not be shown as owing votes."""
    bot_user: list[str] = []
    is_bot: dict[str, bool] = {}  # a user does not turn into a bot: asked once per process

    async def bot_account(user: str) -> bool:
        if user not in is_bot:
            try:
                resp = await client.users_info(user=user)
            except SlackApiError as exc:
                # Unknown means counted: a bot shown as a leader is a smaller harm than a
                # leader who loses the buttons because Slack hiccupped.
                error = exc.response.get("error") if exc.response is not None else None
                log.warning("event=leaders.user_unknown user=%s error=%s", user, error)
                return False
            info = resp.get("user") or {}
            is_bot[user] = bool(info.get("is_bot")) or info.get("id") == "USLACKBOT"
        return is_bot[user]

    async def own_id() -> str:
        if not bot_user:
            try:
                resp = await client.auth_test()
                bot_user.append(str(resp.get("user_id") or ""))
            except SlackApiError:
                return ""  # not knowing our own id only means one extra name in the list
        return bot_user[0]

    async def list_members(channel: str) -> list[str]:
        members: list[str] = []
        cursor = ""
        for _ in range(MAX_PAGES):
            resp = await client.conversations_members(
                channel=channel, limit=PAGE_LIMIT, **({"cursor": cursor} if cursor else {})
            )
            page = resp.get("members") or []
            members.extend(m for m in page if isinstance(m, str))
            meta = resp.get("response_metadata") or {}
            cursor = str(meta.get("next_cursor") or "") if isinstance(meta, dict) else ""
            if not cursor:
                break
        else:
            raise LeadersUnavailable("conversations.members never reached its last page")
        me = await own_id()
        return [m for m in dict.fromkeys(members) if m != me and not await bot_account(m)]

    return list_members


UNAVAILABLE_VIEW = ("I could not check who the leaders are just now (Slack did not "
                    "answer); please try again in a minute.")


async def leaders_only(directory: LeaderDirectory | None, channel: str | None, user_id: str,
                       refusal: str) -> tuple[frozenset[str], str | None]:
    """Who may see the leaders' views (`/wgml review`, `/wgml themes`): the leaders, and None
    when `user_id` is one of them; otherwise what to answer them (`refusal`, or that Slack
    could not say who the leaders are)."""
    if directory is None or not channel:
        return frozenset(), refusal
    try:
        leaders = await directory.members(channel)
    except LeadersUnavailable:
        return frozenset(), UNAVAILABLE_VIEW
    return leaders, None if user_id in leaders else refusal
