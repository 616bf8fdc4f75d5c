"""The values the session guidelines' reading returns (bot.guidelines.check): a concern
names the rule and, in one sentence, what was read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Rule = Literal["relevance", "practical", "pitch", "confidential"]
RULES: tuple[Rule, ...] = ("relevance", "practical", "pitch", "confidential")


@dataclass(frozen=True)
class Concern:
    """One guideline the talk may not meet, and, in one sentence, what was read."""

    rule: Rule
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "reason": self.reason}

