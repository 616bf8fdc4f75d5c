"""The session's program as the leaders build it: slots used, and the balance of studios
and focus areas the accepted talks give it (the seed: "ensure diversity of topics").

The facts only (how many of the cycle's slots are taken, by which studios and focus areas);
the surfaces word them (Slack: bot/slack_ui/slots.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.talks.status import Status
from storage.models import Cycle, Submission
from storage.outbox import enqueue_cycle_cards, enqueue_slots_summary


def studio_key(studio: str) -> str:
    """Studios compared as people write them: case and spacing do not make another one."""
    return " ".join(studio.split()).casefold()


def talk_studio(sub: Submission) -> str:
    return " ".join((sub.studio or sub.speaker.studio or "").split())


@dataclass(frozen=True)
class Program:
    """A cycle's slots and its accepted talks' studios and focus areas."""

    slots: int
    studios: Counter[str] = field(default_factory=Counter)  # studio_key -> accepted talks
    spelled: dict[str, str] = field(default_factory=dict)  # studio_key -> as first written
    areas: Counter[str] = field(default_factory=Counter)  # focus area key -> accepted talks

    @property
    def accepted(self) -> int:
        return sum(self.areas.values())

    @property
    def full(self) -> bool:
        return self.accepted >= self.slots

    @property
    def state(self) -> str:
        """"open", "full" or "over" (more talks accepted than slots), as Slots.state."""
        return Slots(self.slots, self.accepted).state

    def studio_counts(self) -> list[tuple[str, int]]:
        """The accepted talks' studios as first written ("" when none), most talks first."""
        return [(self.spelled[k], n) for k, n in self.studios.most_common()]

    def area_counts(self) -> list[tuple[str, int]]:
        """The accepted talks' focus area keys, most talks first."""
        return self.areas.most_common()


DEFAULT_SLOTS = 3  # what bot.talks.cycles gives a cycle opened without --slots


def program_of(slots: int | None, accepted: Iterable[Submission]) -> Program:
    """`slots` None: a cycle object not stored yet (its column default not applied)."""
    studios: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    areas: Counter[str] = Counter()
    for sub in accepted:
        studio = talk_studio(sub)
        key = studio_key(studio)
        spelled.setdefault(key, studio)
        studios[key] += 1
        areas[sub.focus_area] += 1
    return Program(DEFAULT_SLOTS if slots is None else slots, studios, spelled, areas)


async def program_for(session: AsyncSession, cycle: Cycle | None) -> Program | None:
    if cycle is None:
        return None
    accepted = (await session.scalars(select(Submission).where(
        Submission.cycle_id == cycle.id, Submission.status == Status.ACCEPTED,
    ).order_by(Submission.id))).unique().all()
    return program_of(cycle.slots, accepted)


@dataclass(frozen=True)
class Slots:
    """What every card of a cycle shows of its session: only whether the slots are free,
    full or over-full, which changes once or twice a call (the counts and the balance are in
    the one slots summary message, bot/slack_ui/slots.py)."""

    slots: int
    accepted: int

    @property
    def state(self) -> str:
        if self.accepted > self.slots:
            return "over"
        return "full" if self.accepted >= self.slots else "open"


async def slots_of(session: AsyncSession, cycle: Cycle | None) -> Slots | None:
    """One count: what a card needs of the program."""
    if cycle is None:
        return None
    accepted = await session.scalar(select(func.count()).select_from(Submission).where(
        Submission.cycle_id == cycle.id, Submission.status == Status.ACCEPTED))
    return Slots(DEFAULT_SLOTS if cycle.slots is None else cycle.slots, int(accepted or 0))


async def refresh_cycle_cards(session: AsyncSession, cycle_id: int | None, except_id: int,
                              channel: str, change: int) -> None:
    """The program changed: a talk accepted (`change` +1), or an acceptance undone, withdrawn
    or declined by its speaker (-1). The slots summary is rendered again (one message); the
    other cards only when the session became full, or stopped being full or over-full,
    since that is all they show of it (queued as one row that delivery expands, paced)."""
    if cycle_id is None:
        return
    cycle = await session.get(Cycle, cycle_id)
    after = await slots_of(session, cycle)
    if after is None:
        return
    await enqueue_slots_summary(session, cycle_id, channel)
    if Slots(after.slots, after.accepted - change).state != after.state:
        await enqueue_cycle_cards(session, cycle_id, except_id, channel)
