"""The session's program as the leaders build it: slots used, and the balance of studios
and focus areas the accepted talks give it (the seed: "ensure diversity of topics").

What the card and the accept dialog show: how many of the cycle's slots are taken, and what
accepting this talk does to the counts of its studio and its focus area.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.focus import focus_label
from bot.talks.status import Status
from storage.models import Cycle, Submission
from storage.outbox import enqueue_cycle_cards, enqueue_slots_summary


def studio_key(studio: str) -> str:
    """Studios compared as people write them: case and spacing do not make another one."""
    return " ".join(studio.split()).casefold()


def talk_studio(sub: Submission) -> str:
    return " ".join((sub.studio or sub.speaker.studio or "").split())


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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

    def slots_line(self) -> str:
        if self.accepted > self.slots:
            return (f":warning: {self.accepted} talks accepted for {self.slots} slots: the "
                    "session is over-full.")
        if self.full:
            return f":no_entry: The session's {self.slots} slots are full."
        return f"{self.accepted} of {self.slots} slots filled."

    def after_accepting(self, studio: str, area: str) -> Effect:
        key = studio_key(studio)
        return Effect(
            accepted=self.accepted + 1, slots=self.slots,
            studio=short(self.spelled.get(key) or studio or "no studio given", 40),
            studio_count=self.studios.get(key, 0) + 1 if key else 0,
            area=focus_label(area), area_count=self.areas.get(area, 0) + 1,
        )

    def summary(self) -> str:
        """ "Studios: A 2, B 1 · Focus areas: X 2, Y 1" of the accepted talks."""
        if not self.accepted:
            return "No talk accepted yet."
        studios = ", ".join(f"{self.spelled[k] or 'no studio given'} {n}"
                            for k, n in self.studios.most_common())
        areas = ", ".join(f"{focus_label(a)} {n}" for a, n in self.areas.most_common())
        return f"Studios: {studios} · Focus areas: {areas}"


@dataclass(frozen=True)
class Effect:
    """The program after accepting one more talk."""

    accepted: int
    slots: int
    studio: str
    studio_count: int  # 0: the talk names no studio
    area: str
    area_count: int

    @property
    def past_slots(self) -> bool:
        return self.accepted > self.slots

    @property
    def studio_dominates(self) -> bool:
        """One studio would hold most of the program (of at least two talks)."""
        return self.studio_count >= 2 and self.studio_count * 2 > max(self.accepted,
                                                                      self.slots)

    def counts(self) -> str:
        studio = (f"{self.studio} {self.studio_count} of {self.accepted}" if self.studio_count
                  else "no studio given")
        return (f"{self.accepted} of {self.slots} slots · {studio} · {self.area} "
                f"{self.area_count} of {self.accepted}")

    def warnings(self) -> list[str]:
        out = []
        if self.past_slots:
            out.append(f"past the {self.slots} slots")
        if self.studio_dominates:
            out.append(f"{self.studio} would hold most of the program")
        return out


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

    def card_line(self) -> str:
        if self.state == "over":
            return (f":warning: More talks are accepted than the session's {self.slots} "
                    "slots: the session is over-full (the slots summary in this channel "
                    "lists them).")
        if self.state == "full":
            return f":no_entry: The session's {self.slots} slots are full."
        return (f"{self.slots} slots, not all filled yet: the slots summary in this channel "
                "shows the program so far and its balance.")


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
