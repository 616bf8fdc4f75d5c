"""How the leadership card is shown (bot/slack_ui/blocks.py renders it), apart from the card
itself: the service's deliverer is built with one at start-up, and the renderer with what it
imports is loaded only when a card is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.curation.program import Slots


@dataclass(frozen=True)
class CardView:
    """What the card shows beyond the submission: settings and the cycle's program."""

    hidden: bool = False  # VOTE_VISIBILITY=hidden: how many voted, not who or what
    slots: Slots | None = None  # whether the cycle's slots are free, full or over-full
    leader_studios: Mapping[str, str] = field(default_factory=dict)  # LEADER_STUDIOS
