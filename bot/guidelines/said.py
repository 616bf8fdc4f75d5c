"""What the guidelines want said, as values the outbox stores and the surfaces render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class GuidelinesNoted:
    """The speaker's DM when the guidelines' concerns did not hold the form: the talk is
    with the leaders, and this is what the reading noticed (rule, reason)."""

    KIND: ClassVar[str] = "guidelines.noted"
    ref: str
    title: str
    concerns: list[tuple[str, str]]
    command: str = "/wgml"
