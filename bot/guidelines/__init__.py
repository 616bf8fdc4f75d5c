"""The session guidelines, read before anyone confirms: is the talk about VFX and animation,
practical (an experiment and its results), not a product pitch, free of confidential
information? Domain only: `check` returns concerns as values; the modal, the email
confirmation request and the leaders' card render them. A concern never refuses a talk.
"""

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


def check(title: str, abstract: str, results: str = "") -> list[Concern]:
    """The concerns the talk raises, in RULES order (empty when it fits). Deterministic and
    offline; never raises on any text (empty, huge, any script, markup)."""
    from bot.guidelines.engine import concerns

    return concerns(title or "", abstract or "", results or "")
