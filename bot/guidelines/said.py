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

    @classmethod
    def from_fields(cls, fields: dict[str, object]) -> GuidelinesNoted:
        """From the outbox's JSON, where the pairs come back as lists."""
        concerns = fields["concerns"]
        return cls(str(fields["ref"]), str(fields["title"]),
                   [(str(rule), str(reason))
                    for rule, reason in concerns],  # type: ignore[attr-defined]
                   str(fields.get("command") or "/wgml"))
