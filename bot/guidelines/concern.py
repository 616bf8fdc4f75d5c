"""A concern: one guideline a talk may not meet, and what was read (a value; no imports of
the rest of the package, so the engine and the package's interface both import it)."""

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
