"""Votes: the three values a leader can give a talk, their labels, and the one tally every
surface shows (card, digest, `/wgml review`, Home tab, export, the decision's audit)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class VoteValue(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"

    @property
    def label(self) -> str:
        return self.value.capitalize()


VOTE_VALUES: tuple[VoteValue, ...] = tuple(VoteValue)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    maybe: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.maybe + self.no

    def __getitem__(self, value: str) -> int:
        return int(getattr(self, VoteValue(value).value))

    def as_dict(self) -> dict[str, int]:
        return {v.value: self[v] for v in VOTE_VALUES}

    def text(self, sep: str = " · ") -> str:
        """"yes 2 · maybe 0 · no 1"."""
        return sep.join(f"{v} {self[v]}" for v in VOTE_VALUES)


def tally(values: Iterable[str]) -> Tally:
    """The count of each vote value; anything that is not a vote value is not counted."""
    counts = dict.fromkeys(VOTE_VALUES, 0)
    for value in values:
        if value in counts:
            counts[VoteValue(value)] += 1
    return Tally(counts[VoteValue.YES], counts[VoteValue.MAYBE], counts[VoteValue.NO])
